"""The explorer's filter data: facets with their French labels, and each practice's values as integers.

One compact JSON file, column by column: a vocabulary value is a bit in a mask, a keyword an index into
a shared table, a date a day number. Titles and summaries are not repeated: the page's cards hold them.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from recueil.format.vocabulary import VOCABULARY_FIELDS, practice_schema, vocabularies
from recueil.index import Index
from recueil.model import Practice

FILTER_PATH = "pratiques/filtre.json"
KEYWORD_FIELD = "mots_cles"
MATCHES_EVERY_VALUE_WHEN_EMPTY = frozenset({"collectivites"})  # « absent : toutes » in the schema
EPOCH = dt.date(1970, 1, 1)


def _values(practice: Practice, field: str) -> tuple[str, ...]:
    value = getattr(practice, field)
    return value if isinstance(value, tuple) else (value,)


def mask(practice: Practice, field: str) -> int:
    """The practice's values of a vocabulary field as bits, in the vocabulary's order."""
    ids = vocabularies()[field].ids
    return sum(1 << ids.index(value) for value in _values(practice, field))


def facets(index: Index) -> list[dict[str, Any]]:
    """The facets in display order: field, French label, [id, label] values. The explorer page writes them
    as form controls (their place is kept from the first paint) and filtre.json repeats them for the script."""
    vocab = vocabularies()
    facets: list[dict[str, Any]] = [
        {
            "champ": field,
            "libelle": vocab[field].libelle,
            "valeurs": [[term.id, term.libelle] for term in vocab[field].terms],
            **({"vide_egale_tous": True} if field in MATCHES_EVERY_VALUE_WHEN_EMPTY else {}),
        }
        for field in VOCABULARY_FIELDS
    ]
    facets.append(
        {
            "champ": KEYWORD_FIELD,
            "libelle": practice_schema()["properties"][KEYWORD_FIELD]["title"],
            "valeurs": [[keyword.slug, keyword.label] for keyword in index.keywords],
        }
    )
    return facets


def filter_data(index: Index) -> dict[str, Any]:
    keyword_position = {keyword.slug: n for n, keyword in enumerate(index.keywords)}
    practices = index.practices  # the page's cards are in this order
    return {
        "nombre": len(practices),
        "facettes": facets(index),
        "masques": {field: [mask(p, field) for p in practices] for field in VOCABULARY_FIELDS},
        KEYWORD_FIELD: [
            sorted(
                {
                    keyword_position[index.keyword_slugs[label]]
                    for label in p.mots_cles
                    if index.keyword_slugs.get(label) in keyword_position
                }
            )
            for p in practices
        ],
        "jours": [(p.last_change - EPOCH).days for p in practices],
    }


def filter_json(index: Index) -> str:
    return json.dumps(filter_data(index), ensure_ascii=False, separators=(",", ":"))
