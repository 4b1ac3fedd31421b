"""What the site's search indexes of a practice page, by collection size.

Material's search plugin puts every page's text into one `search_index.json` that each page fetches
when the reader opens search. Up to FULL_TEXT_LIMIT practices it holds their full text (612 KB at 45
sheets). Above, a practice page is indexed by its title, summary, metadata, section headings and
sources, not by the text of its body (which would make 6.6 MB at 1,000 sheets): the blocks of the body
and the cards of related practices carry `data-search-exclude`, which the plugin skips.
"""

from __future__ import annotations

import re

FULL_TEXT_LIMIT = 300
EXCLUDED = "data-search-exclude"
# Block elements of a sanitised body (see `sanitize.TAGS`): their text leaves the index, headings stay.
_BLOCK = re.compile(r"<(p|ul|ol|dl|table|blockquote|div|details|pre|figure)(?=[\s>])")


def full_text(practice_count: int) -> bool:
    return practice_count <= FULL_TEXT_LIMIT


def headings_only(html: str) -> str:
    """Sanitised body HTML whose blocks the search plugin skips: only the headings stay searchable."""
    return _BLOCK.sub(rf"<\1 {EXCLUDED}", html)
