"""The practice format's fields as readers see them: titles, descriptions and allowed values from the schema.

The open-data page is generated from this, so documenting a field means editing the schema only.
"""

from __future__ import annotations

from typing import Any

from recueil.format.vocabulary import practice_schema, value_node

UNPUBLISHED_FIELDS = frozenset({"brouillon"})  # always false in an export: drafts are left out


def exported_fields() -> tuple[str, ...]:
    """The schema's properties, in the schema's order, as exported."""
    return tuple(name for name in practice_schema()["properties"] if name not in UNPUBLISHED_FIELDS)


def documented_fields() -> list[dict[str, Any]]:
    """Each exported field with its schema title, description, type and allowed values, for the data page."""
    schema = practice_schema()
    required = set(schema.get("required", ()))
    result = []
    for name in exported_fields():
        prop = schema["properties"][name]
        node = value_node(name)
        subfields = [
            {
                "nom": sub,
                "titre": spec.get("title", sub),
                "description": spec.get("description", ""),
                "obligatoire": sub in node.get("required", ()),
            }
            for sub, spec in node.get("properties", {}).items()
        ]
        result.append(
            {
                "nom": name,
                "titre": prop.get("title", name),
                "description": prop.get("description", ""),
                "obligatoire": name in required,
                "liste": prop.get("type") == "array",
                "valeurs": tuple(node.get("enum", ())),
                "sous_champs": subfields,
            }
        )
    return result
