"""The contribution path on the command line: `recueil new`, `from-issue`, `report`, stale warnings."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT, recueil_check
from recueil.contribute import report
from recueil.format import body
from recueil.format.placeholder import MARKER
from recueil.load.collection import SLUG, SLUG_MAX, load_collection

FIXTURES = Path(__file__).resolve().parent / "fixtures"
OPTIONS = [
    "--themes",
    "politique-rh,relation-usagers",
    "--moments",
    "prevenir",
    "--nature",
    "initiative-locale",
    "--roles",
    "rh,agents",
    "--effort",
    "faible",
]
FILLED_SOURCE = {"titre": "Code général de la fonction publique, article L. 134-5", "editeur": "Légifrance"}


def recueil(*args: str, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GITHUB_ACTIONS": ""}
    return subprocess.run(
        [sys.executable, "-m", "recueil.cli", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def fill_placeholders(path: Path) -> None:
    """Replace every placeholder the way a contributor would: real text, real source."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(
        r"resume: .*", "resume: Une pratique décrite en une phrase assez longue pour la liste des fiches.", text
    )
    text = re.sub(
        r"- titre: .*\n  editeur: .*",
        f'- titre: "{FILLED_SOURCE["titre"]}"\n  editeur: {FILLED_SOURCE["editeur"]}',
        text,
    )
    text = re.sub(r"« À compléter : [^»]*»", "Un paragraphe rédigé par la collectivité.", text)
    path.write_text(text, encoding="utf-8")


TITLES = [
    ("Former les agents d'accueil à la désescalade", "former-les-agents-d-accueil-a-la-desescalade"),
    (
        "Mettre en œuvre l’accueil sur rendez-vous à l’état civil",
        "mettre-en-oeuvre-l-accueil-sur-rendez-vous-a-l-etat-civil",
    ),
    ("« Écouter, reformuler, apaiser » : la méthode ÉCOUTE", "ecouter-reformuler-apaiser-la-methode-ecoute"),
    (
        "Élaborer, avec les organisations syndicales, le médecin de prévention et le conseiller de prévention, "
        "un protocole",
        None,
    ),  # long: cut at a word boundary
]


