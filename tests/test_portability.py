"""The site is not tied to MkDocs itself: ProperDocs (the maintained MkDocs 1.x fork) builds it unchanged."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import CORPUS, write_config

PROPERDOCS = shutil.which("properdocs", path=str(Path(sys.executable).parent))


@pytest.mark.skipif(PROPERDOCS is None, reason="properdocs is not installed (pip install -e '.[test]')")
def test_properdocs_builds_the_site_unchanged(tmp_path: Path) -> None:
    config = write_config(tmp_path, CORPUS / "valid")
    site = tmp_path / "site"
    result = subprocess.run(
        [str(PROPERDOCS), "build", "--strict", "-f", str(config), "-d", str(site)],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    page = BeautifulSoup(
        (site / "pratiques" / "alpha-proteger" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert page.h1.get_text(strip=True) == "Alpha : protéger les agents exposés"
    assert [a.get_text() for a in page.select("ol.rc-sources cite")] == ["Source de test pour alpha-proteger"]
    assert not (site / "pratiques" / "epsilon-brouillon").exists()


def test_export_writes_a_plain_tree_that_builds_without_our_hook(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    out = tmp_path / "export"
    result = subprocess.run(
        [sys.executable, "-m", "recueil.cli", "export", str(out)], cwd=root, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "hooks" not in (out / "mkdocs.yml").read_text(encoding="utf-8")
    generated = out / "docs" / "pratiques" / "piloter-la-protection-fonctionnelle.md"
    assert generated.read_text(encoding="utf-8").startswith("---\ntitle: Piloter la protection fonctionnelle")
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=out,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=600,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    page = BeautifulSoup(
        (out / "site" / "pratiques" / "piloter-la-protection-fonctionnelle" / "index.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    assert page.h1.get_text(strip=True) == "Piloter la protection fonctionnelle par une procédure RH écrite"


def test_export_never_overwrites(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    (tmp_path / "notes.md").write_text("à garder\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "recueil.cli", "export", str(tmp_path)], cwd=root, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "n'est pas vide" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.md"]
    assert (tmp_path / "notes.md").read_text(encoding="utf-8") == "à garder\n"
