"""Slugs: a practice's permanent identifier (its file name and URL), and titles compared as slugs."""

from __future__ import annotations

import functools
import re
import unicodedata

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SLUG_MAX = 80


@functools.lru_cache(maxsize=65_536)  # the same titles and headings are slugged many times per build
def slugify(text: str, max_length: int = SLUG_MAX) -> str:
    """« L'agent d'accueil » → « l-agent-d-accueil »: lowercase ASCII words joined by hyphens."""
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "Oe"))
    # Accents go, any other non-ASCII character (’, «, …) separates words.
    ascii_text = "".join(
        char if char.isascii() else ("" if unicodedata.combining(char) else " ") for char in decomposed
    )
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return (slug or words[0][:max_length]) if words else ""


def title_key(title: str) -> str:
    """Titles compared without case, accents or punctuation."""
    return " ".join(slugify(title, max_length=10_000).split("-"))
