"""Validate parsed YAML against a JSON Schema and word each error in French, with its line."""

from __future__ import annotations

import copy
import difflib
from collections.abc import Iterable, Mapping
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from recueil.load.yamlparse import Path

_TYPE_NAMES = {
    "string": "un texte",
    "array": "une liste",
    "object": "un ensemble de clés",
    "integer": "un nombre entier",
    "number": "un nombre",
    "boolean": "true ou false",
}


class Validator:
    """Two validators of one schema: a compiled one answers « valid? » fast (the common case),
    jsonschema explains what is wrong, with the path of each error."""

    def __init__(self, schema: Mapping[str, Any]) -> None:
        # fastjsonschema rewrites the `$ref`s of the schema it compiles: give it a copy of its own.
        self.is_valid = fastjsonschema.compile(copy.deepcopy(dict(schema)))
        self.detailed = Draft202012Validator(schema, format_checker=FormatChecker())
        resource = DRAFT202012.create_resource(dict(schema))
        self._resolver = Registry().with_resource("", resource).crawl().resolver()

    def allowed_values(self, node: Mapping[str, Any]) -> tuple[str, ...]:
        """The ids a property accepts, as a value or as list items, following `$ref`; () if any text goes."""
        node = node.get("items", node)
        resolver = self._resolver
        while "$ref" in node:
            resolved = resolver.lookup(node["$ref"])
            node, resolver = resolved.contents, resolved.resolver
        return tuple(map(str, node.get("enum", ())))


def make_validator(schema: Mapping[str, Any]) -> Validator:
    return Validator(schema)


def suggestion(value: object, allowed: Iterable[str]) -> str:
    """A « vouliez-vous dire » hint for a mistyped id, or ''."""
    if not isinstance(value, str):
        return ""
    close = difflib.get_close_matches(value.lower(), list(allowed), n=1, cutoff=0.6)
    return f" (vouliez-vous dire « {close[0]} » ?)" if close else ""


def line_of(lines: Mapping[Path, int], path: Path, default: int) -> int:
    """Line of the deepest known prefix of `path`."""
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return default


def describe(path: Path) -> str:
    """('sources', 2, 'url') → « sources n° 3 › url »."""
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            parts[-1:] = [f"{parts[-1] if parts else 'élément'} n° {part + 1}"]
        else:
            parts.append(part)
    return "« " + " › ".join(parts) + " »" if parts else "l'en-tête"


def _received(value: object) -> str:
    if value is None:
        return "vide"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "une liste"
    if isinstance(value, dict):
        return "un ensemble de clés"
    return f"« {value} »"


def _pattern_message(path: Path, value: object) -> str:
    named = [part for part in path if isinstance(part, str)]
    key = named[-1] if named else ""
    if key == "liens" or key == "pratiques" or key == "id":
        return (
            f"identifiant « {value} » invalide : minuscules sans accents, chiffres et tirets "
            "(par exemple « former-les-agents-d-accueil »)"
        )
    if key in ("url", "source"):
        return f"adresse « {value} » invalide : elle doit commencer par https:// et ne contenir aucun espace"
    if key in ("publie_le", "revise_le"):
        return f"date « {value} » invalide : format AAAA-MM-JJ attendu"
    if key == "date":
        return f"date « {value} » invalide : AAAA, AAAA-MM ou AAAA-MM-JJ attendu, entre guillemets"
    if key == "departement":
        return f"code de département « {value} » invalide : code INSEE entre guillemets (« 29 », « 2A », « 971 »)"
    if key == "mots_cles":
        return f"mot-clé « {value} » invalide : minuscules, chiffres, espaces, tirets et apostrophes seulement"
    return f"{describe(path)} : valeur « {value} » mal formée"


def _allowed(values: Iterable[str]) -> str:
    listed = ", ".join(values)
    return f" ; valeurs permises : {listed}" if listed else ""


def french_messages(error: ValidationError, validator: Validator) -> list[tuple[Path, str]]:
    """(path, message in French) for one jsonschema error; a rule without a wording keeps jsonschema's."""
    path: Path = tuple(error.absolute_path)
    where = describe(path)
    # jsonschema types these as possibly unset; on an error raised by a validator they are set.
    kind = error.validator
    expected: Any = error.validator_value
    value: Any = error.instance
    schema: Any = error.schema
    if kind == "required":
        missing = [key for key in expected if key not in value]
        properties = schema.get("properties", {})
        return [
            (
                path,
                f"clé obligatoire « {key} » absente{' dans ' + where if path else ''}"
                + _allowed(validator.allowed_values(properties.get(key, {}))),
            )
            for key in missing
        ]
    if kind == "additionalProperties":
        known = list(schema.get("properties", {}))
        extras = [key for key in value if key not in known]
        return [
            ((*path, key), (f"clé inconnue « {key} »{suggestion(key, known)} ; clés permises : {', '.join(known)}"))
            for key in extras
        ]
    if kind == "enum":
        return [
            (
                path,
                (
                    f"valeur {_received(value)} inconnue pour {where}{suggestion(value, expected)}"
                    + _allowed(map(str, expected))
                ),
            )
        ]
    if kind == "type":
        return [(path, f"{where} doit être {_TYPE_NAMES.get(expected, expected)} (reçu : {_received(value)})")]
    if kind == "minLength":
        return [(path, f"{where} est trop court ({len(value)} caractères ; au moins {expected})")]
    if kind == "maxLength":
        return [(path, f"{where} est trop long ({len(value)} caractères ; au plus {expected})")]
    if kind == "minItems":
        return [(path, f"{where} doit compter au moins {expected} élément{'s' if expected > 1 else ''}")]
    if kind == "maxItems":
        return [(path, f"{where} compte {len(value)} éléments ; au plus {expected}")]
    if kind == "uniqueItems":
        return [(path, f"{where} contient des doublons")]
    if kind == "pattern":
        return [(path, _pattern_message(path, value))]
    if kind == "format":
        return [(path, f"date « {value} » inexistante")]
    if kind == "minimum":
        return [(path, f"{where} doit être au moins {expected}")]
    if kind == "maximum":
        return [(path, f"{where} doit être au plus {expected}")]
    return [(path, f"{where} : {error.message}")]


def schema_errors(
    validator: Validator, data: Any, lines: Mapping[Path, int], default_line: int
) -> list[tuple[int, str]]:
    """(line, message) for each schema violation, in file order."""
    try:
        validator.is_valid(data)
        return []
    except fastjsonschema.JsonSchemaException as fast_error:
        found = {
            (line_of(lines, path, default_line), message)
            for error in validator.detailed.iter_errors(data)
            for path, message in french_messages(error, validator)
        }
        # Both validators implement the same schema; should they ever disagree, still refuse.
        return sorted(found) or [(default_line, f"en-tête non conforme au schéma : {fast_error}")]
