"""The settings are read once from mkdocs.yml and checked: a misspelt key is an error at its line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import CORPUS, ROOT, mkdocs_build, write_config
from recueil.settings import KEYS, SettingsError, load_settings


def test_the_project_settings() -> None:
    settings = load_settings(ROOT / "mkdocs.yml")
    assert settings.practices_dir == ROOT / "practices"
    assert settings.public_url == "https://recueil-collectivites.github.io/recueil/"  # site_url is empty
    assert settings.urls.site_url is None and settings.urls.use_directory_urls
    assert settings.edit_url and "{chemin}" in settings.edit_url


def _config(tmp_path: Path, extra: str) -> Path:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("  recueil:\n    pratiques: practices\n", f"  recueil:\n    pratiques: practices\n{extra}")
    text = text.replace("/edit/main/{chemin}", "/edit/main/")
    path = tmp_path / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_unknown_key_is_an_error_at_its_line_with_the_allowed_keys(tmp_path: Path) -> None:
    config = _config(tmp_path, "    adrese: https://exemple.test/\n")
    with pytest.raises(SettingsError) as caught:
        load_settings(config)
    lines = config.read_text(encoding="utf-8").split("\n")
    messages = {p.line: p.message for p in caught.value.problems}
    typo = next(n for n, line in enumerate(lines, 1) if "adrese" in line)
    assert "clé inconnue « adrese »" in messages[typo] and "vouliez-vous dire « adresse »" in messages[typo]
    assert all(key in messages[typo] for key in KEYS)
    edition = next(n for n, line in enumerate(lines, 1) if line.strip().startswith("edition:"))
    assert "{chemin}" in messages[edition]


def test_env_tags_are_read_as_mkdocs_reads_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        (ROOT / "mkdocs.yml")
        .read_text(encoding="utf-8")
        .replace('site_url: ""', "site_url: !ENV [RECUEIL_TEST_SITE_URL, 'https://defaut.test/']")
    )
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    assert load_settings(tmp_path / "mkdocs.yml").urls.site_url == "https://defaut.test/"
    monkeypatch.setenv("RECUEIL_TEST_SITE_URL", "https://env.test/")
    settings = load_settings(tmp_path / "mkdocs.yml")
    assert settings.urls.site_url == settings.public_url == "https://env.test/"


def test_the_build_and_the_cli_stop_on_a_bad_setting(tmp_path: Path) -> None:
    config = write_config(tmp_path, CORPUS / "valid")
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["extra"]["recueil"]["pratiqes"] = "ailleurs"
    config.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    check = subprocess.run(
        [sys.executable, "-m", "recueil.cli", "check"], cwd=tmp_path, capture_output=True, text=True, env=env
    )
    assert check.returncode == 1 and "mkdocs.yml:" in check.stdout and "pratiqes" in check.stdout
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(tmp_path / "s")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    assert build.returncode != 0 and "pratiqes" in build.stderr + build.stdout


def test_a_site_built_elsewhere_reads_its_own_practices(tmp_path: Path) -> None:
    build = mkdocs_build(tmp_path, CORPUS / "valid")
    assert build.returncode == 0, build.output
    assert (build.site / "pratiques" / "alpha-proteger" / "index.html").is_file()
