"""The contribution form page (/contribuer/proposer/) and the published JSON Schema it validates against.

Both are generated in memory: the form's choices, labels and help come from the schema and the
vocabularies, so the browser script holds no list of its own and cannot drift from the checker.
"""

from __future__ import annotations

from typing import Any

from recueil.contribute.scaffold import SECTION_HINTS
from recueil.format import body
from recueil.format.placeholder import MARKER
from recueil.format.safety import PERSONAL_DATA_PATTERNS
from recueil.format.vocabulary import VOCABULARY_FIELDS, practice_schema, vocabularies
from recueil.settings import Settings
from recueil.site import export
from recueil.templating import template

SCHEMA_URI = export.SCHEMA_PATH
FORM_URI = "contribuer/proposer.md"
SCRIPT_URI = "assets/proposer.js"
AJV_URI = "assets/vendor/ajv2020.min.js"
SOURCE_ROWS = 3
EXAMPLE_ROWS = 2
OPTIONAL_CHOICES = ("collectivites", "services", "partenaires")


def form_page(settings: Settings) -> str:
    schema = practice_schema()
    properties: dict[str, Any] = schema["properties"]
    required = set(schema["required"])
    vocab = vocabularies()
    choices = [
        {
            "key": key,
            "title": properties[key]["title"],
            "help": properties[key].get("description", ""),
            "single": "enum" in properties[key],
            "required": key in required,
            "terms": vocab[key].terms,
        }
        for key in VOCABULARY_FIELDS
    ]
    data = {
        "schema": settings.urls.file(FORM_URI, SCHEMA_URI),
        # The form names the file as the repository knows it.
        "dossier": settings.repository_path(settings.practices_dir).strip("/"),
        "nouvelleFiche": settings.new_file_url,
        "choix": [c["key"] for c in choices],
        "uniques": [c["key"] for c in choices if c["single"]],
        "sections": [{"titre": title, "obligatoire": required_section} for title, required_section in body.SECTIONS],
        "marqueur": MARKER,
        "donneesPersonnelles": PERSONAL_DATA_PATTERNS,
    }
    return template("site/proposer.md.j2").render(
        properties=properties,
        required=required,
        main_choices=[c for c in choices if c["key"] not in OPTIONAL_CHOICES],
        optional_choices=[c for c in choices if c["key"] in OPTIONAL_CHOICES],
        sections=[
            (index, title, is_required, SECTION_HINTS.get(title, ""))
            for index, (title, is_required) in enumerate(body.SECTIONS)
        ],
        source_rows=range(SOURCE_ROWS),
        example_rows=range(EXAMPLE_ROWS),
        data=data,
        ajv=settings.urls.file(FORM_URI, AJV_URI),
        script=settings.urls.file(FORM_URI, SCRIPT_URI),
    )


def contribution_files(settings: Settings) -> dict[str, str]:
    """{site path: content}: the form page (the schema it fetches is published with the open data)."""
    return {FORM_URI: form_page(settings)}
