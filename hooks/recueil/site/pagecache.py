"""Converted generated pages kept across `mkdocs serve` rebuilds, by a hash of their Markdown.

Every rebuild regenerates every page, but after one sheet is edited only that sheet's page and the
listings that show it have new Markdown: the others are handed back as converted the last time
instead of going through Python-Markdown again. The secret marker changes at each build, so the
key reads the Markdown with it blanked and the stored HTML gets the new one back. What is reused is
the converter's output, before the hook sanitises it: the allow-list runs on every rebuild.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Converted:
    marker: str  # the secret of the build that converted it
    html: str
    toc: Any  # MkDocs' TableOfContents: what the page's table of contents and the search read
    anchors: frozenset[str]  # ids MkDocs found in the page (checked by links to it)

    def html_for(self, marker: str) -> str:
        return self.html.replace(self.marker, marker)


class PageCache:
    def __init__(self) -> None:
        self.entries: dict[str, Converted] = {}
        self.used: set[str] = set()
        self.context = ""
        self.hits = 0  # pages of the current build taken from the cache

    def begin(self, context: Iterable[str]) -> None:
        """Start a build. `context`: whatever else a conversion depends on (Markdown settings, included
        files, the site's pages for relative links); when it changes, nothing is reused."""
        digest = hashlib.blake2b("\0".join(context).encode()).hexdigest()
        if digest != self.context:
            self.entries.clear()
        self.context = digest
        self.used = set()
        self.hits = 0

    def key(self, uri: str, markdown: str, marker: str) -> str:
        blanked = markdown.replace(marker, "\0") if marker else markdown
        return hashlib.blake2b(f"{uri}\0{blanked}".encode()).hexdigest()

    def get(self, key: str) -> Converted | None:
        found = self.entries.get(key)
        if found is not None:
            self.used.add(key)
        return found

    def put(self, key: str, converted: Converted) -> None:
        self.entries[key] = converted
        self.used.add(key)

    def sweep(self) -> None:
        """Forget the pages the last build did not use (edited or removed since)."""
        self.entries = {key: value for key, value in self.entries.items() if key in self.used}


# One per process: `mkdocs serve` reloads the hook module at each rebuild, not the core.
PAGES = PageCache()
