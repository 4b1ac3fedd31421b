"""Write a new practice file from a few answers: valid front matter, headed placeholders.

Used by `recueil new` (and `recueil from-issue`): the slug comes from the French title, an
existing file is never overwritten, and what the contributor still has to write is marked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from recueil.format import body
from recueil.format.placeholder import placeholder
from recueil.format.schema_check import make_validator, schema_errors
from recueil.format.slugs import slugify
from recueil.format.vocabulary import practice_schema

# What to write in each section: the hint shown inside its placeholder.
SECTION_HINTS: Mapping[str, str] = {
    "Contexte": "la situation de départ : quel service, quel public, quels risques pour les agents ?",
    "Description": "en quoi consiste la pratique, en quelques phrases.",
    "Mise en œuvre": "les étapes concrètes : qui fait quoi, dans quel ordre, sur quel fondement.",
    "Points de vigilance": "les limites, les précautions juridiques, ce qui peut mal tourner.",
}


class _FrontMatterDumper(yaml.SafeDumper):
    """Lists of ids and words on one line (`themes: [a, b]`), as in the hand-written sheets."""


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    flow = all(isinstance(item, str | int) for item in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_FrontMatterDumper.add_representer(list, _represent_list)


class ScaffoldError(ValueError):
    """The answers cannot make a valid practice; the message lists every reason, in French."""


@dataclass(frozen=True, kw_only=True)
class NewPractice:
    """The answers `recueil new` asks for; every other field starts as a placeholder."""

    titre: str
    themes: tuple[str, ...]
    moments: tuple[str, ...]
    nature: str
    roles: tuple[str, ...]
    effort: str
    extra: Mapping[str, Any] = field(default_factory=dict)  # further front matter keys, already filled
    sections: Mapping[str, str] = field(default_factory=dict)  # section title → text, already filled

    @property
    def slug(self) -> str:
        return slugify(self.titre)


def front_matter(new: NewPractice, today: dt.date) -> dict[str, Any]:
    data: dict[str, Any] = {
        "titre": new.titre.strip(),
        "resume": placeholder("une ou deux phrases qui résument la pratique, affichées dans les listes."),
        "themes": list(new.themes),
        "moments": list(new.moments),
        "nature": new.nature,
        "roles": list(new.roles),
        "effort": new.effort,
        "sources": [
            {
                "titre": placeholder("titre d'une source publique vérifiable"),
                "editeur": placeholder("qui la publie (Légifrance, INRS, CNFPT…)"),
            }
        ],
    }
    data.update(new.extra)
    data["publie_le"] = data.get("publie_le") or today.isoformat()
    order = list(practice_schema()["properties"])
    return dict(sorted(data.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)))


def validate(new: NewPractice, today: dt.date) -> None:
    """Raise ScaffoldError with every problem of the answers (against the JSON Schema)."""
    problems = [
        message
        for _, message in schema_errors(make_validator(practice_schema()), front_matter(new, today), {}, default_line=1)
    ]
    if not new.slug:
        problems.append("le titre doit contenir au moins un mot (lettres ou chiffres)")
    if problems:
        raise ScaffoldError("\n".join(problems))


def practice_text(new: NewPractice, today: dt.date) -> str:
    """The whole file: YAML front matter (quoted by PyYAML, never by hand), then the sections."""
    validate(new, today)
    dumped = yaml.dump(
        front_matter(new, today),
        Dumper=_FrontMatterDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100_000,
    )
    parts = [f"---\n{dumped}---\n"]
    for title in _section_titles(new.sections):
        text = new.sections.get(title, "").strip() or placeholder(SECTION_HINTS.get(title, "le contenu."))
        parts.append(f"## {title}\n\n{text}\n")
    return "\n".join(parts)


def _section_titles(filled: Mapping[str, str]) -> Sequence[str]:
    """Required sections always; optional ones only when they have text."""
    return [title for title, required in body.SECTIONS if required or filled.get(title, "").strip()]


def write_practice(directory: Path, new: NewPractice, today: dt.date | None = None) -> Path:
    """Create `directory/<slug>.md`; FileExistsError if it exists (mode "x": no race either)."""
    text = practice_text(new, today or dt.date.today())
    path = directory / f"{new.slug}.md"
    with open(path, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return path
