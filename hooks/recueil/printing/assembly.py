"""Assemble laid-out documents into one PDF with pikepdf.

The pages are appended in print order and every document's named destinations (one per element id)
join one name tree, so `recueil.pdf#p-<slug>` opens a sheet. Links the documents could not resolve on
their own (`link_scheme:<anchor>`, the anchor being in another document) become internal links, or
links to a fallback address (a practice outside this edition: its online page). Then the running
header and "page X / Y" are stamped in the margins (drawn by reportlab) as artifacts, the bookmarks
added, one font dictionary and one font file per face kept for all documents, and the metadata set.

The documents are tagged (WeasyPrint writes a structure tree for each): their trees join one tree under
one `Document` element, in print order, with one parent tree numbered across all pages and links, and
every link annotation says where it goes (`/Contents`).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from fontTools import subset  # type: ignore[import-untyped]  # WeasyPrint's own dependency
from pikepdf import Array, Dictionary, Name, OutlineItem, String
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

MM = 72 / 25.4
# Where the header and footer sit: inside the page margins of recueil-pdf.css (22 mm top, 18 mm sides, 20 mm bottom).
HEADER_BASELINE = A4[1] - 12.5 * MM
FOOTER_BASELINE = 9 * MM
SIDE = 18 * MM
STAMP = "/RecueilMarges"  # the header and footer's name among a page's resources


@dataclass(frozen=True, kw_only=True)
class Bookmark:
    title: str
    anchor: str
    children: tuple[Bookmark, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Metadata:
    title: str
    author: str
    subject: str
    keywords: str
    language: str
    modified: dt.date | None


@dataclass(frozen=True, kw_only=True)
class Section:
    """Where a document's structure goes: under the `Part` element titled `part` (consecutive documents
    with the same title share it; None: straight under the `Document`).

    WeasyPrint writes one element per page for an HTML element that runs over several pages. The
    document's body wrapper is one such element; `depth` counts it and the single elements nested in
    it (a sheet's `<article>`: 2), whose pieces are joined again. The wrapper itself is left out.
    """

    part: str | None
    depth: int = 1


@dataclass(frozen=True, kw_only=True)
class Stamp:
    """What the margins of each page show: `headers[i]` left on page i + 1 (None: nothing on that page)."""

    headers: Sequence[str | None]
    title: str  # right of the header
    font: Path  # a TrueType file, embedded


def assemble(
    documents: Sequence[bytes],
    *,
    sections: Sequence[Section],
    stamp: Stamp,
    bookmarks: Sequence[Bookmark],
    link_scheme: str,
    fallbacks: Mapping[str, str],
    link_labels: Mapping[str, str],
    metadata: Metadata,
    fonts: Mapping[tuple[str, bool], Path],
) -> bytes:
    """One PDF of `documents` in order. `fonts` maps (family, bold) to the file WeasyPrint subset;
    `link_labels` maps an anchor to what a link to it says (else: the page it goes to)."""
    pdf = pikepdf.new()
    destinations: dict[str, Array] = {}
    names: dict[tuple[int, int], str] = {}  # each link annotation (by object) and the anchor it goes to
    structure = _Structure(pdf)
    for document, section in zip(documents, sections, strict=True):
        # pikepdf keeps what the copied pages need from each source (holding the sources costs 1/3 more memory).
        source = pikepdf.open(io.BytesIO(document))
        start = len(pdf.pages)
        pdf.pages.extend(source.pages)
        for name, destination in _own_destinations(pdf, source, start, names).items():
            destinations.setdefault(name, destination)
        structure.add(source, start, section)
    _resolve_links(pdf, f"{link_scheme}:", destinations, fallbacks, names)
    _describe_links(pdf, names, link_labels)
    structure.finish()
    tree = pikepdf.NameTree.new(pdf)
    for name, destination in destinations.items():
        tree[name] = destination
    pdf.Root.Names = Dictionary(Dests=tree.obj)
    with pdf.open_outline() as outline:
        outline.root.extend(_outline_items(bookmarks, destinations))
    _stamp(pdf, stamp)
    _share_fonts(pdf, fonts)
    _set_metadata(pdf, metadata)
    output = io.BytesIO()
    pdf.save(output, deterministic_id=True, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return output.getvalue()


def _links(pages: Iterable[pikepdf.Page]) -> Iterator[pikepdf.Object]:
    for page in pages:
        for annotation in page.obj.get("/Annots", Array()):
            if annotation.get("/Subtype") == "/Link":
                yield annotation


def _own_destinations(
    pdf: pikepdf.Pdf, source: pikepdf.Pdf, start: int, names: dict[tuple[int, int], str]
) -> dict[str, Array]:
    """The source's named destinations, pointing at its pages in `pdf`; its own links made explicit
    (and noted in `names`)."""
    if "/Names" not in source.Root or "/Dests" not in source.Root.Names:
        return {}
    position = {page.obj.objgen: index for index, page in enumerate(source.pages)}
    own = {
        name: Array([pdf.pages[start + position[target[0].objgen]].obj, *list(target)[1:]])
        for name, target in pikepdf.NameTree(source.Root.Names.Dests).items()
    }
    # Ids repeat across documents (each sheet numbers its own footnotes): a link inside a document stays
    # inside it, whatever the name tree keeps for that name.
    for annotation in _links(pdf.pages[start:]):
        target = annotation.get("/Dest")
        if isinstance(target, String) and str(target) in own:
            names[annotation.objgen] = str(target)
            annotation.Dest = own[str(target)]
    return own


def _resolve_links(
    pdf: pikepdf.Pdf,
    prefix: str,
    destinations: Mapping[str, Array],
    fallbacks: Mapping[str, str],
    names: dict[tuple[int, int], str],
) -> None:
    for page in pdf.pages:
        annotations = page.obj.get("/Annots")
        if annotations is None:
            continue
        kept = []
        for annotation in annotations:
            action = annotation.get("/A", Dictionary())
            uri = str(action.get("/URI", ""))
            if annotation.get("/Subtype") == "/Link" and uri.startswith(prefix):
                anchor = uri.removeprefix(prefix)
                if anchor in destinations:
                    del annotation["/A"]
                    annotation.Dest = destinations[anchor]
                    names[annotation.objgen] = anchor
                elif anchor in fallbacks:
                    action.URI = String(fallbacks[anchor])
                    annotation.Contents = String(fallbacks[anchor])
                else:
                    continue  # nowhere to go: the text stays, the link goes
            kept.append(annotation)
        page.obj.Annots = Array(kept)


def _describe_links(pdf: pikepdf.Pdf, names: Mapping[tuple[int, int], str], labels: Mapping[str, str]) -> None:
    """Each link's `/Contents`, its description for assistive technology: the label of the anchor it goes
    to, else the page; a link out keeps its address (WeasyPrint's)."""
    numbers = {page.obj.objgen: number for number, page in enumerate(pdf.pages, start=1)}
    for annotation in _links(pdf.pages):
        target = annotation.get("/Dest")
        if isinstance(target, Array):
            label = labels.get(names.get(annotation.objgen, ""))
            annotation.Contents = String(label or f"Aller à la page {numbers[target[0].objgen]}")
        elif "/Contents" not in annotation and "/URI" in annotation.get("/A", Dictionary()):
            annotation.Contents = String(str(annotation.A.URI))


class _Structure:
    """The documents' structure trees joined into one, under one `Document` element.

    Each page's `/StructParents` and each annotation's `/StructParent` is a key of the parent tree,
    which maps the page's marked-content ids to their elements, and the annotation to its `Link`
    element. Each document numbers them from 0: they are numbered again across the whole PDF (pages
    first, then annotations). The marked-content ids are per page and stay as they are; the elements'
    `/Pg` and `/Obj` references follow their pages and annotations, which pikepdf copied before them.
    """

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self.root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        self.document = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=self.root, K=Array()))
        self.root.K = Array([self.document])
        self.part: tuple[str | None, pikepdf.Object] = (None, self.document)
        self.pages: dict[int, pikepdf.Object] = {}  # page index → its marked content's elements, by id
        self.annotations: dict[tuple[int, int], pikepdf.Object] = {}  # annotation → its element
        self.role_map = Dictionary()
        self.class_map = Dictionary()

    def add(self, source: pikepdf.Pdf, start: int, section: Section) -> None:
        """The structure of `source`, whose pages are now `pdf.pages[start:]`."""
        root = source.Root.get("/StructTreeRoot")
        if root is None:
            raise ValueError("a document to assemble is not tagged (WeasyPrint's pdf_tags)")
        parents = dict(pikepdf.NumberTree(root.ParentTree).items())
        for index, page in enumerate(source.pages, start=start):
            copied = self.pdf.pages[index].obj
            # Copied whole (one copy, not one per element), its elements mapped to those already copied.
            self.pages[index] = self.pdf.copy_foreign(source.make_indirect(parents[int(page.obj.StructParents)]))
            for annotation in copied.get("/Annots", Array()):
                if "/StructParent" in annotation:
                    element = parents[int(annotation.StructParent)]
                    self.annotations[annotation.objgen] = self.pdf.copy_foreign(element)
        for name, mapping in (("/RoleMap", self.role_map), ("/ClassMap", self.class_map)):
            for key, value in root.get(name, Dictionary()).items():
                mapping[key] = self.pdf.copy_foreign(value) if value.is_indirect else value
        (top,) = root.K if isinstance(root.K, Array) else [root.K]
        del top["/P"]  # the source's root and parent tree stay behind
        pieces = list(self.pdf.copy_foreign(top).K)  # the body wrapper, one piece a page
        if section.part != self.part[0]:
            parent: pikepdf.Object = self.document
            if section.part is not None:
                parent = self.pdf.make_indirect(
                    Dictionary(Type=Name.StructElem, S=Name.Part, T=String(section.part), P=self.document, K=Array())
                )
                self.document.K.append(parent)
            self.part = (section.part, parent)
        parent = self.part[1]
        for element in _joined(pieces, section.depth):
            element.P = parent
            parent.K.append(element)

    def finish(self) -> None:
        """The parent tree, once the links that stay are known."""
        tree = pikepdf.NumberTree.new(self.pdf)
        for index, page in enumerate(self.pdf.pages):
            page.obj.StructParents = index
            page.obj.Tabs = Name.S  # the tab order follows the structure
            tree[index] = self.pages[index]
        key = len(self.pdf.pages)
        kept = set()
        for annotation in _links(self.pdf.pages):
            element = self.annotations.get(annotation.objgen)
            if element is not None:
                annotation.StructParent = key
                tree[key] = element
                kept.add(annotation.objgen)
                key += 1
        for objgen, element in self.annotations.items():
            if objgen not in kept:  # a link removed (its target is in no edition): its text stays, untagged as link
                element.K = Array(
                    [
                        kid
                        for kid in element.K
                        if not (
                            isinstance(kid, Dictionary) and kid.get("/Type") == "/OBJR" and kid.Obj.objgen == objgen
                        )
                    ]
                )
        self.root.ParentTree = tree.obj
        self.root.ParentTreeNextKey = key
        if self.role_map:
            self.root.RoleMap = self.role_map
        if self.class_map:
            self.root.ClassMap = self.class_map
        self.pdf.Root.StructTreeRoot = self.root
        self.pdf.Root.MarkInfo = Dictionary(Marked=True)


