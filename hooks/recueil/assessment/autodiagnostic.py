"""The self-assessment: which practices apply to a profile, the share in place per theme × moment,
and the action plan. The page's script (docs/assets/autodiagnostic.js) does the same computation from
the data written here; tests feed the same answers to both.

The answer file's format is `schema/autodiagnostic.schema.json`, published as
/donnees/autodiagnostic.schema.json; its size bands and answer labels live there only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from recueil.format.vocabulary import vocabularies
from recueil.index import Index
from recueil.model import Practice
from recueil.site.pages import render_page
from recueil.urls import Urls, practice_uri

PAGE_PATH = "autodiagnostic/index.md"  # a folder of its own: donnees.json sits beside the page
DATA_PATH = "autodiagnostic/donnees.json"
SCHEMA_PATH = "donnees/autodiagnostic.schema.json"
FORMAT_VERSION = 1
IN_PLACE, IN_PROGRESS, NOT_YET, NOT_CONCERNED = "en-place", "en-cours", "pas-encore", "non-concerne"
UNANSWERED, NOT_APPLICABLE = "sans-reponse", "non-applicable"
PLAN_ANSWERS = (IN_PROGRESS, NOT_YET)  # the practices « pas en place » that the authority answered
OBLIGATION = "obligation-legale"


@dataclass(frozen=True, kw_only=True)
class Choice:
    id: str
    libelle: str


@cache
def answer_schema() -> dict[str, Any]:
    text = resources.files("recueil").joinpath("schema/autodiagnostic.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    profile = schema["properties"]["profil"]["properties"]
    vocab = vocabularies()
    # The profile reuses two vocabularies of the practice format: refuse to start if they drift apart.
    for name, node in (("collectivites", profile["type"]), ("services", profile["services"]["items"])):
        if tuple(node["enum"]) != vocab[name].ids:
            raise RuntimeError(f"autodiagnostic.schema.json and vocabulaires.yml disagree on {name!r}")
    return schema


def schema_text() -> str:
    return json.dumps(answer_schema(), ensure_ascii=False, indent=2) + "\n"


def _choices(node: Mapping[str, Any]) -> tuple[Choice, ...]:
    return tuple(Choice(id=option["const"], libelle=option["title"]) for option in node["oneOf"])


def size_bands() -> tuple[Choice, ...]:
    return _choices(answer_schema()["properties"]["profil"]["properties"]["taille"])


def answer_choices() -> tuple[Choice, ...]:
    return _choices(answer_schema()["properties"]["reponses"]["additionalProperties"])


@dataclass(frozen=True, kw_only=True)
class Profile:
    type: str | None = None
    taille: str | None = None
    services: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Profile:
        return cls(type=raw.get("type"), taille=raw.get("taille"), services=tuple(raw.get("services", ())))


def applies(practice: Practice, profile: Profile) -> bool:
    """An empty list in the sheet means « all »; so does a profile question left unanswered."""
    type_fits = not (profile.type and practice.collectivites) or profile.type in practice.collectivites
    services_fit = not (profile.services and practice.services) or bool(set(profile.services) & set(practice.services))
    return type_fits and services_fit


def status(practice: Practice, profile: Profile, answers: Mapping[str, str]) -> str:
    if not applies(practice, profile):
        return NOT_APPLICABLE
    return answers.get(practice.slug, UNANSWERED)


@dataclass(frozen=True, kw_only=True)
class Cell:
    """One theme × moment: the applicable practices (« non concerné » left out) and how many are in place."""

    theme: str
    moment: str
    counts: dict[str, int] = field(default_factory=dict)  # status → practices

    @property
    def total(self) -> int:
        return sum(n for s, n in self.counts.items() if s not in (NOT_APPLICABLE, NOT_CONCERNED))

    @property
    def in_place(self) -> int:
        return self.counts.get(IN_PLACE, 0)

    @property
    def percent(self) -> int | None:
        return None if not self.total else round_half_up(100 * self.in_place / self.total)


def round_half_up(value: float) -> int:
    # Python's round() rounds half to even, JavaScript's Math.round half up: the page and the core agree on this.
    return int(value + 0.5)


def grid(practices: Sequence[Practice], profile: Profile, answers: Mapping[str, str]) -> tuple[Cell, ...]:
    vocab = vocabularies()
    cells = {(t, m): Cell(theme=t, moment=m) for t in vocab["themes"].ids for m in vocab["moments"].ids}
    for practice in practices:
        state = status(practice, profile, answers)
        for theme in practice.themes:
            for moment in practice.moments:
                counts = cells[theme, moment].counts
                counts[state] = counts.get(state, 0) + 1
    return tuple(cells.values())


def effort_order() -> tuple[str, ...]:
    return vocabularies()["effort"].ids  # from the lowest effort to the highest


def plan(practices: Sequence[Practice], profile: Profile, answers: Mapping[str, str]) -> tuple[Practice, ...]:
    """Applicable practices answered « en cours » or « pas encore »: legal obligations first, then the lowest
    effort, then the collection's order (titles in French alphabetical order)."""
    position = {p.slug: n for n, p in enumerate(practices)}
    chosen = [p for p in practices if status(p, profile, answers) in PLAN_ANSWERS]
    return tuple(
        sorted(chosen, key=lambda p: (p.nature != OBLIGATION, effort_order().index(p.effort), position[p.slug]))
    )


