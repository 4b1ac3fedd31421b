"""How the site's pages and files are addressed: the one module that knows `use_directory_urls`.

Pages are named by their source path (`pratiques/alpha.md`), as MkDocs names them; `Urls` turns
those into links relative to another page, site-root paths, or absolute URLs.
"""

from __future__ import annotations

import functools
import posixpath
from dataclasses import dataclass


def practice_uri(slug: str) -> str:
    """The source path of a practice's generated page."""
    return f"pratiques/{slug}.md"


@functools.lru_cache(maxsize=65536)
def _page_path(uri: str, use_directory_urls: bool) -> str:
    stem, _ = posixpath.splitext(uri)
    if not use_directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    return (stem[: -len("/index")] if stem.endswith("/index") else stem) + "/"


def _directory(page: str, use_directory_urls: bool) -> str:
    return (page.rstrip("/") if use_directory_urls else posixpath.dirname(page)) or "."


@functools.lru_cache(maxsize=262144)  # pure, and asked for the same pairs over and over by the templates
def _relative(from_uri: str, to_uri: str, use_directory_urls: bool) -> str:
    target = _page_path(to_uri, use_directory_urls)
    relative = posixpath.relpath(
        target.rstrip("/") or ".", _directory(_page_path(from_uri, use_directory_urls), use_directory_urls)
    )
    if target.endswith("/") or target == "":
        return "./" if relative == "." else relative + "/"
    return relative


@dataclass(frozen=True, kw_only=True)
class Urls:
    use_directory_urls: bool = True  # MkDocs' setting: `pratiques/alpha/` rather than `pratiques/alpha.html`
    site_url: str | None = None  # the site's absolute address, if known (mkdocs.yml `site_url`)

    def page(self, uri: str) -> str:
        """Site-root path of the page built from `uri`, as MkDocs computes it (`pratiques/alpha/`)."""
        return _page_path(uri, self.use_directory_urls)

    def relative(self, from_uri: str, to_uri: str) -> str:
        """Link from the page built from `from_uri` to the page built from `to_uri`."""
        return _relative(from_uri, to_uri, self.use_directory_urls)

    def file(self, from_uri: str, path: str) -> str:
        """Link from a page to a site file that is not a page (`assets/x.js`, `recueil.pdf`)."""
        return posixpath.relpath(path, _directory(self.page(from_uri), self.use_directory_urls))

    def absolute(self, uri: str, base: str | None = None) -> str | None:
        """Absolute URL of a page under `base` (by default `site_url`); None when no address is known."""
        base = base or self.site_url
        return join(base, self.page(uri)) if base else None

    def public(self, uri: str) -> str:
        """Absolute URL when `site_url` is known, else the site-root path (open data, feed links)."""
        return self.absolute(uri) or self.page(uri)


def join(base: str, path: str) -> str:
    """`base` (an absolute URL) followed by a site-root path."""
    return base.rstrip("/") + "/" + path
