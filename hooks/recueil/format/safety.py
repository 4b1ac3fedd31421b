"""Checks on what contributors write: markup the site would remove, invisible characters, personal data.

Practices arrive by pull request from people we do not know. The defence is the sanitiser
(`sanitize.py`), which every rendered body goes through; these checks are the explanation: they
read the body with a real HTML tokenizer and the Markdown link syntax, and tell at the right line
what the sanitiser would remove, before the build does it silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

from recueil.format import sanitize
from recueil.format.body import without_fences

# Tags that would run code or pull another document in: named as such, the others are « non permises ».
_ACTIVE_TAGS = frozenset(
    {
        "script",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "base",
        "meta",
        "link",
        "form",
        "input",
        "button",
        "textarea",
        "select",
        "style",
        "svg",
        "math",
        "template",
        "portal",
        "audio",
        "video",
        "source",
        "track",
        "picture",
        "noscript",
    }
)
_CODE_SPAN = re.compile(r"(`+)(?!`)(?:(?!\n[ \t]*\n).)*?(?<!`)\1(?!`)", re.DOTALL)  # not across a blank line
_AUTOLINK = re.compile(r"<((?:[A-Za-z][A-Za-z0-9+.-]*:|www\.)[^<>\s]*|[^<>\s@]+@[^<>\s]+)>")
# Markdown: [text](target), ![alt](target), [id]: target, ![alt][id], ![id]
_INLINE_LINK = re.compile(r"(!?)\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\(\s*(<[^>\n]*>|[^\s)]+)")
_REFERENCE = re.compile(r"^[ ]{0,3}\[([^\]\n]+)\]:[ \t]*(<[^>\n]*>|\S+)", re.MULTILINE)
_IMAGE_REFERENCE = re.compile(r"!\[([^\]\n]*)\](?:\[([^\]\n]*)\])?")
_ATTR_LIST = re.compile(
    r"\{:?[ \t]*((?:[#.][^\s{}]+|[A-Za-z_:][-\w:.]*=(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s{}]+))"
    r"(?:[ \t]+(?:[#.][^\s{}]+|[A-Za-z_:][-\w:.]*=(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s{}]+)))*)"
    r"[ \t]*\}"
)
_ATTR_TOKEN = re.compile(r"([#.])([^\s{}]+)|([A-Za-z_:][-\w:.]*)=(\"[^\"\n]*\"|'[^'\n]*'|[^\s{}]+)")
# A start tag: its name, then anything but « < » and « > » outside quoted attribute values, then « > ».
# Linear: no attempt runs past the next « < » outside quotes.
_START_TAG = re.compile(r"<[A-Za-z][^<>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^<>\"']*)*>")
_SNIPPET = re.compile(r"^[ \t]*-{1,}8<-{1,}", re.MULTILINE)
# Attributes Markdown's extensions consume while converting: never in the output.
_CONSUMED_ATTRIBUTES = frozenset({"markdown", "data-toc-label"})

# Characters nobody types on purpose in a sheet and that mislead readers, feeds or spreadsheets.
_INVISIBLE_NAMES = {
    "\u200b": "espace sans chasse",
    "\u200c": "antiliant sans chasse",
    "\u200d": "liant sans chasse",
    "\u2060": "gluon de mots",
    "\ufeff": "espace insécable sans chasse",
    "\u200e": "marque gauche-à-droite",
    "\u200f": "marque droite-à-gauche",
    "\u061c": "marque de lettre arabe",
    "\u202a": "enchâssement gauche-à-droite",
    "\u202b": "enchâssement droite-à-gauche",
    "\u202c": "fin d'enchâssement",
    "\u202d": "forçage gauche-à-droite",
    "\u202e": "inversion de sens",
    "\u2066": "isolat gauche-à-droite",
    "\u2067": "isolat droite-à-gauche",
    "\u2068": "isolat de première force",
    "\u2069": "fin d'isolat",
    "\ufffe": "non-caractère",
    "\uffff": "non-caractère",
}
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(_INVISIBLE_NAMES) + "]")

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
_MOBILE_LOOSE = re.compile(r"(?:(?:\+|00)33[\s.-]?|0)[67](?:[\s.-]?\d{2}){4}")

# The same personal-data rules for the contribution form's script (the patterns are valid JavaScript too;
# the generic mailbox one is matched without regard to case).
PERSONAL_DATA_PATTERNS = {
    "email": _EMAIL.pattern,
    "generic_mailbox": _GENERIC_MAILBOX.pattern,
    "mobile": _MOBILE.pattern,
}

Finding = tuple[int, str]  # (1-based file line, message)


def findings(text: str, body: str, body_first_line: int) -> list[Finding]:
    """Every problem of a whole practice file: the body's markup, invisible characters, personal data."""
    found = [*body_markup(body, body_first_line), *invisible_characters(text)]
    if "@" in text or (_may_hold_mobile(text) and _MOBILE.search(text)):
        for number, line in enumerate(text.split("\n"), start=1):
            found.extend((number, reason) for reason in personal_data(line))
    return sorted(found)


