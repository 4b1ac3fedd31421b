"""Checks on what contributors write: code that could run in a reader's browser, personal data.

Practices arrive by pull request from people we do not know; these checks run on every line of
the file, front matter included, and report the line.
"""

from __future__ import annotations

import html
import re

_DANGEROUS_TAG = re.compile(
    r"<\s*/?\s*(script|iframe|frame|frameset|object|embed|applet|base|meta|link|form|style|svg|math)\b",
    re.IGNORECASE,
)
_EVENT_ATTRIBUTE = re.compile(r"<[^>]*?[\s\"'/]on[a-z]+\s*=", re.IGNORECASE)
_SCRIPT_URL = re.compile(r"(java|vb)script\s*:|data\s*:\s*text/html", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\u00ad\u200b-\u200d\ufeff]+")

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# An institution's generic mailbox is fine; a person's (prenom.nom@…) is personal data.
_GENERIC_MAILBOX = re.compile(
    r"^(contact|accueil|info|infos|information|mairie|secretariat|courrier|direction|dpo|rgpd|drh|rh|"
    r"prevention|communication|presse|webmaster|support|service|services|mediateur|mediation|"
    r"signalement|ne-pas-repondre|nepasrepondre|noreply|no-reply|standard|cabinet)"
    r"([._-][a-z0-9]+)*$",
    re.IGNORECASE,
)
_MOBILE = re.compile(r"(?<![\d])(?:(?:\+|00)33[\s.-]?|0)[67](?:[\s.-]?\d{2}){4}(?![\d])")
def _may_hold_markup(text: str) -> bool:
    # Plain substring tests are far cheaper than the regexes; without "<" or "&" a script URL
    # can only be written contiguously (a Markdown link target holds no whitespace).
    if "<" in text or "&" in text:
        return True
    lowered = text.lower()
    return "script:" in lowered or "data:" in lowered


def findings(text: str) -> list[tuple[int, str]]:
    """(1-based line, reason) for every unsafe markup or personal data in a whole file."""
    found: list[tuple[int, str]] = []
    if _may_hold_markup(text):
        for number, line in enumerate(text.split("\n"), start=1):
            reason = unsafe_markup(line) if _may_hold_markup(line) else None
            if reason:
                found.append((number, reason))
    if "@" in text or _MOBILE.search(text):
        for number, line in enumerate(text.split("\n"), start=1):
            found.extend((number, reason) for reason in personal_data(line))
    return sorted(found)

# The same personal-data rules for the contribution form's script (the patterns are valid JavaScript too;
# the generic mailbox one is matched without regard to case).
PERSONAL_DATA_PATTERNS = {"email": _EMAIL.pattern, "generic_mailbox": _GENERIC_MAILBOX.pattern,
                          "mobile": _MOBILE.pattern}


def unsafe_markup(line: str) -> str | None:
    """Why this line could run code in a browser, or None."""
    decoded = html.unescape(line)
    tag = _DANGEROUS_TAG.search(decoded)
    if tag:
        return f"balise HTML <{tag.group(1).lower()}> interdite dans une fiche"
    if _EVENT_ATTRIBUTE.search(decoded):
        return "attribut HTML d'événement (on…=) interdit dans une fiche"
    if _SCRIPT_URL.search(_INVISIBLE.sub("", decoded)):
        return "adresse « javascript: » ou équivalente interdite dans une fiche"
    return None


def personal_data(line: str) -> list[str]:
    """Why this line looks like personal data (empty when it does not)."""
    found = [
        f"adresse électronique nominative « {match.group(0)} » : donnée personnelle interdite ; "
        "indiquez un contact générique de l'institution (contact@…, accueil@…)"
        for match in _EMAIL.finditer(line)
        if not _GENERIC_MAILBOX.match(match.group(0).split("@", 1)[0])
    ]
    if _MOBILE.search(line):
        found.append("numéro de téléphone portable : donnée personnelle interdite ; indiquez un numéro d'accueil")
    return found
