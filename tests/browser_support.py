"""Browser test support: built sites served on 127.0.0.1 and a headless Debian Chromium.

Loaded by conftest.py as a pytest plugin. Without /usr/bin/chromium the browser fixtures skip
with the reason; no browser is ever downloaded.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from conftest import CORPUS, mkdocs_build

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class Server:
    """A built site served over HTTP on 127.0.0.1, on a free port, from a thread."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def serve_build(tmp: Path, practices: Path) -> Server:
    build = mkdocs_build(tmp, practices)
    assert build.returncode == 0, build.output
    return Server(build.site)


@pytest.fixture(scope="session")
def explorer_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The site of tests/corpus/explorer (varied facets), served."""
    server = serve_build(tmp_path_factory.mktemp("explorer-site"), CORPUS / "explorer")
    yield server
    server.close()


@pytest.fixture(scope="session")
def fixture_server(fixture_site: Any) -> Iterator[Server]:
    """The site of tests/corpus/valid (the shared `fixture_site` build), served."""
    server = Server(fixture_site.site)
    yield server
    server.close()


@pytest.fixture(scope="session")
def project_server(project_site: Any) -> Iterator[Server]:
    """The real project's site (the shared `project_site` build), served: what readers get."""
    server = Server(project_site.site)
    yield server
    server.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (make system-deps)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (make install)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()
