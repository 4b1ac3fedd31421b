"""The checker on crafted corpora: each rule reported with its file and line, all in one run."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

from conftest import CORPUS, ROOT, mkdocs_build, recueil_check
from recueil.format.slugs import slugify
from recueil.load import collection
from recueil.load.collection import load_collection

BROKEN = CORPUS / "broken"
EXPECTED: dict[str, list[list[object]]] = yaml.safe_load((CORPUS / "broken.expected.yml").read_text(encoding="utf-8"))


def _fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def broken_problems() -> list[tuple[str, int, str]]:
    collection = load_collection(BROKEN, root=BROKEN)
    return [(p.path, p.line, p.message) for p in collection.problems]


@pytest.mark.parametrize("file", sorted(EXPECTED))
def test_each_broken_file_is_reported_at_its_line(file: str, broken_problems: list[tuple[str, int, str]]) -> None:
    for line, words in EXPECTED[file]:
        located = [message for path, at, message in broken_problems if path == file and at == line]
        assert any(str(words) in message for message in located), (file, line, words, located)


def test_no_unexpected_problem(broken_problems: list[tuple[str, int, str]]) -> None:
    unexpected = [(path, line) for path, line, _ in broken_problems if path not in EXPECTED]
    assert unexpected == []
    expected_lines = {(file, line) for file, items in EXPECTED.items() for line, _ in items}
    assert {(path, line) for path, line, _ in broken_problems} == expected_lines


def test_bom_and_crlf_file_is_accepted_like_any_other() -> None:
    collection = load_collection(BROKEN, root=BROKEN)
    practice = next(p for p in collection.practices if p.slug == "bom-crlf")
    assert practice.titre == "Fichier avec BOM et fins de ligne CRLF"
    assert "\r" not in practice.body
    assert "## Contexte" in practice.body


def test_checking_modifies_no_file() -> None:
    before = _fingerprint(BROKEN)
    load_collection(BROKEN, root=BROKEN)
    subprocess.run([sys.executable, "-m", "recueil.cli", "check", str(BROKEN)], capture_output=True, check=False)
    assert _fingerprint(BROKEN) == before


def test_cli_reports_every_broken_file_in_one_run_and_fails() -> None:
    result = recueil_check("broken")
    assert result.returncode == 1
    reported = {line.split(":", 1)[0] for line in result.stdout.splitlines()}
    assert reported == {f"broken/{file}" for file in EXPECTED}
    assert "erreur(s)" in result.stderr


def test_cli_prints_github_annotations_in_actions() -> None:
    result = recueil_check("broken/theme-inconnu.md", github=True)
    assert result.returncode == 1
    assert result.stdout.startswith("::error file=broken/theme-inconnu.md,line=4::valeur « relation-usager »")


def test_cli_passes_on_a_valid_corpus() -> None:
    result = recueil_check(str(CORPUS / "valid"))
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


def test_a_single_file_is_checked_against_its_siblings() -> None:
    result = recueil_check("broken/lien-vers-soi.md")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "broken/lien-vers-soi.md:13: erreur : la fiche « lien-vers-soi » ne peut pas se lier à elle-même"
    ]


def test_stale_practice_is_a_warning_not_an_error(tmp_path: Path) -> None:
    shutil.copy(CORPUS / "valid" / "delta-soutenir.md", tmp_path / "delta-soutenir.md")
    collection = load_collection(tmp_path, today=dt.date(2029, 6, 1))
    assert collection.errors == ()
    assert [w.line for w in collection.warnings] == [16]
    assert "non relue depuis le 2025-11-01" in collection.warnings[0].message


def test_recommendations_must_cite_existing_published_practices(tmp_path: Path) -> None:
    for file in (CORPUS / "valid").iterdir():
        shutil.copy(file, tmp_path / file.name)
    (tmp_path / "recommandations.yml").write_text(
        "- id: r01\n  theme: politique-rh\n  titre: Une recommandation de test\n"
        "  texte: Un texte assez long pour respecter la longueur minimale du format.\n"
        "  porteurs: [rh]\n  echeance: immediat\n  indicateurs: [Une procédure écrite et diffusée]\n"
        "  pratiques: [alpha-proteger, epsilon-brouillon, omega]\n",
        encoding="utf-8",
    )
    problems = [(p.line, p.message) for p in load_collection(tmp_path).problems]
    assert (8, "la recommandation cite le brouillon « epsilon-brouillon », qui n'est pas publié") in problems
    assert any(line == 8 and "pratique inexistante « omega »" in message for line, message in problems)


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Former les agents d'accueil à la désescalade", "former-les-agents-d-accueil-a-la-desescalade"),
        ("Mise en œuvre : l’État & les élus !", "mise-en-oeuvre-l-etat-les-elus"),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_broken_corpus_is_not_published(tmp_path: Path) -> None:
    docs_before = _fingerprint(ROOT / "docs")
    corpus_before = _fingerprint(BROKEN)
    build = mkdocs_build(tmp_path, BROKEN)
    assert build.returncode == 1
    for file in EXPECTED:
        assert f"{file}:" in build.output, file
    assert "erreur(s) dans les fiches" in build.output
    assert not (build.site / "pratiques" / "cible-valide").exists()
    assert _fingerprint(ROOT / "docs") == docs_before
    assert _fingerprint(BROKEN) == corpus_before


def test_an_edited_file_is_read_again_not_served_from_the_cache(tmp_path: Path) -> None:
    shutil.copy(CORPUS / "valid" / "delta-soutenir.md", tmp_path / "delta-soutenir.md")
    assert load_collection(tmp_path).practices[0].titre == "Delta : soutenir l'agent après l'agression"
    file = tmp_path / "delta-soutenir.md"
    file.write_text(file.read_text(encoding="utf-8").replace("Delta :", "Delta modifiée :"), encoding="utf-8")
    stat = file.stat()
    os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert load_collection(tmp_path).practices[0].titre == "Delta modifiée : soutenir l'agent après l'agression"


# Run in a fresh interpreter: worker processes are forked only where no other thread runs.
SHARED_CHECK = """
import json, sys
from pathlib import Path
from recueil.load import collection
corpus = Path(sys.argv[1])
collection.PARALLEL_FROM = 10**9
alone = collection.load_collection(corpus)
collection._cache.clear()
collection.PARALLEL_FROM = 2
real, forked = collection._in_parallel, []
collection._in_parallel = lambda files, today: forked.append(real(files, today)) or forked[-1]
shared = collection.load_collection(corpus)
print(json.dumps({"forked": [f is not None for f in forked], "same": shared == alone,
                  "problems": len(shared.problems), "practices": len(shared.practices)}))
"""


@pytest.mark.parametrize("corpus", ["valid", "broken"])
def test_checking_in_several_processes_finds_what_one_process_finds(corpus: str) -> None:
    # Large collections are checked by one process per processor: same sheets, same problems, same order.
    result = subprocess.run(
        [sys.executable, "-c", SHARED_CHECK, str(CORPUS / corpus)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT / "hooks")},
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["forked"] == [True], "the files were checked by other processes"
    assert outcome["same"]
    assert (outcome["problems"] > 10) == (corpus == "broken") and outcome["practices"] > 0


def test_no_process_is_forked_while_other_threads_run(monkeypatch: pytest.MonkeyPatch) -> None:
    # A forked copy of a threaded process (`mkdocs serve`) may hang on a lock another thread held.
    monkeypatch.setattr(collection, "PARALLEL_FROM", 2)
    collection._cache.clear()
    release = threading.Event()
    waiting = threading.Thread(target=release.wait)
    waiting.start()
    try:
        files = [(f, f.name) for f in sorted((CORPUS / "valid").glob("*.md"))]
        assert collection._in_parallel(files, dt.date.today()) is None
        assert load_collection(CORPUS / "valid").practices
    finally:
        release.set()
        waiting.join()
