"""MkDocs adapter for the Recueil core: validate `practices/`, add the generated pages in memory.

All logic lives in the `recueil` package beside this file; this module only wires MkDocs events
to it. MkDocs puts this folder on sys.path only while loading the hook, hence the top imports.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from recueil import export
from recueil.collection import load_collection
from recueil.explorer import FILTER_PATH, filter_json
from recueil.feed import FEED_PATH, render_feed
from recueil.index import build_index
from recueil.model import Practice
from recueil.render import SiteOptions, practice_uri, render_pages

log = get_plugin_logger("recueil")

_practices: dict[str, Practice] = {}  # generated page source path → practice, for edit links


def _settings(config: MkDocsConfig) -> dict[str, Any]:
    settings: dict[str, Any] = config.extra.get("recueil", {})
    return settings


def on_files(files: Files, config: MkDocsConfig) -> Files:
    settings = _settings(config)
    root = Path(config.config_file_path).parent
    collection = load_collection(root / settings.get("pratiques", "practices"), root=root)
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
    options = SiteOptions(
        use_directory_urls=config.use_directory_urls,
        edit_url=settings.get("edition"),
    )
    urls = {"site_url": config.site_url or None, "use_directory_urls": config.use_directory_urls}
    generated = {
        **render_pages(index, options),
        FILTER_PATH: filter_json(index),
        "donnees/pratiques.json": export.to_json(index.practices, **urls),
        "donnees/pratiques.csv": export.to_csv(index.practices, **urls),
        "donnees/pratique.schema.json": export.schema_text(),
        FEED_PATH: render_feed(index, **urls),
    }
    collisions = []
    for uri, content in generated.items():
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


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, **_: Any) -> dict[str, Any]:
    # Generated pages have no edit link of their own: point it at the source sheet.
    practice = _practices.get(page.file.src_uri)
    edit = _settings(config).get("edition")
    if practice is not None and edit:
        page.edit_url = edit.format(chemin=practice.path)
    return context
