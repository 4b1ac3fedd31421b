"""The one autoescaped Jinja2 environment every generated page, SVG, XML and HTML file comes from.

Contributor text is escaped wherever a template shows it. Every filter, test and global the
templates use is registered here, so a template works whichever module renders it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, Template, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from recueil.format.vocabulary import vocabularies

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def french_date(value: dt.date) -> str:
    """« 1er mars 2026 »."""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def _label(term_id: str, field: str) -> str:
    return vocabularies()[field].label(term_id)


def _svg(chart: Any) -> Markup:
    from recueil.site.charts import svg  # charts renders its own template: imported when first drawn

    return svg(chart)


def _with_unit(figure: Any) -> str:
    from recueil.site.charts import with_unit

    return with_unit(figure)


@pass_context
def _island(context: Context, html: Markup) -> Markup:
    # See recueil.site.islands: the page's `islands` (or none) decides whether Markdown sees this HTML.
    islands = context.get("islands")
    return html if islands is None else islands.put(html)


ENV = Environment(
    loader=PackageLoader("recueil", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
ENV.filters.update(label=_label, french_date=french_date, with_unit=_with_unit, island=_island)
ENV.tests["contains"] = lambda collection, item: item in collection
ENV.globals.update(vocab=vocabularies(), svg=_svg)


def template(name: str) -> Template:
    return ENV.get_template(name)