def _may_hold_mobile(text: str) -> bool:
    # Every number _MOBILE finds holds « 06 », « 07 » or « 33 » and matches _MOBILE_LOOSE (the same pattern
    # without its look-arounds): both tests are cheaper than _MOBILE's scan.
    return ("06" in text or "07" in text or "33" in text) and _MOBILE_LOOSE.search(text) is not None


def invisible_characters(text: str, first_line: int = 1) -> list[Finding]:
    """Control, bidirectional and zero-width characters (tab and newline are fine)."""
    if not _INVISIBLE.search(text):
        return []
    return [
        (first_line + text.count("\n", 0, match.start()), invisible_message(match.group(0)))
        for match in _INVISIBLE.finditer(text)
    ]


def invisible_message(char: str) -> str:
    code = f"U+{ord(char):04X}"
    name = _INVISIBLE_NAMES.get(char, "caractère de contrôle")
    return f"caractère invisible {code} ({name}) : supprimez-le (il peut tromper le lecteur ou casser le flux)"


def invisible_in_values(data: Any, lines: dict[tuple[str | int, ...], int], text: str) -> list[Finding]:
    """Invisible characters that YAML escapes (« \\0 », « \\u202e ») put in parsed strings without showing
    them in the file; those written as they are in `text` are found by `invisible_characters`."""
    if "\\" not in text:
        return []  # no escape sequence, so every character of a value is written as it is in `text`
    return [
        (lines.get(path, 1), f"« {'.'.join(map(str, path))} » : {invisible_message(match.group(0))}")
        for path, value in _strings(data, ())
        for match in _INVISIBLE.finditer(value)
        if match.group(0) not in text
    ]


def _strings(data: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(key, path)
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*path, index))