@pytest.mark.parametrize(("title", "expected"), TITLES)
def test_new_writes_a_file_named_after_the_title(tmp_path: Path, title: str, expected: str | None) -> None:
    result = recueil("new", "--titre", title, *OPTIONS, "--dossier", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [written] = tmp_path.glob("*.md")
    slug = written.stem
    assert SLUG.match(slug) and len(slug) <= SLUG_MAX
    if expected:
        assert slug == expected
    else:
        assert len(title) > SLUG_MAX and slug.startswith("elaborer-avec-les-organisations-syndicales")
        assert not slug.endswith("-")
    assert f"Fiche créée : {written.name}" in result.stdout
    assert f"recueil check {written.name}" in result.stdout
    # Front matter valid, sections present: the only errors are the placeholders, each with its line.
    problems = load_collection(tmp_path).problems
    lines = written.read_text(encoding="utf-8").split("\n")
    assert problems and all("À compléter" in p.message for p in problems)
    assert {p.line for p in problems} == {n for n, line in enumerate(lines, 1) if MARKER in line}
    headings = [line[3:] for line in lines if line.startswith("## ")]
    assert headings == list(body.REQUIRED)


def test_new_output_passes_check_once_filled(tmp_path: Path) -> None:
    shutil.copytree(CORPUS / "valid", tmp_path / "practices")
    created = recueil("new", "--titre", "Afficher les horaires d'affluence à l'accueil", *OPTIONS, cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    path = tmp_path / "practices" / "afficher-les-horaires-d-affluence-a-l-accueil.md"
    before = recueil("check", str(path.relative_to(tmp_path)), cwd=tmp_path)
    assert before.returncode == 1
    assert before.stdout.count("« À compléter » laissé tel quel") == 7
    fill_placeholders(path)
    after = recueil("check", cwd=tmp_path)
    assert after.returncode == 0, after.stdout
    practice = next(p for p in load_collection(tmp_path / "practices").practices if p.path.endswith(path.name))
    assert practice.themes == ("politique-rh", "relation-usagers") and practice.roles == ("rh", "agents")
    assert practice.publie_le == dt.date.today()


def test_new_never_overwrites(tmp_path: Path) -> None:
    title = "Afficher les horaires d'affluence à l'accueil"
    assert recueil("new", "--titre", title, *OPTIONS, "--dossier", ".", cwd=tmp_path).returncode == 0
    path = tmp_path / "afficher-les-horaires-d-affluence-a-l-accueil.md"
    path.write_text("mon travail", encoding="utf-8")
    again = recueil("new", "--titre", title.upper(), *OPTIONS, "--dossier", ".", cwd=tmp_path)
    assert again.returncode == 1
    assert "existe déjà" in again.stderr
    assert path.read_text(encoding="utf-8") == "mon travail"


def test_new_refuses_invalid_answers_and_says_why(tmp_path: Path) -> None:
    result = recueil(
        "new",
        "--titre",
        "Court",
        "--themes",
        "politique-rh,rh",
        "--moments",
        "prevenir",
        "--nature",
        "initiative-locale",
        "--roles",
        "rh",
        "--effort",
        "faible",
        "--dossier",
        ".",
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "« titre » est trop court" in result.stderr
    assert "valeur « rh » inconnue pour « themes n° 2 »" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_new_asks_for_what_the_options_do_not_give(tmp_path: Path) -> None:
    # Title, then themes by number, moments by id, a wrong nature (re-asked), roles, effort.
    answers = "Tenir un registre des incivilités\n1, 3\nfaire-face\n9\n2\nagents\n1\n"
    result = recueil("new", "--dossier", ".", cwd=tmp_path, stdin=answers)
    assert result.returncode == 0, result.stderr
    assert "Réponse non reconnue" in result.stdout
    assert "1. Politique RH (politique-rh)" in result.stdout
    practice_text = (tmp_path / "tenir-un-registre-des-incivilites.md").read_text(encoding="utf-8")
    assert "themes: [politique-rh, continuum-securite]" in practice_text
    assert "moments: [faire-face]" in practice_text
    assert "nature: recommandation-officielle" in practice_text
    assert "roles: [agents]" in practice_text


def test_stale_practice_warns_through_the_cli_without_failing(tmp_path: Path) -> None:
    text = (CORPUS / "valid" / "gamma-cooperer.md").read_text(encoding="utf-8")
    text = re.sub(r"publie_le: .*", "publie_le: 2019-03-01", text)
    text = re.sub(r"(revise_le|liens): .*\n", "", text)
    (tmp_path / "gamma-cooperer.md").write_text(text, encoding="utf-8")
    line = text.split("\n").index("publie_le: 2019-03-01") + 1
    result = recueil("check", ".", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        f"gamma-cooperer.md:{line}: avertissement : fiche non relue depuis le 2019-03-01 (plus de 3 ans) : "
        "relisez-la et mettez à jour « revise_le »"
    ]
    annotated = recueil_check(".", cwd=tmp_path, github=True)
    assert annotated.stdout.startswith(f"::warning file=gamma-cooperer.md,line={line}::fiche non relue")


def _table(markdown: str) -> dict[str, list[int]]:
    rows = {}
    for line in markdown.split("\n"):
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if line.startswith("| ") and cells[-1].isdigit():
            rows[cells[0].strip("*")] = [int(cell) for cell in cells[1:]]
    return rows


def test_report_summarises_the_collection(tmp_path: Path) -> None:
    practices = tmp_path / "practices"
    shutil.copytree(CORPUS / "valid", practices)
    # The fixture documents no example and links every source: give one of each case.
    alpha = practices / "alpha-proteger.md"
    alpha.write_text(
        alpha.read_text(encoding="utf-8").replace(
            "sources:", "exemples:\n  - collectivite: Ville d'Exemple\n    source: https://exemple.test/ex\nsources:"
        ),
        encoding="utf-8",
    )
    gamma = practices / "gamma-cooperer.md"
    gamma.write_text(
        gamma.read_text(encoding="utf-8").replace('    url: "https://exemple.test/gamma-cooperer"\n', ""),
        encoding="utf-8",
    )
    today = dt.date(2029, 6, 1)
    result = recueil("report", "--date", today.isoformat(), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    markdown = result.stdout
    published = load_collection(tmp_path / "practices", today=today).published
    assert markdown.startswith("# Rapport du recueil au 2029-06-01\n")
    rows = _table(markdown)
    assert rows["Politique RH"] == [
        *(
            sum("politique-rh" in p.themes and m in p.moments for p in published)
            for m in ("prevenir", "faire-face", "accompagner")
        ),
        sum("politique-rh" in p.themes for p in published),
    ]
    assert rows["Total"][-1] == len(published) == 4
    assert sum(rows["Total"][:-1]) == sum(len(p.moments) for p in published)

    def section(title: str) -> str:
        return markdown.split(f"## {title}", 1)[1].split("\n## ", 1)[0]

    without = section("Fiches sans exemple documenté")
    for practice in published:
        assert (f"`{practice.path}`" in without) == (not practice.exemples), practice.slug
    urls = section("Sources sans adresse")
    missing = [(p, s) for p in published for s in p.sources if not s.url]
    assert missing and all(s.titre in urls for _, s in missing)
    assert urls.count("\n- ") == len(missing)
    stale = section("Fiches non relues depuis plus de trois ans")
    expected_stale = [p for p in published if today - p.last_change > dt.timedelta(days=3 * 365)]
    assert expected_stale and [p.path for p in report.stale(load_collection(tmp_path / "practices"), today)] == [
        p.path for p in sorted(expected_stale, key=lambda p: (p.last_change, p.slug))
    ]
    for practice in published:
        assert (f"`{practice.path}`" in stale) == (practice in expected_stale), practice.slug
    assert "epsilon" not in markdown.lower()  # drafts are counted, never listed


def test_report_on_the_real_collection_runs() -> None:
    result = recueil("report", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    published = load_collection(ROOT / "practices", root=ROOT).published
    assert _table(result.stdout)["Total"][-1] == len(published)


def test_the_example_in_contributing_passes_check(tmp_path: Path) -> None:
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    example = guide.split("```markdown\n", 1)[1].split("\n```", 1)[0] + "\n"
    (tmp_path / "suivre-un-barometre-de-satisfaction-des-services-publics.md").write_text(example, encoding="utf-8")
    result = recueil("check", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert " erreur : " not in result.stdout
