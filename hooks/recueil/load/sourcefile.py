"""Read one source file safely and split a practice into front matter and body.

Reading never modifies a file and never follows a link out of the collection; every failure
becomes a located problem instead of an exception.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from frontmatter.default_handlers import YAMLHandler

from recueil.load import yamlparse
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


def read_text(file: Path, shown: str) -> tuple[str | None, Problem | None]:
    """The file's text with newlines normalised, or the problem that prevents reading it.

    The file is opened without following a symbolic link (O_NOFOLLOW): a link could point
    anywhere outside the repository. Folders are walked without following links either.
    """

    def problem(message: str) -> tuple[None, Problem]:
        return None, Problem(path=shown, line=1, message=message)

    try:
        descriptor = os.open(file, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP or file.is_symlink():
            return problem("lien symbolique refusé : une fiche doit être un fichier du dépôt")
        return problem(f"lecture impossible : {exc.strerror}")
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode):
            return problem("ce n'est pas un fichier ordinaire")
        if status.st_size > MAX_BYTES:
            return problem(f"fichier trop volumineux ({status.st_size // 1024} Ko ; au plus {MAX_BYTES // 1000} Ko)")
        raw = handle.read(MAX_BYTES + 1)
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


def split_practice(text: str, shown: str, slug: str) -> tuple[RawPractice | None, list[Problem]]:
    """Split front matter from body and parse the YAML, locating every problem."""
    if not text.strip():
        return None, [Problem(path=shown, line=1, message="fichier vide")]
    if not _HANDLER.detect(text):
        return None, [
            Problem(
                path=shown,
                line=1,
                message="en-tête YAML absent : la fiche doit commencer par une ligne « --- »",
            )
        ]
    try:
        front, body = _HANDLER.split(text)
    except ValueError:
        return None, [
            Problem(
                path=shown,
                line=1,
                message="en-tête YAML non fermé : ajoutez une ligne « --- » après les clés",
            )
        ]
    # The boundary pattern may swallow blank lines: locate both parts by position.
    opening = _HANDLER.FM_BOUNDARY.match(text)
    front_start = opening.end() if opening else 0
    try:
        parsed = yamlparse.parse(front, first_line=text.count("\n", 0, front_start) + 1)
    except yamlparse.YamlProblem as exc:
        return None, [Problem(path=shown, line=exc.line, message=exc.message)]
    if not isinstance(parsed.data, dict):
        return None, [
            Problem(
                path=shown,
                line=2,
                message="l'en-tête doit être une liste de clés « clé: valeur »",
            )
        ]
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
