"""Hostile sheet bodies: the sanitiser alone keeps every payload inert, and the checker explains each one.

The site is built in this process by MkDocs with our hook, from a collection whose bodies carry
payloads and which never went through the checker (`load_collection` is replaced): what reaches
the pages is what the allow-list let through. Chromium then loads every page, records every
request, and reads the live DOM.
"""

from __future__ import annotations

import dataclasses
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import pytest
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config

from browser_support import Server
from conftest import CORPUS, ROOT, pdf_available, write_config
from payloads import HEADING_PAYLOAD, MARK, PAYLOADS
from recueil.format import sanitize
from recueil.format.safety import body_markup
from recueil.load import collection as collection_module
from recueil.load.collection import load_collection
from recueil.model import Collection
from recueil.site.bodyhtml import MARKDOWN_EXTENSIONS


def _hostile_body(practice_body: str) -> str:
    return practice_body.rstrip("\n") + "\n\n" + "\n\n".join(PAYLOADS) + "\n\n" + HEADING_PAYLOAD + "\n\nTexte.\n"


def _hostile_collection() -> Collection:
    collection = load_collection(CORPUS / "valid")
    practices = list(collection.practices)
    practices[0] = dataclasses.replace(practices[0], body=_hostile_body(practices[0].body))
    # An unclosed comment runs into the closing marker: the body must still be cleaned.
    practices[1] = dataclasses.replace(
        practices[1], body=practices[1].body + f"\n<img src=x onerror={MARK}>\n\n<!-- ouvert\n"
    )
    return dataclasses.replace(collection, practices=tuple(practices), problems=())


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("sanitize")
    config_file = write_config(tmp, CORPUS / "valid")
    hostile = _hostile_collection()
    with pytest.MonkeyPatch.context() as patch:
        # The hook imports load_collection when MkDocs loads it: it gets this one, which checks nothing.
        patch.setattr(collection_module, "load_collection", lambda *args, **kwargs: hostile)
        patch.setenv("RECUEIL_PDF", "1" if pdf_available() else "0")
        patch.chdir(ROOT)  # pymdownx.snippets resolves its paths from the working directory
        config = load_config(config_file=str(config_file), site_dir=str(tmp / "site"))
        build(config)
    return tmp / "site"


def test_the_sanitiser_keeps_what_markdown_produces() -> None:
    html = (
        '<h2 id="contexte">Contexte<a class="headerlink" href="#contexte" title="Lien">¶</a></h2>'
        '<p><strong>gras</strong> <em>it</em> <abbr title="Centre de gestion">CDG</abbr> '
        '<a href="https://www.legifrance.gouv.fr/">Légifrance</a> <a href="mailto:contact@ville.fr">écrire</a> '
        '<a href="../autre/">relatif</a><sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup></p>'
        '<div class="admonition warning"><p class="admonition-title">Attention</p><p>texte</p></div>'
        '<details class="note" open><summary>Plus</summary><p>détail</p></details>'
        "<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>b</td></tr></tbody></table>"
        '<img alt="schéma" src="../../assets/schema.png"><dl><dt>terme</dt><dd>définition</dd></dl>'
    )
    cleaned = sanitize.clean(html)
    for kept in (
        'class="headerlink"',
        'class="admonition warning"',
        'class="admonition-title"',
        "<abbr",
        'href="https://www.legifrance.gouv.fr/"',
        'href="mailto:contact@ville.fr"',
        'href="../autre/"',
        'id="fnref:1"',
        "<details",
        "<summary>",
        "<table>",
        'src="../../assets/schema.png"',
        "<dl>",
    ):
        assert kept in cleaned, kept


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_sanitiser_alone_leaves_nothing_active(payload: str) -> None:
    converted = markdown.markdown(payload, extensions=MARKDOWN_EXTENSIONS)
    parser = _Attributes()
    parser.feed(sanitize.clean(converted))
    for tag, attributes in parser.tags:
        assert tag in sanitize.TAGS, tag
        for name, value in attributes:
            assert not name.startswith("on") and name not in ("style", "srcset"), (tag, name)
            url = sanitize.normalised_url(value or "").lower()
            if name == "href":
                assert url.startswith(("https:", "mailto:", "#", "../", "./")) or ":" not in url, url
            if name == "src":
                assert ":" not in url and not url.startswith("//"), url
            if name == "id":
                assert not value or not value.startswith("__"), value


