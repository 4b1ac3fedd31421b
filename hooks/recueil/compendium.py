"""Assemble the printable compendium (cover, contents, recommendations, sheets by theme, indexes) and render it.

One model feeds the site page `/recueil/`, the print-ready selection page and the PDFs, so what is
printed is always built from the same sheets as the site, at every build.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import markdown
import segno
from markupsafe import Markup

from recueil.collection import slugify, title_key
from recueil.index import Index, Keyword, sort_key
from recueil.model import Practice, Recommendation, Source
from recueil.render import page_url, practice_uri, relative_href
from recueil.templating import template
from recueil.vocabulary import VOCABULARY_FIELDS, Term, vocabularies

TITLE = "Recueil de bonnes pratiques"
SUBTITLE = ("Continuité du service public et sécurité des agents territoriaux "
            "face aux incivilités et aux agressions")
AUTHOR = "Contributeurs du Recueil de bonnes pratiques"
PAGE_URI = "recueil.md"
SELECTION_URI = "recueil/selection.md"
SHEETS_URI = "recueil/fiches.json"

# The site's Markdown extensions that make sense for a sheet body (snippets and permalinks do not).
MARKDOWN_EXTENSIONS = ["abbr", "attr_list", "admonition", "def_list", "footnotes", "md_in_html", "tables",
                       "toc", "pymdownx.details", "pymdownx.superfences"]


@dataclass(frozen=True, kw_only=True)
class CompendiumOptions:
    title: str = TITLE
    subtitle: str = SUBTITLE
    author: str = AUTHOR
    base_url: str | None = None  # the site's public address (absolute, ends with "/"): printed and QR-coded
    use_directory_urls: bool = True


@dataclass(frozen=True, kw_only=True)
class Sheet:
    practice: Practice
    moment: Term  # the earliest of its moments: its place within the chapter
    body: Markup
    url: str | None  # absolute address of the online page
    qr_code: Markup | None


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


def online_url(practice: Practice, options: CompendiumOptions) -> str | None:
    if not options.base_url:
        return None
    return options.base_url.rstrip("/") + "/" + page_url(practice_uri(practice.slug), options.use_directory_urls)


@cache
def qr_code(url: str) -> Markup:
    # segno writes the SVG from the bits of the code; the URL is not embedded as markup. A fixed mask
    # skips scoring all eight (7/8 of segno's time); any mask gives a valid code.
    svg = segno.make(url, error="m", micro=False, mask=0).svg_inline(scale=1, border=2, omitsize=True)
    return Markup(svg)


class _BodyConverter:
    """One Markdown converter reused for every sheet (building one per sheet costs more than converting)."""

    def __init__(self) -> None:
        self.prefix = ""
        self.converted: dict[tuple[str, str], Markup] = {}
        self.markdown = markdown.Markdown(
            extensions=MARKDOWN_EXTENSIONS,
            extension_configs={"toc": {"baselevel": 3, "slugify": self._slugify}},
            output_format="html",
        )

    def _slugify(self, value: str, separator: str) -> str:
        # Heading ids are prefixed by the sheet's slug: every sheet has a « Contexte ».
        return f"{self.prefix}--{slugify(value)}"

    def convert(self, practice: Practice) -> Markup:
        # Bodies rarely change between `mkdocs serve` rebuilds: convert each (slug, body) once.
        key = (practice.slug, practice.body)
        if key not in self.converted:
            self.prefix = practice.slug
            self.converted[key] = Markup(self.markdown.reset().convert(practice.body))
        return self.converted[key]


_converter: _BodyConverter | None = None


def body_html(practice: Practice) -> Markup:
    """The sheet's Markdown body as HTML, headings two levels down and ids prefixed by the slug.

    The checker has already refused executable HTML in bodies, as for the site's own pages.
    """
    global _converter
    _converter = _converter or _BodyConverter()
    return _converter.convert(practice)


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
    url = online_url(practice, options)
    return Sheet(practice=practice, moment=_earliest_moment(practice), body=body_html(practice), url=url,
                 qr_code=qr_code(url) if url else None)


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


class _Links:
    """Where a sheet's links point: inside the compendium when the target is in it, else to the site."""

    def __init__(self, compendium: Compendium, page_uri: str, internal: bool) -> None:
        self.compendium = compendium
        self.page_uri = page_uri
        self.internal = internal

    def _site(self, uri: str) -> str:
        return relative_href(self.page_uri, uri, self.compendium.options.use_directory_urls)

    def practice(self, practice: Practice) -> str:
        if self.internal and self.compendium.contains(practice.slug):
            return f"#p-{practice.slug}"
        return self._site(practice_uri(practice.slug))

    def keyword(self, label: str) -> str:
        slug = self.compendium.index.keyword_slugs[label]
        if self.internal:
            return f"#mc-{slug}"
        return self._site(f"mots-cles/{slug}.md")


def _context(compendium: Compendium, page_uri: str, internal: bool = True) -> dict[str, Any]:
    links = _Links(compendium, page_uri, internal)
    return {"c": compendium, "practice_link": links.practice, "keyword_link": links.keyword,
            "fields": VOCABULARY_FIELDS}


def render_document(compendium: Compendium) -> str:
    """A standalone HTML document of the compendium, for the PDF renderer."""
    return template("recueil.html.j2").render(**_context(compendium, PAGE_URI))


def render_site_pages(index: Index, options: CompendiumOptions, pdf_links: bool = True) -> dict[str, str]:
    """The site's compendium page, the selection page and the print-ready sheets it shows, as {path: content}."""
    compendium = build_compendium(index, options)
    themes = [t for t in vocabularies()["themes"].terms if index.having("themes", t.id)]
    page = template("recueil.md.j2").render(
        **_context(compendium, PAGE_URI), themes=themes, pdf_links=pdf_links,
        pdf_href=_relative_file(PAGE_URI, "recueil.pdf", options), theme_pdf_href=lambda t: _relative_file(
            PAGE_URI, pdf_name(t), options),
    )
    selection = template("recueil-selection.md.j2").render(
        title="Sélection de pratiques à imprimer",
        script_href=_relative_file(SELECTION_URI, "assets/recueil-selection.js", options),
        sheets_href=_relative_file(SELECTION_URI, SHEETS_URI, options),
    )
    return {PAGE_URI: page, SELECTION_URI: selection, SHEETS_URI: sheets_json(compendium)}


def sheets_json(compendium: Compendium) -> str:
    """Every sheet rendered print-ready, keyed by slug, for the selection page to pick from."""
    sheet = template("recueil-fiche.html.j2")
    context = _context(compendium, SELECTION_URI, internal=False)
    data = {s.practice.slug: {"titre": s.practice.titre, "html": sheet.render(s=s, **context)}
            for s in compendium.sheets}
    return json.dumps({"fiches": data}, ensure_ascii=False, separators=(",", ":"))


def pdf_name(theme: Term | None) -> str:
    return f"recueil-{theme.id}.pdf" if theme else "recueil.pdf"


def _relative_file(from_uri: str, file_path: str, options: CompendiumOptions) -> str:
    """A site file's URL relative to a page (MkDocs only rewrites links written in Markdown)."""
    return "../" * page_url(from_uri, options.use_directory_urls).count("/") + file_path
