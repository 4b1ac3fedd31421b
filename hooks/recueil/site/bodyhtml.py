"""A sheet's Markdown body as sanitised HTML, for the outputs that do not go through MkDocs.

The compendium (site page, selection page, PDF) and the exported Markdown tree take the body as
HTML: converted with the site's Markdown extensions, then cleaned by the allow-list of
`sanitize.py`. The site's practice pages keep MkDocs' conversion (table of contents, permalinks,
abbreviations), and the hook cleans the same body there.
"""

from __future__ import annotations

import functools

import markdown
from markupsafe import Markup

from recueil.format import sanitize
from recueil.format.slugs import slugify
from recueil.model import Practice

# The site's Markdown extensions that make sense for a sheet body (snippets and permalinks do not).
MARKDOWN_EXTENSIONS = [
    "abbr",
    "attr_list",
    "admonition",
    "def_list",
    "footnotes",
    "md_in_html",
    "tables",
    "toc",
    "pymdownx.details",
    "pymdownx.superfences",
]


class BodyConverter:
    """One Markdown converter reused for every sheet (building one per sheet costs more than converting).

    `baselevel`: the level of the body's « ## » headings; `prefix_ids`: heading ids start with the
    sheet's slug, for documents holding many sheets (every sheet has a « Contexte »).
    """

    def __init__(self, *, baselevel: int = 2, prefix_ids: bool = False) -> None:
        self.prefix = ""
        self.prefix_ids = prefix_ids
        self.converted: dict[tuple[str, str], Markup] = {}
        self.markdown = markdown.Markdown(
            extensions=MARKDOWN_EXTENSIONS,
            extension_configs={"toc": {"baselevel": baselevel - 1, "slugify": self._slugify}},
            output_format="html",
        )

    def _slugify(self, value: str, separator: str) -> str:
        return f"{self.prefix}--{slugify(value)}" if self.prefix_ids else slugify(value)

    def convert(self, practice: Practice) -> Markup:
        # Bodies rarely change between `mkdocs serve` rebuilds: convert each (slug, body) once.
        key = (practice.slug, practice.body)
        if key not in self.converted:
            self.prefix = practice.slug
            html = self.markdown.reset().convert(practice.body)
            self.converted[key] = Markup(sanitize.clean(html))
        return self.converted[key]


@functools.cache
def converter(*, baselevel: int = 2, prefix_ids: bool = False) -> BodyConverter:
    """The shared converter for these settings (one per process)."""
    return BodyConverter(baselevel=baselevel, prefix_ids=prefix_ids)