def test_every_payload_is_reported_at_its_line() -> None:
    first_line = 40
    for payload in PAYLOADS:
        if payload.startswith("<!--") or payload.startswith("<p>après"):
            continue  # a comment is harmless; the next one repeats an earlier case
        body = "## Description\n\nTexte.\n\n" + payload + "\n"
        found = body_markup(body, first_line)
        payload_line = first_line + 4
        assert found, payload
        last = payload_line + payload.count("\n")
        assert all(payload_line <= line <= last for line, _ in found), (payload, found)
    split = body_markup(f"Texte.\n<img src=x\n  alt=''\nonerror={MARK}>\n", 10)
    assert split == [(13, split[0][1])] and "d'événement" in split[0][1]


def test_code_is_shown_not_reported() -> None:
    body = "Texte `<script>` et `[x](javascript:y)`.\n\n```html\n<img src=x onerror=alert(1)>\n```\n"
    assert body_markup(body, 1) == []
    assert body_markup("Voir <https://www.inrs.fr/> ou <accueil@ville.fr>.\n", 1) == []
    assert body_markup("Voir <http://www.inrs.fr/>.\n", 1)[0][0] == 1


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix().removesuffix("index.html") for p in site.rglob("index.html"))


@pytest.mark.browser
def test_no_payload_runs_loads_or_stays_in_the_dom(browser: Any, hostile_site: Path) -> None:
    server = Server(hostile_site)
    context = browser.new_context()
    context.add_init_script("window.__xss = undefined;")
    page = context.new_page()
    foreign: list[str] = []
    page.on("request", lambda request: None if request.url.startswith(server.url) else foreign.append(request.url))
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    pages = _pages(hostile_site)
    assert "pratiques/alpha-proteger/" in pages and "recueil/" in pages and "recueil/selection/" in pages
    try:
        for path in pages:
            page.goto(server.url + path + ("?p=alpha-proteger,beta-accueillir" if "selection" in path else ""))
            page.wait_for_load_state("load")
            if "selection" in path:  # the sheets come from recueil/fiches.json, inserted by the page's script
                page.wait_for_selector(".rc-selection__fiches article", state="attached")
            page.keyboard.press("Tab")  # focus-triggered payloads
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            page.wait_for_timeout(50)
            assert page.evaluate("window.__xss") is None, path
            active = page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(el =>
                [...el.attributes].filter(a => /^on/i.test(a.name) || a.name === 'srcset'
                  || (/^(href|src|action|data|formaction)$/i.test(a.name)
                      && /^\\s*(javascript|vbscript|data):/i.test(a.value.replace(/[\\t\\n\\r]/g, '')))
                ).map(a => el.tagName + ' ' + a.name + '=' + a.value))""")
            assert active == [], (path, active)
        body = page.goto(server.url + "pratiques/alpha-proteger/")
        assert body is not None
        assert page.locator("#__search").count() <= 1  # the theme's own, not the sheet's copy
        assert "lien Markdown" in page.content()  # the text stays, only the danger goes
    finally:
        context.close()
        server.close()
    assert foreign == [] and dialogs == []


def test_the_pdf_holds_no_script_and_no_foreign_resource(hostile_site: Path) -> None:
    if not pdf_available():
        pytest.skip("WeasyPrint's Debian libraries are missing (make system-deps)")
    data = (hostile_site / "recueil.pdf").read_bytes()
    assert b"/JavaScript" not in data and b"/JS " not in data
    assert b"javascript:" not in data.lower() and b"tracker.test" not in data


def test_an_unclosed_comment_does_not_escape_the_allow_list(hostile_site: Path) -> None:
    page = BeautifulSoup(
        (hostile_site / "pratiques" / "beta-accueillir" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert [tag.name for tag in page.find_all(True) if any(a.startswith("on") for a in tag.attrs)] == []
    assert page.find(id="sources") is not None  # the page goes on after the body


def test_a_missing_closing_marker_cleans_everything_after_the_opening_one() -> None:
    html = "<h1>Titre</h1><!--m--><p>corps</p><img src=x onerror=alert(1)><p>suite</p>"
    assert sanitize.clean_between(html, "m") == '<h1>Titre</h1><p>corps</p><img src="x"><p>suite</p>'
    two = "<!--m--><b onclick=x>a</b><!--m--><i onclick=y>b</i><!--m--><u onclick=z>c</u><!--m-->"
    assert sanitize.clean_between(two, "m") == "<b>a</b><i onclick=y>b</i><u>c</u>"


def test_a_body_full_of_unclosed_tags_is_read_in_one_pass() -> None:
    # Python's HTML parser is quadratic on unclosed « < » (50,000 of them took minutes when fed whole):
    # each candidate tag is parsed on its own, and a real tag after the noise is still found at its line.
    body = "<a " * 50_000 + f"\n\n<img src=x\nonerror={MARK}>\n" + "'<b \"" * 20_000
    found = body_markup(body, 10)
    assert [line for line, _ in found] == [13] and "d'événement" in found[0][1]
