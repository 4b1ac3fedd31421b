"""The compendium PDFs are tagged: their structure tree read back with pikepdf and poppler's pdfinfo.

They share the fixture site's build with tests/test_compendium.py. What a screen reader relies on: one
structure tree in reading order with a parent tree that matches every page's marked content, headings
for the sheets, a described link for every link annotation, text alternatives for the QR codes, and
the running header and page numbers left out of the text as artifacts.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name

from conftest import CORPUS, Build
from recueil.index import build_index
from recueil.load.collection import load_collection
from recueil.printing.book import QR_ALT, CompendiumOptions, build_compendium

COMPENDIUM = build_compendium(build_index(load_collection(CORPUS / "valid")), CompendiumOptions())
TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}


def _pdfs(build: Build) -> list[Path]:
    paths = sorted(build.site.glob("recueil*.pdf"))
    if not paths:
        pytest.skip("the PDFs were not built: WeasyPrint's Debian libraries are missing (scripts/system-deps.sh)")
    return paths


def _recueil(build: Build) -> pikepdf.Pdf:
    return pikepdf.open(next(p for p in _pdfs(build) if p.name == "recueil.pdf"))


def _kids(element: pikepdf.Object) -> list[pikepdf.Object]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _elements(element: pikepdf.Object) -> Iterator[pikepdf.Object]:
    """The structure elements under `element`, in the tree's (reading) order."""
    for kid in _kids(element):
        if isinstance(kid, Dictionary) and "/S" in kid:
            yield kid
            yield from _elements(kid)


def _parent_tree(pdf: pikepdf.Pdf) -> list[tuple[int, pikepdf.Object]]:
    """Every (key, value) of the number tree, walked by hand so that a repeated key would show."""
    entries: list[tuple[int, pikepdf.Object]] = []

    def walk(node: pikepdf.Object) -> None:
        nums = list(node.get("/Nums", Array()))
        entries.extend((int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2))
        for kid in node.get("/Kids", Array()):
            walk(kid)

    walk(pdf.Root.StructTreeRoot.ParentTree)
    return entries


def test_every_pdf_is_marked_in_french_with_one_document_element(fixture_site: Build) -> None:
    for path in _pdfs(fixture_site):
        with pikepdf.open(path) as pdf:
            assert pdf.Root.MarkInfo.Marked is True, path.name
            assert str(pdf.Root.Lang) == "fr"
            assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
            root = pdf.Root.StructTreeRoot
            assert root.Type == Name.StructTreeRoot
            (document,) = _kids(root)
            assert document.S == "/Document" and document.P.objgen == root.objgen
            # Not claimed: WeasyPrint's trees are not PDF/UA-1 yet (see the README).
            with pdf.open_metadata() as xmp:
                assert "pdfuaid:part" not in str(xmp)
        if shutil.which("pdfinfo"):
            info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
            assert "Tagged:          yes" in info


def test_the_parent_tree_matches_every_pages_marked_content(fixture_site: Build) -> None:
    for path in _pdfs(fixture_site):
        with pikepdf.open(path) as pdf:
            entries = _parent_tree(pdf)
            keys = [key for key, _ in entries]
            assert len(keys) == len(set(keys)), f"{path.name}: a key repeats in the parent tree"
            assert int(pdf.Root.StructTreeRoot.ParentTreeNextKey) > max(keys)
            tree = dict(entries)
            for number, page in enumerate(pdf.pages, start=1):
                elements = tree[int(page.obj.StructParents)]
                assert isinstance(elements, Array)
                mcids = [
                    int(operands[1].MCID)
                    for operands, operator in pikepdf.parse_content_stream(page)
                    if operator == pikepdf.Operator("BDC")
                    and isinstance(operands[1], Dictionary)
                    and "/MCID" in operands[1]
                ]
                assert mcids and sorted(mcids) == list(range(len(elements))), f"{path.name} page {number}"
                for mcid in mcids:  # its element holds it: on its own page, or by reference to this one
                    element = elements[mcid]
                    held = [(element.Pg.objgen, int(k)) for k in _kids(element) if isinstance(k, int)]
                    held += [
                        (k.Pg.objgen, int(k.MCID))
                        for k in _kids(element)
                        if isinstance(k, Dictionary) and k.get("/Type") == "/MCR"
                    ]
                    assert (page.obj.objgen, mcid) in held, f"{path.name} page {number}, id {mcid}"


