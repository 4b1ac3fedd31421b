"""In Chromium: the selection page shows exactly the sheets named in its query, and pages print without chrome."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import CORPUS
from recueil.load.collection import load_collection

PUBLISHED = {p.slug: p for p in load_collection(CORPUS / "valid").published}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(fixture_server: Any) -> str:
    return str(fixture_server.url)


def test_selection_page_shows_exactly_the_named_sheets_in_order(server: str, browser: Any) -> None:
    page = browser.new_page()
    page.goto(f"{server}recueil/selection/?p=gamma-cooperer,alpha-proteger,inconnue,gamma-cooperer,epsilon-brouillon")
    status = page.locator(".rc-selection__etat")
    status.filter(has_text="sélectionnées").wait_for()
    shown = page.eval_on_selector_all(".rc-selection__fiches article", "nodes => nodes.map(n => n.id)")
    assert shown == ["p-gamma-cooperer", "p-alpha-proteger"]
    titles = page.locator(".rc-selection__fiches h3").all_inner_texts()
    assert titles == [PUBLISHED["gamma-cooperer"].titre, PUBLISHED["alpha-proteger"].titre]
    assert status.inner_text() == ("2 pratiques sélectionnées. Pratiques introuvables : inconnue, epsilon-brouillon.")
    assert page.locator(".rc-selection__imprimer").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".rc-selection__imprimer").is_visible()
    assert page.locator("#p-gamma-cooperer .rc-qr svg").is_visible()
    page.close()


def test_selection_page_without_query_says_how_to_choose(server: str, browser: Any) -> None:
    page = browser.new_page()
    page.goto(f"{server}recueil/selection/")
    assert "Aucune pratique choisie" in page.locator(".rc-selection__etat").inner_text()
    assert page.locator(".rc-selection__fiches article").count() == 0
    page.close()


def test_pages_print_without_chrome_and_with_link_targets(server: str, browser: Any) -> None:
    page = browser.new_page()
    page.goto(f"{server}pratiques/alpha-proteger/")
    assert page.locator(".md-header").is_visible()
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-footer", ".md-search"):
        if page.locator(chrome).count():
            assert not page.locator(chrome).first.is_visible(), chrome
    source = PUBLISHED["alpha-proteger"].sources[0].url
    after = page.eval_on_selector(f'a[href="{source}"]', "a => getComputedStyle(a, '::after').content")
    assert source in after
    heading = page.eval_on_selector("article h2", "h => getComputedStyle(h).breakAfter")
    assert heading == "avoid"
    page.close()


def test_compendium_prints_each_sheet_on_a_new_page(server: str, browser: Any) -> None:
    page = browser.new_page()
    page.goto(f"{server}recueil/")
    assert not page.locator(".rc-qr").first.is_visible()  # on screen, a code to this very page is useless
    page.emulate_media(media="print")
    breaks = page.eval_on_selector_all(
        "article.rc-fiche-imprimable", "nodes => nodes.map(n => getComputedStyle(n).breakBefore)"
    )
    assert breaks == ["page"] * len(PUBLISHED)
    assert page.locator(".rc-qr").first.is_visible()
    assert not page.locator(".rc-recueil-actions").is_visible()
    pdf = page.pdf(format="A4")  # Chromium's own print: the page must still paginate
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type/Page") >= len(PUBLISHED)
    page.close()
