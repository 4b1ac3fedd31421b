"""Open data: every published practice's metadata as JSON and CSV, shaped by the JSON Schema.

Reusers get the front matter exactly as contributors wrote it (schema keys, ISO dates) plus the
page URL; `decode_csv_row` is the documented inverse of the CSV encoding, so both files round-trip.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from recueil.format.schema_doc import exported_fields
from recueil.format.vocabulary import practice_schema
from recueil.model import Practice
from recueil.urls import Urls, practice_uri

LICENCE = "Licence Ouverte / Etalab 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
LIST_SEPARATOR = "|"
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection). The
# apostrophe itself is escaped too, so that stripping one leading apostrophe restores any value.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "'")
ID_COLUMNS = ("identifiant", "url")


def metadata(practice: Practice) -> dict[str, Any]:
    """The practice's front matter as the schema describes it: absent optional fields are left out."""
    result: dict[str, Any] = {}
    for name in exported_fields():
        value = getattr(practice, name)
        if value is None or value == ():
            continue
        if name in ("publie_le", "revise_le"):
            value = value.isoformat()
        elif name in ("exemples", "sources"):
            value = [{k: v for k, v in asdict(item).items() if v is not None} for item in value]
        elif isinstance(value, tuple):
            value = list(value)
        result[name] = value
    return result


def records(practices: Iterable[Practice], urls: Urls) -> list[dict[str, Any]]:
    """Page URLs are absolute when the site URL is known, else relative to the site root."""
    return [{"identifiant": p.slug, "url": urls.public(practice_uri(p.slug)), "fiche": metadata(p)} for p in practices]


def to_json(practices: Iterable[Practice], urls: Urls) -> str:
    document = {
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "schema": "pratique.schema.json",
        "pratiques": records(practices, urls),
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def _is_object_list(field: str) -> bool:
    prop = practice_schema()["properties"][field]
    return bool(prop.get("type") == "array" and prop["items"].get("type") == "object")


def _is_list(field: str) -> bool:
    return bool(practice_schema()["properties"][field].get("type") == "array")


def csv_cell(value: str) -> str:
    """Neutralise spreadsheet formulas: a leading apostrophe before a risky first character."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _encode(field: str, value: Any) -> str:
    if value is None:
        return ""
    if _is_object_list(field):
        # Sources and examples are records: one JSON array per cell keeps every key, even with `|` inside.
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if _is_list(field):
        return LIST_SEPARATOR.join(value)
    return str(value)


def to_csv(practices: Iterable[Practice], urls: Urls) -> str:
    fields = exported_fields()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow((*ID_COLUMNS, *fields))
    for record in records(practices, urls):
        row = [record["identifiant"], record["url"]]
        row += [_encode(name, record["fiche"].get(name)) for name in fields]
        writer.writerow(csv_cell(cell) for cell in row)
    return buffer.getvalue()


def decode_csv_row(row: dict[str, str]) -> dict[str, Any]:
    """The inverse of `to_csv` for one row read by `csv.DictReader`: the exported record."""
    cells = {name: value[1:] if value.startswith("'") else value for name, value in row.items()}
    fiche: dict[str, Any] = {}
    for name in exported_fields():
        text = cells.get(name, "")
        if text == "":
            continue
        if _is_object_list(name):
            fiche[name] = json.loads(text)
        elif _is_list(name):
            fiche[name] = text.split(LIST_SEPARATOR)
        else:
            fiche[name] = text
    return {"identifiant": cells["identifiant"], "url": cells["url"], "fiche": fiche}


SCHEMA_PATH = "donnees/pratique.schema.json"


def schema_text() -> str:
    return json.dumps(practice_schema(), ensure_ascii=False, indent=2) + "\n"
