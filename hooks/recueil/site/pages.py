"""Render the site's generated pages (Markdown with HTML blocks) from autoescaped Jinja2 templates.

The result is a mapping {source path: content} that any Markdown site generator can take; nothing
is written to disk here. Contributor text is escaped by the templates; the practice body is
Markdown that the checker has already cleared of executable HTML.
"""

from __future__ import annotations

import html
from typing import Any

import yaml
from markupsafe import Markup

from recueil.format.schema_doc import documented_fields
from recueil.format.vocabulary import VOCABULARY_FIELDS, vocabularies
from recueil.index import Index
from recueil.model import Practice
from recueil.settings import Settings
from recueil.site import bodyhtml
from recueil.site.explorer import facets
from recueil.site.islands import Islands
from recueil.site.searchindex import full_text
from recueil.templating import template
from recueil.urls import Urls, practice_uri

_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's, when PyYAML has it: the same YAML, faster
LATEST_COUNT = 6  # practices shown as « dernières pratiques » on the home page
# Above this many practices, cards show a title and a summary without their badges: a theme or moment page
# lists about half the collection, and the badges are half of a card's HTML (the practice page has them).
COMPACT_FROM = 100


def _front_matter(*, listing: bool = False, **meta: str) -> Markup:
    # MkDocs reads page metadata from YAML front matter; safe_dump quotes whatever needs it. The theme
    # inserts title and description into HTML without escaping them (header, <meta>, search
    # results): they are HTML-escaped here, which readers see as the original text.
    escaped: dict[str, Any] = {key: html.escape(value, quote=True) for key, value in meta.items()}
    if listing:
        # Listing pages repeat every summary: searched, they would double the index and bury the sheets.
        escaped["search"] = {"exclude": True}
    dumped = yaml.dump(escaped, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=10_000)
    return Markup(f"---\n{dumped}---\n")


# A practice page's Markdown and the blocks it stands for, by everything its template reads, with the
# build's marker blanked: `mkdocs serve` rebuilds render only the sheets that changed (or their neighbours).
_PracticeKey = tuple[Any, ...]
_practice_pages: dict[_PracticeKey, tuple[str, dict[str, str]]] = {}


class _Renderer:
    def __init__(self, index: Index, urls: Urls, islands: Islands | None) -> None:
        self.index = index
        self.urls = urls
        self.islands = islands
        self.pages: dict[str, str] = {}

    def render(
        self, uri: str, template_name: str, title: str, description: str = "", *, listing: bool = False, **context: Any
    ) -> None:
        def link(target: str | Practice, anchor: str = "") -> str:
            target_uri = practice_uri(target.slug) if isinstance(target, Practice) else target
            href = self.urls.relative(uri, target_uri)
            return f"{href}#{anchor}" if anchor else href

        meta = {"title": title, "description": description} if description else {"title": title}
        front = _front_matter(listing=listing, **meta)
        self.pages[uri] = template(template_name).render(
            front_matter=front,
            index=self.index,
            link=link,
            title=title,
            islands=self.islands,
            compact=len(self.index.practices) > COMPACT_FROM,
            **context,
        )


