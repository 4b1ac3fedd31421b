"""The self-assessment page of the real project in Chromium: profile, answers, results, persistence, file,
print view, no request elsewhere. Results shown by the page are compared with the Python core's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from bs4 import BeautifulSoup

from browser_support import Server
from conftest import ROOT
from recueil.assessment import autodiagnostic as ad
from recueil.index import build_index
from recueil.load.collection import load_collection

pytestmark = pytest.mark.browser

INDEX = build_index(load_collection(ROOT / "practices", root=ROOT))
PRACTICES = INDEX.practices
# A practice kept from some authorities: its `collectivites` leave one type out.
RESTRICTED = next(p for p in PRACTICES if p.collectivites)
EXCLUDED_TYPE = next(t for t in ("region", "bailleur-social", "centre-de-gestion") if t not in RESTRICTED.collectivites)
ANSWER_CYCLE = ("en-place", "en-cours", "pas-encore", "non-concerne")


def open_page(page: Any, server: Server) -> None:
    page.goto(server.url + "autodiagnostic/")
    page.wait_for_selector("#rc-ad[data-pret]")


def shown_results(page: Any) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(page.get_attribute("#resultats", "data-resultats"))
    return result


def answer(page: Any, answers: dict[str, str]) -> None:
    for slug, value in answers.items():
        page.check(f'.rc-ad__question[data-slug="{slug}"] input[value="{value}"]')


def sample_answers() -> dict[str, str]:
    """Every third practice answered, cycling through the four answers."""
    return {p.slug: ANSWER_CYCLE[n % 4] for n, p in enumerate(PRACTICES[::3])}


def state(page: Any) -> dict[str, Any]:
    return page.evaluate("""() => ({
        checked: Array.from(document.querySelectorAll('#rc-ad input:checked')).map(i => i.name + '=' + i.value),
        nom: document.getElementById('rc-ad-nom').value,
        resultats: document.getElementById('resultats').getAttribute('data-resultats'),
    })""")


def test_profile_decides_which_practices_apply(page: Any, project_server: Server) -> None:
    open_page(page, project_server)
    question = page.locator(f'.rc-ad__question[data-slug="{RESTRICTED.slug}"]')
    assert question.locator(".rc-ad__na").is_hidden()
    page.check(f'input[name="type"][value="{EXCLUDED_TYPE}"]')
    assert question.locator(".rc-ad__na").is_visible()  # shown as « non applicable », not hidden
    assert question.is_visible()
    expected = ad.results(PRACTICES, ad.Profile(type=EXCLUDED_TYPE), {})
    assert shown_results(page)["non_applicables"] == expected["non_applicables"]
    assert RESTRICTED.slug in expected["non_applicables"]


def test_answers_update_grid_and_plan_as_the_core_computes(page: Any, project_server: Server) -> None:
    open_page(page, project_server)
    page.check('input[name="type"][value="commune"]')
    page.check('input[name="services"][value="accueil"]')
    page.check('input[name="services"][value="action-sociale"]')
    answers = sample_answers()
    answer(page, answers)
    profile = ad.Profile(type="commune", services=("accueil", "action-sociale"))
    expected = ad.results(PRACTICES, profile, answers)
    shown = shown_results(page)
    assert shown == expected
    assert expected["plan"]  # the sample puts practices in the plan
    # The plan as read on the page, and the grid's numbers as text
    assert page.locator("#rc-ad-plan > li > a").all_inner_texts() == [
        p.titre for p in ad.plan(PRACTICES, profile, answers)
    ]
    # Each with the recommendations that cite it, linked to the synthesis
    citing = INDEX.citing
    shown_links = page.locator("#rc-ad-plan > li").evaluate_all(
        "items => items.map(li => Array.from(li.querySelectorAll('.rc-ad__meta a')).map(a => a.getAttribute('href')))"
    )
    assert shown_links == [
        [f"../recommandations/#{r.id}" for r in citing.get(p.slug, ())] for p in ad.plan(PRACTICES, profile, answers)
    ]
    assert any(shown_links)
    for cell in ad.grid(PRACTICES, profile, answers):
        text = page.inner_text(f'[data-cellule="{cell.theme}/{cell.moment}"]')
        assert text == (
            f"{cell.in_place} sur {cell.total} ({cell.percent}\u202f%)" if cell.total else "aucune pratique applicable"
        )


def test_questions_answer_from_the_keyboard(page: Any, project_server: Server) -> None:
    open_page(page, project_server)
    slug = PRACTICES[0].slug
    group = page.locator(f'.rc-ad__question[data-slug="{slug}"]')
    group.locator('input[value="en-place"]').focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")  # the next answer of the same group: « en cours »
    assert group.locator("input:checked").get_attribute("value") == "en-cours"
    assert shown_results(page)["plan"] == [slug]
    assert page.locator(f'input[name="r-{slug}"]').evaluate_all(
        "inputs => inputs.map(i => i.labels[0].textContent.trim())"
    ) == [c.libelle for c in ad.answer_choices()]


def test_reload_keeps_answers_and_effacer_clears_them(page: Any, project_server: Server) -> None:
    open_page(page, project_server)
    answers = dict(list(sample_answers().items())[:4])
    answer(page, answers)
    page.fill("#rc-ad-nom", "Commune d'essai")
    page.press("#rc-ad-nom", "Tab")
    before = state(page)
    page.reload()
    page.wait_for_selector("#rc-ad[data-pret]")
    assert state(page) == before
    page.click("#rc-ad-effacer")
    assert page.locator("#rc-ad input:checked").evaluate_all("l => l.map(i => i.name + '=' + i.value)") == [
        "type=",
        "taille=",
    ]
    assert shown_results(page)["plan"] == []
    page.reload()
    page.wait_for_selector("#rc-ad[data-pret]")
    assert page.input_value("#rc-ad-nom") == ""
    assert page.evaluate("localStorage.getItem('recueil-autodiagnostic')") is None


def test_download_validates_and_restore_gives_the_same_state(
    browser: Any, project_server: Server, tmp_path: Path
) -> None:
    requests: list[str] = []
    context = browser.new_context(accept_downloads=True)
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    open_page(page, project_server)
    page.check('input[name="type"][value="departement"]')
    page.check('input[name="taille"][value="plus-de-100000"]')
    page.check('input[name="services"][value="action-sociale"]')
    page.fill("#rc-ad-nom", "Département d'essai")
    page.press("#rc-ad-nom", "Tab")
    answer(page, sample_answers())
    before = state(page)
    with page.expect_download() as info:
        page.click("#rc-ad-telecharger")
    saved = tmp_path / "reponses.json"
    info.value.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    schema = json.loads(page.evaluate("fetch('../donnees/autodiagnostic.schema.json').then(r => r.text())"))
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    assert data["collectivite"] == "Département d'essai"
    assert data["profil"] == {"type": "departement", "taille": "plus-de-100000", "services": ["action-sociale"]}
    assert data["reponses"] == sample_answers()
    context.close()

    fresh = browser.new_context()  # another browser profile: empty storage
    fresh.on("request", lambda request: requests.append(request.url))
    page = fresh.new_page()
    open_page(page, project_server)
    assert state(page) != before
    page.set_input_files("#rc-ad-fichier", str(saved))
    page.wait_for_function("document.getElementById('rc-ad-statut').textContent.includes('reprises')")
    assert state(page) == before
    # A file that breaks the schema is refused and changes nothing
    bad = tmp_path / "mauvais.json"
    bad.write_text(json.dumps({**data, "intrus": 1}), encoding="utf-8")
    page.set_input_files("#rc-ad-fichier", str(bad))
    page.wait_for_function("document.getElementById('rc-ad-statut').textContent.includes('non repris')")
    assert state(page) == before
    fresh.close()
    elsewhere = [url for url in requests if not url.startswith(project_server.url) and not url.startswith("blob:")]
    assert requests and elsewhere == []


def test_print_view_shows_profile_grid_and_plan_only(page: Any, project_server: Server) -> None:
    open_page(page, project_server)
    page.check('input[name="type"][value="commune"]')
    answer(page, sample_answers())
    page.emulate_media(media="print")
    assert page.locator("#rc-ad-plan > li").first.is_visible()
    assert page.locator("#rc-ad-grille").is_visible()
    assert "Commune" in page.inner_text("#rc-ad-profil-resume")
    assert page.inner_text("#rc-ad-date").startswith("Réponses du ")
    assert page.locator("#questions").is_hidden()
    assert page.locator("#rc-ad-outils").is_hidden()
    assert page.locator(".md-header").is_hidden()


def test_without_javascript_the_page_is_a_paper_questionnaire(browser: Any, project_server: Server) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(project_server.url + "autodiagnostic/")
    assert page.locator(".rc-ad__question").count() == len(PRACTICES)
    assert page.locator("#rc-ad-outils").is_hidden()
    assert page.locator("#rc-ad-sansjs").is_visible()
    # One radio group per practice, inside a fieldset whose legend is the practice's title
    first = page.locator(".rc-ad__question").first
    assert first.locator("legend").text_content() in {p.titre for p in PRACTICES}
    assert first.locator('input[type="radio"]').count() == len(ad.answer_choices())
    context.close()


def test_page_is_linked_from_nav_home_and_etat_des_lieux_and_schema_is_published(project_server: Server) -> None:
    def soup(path: str) -> BeautifulSoup:
        return BeautifulSoup((project_server.site / path / "index.html").read_text(encoding="utf-8"), "html.parser")

    home = soup("")
    nav = {a.get_text(strip=True): a["href"] for a in home.select("nav.md-nav--primary a.md-nav__link[href]")}
    assert nav["Autodiagnostic"] == "autodiagnostic/"
    assert home.select_one(".md-content a[href='autodiagnostic/']") is not None
    assert soup("etat-des-lieux").select_one(".md-content a[href='../autodiagnostic/']") is not None
    assert soup("a-propos").find(id="autodiagnostic") is not None
    published = json.loads((project_server.site / ad.SCHEMA_PATH).read_text(encoding="utf-8"))
    assert published == ad.answer_schema()
