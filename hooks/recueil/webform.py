"""The contribution form page (/contribuer/proposer/) and the published JSON Schema it validates against.

Both are generated in memory: the form's choices, labels and help come from the schema and the
vocabularies, so the browser script holds no list of its own and cannot drift from the checker.
"""

from __future__ import annotations

import posixpath
from typing import Any

from recueil import body, export
from recueil.placeholder import MARKER
from recueil.render import page_url
from recueil.safety import PERSONAL_DATA_PATTERNS
from recueil.scaffold import SECTION_HINTS
from recueil.templating import template
from recueil.vocabulary import VOCABULARY_FIELDS, practice_schema, vocabularies

SCHEMA_URI = export.SCHEMA_PATH
FORM_URI = "contribuer/proposer.md"
SCRIPT_URI = "assets/proposer.js"
AJV_URI = "assets/vendor/ajv2020.min.js"
SOURCE_ROWS = 3
EXAMPLE_ROWS = 2
OPTIONAL_CHOICES = ("collectivites", "services", "partenaires")


def schema_json() -> str:
    """The practice schema as published on the site (for the form, editors and re-users)."""
    return export.schema_text()


def _href(from_uri: str, to_path: str, use_directory_urls: bool) -> str:
    """URL of a static file (not a page) relative to the page built from `from_uri`."""
    base = page_url(from_uri, use_directory_urls)
    base_dir = base.rstrip("/") if use_directory_urls else posixpath.dirname(base)
    return posixpath.relpath(to_path, base_dir or ".")


def form_page(*, new_file_url: str | None, practices_dir: str, use_directory_urls: bool = True) -> str:
    schema = practice_schema()
    properties: dict[str, Any] = schema["properties"]
    required = set(schema["required"])
    vocab = vocabularies()
    choices = [
        {"key": key, "title": properties[key]["title"], "help": properties[key].get("description", ""),
         "single": "enum" in properties[key], "required": key in required, "terms": vocab[key].terms}
        for key in VOCABULARY_FIELDS
    ]
    data = {
        "schema": _href(FORM_URI, SCHEMA_URI, use_directory_urls),
        "dossier": practices_dir.strip("/"),
        "nouvelleFiche": new_file_url,
        "choix": [c["key"] for c in choices],
        "uniques": [c["key"] for c in choices if c["single"]],
        "sections": [{"titre": title, "obligatoire": required_section} for title, required_section in body.SECTIONS],
        "marqueur": MARKER,
        "donneesPersonnelles": PERSONAL_DATA_PATTERNS,
    }
    return template("proposer.md.j2").render(
        properties=properties,
        required=required,
        main_choices=[c for c in choices if c["key"] not in OPTIONAL_CHOICES],
        optional_choices=[c for c in choices if c["key"] in OPTIONAL_CHOICES],
        sections=[(index, title, is_required, SECTION_HINTS.get(title, ""))
                  for index, (title, is_required) in enumerate(body.SECTIONS)],
        source_rows=range(SOURCE_ROWS),
        example_rows=range(EXAMPLE_ROWS),
        data=data,
        ajv=_href(FORM_URI, AJV_URI, use_directory_urls),
        script=_href(FORM_URI, SCRIPT_URI, use_directory_urls),
    )


def contribution_files(*, new_file_url: str | None, practices_dir: str,
                       use_directory_urls: bool = True) -> dict[str, str]:
    """{site path: content}: the form page (the schema it fetches is published with the open data)."""
    return {
        FORM_URI: form_page(new_file_url=new_file_url, practices_dir=practices_dir,
                            use_directory_urls=use_directory_urls),
    }
