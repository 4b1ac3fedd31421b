"""MkDocs adapter for the Recueil core: validate `practices/`, add the generated pages in memory.

All logic lives in the `recueil` package beside this file; this module only wires MkDocs events
to it. MkDocs puts this folder on sys.path only while loading the hook, hence the top imports.
"""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from recueil.format.sanitize import clean_between
from recueil.index import Index, build_index
from recueil.load.collection import load_collection
from recueil.model import Practice
from recueil.printing.cache import CACHE_FOLDER
from recueil.printing.layout import PdfError
from recueil.printing.pdf import write_pdfs
from recueil.settings import Settings, SettingsError, load_settings
from recueil.site.files import compendium_options, generated_files
from recueil.site.islands import Islands
from recueil.site.pagecache import CLEANED, OUTPUTS, PAGES, TEMPLATES, Converted, Rendered
from recueil.site.searchindex import full_text, headings_only
from recueil.urls import practice_uri

log = get_plugin_logger("recueil")
REUSED_TEMPLATE = "recueil-reprise.html"  # an empty template in the theme folder: see on_env


@dataclass
class _Build:
    """What one build (or one `mkdocs serve` rebuild) carries from event to event."""

    command: str = "build"
    settings: Settings | None = None
    index: Index | None = None
    practices: dict[str, Practice] = field(default_factory=dict)  # generated page source path → practice
    # A new secret per build: a sheet cannot write the comment that closes its own body early.
    marker: str = ""
    islands: Islands | None = None
    full_text: bool = True  # whether search indexes the practice bodies (see recueil.site.searchindex)
    generated: set[str] = field(default_factory=set)
    # Under `mkdocs serve` only (see recueil.site.pagecache), by page source path:
    keys: dict[str, str] = field(default_factory=dict)  # generated page → its key in PAGES
    converted: dict[str, Converted] = field(default_factory=dict)  # generated page → its reused conversion
    outputs: dict[str, str] = field(default_factory=dict)  # page → its key in OUTPUTS
    reused: dict[str, Rendered] = field(default_factory=dict)  # page → its reused rendering
    navigation: str = ""  # what every page shows of the site's navigation
    search: list[dict[str, Any]] | None = None  # the search plugin's entries, when it can be read
    search_seen: int = 0  # entries already attributed to a page
    page_search: tuple[dict[str, Any], ...] = ()  # the entries of the page being rendered

    def start(self) -> None:
        """Forget the pages of the previous rebuild (the object lives as long as the `mkdocs serve` process)."""
        for pages in (self.keys, self.converted, self.outputs, self.reused):
            pages.clear()
        self.page_search = ()

    @property
    def pdf_enabled(self) -> bool:
        """PDFs are made by `mkdocs build`, not by `mkdocs serve` (slow reloads) unless RECUEIL_PDF=1."""
        switch = os.environ.get("RECUEIL_PDF", "").strip()
        if switch:
            return switch not in {"0", "non", "no", "false"}
        return self.command != "serve"


_build = _Build()