def _joined(pieces: list[pikepdf.Object], depth: int) -> list[pikepdf.Object]:
    """The kids of one element cut into `pieces` by pages; with `depth` > 1, those kids are themselves the
    pieces of one element, joined into one (unless one holds marked content of its own, tied to its page)."""
    kids = [kid for piece in pieces for kid in piece.K]
    if depth <= 1 or not kids or not all(isinstance(kid, Dictionary) and "/S" in kid for kid in kids):
        return kids
    if any(not all(isinstance(k, Dictionary) and "/S" in k for k in kid.K) for kid in kids):
        return kids
    element = kids[0]
    element.K = Array(_joined(kids, depth - 1))
    for kid in element.K:
        kid.P = element
    return [element]


def tidy_structure(document: bytes) -> bytes:
    """A part's structure tree, with what WeasyPrint 70 tags against the PDF/UA rules put right.

    - A definition list's `<div><dt>…</dt><dd>…</dd></div>` is tagged `L` › `Div` › two `LI` › `LBody`:
      it becomes one `LI` whose `Lbl` is the term and `LBody` the definition; any other `Div` straight
      under an `L` gives way to its `LI`s.
    - A link that draws its own `::before`/`::after` (the dot leader and page number of the contents) is
      tagged as `Link`s nested in each other: their marked content and annotations join the outer one.
    - Each run of text is a `Span` of its own: a `Span` that says nothing more (no language, no
      alternative) gives its marked content to its paragraph, heading or list item (2 elements in 5 fewer).

    Run once per part, when it is laid out (the cache keeps the result), not on every assembly.
    """
    pdf = pikepdf.open(io.BytesIO(document))
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return document
    parents = pikepdf.NumberTree(root.ParentTree)
    pages = {page.obj.objgen: int(page.obj.StructParents) for page in pdf.pages}
    stack = [root]
    while stack:
        element = stack.pop()
        if not isinstance(element.get("/K"), Array):
            continue
        if element.get("/S") == "/L":
            element.K = Array(_list_items(element))
        elif element.get("/S") == "/Link":
            element.K = Array(_link_content(element, element, parents, pages))
        elif str(element.get("/S")) in TEXT_HOLDERS:
            element.K = Array(_without_plain_spans(element, parents, pages))
        stack.extend(kid for kid in element.K if _is(kid, None))
    output = io.BytesIO()
    pdf.save(output, deterministic_id=True)
    return output.getvalue()


