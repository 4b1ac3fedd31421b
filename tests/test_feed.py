"""The Atom feed: parsed by feedparser, latest first, absolute ids, linked from every page's head."""

from __future__ import annotations

import dataclasses

import feedparser

from conftest import CORPUS, Build
from recueil.index import build_index
from recueil.load.collection import load_collection
from recueil.site.feed import render_feed
from recueil.urls import Urls

INDEX = build_index(load_collection(CORPUS / "explorer"))


def _expected_order() -> list[str]:
    return [p.titre for p in sorted(INDEX.practices, key=lambda p: (p.last_change, p.slug), reverse=True)]


def test_the_feed_lists_the_latest_published_or_revised_practices() -> None:
    feed = feedparser.parse(render_feed(INDEX, Urls(site_url="https://recueil.example.fr/")))
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert [e.title for e in feed.entries] == _expected_order()
    first = next(p for p in INDEX.practices if p.titre == feed.entries[0].title)
    assert feed.entries[0].updated.startswith(first.last_change.isoformat())
    assert feed.entries[0].summary == first.resume
    assert feed.entries[0].link == f"https://recueil.example.fr/pratiques/{first.slug}/"
    assert feed.entries[0].id == feed.entries[0].link
    assert feed.feed.id == "https://recueil.example.fr/flux.xml"
    assert "Zêta" not in render_feed(INDEX, Urls())  # drafts never appear


def test_without_a_site_url_ids_are_stable_tag_uris() -> None:
    feed = feedparser.parse(
        render_feed(INDEX, Urls()),
        response_headers={"content-location": "http://127.0.0.1:8000/flux.xml", "content-type": "application/atom+xml"},
    )
    assert not feed.bozo, feed.get("bozo_exception")
    ids = [e.id for e in feed.entries]
    assert all(i.startswith("tag:recueil-bonnes-pratiques,2026:pratiques/") for i in ids)
    assert len(set(ids)) == len(ids) == len(INDEX.practices)
    assert feed.entries[0].link.startswith("http://127.0.0.1:8000/pratiques/")  # relative to the feed


def test_contributor_text_cannot_break_the_xml() -> None:
    practice = dataclasses.replace(
        INDEX.practices[0],
        titre="<b>Gras</b> & « guillemets » ]]>",
        resume="Un résumé avec <script>alert(1)</script> & des chevrons.",
    )
    index = dataclasses.replace(INDEX, practices=(practice,))
    feed = feedparser.parse(render_feed(index, Urls()))
    assert not feed.bozo
    assert feed.entries[0].title == "<b>Gras</b> & « guillemets » ]]>"


def test_every_page_links_to_the_feed(fixture_site: Build) -> None:
    assert (fixture_site.site / "flux.xml").is_file()
    for url_path, href in (
        ("", "flux.xml"),
        ("pratiques/alpha-proteger/", "../../flux.xml"),
        ("donnees/", "../flux.xml"),
    ):
        links = fixture_site.page(url_path).select('head link[rel="alternate"][type="application/atom+xml"]')
        assert [link["href"] for link in links] == [href], url_path
