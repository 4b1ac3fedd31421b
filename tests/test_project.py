"""The real project: its collection checks clean and its site builds with --strict."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from recueil.format.vocabulary import practice_schema, schema_enum, value_node, vocabularies
from recueil.load.collection import load_collection
from recueil.model import Example, Practice, Source


def test_the_collection_has_no_problem() -> None:
    collection = load_collection(ROOT / "practices", root=ROOT)
    assert [str(p) for p in collection.problems] == []
    assert collection.published


def test_the_site_builds_strict(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "site" / "pratiques" / "index.html").is_file()


def test_vocabulary_labels_cover_exactly_the_schema_ids() -> None:
    for field, vocabulary in vocabularies().items():
        assert vocabulary.ids == schema_enum(field)
        assert all(term.libelle and term.description for term in vocabulary.terms)


def test_the_collection_covers_every_theme_and_moment() -> None:
    collection = load_collection(ROOT / "practices", root=ROOT)
    published = collection.published
    assert len(published) >= 70
    vocab = vocabularies()
    for theme in vocab["themes"].ids:
        for moment in vocab["moments"].ids:
            cell = [p.slug for p in published if theme in p.themes and moment in p.moments]
            assert len(cell) >= 6, (theme, moment, cell)


def test_every_practice_is_cited_by_a_recommendation() -> None:
    collection = load_collection(ROOT / "practices", root=ROOT)
    assert len(collection.recommendations) >= 12
    assert all(len(r.pratiques) >= 2 for r in collection.recommendations)
    assert {r.theme for r in collection.recommendations} == set(vocabularies()["themes"].ids)
    cited = {slug for r in collection.recommendations for slug in r.pratiques}
    assert [p.slug for p in collection.published if p.slug not in cited] == []


def test_every_recommendation_is_a_commitment_illustrated_by_two_sheets() -> None:
    collection = load_collection(ROOT / "practices", root=ROOT)
    published = {p.slug for p in collection.published}
    roles, horizons = vocabularies()["roles"].ids, vocabularies()["echeance"].ids
    assert collection.recommendations  # a schema error would leave none to check
    for r in collection.recommendations:
        assert r.porteurs and set(r.porteurs) <= set(roles), r.id
        assert r.echeance in horizons, r.id
        assert 1 <= len(r.indicateurs) <= 4 and all(text.strip() for text in r.indicateurs), r.id
        assert len(set(r.pratiques) & published) >= 2, r.id


def test_every_source_and_example_can_be_checked() -> None:
    for practice in load_collection(ROOT / "practices", root=ROOT).published:
        assert practice.sources, practice.slug
        for source in practice.sources:
            assert source.titre.strip() and source.editeur.strip(), practice.slug
        for example in practice.exemples:
            assert example.source.startswith("https://"), (practice.slug, example.collectivite)


def test_the_schema_and_the_model_name_the_same_fields() -> None:
    # The loader builds the model from the schema's keys: a field added to one must be added to the other.
    model = {f.name for f in dataclasses.fields(Practice)} - {"slug", "path", "body"}
    assert set(practice_schema()["properties"]) == model
    for name, kind in (("sources", Source), ("exemples", Example)):
        assert set(value_node(name)["properties"]) == {f.name for f in dataclasses.fields(kind)}
