"""Shared fixtures: real MkDocs builds of the real configuration over a chosen practices folder."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from recueil.contribute.plaintree import config_elsewhere

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "corpus"

pytest_plugins = ["browser_support"]


@dataclass
class Build:
    returncode: int
    output: str
    site: Path

    def page(self, url_path: str) -> BeautifulSoup:
        """Parse a built page by its URL path, e.g. 'pratiques/alpha/'."""
        file = self.site / url_path / "index.html" if not url_path.endswith(".html") else self.site / url_path
        return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


def write_config(tmp: Path, practices: Path, **overrides: object) -> Path:
    """The project's mkdocs.yml with absolute paths, reading `practices` instead."""
    config = config_elsewhere(ROOT, practices)
    config.update(overrides)
    path = tmp / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def recueil_check(*args: str, cwd: Path = CORPUS, github: bool = False) -> subprocess.CompletedProcess[str]:
    """`recueil check` run as a contributor runs it: plain `path:line: message` lines, or GitHub's
    annotations when `github` (as in Actions)."""
    return subprocess.run(
        [sys.executable, "-m", "recueil.cli", "check", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "GITHUB_ACTIONS": "true" if github else ""},
    )


def pdf_available() -> bool:
    """WeasyPrint loads Pango when imported: without the Debian libraries the PDF cannot be made."""
    try:
        import weasyprint  # noqa: F401
    except OSError:
        return False
    return True


def mkdocs_build(tmp: Path, practices: Path, *, strict: bool = True, pdf: bool = False) -> Build:
    """Build the site; the compendium PDFs only when asked (they take most of a build's time)."""
    config = write_config(tmp, practices)
    site = tmp / "site"
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site)]
    if strict:
        command.append("--strict")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "RECUEIL_PDF": "1" if pdf else "0"}
    # cwd: pymdownx.snippets resolves its paths from the working directory.
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)
    return Build(result.returncode, result.stdout + result.stderr, site)


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The site built from tests/corpus/valid, with its PDFs (shared by the PDF tests)."""
    build = mkdocs_build(tmp_path_factory.mktemp("fixture-site"), CORPUS / "valid", pdf=pdf_available())
    assert build.returncode == 0, build.output
    return build


@pytest.fixture(scope="session")
def project_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The real project's site (practices/), without its PDFs: what readers get in their browser."""
    build = mkdocs_build(tmp_path_factory.mktemp("project-site"), ROOT / "practices")
    assert build.returncode == 0, build.output
    return build
