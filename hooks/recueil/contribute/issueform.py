"""The GitHub issue form « Proposer une pratique », and the conversion of such an issue into a practice.

Both derive from the JSON Schema (field ids = schema keys, labels = schema titles) and the
vocabularies, so the form, its parser and the checker cannot drift apart.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from recueil.contribute.scaffold import NewPractice
from recueil.format import body
from recueil.format.vocabulary import SINGLE_CHOICE_FIELDS, VOCABULARY_FIELDS, practice_schema, vocabularies

FORM_PATH = ".github/ISSUE_TEMPLATE/proposer-une-pratique.yml"
# GitHub renders an empty optional field as this text.
NO_RESPONSE = "_No response_"
LIST_FIELDS = ("mots_cles", "liens")  # one input, comma-separated
# Keys the form does not ask for, and why (shown in the form and checked by the tests).
NOT_ASKED = {
    "publie_le": "la date de publication, fixée par les mainteneurs lors de la conversion en fiche",
    "revise_le": "la date de relecture, tenue par les mainteneurs",
    "brouillon": "l'état de brouillon, décidé par les mainteneurs",
}
SOURCE_HELP = (
    "Une source par ligne : titre | éditeur | adresse https:// | date (AAAA, AAAA-MM ou AAAA-MM-JJ). "
    "L'adresse et la date sont facultatives mais une source vérifiable en ligne est préférable."
)
EXAMPLE_HELP = (
    "Un exemple par ligne : collectivité | adresse https:// d'une source publique qui la nomme | "
    "département (code INSEE) | année. Le département et l'année sont facultatifs."
)
_URL = re.compile(r"^https://\S+$")
_YEAR = re.compile(r"^[0-9]{4}$")


class IssueFormError(ValueError):
    """The issue body cannot be read as a proposal; the message says which field and why."""


def _title(key: str) -> str:
    title: str = practice_schema()["properties"][key]["title"]
    return title


def _description(key: str) -> str:
    description: str = practice_schema()["properties"][key].get("description", "")
    return description


def issue_form() -> dict[str, Any]:
    """The issue form as data (GitHub's issue-forms syntax)."""
    schema = practice_schema()
    required = set(schema["required"])
    vocab = vocabularies()
    not_asked = "\n".join(f"- `{key}` : {why}." for key, why in NOT_ASKED.items())
    items: list[dict[str, Any]] = [
        {
            "type": "markdown",
            "attributes": {
                "value": (
                    "Merci de proposer une pratique ! Une relecture vérifie les sources et l'absence de données "
                    "personnelles avant publication ; un mainteneur transforme ensuite ce ticket en fiche "
                    "(`recueil from-issue`).\n\n"
                    "**N'écrivez aucune donnée personnelle** : ni nom d'agent, de victime ou d'usager, ni adresse "
                    "électronique ou numéro de téléphone personnels. Nommez les institutions, pas les personnes.\n\n"
                    f"Ce formulaire ne demande pas :\n{not_asked}"
                )
            },
        }
    ]

    def field(kind: str, key: str | None, label: str, description: str, is_required: bool, **attributes: Any) -> None:
        item: dict[str, Any] = {"type": kind}
        if key:
            item["id"] = key
        item["attributes"] = {"label": label, **({"description": description} if description else {}), **attributes}
        item["validations"] = {"required": is_required}
        items.append(item)

    field("input", "titre", _title("titre"), _description("titre"), True)
    field("textarea", "resume", _title("resume"), _description("resume"), True)
    for key in VOCABULARY_FIELDS:
        labels = [term.libelle for term in vocab[key].terms]
        if any("," in label for label in labels):
            raise RuntimeError(f"{key}: a label contains a comma, GitHub would split it")
        field(
            "dropdown",
            key,
            _title(key),
            _description(key),
            key in required,
            multiple=key not in SINGLE_CHOICE_FIELDS,
            options=labels,
        )
    field("textarea", "sources", _title("sources"), f"{_description('sources')} {SOURCE_HELP}", True)
    field("textarea", "exemples", _title("exemples"), f"{_description('exemples')} {EXAMPLE_HELP}", False)
    field("input", "mots_cles", _title("mots_cles"), f"{_description('mots_cles')} Séparés par des virgules.", False)
    field("input", "liens", _title("liens"), f"{_description('liens')} Séparés par des virgules.", False)
    # Body sections are not front matter keys: no id, so ids stay a subset of the schema's keys.
    for title, is_required in body.SECTIONS:
        field("textarea", None, title, "", is_required)
    items.append(
        {
            "type": "checkboxes",
            "attributes": {
                "label": "Vérifications",
                "options": [
                    {"label": "La proposition ne contient aucune donnée personnelle.", "required": True},
                    {"label": "Chaque fait est appuyé par une source publique.", "required": True},
                ],
            },
        }
    )
    return {
        "name": "Proposer une pratique",
        "description": "Proposer une nouvelle fiche pour le recueil de bonnes pratiques.",
        "title": "Proposition : ",
        "labels": ["proposition"],
        "body": items,
    }


class _Dumper(yaml.SafeDumper):
    """Multi-line text as a literal block, as a person would write the form."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def issue_form_yaml() -> str:
    header = (
        "# Generated by `recueil issue-form` from the JSON Schema and vocabulaires.yml: do not edit by hand.\n"
        f"# Regenerate with: recueil issue-form > {FORM_PATH}\n"
    )
    return header + yaml.dump(issue_form(), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100_000)


def _answers(text: str) -> dict[str, str]:
    """Label → answer, for the `### Label` headings GitHub writes; other headings stay in the answer."""
    labels = {item["attributes"]["label"] for item in issue_form()["body"] if "label" in item["attributes"]}
    answers: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.replace("\r\n", "\n").split("\n"):
        heading = re.match(r"^###\s+(.+?)\s*$", line)
        if heading and heading.group(1) in labels:
            current = answers.setdefault(heading.group(1), [])
        elif current is not None:
            current.append(line)
    result = {label: "\n".join(lines).strip() for label, lines in answers.items()}
    return {label: "" if value == NO_RESPONSE else value for label, value in result.items()}


def _ids(key: str, answer: str) -> tuple[str, ...]:
    by_label = {term.libelle: term.id for term in vocabularies()[key].terms}
    chosen = [part.strip() for part in answer.split(",") if part.strip()]
    unknown = [part for part in chosen if part not in by_label and part not in by_label.values()]
    if unknown:
        raise IssueFormError(f"{_title(key)} : valeur(s) inconnue(s) {', '.join(unknown)}")
    return tuple(by_label.get(part, part) for part in chosen)


def _rows(answer: str) -> list[list[str]]:
    rows = []
    for line in answer.split("\n"):
        line = re.sub(r"^\s*(?:[-*]|\d+\.)\s+", "", line).strip()
        if line:
            rows.append([part.strip() for part in line.split("|")])
    return rows


def _sources(answer: str) -> list[dict[str, str]]:
    sources = []
    for parts in _rows(answer):
        source = {"titre": parts[0], "editeur": parts[1] if len(parts) > 1 else ""}
        for part in parts[2:]:
            if part:
                source["url" if _URL.match(part) else "date"] = part
        sources.append(source)
    return sources


def _examples(answer: str) -> list[dict[str, Any]]:
    examples = []
    for parts in _rows(answer):
        example: dict[str, Any] = {"collectivite": parts[0]}
        for part in parts[1:]:
            if _URL.match(part):
                example["source"] = part
            elif _YEAR.match(part):
                example["annee"] = int(part)
            elif part:
                example["departement"] = part
        examples.append(example)
    return examples


def practice_from_issue(text: str) -> NewPractice:
    """The practice an issue body describes (check it with scaffold.validate or `recueil check`)."""
    answers = _answers(text)
    if _title("titre") not in answers:
        raise IssueFormError("ce texte ne vient pas du formulaire « Proposer une pratique » (titre introuvable)")

    def answer(key: str) -> str:
        return answers.get(_title(key), "")

    choices = {key: _ids(key, answer(key)) for key in VOCABULARY_FIELDS}
    extra: dict[str, Any] = {"resume": " ".join(answer("resume").split())}
    for key in ("collectivites", "services", "partenaires"):
        if choices[key]:
            extra[key] = list(choices[key])
    extra["sources"] = _sources(answer("sources"))
    if examples := _examples(answer("exemples")):
        extra["exemples"] = examples
    for key in LIST_FIELDS:
        values = [part.strip() for part in answer(key).split(",") if part.strip()]
        if values:
            extra[key] = [value.lower() for value in values] if key == "mots_cles" else values
    return NewPractice(
        titre=" ".join(answer("titre").split()),
        themes=choices["themes"],
        moments=choices["moments"],
        roles=choices["roles"],
        nature=",".join(choices["nature"]),
        effort=",".join(choices["effort"]),
        extra=extra,
        sections={title: answers.get(title, "") for title, _ in body.SECTIONS},
    )
