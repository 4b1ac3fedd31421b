"""Valid HTML (RGAA 8.2): the Nu HTML checker (vnu-jar from npm, run with the system's Java) finds no error
in any page of the real project's built site, the theme's markup included."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, Build

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def nu_errors(target: Path) -> list[str]:
    """Every error the checker reports for the HTML files under `target`, as `path:line: message`."""
    java = shutil.which("java")
    if java is None:
        pytest.skip("java is not on PATH: the Nu HTML checker needs a Java runtime (Debian: default-jre-headless)")
    if not VNU.is_file():
        pytest.skip(f"{VNU} is missing: run `make npm`")
    result = subprocess.run(
        [java, "-jar", str(VNU), "--skip-non-html", "--errors-only", "--format", "json", str(target)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode in (0, 1), result.stderr  # 1: errors were found
    messages = json.loads(result.stderr)["messages"]  # the JSON report goes to stderr
    assert result.returncode == 0 or messages, result.stderr
    root = target if target.is_dir() else target.parent
    return [
        f"{Path(m['url'].removeprefix('file:')).relative_to(root)}:{m.get('lastLine', 0)}: {m['message']}"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]


def test_the_checker_reports_invalid_markup(tmp_path: Path) -> None:
    # The test below means something only if the checker, run this way, does see errors.
    (tmp_path / "invalide.html").write_text(
        '<!doctype html>\n<html lang="fr"><title>x</title>\n<input type="checkbox" autocomplete="off">\n'
        '<label for="absent">x</label>\n',
        encoding="utf-8",
    )
    errors = nu_errors(tmp_path)
    assert len(errors) == 2, errors
    assert all(error.startswith("invalide.html:") for error in errors)


def test_every_built_page_is_valid_html(project_site: Build) -> None:
    pages = list(project_site.site.rglob("*.html"))
    assert len(pages) > 50  # the practices, the generated pages and the hand-written ones
    errors = nu_errors(project_site.site)
    assert errors == [], f"{len(errors)} errors in the built site:\n" + "\n".join(errors)
