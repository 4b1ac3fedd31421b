"""No contributor text can run a script in a reader's browser, whatever it contains.

The checker refuses executable HTML in practice files (tested in test_checker.py); this test
removes that first line of defence: practices carrying script payloads in every front matter
field and in their bodies are rendered by the core's templates into an exported tree built
without our hook (hence without the checker: bodies reach it as sanitised HTML), and every page is
then loaded in Chromium. test_sanitize.py does the same through the hook.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import feedparser
import pytest

from browser_support import Server
from conftest import CORPUS, ROOT
from payloads import PAYLOADS as BODY_PAYLOADS
from recueil.contribute.plaintree import export_tree
from recueil.index import build_index
from recueil.load.collection import load_collection
from recueil.model import Collection, Example, Source
from recueil.settings import load_settings
from recueil.site.files import generated_files

MARK = "window.__xss = (window.__xss || 0) + 1"
PAYLOAD = f'<script>{MARK}</script><img src="x" onerror="{MARK}">"\'><svg onload="{MARK}">'
FORMULA = '=HYPERLINK("https://exemple.test","clic")'


def _hostile_collection() -> Collection:
    collection = load_collection(CORPUS / "valid")
    practices = []
    for n, practice in enumerate(collection.practices):
        practices.append(
            dataclasses.replace(
                practice,
                titre=(FORMULA if n == 0 else f"Titre {n} {PAYLOAD}"),
                body=practice.body + "\n" + "\n\n".join(BODY_PAYLOADS) + "\n",
                resume=f"Résumé {PAYLOAD}",
                mots_cles=(f"mot {n} {PAYLOAD}",),
                sources=(
                    Source(
                        titre=PAYLOAD,
                        editeur=PAYLOAD,
                        date=PAYLOAD,
                        url=f'https://exemple.test/?q="><script>{MARK}</script>',
                    ),
                ),
                exemples=(
                    Example(
                        collectivite=PAYLOAD,
                        source=f'https://exemple.test/" onmouseover="{MARK}',
                        type="commune",
                        departement=PAYLOAD,
                        annee=2024,
                    ),
                ),
            )
        )
    recommendations = tuple(
        dataclasses.replace(r, titre=PAYLOAD, texte=PAYLOAD, indicateurs=(PAYLOAD,)) for r in collection.recommendations
    )
    return Collection(practices=tuple(practices), recommendations=recommendations, problems=())


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("xss") / "export"
    files = generated_files(build_index(_hostile_collection()), load_settings(ROOT / "mkdocs.yml"))
    export_tree(ROOT / "mkdocs.yml", files, out)
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=out,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=600,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    return out / "site"


@pytest.mark.browser
def test_no_script_runs_on_any_page(browser: Any, hostile_site: Path) -> None:
    server = Server(hostile_site)
    context = browser.new_context()
    context.add_init_script("window.__xss = undefined;")
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    foreign: list[str] = []
    page.on("request", lambda request: None if request.url.startswith(server.url) else foreign.append(request.url))
    pages = sorted(p.relative_to(hostile_site).as_posix() for p in hostile_site.rglob("index.html"))
    assert any(p.startswith("pratiques/") for p in pages) and "recueil/index.html" in pages
    try:
        for path in pages:
            page.goto(server.url + path.removesuffix("index.html"))
            page.wait_for_load_state("load")
            assert page.evaluate("window.__xss") is None, path
        # The explorer shows facets (keywords included) written by the template, and filters with its script.
        page.goto(server.url + "pratiques/?texte=script")
        page.wait_for_selector("#rc-filtres:not([hidden])")
        page.locator("#rc-facettes details").first.evaluate("d => d.open = true")
        page.fill("#rc-texte", "onerror")  # matches the payload in every summary
        selection = page.locator("#rc-imprimer").get_attribute("href")
        page.goto(server.url + "pratiques/" + selection)
        page.wait_for_selector(".rc-selection__fiches article", state="attached")
        assert page.evaluate("window.__xss") is None
        # The payload is shown as text, not interpreted.
        assert PAYLOAD in page.locator(".rc-selection__fiches").first.text_content()
        # The self-assessment's plan and profile are written by its script from donnees.json.
        page.goto(server.url + "autodiagnostic/")
        page.wait_for_selector("#rc-ad[data-pret]")
        page.locator('.rc-ad__question input[value="pas-encore"]').first.check()
        page.fill("#rc-ad-nom", PAYLOAD)
        page.press("#rc-ad-nom", "Tab")
        assert page.evaluate("window.__xss") is None
        assert PAYLOAD in page.locator("#rc-ad-plan").text_content()
        assert PAYLOAD in page.locator("#rc-ad-profil-resume").text_content()
    finally:
        context.close()
        server.close()
    assert dialogs == [] and foreign == []


def test_payloads_are_text_in_the_feed_and_the_data(hostile_site: Path) -> None:
    feed = feedparser.parse((hostile_site / "flux.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert any(PAYLOAD in entry.title for entry in feed.entries)
    records = json.loads((hostile_site / "donnees" / "pratiques.json").read_text(encoding="utf-8"))["pratiques"]
    assert any(record["fiche"]["resume"] == f"Résumé {PAYLOAD}" for record in records)


def test_csv_cells_cannot_start_a_formula(hostile_site: Path) -> None:
    rows = list(csv.reader(io.StringIO((hostile_site / "donnees" / "pratiques.csv").read_text(encoding="utf-8"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + FORMULA in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
