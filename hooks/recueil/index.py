"""Cross-practice indexes of the published collection: groups, keywords, links both ways."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from recueil.format.slugs import slugify, title_key
from recueil.model import Chart, Collection, Practice, Recommendation


@dataclass(frozen=True, kw_only=True)
class Keyword:
    slug: str
    label: str
    practices: tuple[Practice, ...]


@dataclass(frozen=True, kw_only=True)
class Letter:
    key: str
    practices: tuple[Practice, ...]


@dataclass(frozen=True, kw_only=True)
class Index:
    practices: tuple[Practice, ...]  # published, in French alphabetical order
    recommendations: tuple[Recommendation, ...]
    related: dict[str, tuple[Practice, ...]]  # `liens` in both directions
    citing: dict[str, tuple[Recommendation, ...]]  # recommendations that cite a practice
    keywords: tuple[Keyword, ...]
    keyword_slugs: dict[str, str]  # keyword label → page slug
    by_slug: dict[str, Practice] = field(default_factory=dict)
    # (field, value) → practices, for the list fields: templates ask for these groups many times
    groups: dict[tuple[str, str], tuple[Practice, ...]] = field(default_factory=dict)
    charts: tuple[Chart, ...] = ()  # the « état des lieux » figures

    def having(self, field: str, value: str) -> tuple[Practice, ...]:
        """Published practices whose list field `field` (themes, moments, roles…) holds `value`."""
        found = self.groups.get((field, value))
        return found if found is not None else tuple(p for p in self.practices if value in getattr(p, field))

    def latest(self, count: int) -> tuple[Practice, ...]:
        ordered = sorted(self.practices, key=lambda p: (p.last_change, p.slug), reverse=True)
        return tuple(ordered[:count])

    def practice(self, slug: str) -> Practice:
        return self.by_slug[slug]

    @property
    def letters(self) -> tuple[Letter, ...]:
        """Practices grouped by the first letter of their title, accents folded."""
        groups: dict[str, list[Practice]] = defaultdict(list)
        for practice in self.practices:
            initial = title_key(practice.titre)[:1].upper()
            groups[initial if initial.isalpha() else "#"].append(practice)
        return tuple(Letter(key=key, practices=tuple(groups[key])) for key in sorted(groups))


GROUPED_FIELDS = ("themes", "moments", "roles", "collectivites", "services", "partenaires")


def sort_key(practice: Practice) -> tuple[str, str]:
    return title_key(practice.titre), practice.slug


def build_index(collection: Collection) -> Index:
    published = tuple(sorted(collection.published, key=sort_key))
    by_slug = {p.slug: p for p in published}
    related: dict[str, set[str]] = defaultdict(set)
    for practice in published:
        for target in practice.liens:
            if target in by_slug:
                related[practice.slug].add(target)
                related[target].add(practice.slug)
    citing: dict[str, list[Recommendation]] = defaultdict(list)
    for recommendation in collection.recommendations:
        for slug in recommendation.pratiques:
            citing[slug].append(recommendation)
    groups: dict[tuple[str, str], list[Practice]] = defaultdict(list)
    for practice in published:
        for name in GROUPED_FIELDS:
            for value in getattr(practice, name):
                groups[(name, value)].append(practice)
    return Index(
        by_slug=by_slug,
        groups={key: tuple(members) for key, members in groups.items()},
        practices=published,
        recommendations=collection.recommendations,
        related={slug: _ordered(by_slug[s] for s in targets) for slug, targets in related.items()},
        citing={slug: tuple(recs) for slug, recs in citing.items()},
        keywords=_keywords(published),
        keyword_slugs={label: slugify(label) for p in published for label in p.mots_cles},
        charts=collection.charts,
    )


def _ordered(practices: Iterable[Practice]) -> tuple[Practice, ...]:
    return tuple(sorted(practices, key=sort_key))


def _keywords(practices: tuple[Practice, ...]) -> tuple[Keyword, ...]:
    labels: dict[str, str] = {}
    members: dict[str, dict[str, Practice]] = defaultdict(dict)  # by slug: no whole-practice comparisons
    for practice in practices:
        for label in practice.mots_cles:
            slug = slugify(label)
            if not slug:
                continue
            labels.setdefault(slug, label)
            members[slug][practice.slug] = practice
    return tuple(
        Keyword(slug=slug, label=labels[slug], practices=_ordered(members[slug].values()))
        for slug in sorted(labels, key=lambda s: title_key(labels[s]))
    )
