"""Read one source file safely and split a practice into front matter and body.

Reading never modifies a file and never follows a link out of the collection; every failure
becomes a located problem instead of an exception.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from frontmatter.default_handlers import YAMLHandler

from recueil import yamlparse
from recueil.model import Problem

MAX_BYTES = 1_000_000  # a practice sheet is a few KB; anything near this is not one
_HANDLER = YAMLHandler()


@dataclass(frozen=True)
class RawPractice:
    """A practice file as read: front matter data with line marks, and its body."""

    path: str
    slug: str
    data: dict[str, Any]
    lines: dict[yamlparse.Path, int]
    body: str
    body_first_line: int  # file line of the body's first line
    text: str


def read_text(file: Path, shown: str, root: Path) -> tuple[str | None, Problem | None]:
    """The file's text with newlines normalised, or the problem that prevents reading it."""

    def problem(message: str) -> tuple[None, Problem]:
        return None, Problem(path=shown, line=1, message=message)

    try:
        if file.is_symlink() or not file.resolve().is_relative_to(root.resolve()):
            return problem("lien symbolique refusé : une fiche doit être un fichier du dépôt")
        if not file.is_file():
            return problem("ce n'est pas un fichier ordinaire")
        if file.stat().st_size > MAX_BYTES:
            size = file.stat().st_size // 1024
            return problem(f"fichier trop volumineux ({size} Ko ; au plus {MAX_BYTES // 1000} Ko)")
        with open(file, "rb", opener=_no_follow) as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        return problem(f"lecture impossible : {exc.strerror}")
    if b"\x00" in raw:
        return problem("fichier binaire : une fiche est un texte UTF-8")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, Problem(
            path=shown, line=line, message="le fichier n'est pas encodé en UTF-8 (réenregistrez-le en UTF-8)"
        )
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def _no_follow(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NOFOLLOW", 0))


def split_practice(text: str, shown: str, slug: str) -> tuple[RawPractice | None, list[Problem]]:
    """Split front matter from body and parse the YAML, locating every problem."""
    if not text.strip():
        return None, [Problem(path=shown, line=1, message="fichier vide")]
    if not _HANDLER.detect(text):
        return None, [Problem(
            path=shown, line=1,
            message="en-tête YAML absent : la fiche doit commencer par une ligne « --- »",
        )]
    try:
        front, body = _HANDLER.split(text)
    except ValueError:
        return None, [Problem(
            path=shown, line=1,
            message="en-tête YAML non fermé : ajoutez une ligne « --- » après les clés",
        )]
    # The boundary pattern may swallow blank lines: locate both parts by position.
    opening = _HANDLER.FM_BOUNDARY.match(text)
    front_start = opening.end() if opening else 0
    try:
        parsed = yamlparse.parse(front, first_line=text.count("\n", 0, front_start) + 1)
    except yamlparse.YamlProblem as exc:
        return None, [Problem(path=shown, line=exc.line, message=exc.message)]
    if not isinstance(parsed.data, dict):
        return None, [Problem(
            path=shown, line=2, message="l'en-tête doit être une liste de clés « clé: valeur »",
        )]
    body_first_line = text.count("\n", 0, len(text) - len(body)) + 1
    return RawPractice(
        path=shown,
        slug=slug,
        data=parsed.data,
        lines=parsed.lines,
        body=body,
        body_first_line=body_first_line,
        text=text,
    ), []