def _is(kid: pikepdf.Object, tag: str | None) -> bool:
    """Whether `kid` is a structure element (of type `tag`)."""
    return isinstance(kid, Dictionary) and "/S" in kid and (tag is None or str(kid.S) == tag)


TEXT_HOLDERS = {
    "/P",
    "/H1",
    "/H2",
    "/H3",
    "/H4",
    "/H5",
    "/H6",
    "/Lbl",
    "/LBody",
    "/Caption",
    "/TH",
    "/TD",
    "/NonStruct",
    "/Span",
    "/BlockQuote",
    "/Note",
}
PLAIN_SPAN = {"/Type", "/S", "/K", "/P", "/Pg"}  # a Span with these keys only tells nothing about its text


def _without_plain_spans(
    element: pikepdf.Object, parents: pikepdf.NumberTree, pages: Mapping[tuple[int, int], int]
) -> list[pikepdf.Object]:
    content = []
    for kid in element.K:
        if (
            _is(kid, "/Span")
            and set(kid.keys()) <= PLAIN_SPAN
            and len(kid.K) == 1
            and isinstance(kid.K[0], int)
            and "/Pg" in kid
        ):
            mcid = int(kid.K[0])
            parents[pages[kid.Pg.objgen]][mcid] = element
            same_page = "/Pg" in element and kid.Pg.objgen == element.Pg.objgen
            kid = mcid if same_page else Dictionary(Type=Name.MCR, Pg=kid.Pg, MCID=mcid)
        content.append(kid)
    return content


