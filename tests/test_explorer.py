"""The explorer in a real browser: facets, counts, free text, sorting, URL state, history, keyboard, no-JS.

Expectations are computed from the fixture corpus with the core (tests/corpus/explorer), never typed in.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from browser_support import Server, serve_build
from conftest import CORPUS, ROOT
from recueil.format.vocabulary import VOCABULARY_FIELDS, vocabularies
from recueil.index import build_index
from recueil.load.collection import load_collection
from recueil.model import Practice
from recueil.site.explorer import filter_data

INDEX = build_index(load_collection(CORPUS / "explorer"))
FACETS = (*VOCABULARY_FIELDS, "mots_cles")
Selection = dict[str, tuple[str, ...]]


def _values(practice: Practice, field: str) -> set[str]:
    if field == "mots_cles":
        return {INDEX.keyword_slugs[label] for label in practice.mots_cles}
    value = getattr(practice, field)
    return set(value) if isinstance(value, tuple) else {value}


def _fold(text: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFD", text.lower().replace("œ", "oe")) if not unicodedata.combining(c)
    )


def _passes(practice: Practice, field: str, wanted: tuple[str, ...]) -> bool:
    if not wanted:
        return True
    if field == "collectivites" and not practice.collectivites:
        return True  # « absent : toutes »
    return bool(_values(practice, field) & set(wanted))


def _text_passes(practice: Practice, text: str) -> bool:
    haystack = _fold(practice.titre + " " + practice.resume)
    return all(word in haystack for word in _fold(text).split())


def expected_titles(selection: Selection, text: str = "") -> list[str]:
    return [
        p.titre
        for p in INDEX.practices
        if _text_passes(p, text) and all(_passes(p, f, selection.get(f, ())) for f in FACETS)
    ]


def expected_counts(selection: Selection, text: str = "") -> dict[tuple[str, str], int]:
    """Per facet value: the practices it would give, the other facets' selections kept."""
    counts: dict[tuple[str, str], int] = {}
    for field in FACETS:
        others = [
            p
            for p in INDEX.practices
            if _text_passes(p, text) and all(_passes(p, f, selection.get(f, ())) for f in FACETS if f != field)
        ]
        ids = vocabularies()[field].ids if field != "mots_cles" else tuple(k.slug for k in INDEX.keywords)
        for value in ids:
            counts[field, value] = sum(_passes(p, field, (value,)) for p in others)
    return counts


# Browser helpers -------------------------------------------------------------------------------------------


def open_explorer(page: Any, server: Server, query: str = "") -> None:
    page.goto(server.url + "pratiques/" + query)
    page.wait_for_selector("#rc-filtres:not([hidden])")


def shown_titles(page: Any) -> list[str]:
    # textContent: cards below the fold skip rendering (content-visibility), so innerText would be empty.
    return [t.strip() for t in page.locator("#rc-liste .rc-carte__titre a").all_text_contents()]


def shown_counts(page: Any) -> dict[tuple[str, str], int]:
    raw = page.evaluate("""() => Array.from(document.querySelectorAll('#rc-facettes input[type=checkbox]'))
        .map(box => [box.name, box.value, box.labels[0].querySelector('.rc-compte').textContent])""")
    return {(name, value): int(text.strip("()")) for name, value, text in raw}


def checkbox(page: Any, field: str, value: str) -> Any:
    return page.locator(f'#rc-facettes input[name="{field}"][value="{value}"]')


def select(page: Any, selection: Selection) -> None:
    # In order: a value that would give nothing is disabled, as the reader would find it.
    for field, values in selection.items():
        for value in values:
            box = checkbox(page, field, value)
            page.evaluate("box => box.closest('details').open = true", box.element_handle())
            box.check()


