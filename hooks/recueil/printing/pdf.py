"""Render the compendium as PDF: the whole collection and one edition per theme.

A sheet prints the same in every edition and whatever its page number, so each sheet is a WeasyPrint
document of its own: laid out once for all editions, in parallel processes, and kept in a cache on disk
under the hash of its HTML, so that a rebuild lays out only the sheets that changed. The parts that
print page numbers (contents, recommendations, chapter openings, keyword index) are laid out once the
sheets' lengths are known, and again until their own lengths settle (this module). `layout.py` lays out
one document, `cache.py` keeps them across builds, `pool.py` runs the layouts in parallel, and
`assembly.py` then puts the pages together, stamps the running header and "page X / Y", resolves the
links and bookmarks and joins the structure trees.

No MkDocs here, so the site build (after the pages exist) and `make pdf` (without a site) share it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from recueil.format.vocabulary import vocabularies
from recueil.index import Index, build_index
from recueil.load.collection import load_collection
from recueil.printing.assembly import Bookmark, Metadata, Section, Stamp, assemble
from recueil.printing.book import Compendium, CompendiumOptions, build_compendium, online_url, pdf_name
from recueil.printing.cache import CACHE_FOLDER
from recueil.printing.compendium import PDF_LINK, pdf_parts, pdf_sheet, pdf_sources
from recueil.printing.layout import FONT_DIR, FONTS, HEADER_FONT, Part, PdfError
from recueil.printing.pool import Renderer, renderer

MAX_ROUNDS = 5  # layouts of the numbered parts before their lengths must have settled


class _Edition:
    """One PDF being laid out: its sheets, and its numbered parts from the latest round."""

    def __init__(self, compendium: Compendium, sheets: dict[str, Part], numbered: list[Part], sources: Part) -> None:
        self.compendium = compendium
        self.sheets = sheets
        self.numbered = numbered  # the opening parts, each chapter's opening, the keyword index
        self.sources = sources

    def parts(self) -> list[Part]:
        """Every document in print order."""
        opening, *chapters, keywords = self.numbered
        parts = [opening]
        for chapter, chapter_opening in zip(self.compendium.chapters, chapters, strict=True):
            parts += [chapter_opening, *(self.sheets[sheet.practice.slug] for sheet in chapter.sheets)]
        return [*parts, keywords, self.sources]

    def sections(self) -> list[Section]:
        """Where each document of `parts()` goes in the structure tree: each chapter is a `Part` holding its
        opening's section and its sheets' articles (the body wrapper's single child, joined across pages)."""
        sections = [Section(part=None)]
        for chapter in self.compendium.chapters:
            sections += [Section(part=chapter.theme.libelle, depth=2)] * (1 + len(chapter.sheets))
        return [*sections, Section(part=None, depth=2), Section(part=None, depth=2)]

    def link_labels(self) -> dict[str, str]:
        """What a link says it goes to, by anchor: a sheet, a part, a keyword of the index."""
        c = self.compendium
        labels = {anchor: f"Aller à la partie : {title}" for anchor, title in c.parts}
        labels.update((f"mc-{k.slug}", f"Aller au mot-clé « {k.label} » de l'index") for k in c.keywords)
        labels.update((f"p-{s.practice.slug}", f"Aller à la fiche : {s.practice.titre}") for s in c.sheets)
        return labels

    def pages(self) -> list[tuple[str, ...]]:
        """The ids on each page of the edition."""
        return [page for part in self.parts() for page in part.anchors]

    def numbers(self) -> dict[str, int]:
        numbers: dict[str, int] = {}
        for number, anchors in enumerate(self.pages(), start=1):
            for anchor in anchors:
                numbers.setdefault(anchor, number)
        return numbers

    def headers(self) -> list[str | None]:
        """The running header of each page: the part it is in (none on the cover)."""
        titles = dict(self.compendium.parts)
        headers: list[str | None] = []
        current: str | None = None
        for anchors in self.pages():
            current = next((titles[a] for a in anchors if a in titles), current)
            headers.append(current)
        return [None, *headers[1:]]

    def bookmarks(self) -> list[Bookmark]:
        """One per part; under each theme, one per sheet."""
        chapters = {f"theme-{chapter.theme.id}": chapter for chapter in self.compendium.chapters}
        return [
            Bookmark(
                title=title,
                anchor=anchor,
                children=tuple(
                    Bookmark(title=sheet.practice.titre, anchor=f"p-{sheet.practice.slug}")
                    for sheet in (chapters[anchor].sheets if anchor in chapters else ())
                ),
            )
            for anchor, title in self.compendium.parts
        ]

    def render(self) -> bytes:
        c = self.compendium
        fallbacks = {f"p-{p.slug}": url for p in c.index.practices if (url := online_url(p, c.options))}
        metadata = Metadata(
            title=c.title,
            author=c.options.author,
            subject=c.options.subtitle,
            keywords=", ".join(chapter.theme.libelle for chapter in c.chapters),
            language="fr",
            modified=c.edition,
        )
        return assemble(
            [part.pdf for part in self.parts()],
            sections=self.sections(),
            link_labels=self.link_labels(),
            stamp=Stamp(headers=self.headers(), title=c.options.title, font=FONT_DIR / HEADER_FONT),
            bookmarks=self.bookmarks(),
            link_scheme=PDF_LINK.removesuffix(":"),
            fallbacks=fallbacks,
            metadata=metadata,
            fonts={face: FONT_DIR / file for face, file in FONTS.items()},
        )


def render_pdfs(compendiums: Sequence[Compendium], rendering: Renderer) -> list[bytes]:
    """The PDF of each compendium; the sheets they share are laid out once."""
    sheets: dict[str, str] = {}
    for c in compendiums:
        for sheet in c.sheets:
            sheets.setdefault(sheet.practice.slug, pdf_sheet(c, sheet))
    # First round, with the sheets and the sources: the numbered parts with placeholder numbers, to learn
    # their lengths.
    drafts = [[*pdf_parts(c, None), pdf_sources(c)] for c in compendiums]
    parts = rendering.layout([*sheets.values(), *(html for draft in drafts for html in draft)])
    laid_out = dict(zip(sheets, parts[: len(sheets)], strict=True))
    rest = iter(parts[len(sheets) :])
    editions = []
    for c, draft in zip(compendiums, drafts, strict=True):
        *numbered, sources = (next(rest) for _ in draft)
        editions.append(_Edition(c, laid_out, numbered, sources))
    unsettled = list(editions)
    for _ in range(MAX_ROUNDS):
        documents = [pdf_parts(edition.compendium, edition.numbers()) for edition in unsettled]
        rendered = iter(rendering.layout([html for edition_documents in documents for html in edition_documents]))
        settling = []
        for edition, edition_documents in zip(unsettled, documents, strict=True):
            latest = [next(rendered) for _ in edition_documents]
            if [p.anchors for p in latest] != [p.anchors for p in edition.numbered]:
                settling.append(edition)  # lengths moved: the numbers they printed may be wrong
            edition.numbered = latest
        unsettled = settling
        if not unsettled:
            rendering.close()  # the workers' memory is free before the PDFs are assembled
            return [edition.render() for edition in editions]
    titles = ", ".join(edition.compendium.title for edition in unsettled)
    raise PdfError(f"les numéros de page de « {titles} » ne se stabilisent pas après {MAX_ROUNDS} mises en page")


@dataclass(frozen=True)
class Written:
    paths: list[Path]
    laid_out: int  # documents WeasyPrint laid out for this build
    reused: int  # documents taken from the cache

    def summary(self, seconds: float) -> str:
        return (
            f"{len(self.paths)} PDF du recueil écrits en {seconds:.1f} s ({self.laid_out} documents mis en page, "
            f"{self.reused} repris de {CACHE_FOLDER})"
        )


def write_pdfs(
    index: Index,
    options: CompendiumOptions,
    directory: Path,
    *,
    cache: Path | None = None,
    workers: int | None = None,
    themes: bool = True,
) -> Written:
    """The whole compendium and one PDF per theme that has practices (`themes`), written into `directory`.

    `cache`: the folder that keeps laid-out documents between builds; `workers`: processes (default: one
    per CPU; 1 lays out in this process).
    """
    scopes: list[str | None] = [None, *(vocabularies()["themes"].ids if themes else ())]
    compendiums = [c for c in (build_compendium(index, options, theme=scope) for scope in scopes) if c.sheets]
    with renderer(cache, workers) as rendering:
        pdfs = render_pdfs(compendiums, rendering)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for compendium, pdf in zip(compendiums, pdfs, strict=True):
        path = directory / pdf_name(compendium.scope)
        path.write_bytes(pdf)
        paths.append(path)
    return Written(paths=paths, laid_out=rendering.laid_out, reused=rendering.reused)


def pdfs_from_folder(
    practices: Path,
    directory: Path,
    options: CompendiumOptions,
    *,
    cache: Path | None = None,
    workers: int | None = None,
) -> Written:
    """Check the practices folder like the site build does, then write the PDFs."""
    collection = load_collection(practices, root=practices.parent)
    if collection.errors:
        raise PdfError(
            "\n".join(str(e) for e in collection.errors)
            + f"\n{len(collection.errors)} erreur(s) dans les fiches : pas de PDF."
        )
    return write_pdfs(build_index(collection), options, directory, cache=cache, workers=workers)
