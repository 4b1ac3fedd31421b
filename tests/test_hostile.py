"""Hostile input: no file may crash the checker, hang it, make it read outside the folder, or be changed.

Each crafted file must yield a clear `path:line` problem instead.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CORPUS, ROOT
from recueil.format.vocabulary import practice_schema
from recueil.index import build_index
from recueil.load.collection import load_collection
from recueil.load.sourcefile import split_practice
from recueil.site import export
from recueil.site.feed import render_feed
from recueil.urls import Urls

VALID = (CORPUS / "valid" / "alpha-proteger.md").read_text(encoding="utf-8")
FRONT, BODY = VALID.split("\n---\n", 1)[0] + "\n", VALID.split("\n---\n", 1)[1]


def _practice(front_extra: str = "", body: str = BODY) -> str:
    return f"{FRONT}{front_extra}---\n{body}"


def _check(folder: Path) -> dict[str, list[tuple[int, str]]]:
    found: dict[str, list[tuple[int, str]]] = {}
    for problem in load_collection(folder, root=folder).problems:
        found.setdefault(problem.path, []).append((problem.line, problem.message))
    return found


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file() and not p.is_symlink()
    }


CRAFTED = {
    "alias-bomb.md": _practice(
        'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    ),
    "cle-en-double.md": _practice('titre: "Un second titre pour la même fiche"\n'),
    "python-object.md": _practice("brouillon: !!python/object/apply:os.system ['echo pwned']\n"),
    "imbrication.md": _practice("exemples: " + "[" * 40 + "]" * 40 + "\n"),
    "pas-une-fiche.md": "# Notes de réunion\n\nCe fichier n'est pas une fiche.\n",
}


@pytest.fixture()
def hostile(tmp_path: Path) -> Path:
    folder = tmp_path / "practices"
    folder.mkdir()
    (folder / "beta-accueillir.md").write_text(
        (CORPUS / "valid" / "beta-accueillir.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    for name, text in CRAFTED.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "latin-1.md").write_bytes(_practice().replace("Épsilon", "").encode("latin-1", "replace"))
    (folder / "binaire.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00" + os.urandom(256))
    with open(folder / "enorme.md", "wb") as handle:  # 50 MB, sparse: cheap to create
        handle.truncate(50 * 1024 * 1024)
    (tmp_path / "secret.md").write_text(_practice(), encoding="utf-8")
    (folder / "lien-exterieur.md").symlink_to(tmp_path / "secret.md")
    (folder / "dossier-lie").symlink_to(tmp_path)
    (folder / "Nom Avec Espaces É.md").write_text(_practice(), encoding="utf-8")
    (folder / "sous-dossier").mkdir()
    (folder / "sous-dossier" / "gamma-cooperer.md").write_text(_practice(), encoding="utf-8")
    os.mkfifo(folder / "tube.md")
    return folder


def test_every_hostile_file_gets_a_located_problem(hostile: Path) -> None:
    before = _snapshot(hostile.parent)
    found = _check(hostile)
    expect = {
        "alias-bomb.md": "ancres et alias",
        "cle-en-double.md": "clé « titre » en double",
        "python-object.md": "étiquette YAML non autorisée",
        "imbrication.md": "trop imbriquées",
        "pas-une-fiche.md": "en-tête YAML absent",
        "latin-1.md": "pas encodé en UTF-8",
        "binaire.md": "fichier binaire",
        "enorme.md": "trop volumineux",
        "lien-exterieur.md": "lien symbolique refusé",
        "dossier-lie": "lien symbolique refusé",
        "Nom Avec Espaces É.md": "nom de fichier « Nom Avec Espaces É.md » invalide",
        "sous-dossier/gamma-cooperer.md": "sous-dossier refusé",
        "tube.md": "pas un fichier ordinaire",
    }
    for path, words in expect.items():
        assert any(words in message for _, message in found.get(path, [])), (path, found.get(path))
    assert "beta-accueillir.md" not in found
    assert found["cle-en-double.md"] == [
        (FRONT.count("\n") + 1, "clé « titre » en double (déjà ligne 2) : YAML ne garderait que la dernière")
    ]
    assert _snapshot(hostile.parent) == before


def test_nothing_outside_the_folder_is_read(hostile: Path) -> None:
    collection = load_collection(hostile, root=hostile)
    assert all("secret" not in p.path for p in collection.practices)
    assert {p.slug for p in collection.practices} == {"beta-accueillir"}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=600))
def test_any_text_gives_problems_never_a_crash(text: str) -> None:
    raw, problems = split_practice(text, "x.md", "x")
    assert raw is not None or problems
    assert all(p.line >= 1 for p in problems)


_FIELD = st.sampled_from([*practice_schema()["properties"], "inconnu"])
_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30) | st.dates().map(str),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(_FIELD, _VALUE, max_size=8))
def test_any_front_matter_gives_located_problems(tmp_path: Path, front: dict[str, object]) -> None:
    folder = tmp_path / "fm"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + BODY
    (folder / "fiche-au-hasard.md").write_text(text, encoding="utf-8")
    collection = load_collection(folder, root=folder)
    line_count = text.count("\n") + 1
    for problem in collection.problems:
        assert problem.path == "fiche-au-hasard.md"
        assert 1 <= problem.line <= line_count, problem
    assert collection.practices == () or not collection.errors


# --- Construction errors: PyYAML raises plain ValueError/KeyError for these ---------------------------------

CONSTRUCTION = CORPUS / "construction"


def test_construction_errors_are_located_and_hide_nothing() -> None:
    expected = yaml.safe_load((CORPUS / "construction.expected.yml").read_text(encoding="utf-8"))
    found: dict[str, list[tuple[int, str]]] = {}
    for problem in load_collection(CONSTRUCTION, root=CONSTRUCTION).problems:
        found.setdefault(problem.path, []).append((problem.line, problem.message))
    assert sorted(found) == sorted(expected) == sorted(p.name for p in CONSTRUCTION.glob("*.md"))
    for name, items in expected.items():
        assert len(found[name]) == len(items), (name, found[name])
        for (line, words), (found_line, message) in zip(items, sorted(found[name]), strict=True):
            assert (found_line, words in message) == (line, True), (name, found[name])


def test_check_prints_no_traceback_on_construction_errors() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "recueil.cli", "check", str(CONSTRUCTION)], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr + result.stdout
    assert result.stdout.count(": erreur : ") == 17


# --- YAML text generated token by token: the loader returns located problems, it never raises -----------

_KEYS = st.sampled_from([*practice_schema()["properties"], "titre ", "a b", "<<"])
_TAGS = st.sampled_from(
    [
        "",
        "!!int ",
        "!!float ",
        "!!bool ",
        "!!null ",
        "!!str ",
        "!!timestamp ",
        "!!binary ",
        "!!set ",
        "!!omap ",
        "!!pairs ",
        "!!seq ",
        "!!map ",
        "!!python/none ",
        "!local ",
        "!<tag:yaml.org,2002:int> ",
        "!!merge ",
    ]
)
_DATES = st.builds(
    "{:04d}-{:02d}-{:02d}{}".format,
    st.integers(0, 10_000),
    st.integers(0, 14),
    st.integers(0, 40),
    st.sampled_from(["", "T25:61:00", " 10:00:00+99:00", "t12:00:00Z", ".5", "T00:00:00.1234567"]),
)
_SCALARS = st.one_of(
    _DATES,
    st.sampled_from(
        [
            "abc",
            "yes",
            "No",
            "~",
            "null",
            ".nan",
            "-.inf",
            "0x1F",
            "0o17",
            "1_000",
            "1e400",
            "0b2",
            "2024-02-30",
            "[",
            "]",
            "{",
            "}",
            "&a x",
            "*a",
            "|",
            ">-",
            "'",
            '"',
            "- x",
            "? x",
            "#",
            "%",
            "@x",
            "`x`",
            ":",
            ": :",
            "---",
            "...",
        ]
    ),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
    st.text(max_size=12).map(lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    st.sampled_from(['"\\0"', '"\\e"', '"\\u202e"', '"\\x7f"', '"\\U0001F600"', '"\\q"', "'it''s'", '"\\N"']),
)
_VALUES = st.recursive(
    st.builds(str.__add__, _TAGS, _SCALARS),
    lambda inner: (
        st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]")
        | st.lists(st.tuples(_KEYS, inner), max_size=3).map(
            lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}"
        )
    ),
    max_leaves=6,
)
_LINES = st.lists(
    st.tuples(st.sampled_from(["", " ", "  ", "    ", "\t", "- ", "  - "]), _KEYS, _VALUES).map(
        lambda t: f"{t[0]}{t[1]}: {t[2]}"
    )
    | st.sampled_from(["", "---", "...", "%YAML 1.1", "- x", "  -", "? x", ": y", "&a", "*a", "!!", "|", "  more"]),
    max_size=12,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_LINES, st.booleans())
def test_generated_yaml_text_never_crashes_the_loader(lines: list[str], keep_valid: bool) -> None:
    front = (FRONT.split("\n", 1)[1] if keep_valid else "") + "\n".join(lines)
    text = "---\n" + front + "\n---\n" + BODY
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "fiche-generee.md").write_text(text, encoding="utf-8")
        collection = load_collection(folder, root=folder)
    line_count = text.count("\n") + 1
    for problem in collection.problems:
        assert 1 <= problem.line <= line_count, problem
    assert collection.practices == () or not collection.errors


# --- Whatever passes the checker is well-formed in the feed, the JSON and the CSV ---------------------------

_FREE_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=60)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_FREE_TEXT, _FREE_TEXT, _FREE_TEXT)
def test_text_that_passes_the_checker_gives_valid_feed_json_and_csv(title: str, summary: str, editor: str) -> None:
    data = yaml.safe_load(FRONT.split("\n", 1)[1])
    data.update(titre=f"Titre {title} pour le test", resume=f"Résumé {summary} " + "assez long " * 4)
    data["sources"][0]["editeur"] = f"Éditeur {editor}"
    data.pop("liens")
    text = "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n" + BODY
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "alpha-proteger.md").write_text(text, encoding="utf-8")
        collection = load_collection(folder, root=folder)
    if collection.errors:
        return
    index = build_index(collection)
    ElementTree.fromstring(render_feed(index, Urls(site_url="https://exemple.test/")).encode("utf-8"))  # strict XML
    assert json.loads(export.to_json(index.practices, Urls()))["pratiques"][0]["fiche"]["titre"] == data["titre"]
    rows = list(csv.reader(io.StringIO(export.to_csv(index.practices, Urls()), newline="")))
    assert len(rows) == 2 and len(rows[0]) == len(rows[1])
