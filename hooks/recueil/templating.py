"""The one autoescaped Jinja2 environment every generated page, SVG, XML and HTML file comes from.

Contributor text is escaped wherever a template shows it; modules add their filters to this
environment instead of building their own.
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined, Template

ENV = Environment(
    loader=PackageLoader("recueil", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def template(name: str) -> Template:
    return ENV.get_template(name)
