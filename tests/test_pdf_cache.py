"""The PDF's layout cache: what a rebuild lays out again, and that a cached layout is never a stale one.

These tests call the core directly (one process, no site) on a copy of the fixture corpus, and read the
PDFs back with pdftotext.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import CORPUS, pdf_available
from recueil.index import build_index
from recueil.load.collection import load_collection
from recueil.printing.book import CompendiumOptions
from recueil.printing.pdf import Written, write_pdfs

pytestmark = pytest.mark.skipif(not pdf_available(), reason="WeasyPrint's Debian libraries are missing")
OPTIONS = CompendiumOptions(base_url="https://exemple.test/recueil/")


def _build(practices: Path, out: Path, cache: Path) -> Written:
    return write_pdfs(build_index(load_collection(practices)), OPTIONS, out, cache=cache, workers=1)


def _text(pdf: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is missing: install poppler-utils (scripts/system-deps.sh)")
    result = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return " ".join(result.stdout.split())


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    practices = tmp_path / "practices"
    shutil.copytree(CORPUS / "valid", practices)
    return practices


def _edit(sheet: Path, old: str, new: str) -> None:
    text = sheet.read_text(encoding="utf-8")
    assert old in text
    sheet.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_second_build_lays_out_nothing_and_writes_the_same_pdfs(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _build(corpus, tmp_path / "first", cache)
    assert first.laid_out > 0 and first.reused == 0
    second = _build(corpus, tmp_path / "second", cache)
    assert second.laid_out == 0
    assert [p.name for p in first.paths] == [p.name for p in second.paths]
    for before, after in zip(first.paths, second.paths, strict=True):
        assert before.read_bytes() == after.read_bytes(), before.name


def test_an_edited_sheet_is_laid_out_again_and_shows_its_new_text(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _build(corpus, tmp_path / "out", cache)
    added = "Une phrase ajoutée entre deux constructions."
    _edit(corpus / "beta-accueillir.md", "## Contexte\n", f"## Contexte\n\n{added}\n")
    second = _build(corpus, tmp_path / "out", cache)
    # The sheet itself; the parts around it only if its number of pages moved.
    assert 1 <= second.laid_out < first.laid_out
    for name in ("recueil.pdf", "recueil-relation-usagers.pdf"):
        assert added in _text(tmp_path / "out" / name)
    assert added not in _text(tmp_path / "out" / "recueil-politique-rh.pdf")


def test_a_damaged_cache_entry_is_laid_out_again(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _build(corpus, tmp_path / "first", cache)
    entries = sorted(cache.iterdir())
    assert entries and all(p.suffix in {".pdf", ".json"} for p in entries)
    damaged = [p for p in entries if p.suffix == ".pdf"][:2] + [p for p in entries if p.suffix == ".json"][-2:]
    for path in damaged:
        path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 3])  # an interrupted write
    second = _build(corpus, tmp_path / "second", cache)
    assert second.laid_out >= 1
    for before, after in zip(first.paths, second.paths, strict=True):
        assert before.read_bytes() == after.read_bytes(), before.name


def test_the_cache_keeps_only_what_the_last_build_used(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _build(corpus, tmp_path / "out", cache)
    before = {p.name for p in cache.iterdir()}
    _edit(corpus / "delta-soutenir.md", "## Contexte\n", "## Contexte\n\nUne phrase de plus.\n")
    _build(corpus, tmp_path / "out", cache)
    after = {p.name for p in cache.iterdir()}
    # The old layout of the sheet (its PDF and its page list) gave way to the new one; nothing else moved.
    assert len(before - after) == len(after - before) == 2
    # A third build with nothing changed needs every entry that is left, and no other.
    again = _build(corpus, tmp_path / "out", cache)
    assert again.laid_out == 0 and {p.name for p in cache.iterdir()} == after


def test_the_cache_folder_holds_only_its_own_files(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "LISEZ-MOI.txt").write_text("pas un document du cache", encoding="utf-8")
    _build(corpus, tmp_path / "out", cache)
    _build(corpus, tmp_path / "out", cache)
    assert (cache / "LISEZ-MOI.txt").read_text(encoding="utf-8") == "pas un document du cache"
    assert not [p for p in cache.iterdir() if p.name.startswith(".tmp-")]  # no temporary file left behind