def _list_items(element: pikepdf.Object) -> list[pikepdf.Object]:
    items = []
    for kid in element.K:
        if not _is(kid, "/Div") or not all(_is(k, "/LI") for k in kid.K):
            items.append(kid)
        elif len(kid.K) == 2 and all(len(k.K) == 1 and _is(k.K[0], "/LBody") for k in kid.K):
            term, definition = kid.K[0].K[0], kid.K[1].K[0]
            term.S = Name.Lbl
            kid.S = Name.LI
            kid.K = Array([term, definition])
            term.P = definition.P = kid
            items.append(kid)
        else:
            for item in kid.K:
                item.P = element
                items.append(item)
    return items


def _link_content(
    link: pikepdf.Object, element: pikepdf.Object, parents: pikepdf.NumberTree, pages: Mapping[tuple[int, int], int]
) -> list[pikepdf.Object]:
    """The content of `element` and of the links nested in it, all owned by `link`."""
    content = []
    for kid in element.K:
        if _is(kid, "/Link"):
            content += _link_content(link, kid, parents, pages)
            continue
        if element is not link:  # the parent tree now names the outer link
            if isinstance(kid, int) or kid.get("/Type") == "/MCR":
                mcid, page = (int(kid), element.Pg) if isinstance(kid, int) else (int(kid.MCID), kid.Pg)
                parents[pages[page.objgen]][mcid] = link
                if isinstance(kid, int) and page.objgen != link.Pg.objgen:
                    kid = Dictionary(Type=Name.MCR, Pg=page, MCID=mcid)
            elif kid.get("/Type") == "/OBJR":
                parents[int(kid.Obj.StructParent)] = link
        content.append(kid)
    return content


def _outline_items(bookmarks: Sequence[Bookmark], destinations: Mapping[str, Array]) -> list[OutlineItem]:
    items = []
    for bookmark in bookmarks:
        item = OutlineItem(bookmark.title, destinations[bookmark.anchor])
        item.children.extend(_outline_items(bookmark.children, destinations))
        items.append(item)
    return items


