"""Render the site's generated pages (Markdown with HTML blocks) from autoescaped Jinja2 templates.

The result is a mapping {source path: content} that any Markdown site generator can take; nothing
is written to disk here. Contributor text is escaped by the templates; the practice body is
Markdown that the checker has already cleared of executable HTML.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml
from jinja2 import Environment
from markupsafe import Markup

from recueil import charts
from recueil.index import Index
from recueil.model import Practice
from recueil.schema_doc import documented_fields
from recueil.templating import ENV
from recueil.vocabulary import VOCABULARY_FIELDS, vocabularies

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")
RESERVED_SLUGS = frozenset({"index"})


@dataclass(frozen=True, kw_only=True)
class SiteOptions:
    use_directory_urls: bool = True
    edit_url: str | None = None  # template with {chemin}, e.g. https://…/edit/main/{chemin}
    latest_count: int = 6


def practice_uri(slug: str) -> str:
    return f"pratiques/{slug}.md"


@functools.lru_cache(maxsize=65536)
def page_url(uri: str, use_directory_urls: bool) -> str:
    """Site-relative URL of a source path, as MkDocs computes it."""
    stem, _ = posixpath.splitext(uri)
    if not use_directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    return (stem[: -len("/index")] if stem.endswith("/index") else stem) + "/"


@functools.lru_cache(maxsize=262144)  # pure, and asked for the same pairs over and over by the templates
def relative_href(from_uri: str, to_uri: str, use_directory_urls: bool) -> str:
    target, base = page_url(to_uri, use_directory_urls), page_url(from_uri, use_directory_urls)
    base_dir = base.rstrip("/") if use_directory_urls else posixpath.dirname(base)
    relative = posixpath.relpath(target.rstrip("/") or ".", base_dir or ".")
    if target.endswith("/") or target == "":
        return "./" if relative == "." else relative + "/"
    return relative


def french_date(value: dt.date) -> str:
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def _environment() -> Environment:
    env = ENV
    vocab = vocabularies()
    env.globals["vocab"] = vocab
    env.filters["label"] = lambda term_id, field: vocab[field].label(term_id)
    env.filters["french_date"] = french_date
    env.tests["contains"] = lambda collection, item: item in collection
    env.globals["svg"] = charts.svg
    return env


_ENV = _environment()




def _front_matter(*, listing: bool = False, **meta: str) -> Markup:
    # MkDocs reads page metadata from YAML front matter; safe_dump quotes whatever needs it. The theme
    # inserts title and description into HTML without escaping them (header, <meta>, search
    # results): they are HTML-escaped here, which readers see as the original text.
    escaped: dict[str, Any] = {key: html.escape(value, quote=True) for key, value in meta.items()}
    if listing:
        # Listing pages repeat every summary: searched, they would double the index and bury the sheets.
        escaped["search"] = {"exclude": True}
    dumped = yaml.safe_dump(escaped, allow_unicode=True, sort_keys=False, width=10_000)
    return Markup(f"---\n{dumped}---\n")


class _Renderer:
    def __init__(self, index: Index, options: SiteOptions) -> None:
        self.index = index
        self.options = options
        self.pages: dict[str, str] = {}

    def render(self, uri: str, template_name: str, title: str, description: str = "", *, listing: bool = False,
               **context: Any) -> None:
        def link(target: str | Practice, anchor: str = "") -> str:
            target_uri = practice_uri(target.slug) if isinstance(target, Practice) else target
            href = relative_href(uri, target_uri, self.options.use_directory_urls)
            return f"{href}#{anchor}" if anchor else href

        meta = {"title": title, "description": description} if description else {"title": title}
        front = _front_matter(listing=listing, **meta)
        self.pages[uri] = _ENV.get_template(template_name).render(
            front_matter=front, index=self.index, link=link, title=title, **context
        )


def render_pages(index: Index, options: SiteOptions | None = None) -> dict[str, str]:
    """Every generated page of the site, as {source path: Markdown}."""
    options = options or SiteOptions()
    renderer = _Renderer(index, options)
    vocab = vocabularies()
    for practice in index.practices:
        renderer.render(
            practice_uri(practice.slug), "pratique.md.j2", practice.titre, practice.resume,
            p=practice,
            edit_url=options.edit_url.format(chemin=practice.path) if options.edit_url else None,
            related=index.related.get(practice.slug, ()),
            citing=index.citing.get(practice.slug, ()),
            fields=VOCABULARY_FIELDS,
        )
    for theme in vocab["themes"].terms:
        renderer.render(f"themes/{theme.id}.md", "groupe.md.j2", theme.libelle, theme.description, listing=True,
                        term=theme, field="themes", group_field="moments")
    for moment in vocab["moments"].terms:
        renderer.render(f"moments/{moment.id}.md", "groupe.md.j2", moment.libelle, moment.description, listing=True,
                        term=moment, field="moments", group_field="themes")
    for role in vocab["roles"].terms:
        renderer.render(f"roles/{role.id}.md", "groupe.md.j2", role.libelle, role.description, listing=True,
                        term=role, field="roles", group_field="themes")
    for keyword in index.keywords:
        renderer.render(f"mots-cles/{keyword.slug}.md", "mot-cle.md.j2", f"Mot-clé : {keyword.label}", listing=True,
                        keyword=keyword)
    renderer.render("mots-cles/index.md", "mots-cles.md.j2", "Mots-clés", listing=True)
    renderer.render("index-a-z.md", "index-a-z.md.j2", "Index de A à Z", listing=True)
    renderer.render("pratiques/index.md", "pratiques.md.j2", "Explorer les pratiques",
                    "Toutes les pratiques publiées, à filtrer par thème, moment, rôle, effort, service ou mot-clé.",
                    listing=True)
    renderer.render("donnees/index.md", "donnees.md.j2", "Données ouvertes",
                    "Les métadonnées de toutes les pratiques en JSON et en CSV, sous Licence Ouverte.",
                    fields=documented_fields())
    renderer.render("recommandations.md", "recommandations.md.j2", "Synthèse des recommandations")
    renderer.render("etat-des-lieux.md", "etat-des-lieux.md.j2", "État des lieux",
                    "Les chiffres publics sur les violences envers les agents publics, leurs sources et leurs limites.")
    renderer.render("index.md", "accueil.md.j2", "Accueil",
                    latest=index.latest(options.latest_count))
    return renderer.pages


def render_page(index: Index, uri: str, template_name: str, title: str, description: str = "",
                options: SiteOptions | None = None, **context: Any) -> str:
    """One generated page from its template, with the same context (front matter, `link`) as the others."""
    renderer = _Renderer(index, options or SiteOptions())
    renderer.render(uri, template_name, title, description, **context)
    return renderer.pages[uri]


LinkFunction = Callable[..., str]
