"""The Atom feed of the latest published or revised practices, from an autoescaped XML template.

Atom needs permanent absolute ids: page URLs when the site URL is configured, otherwise `tag:` URIs
built from the practice's slug, which stay the same wherever the site is served.
"""

from __future__ import annotations

import datetime as dt

from recueil.index import Index
from recueil.templating import template
from recueil.urls import Urls, join, practice_uri

FEED_PATH = "flux.xml"
FEED_SIZE = 20
TAG_PREFIX = "tag:recueil-bonnes-pratiques,2026:"  # stable ids when the site URL is unknown


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def render_feed(index: Index, urls: Urls, size: int = FEED_SIZE) -> str:
    """The feed's XML. Without a site URL, links are relative to the feed (at the site root)."""
    base = join(urls.site_url, "") if urls.site_url else ""
    entries = []
    for practice in index.latest(size):
        link = urls.public(practice_uri(practice.slug))
        entries.append(
            {
                "practice": practice,
                "id": link if base else f"{TAG_PREFIX}pratiques/{practice.slug}",
                "link": link,
                "published": _timestamp(practice.publie_le),
                "updated": _timestamp(practice.last_change),
            }
        )
    latest = max((p.last_change for p in index.practices), default=dt.date(2026, 1, 1))
    return template("site/flux.xml.j2").render(
        feed_id=base + FEED_PATH if base else f"{TAG_PREFIX}flux",
        self_link=base + FEED_PATH,
        home=base or "./",
        updated=_timestamp(latest),
        entries=entries,
    )
