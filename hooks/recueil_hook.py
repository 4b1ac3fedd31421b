"""MkDocs adapter for the Recueil core: validate `practices/`, add the generated pages in memory.

All logic lives in the `recueil` package beside this file; this module only wires MkDocs events
to it. MkDocs puts this folder on sys.path only while loading the hook, hence the top imports.
"""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

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
from recueil.site.pagecache import PAGES, Converted
from recueil.site.searchindex import full_text, headings_only
from recueil.urls import practice_uri

log = get_plugin_logger("recueil")


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
    keys: dict[str, str] = field(default_factory=dict)  # generated page → its key in the page cache

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
        index, settings, pdf_links=_build.pdf_enabled, body_marker=_build.marker, islands=_build.islands
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
    if PAGES.get(key) is None:
        return markdown
    PAGES.hits += 1
    return ""


def on_page_content(html: str, page: Page, **_: Any) -> str:
    key = _build.keys.get(page.file.src_uri)
    if key is not None:
        cached = PAGES.get(key)
        if cached is None:
            PAGES.put(key, Converted(_build.marker, html, page.toc, frozenset(page.present_anchor_ids or ())))
        else:
            html = cached.html_for(_build.marker)
            page.toc, page.present_anchor_ids = cached.toc, set(cached.anchors)
    # Each sheet's body, converted by MkDocs like any page, goes through the allow-list; then the
    # blocks the templates prepared as HTML come back in place of their placeholders.
    if page.file.src_uri in _build.practices:
        html = clean_between(html, _build.marker, then=None if _build.full_text else headings_only)
    return _build.islands.restore(html) if _build.islands is not None else html


def on_page_context(context: dict[str, Any], page: Page, **_: Any) -> dict[str, Any]:
    # Generated pages have no edit link of their own: point it at the source sheet.
    practice = _build.practices.get(page.file.src_uri)
    edit = _settings().edit_url
    if practice is not None and edit:
        page.edit_url = edit.format(chemin=practice.path)
    return context


def on_post_build(config: MkDocsConfig) -> None:
    if _build.command == "serve":
        log.info(f"{PAGES.hits} page(s) reprise(s) de la construction précédente sans nouvelle conversion")
        PAGES.sweep()
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


def _settings() -> Settings:
    assert _build.settings is not None, "on_config runs first"
    return _build.settings
