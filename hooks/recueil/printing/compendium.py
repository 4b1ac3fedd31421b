"""The compendium's HTML: the site pages `/recueil/` and `/recueil/selection/`, the sheets the selection
page picks from, and the documents the PDF is laid out from, with the link rules between them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from recueil.format.vocabulary import VOCABULARY_FIELDS, vocabularies
from recueil.index import Index
from recueil.model import Practice
from recueil.printing.book import PART_TITLES, Compendium, CompendiumOptions, Sheet, build_compendium, pdf_name
from recueil.site.islands import Islands
from recueil.templating import template
from recueil.urls import practice_uri

PAGE_URI = "recueil.md"
SELECTION_URI = "recueil/selection.md"
SHEETS_URI = "recueil/fiches.json"
# Up to this many sheets the site page `/recueil/` holds the whole book, printable from the browser (today's
# 45 to 90 sheets: about 3.5 KB of gzip each, QR code included, so about 350 KB at 100). Above, one HTML
# page would weigh megabytes (9.5 MB, 1 MB gzip at 1,000): the page links the sheets by theme and moment,
# and the PDF holds them all.
INLINE_LIMIT = 100
PDF_LINK = "recueil:"  # the scheme of links between the PDF's parts, resolved when assembled (printing.pdf)
PLACEHOLDER_PAGE = 999  # printed where a page number is not known yet: as wide as the real ones at scale


class _Links:
    """Where links point: inside the compendium when the target is in it, else to the site.

    `inside` is "#" on the site page (anchors), PDF_LINK in the PDF's parts (a target is in another
    document until the parts are assembled), None for sheets shown alone (the selection page).
    """

    def __init__(self, compendium: Compendium, page_uri: str, inside: str | None) -> None:
        self.compendium = compendium
        self.page_uri = page_uri
        self.inside = inside

    def _site(self, uri: str) -> str:
        return self.compendium.options.urls.relative(self.page_uri, uri)

    def anchor(self, name: str) -> str:
        return f"{self.inside or '#'}{name}"

    def practice(self, practice: Practice) -> str:
        # In the PDF a sheet links the same way in every edition: the assembly knows what each holds.
        if self.inside == PDF_LINK or (self.inside and self.compendium.contains(practice.slug)):
            return self.anchor(f"p-{practice.slug}")
        return self._site(practice_uri(practice.slug))

    def keyword(self, label: str) -> str:
        slug = self.compendium.index.keyword_slugs[label]
        if self.inside:
            return self.anchor(f"mc-{slug}")
        return self._site(f"mots-cles/{slug}.md")


def _no_page(anchor: str) -> None:
    return None


def _placeholder_page(anchor: str) -> int:
    return PLACEHOLDER_PAGE


def _context(
    compendium: Compendium, page_uri: str, inside: str | None = "#", numbers: Mapping[str, int] | None = None
) -> dict[str, Any]:
    links = _Links(compendium, page_uri, inside)
    page_of: Callable[[str], int | None] = _no_page  # the site page prints no page numbers
    if inside == PDF_LINK:
        page_of = numbers.get if numbers is not None else _placeholder_page
    return {
        "c": compendium,
        "practice_link": links.practice,
        "keyword_link": links.keyword,
        "href": links.anchor,
        "page_of": page_of,
        "titles": PART_TITLES,
        "fields": VOCABULARY_FIELDS,
    }


def pdf_sheet(compendium: Compendium, sheet: Sheet) -> str:
    """A sheet as a document of its own: the same HTML in every edition that prints it."""
    return template("printing/recueil-pdf.html.j2").render(
        part="fiche", s=sheet, title=sheet.practice.titre, **_context(compendium, PAGE_URI, PDF_LINK)
    )


def pdf_parts(compendium: Compendium, numbers: Mapping[str, int] | None) -> list[str]:
    """The parts that print page numbers, as documents: the opening parts, each chapter's opening, the keyword
    index. `numbers` maps an anchor to its page; None prints a placeholder (to learn the parts' lengths)."""
    pdf = template("printing/recueil-pdf.html.j2")
    context = _context(compendium, PAGE_URI, PDF_LINK, numbers)
    return [
        pdf.render(part="debut", title=compendium.title, **context),
        *(
            pdf.render(part="ouverture", chapter=chapter, title=chapter.theme.libelle, **context)
            for chapter in compendium.chapters
        ),
        pdf.render(part="index", title=PART_TITLES["index-mots-cles"], **context),
    ]


def pdf_sources(compendium: Compendium) -> str:
    """The list of sources as a document: the last part, which prints no page number."""
    return template("printing/recueil-pdf.html.j2").render(
        part="sources", title=PART_TITLES["sources"], **_context(compendium, PAGE_URI, PDF_LINK)
    )


def render_site_pages(
    index: Index,
    options: CompendiumOptions,
    pdf_links: bool = True,
    islands: Islands | None = None,
    reuse: bool = False,
) -> dict[str, str]:
    """The site's compendium page, the selection page and the print-ready sheets it shows, as {path: content}.
    `reuse`: see `recueil.site.files.generated_files`."""
    compendium = build_compendium(index, options)
    themes = [t for t in vocabularies()["themes"].terms if index.having("themes", t.id)]
    page = template("printing/recueil.md.j2").render(
        **_context(compendium, PAGE_URI),
        themes=themes,
        pdf_links=pdf_links,
        islands=islands,
        inline=len(compendium.sheets) <= INLINE_LIMIT,
        site_link=_Links(compendium, PAGE_URI, None).practice,
        explorer_href=options.urls.relative(PAGE_URI, "pratiques/index.md"),
        pdf_href=options.urls.file(PAGE_URI, pdf_name(None)),
        theme_pdf_href=lambda t: options.urls.file(PAGE_URI, pdf_name(t)),
    )
    selection = template("printing/recueil-selection.md.j2").render(
        title="Sélection de pratiques à imprimer",
        script_href=options.urls.file(SELECTION_URI, "assets/recueil-selection.js"),
        sheets_href=options.urls.file(SELECTION_URI, SHEETS_URI),
    )
    return {PAGE_URI: page, SELECTION_URI: selection, SHEETS_URI: sheets_json(compendium, reuse=reuse)}


# The selection page's sheets, by everything their template reads: a rebuild renders only those that changed.
_selection_sheets: dict[tuple[Any, ...], str] = {}


def sheets_json(compendium: Compendium, reuse: bool = False) -> str:
    """Every sheet rendered print-ready, keyed by slug, for the selection page to pick from; with `reuse`,
    the sheets rendered by the last call are taken back when nothing their template reads changed."""
    sheet = template("printing/recueil-fiche.html.j2")
    context = _context(compendium, SELECTION_URI, inside=None)
    index = compendium.index
    rendered: dict[tuple[Any, ...], str] = {}
    data = {}
    for s in compendium.sheets:
        p = s.practice
        key = (
            p,
            s.url,
            index.related.get(p.slug, ()),
            tuple(index.keyword_slugs[k] for k in p.mots_cles),
            compendium.options,
        )
        html = rendered[key] = (reuse and _selection_sheets.get(key)) or sheet.render(s=s, **context)
        data[p.slug] = {"titre": p.titre, "html": html}
    if reuse:
        _selection_sheets.clear()
        _selection_sheets.update(rendered)
    return json.dumps({"fiches": data}, ensure_ascii=False, separators=(",", ":"))
