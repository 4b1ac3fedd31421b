"""The « À compléter : … » marker that `recueil new` leaves where the contributor must write.

One definition for the writer (scaffold) and the checker, so an untouched placeholder is
always reported as an error with its line and never reaches the published site.
"""

from __future__ import annotations

import re

MARKER = "À compléter :"
# Also catches the marker typed without its accent or in capitals.
_FOUND = re.compile(r"[àa]\s+compl[ée]ter\s*:", re.IGNORECASE)


def placeholder(hint: str) -> str:
    """« À compléter : <hint> », the text a contributor replaces."""
    return f"« {MARKER} {hint} »"


def untouched(line: str) -> str | None:
    """Why this line still holds a placeholder, or None."""
    if _FOUND.search(line):
        return "texte « À compléter » laissé tel quel : remplacez-le par le contenu de la fiche"
    return None


def findings(text: str) -> list[tuple[int, str]]:
    """(1-based line, reason) for every untouched placeholder of a whole file."""
    if "ompl" not in text.lower() or not _FOUND.search(text):
        return []
    return [(number, reason) for number, line in enumerate(text.split("\n"), start=1) if (reason := untouched(line))]
