"""MkDocs adapter for the Recueil core: validate `practices/`, add the generated pages in memory.

All logic lives in the `recueil` package beside this file; this module only wires MkDocs events
to it. MkDocs puts this folder on sys.path only while loading the hook, hence the top imports.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path
from typing import Any, Literal

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from recueil.collection import load_collection
from recueil.compendium import CompendiumOptions
from recueil.index import Index, build_index
from recueil.model import Practice
from recueil.pdf import CACHE_FOLDER, PdfError, write_pdfs
from recueil.render import practice_uri
from recueil.sanitize import clean_between
from recueil.site import compendium_options, generated_files

log = get_plugin_logger("recueil")

_practices: dict[str, Practice] = {}  # generated page source path → practice, for edit links
_state: dict[str, Any] = {"command": "build", "index": None, "marker": None}


def _pdf_enabled() -> bool:
    """PDFs are made by `mkdocs build`, not by `mkdocs serve` (slow reloads) unless RECUEIL_PDF=1."""
    switch = os.environ.get("RECUEIL_PDF", "").strip()
    if switch:
        return switch not in {"0", "non", "no", "false"}
    return bool(_state["command"] != "serve")


def _compendium_options(config: MkDocsConfig) -> CompendiumOptions:
    # Under `mkdocs serve`, site_url is the local preview's address: a sheet shows its public one (adresse),
    # and the PDFs laid out under serve are the ones the next build reuses.
    site_url = None if _state["command"] == "serve" else config.site_url
    return compendium_options(_settings(config), site_name=config.site_name, site_url=site_url,
                              use_directory_urls=config.use_directory_urls)


def on_startup(command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
    _state["command"] = command


def _settings(config: MkDocsConfig) -> dict[str, Any]:
    settings: dict[str, Any] = config.extra.get("recueil", {})
    return settings


def on_files(files: Files, config: MkDocsConfig) -> Files:
    settings = _settings(config)
    root = Path(config.config_file_path).parent
    practices_dir = root / settings.get("pratiques", "practices")
    collection = load_collection(practices_dir, root=root)
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
    # A new secret per build: a sheet cannot write the comment that closes its own body early.
    _state["marker"] = f"recueil-corps-{secrets.token_hex(16)}"
    pages = generated_files(index, settings, root=root, use_directory_urls=config.use_directory_urls,
                            compendium=_compendium_options(config), pdf_links=_pdf_enabled(),
                            site_url=config.site_url, body_marker=_state["marker"])
    _state["index"] = index
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
    _practices.clear()
    _practices.update({practice_uri(p.slug): p for p in index.practices})
    return files


def on_page_content(html: str, page: Page, **_: Any) -> str:
    # Each sheet's body, converted by MkDocs like any page, goes through the allow-list.
    return clean_between(html, _state["marker"]) if page.file.src_uri in _practices else html


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, **_: Any) -> dict[str, Any]:
    # Generated pages have no edit link of their own: point it at the source sheet.
    practice = _practices.get(page.file.src_uri)
    edit = _settings(config).get("edition")
    if practice is not None and edit:
        page.edit_url = edit.format(chemin=practice.path)
    return context


def on_post_build(config: MkDocsConfig) -> None:
    # The one output written to site_dir directly: WeasyPrint needs every sheet, not an in-memory page.
    index: Index | None = _state["index"]
    if index is None or not _pdf_enabled():
        return
    started = time.perf_counter()
    cache = Path(config.config_file_path).parent / CACHE_FOLDER
    try:
        written = write_pdfs(index, _compendium_options(config), Path(config.site_dir), cache=cache)
    except PdfError as error:
        raise Abort(f"PDF du recueil : {error}") from error
    log.info(written.summary(time.perf_counter() - started))