def on_startup(command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
    _build.command = command


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    try:
        # Under `mkdocs serve`, site_url is the local preview's: printed addresses use extra.recueil.adresse,
        # and the PDFs laid out under serve are the ones the next build reuses.
        _build.settings = load_settings(
            Path(config.config_file_path), resolved=config, serving=_build.command == "serve"
        )
    except SettingsError as error:
        for problem in error.problems:
            log.error(str(problem))
        raise Abort("Réglages invalides dans mkdocs.yml (liste ci-dessus).") from error
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    _build.start()
    settings = _settings()
    collection = load_collection(settings.practices_dir, root=settings.root)
    for warning in collection.warnings:
        log.warning(str(warning))
    if collection.errors:
        for error in collection.errors:
            log.error(str(error))
        raise Abort(
            f"{len(collection.errors)} erreur(s) dans les fiches : le site n'est pas construit. "
            "Corrigez-les (liste ci-dessus) ou lancez « recueil check »."
        )
    index = build_index(collection)
    _build.marker = f"recueil-corps-{secrets.token_hex(16)}"
    _build.islands = Islands(_build.marker)
    pages = generated_files(
        index,
        settings,
        pdf_links=_build.pdf_enabled,
        body_marker=_build.marker,
        islands=_build.islands,
        reuse=_build.command == "serve",
    )
    _build.index = index
    _build.full_text = full_text(len(index.practices))
    collisions = []
    for uri, content in pages.items():
        if files.get_file_from_path(uri) is not None:
            collisions.append(uri)
            continue
        files.append(File.generated(config, uri, content=content))
    if collisions:
        raise Abort(
            "Ces pages sont générées à partir des fiches et ne doivent pas exister dans "
            f"{config.docs_dir} : " + ", ".join(collisions)
        )
    _build.practices = {practice_uri(p.slug): p for p in index.practices}
    _build.generated = set(pages)
    if _build.command == "serve":
        includes = sorted(Path(config.docs_dir, "includes").glob("*"))
        CLEANED.begin([])  # the allow-list is code: it changes with the process
        PAGES.begin(
            [
                repr((config.markdown_extensions, config.mdx_configs, config.use_directory_urls)),
                *(p.read_text(encoding="utf-8") for p in includes if p.is_file()),
                *sorted(f.src_uri for f in files.documentation_pages()),
            ]
        )
    return files


def on_page_markdown(markdown: str, page: Page, **_: Any) -> str:
    # Under `mkdocs serve`, a generated page whose Markdown did not change since the last rebuild is not
    # converted again: on_page_content takes it from the cache.
    if _build.command != "serve" or page.file.src_uri not in _build.generated:
        return markdown
    key = _build.keys[page.file.src_uri] = PAGES.key(page.file.src_uri, markdown, _build.marker)
    converted = PAGES.get(key)
    if converted is None:
        return markdown
    _build.converted[page.file.src_uri] = converted
    return ""


def on_page_content(html: str, page: Page, **_: Any) -> str:
    uri = page.file.src_uri
    if uri in _build.converted:
        converted = _build.converted[uri]
        html = converted.html_for(_build.marker)
        page.toc, page.present_anchor_ids = converted.toc, set(converted.anchors)
    elif uri in _build.keys:
        PAGES.put(_build.keys[uri], Converted(_build.marker, html, page.toc, frozenset(page.present_anchor_ids or ())))
    practice = _build.practices.get(uri)
    if practice is not None:
        # Each sheet's body, converted by MkDocs like any page, goes through the allow-list.
        html = _cleaned(uri, html)
        # Generated pages have no edit link of their own: point it at the source sheet.
        edit = _settings().edit_url
        if edit:
            page.edit_url = edit.format(chemin=practice.path)
    # The blocks the templates prepared as HTML come back in place of their placeholders.
    return _build.islands.restore(html) if _build.islands is not None else html


def _cleaned(uri: str, html: str) -> str:
    """The page with its body through the allow-list (under `mkdocs serve`, once per distinct conversion)."""
    then = None if _build.full_text else headings_only
    if _build.command != "serve":
        return clean_between(html, _build.marker, then=then)
    key = CLEANED.key(f"{uri}\0{_build.full_text}", html, _build.marker)
    cleaned = CLEANED.get(key)
    if cleaned is None:
        cleaned = clean_between(html, _build.marker, then=then)
        CLEANED.put(key, cleaned.replace(_build.marker, "\0"))
        return cleaned
    return cleaned.replace("\0", _build.marker)


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    if _build.command == "serve":
        _build.navigation = repr(_nav_outline(nav.items))
    return nav


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    """Under `mkdocs serve`, a page whose rendering depends on nothing that changed is not rendered again.

    Its template becomes an empty one and on_post_page hands back the page as rendered the last time;
    the search plugin skips it, and on_page_context gives the search index its entries of last time.
    """
    if _build.command != "serve":
        return env
    env.bytecode_cache = TEMPLATES
    search = config.plugins.get("material/search")
    entries = getattr(getattr(search, "search_index", None), "entries", None)
    _build.search = entries if isinstance(entries, list) else None
    _build.search_seen = len(entries) if isinstance(entries, list) else 0
    OUTPUTS.begin([_site_signature(config), _build.navigation])
    for file in files.documentation_pages():
        page = file.page
        if page is None:
            continue
        key = _build.outputs[file.src_uri] = OUTPUTS.key(file.src_uri, _page_signature(page))
        reused = OUTPUTS.get(key)
        if reused is not None and (_build.search is not None or not reused.search):
            _build.reused[file.src_uri] = reused
            page.meta["template"] = REUSED_TEMPLATE
            page.meta["search"] = {"exclude": True}
            page.content = ""  # nothing reads it any more (the search plugin would scan it)
    return env


def on_page_context(context: dict[str, Any], page: Page, **_: Any) -> dict[str, Any]:
    # Runs after the search plugin's: the entries it added since the last page are this page's.
    if _build.search is not None:
        reused = _build.reused.get(page.file.src_uri)
        if reused is not None:
            _build.search.extend(reused.search)
        _build.page_search = tuple(_build.search[_build.search_seen :])
        _build.search_seen = len(_build.search)
    return context


def on_post_page(output: str, page: Page, **_: Any) -> str:
    uri = page.file.src_uri
    if uri in _build.reused:
        return _build.reused[uri].html
    if uri in _build.outputs:
        OUTPUTS.put(_build.outputs[uri], Rendered(output, _build.page_search))
    return output


def on_post_build(config: MkDocsConfig) -> None:
    if _build.command == "serve":
        log.info(
            f"{PAGES.hits} page(s) reprise(s) de la construction précédente sans nouvelle conversion, "
            f"{OUTPUTS.hits} sans nouvelle mise en page"
        )
        for cache in (PAGES, OUTPUTS, CLEANED):
            cache.sweep()
    # The one output written to site_dir directly: WeasyPrint needs every sheet, not an in-memory page.
    if _build.index is None or not _build.pdf_enabled:
        return
    started = time.perf_counter()
    try:
        written = write_pdfs(
            _build.index, compendium_options(_settings()), Path(config.site_dir), cache=_settings().root / CACHE_FOLDER
        )
    except PdfError as error:
        raise Abort(f"PDF du recueil : {error}") from error
    log.info(written.summary(time.perf_counter() - started))


def _site_signature(config: MkDocsConfig) -> str:
    """What every rendered page depends on beside itself and the navigation: settings and theme files."""
    theme_files = sorted(Path(config.theme.custom_dir).rglob("*")) if config.theme.custom_dir else []
    return repr(
        (
            Path(config.config_file_path).read_text(encoding="utf-8") if config.config_file_path else "",
            config.site_url,
            repr(config.extra),
            version("mkdocs"),
            version("mkdocs-material"),
            *((str(p), p.read_bytes()) for p in theme_files if p.is_file()),
        )
    )


def _nav_outline(items: list[Any]) -> list[Any]:
    outline: list[Any] = []
    for item in items:
        if isinstance(item, Section):
            outline.append(("section", item.title, _nav_outline(item.children)))
        elif isinstance(item, Page | Link):
            outline.append((type(item).__name__, item.title, item.url))
    return outline


def _toc_outline(links: list[AnchorLink]) -> list[Any]:
    return [(link.title, link.id, link.level, _toc_outline(link.children)) for link in links]


def _page_signature(page: Page) -> str:
    """Everything of a page's own that the theme shows: with the site and the navigation, all it renders from."""
    neighbours = [(p.title, p.url) if p is not None else None for p in (page.previous_page, page.next_page)]
    return repr(
        (
            page.url,
            page.canonical_url,
            page.edit_url,
            page.title,
            page.meta,
            _toc_outline(list(page.toc)),
            neighbours,
            [section.title for section in page.ancestors],
            page.content,
        )
    )


def _settings() -> Settings:
    assert _build.settings is not None, "on_config runs first"
    return _build.settings