def url_selection(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def assert_state(page: Any, selection: Selection, text: str = "") -> None:
    titles = expected_titles(selection, text)
    assert shown_titles(page) == titles
    assert shown_counts(page) == expected_counts(selection, text)
    assert page.locator("#rc-statut").inner_text().startswith(f"{len(titles)} pratique")


SCENARIOS: dict[str, Selection] = {
    "one-theme": {"themes": ("politique-rh",)},
    "two-themes-or": {"themes": ("politique-rh", "relation-usagers")},
    "theme-and-moment": {"themes": ("politique-rh",), "moments": ("prevenir",)},
    "authority-kind-includes-universal": {"collectivites": ("commune",)},
    "keyword-and-nature": {"mots_cles": ("plainte",), "nature": ("obligation-legale",)},
    "partner-role-effort": {
        "partenaires": ("police-nationale", "parquet"),
        "roles": ("prevention", "elus"),
        "effort": ("moyen",),
    },
    "services": {"services": ("logement", "accueil")},
}


def test_the_scenarios_exercise_the_corpus() -> None:
    # Each scenario narrows the list without emptying it, so the assertions below mean something.
    for name, selection in SCENARIOS.items():
        assert 0 < len(expected_titles(selection)) < len(INDEX.practices), name
    universal = [p for p in INDEX.practices if not p.collectivites]
    assert universal and set(expected_titles({"collectivites": ("commune",)})) >= {p.titre for p in universal}


def test_filter_data_encodes_every_practice_in_card_order() -> None:
    data = filter_data(INDEX)
    assert data["nombre"] == len(INDEX.practices)
    for facet in data["facettes"]:
        field, ids = facet["champ"], [value[0] for value in facet["valeurs"]]
        for n, practice in enumerate(INDEX.practices):
            if field == "mots_cles":
                decoded = {ids[k] for k in data["mots_cles"][n]}
            else:
                decoded = {ids[bit] for bit in range(len(ids)) if data["masques"][field][n] >> bit & 1}
            assert decoded == _values(practice, field), (field, practice.slug)
    labels = {facet["champ"]: dict(facet["valeurs"]) for facet in data["facettes"]}
    assert labels["roles"]["elus"] == vocabularies()["roles"].label("elus")
    assert "titre" not in json.dumps(data)  # titles and summaries stay in the page's cards


@pytest.fixture
def explorer(page: Any, explorer_server: Server) -> Iterator[Any]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    open_explorer(page, explorer_server)
    yield page
    assert errors == []


@pytest.mark.browser
def test_unfiltered_explorer_shows_every_practice_and_all_counts(explorer: Any) -> None:
    assert_state(explorer, {})
    assert explorer.locator("#rc-statut").get_attribute("aria-live") == "polite"
    assert explorer.locator("#rc-statut").get_attribute("role") == "status"


@pytest.mark.browser
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_facets_filter_the_list_and_update_the_counts(explorer: Any, name: str) -> None:
    selection = SCENARIOS[name]
    select(explorer, selection)
    assert_state(explorer, selection)
    assert "correspond" in explorer.locator("#rc-statut").inner_text()
    assert {k: sorted(v) for k, v in url_selection(explorer).items()} == {k: sorted(v) for k, v in selection.items()}


@pytest.mark.browser
def test_free_text_ignores_accents_and_case(explorer: Any) -> None:
    explorer.fill("#rc-texte", "DESESCALADE")
    assert_state(explorer, {}, "DESESCALADE")
    assert len(shown_titles(explorer)) == 1
    explorer.fill("#rc-texte", "agent securise")  # two words, both required; one only in a summary
    assert_state(explorer, {}, "agent securise")
    select(explorer, {"themes": ("relation-usagers",)})
    assert_state(explorer, {"themes": ("relation-usagers",)}, "agent securise")
    assert url_selection(explorer)["texte"] == ["agent securise"]


@pytest.mark.browser
def test_sort_by_date_puts_the_latest_change_first(explorer: Any) -> None:
    select(explorer, {"themes": ("politique-rh",)})
    explorer.select_option("#rc-tri", "date")
    expected = [
        p.titre
        for p in sorted(
            (p for p in INDEX.practices if "politique-rh" in p.themes), key=lambda p: p.last_change, reverse=True
        )
    ]
    assert shown_titles(explorer) == expected
    assert url_selection(explorer)["tri"] == ["date"]
    explorer.select_option("#rc-tri", "titre")
    assert shown_titles(explorer) == expected_titles({"themes": ("politique-rh",)})


@pytest.mark.browser
def test_the_url_holds_the_state_and_reloading_restores_it(explorer: Any) -> None:
    selection: Selection = {"moments": ("prevenir",), "collectivites": ("metropole",)}
    select(explorer, selection)
    explorer.fill("#rc-texte", "médiateurs")
    explorer.select_option("#rc-tri", "date")
    url = explorer.url
    explorer.reload()
    explorer.wait_for_selector("#rc-filtres:not([hidden])")
    assert explorer.url == url
    assert_state(explorer, selection, "médiateurs")
    assert checkbox(explorer, "collectivites", "metropole").is_checked()
    assert explorer.input_value("#rc-texte") == "médiateurs"
    assert explorer.input_value("#rc-tri") == "date"
    # A shared link opens on the same view in a fresh page.
    other = explorer.context.new_page()
    other.goto(url)
    other.wait_for_selector("#rc-filtres:not([hidden])")
    assert shown_titles(other) == shown_titles(explorer)


@pytest.mark.browser
def test_back_and_forward_restore_the_previous_states(explorer: Any) -> None:
    first: Selection = {"themes": ("politique-rh",)}
    second: Selection = {"themes": ("politique-rh",), "effort": ("faible",)}
    select(explorer, first)
    select(explorer, {"effort": ("faible",)})
    assert_state(explorer, second)
    explorer.go_back()
    assert_state(explorer, first)
    assert not checkbox(explorer, "effort", "faible").is_checked()
    explorer.go_back()
    assert_state(explorer, {})
    explorer.go_forward()
    explorer.go_forward()
    assert_state(explorer, second)


@pytest.mark.browser
def test_clear_all_removes_every_filter(explorer: Any) -> None:
    select(explorer, {"themes": ("continuum-securite",), "mots_cles": ("plainte",)})
    explorer.fill("#rc-texte", "parquet")
    explorer.click("#rc-effacer")
    assert_state(explorer, {})
    assert urlparse(explorer.url).query == ""
    assert explorer.input_value("#rc-texte") == ""


@pytest.mark.browser
def test_the_keyboard_alone_filters_and_opens_a_practice(explorer: Any) -> None:
    def tab_to(selector: str, limit: int = 150) -> None:
        for _ in range(limit):
            explorer.keyboard.press("Tab")
            if explorer.evaluate("s => document.activeElement.matches(s)", selector):
                return
        pytest.fail(f"Tab never reached {selector}")

    target = '#rc-facettes input[name="themes"][value="continuum-securite"]'
    tab_to(target)
    outline = explorer.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")  # the focus is visible
    explorer.keyboard.press("Space")
    selection: Selection = {"themes": ("continuum-securite",)}
    assert_state(explorer, selection)
    tab_to("#rc-liste .rc-carte__titre a")
    first = expected_titles(selection)[0]
    assert explorer.evaluate("() => document.activeElement.textContent.trim()") == first
    explorer.keyboard.press("Enter")
    explorer.wait_for_load_state()
    assert explorer.locator("article h1").inner_text() == first


@pytest.mark.browser
def test_without_javascript_every_practice_is_listed(browser: Any, explorer_server: Server) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(explorer_server.url + "pratiques/?themes=politique-rh")
    assert shown_titles(page) == [p.titre for p in INDEX.practices]
    assert not page.locator("#rc-filtres").is_visible()
    browse = page.locator("nav.rc-parcours a")
    expected = [t.libelle for f in ("themes", "moments") for t in vocabularies()[f].terms]
    assert browse.all_inner_texts() == expected
    browse.first.click()
    assert page.locator("article h1").inner_text().rstrip("¶") == vocabularies()["themes"].terms[0].libelle
    context.close()


@pytest.fixture(scope="session")
def paged_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A synthetic corpus larger than one page of results (50 cards)."""
    tmp = tmp_path_factory.mktemp("paged")
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "synthetic_corpus.py"), str(tmp / "practices"), "--count", "57"],
        check=True,
        capture_output=True,
    )
    server = serve_build(tmp, tmp / "practices")
    yield server
    server.close()


@pytest.mark.browser
def test_long_results_come_fifty_at_a_time(page: Any, paged_server: Server) -> None:
    open_explorer(page, paged_server)
    published = build_index(load_collection(paged_server.site.parent / "practices")).practices
    assert shown_titles(page) == [p.titre for p in published[:50]]
    assert page.locator("#rc-statut").inner_text().startswith("57 pratiques")
    page.click("#rc-plus")
    assert shown_titles(page) == [p.titre for p in published]
    assert page.evaluate("() => document.activeElement.textContent.trim()") == published[50].titre
    assert not page.locator("#rc-plus").is_visible()


@pytest.mark.browser
def test_print_this_selection_opens_exactly_the_filtered_practices(explorer: Any) -> None:
    selection: Selection = {"themes": ("politique-rh",), "moments": ("prevenir",)}
    select(explorer, selection)
    titles = expected_titles(selection)
    assert titles and len(titles) < len(INDEX.practices)
    link = explorer.locator("#rc-imprimer")
    assert link.is_visible()
    link.click()
    explorer.wait_for_selector(".rc-selection__fiches article.rc-fiche-imprimable", state="attached")
    printed = explorer.locator(".rc-fiche-imprimable__titre").all_text_contents()
    assert sorted(t.strip() for t in printed) == sorted(titles)


# Cumulative layout shift, as Chromium reports it: the shifts not caused by the reader's input, summed.
LAYOUT_SHIFT = """window.__layoutShift = 0;
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__layoutShift += entry.value;
}).observe({type: "layout-shift", buffered: true});"""


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), [(375, 812), (1280, 900)], ids=["phone", "desktop"])
def test_the_explorer_does_not_move_while_its_script_takes_over(
    browser: Any, project_server: Server, width: int, height: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": height})
    context.add_init_script(LAYOUT_SHIFT)
    page = context.new_page()

    def late(route: Any) -> None:
        time.sleep(0.5)  # as on a slow network: the server-rendered page is painted before the script takes over
        route.continue_()

    page.route("**/filtre.json", late)
    page.goto(project_server.url + "pratiques/")
    page.wait_for_selector("#rc-filtres:not([hidden])")
    assert page.evaluate("() => PerformanceObserver.supportedEntryTypes.includes('layout-shift')")
    assert page.evaluate("() => performance.getEntriesByName('first-contentful-paint').length") == 1
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    shift = page.evaluate("window.__layoutShift")
    context.close()
    assert shift < 0.1, f"cumulative layout shift {shift:.3f} at {width}×{height}"


@pytest.mark.browser
def test_without_its_data_the_explorer_gives_the_filters_place_back(page: Any, explorer_server: Server) -> None:
    page.route("**/filtre.json", lambda route: route.abort())
    page.goto(explorer_server.url + "pratiques/")
    page.wait_for_selector(".rc-explorateur--statique", state="attached")
    assert page.locator("#rc-filtres").bounding_box() is None  # not laid out: no blank block above the list
    assert shown_titles(page) == [p.titre for p in INDEX.practices]
