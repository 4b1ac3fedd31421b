"""The printable compendium: the /recueil/ page, the selection sheets, and the PDFs read back.

The PDF tests share the fixture site's build (one WeasyPrint run per edition for the session) and
read the files back with pypdf and poppler's pdftotext / pdftoppm.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader
from pypdf.generic import Destination, DictionaryObject

from conftest import CORPUS, ROOT, Build, mkdocs_build, pdf_available
from recueil.format.vocabulary import vocabularies
from recueil.load.collection import load_collection

VALID = load_collection(CORPUS / "valid")
PUBLISHED = {p.slug: p for p in VALID.published}
DRAFTS = [p for p in VALID.practices if p.brouillon]
THEMES = vocabularies()["themes"]
MOMENTS = vocabularies()["moments"].ids
ADDRESS = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["extra"]["recueil"]["adresse"]
SCREENSHOTS = ROOT / "build" / "compendium-screenshots"


def _pdf(build: Build, name: str = "recueil.pdf") -> Path:
    path = build.site / name
    if not path.exists():
        pytest.skip(f"{name} was not built: WeasyPrint's Debian libraries are missing (scripts/system-deps.sh)")
    return path


def _need(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is missing: install poppler-utils (scripts/system-deps.sh)")


def _flat(text: str) -> str:
    return " ".join(text.split())


@cache
def _page_texts(path: Path) -> tuple[str, ...]:
    """The text of each page (1-based position = index + 1), whitespace collapsed."""
    _need("pdftotext")
    output = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return tuple(_flat(page) for page in output.stdout.split("\f")[:-1])


def _expected_order() -> list[tuple[str, list[str]]]:
    """Themes in vocabulary order; each practice under its first theme, by earliest moment then title."""
    from recueil.index import sort_key

    chapters = []
    for theme in THEMES.ids:
        members = [p for p in PUBLISHED.values() if p.themes[0] == theme]
        members.sort(key=lambda p: (min(MOMENTS.index(m) for m in p.moments), *sort_key(p)))
        if members:
            chapters.append((theme, [p.slug for p in members]))
    return chapters


def _outline(reader: PdfReader) -> list[tuple[str, int, list[tuple[str, int]]]]:
    """(title, page number, children) of each top-level bookmark."""
    result: list[tuple[str, int, list[tuple[str, int]]]] = []
    for item in reader.outline:
        if isinstance(item, list):
            parent = result[-1]
            parent[2].extend((child.title, reader.get_destination_page_number(child) + 1) for child in item)
        else:
            assert isinstance(item, Destination)
            result.append((item.title, reader.get_destination_page_number(item) + 1, []))
    return result


# --- The site page /recueil/ -------------------------------------------------------------------------


def test_compendium_page_groups_every_published_practice_by_first_theme_and_moment(fixture_site: Build) -> None:
    page = fixture_site.page("recueil/")
    chapters = [
        (
            section["id"].removeprefix("theme-"),
            [a["id"].removeprefix("p-") for a in section.select("article.rc-fiche-imprimable")],
        )
        for section in page.select("section.rc-chapitre")
    ]
    assert chapters == _expected_order()
    assert sorted(slug for _, slugs in chapters for slug in slugs) == sorted(PUBLISHED)
    cover = page.select_one(".rc-couverture")
    assert cover.h1.get_text() == "Recueil de bonnes pratiques"
    assert f"{len(PUBLISHED)} pratiques" in cover.get_text()
    latest = max(p.last_change for p in PUBLISHED.values())
    assert cover.time["datetime"] == latest.isoformat()


def test_compendium_page_has_contents_recommendations_index_and_sources(fixture_site: Build) -> None:
    page = fixture_site.page("recueil/")
    toc = [a["href"] for a in page.select("#sommaire a")]
    assert toc[:2] == ["#introduction", "#recommandations"]
    assert [h for h in toc if h.startswith("#p-")] == [f"#p-{s}" for _, slugs in _expected_order() for s in slugs]
    recommendations = [
        r["id"].removeprefix("recommandation-") for r in page.select("#recommandations .rc-recommandation")
    ]
    assert recommendations == [r.id for r in VALID.recommendations]
    first = page.select_one("#recommandation-r01-proteger")
    assert [(div.dt.get_text(), div.dd.get_text()) for div in first.select(".rc-engagement > div")] == [
        ("Portée par", "Direction générale, Ressources humaines"),
        ("Échéance", "Immédiat"),
    ]
    assert [li.get_text() for li in first.select(".rc-indicateurs li")] == [
        "Procédure écrite diffusée à tous les encadrants",
        "Délai de réponse aux demandes suivi chaque trimestre",
    ]
    keywords = {k for p in PUBLISHED.values() for k in p.mots_cles}
    assert {dt.get_text() for dt in page.select("#index-mots-cles dt")} == keywords
    sources = {s.titre for p in PUBLISHED.values() for s in p.sources}
    assert {cite.get_text() for cite in page.select("#sources cite")} == sources
    intro = page.select_one("#introduction").get_text()
    assert "Association des DRH des grandes collectivités territoriales" in intro
    for theme in THEMES.terms:
        assert theme.libelle in intro


def test_compendium_links_are_internal_anchors_that_exist(fixture_site: Build) -> None:
    page = fixture_site.page("recueil/")
    body = page.select_one(".rc-recueil")
    ids = {node["id"] for node in page.select("[id]")}
    internal = [a["href"] for a in body.select("a[href]") if not a["href"].startswith("https://")]
    assert internal and all(href.startswith("#") for href in internal), internal
    assert {href[1:] for href in internal} <= ids
    assert len(ids) == len(page.select("[id]")), "duplicate ids on the page"


def test_each_sheet_shows_its_online_address_and_a_qr_code(fixture_site: Build) -> None:
    page = fixture_site.page("recueil/")
    for slug in PUBLISHED:
        sheet = page.find(id=f"p-{slug}")
        address = sheet.select_one("a.rc-adresse")
        assert address["href"] == address.get_text() == f"{ADDRESS}pratiques/{slug}/"
        assert sheet.select_one(".rc-qr svg path") is not None


def test_drafts_are_absent_from_every_compendium_output(fixture_site: Build) -> None:
    assert DRAFTS
    page = fixture_site.page("recueil/").get_text()
    sheets = (fixture_site.site / "recueil" / "fiches.json").read_text(encoding="utf-8")
    for draft in DRAFTS:
        assert draft.titre not in page
        assert draft.slug not in sheets
    pdf_text = " ".join(_page_texts(_pdf(fixture_site)))
    for draft in DRAFTS:
        assert _flat(draft.titre) not in pdf_text


def test_selection_sheets_are_every_published_practice_print_ready(fixture_site: Build) -> None:
    data: dict[str, Any] = json.loads((fixture_site.site / "recueil" / "fiches.json").read_text(encoding="utf-8"))
    assert sorted(data["fiches"]) == sorted(PUBLISHED)
    for slug, sheet in data["fiches"].items():
        html = BeautifulSoup(sheet["html"], "html.parser")
        assert html.select_one("h3").get_text() == PUBLISHED[slug].titre == sheet["titre"]
        # Out of the compendium, links to other sheets lead to their pages on the site.
        for link in html.select(".rc-liees a"):
            assert link["href"].startswith("../../pratiques/"), link


# --- The PDF ----------------------------------------------------------------------------------------


def test_pdf_page_count_is_plausible(fixture_site: Build) -> None:
    pages = len(PdfReader(_pdf(fixture_site)).pages)
    parts = 4 + len(_expected_order()) + 2  # cover, contents, intro, recommendations, chapters, index, sources
    assert parts + len(PUBLISHED) <= pages <= parts + 4 * len(PUBLISHED)


def test_pdf_metadata_and_language(fixture_site: Build) -> None:
    reader = PdfReader(_pdf(fixture_site))
    assert reader.metadata.title == "Recueil de bonnes pratiques"
    assert reader.metadata.author == "Contributeurs du Recueil de bonnes pratiques"
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    size = reader.pages[0].mediabox
    assert (round(float(size.width) * 25.4 / 72), round(float(size.height) * 25.4 / 72)) == (210, 297)


def _fonts(reader: PdfReader) -> list[Any]:
    """Every font dictionary of the file, the stamped header's (in a form XObject) included."""
    return [
        obj
        for number in range(1, reader.trailer["/Size"])
        if isinstance(obj := _object(reader, number), DictionaryObject)
        and obj.get("/Type") == "/Font"
        and obj.get("/Subtype") != "/Type0"
    ]  # a Type0 font is a wrapper: its CIDFont is listed too


