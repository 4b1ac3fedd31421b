"""The self-assessment's core and the study team's synthesis, on hand-made practices and generated answer files.

Expected figures are worked out by hand in the comments, from the four practices below.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import jsonschema
import pytest

from conftest import CORPUS, ROOT
from recueil.assessment import autodiagnostic as ad
from recueil.assessment import synthese
from recueil.cli import main
from recueil.format.vocabulary import vocabularies
from recueil.index import build_index
from recueil.load.collection import load_collection
from recueil.model import Practice
from recueil.urls import Urls


def practice(
    slug: str,
    *,
    themes: tuple[str, ...] = ("politique-rh",),
    moments: tuple[str, ...] = ("prevenir",),
    nature: str = "initiative-locale",
    effort: str = "moyen",
    collectivites: tuple[str, ...] = (),
    services: tuple[str, ...] = (),
) -> Practice:
    return Practice(
        slug=slug,
        path=f"practices/{slug}.md",
        titre=f"Titre de {slug}",
        resume="Résumé.",
        themes=themes,
        moments=moments,
        nature=nature,
        roles=("rh",),
        effort=effort,
        collectivites=collectivites,
        services=services,
        publie_le=dt.date(2026, 1, 1),
    )


# In this order (the collection's order): A obligation, effort élevé; B initiative, effort faible, communes only;
# C obligation, effort faible, « police municipale » only, theme × moment = continuum × faire face;
# D recommendation, effort faible, in two themes.
A = practice("a", nature="obligation-legale", effort="eleve")
B = practice("b", effort="faible", collectivites=("commune",))
C = practice(
    "c",
    themes=("continuum-securite",),
    moments=("faire-face",),
    nature="obligation-legale",
    effort="faible",
    services=("police-municipale",),
)
D = practice("d", themes=("politique-rh", "relation-usagers"), nature="recommandation-officielle", effort="faible")
PRACTICES = (A, B, C, D)


def test_applicability_follows_type_and_services() -> None:
    region = ad.Profile(type="region", services=("accueil",))
    assert [p.slug for p in PRACTICES if ad.applies(p, region)] == ["a", "d"]
    commune = ad.Profile(type="commune", services=("accueil", "police-municipale"))
    assert [p.slug for p in PRACTICES if ad.applies(p, commune)] == ["a", "b", "c", "d"]
    assert all(ad.applies(p, ad.Profile()) for p in PRACTICES)  # an unanswered profile excludes nothing


def test_plan_puts_obligations_first_then_low_effort_then_order() -> None:
    answers = {"a": "pas-encore", "b": "en-cours", "c": "en-cours", "d": "pas-encore"}
    assert [p.slug for p in ad.plan(PRACTICES, ad.Profile(), answers)] == ["c", "a", "b", "d"]
    # « en place », « non concerné », unanswered and non-applicable practices stay out of the plan
    answers = {"a": "en-place", "b": "pas-encore", "d": "non-concerne"}
    assert [p.slug for p in ad.plan(PRACTICES, ad.Profile(type="region"), answers)] == []


def test_grid_counts_applicable_practices_in_place() -> None:
    answers = {"a": "en-place", "b": "en-place", "d": "non-concerne"}
    result = ad.results(PRACTICES, ad.Profile(type="region", services=("accueil",)), answers)
    # politique-rh/prevenir: A (in place), B (not applicable), D (not concerned) → 1 in place out of 1
    assert result["grille"]["politique-rh/prevenir"] == [1, 1]
    assert result["grille"]["relation-usagers/prevenir"] == [0, 0]  # D only, not concerned
    assert result["grille"]["continuum-securite/faire-face"] == [0, 0]  # C not applicable
    assert result["non_applicables"] == ["b", "c"]
    cell = next(
        c
        for c in ad.grid(PRACTICES, ad.Profile(), {"a": "en-place"})
        if c.theme == "politique-rh" and c.moment == "prevenir"
    )
    assert (cell.in_place, cell.total, cell.percent) == (1, 3, 33)


def test_schema_keeps_labels_and_matches_the_vocabularies() -> None:
    schema = ad.answer_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert [band.id for band in ad.size_bands()] == ["moins-de-3500", "3500-20000", "20000-100000", "plus-de-100000"]
    assert [c.id for c in ad.answer_choices()] == ["en-place", "en-cours", "pas-encore", "non-concerne"]
    assert schema["properties"]["profil"]["properties"]["type"]["enum"] == list(vocabularies()["collectivites"].ids)
    assert schema["additionalProperties"] is False


def test_page_data_carries_what_the_script_needs() -> None:
    index = build_index(load_collection(CORPUS / "valid"))
    data = json.loads(ad.page_json(index, Urls()))
    assert [p["slug"] for p in data["pratiques"]] == [p.slug for p in index.practices]
    first = data["pratiques"][0]
    assert set(first) == {
        "slug",
        "titre",
        "url",
        "themes",
        "moments",
        "nature",
        "effort",
        "collectivites",
        "services",
        "recommandations",
    }
    cited = {slug for slug, p in ((p["slug"], p) for p in data["pratiques"]) if p["recommandations"]}
    assert cited == {slug for slug in index.citing if slug in index.by_slug}


# Synthesis -------------------------------------------------------------------------------------------------


def answer_file(
    folder: Path, name: str, *, profile: dict[str, Any], answers: dict[str, str], collectivite: str | None = None
) -> Path:
    data: dict[str, Any] = {"version": 1, "date": "2026-12-01", "profil": profile, "reponses": answers}
    if collectivite:
        data["collectivite"] = collectivite
    path = folder / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    return [
        # Commune with the municipal police: every practice applies.
        answer_file(
            tmp_path,
            "1.json",
            collectivite="Ville Une",
            answers={"a": "en-place", "b": "en-cours", "c": "pas-encore", "d": "en-cours"},
            profile={"type": "commune", "taille": "3500-20000", "services": ["police-municipale"]},
        ),
        # Region, reception only: B and C do not apply; an answer to a practice since removed.
        answer_file(
            tmp_path,
            "2.json",
            collectivite="Région Deux",
            answers={"a": "pas-encore", "b": "en-place", "d": "en-place", "retiree": "en-place"},
            profile={"type": "region", "taille": "plus-de-100000", "services": ["accueil"]},
        ),
        # Made before D existed: D is unanswered. Commune without the police: C does not apply.
        answer_file(
            tmp_path,
            "3.json",
            answers={"a": "en-cours", "b": "non-concerne"},
            profile={"type": "commune", "taille": "3500-20000", "services": ["accueil"]},
        ),
        # The same as 1.json, byte for byte in content: counted once.
        answer_file(
            tmp_path,
            "4.json",
            collectivite="Ville Une",
            answers={"d": "en-cours", "c": "pas-encore", "b": "en-cours", "a": "en-place"},
            profile={"services": ["police-municipale"], "taille": "3500-20000", "type": "commune"},
        ),
        answer_file(tmp_path, "5.json", answers={"a": "oui"}, profile={"type": "commune"}),  # invalid answer
    ]


def test_synthesis_figures_match_the_hand_count(files: list[Path]) -> None:
    respondents, problems = synthese.read_answers(files, PRACTICES)
    assert [r.path for r in respondents] == [files[0].as_posix(), files[1].as_posix(), files[2].as_posix()]
    messages = [(Path(p.path).name, p.severity, p.message) for p in problems]
    assert (
        "2.json",
        "avertissement",
        "réponses à des pratiques qui ne sont plus publiées, laissées de côté : retiree",
    ) in messages
    assert ("4.json", "avertissement", f"mêmes réponses que {files[0].as_posix()} : comptées une fois") in messages
    invalid = [p for p in problems if p.is_error]
    assert [(Path(p.path).name, p.line, p.message) for p in invalid] == [  # at the line of "a": "oui"
        (
            "5.json",
            8,
            "valeur « oui » inconnue pour « reponses › a » ; valeurs permises : en-place, en-cours, "
            "pas-encore, non-concerne",
        )
    ]
    result = synthese.synthesise(respondents, problems, PRACTICES)
    counts = {slug: dict(t.counts) for slug, t in result.by_practice.items()}
    # A: 1 en place, 2 pas encore, 3 en cours → 1/3 in place (33 %)
    assert counts["a"] == {"en-place": 1, "pas-encore": 1, "en-cours": 1}
    assert result.by_practice["a"].percent("en-place") == 33
    # B: 1 en cours, 2 not applicable (region), 3 non concerné → counted 1, 0 %
    assert counts["b"] == {"en-cours": 1, "non-applicable": 1, "non-concerne": 1}
    assert result.by_practice["b"].counted == 1 and result.by_practice["b"].percent("en-place") == 0
    # C: 1 pas encore, 2 and 3 not applicable (no police service)
    assert counts["c"] == {"pas-encore": 1, "non-applicable": 2}
    # D: 1 en cours, 2 en place, 3 unanswered (added since) → 1/3
    assert counts["d"] == {"en-cours": 1, "en-place": 1, "sans-reponse": 1}
    # politique-rh × prévenir holds A, B, D: 1 + 0 + 1 in place, over 3 + 1 + 3 counted → 2/7 = 29 %
    cell = result.by_cell["politique-rh", "prevenir"]
    assert (cell.counts["en-place"], cell.counted, cell.percent("en-place")) == (2, 7, 29)
    assert result.by_profile == {
        ("Commune", "De 3 500 à 20 000 habitants"): 2,
        ("Région", "Plus de 100 000 habitants"): 1,
    }
    # Obligations A (33 %) and C (0 %): C is the least met. Most « en cours »: A, B, D once each, in order.
    assert [p.slug for p in result.obligations_least_met] == ["c", "a"]
    assert [p.slug for p in result.most_in_progress] == ["a", "b", "d"]


def test_each_broken_rule_is_worded_in_french_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "cassee.json"
    path.write_text(
        '{"version": 2,\n "date": "hier",\n "profil": {"type": "ville"},\n'
        ' "reponses": {"Mauvais Nom": "en-place"},\n "intrus": 1}',
        encoding="utf-8",
    )
    _, problems = synthese.read_answers([path], PRACTICES)
    assert [(p.line, p.message) for p in problems] == [
        (1, "« version » doit valoir 1 (reçu : 2)"),
        (2, "date « hier » invalide : format AAAA-MM-JJ attendu"),
        (
            3,
            "valeur « ville » inconnue pour « profil › type » ; valeurs permises : "
            + ", ".join(vocabularies()["collectivites"].ids),
        ),
        (
            4,
            "identifiant de pratique « Mauvais Nom » invalide : minuscules sans accents, chiffres et tirets, "
            "80 caractères au plus",
        ),
        (5, "clé inconnue « intrus » ; clés permises : version, date, collectivite, profil, reponses"),
    ]


def test_outputs_leave_names_out_unless_asked(files: list[Path]) -> None:
    respondents, problems = synthese.read_answers(files, PRACTICES)
    result = synthese.synthesise(respondents, problems, PRACTICES)
    plain = synthese.outputs(result)
    assert "Ville Une" not in "".join(plain.values())
    named = synthese.outputs(result, with_names=True)
    assert "- Région Deux\n- Ville Une" in named["synthese.md"]
    rows = list(csv.DictReader(io.StringIO(plain["pratiques.csv"])))
    assert [
        (
            r["identifiant"],
            r["en-place"],
            r["sans-reponse"],
            r["part_en_place"],
            r["part_en_cours"],
            r["part_pas_encore"],
        )
        for r in rows
    ] == [
        ("a", "1", "0", "33", "33", "33"),
        ("b", "0", "0", "0", "100", "0"),
        ("c", "0", "0", "0", "0", "100"),
        ("d", "1", "1", "33", "33", "0"),
    ]
    grid = {(r["theme"], r["moment"]): r for r in csv.DictReader(io.StringIO(plain["grille.csv"]))}
    assert grid["politique-rh", "prevenir"]["part_en_place"] == "29"
    assert grid["continuum-securite", "faire-face"]["non-applicable"] == "2"
    assert plain["synthese.md"].startswith(
        "# Synthèse de l'autodiagnostic\n\n3 collectivité(s) comptée(s) ; 1 fichier(s) refusé(s) ; 1 doublon(s)"
    )


def test_svg_charts_are_valid_and_escaped(files: list[Path]) -> None:
    hostile = dataclasses.replace(practice("e", nature="obligation-legale"), titre="<script>alert(1)</script> & co")
    respondents, problems = synthese.read_answers(files, (*PRACTICES, hostile))
    svg = synthese.outputs(synthese.synthesise(respondents, problems, (*PRACTICES, hostile)))["obligations.svg"]
    tree = ElementTree.fromstring(svg)  # well-formed: the title is escaped
    texts = " ".join("".join(t.itertext()) for t in tree.iter("{http://www.w3.org/2000/svg}text"))
    assert "<script>alert(1)</script> & co" in texts
    assert "en place 1" in texts
    rows = list(
        csv.reader(
            io.StringIO(
                synthese.outputs(
                    synthese.synthesise(respondents, problems, (dataclasses.replace(hostile, titre="=1+1"),))
                )["pratiques.csv"]
            )
        )
    )
    assert rows[1][1] == "'=1+1"  # no spreadsheet formula


def test_command_is_deterministic_and_reports_located_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    slug = build_index(load_collection(CORPUS / "valid")).practices[0].slug
    good = answer_file(tmp_path, "bonne.json", answers={slug: "en-cours"}, profile={"type": "commune"})
    broken = tmp_path / "cassee.json"
    broken.write_text('{"version": 1,\n  "date": "2026-12-01",\n  oups\n}', encoding="utf-8")
    outputs = []
    for n, order in enumerate(([good, broken], [broken, good])):
        out = tmp_path / f"sortie{n}"
        code = main(
            ["autodiagnostic", "synthese", *map(str, order), "--sortie", str(out), "--pratiques", str(CORPUS / "valid")]
        )
        assert code == 1  # a file was refused; the report is written anyway
        outputs.append({f.name: f.read_bytes() for f in sorted(out.iterdir())})
    assert outputs[0] == outputs[1]
    assert set(outputs[0]) == {
        "synthese.md",
        "pratiques.csv",
        "grille.csv",
        "repondants.csv",
        "grille.svg",
        "obligations.svg",
    }
    err = capsys.readouterr().err
    assert f"{broken.as_posix()}:3: erreur : JSON invalide" in err
    assert "1 collectivité(s) comptée(s), 1 fichier(s) refusé(s)" in err