def _stamp(pdf: pikepdf.Pdf, stamp: Stamp) -> None:
    """The running header and "page X / Y", drawn by reportlab on a page of their own laid over each page."""
    # A new font object for each PDF: reportlab numbers a subset's characters in the order a document uses
    # them, in a state a later document could inherit; the same pages must always make the same PDF.
    pdfmetrics.registerFont(TTFont("Recueil-Entete", str(stamp.font)))
    total = len(pdf.pages)
    buffer = io.BytesIO()
    # invariant: no date or random id, so that the same pages make the same PDF.
    canvas = Canvas(buffer, pagesize=A4, invariant=1, initialFontName="Recueil-Entete", initialFontSize=8)
    stamped = [index for index, header in enumerate(stamp.headers) if header is not None]
    for index in stamped:
        canvas.setFont("Recueil-Entete", 8)
        canvas.setFillColorRGB(0x55 / 255, 0x55 / 255, 0x55 / 255)
        canvas.drawString(SIDE, HEADER_BASELINE, stamp.headers[index])
        canvas.drawRightString(A4[0] - SIDE, HEADER_BASELINE, stamp.title)
        canvas.setFillColorRGB(0x33 / 255, 0x33 / 255, 0x33 / 255)
        canvas.drawCentredString(A4[0] / 2, FOOTER_BASELINE, f"page {index + 1} / {total}")
        canvas.showPage()
    canvas.save()
    overlay = pikepdf.open(io.BytesIO(buffer.getvalue()))
    # Drawn over each page under a fixed name (pikepdf's add_overlay picks a random one: the same pages
    # would not make the same PDF), the page's own drawing state put back first; both streams are shared.
    # Marked as a pagination artifact: not part of the text that assistive technology reads.
    before = pdf.make_indirect(pdf.make_stream(b"q\n"))
    after = pdf.make_indirect(
        pdf.make_stream(f"\nQ\n/Artifact <</Type /Pagination>> BDC\nq {STAMP} Do Q\nEMC\n".encode())
    )
    for index, stamp_page in zip(stamped, overlay.pages, strict=True):
        page = pdf.pages[index]
        # The pages of one document share their resources: each page gets its own dictionaries.
        resources = Dictionary({str(k): v for k, v in page.obj.get("/Resources", Dictionary()).items()})
        xobjects = Dictionary({str(k): v for k, v in resources.get("/XObject", Dictionary()).items()})
        xobjects[STAMP] = pdf.copy_foreign(stamp_page.as_form_xobject())
        resources.XObject = xobjects
        page.obj.Resources = resources
        page.contents_add(before, prepend=True)
        page.contents_add(after, prepend=False)


def _number(value: pikepdf.Object) -> float:
    number = float(value)
    return int(number) if number.is_integer() else number


def _widths(array: pikepdf.Object) -> dict[int, float]:
    """The glyph widths of a CIDFont's /W array: `c [w1 … wn]` or `first last w`."""
    items = list(array)
    widths: dict[int, float] = {}
    position = 0
    while position < len(items):
        first = int(items[position])
        if isinstance(items[position + 1], Array):
            widths.update((first + n, _number(w)) for n, w in enumerate(items[position + 1]))
            position += 2
        else:
            widths.update((cid, _number(items[position + 2])) for cid in range(first, int(items[position + 1]) + 1))
            position += 3
    return widths


def _width_array(widths: Mapping[int, float]) -> Array:
    """/W for these widths: one `c [w1 … wn]` per run of consecutive glyphs."""
    items: list[object] = []
    for cid in sorted(widths):
        if items and cid - 1 in widths and isinstance(items[-1], list):
            items[-1].append(widths[cid])
        else:
            items += [cid, [widths[cid]]]
    return Array([Array(item) if isinstance(item, list) else item for item in items])


BFCHAR = re.compile(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]*)>")
CMAP_HEAD = (
    b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo\n<< /Registry (Adobe)\n"
    b"/Ordering (UCS)\n/Supplement 0\n>> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
    b"1 begincodespacerange\n<0000> <ffff>\nendcodespacerange\n"
)
CMAP_TAIL = b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"


def _to_unicode(cmap: bytes) -> dict[int, bytes] | None:
    """The glyph → text pairs of a ToUnicode CMap as WeasyPrint writes it (bfchar only), else None."""
    if b"beginbfrange" in cmap:
        return None
    return {int(glyph, 16): text for glyph, text in BFCHAR.findall(cmap)}


