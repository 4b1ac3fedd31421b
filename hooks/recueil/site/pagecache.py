"""What `mkdocs serve` keeps from one rebuild to the next, so that an edit costs what it changes.

Every rebuild regenerates every page, but after one sheet is edited only that sheet's page and the
listings that show it differ. Two caches, each keyed by a hash of everything its result depends on:

- `PAGES`: a generated page's conversion, keyed by its Markdown. The secret marker changes at each
  build, so the key reads the Markdown with it blanked and the stored HTML gets the new one back.
  What is reused is the converter's output, before the hook sanitises it: the allow-list runs on
  every rebuild.
- `OUTPUTS`: a page as the theme rendered it, with what the search plugin indexed of it, keyed by
  the page's final content, title, metadata, table of contents and place in the site, under a
  context made of the site's settings, theme files and navigation.

- `CLEANED`: a practice page after the allow-list, keyed by what the converter gave (the marker
  blanked): the same input always gives the same output, so it is cleaned once.

`TEMPLATES` keeps the theme's compiled templates (MkDocs makes a new Jinja2 environment per build).
Nothing here is used by `mkdocs build`, which always starts afresh.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import jinja2

T = TypeVar("T")


@dataclass(frozen=True)
class Converted:
    marker: str  # the secret of the build that converted it
    html: str
    toc: Any  # MkDocs' TableOfContents: what the page's table of contents and the search read
    anchors: frozenset[str]  # ids MkDocs found in the page (checked by links to it)

    def html_for(self, marker: str) -> str:
        return self.html.replace(self.marker, marker)


@dataclass(frozen=True)
class Rendered:
    html: str  # the whole page, as written to the site
    search: tuple[dict[str, Any], ...]  # the search plugin's entries for the page, in order


def digest(parts: Iterable[str]) -> str:
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=20).hexdigest()


class PageCache(Generic[T]):
    def __init__(self) -> None:
        self.entries: dict[str, T] = {}
        self.used: set[str] = set()
        self.context = ""
        self.hits = 0  # pages of the current build taken from the cache

    def begin(self, context: Iterable[str]) -> None:
        """Start a build. `context`: whatever else every entry depends on; when it changes, nothing is reused."""
        context_digest = digest(context)
        if context_digest != self.context:
            self.entries.clear()
        self.context = context_digest
        self.used = set()
        self.hits = 0

    def key(self, uri: str, content: str, marker: str = "") -> str:
        blanked = content.replace(marker, "\0") if marker else content
        return digest((uri, blanked))

    def get(self, key: str) -> T | None:
        found = self.entries.get(key)
        if found is not None:
            self.used.add(key)
            self.hits += 1
        return found

    def put(self, key: str, value: T) -> None:
        self.entries[key] = value
        self.used.add(key)

    def sweep(self) -> None:
        """Forget the pages the last build did not use (edited or removed since)."""
        self.entries = {key: value for key, value in self.entries.items() if key in self.used}


class TemplateCache(jinja2.BytecodeCache):
    """Compiled templates in memory; Jinja2 checks each against a checksum of its current source."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


# One each per process: `mkdocs serve` keeps the hook module across rebuilds, and the core with it.
PAGES: PageCache[Converted] = PageCache()
OUTPUTS: PageCache[Rendered] = PageCache()
CLEANED: PageCache[str] = PageCache()
TEMPLATES = TemplateCache()
