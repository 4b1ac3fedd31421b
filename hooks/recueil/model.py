"""The typed, frozen model of the collection: practices, recommendations and problems.

Everything downstream (indexes, pages, exports) reads these objects, never the raw YAML.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["erreur", "avertissement"]
STALE_AFTER = dt.timedelta(days=3 * 365)  # a sheet not reviewed for longer gets a build warning


@dataclass(frozen=True, kw_only=True)
class Problem:
    """One problem found in a source file, located by path and 1-based line."""

    path: str
    line: int
    message: str
    severity: Severity = "erreur"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity} : {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "erreur"


@dataclass(frozen=True, kw_only=True)
class Source:
    titre: str
    editeur: str
    url: str | None = None
    date: str | None = None


@dataclass(frozen=True, kw_only=True)
class Example:
    collectivite: str
    source: str
    type: str | None = None
    departement: str | None = None
    annee: int | None = None


@dataclass(frozen=True, kw_only=True)
class Practice:
    """A validated practice sheet: its front matter fields and its Markdown body."""

    slug: str
    path: str = field(metadata={"doc": "source path, relative to the project root"})
    titre: str
    resume: str
    themes: tuple[str, ...]
    moments: tuple[str, ...]
    nature: str
    roles: tuple[str, ...]
    effort: str
    collectivites: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    partenaires: tuple[str, ...] = ()
    exemples: tuple[Example, ...] = ()
    sources: tuple[Source, ...] = ()
    liens: tuple[str, ...] = ()
    mots_cles: tuple[str, ...] = ()
    publie_le: dt.date
    revise_le: dt.date | None = None
    brouillon: bool = False
    body: str = ""

    @property
    def last_change(self) -> dt.date:
        return self.revise_le or self.publie_le


@dataclass(frozen=True, kw_only=True)
class Recommendation:
    """A recommendation and the commitment it asks for: who carries it, by when, how to know it is done."""

    id: str
    theme: str
    titre: str
    texte: str
    porteurs: tuple[str, ...]  # ids of the « roles » vocabulary
    echeance: str  # id of the « echeance » vocabulary
    indicateurs: tuple[str, ...]
    pratiques: tuple[str, ...]


ChartKind = Literal["barres", "avant-apres", "reperes"]  # reperes: key figures, listed, not drawn


@dataclass(frozen=True, kw_only=True)
class Figure:
    """One public figure of the « état des lieux », with the source a reader can check."""

    libelle: str
    valeur: float
    unite: str  # "%" or what is counted, e.g. "signalements"
    annee: int  # the year measured, not the year of publication
    source: Source


@dataclass(frozen=True, kw_only=True)
class Chart:
    """A group of comparable figures drawn as one chart."""

    id: str
    titre: str
    description: str
    type: ChartKind
    chiffres: tuple[Figure, ...]


@dataclass(frozen=True, kw_only=True)
class Collection:
    """Every practice read (drafts included), the recommendations, the figures, and every problem found."""

    practices: tuple[Practice, ...]
    recommendations: tuple[Recommendation, ...]
    problems: tuple[Problem, ...]
    charts: tuple[Chart, ...] = ()

    @property
    def published(self) -> tuple[Practice, ...]:
        return tuple(p for p in self.practices if not p.brouillon)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.is_error)