def _cmap(pairs: Mapping[int, bytes]) -> bytes:
    glyphs = sorted(pairs)
    chunks = [glyphs[i : i + 100] for i in range(0, len(glyphs), 100)]  # at most 100 entries a block
    body = b"".join(
        f"{len(chunk)} beginbfchar\n".encode()
        + b"".join(b"<%04x> <%s>\n" % (glyph, pairs[glyph]) for glyph in chunk)
        + b"endbfchar\n"
        for chunk in chunks
    )
    return CMAP_HEAD + body + CMAP_TAIL


def _share_fonts(pdf: pikepdf.Pdf, fonts: Mapping[tuple[str, bool], Path]) -> None:
    """One font dictionary per face and one font file per file for the whole PDF, not one per document.

    Each document has its own subset of each face. WeasyPrint keeps the font's glyph ids when it subsets
    (CIDToGIDMap /Identity), so one subset of the original file holding every glyph used, with the union
    of the widths and of the text mappings, serves the font dictionaries of every document.
    """
    faces: dict[str, list[pikepdf.Object]] = {}
    for font in pdf.objects:
        if isinstance(font, Dictionary) and font.get("/Subtype") == "/Type0" and "/DescendantFonts" in font:
            faces.setdefault(str(font.BaseFont).partition("+")[2], []).append(font)
    merged = []  # (members, file, widths, text of each glyph)
    for face, members in faces.items():
        cid_fonts = [font.DescendantFonts[0] for font in members]
        family = str(cid_fonts[0].FontDescriptor.get("/FontFamily", ""))
        path = fonts.get((family, "Bold" in face.removeprefix(family.replace(" ", "-"))))
        maps = [_to_unicode(font.ToUnicode.read_bytes()) if "/ToUnicode" in font else None for font in members]
        if (
            path is None
            or any(m is None for m in maps)
            or any(f.get("/CIDToGIDMap") != "/Identity" or "/FontFile2" not in f.FontDescriptor for f in cid_fonts)
        ):
            continue  # not one of ours: each document keeps its own font
        widths: dict[int, float] = {}
        pairs: dict[int, bytes] = {}
        for cid_font, mapping in zip(cid_fonts, maps, strict=True):
            widths.update(_widths(cid_font.get("/W", Array())))
            pairs.update(mapping or {})
        merged.append((members, path, widths, pairs))
    glyphs: dict[Path, set[int]] = {}
    for _, path, widths, _ in merged:  # a synthetic oblique face uses the upright face's file
        glyphs.setdefault(path, {0}).update(widths)
    programs = {path: _subset_program(pdf, path, used) for path, used in glyphs.items()}
    for members, path, widths, pairs in merged:
        shared = members[0].DescendantFonts[0]
        shared.W = _width_array(widths)
        shared.FontDescriptor.FontFile2 = programs[path]
        to_unicode = pdf.make_stream(_cmap(pairs))
        for font in members:  # the documents' own font objects are no longer referenced: not saved
            font.DescendantFonts = Array([shared])
            font.ToUnicode = to_unicode


def _subset_program(pdf: pikepdf.Pdf, path: Path, glyphs: set[int]) -> pikepdf.Stream:
    options = subset.Options(retain_gids=True, hinting=False, notdef_outline=True, glyph_names=False)
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "FFTM"]
    font_file = subset.load_font(io.BytesIO(path.read_bytes()), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=sorted(glyphs))
    subsetter.subset(font_file)
    data = io.BytesIO()
    font_file.save(data)
    program = pdf.make_stream(data.getvalue())
    program.Length1 = len(data.getvalue())
    return program


def _pdf_date(day: dt.date) -> str:
    return f"D:{day:%Y%m%d}000000Z"


def _set_metadata(pdf: pikepdf.Pdf, metadata: Metadata) -> None:
    info = Dictionary(
        Title=String(metadata.title),
        Author=String(metadata.author),
        Subject=String(metadata.subject),
        Keywords=String(metadata.keywords),
        Creator=String("Recueil de bonnes pratiques"),
        Producer=String(f"WeasyPrint, reportlab, pikepdf {pikepdf.__version__}"),
    )
    if metadata.modified:
        info.ModDate = String(_pdf_date(metadata.modified))
    pdf.docinfo = pdf.make_indirect(info)
    pdf.Root.Lang = String(metadata.language)
    pdf.Root.PageMode = Name.UseOutlines  # open with the bookmarks shown
    pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)  # the title, not the file name
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        xmp.load_from_docinfo(pdf.docinfo)
        xmp["dc:language"] = [metadata.language]
