"""Open data: JSON and CSV round-trip every published practice's front matter; the schema and the data page."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import CORPUS, Build
from recueil.format.vocabulary import practice_schema
from recueil.load.collection import load_collection
from recueil.load.sourcefile import read_text, split_practice
from recueil.site import export
from recueil.urls import Urls

CORPORA = [CORPUS / "valid", CORPUS / "explorer"]


def _front_matter(practices_dir: Path, slug: str) -> dict[str, Any]:
    """The YAML front matter exactly as written in the source file (dates as written, ISO)."""
    file = practices_dir / f"{slug}.md"
    text, problem = read_text(file, file.name)
    assert text is not None and problem is None
    raw, problems = split_practice(text, file.name, slug)
    assert raw is not None and not problems
    data = {key: (value.isoformat() if hasattr(value, "isoformat") else value) for key, value in raw.data.items()}
    data.pop("brouillon", None)
    # `liens: []` and no `liens` mean the same; the export writes neither.
    return {key: value for key, value in data.items() if value != []}


def _published(practices_dir: Path) -> list[Any]:
    return sorted(load_collection(practices_dir).published, key=lambda p: p.slug)


@pytest.mark.parametrize("practices_dir", CORPORA, ids=lambda p: p.name)
def test_json_round_trips_every_published_practice(practices_dir: Path) -> None:
    practices = _published(practices_dir)
    document = json.loads(export.to_json(practices, Urls()))
    assert document["licence"] == "Licence Ouverte / Etalab 2.0"
    by_id = {record["identifiant"]: record for record in document["pratiques"]}
    assert sorted(by_id) == [p.slug for p in practices]
    validator = jsonschema.Draft202012Validator(
        practice_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    for practice in practices:
        record = by_id[practice.slug]
        assert record["fiche"] == _front_matter(practices_dir, practice.slug)
        assert record["url"] == f"pratiques/{practice.slug}/"
        assert list(validator.iter_errors(record["fiche"])) == []


@pytest.mark.parametrize("practices_dir", CORPORA, ids=lambda p: p.name)
def test_csv_round_trips_every_published_practice(practices_dir: Path) -> None:
    practices = _published(practices_dir)
    text = export.to_csv(practices, Urls(site_url="https://recueil.example.fr/"))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0])[:3] == ["identifiant", "url", "titre"]
    assert len(rows) == len(practices)
    for practice, row in zip(practices, rows, strict=True):
        record = export.decode_csv_row(row)
        assert record["identifiant"] == practice.slug
        assert record["url"] == f"https://recueil.example.fr/pratiques/{practice.slug}/"
        assert record["fiche"] == _front_matter(practices_dir, practice.slug)


def test_list_fields_are_joined_with_a_bar() -> None:
    practices = _published(CORPUS / "explorer")
    rows = {row["identifiant"]: row for row in csv.DictReader(io.StringIO(export.to_csv(practices, Urls())))}
    assert rows["registre-incidents"]["moments"] == "prevenir|accompagner"
    assert rows["registre-incidents"]["collectivites"] == "etablissement-public|centre-de-gestion"
    assert rows["document-unique"]["collectivites"] == ""  # absent: suits every kind


@pytest.mark.parametrize(
    "dangerous",
    ['=HYPERLINK("https://x.test")', "+33 1 23", "-2+3", "@SUM(A1)", "\tcaché", "\rretour", "'déjà une apostrophe"],
)
def test_csv_neutralises_spreadsheet_formulas_and_still_round_trips(dangerous: str) -> None:
    practice = dataclasses.replace(
        _published(CORPUS / "valid")[0],
        titre=dangerous + " : une pratique",
        mots_cles=(dangerous.lstrip("=+-@\t\r'") + "x",),
    )
    text = export.to_csv([practice], Urls())
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["titre"] == "'" + dangerous + " : une pratique"
    assert export.decode_csv_row(row)["fiche"]["titre"] == dangerous + " : une pratique"
    safe = export.decode_csv_row(row)["fiche"]["mots_cles"]
    assert safe == list(practice.mots_cles)


def test_drafts_are_never_exported() -> None:
    collection = load_collection(CORPUS / "explorer")
    drafts = [p.slug for p in collection.practices if p.brouillon]
    assert drafts == ["zeta-brouillon"]
    json_text = export.to_json(collection.published, Urls())
    csv_text = export.to_csv(collection.published, Urls())
    assert "zeta-brouillon" not in json_text and "zeta-brouillon" not in csv_text


def test_the_site_serves_the_open_data(fixture_site: Build) -> None:
    data = fixture_site.site / "donnees"
    document = json.loads((data / "pratiques.json").read_text(encoding="utf-8"))
    published = load_collection(CORPUS / "valid").published
    assert sorted(r["identifiant"] for r in document["pratiques"]) == sorted(p.slug for p in published)
    for record in document["pratiques"]:
        assert (fixture_site.site / record["url"] / "index.html").is_file()
    rows = list(csv.DictReader(io.StringIO((data / "pratiques.csv").read_text(encoding="utf-8"))))
    assert len(rows) == len(published)
    assert json.loads((data / "pratique.schema.json").read_text(encoding="utf-8")) == practice_schema()


def test_the_data_page_documents_every_field_from_the_schema(fixture_site: Build) -> None:
    page = fixture_site.page("donnees/")
    schema = practice_schema()
    documented = {dt["id"].removeprefix("champ-"): dt.get_text(" ", strip=True) for dt in page.select(".rc-champs dt")}
    assert list(documented) == [name for name in schema["properties"] if name != "brouillon"]
    for name, heading in documented.items():
        prop = schema["properties"][name]
        assert prop["title"] in heading
        description = page.find(id=f"champ-{name}").find_next_sibling("dd").get_text(" ", strip=True)
        if "description" in prop:
            assert prop["description"] in description
    # Vocabulary values are shown with their French label.
    nature = page.find(id="champ-nature").find_next_sibling("dd").get_text(" ", strip=True)
    assert "initiative-locale : Initiative locale" in nature
    text = page.get_text(" ", strip=True)
    assert "Licence Ouverte / Etalab 2.0" in text and "apostrophe" in text
    hrefs = {a["href"] for a in page.select(".rc-fichiers a")}
    assert hrefs == {"pratiques.json", "pratiques.csv", "pratique.schema.json", "../flux.xml"}
