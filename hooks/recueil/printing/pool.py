"""Documents laid out in parallel processes, each at most once per build: from the cache when it holds them."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from recueil import processes
from recueil.printing.cache import PartCache
from recueil.printing.layout import Part, check_renderer, layout


class Renderer:
    """Lays out documents in parallel processes, each at most once: from the cache when it holds them."""

    def __init__(self, cache: PartCache, workers: int) -> None:
        self.cache = cache
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        self.used: set[str] = set()
        self.laid_out = 0
        self.reused = 0

    def layout(self, documents: Sequence[str]) -> list[Part]:
        keys = [self.cache.key(html) for html in documents]
        found: dict[str, Part] = {}
        missing: dict[str, str] = {}
        for key, html in zip(keys, documents, strict=True):
            if key in found or key in missing:
                continue
            part = self.cache.get(key)
            if part is None:
                missing[key] = html
            else:
                found[key] = part
        for key, part in zip(missing, self._layout_all(list(missing.values())), strict=True):
            self.cache.put(key, part)
            found[key] = part
        self.laid_out += len(missing)
        self.reused += len(set(keys)) - len(missing)
        self.used.update(keys)
        return [found[key] for key in keys]

    def _layout_all(self, documents: list[str]) -> list[Part]:
        if self.workers == 1 or len(documents) < 2:
            return [layout(html) for html in documents]
        if self.pool is None:
            # Spawned, not forked: the caller may be a threaded server (mkdocs serve).
            self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
        # Longest first, so that no long document (the sources, the index) starts when the rest is done.
        order = sorted(range(len(documents)), key=lambda i: -len(documents[i]))
        parts = dict(zip(order, self.pool.map(layout, [documents[i] for i in order]), strict=True))
        return [parts[i] for i in range(len(documents))]

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()
            self.pool = None


@contextmanager
def renderer(cache_folder: Path | None = None, workers: int | None = None) -> Iterator[Renderer]:
    """A renderer for one build; the cache folder keeps only what the build used."""
    version = check_renderer()
    rendering = Renderer(PartCache(cache_folder, salt=f"WeasyPrint {version}"), workers or processes.available())
    try:
        yield rendering
        rendering.cache.keep_only(rendering.used)
    finally:
        rendering.close()
