"""The allow-list every rendered practice body goes through before a reader sees it.

Sheets come by pull request from people we do not know. The body is Markdown, and Markdown lets
raw HTML through, so the HTML it produces is cleaned by ammonia (through `nh3`) with an explicit
list of what Markdown and the site's extensions produce: anything else is dropped. The checker
(`safety.py`) reads the same lists to tell a contributor, at the right line, what would be dropped.

- elements: text structure, lists, tables, links, images, `abbr`, footnotes, admonitions, `details`;
- `href`: `https:`, `mailto:` or relative; `src`: the site's own files only (relative URLs), so a
  page never loads anything from another host;
- no `style`, no event attribute, no `class` outside the extensions' own, no `id` the theme uses.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import nh3

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
TAGS = HEADINGS | frozenset(
    {
        "p",
        "br",
        "hr",
        "blockquote",
        "pre",
        "code",
        "kbd",
        "samp",
        "var",
        "em",
        "strong",
        "b",
        "i",
        "u",
        "s",
        "del",
        "ins",
        "mark",
        "small",
        "sub",
        "sup",
        "q",
        "cite",
        "dfn",
        "abbr",
        "span",
        "div",
        "a",
        "img",
        "figure",
        "figcaption",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "caption",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "colgroup",
        "col",
        "details",
        "summary",
        "time",
    }
)
# Elements removed with their content (the others lose their tags and keep their text).
REMOVED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "iframe", "object", "svg", "math"})
URL_ATTRIBUTES = frozenset({"href", "src"})
ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"id", "title", "lang"}),
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "ol": frozenset({"start", "reversed"}),
    "li": frozenset({"value"}),
    "th": frozenset({"colspan", "rowspan", "scope"}),
    "td": frozenset({"colspan", "rowspan"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "details": frozenset({"open"}),
    "time": frozenset({"datetime"}),
    "q": frozenset({"cite"}),
    "blockquote": frozenset({"cite"}),
}
ADMONITION_TYPES = frozenset(
    {
        "note",
        "abstract",
        "summary",
        "tldr",
        "info",
        "todo",
        "tip",
        "hint",
        "important",
        "success",
        "check",
        "done",
        "question",
        "help",
        "faq",
        "warning",
        "caution",
        "attention",
        "failure",
        "fail",
        "missing",
        "danger",
        "error",
        "bug",
        "example",
        "quote",
        "cite",
    }
)
# The classes Markdown's extensions write: admonitions, details, footnotes, permalinks, code blocks.
CLASSES: dict[str, frozenset[str]] = {
    "div": ADMONITION_TYPES | {"admonition", "footnote", "highlight"},
    "p": frozenset({"admonition-title"}),
    "details": ADMONITION_TYPES,
    "a": frozenset({"footnote-ref", "footnote-backref", "headerlink"}),
    "sup": frozenset(),
    "code": frozenset(),
    "pre": frozenset(),
}
URL_SCHEMES = frozenset({"https", "mailto"})
# Ids the theme and our scripts own (« __search », « rc-filtres »…): a sheet must not clobber them.
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_:.-]*$")
_RESERVED_ID = re.compile(r"^(__|rc-|md-)", re.IGNORECASE)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_URL_NOISE = re.compile(r"[\t\n\r]")


def normalised_url(value: str) -> str:
    """The URL as a browser reads it: tab and newline removed anywhere, leading and trailing control
    characters and spaces removed, backslashes read as slashes (for http(s) pages)."""
    return _URL_NOISE.sub("", value).strip("".join(map(chr, range(0x21)))).replace("\\", "/")


def url_scheme(value: str) -> str | None:
    """The scheme of a URL after normalisation, lowercase; None for a relative URL."""
    match = _SCHEME.match(normalised_url(value))
    return match.group(1).lower() if match else None


def url_problem(attribute: str, value: str) -> str | None:
    """Why a link (`href`) or resource (`src`) URL is refused, or None."""
    url, scheme = normalised_url(value), url_scheme(value)
    if attribute == "src":
        if scheme is not None or url.startswith("//"):
            return "image ou ressource chargée depuis un autre site : hébergez l'image dans le dépôt ou mettez un lien"
        return None
    if scheme is None or scheme in URL_SCHEMES:
        return None
    if scheme in ("javascript", "vbscript", "data"):
        return f"adresse « {scheme}: » interdite (elle exécuterait du code dans le navigateur du lecteur)"
    if scheme == "http":
        return "adresse « http: » non sécurisée : utilisez « https: »"
    return f"adresse « {scheme}: » non permise : seules les adresses https:, mailto: et relatives le sont"


def id_problem(value: str) -> str | None:
    if not _ID.match(value):
        return f"identifiant « {value} » invalide : une lettre, puis lettres, chiffres, « - », « _ », « : » ou « . »"
    if _RESERVED_ID.match(value):
        return f"identifiant « {value} » réservé au site (préfixes « __ », « md- », « rc- »)"
    return None


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute in URL_ATTRIBUTES:
        return None if url_problem(attribute, value) else value
    if attribute == "id":
        return None if id_problem(value) else value
    return value


_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(REMOVED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
    attribute_filter=_attribute_filter,
    url_schemes=set(URL_SCHEMES),
    allowed_classes={tag: set(names) for tag, names in CLASSES.items()},
    strip_comments=True,
    link_rel="noopener noreferrer",
)


def clean(html: str) -> str:
    """`html` with everything outside the allow-list removed."""
    return _CLEANER.clean(html)


def allowed_attribute(tag: str, attribute: str) -> bool:
    return (
        attribute in ATTRIBUTES["*"]
        or attribute in ATTRIBUTES.get(tag, frozenset())
        or (attribute == "class" and tag in CLASSES)
    )


def allowed_class(tag: str, name: str) -> bool:
    return name in CLASSES.get(tag, frozenset())


def clean_between(html: str, marker: str, then: Callable[[str], str] | None = None) -> str:
    """Clean what lies between two `<!--marker-->` comments; everything after the first marker when the
    closing one is missing (a contributor's unclosed code block or comment swallowed it: fail closed).
    `then`, if given, is applied to each part after it is cleaned (it only ever sees allowed HTML)."""
    opening = f"<!--{marker}-->"
    start = html.find(opening)
    if start < 0:
        return html
    inner_start = start + len(opening)
    end = html.find(opening, inner_start)
    after = then or _same
    if end < 0:
        return html[:start] + after(clean(html[inner_start:]))
    return html[:start] + after(clean(html[inner_start:end])) + clean_between(html[end + len(opening) :], marker, then)


def _same(html: str) -> str:
    return html