def test_every_link_is_described_and_tagged(fixture_site: Build) -> None:
    for path in _pdfs(fixture_site):
        with pikepdf.open(path) as pdf:
            tree = dict(_parent_tree(pdf))
            links = [a for page in pdf.pages for a in page.obj.get("/Annots", Array()) if a.Subtype == Name.Link]
            assert links
            for annotation in links:
                assert str(annotation.get("/Contents", "")).strip(), f"{path.name}: a link without /Contents"
                element = tree[int(annotation.StructParent)]
                assert element.S == "/Link"
                assert annotation.objgen in [
                    k.Obj.objgen for k in _kids(element) if isinstance(k, Dictionary) and k.get("/Type") == Name.OBJR
                ]
                if "/A" in annotation:  # a link out says its address
                    assert str(annotation.Contents) == str(annotation.A.URI)
                else:
                    assert not str(annotation.Contents).startswith("recueil:")
    with _recueil(fixture_site) as pdf:
        described = {str(a.Contents) for page in pdf.pages for a in page.obj.get("/Annots", Array())}
    # The contents page links to every sheet, and says which.
    for sheet in COMPENDIUM.sheets:
        assert f"Aller à la fiche : {sheet.practice.titre}" in described


def test_every_page_tabs_in_structure_order(fixture_site: Build) -> None:
    for path in _pdfs(fixture_site):
        with pikepdf.open(path) as pdf:
            assert all(page.obj.get("/Tabs") == Name.S for page in pdf.pages), path.name


def _text_outside_marked_content(pdf: pikepdf.Pdf, page: pikepdf.Page) -> list[str]:
    """What shows text on the page outside any marked content, or from a form drawn outside an artifact."""
    problems = []
    stack: list[str] = []
    forms = page.obj.get("/Resources", Dictionary()).get("/XObject", Dictionary())
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name in {"BDC", "BMC"}:
            stack.append(str(operands[0]))
        elif name == "EMC":
            stack.pop()
        elif name in TEXT_OPERATORS and not stack:
            problems.append(f"{name} {operands}")
        elif name == "Do" and forms[operands[0]].Subtype == Name.Form and "/Artifact" not in stack:
            shown = [op for _, op in pikepdf.parse_content_stream(forms[operands[0]]) if str(op) in TEXT_OPERATORS]
            if shown:
                problems.append(f"{operands[0]} Do outside an artifact")
    assert not stack, "marked content left open"
    return problems


def test_no_text_lies_outside_marked_content_and_the_margins_are_artifacts(fixture_site: Build) -> None:
    for path in _pdfs(fixture_site):
        with pikepdf.open(path) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                assert not _text_outside_marked_content(pdf, page), f"{path.name} page {number}"
            # The running header and "page X / Y" (every page but the cover) are pagination artifacts.
            for page in pdf.pages[1:]:
                instructions = [(str(op), operands) for operands, op in pikepdf.parse_content_stream(page)]
                stamp = next(
                    i
                    for i, (op, operands) in enumerate(instructions)
                    if op == "Do" and operands[0] == Name("/RecueilMarges")
                )
                opening = max(i for i, (op, _) in enumerate(instructions[:stamp]) if op in {"BDC", "BMC"})
                tag, properties = instructions[opening][1]
                assert tag == Name.Artifact and properties.Type == Name.Pagination
                assert "EMC" not in [op for op, _ in instructions[opening + 1 : stamp]]


def _struct_text(build: Build) -> str:
    """The structure tree of recueil.pdf with its text, as poppler reads it."""
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo is missing: install poppler-utils (scripts/system-deps.sh)")
    pdf = build.site / "recueil.pdf"
    output = subprocess.run(["pdfinfo", "-struct-text", str(pdf)], capture_output=True, check=True).stdout
    return output.decode("utf-8", "replace")