def _object(reader: PdfReader, number: int) -> Any:
    try:
        return reader.get_object(number)
    except Exception:  # a free or compressed-away object number
        return None


def test_pdf_fonts_are_embedded_once(fixture_site: Build) -> None:
    reader = PdfReader(_pdf(fixture_site))
    fonts = _fonts(reader)
    assert fonts
    programs = set()
    for font in fonts:
        descriptor = font["/FontDescriptor"].get_object()
        files = [key for key in ("/FontFile", "/FontFile2", "/FontFile3") if key in descriptor]
        assert files, font["/BaseFont"]
        programs.add(descriptor.raw_get(files[0]).idnum)
        # Only the stylesheet's own faces (local DejaVu files) and the header's, no fallback picked by fontconfig.
        face = str(font["/BaseFont"]).partition("+")[2]
        assert face.startswith("Recueil-") or face == "DejaVuSans", face
    # Each sheet is laid out on its own, yet the PDF has one font dictionary per face and embeds each font
    # file once (an oblique face shares its upright file): the five files at most, and the header's.
    faces = [str(font["/BaseFont"]).partition("+")[2] for font in fonts]
    assert len(faces) == len(set(faces)), sorted(faces)
    assert len(programs) <= 6, len(programs)


def test_pdf_running_header_and_page_x_of_y(fixture_site: Build) -> None:
    texts = _page_texts(_pdf(fixture_site))
    total = len(texts)
    assert "page 1 /" not in texts[0] and "Recueil de bonnes pratiques" in texts[0]  # the cover: no header
    for number, text in enumerate(texts[1:], start=2):
        assert text.endswith(f"page {number} / {total}"), (number, text[-80:])
        assert text.split(" Recueil de bonnes pratiques ")[0] in {
            "Sommaire",
            "Introduction",
            "Synthèse des recommandations",
            "Index des mots-clés",
            "Sources",
            *(t.libelle for t in THEMES.terms),
        }, text[:80]
    reader = PdfReader(_pdf(fixture_site))
    for theme, children in (
        (title, children) for title, _, children in _outline(reader) if title in {t.libelle for t in THEMES.terms}
    ):
        for _, page in children:  # a sheet's pages are headed by the theme of its chapter
            assert texts[page - 1].startswith(f"{theme} Recueil de bonnes pratiques"), texts[page - 1][:80]


