"""RGAA 4.1 / WCAG 2.1 AA: axe-core (node_modules, injected) finds no serious or critical violation.

The audited pages are those of the real project (what readers get). AUDITED_PAGES is the one list
to extend.
"""

from __future__ import annotations

from typing import Any

import pytest

from browser_support import Server
from conftest import ROOT
from recueil.index import build_index
from recueil.load.collection import load_collection

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
FIRST_PRACTICE = build_index(load_collection(ROOT / "practices", root=ROOT)).practices[0].slug

# (name, URL path from the site root, CSS selector to wait for before auditing)
AUDITED_PAGES: list[tuple[str, str, str | None]] = [
    ("home", "", None),
    ("theme", "themes/politique-rh/", None),
    ("practice", f"pratiques/{FIRST_PRACTICE}/", None),
    ("explorer-filtered", "pratiques/?themes=politique-rh&moments=prevenir&texte=agent", "#rc-filtres:not([hidden])"),
    ("open-data", "donnees/", None),
    ("compendium", "recueil/", None),
    ("etat-des-lieux", "etat-des-lieux/", None),
    ("form", "contribuer/proposer/", None),
    ("autodiagnostic", "autodiagnostic/", "#rc-ad[data-pret]"),
]


@pytest.mark.browser
@pytest.mark.parametrize(("name", "path", "ready"), AUDITED_PAGES, ids=[page[0] for page in AUDITED_PAGES])
def test_no_serious_or_critical_accessibility_violation(
    page: Any, project_server: Server, name: str, path: str, ready: str | None
) -> None:
    if not AXE.is_file():
        pytest.skip(f"{AXE} is missing: run `make npm`")
    page.goto(project_server.url + path)
    if ready:
        page.wait_for_selector(ready)
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    assert results["passes"], "axe ran no rule"
    blocking = [
        f"{v['impact']} {v['id']}: {v['help']} — " + "; ".join(n["target"][0] for n in v["nodes"][:5])
        for v in results["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]
    assert blocking == [], f"{name}: " + "\n".join(blocking)
