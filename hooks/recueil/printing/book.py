"""The compendium as a book: its chapters, sheets, recommendations, keyword index and sources.

One model feeds the site page `/recueil/`, the print-ready selection page and the PDFs
(`compendium.py` renders them as HTML), so what is printed is always built from the same sheets
as the site, at every build.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property

import segno
from markupsafe import Markup

from recueil.format.slugs import title_key
from recueil.format.vocabulary import Term, vocabularies
from recueil.index import Index, Keyword, sort_key
from recueil.model import Practice, Recommendation, Source
from recueil.site import bodyhtml
from recueil.urls import Urls, practice_uri

TITLE = "Recueil de bonnes pratiques"
SUBTITLE = "Continuité du service public et sécurité des agents territoriaux face aux incivilités et aux agressions"
AUTHOR = "Contributeurs du Recueil de bonnes pratiques"
QR_ALT = "Code QR vers la fiche en ligne"
# The parts around the chapters, by anchor: their headings, the running header and the bookmarks of the PDF.
PART_TITLES = {
    "sommaire": "Sommaire",
    "introduction": "Introduction",
    "recommandations": "Synthèse des recommandations",
    "index-mots-cles": "Index des mots-clés",
    "sources": "Sources",
}


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
        return (
            *((a, PART_TITLES[a]) for a in opening),
            *((f"theme-{chapter.theme.id}", chapter.theme.libelle) for chapter in self.chapters),
            *((a, PART_TITLES[a]) for a in ("index-mots-cles", "sources")),
        )


def online_url(practice: Practice, options: CompendiumOptions) -> str | None:
    return options.urls.absolute(practice_uri(practice.slug), options.base_url)


@cache
def qr_code(url: str) -> Markup:
    # segno writes the SVG from the bits of the code; the URL is not embedded as markup. A fixed mask
    # skips scoring all eight (7/8 of segno's time); any mask gives a valid code.
    # The title is the code's text alternative in the tagged PDF (the Figure's /Alt).
    svg = segno.make(url, error="m", micro=False, mask=0).svg_inline(scale=1, border=2, omitsize=True, title=QR_ALT)
    return Markup(svg)


def body_html(practice: Practice) -> Markup:
    """The sheet's body as sanitised HTML, headings two levels down and ids prefixed by the slug."""
    return bodyhtml.converter(baselevel=4, prefix_ids=True).convert(practice)


def _earliest_moment(practice: Practice) -> Term:
    moments = vocabularies()["moments"]
    return moments.terms[min(moments.ids.index(m) for m in practice.moments)]


def build_compendium(index: Index, options: CompendiumOptions | None = None, theme: str | None = None) -> Compendium:
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
        for term in themes
        if theme is None or term.id == theme
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
    kept = (
        Keyword(slug=k.slug, label=k.label, practices=tuple(p for p in k.practices if p.slug in slugs))
        for k in keywords
    )
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


def pdf_name(theme: Term | None) -> str:
    return f"recueil-{theme.id}.pdf" if theme else "recueil.pdf"