def _links(reader: PdfReader) -> list[tuple[int, str | int]]:
    """(page, target) of every link: a page number inside the PDF, or a URI."""
    pages = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages, start=1)}
    links: list[tuple[int, str | int]] = []
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if "/Dest" in annotation:
                links.append((number, pages[annotation["/Dest"][0].idnum]))
            elif "/A" in annotation:
                links.append((number, str(annotation["/A"]["/URI"])))
    return links


def test_pdf_links_lead_to_the_page_of_their_target(fixture_site: Build) -> None:
    reader = PdfReader(_pdf(fixture_site))
    texts = _page_texts(_pdf(fixture_site))
    links = _links(reader)
    assert not [target for _, target in links if isinstance(target, str) and not target.startswith("https://")]
    internal = [(page, target) for page, target in links if isinstance(target, int)]
    contents = [
        target for page, target in internal if texts[page - 1].split(" Recueil de bonnes pratiques ")[0] == "Sommaire"
    ]
    first_pages = {
        p.titre: number
        for _, _, children in _outline(reader)
        for p in PUBLISHED.values()
        for title, number in children
        if title == p.titre
    }
    # The contents link every sheet, to the page where it starts.
    assert set(first_pages.values()) <= set(contents)
    # recueil.pdf#p-<slug> opens a sheet: the named destinations lead to the sheets' first pages.
    names = reader.named_destinations
    for slug, practice in PUBLISHED.items():
        assert reader.get_destination_page_number(names[f"p-{slug}"]) + 1 == first_pages[practice.titre]


