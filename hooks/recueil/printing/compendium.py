"""Assemble the printable compendium (cover, contents, recommendations, sheets by theme, indexes) and render it.

One model feeds the site page `/recueil/`, the print-ready selection page and the PDFs, so what is
printed is always built from the same sheets as the site, at every build.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

import segno
from markupsafe import Markup

from recueil.format.slugs import title_key
from recueil.format.vocabulary import VOCABULARY_FIELDS, Term, vocabularies
from recueil.index import Index, Keyword, sort_key
from recueil.model import Practice, Recommendation, Source
from recueil.site import bodyhtml
from recueil.site.islands import Islands
from recueil.templating import template
from recueil.urls import Urls, practice_uri

TITLE = "Recueil de bonnes pratiques"
SUBTITLE = ("Continuité du service public et sécurité des agents territoriaux "
            "face aux incivilités et aux agressions")
AUTHOR = "Contributeurs du Recueil de bonnes pratiques"
PAGE_URI = "recueil.md"
QR_ALT = "Code QR vers la fiche en ligne"
SELECTION_URI = "recueil/selection.md"
SHEETS_URI = "recueil/fiches.json"
# The parts around the chapters, by anchor: their headings, the running header and the bookmarks of the PDF.
PART_TITLES = {"sommaire": "Sommaire", "introduction": "Introduction",
               "recommandations": "Synthèse des recommandations", "index-mots-cles": "Index des mots-clés",
               "sources": "Sources"}
# Up to this many sheets the site page `/recueil/` holds the whole book, printable from the browser (today's
# 45 to 90 sheets: about 3.5 KB of gzip each, QR code included, so about 350 KB at 100). Above, one HTML
# page would weigh megabytes (9.5 MB, 1 MB gzip at 1,000): the page links the sheets by theme and moment,
# and the PDF holds them all.
INLINE_LIMIT = 100

@dataclass(frozen=True, kw_only=True)
class CompendiumOptions:
    title: str = TITLE
    subtitle: str = SUBTITLE
    author: str = AUTHOR
    base_url: str | None = None  # the site's public address (absolute, ends with "/"): printed and QR-coded
    urls: Urls = field(default_factory=Urls)


@dataclass(frozen=True, kw_only=True)
class Sheet:
    practice: Practice
    moment: Term  # the earliest of its moments: its place within the chapter
    url: str | None  # absolute address of the online page

    # Converted and drawn when first shown: the site page of a large collection shows neither.
    @cached_property
    def body(self) -> Markup:
        return body_html(self.practice)

    @cached_property
    def qr_code(self) -> Markup | None:
        return qr_code(self.url) if self.url else None


@dataclass(frozen=True, kw_only=True)
class Chapter:
    theme: Term
    sheets: tuple[Sheet, ...]

    @property
    def by_moment(self) -> tuple[tuple[Term, tuple[Sheet, ...]], ...]:
        moments = vocabularies()["moments"].terms
        groups = ((m, tuple(s for s in self.sheets if s.moment.id == m.id)) for m in moments)
        return tuple((moment, sheets) for moment, sheets in groups if sheets)


@dataclass(frozen=True, kw_only=True)
class SourceEntry:
    source: Source
    practices: tuple[Practice, ...]


@dataclass(frozen=True, kw_only=True)
class Compendium:
    options: CompendiumOptions
    scope: Term | None  # the theme of a one-theme edition, None for the whole collection
    edition: dt.date | None  # the latest change among its sheets: the state of the collection it prints
    chapters: tuple[Chapter, ...]
    recommendations: tuple[tuple[Term, tuple[Recommendation, ...]], ...]
    keywords: tuple[Keyword, ...]
    sources: tuple[SourceEntry, ...]
    index: Index
    slugs: frozenset[str]  # the practices it holds, for its links

    @property
    def sheets(self) -> tuple[Sheet, ...]:
        return tuple(sheet for chapter in self.chapters for sheet in chapter.sheets)

    @property
    def title(self) -> str:
        return f"{self.options.title} — {self.scope.libelle}" if self.scope else self.options.title

    def contains(self, slug: str) -> bool:
        return slug in self.slugs

    @property
    def parts(self) -> tuple[tuple[str, str], ...]:
        """(anchor, title) of each part in print order, chapters included (the cover is not a part)."""
        opening = ["sommaire", "introduction", *(["recommandations"] if self.recommendations else [])]
        return (*((a, PART_TITLES[a]) for a in opening),
                *((f"theme-{chapter.theme.id}", chapter.theme.libelle) for chapter in self.chapters),
                *((a, PART_TITLES[a]) for a in ("index-mots-cles", "sources")))


def online_url(practice: Practice, options: CompendiumOptions) -> str | None:
    return options.urls.absolute(practice_uri(practice.slug), options.base_url)


@cache
def qr_code(url: str) -> Markup:
    # segno writes the SVG from the bits of the code; the URL is not embedded as markup. A fixed mask
    # skips scoring all eight (7/8 of segno's time); any mask gives a valid code.
    # The title is the code's text alternative in the tagged PDF (the Figure's /Alt).
    svg = segno.make(url, error="m", micro=False, mask=0).svg_inline(scale=1, border=2, omitsize=True,
                                                                     title=QR_ALT)
    return Markup(svg)


def body_html(practice: Practice) -> Markup:
    """The sheet's body as sanitised HTML, headings two levels down and ids prefixed by the slug."""
    return bodyhtml.converter(baselevel=4, prefix_ids=True).convert(practice)


def _earliest_moment(practice: Practice) -> Term:
    moments = vocabularies()["moments"]
    return moments.terms[min(moments.ids.index(m) for m in practice.moments)]