def _headings(build: Build) -> list[tuple[str, str]]:
    """(level, text) of each heading in the tree."""
    headings: list[tuple[str, str, int]] = []
    for line in _struct_text(build).splitlines():
        indent = len(line) - len(line.lstrip())
        word = line.strip().split(" ")[0]
        if word in {"H1", "H2", "H3", "H4", "H5", "H6"}:
            headings.append((word, "", indent))
        elif headings and line.strip().startswith('"') and indent > headings[-1][2]:
            level, text, at = headings[-1]
            headings[-1] = (level, f"{text} {line.strip()[1:-1]}", at)
        elif headings and indent <= headings[-1][2]:
            headings.append(("", "", indent))  # the heading has ended
    return [(level, " ".join(text.split())) for level, text, _ in headings if level]


def test_every_sheet_title_is_a_heading_in_page_order(fixture_site: Build) -> None:
    headings = _headings(fixture_site)
    assert headings[0] == ("H1", COMPENDIUM.options.title)
    parts = [text for level, text in headings if level == "H2"]
    assert parts == [title for _, title in COMPENDIUM.parts]
    titles = [
        text for level, text in headings if level == "H3" and text in {s.practice.titre for s in COMPENDIUM.sheets}
    ]
    assert titles == [s.practice.titre for s in COMPENDIUM.sheets]
    # In the tree in page order: each sheet's heading on the page its named destination opens.
    with _recueil(fixture_site) as pdf:
        numbers = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
        destinations = pikepdf.NameTree(pdf.Root.Names.Dests)
        pages = [numbers[e.Pg.objgen] for e in _elements(pdf.Root.StructTreeRoot) if e.S == Name.H3]
        assert pages == sorted(pages)
        sheets = {numbers[destinations[f"p-{s.practice.slug}"][0].objgen] for s in COMPENDIUM.sheets}
        assert sheets <= set(pages)
        # Each chapter is a part holding its opening and one article per sheet.
        chapters = [e for e in _kids(_kids(pdf.Root.StructTreeRoot)[0]) if e.S == "/Part"]
        assert [str(e.T) for e in chapters] == [c.theme.libelle for c in COMPENDIUM.chapters]
        for element, chapter in zip(chapters, COMPENDIUM.chapters, strict=True):
            assert [k.S for k in _kids(element)] == [Name.Sect] + [Name.Art] * len(chapter.sheets)


def test_qr_codes_are_figures_with_a_text_alternative(fixture_site: Build) -> None:
    with _recueil(fixture_site) as pdf:
        figures = [e for e in _elements(pdf.Root.StructTreeRoot) if e.S == "/Figure"]
    assert figures and all(str(e.get("/Alt", "")).strip() for e in figures)
    assert sum(str(e.Alt) == QR_ALT for e in figures) == len(COMPENDIUM.sheets)


def test_lists_hold_items_and_links_do_not_nest(fixture_site: Build) -> None:
    with _recueil(fixture_site) as pdf:
        elements = list(_elements(pdf.Root.StructTreeRoot))
        lists = [e for e in elements if e.S == "/L"]
        assert lists
        for element in lists:  # a nested list sits in its parent list (WeasyPrint's choice)
            assert {str(k.S) for k in _kids(element) if isinstance(k, Dictionary) and "/S" in k} <= {"/LI", "/L"}
        for link in (e for e in elements if e.S == "/Link"):
            assert not any(isinstance(k, Dictionary) and k.get("/S") == "/Link" for k in _kids(link))
    # The sheet's « Nature : … » list: one item per term, the term as label, the value as body.
    tree = _struct_text(fixture_site)
    terms = re.findall(r'\n( +)LI \(block\)\n\1  Lbl \(block\)\n(?: +Span \(inline\)\n)? +"Nature"', tree)
    assert len(terms) == len(COMPENDIUM.sheets)
