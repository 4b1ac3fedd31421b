"""The body of a practice: its level-2 sections, required and in a fixed order."""

from __future__ import annotations

import re
from dataclasses import dataclass

SECTIONS: tuple[tuple[str, bool], ...] = (
    ("Contexte", True),
    ("Description", True),
    ("Mise en œuvre", True),
    ("Points de vigilance", True),
    ("Résultats", False),
    ("Pour aller plus loin", False),
)
REQUIRED = tuple(title for title, required in SECTIONS if required)
ORDER = {title: index for index, (title, _) in enumerate(SECTIONS)}

_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
_HEADINGS = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class Heading:
    level: int
    title: str
    line: int  # file line


def without_fences(body: str) -> str:
    """The body with the lines of fenced code blocks blanked, every other line where it was."""
    if "```" not in body and "~~~" not in body:
        return body
    lines = body.split("\n")
    fence: str | None = None
    for number, text in enumerate(lines):
        match = _FENCE.match(text)
        if match and (fence is None or match.group(1).startswith(fence)):
            fence = match.group(1)[0] * len(match.group(1)) if fence is None else None
            lines[number] = ""
        elif fence is not None:
            lines[number] = ""
    return "\n".join(lines)


def headings(body: str, first_line: int) -> list[Heading]:
    """ATX headings outside fenced code blocks."""
    text = without_fences(body)
    return [
        Heading(len(m.group(1)), m.group(2), first_line + text.count("\n", 0, m.start()))
        for m in _HEADINGS.finditer(text)
    ]


def _normalise(title: str) -> str:
    return " ".join(title.replace("oe", "œ").split()).casefold()


_CANONICAL = {_normalise(title): title for title, _ in SECTIONS}


def check_sections(body: str, first_line: int) -> list[tuple[int, str]]:
    """(line, message) for each structural problem of the body."""
    problems: list[tuple[int, str]] = []
    lines = body.split("\n")
    last_line = first_line + len(lines) - 1
    seen: list[Heading] = []
    for heading in headings(body, first_line):
        if heading.level == 1:
            problems.append(
                (
                    heading.line,
                    (
                        f"titre de niveau 1 « {heading.title} » interdit : le titre vient de la clé "
                        "« titre » ; utilisez « ## » pour les sections"
                    ),
                )
            )
            continue
        if heading.level != 2:
            continue
        canonical = _CANONICAL.get(_normalise(heading.title))
        if canonical is None:
            allowed = ", ".join(title for title, _ in SECTIONS)
            problems.append(
                (heading.line, (f"section inconnue « {heading.title} » ; sections permises, dans l'ordre : {allowed}"))
            )
            continue
        if canonical != heading.title:
            problems.append((heading.line, f"écrivez la section « {canonical} » exactement"))
        if any(h.title == canonical for h in seen):
            problems.append((heading.line, f"section « {canonical} » en double"))
            continue
        if seen and ORDER[canonical] < ORDER[seen[-1].title]:
            problems.append(
                (heading.line, (f"section « {canonical} » mal placée : elle doit venir avant « {seen[-1].title} »"))
            )
        seen.append(Heading(2, canonical, heading.line))
    present = {h.title for h in seen}
    for title in REQUIRED:
        if title not in present:
            problems.append((last_line if seen else first_line + 1, f"section obligatoire « ## {title} » absente"))
    for index, heading in enumerate(seen):
        end = seen[index + 1].line if index + 1 < len(seen) else last_line + 1
        content = lines[heading.line - first_line + 1 : end - first_line]
        if not any(text.strip() for text in content if not text.lstrip().startswith("#")):
            problems.append((heading.line, f"section « {heading.title} » vide"))
    return problems