def _render_practices(
    renderer: _Renderer, settings: Settings, body_marker: str | None, islands: Islands | None, reuse: bool
) -> None:
    """Every practice page; with `reuse` (and the hook's marker and islands), those whose inputs did not
    change since the last call are taken back as rendered then."""
    kept = islands if reuse and body_marker else None  # where reused pages put their blocks back
    marker = body_marker or ""
    index = renderer.index
    compact = len(index.practices) > COMPACT_FROM
    reused: dict[_PracticeKey, tuple[str, dict[str, str]]] = {}
    for practice in index.practices:
        uri = practice_uri(practice.slug)
        related, citing = index.related.get(practice.slug, ()), index.citing.get(practice.slug, ())
        key = (
            practice,
            related,
            citing,
            tuple(index.keyword_slugs[k] for k in practice.mots_cles),
            settings.urls,
            settings.edit_url,
            compact,
            full_text(len(index.practices)),
        )
        if kept is not None and key in _practice_pages:
            markdown, blocks = _practice_pages[key]
            renderer.pages[uri] = markdown.replace("\0", marker)
            kept.blocks.update({name: block.replace("\0", marker) for name, block in blocks.items()})
            reused[key] = _practice_pages[key]
            continue
        renderer.render(
            uri,
            "site/pratique.md.j2",
            practice.titre,
            practice.resume,
            p=practice,
            body_marker=body_marker,
            body_html=None if body_marker else bodyhtml.converter().convert(practice),
            edit_url=settings.edit_url.format(chemin=practice.path) if settings.edit_url else None,
            related=related,
            citing=citing,
            fields=VOCABULARY_FIELDS,
            full_text=full_text(len(index.practices)),
        )
        if kept is not None:
            blocks = kept.used_in(renderer.pages[uri])
            reused[key] = (
                renderer.pages[uri].replace(marker, "\0"),
                {name: block.replace(marker, "\0") for name, block in blocks.items()},
            )
    if kept is not None:
        _practice_pages.clear()
        _practice_pages.update(reused)


def render_pages(
    index: Index,
    settings: Settings,
    *,
    body_marker: str | None = None,
    islands: Islands | None = None,
    reuse: bool = False,
) -> dict[str, str]:
    """Every generated page of the site, as {source path: Markdown}.

    `body_marker`: a practice page's body is Markdown between two `<!--body_marker-->` comments, which
    the site generator converts and our hook then sanitises (`sanitize.clean_between`); without a
    marker (exported trees, built with no hook) the body is HTML already sanitised. `islands`: where
    the prepared HTML blocks go instead of the Markdown (see `recueil.site.islands`), None to keep them inline.
    `reuse`: see `files.generated_files`.
    """
    renderer = _Renderer(index, settings.urls, islands)
    _render_practices(renderer, settings, body_marker, islands, reuse)
    vocab = vocabularies()
    # Each theme, moment and role has its page, its practices grouped by another vocabulary.
    for field, group_field in (("themes", "moments"), ("moments", "themes"), ("roles", "themes")):
        for term in vocab[field].terms:
            renderer.render(
                f"{field}/{term.id}.md",
                "site/groupe.md.j2",
                term.libelle,
                term.description,
                listing=True,
                term=term,
                field=field,
                group_field=group_field,
            )
    for keyword in index.keywords:
        renderer.render(
            f"mots-cles/{keyword.slug}.md",
            "site/mot-cle.md.j2",
            f"Mot-clé : {keyword.label}",
            listing=True,
            keyword=keyword,
        )
    renderer.render("mots-cles/index.md", "site/mots-cles.md.j2", "Mots-clés", listing=True)
    renderer.render("index-a-z.md", "site/index-a-z.md.j2", "Index de A à Z", listing=True)
    renderer.render(
        "pratiques/index.md",
        "site/pratiques.md.j2",
        "Explorer les pratiques",
        "Toutes les pratiques publiées, à filtrer par thème, moment, rôle, effort, service ou mot-clé.",
        listing=True,
        facets=facets(index),
    )
    renderer.render(
        "donnees/index.md",
        "site/donnees.md.j2",
        "Données ouvertes",
        "Les métadonnées de toutes les pratiques en JSON et en CSV, sous Licence Ouverte.",
        fields=documented_fields(),
    )
    renderer.render("recommandations.md", "site/recommandations.md.j2", "Synthèse des recommandations")
    renderer.render(
        "etat-des-lieux.md",
        "site/etat-des-lieux.md.j2",
        "État des lieux",
        "Les chiffres publics sur les violences envers les agents publics, leurs sources et leurs limites.",
    )
    renderer.render("index.md", "site/accueil.md.j2", "Accueil", latest=index.latest(LATEST_COUNT))
    return renderer.pages


def render_page(
    index: Index, urls: Urls, uri: str, template_name: str, title: str, description: str = "", **context: Any
) -> str:
    """One generated page from its template, with the same context (front matter, `link`) as the others."""
    renderer = _Renderer(index, urls, None)
    renderer.render(uri, template_name, title, description, **context)
    return renderer.pages[uri]