def _sheet_pages(reader: PdfReader, slug: str) -> range:
    """The pages of a sheet: from its first page to the page before the next bookmark's."""
    starts = sorted({page for _, page, children in _outline(reader) for page in [page, *(p for _, p in children)]})
    first = reader.get_destination_page_number(reader.named_destinations[f"p-{slug}"]) + 1
    return range(first, next((page for page in starts if page > first), len(reader.pages) + 1))


def test_related_practices_link_inside_the_pdf_or_to_their_online_page(fixture_site: Build) -> None:
    # alpha (politique RH) lists beta (relation aux usagers) among its related practices.
    whole = PdfReader(_pdf(fixture_site))
    beta = _sheet_pages(whole, "beta-accueillir")
    assert any(target == beta.start for page, target in _links(whole) if page in _sheet_pages(whole, "alpha-proteger"))
    # The « politique RH » edition does not hold beta: the link leads to its page on the site.
    theme = PdfReader(_pdf(fixture_site, "recueil-politique-rh.pdf"))
    alpha = _sheet_pages(theme, "alpha-proteger")
    assert f"{ADDRESS}pratiques/beta-accueillir/" in {target for page, target in _links(theme) if page in alpha}
    assert "p-beta-accueillir" not in theme.named_destinations


def test_every_published_title_is_in_the_pdf_on_the_page_the_contents_give(fixture_site: Build) -> None:
    texts = _page_texts(_pdf(fixture_site))
    contents = next(text for text in texts if text.startswith("Sommaire") or " Sommaire " in text[:80])
    for slug, practice in PUBLISHED.items():
        title = _flat(practice.titre)
        match = re.search(re.escape(title) + r"[\s.]*?(\d+)(?!\d)", contents)
        assert match, f"{title!r} not in the contents: {contents}"
        page = int(match.group(1))
        assert title in texts[page - 1], (slug, page)
        # The sheet starts there: its theme line and title open the page, below the running header.
        assert texts[page - 1].index(title) < 200, (slug, texts[page - 1][:300])


def test_pdf_recommendations_say_who_carries_them_by_when_and_how_to_check(fixture_site: Build) -> None:
    texts = _page_texts(_pdf(fixture_site))
    part = next(text for text in texts if "Portée par" in text)
    assert "Immédiat : à engager sans attendre" in part
    assert (
        "Portée par : Direction générale, Ressources humaines Échéance : Immédiat "
        "Indicateurs de réalisation : • Procédure écrite diffusée à tous les encadrants "
        "• Délai de réponse aux demandes suivi chaque trimestre Pratiques qui l'illustrent"
    ) in part
    assert "Portée par : Élus Échéance : Pluriannuel" in part


def test_pdf_outline_has_one_entry_per_theme_and_per_practice(fixture_site: Build) -> None:
    reader = PdfReader(_pdf(fixture_site))
    outline = _outline(reader)
    labels = {THEMES.label(t): slugs for t, slugs in _expected_order()}
    themes = [(title, children) for title, _, children in outline if title in labels]
    assert [title for title, _ in themes] == list(labels)
    for title, children in themes:
        assert [child for child, _ in children] == [PUBLISHED[s].titre for s in labels[title]]
    others = [title for title, _, children in outline if title not in labels]
    assert others == ["Sommaire", "Introduction", "Synthèse des recommandations", "Index des mots-clés", "Sources"]
    assert all(not children for title, _, children in outline if title not in labels)
    # Each bookmark lands on the page that shows its practice's title.
    texts = _page_texts(_pdf(fixture_site))
    for _, children in themes:
        for child, page in children:
            assert _flat(child) in texts[page - 1]


def test_one_pdf_per_theme_holds_exactly_that_themes_practices(fixture_site: Build) -> None:
    for theme in THEMES.terms:
        members = [p for p in PUBLISHED.values() if theme.id in p.themes]
        name = f"recueil-{theme.id}.pdf"
        if not members:
            assert not (fixture_site.site / name).exists()
            continue
        reader = PdfReader(_pdf(fixture_site, name))
        outline = _outline(reader)
        sheets = [child for title, _, children in outline if title == theme.libelle for child, _ in children]
        assert sorted(sheets) == sorted(p.titre for p in members)
        assert [
            title for title, _, _ in outline if title in THEMES.ids or title in {t.libelle for t in THEMES.terms}
        ] == [theme.libelle]
        assert reader.metadata.title == f"Recueil de bonnes pratiques — {theme.libelle}"