def build_compendium(index: Index, options: CompendiumOptions | None = None,
                     theme: str | None = None) -> Compendium:
    """The whole collection (each practice under its first theme), or one theme's practices."""
    options = options or CompendiumOptions()
    moment_ids = vocabularies()["moments"].ids
    themes = vocabularies()["themes"].terms
    chapters = []
    for term in themes:
        if theme is not None and term.id != theme:
            continue
        members = [p for p in index.practices if (term.id in p.themes if theme else p.themes[0] == term.id)]
        members.sort(key=lambda p: (moment_ids.index(_earliest_moment(p).id), *sort_key(p)))
        sheets = tuple(_sheet(p, options) for p in members)
        chapters.append(Chapter(theme=term, sheets=sheets))
    practices = [sheet.practice for chapter in chapters for sheet in chapter.sheets]
    slugs = {p.slug for p in practices}
    recommendations = tuple(
        (term, tuple(r for r in index.recommendations if r.theme == term.id))
        for term in themes if theme is None or term.id == theme
    )
    return Compendium(
        options=options,
        scope=vocabularies()["themes"].term(theme) if theme else None,
        edition=max((p.last_change for p in practices), default=None),
        chapters=tuple(c for c in chapters if c.sheets),
        recommendations=tuple((term, recs) for term, recs in recommendations if recs),
        keywords=_keywords(index.keywords, slugs),
        sources=_sources(practices),
        index=index,
        slugs=frozenset(slugs),
    )


def _sheet(practice: Practice, options: CompendiumOptions) -> Sheet:
    return Sheet(practice=practice, moment=_earliest_moment(practice), url=online_url(practice, options))


def _keywords(keywords: Iterable[Keyword], slugs: set[str]) -> tuple[Keyword, ...]:
    kept = (Keyword(slug=k.slug, label=k.label, practices=tuple(p for p in k.practices if p.slug in slugs))
            for k in keywords)
    return tuple(k for k in kept if k.practices)


def _sources(practices: Iterable[Practice]) -> tuple[SourceEntry, ...]:
    citing: dict[Source, list[Practice]] = {}
    for practice in practices:
        for source in practice.sources:
            cited_by = citing.setdefault(source, [])
            if practice not in cited_by:
                cited_by.append(practice)
    ordered = sorted(citing, key=lambda s: (title_key(s.titre), s.editeur, s.url or ""))
    return tuple(SourceEntry(source=s, practices=tuple(sorted(citing[s], key=sort_key))) for s in ordered)


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


def _context(compendium: Compendium, page_uri: str, inside: str | None = "#",
             numbers: Mapping[str, int] | None = None) -> dict[str, Any]:
    links = _Links(compendium, page_uri, inside)
    page_of: Callable[[str], int | None] = _no_page  # the site page prints no page numbers
    if inside == PDF_LINK:
        page_of = numbers.get if numbers is not None else _placeholder_page
    return {"c": compendium, "practice_link": links.practice, "keyword_link": links.keyword,
            "href": links.anchor, "page_of": page_of, "titles": PART_TITLES, "fields": VOCABULARY_FIELDS}


def pdf_sheet(compendium: Compendium, sheet: Sheet) -> str:
    """A sheet as a document of its own: the same HTML in every edition that prints it."""
    return template("printing/recueil-pdf.html.j2").render(
        part="fiche", s=sheet, title=sheet.practice.titre, **_context(compendium, PAGE_URI, PDF_LINK))


def pdf_parts(compendium: Compendium, numbers: Mapping[str, int] | None) -> list[str]:
    """The parts that print page numbers, as documents: the opening parts, each chapter's opening, the keyword
    index. `numbers` maps an anchor to its page; None prints a placeholder (to learn the parts' lengths)."""
    pdf = template("printing/recueil-pdf.html.j2")
    context = _context(compendium, PAGE_URI, PDF_LINK, numbers)
    return [
        pdf.render(part="debut", title=compendium.title, **context),
        *(pdf.render(part="ouverture", chapter=chapter, title=chapter.theme.libelle, **context)
          for chapter in compendium.chapters),
        pdf.render(part="index", title=PART_TITLES["index-mots-cles"], **context),
    ]


def pdf_sources(compendium: Compendium) -> str:
    """The list of sources as a document: the last part, which prints no page number."""
    return template("printing/recueil-pdf.html.j2").render(part="sources", title=PART_TITLES["sources"],
                                                  **_context(compendium, PAGE_URI, PDF_LINK))


def render_site_pages(index: Index, options: CompendiumOptions, pdf_links: bool = True,
                      islands: Islands | None = None) -> dict[str, str]:
    """The site's compendium page, the selection page and the print-ready sheets it shows, as {path: content}."""
    compendium = build_compendium(index, options)
    themes = [t for t in vocabularies()["themes"].terms if index.having("themes", t.id)]
    page = template("printing/recueil.md.j2").render(
        **_context(compendium, PAGE_URI), themes=themes, pdf_links=pdf_links, islands=islands,
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
    return {PAGE_URI: page, SELECTION_URI: selection, SHEETS_URI: sheets_json(compendium)}


def sheets_json(compendium: Compendium) -> str:
    """Every sheet rendered print-ready, keyed by slug, for the selection page to pick from."""
    sheet = template("printing/recueil-fiche.html.j2")
    context = _context(compendium, SELECTION_URI, inside=None)
    data = {s.practice.slug: {"titre": s.practice.titre, "html": sheet.render(s=s, **context)}
            for s in compendium.sheets}
    return json.dumps({"fiches": data}, ensure_ascii=False, separators=(",", ":"))


def pdf_name(theme: Term | None) -> str:
    return f"recueil-{theme.id}.pdf" if theme else "recueil.pdf"
