"""The real project: its collection checks clean and its site builds with --strict."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from recueil.collection import load_collection
from recueil.vocabulary import schema_enum, vocabularies


def test_the_collection_has_no_problem() -> None:
    collection = load_collection(ROOT / "practices", root=ROOT)
    assert [str(p) for p in collection.problems] == []
    assert collection.published


def test_the_site_builds_strict(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "site" / "pratiques" / "index.html").is_file()


def test_vocabulary_labels_cover_exactly_the_schema_ids() -> None:
    for field, vocabulary in vocabularies().items():
        assert vocabulary.ids == schema_enum(field)
        assert all(term.libelle and term.description for term in vocabulary.terms)
