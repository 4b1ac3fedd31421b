"""Every file the collection adds to the site, from one place: the hook and `recueil export` both
take them from here, so an exported tree is exactly what the hook builds."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from recueil import autodiagnostic, export
from recueil.compendium import CompendiumOptions, render_site_pages
from recueil.explorer import FILTER_PATH, filter_json
from recueil.feed import FEED_PATH, render_feed
from recueil.index import Index
from recueil.render import SiteOptions, render_pages
from recueil.webform import contribution_files


def repository_path(path: Path, root: Path) -> str:
    # The form names the file as the repository knows it; a folder outside it keeps its name only.
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name


def compendium_options(
    settings: Mapping[str, Any], *, site_name: str, site_url: str | None, use_directory_urls: bool = True
) -> CompendiumOptions:
    # Printed addresses and QR codes need an absolute URL: site_url, else extra.recueil.adresse.
    return CompendiumOptions(title=site_name, base_url=site_url or settings.get("adresse") or None,
                             use_directory_urls=use_directory_urls)


def generated_files(
    index: Index,
    settings: Mapping[str, Any],
    *,
    root: Path,
    compendium: CompendiumOptions,
    use_directory_urls: bool = True,
    pdf_links: bool = False,
    site_url: str | None = None,
) -> dict[str, str | bytes]:
    """{site path: content} of every generated page and data file.

    `settings` is the `extra.recueil` mapping of mkdocs.yml (pratiques, edition, nouvelle_fiche…);
    `pdf_links`: whether the compendium page links to PDFs (only when the build makes them).
    """
    practices_dir = root / settings.get("pratiques", "practices")
    options = SiteOptions(use_directory_urls=use_directory_urls, edit_url=settings.get("edition"))
    files: dict[str, str | bytes] = dict(render_pages(index, options))
    files.update(contribution_files(
        new_file_url=settings.get("nouvelle_fiche"),
        practices_dir=repository_path(practices_dir, root),
        use_directory_urls=use_directory_urls,
    ))
    files.update(render_site_pages(index, compendium, pdf_links=pdf_links))
    files.update(autodiagnostic.site_files(index, options))
    absolute = site_url or None
    files.update({
        FILTER_PATH: filter_json(index),
        export.SCHEMA_PATH: export.schema_text(),
        "donnees/pratiques.json": export.to_json(index.practices, site_url=absolute,
                                                 use_directory_urls=use_directory_urls),
        "donnees/pratiques.csv": export.to_csv(index.practices, site_url=absolute,
                                               use_directory_urls=use_directory_urls),
        FEED_PATH: render_feed(index, site_url=absolute, use_directory_urls=use_directory_urls),
    })
    return files