def body_markup(body: str, first_line: int) -> list[Finding]:
    """What the sanitiser would remove from the rendered body, at its line."""
    if "<" not in body and "](" not in body and "]:" not in body and "{" not in body and "8<" not in body:
        return []
    prose = _without_code(body)
    found: list[Finding] = []

    def line_of(position: int) -> int:
        return first_line + prose.count("\n", 0, position)

    for match in _SNIPPET.finditer(prose):
        found.append((line_of(match.start()), "inclusion de fichier « --8<-- » interdite dans une fiche"))
    for match in _AUTOLINK.finditer(prose):
        target = match.group(1)
        reason = None if "@" in target and ":" not in target else sanitize.url_problem("href", target)
        if reason:
            found.append((line_of(match.start()), f"lien : {reason}"))
    references = {m.group(1).strip().lower(): m for m in _REFERENCE.finditer(prose)}
    for match in references.values():
        reason = sanitize.url_problem("href", match.group(2).strip("<>"))
        if reason:
            found.append((line_of(match.start()), f"lien : {reason}"))
    for match in _INLINE_LINK.finditer(prose):
        attribute = "src" if match.group(1) else "href"
        reason = sanitize.url_problem(attribute, match.group(2).strip("<>"))
        if reason:
            found.append((line_of(match.start()), f"{'image' if match.group(1) else 'lien'} : {reason}"))
    for match in _IMAGE_REFERENCE.finditer(prose):
        definition = references.get((match.group(2) or match.group(1)).strip().lower())
        reason = definition and sanitize.url_problem("src", definition.group(2).strip("<>"))
        if reason:
            found.append((line_of(match.start()), f"image : {reason}"))
    for match in _ATTR_LIST.finditer(prose):
        for token in _ATTR_TOKEN.finditer(match.group(1)):
            reason = _attr_list_problem(token)
            if reason:
                found.append((line_of(match.start()), reason))
    scanner = _TagScanner()
    text, line, counted = _AUTOLINK.sub(lambda m: " " * len(m.group(0)), prose), first_line, 0
    for match in _START_TAG.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        scanner.scan(match.group(0), line)
    return [*found, *scanner.found]


def _attr_list_problem(token: re.Match[str]) -> str | None:
    if token.group(1) == "#":
        return sanitize.id_problem(token.group(2))
    if token.group(1) == ".":
        if any(sanitize.allowed_class(tag, token.group(2)) for tag in sanitize.CLASSES):
            return None
        return f"classe « {token.group(2)} » non permise : elle serait retirée à la publication"
    name, value = token.group(3).lower(), token.group(4).strip("\"'")
    return _attribute_problem("*", name, value)


def _attribute_problem(tag: str, name: str, value: str | None) -> str | None:
    if name.startswith("on"):
        return f"attribut HTML d'événement « {name} » interdit : il exécuterait du code dans le navigateur du lecteur"
    if name == "style":
        return "attribut « style » non permis : la mise en forme vient du site (il serait retiré à la publication)"
    if name in _CONSUMED_ATTRIBUTES:
        return None
    if name in sanitize.URL_ATTRIBUTES and value is not None:
        return sanitize.url_problem(name, value)
    if name == "id" and value is not None:
        return sanitize.id_problem(value)
    if name == "class":
        refused = [c for c in (value or "").split() if not sanitize.allowed_class(tag, c)]
        return f"classe « {' '.join(refused)} » non permise sur <{tag}> : elle serait retirée" if refused else None
    if tag == "*" or sanitize.allowed_attribute(tag, name):
        return None
    return f"attribut « {name} » non permis sur <{tag}> : il serait retiré à la publication"


class _TagScanner(HTMLParser):
    """Start tags as a browser's tokenizer sees them, over several lines if need be. Each candidate tag
    is parsed on its own: Python's parser is quadratic on a text full of unclosed « < »."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.first_line = 1
        self.found: list[Finding] = []

    def scan(self, tag: str, line: int) -> None:
        self.reset()
        self.first_line = line
        self.feed(tag)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.first_line + self.getpos()[0] - 1
        raw = self.get_starttag_text() or ""
        if tag not in sanitize.TAGS:
            kind = "interdite : elle pourrait exécuter du code" if tag in _ACTIVE_TAGS else "non permise"
            self.found.append((line, f"balise HTML <{tag}> {kind} dans une fiche (retirée à la publication)"))
            return
        lowered = raw.lower()
        for name, value in attrs:
            reason = _attribute_problem(tag, name, value)
            if reason:
                position = lowered.find(name, len(tag) + 1)
                self.found.append((line + raw.count("\n", 0, max(position, 0)), reason))

    handle_startendtag = handle_starttag


def _without_code(body: str) -> str:
    """The body with fenced code blocks and code spans blanked out (their text is shown, not read as
    HTML), keeping every line where it was."""
    return _CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), without_fences(body))


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