def results(practices: Sequence[Practice], profile: Profile, answers: Mapping[str, str]) -> dict[str, Any]:
    """Grid and plan as plain data: what the page exposes in its `data-resultats` attribute, for comparison."""
    return {
        "grille": {f"{c.theme}/{c.moment}": [c.in_place, c.total] for c in grid(practices, profile, answers)},
        "plan": [p.slug for p in plan(practices, profile, answers)],
        "non_applicables": [p.slug for p in practices if not applies(p, profile)],
    }


def page_data(index: Index, urls: Urls) -> dict[str, Any]:
    """The page script's data: every published practice, in the page's order, with what it needs."""
    vocab = vocabularies()
    return {
        "version": FORMAT_VERSION,
        "efforts": [[term.id, term.libelle] for term in vocab["effort"].terms],  # lowest first
        "obligation": [OBLIGATION, vocab["nature"].label(OBLIGATION)],
        "page_recommandations": urls.relative(PAGE_PATH, "recommandations.md"),
        "pratiques": [
            {
                "slug": p.slug,
                "titre": p.titre,  # the summary is in the page already: the script never reads it from here
                "url": urls.relative(PAGE_PATH, practice_uri(p.slug)),
                "themes": list(p.themes),
                "moments": list(p.moments),
                "nature": p.nature,
                "effort": p.effort,
                "collectivites": list(p.collectivites),
                "services": list(p.services),
                "recommandations": [[r.id, r.titre] for r in index.citing.get(p.slug, ())],
            }
            for p in index.practices
        ],
    }


def page_json(index: Index, urls: Urls) -> str:
    return json.dumps(page_data(index, urls), ensure_ascii=False, separators=(",", ":"))


def question_groups(index: Index) -> dict[str, list[Practice]]:
    """Each practice asked once, under its first theme and first moment: {"theme/moment": practices}."""
    vocab = vocabularies()
    groups: dict[str, list[Practice]] = {f"{t}/{m}": [] for t in vocab["themes"].ids for m in vocab["moments"].ids}
    for practice in index.practices:
        groups[f"{practice.themes[0]}/{practice.moments[0]}"].append(practice)
    return groups


def site_files(index: Index, urls: Urls) -> dict[str, str]:
    """The page, its data and the published answer schema, as {site path: content}."""
    page = render_page(
        index,
        urls,
        PAGE_PATH,
        "assessment/autodiagnostic.md.j2",
        "Autodiagnostic",
        "Où en est votre collectivité ? Un questionnaire par pratique, des résultats par thème et par moment "
        "et un plan d'action, calculés dans votre navigateur.",
        sizes=size_bands(),
        choices=answer_choices(),
        groups=question_groups(index),
    )
    return {PAGE_PATH: page, DATA_PATH: page_json(index, urls), SCHEMA_PATH: schema_text()}