def test_screenshots_of_the_first_pages(fixture_site: Build) -> None:
    """Cover, contents and the first sheet as PNG in build/compendium-screenshots/, for a reviewer to look at."""
    _need("pdftoppm")
    path = _pdf(fixture_site)
    first_sheet = _outline(PdfReader(path))[3][2][0][1]  # first practice of the first theme
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    for name, page in (("1-couverture", 1), ("2-sommaire", 2), ("3-fiche", first_sheet)):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "70",
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(path),
                str(SCREENSHOTS / name),
            ],
            check=True,
        )
    shots = sorted(SCREENSHOTS.glob("*.png"))
    assert [p.stem for p in shots] == ["1-couverture", "2-sommaire", "3-fiche"]
    for shot in shots:
        header = shot.read_bytes()[:24]
        width, height = int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")
        assert header[:8] == b"\x89PNG\r\n\x1a\n" and abs(height / width - 297 / 210) < 0.01
        assert shot.stat().st_size > 5_000  # not a blank page


def test_a_changed_practice_appears_changed_in_the_next_build(tmp_path: Path) -> None:
    if not pdf_available():
        pytest.skip("WeasyPrint's Debian libraries are missing (scripts/system-deps.sh)")
    practices = tmp_path / "practices"
    shutil.copytree(CORPUS / "valid", practices)
    first = mkdocs_build(tmp_path, practices, pdf=True)
    assert first.returncode == 0, first.output
    old_title = _flat(PUBLISHED["beta-accueillir"].titre)
    assert old_title in " ".join(_page_texts(_pdf(first)))
    sheet = practices / "beta-accueillir.md"
    new_title = "Bêta : un titre changé entre deux constructions"
    sheet.write_text(
        sheet.read_text(encoding="utf-8").replace(PUBLISHED["beta-accueillir"].titre, new_title), encoding="utf-8"
    )
    second = mkdocs_build(tmp_path, practices, pdf=True)
    assert second.returncode == 0, second.output
    # The second build took the unchanged sheets from the cache (tmp_path/.cache/recueil-pdf).
    counts = re.search(r"(\d+) documents mis en page, (\d+) repris", second.output)
    assert counts and int(counts[1]) >= 1 and int(counts[2]) >= len(PUBLISHED) - 1, second.output
    _page_texts.cache_clear()
    text = " ".join(_page_texts(_pdf(second)))
    assert new_title in text and old_title not in text
    assert second.page("recueil/").find(id="p-beta-accueillir").h3.get_text() == new_title


def test_pdf_is_off_under_serve_unless_switched_on(monkeypatch: pytest.MonkeyPatch) -> None:
    import recueil_hook

    monkeypatch.delenv("RECUEIL_PDF", raising=False)
    recueil_hook.on_startup(command="serve", dirty=False)
    assert not recueil_hook._build.pdf_enabled
    monkeypatch.setenv("RECUEIL_PDF", "1")
    assert recueil_hook._build.pdf_enabled
    monkeypatch.delenv("RECUEIL_PDF")
    recueil_hook.on_startup(command="build", dirty=False)
    assert recueil_hook._build.pdf_enabled
    monkeypatch.setenv("RECUEIL_PDF", "0")
    assert not recueil_hook._build.pdf_enabled


def test_sheets_show_their_public_address_under_serve_too() -> None:
    import recueil_hook
    from mkdocs.config import load_config

    # mkdocs serve sets site_url to the preview's address; printed sheets must not show it.
    config = load_config(str(ROOT / "mkdocs.yml"), site_url="http://127.0.0.1:8000/")
    recueil_hook.on_startup(command="serve", dirty=False)
    recueil_hook.on_config(config)
    assert recueil_hook._settings().public_url == ADDRESS
    assert recueil_hook._settings().urls.site_url is None  # feed ids and open data do not take it either
    recueil_hook.on_startup(command="build", dirty=False)
    recueil_hook.on_config(config)
    assert recueil_hook._settings().public_url == "http://127.0.0.1:8000/"
