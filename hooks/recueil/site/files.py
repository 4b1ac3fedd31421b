"""Every file the collection adds to the site, from one place: the hook and `recueil export` both
take them from here, so an exported tree is exactly what the hook builds."""

from __future__ import annotations

from recueil.assessment import autodiagnostic
from recueil.index import Index
from recueil.printing.book import CompendiumOptions
from recueil.printing.compendium import render_site_pages
from recueil.settings import Settings
from recueil.site import export
from recueil.site.explorer import FILTER_PATH, filter_json
from recueil.site.feed import FEED_PATH, render_feed
from recueil.site.islands import Islands
from recueil.site.pages import render_pages
from recueil.site.webform import contribution_files


def compendium_options(settings: Settings) -> CompendiumOptions:
    return CompendiumOptions(title=settings.site_name, base_url=settings.public_url, urls=settings.urls)


def generated_files(
    index: Index,
    settings: Settings,
    *,
    pdf_links: bool = False,
    body_marker: str | None = None,
    islands: Islands | None = None,
    reuse: bool = False,
) -> dict[str, str | bytes]:
    """{site path: content} of every generated page and data file.

    `pdf_links`: whether the compendium page links to PDFs (only when the build makes them);
    `body_marker`, `islands`: see `render_pages` (the hook's, or None for an exported tree);
    `reuse`: keep what each sheet gave for the next call, and take back what did not change since the
    last one (for the rebuilds of `mkdocs serve`; a one-off build would only pay for the copies).
    """
    pages = render_pages(index, settings, body_marker=body_marker, islands=islands, reuse=reuse)
    files: dict[str, str | bytes] = dict(pages)
    files.update(contribution_files(settings))
    options = compendium_options(settings)
    files.update(render_site_pages(index, options, pdf_links=pdf_links, islands=islands, reuse=reuse))
    files.update(autodiagnostic.site_files(index, settings.urls))
    files.update(
        {
            FILTER_PATH: filter_json(index),
            export.SCHEMA_PATH: export.schema_text(),
            "donnees/pratiques.json": export.to_json(index.practices, settings.urls),
            "donnees/pratiques.csv": export.to_csv(index.practices, settings.urls),
            FEED_PATH: render_feed(index, settings.urls),
        }
    )
    return files
