"""The JSON Schema of the format and the vocabularies' French labels, loaded once.

The schemas hold the allowed ids; `data/vocabulaires.yml` holds their labels and descriptions.
Loading fails loudly if the two ever disagree, so a vocabulary lives in one place in practice.
The recommendations' schema refers to the practice schema's vocabularies (`pratique.schema.json#…`)
instead of repeating them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

RECOMMENDATION_VOCABULARY_FIELDS = ("echeance",)  # declared by the recommendations' schema
PRACTICE_SCHEMA_FILE = "pratique.schema.json"


@dataclass(frozen=True, kw_only=True)
class Term:
    id: str
    libelle: str
    description: str
    axe: str | None = None  # themes only: how the study frames the authority's role


@dataclass(frozen=True, kw_only=True)
class Vocabulary:
    field: str
    libelle: str
    terms: tuple[Term, ...]

    def term(self, term_id: str) -> Term:
        for term in self.terms:
            if term.id == term_id:
                return term
        raise KeyError(f"{self.field}: unknown id {term_id!r}")

    def label(self, term_id: str) -> str:
        return self.term(term_id).libelle

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(term.id for term in self.terms)


def _read(name: str) -> str:
    return resources.files("recueil").joinpath(name).read_text(encoding="utf-8")


@cache
def practice_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(_read("schema/pratique.schema.json"))
    return schema


@cache
def recommendations_schema() -> dict[str, Any]:
    """The recommendations' schema with the practice schema embedded under its own `$id`, so that its
    `pratique.schema.json#/$defs/…` references resolve offline in any JSON Schema 2020-12 validator
    (a compound schema document), exactly as an editor resolves them beside the file."""
    schema: dict[str, Any] = json.loads(_read("schema/recommandations.schema.json"))
    embedded = {**practice_schema(), "$id": PRACTICE_SCHEMA_FILE}
    return {**schema, "$defs": {**schema.get("$defs", {}), PRACTICE_SCHEMA_FILE: embedded}}


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """`node` with its local `$ref` (« #/$defs/name ») merged in."""
    if "$ref" not in node:
        return node
    definition: dict[str, Any] = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return {**definition, **{key: value for key, value in node.items() if key != "$ref"}}


def value_node(field: str) -> dict[str, Any]:
    """The schema of one value of a top-level field (the items of a list field), references resolved."""
    schema = practice_schema()
    prop = schema["properties"][field]
    return resolve(schema, prop.get("items", prop) if prop.get("type") == "array" else prop)


def schema_enum(field: str) -> tuple[str, ...]:
    """The allowed ids of a vocabulary field, as the schema that declares it lists them."""
    if field in RECOMMENDATION_VOCABULARY_FIELDS:
        return tuple(resolve(practice_schema(), recommendations_schema()["items"]["properties"][field])["enum"])
    return tuple(value_node(field)["enum"])


# The fields whose values come from a vocabulary, and those that take one value only: read from the schema.
VOCABULARY_FIELDS = tuple(name for name in practice_schema()["properties"] if "enum" in value_node(name))
SINGLE_CHOICE_FIELDS = tuple(
    name for name in VOCABULARY_FIELDS if practice_schema()["properties"][name].get("type") != "array"
)


@cache
def vocabularies() -> dict[str, Vocabulary]:
    raw = yaml.safe_load(_read("data/vocabulaires.yml"))
    result: dict[str, Vocabulary] = {}
    for name in (*VOCABULARY_FIELDS, *RECOMMENDATION_VOCABULARY_FIELDS):
        entry = raw[name]
        vocab = Vocabulary(
            field=name,
            libelle=entry["libelle"],
            terms=tuple(Term(**term) for term in entry["valeurs"]),
        )
        if vocab.ids != schema_enum(name):
            raise RuntimeError(
                f"vocabulaires.yml and the schemas disagree on {name!r}: {vocab.ids} != {schema_enum(name)}"
            )
        result[name] = vocab
    return result


def label(field: str, term_id: str) -> str:
    """French label of a vocabulary id, e.g. label('moments', 'faire-face') == 'Faire face'."""
    return vocabularies()[field].label(term_id)
