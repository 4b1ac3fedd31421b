"""Load and check `chiffres.yml`, the sourced public figures drawn on the « état des lieux » page.

Figures are content, like practices: they live beside them, are validated by their own JSON Schema
and reported as `path:line` problems, so a wrong figure is caught before it is ever drawn.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from recueil.format import safety
from recueil.format.schema_check import make_validator, schema_errors
from recueil.load import yamlparse
from recueil.load.sourcefile import read_text
from recueil.model import Chart, Figure, Problem, Source

FIGURES_FILE = "chiffres.yml"

_Add = Callable[[int, str], None]


@cache
def figures_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(
        resources.files("recueil").joinpath("schema/chiffres.schema.json").read_text(encoding="utf-8")
    )
    return schema


def load_figures(file: Path, shown: str) -> tuple[tuple[Chart, ...], list[Problem]]:
    """The charts of `file` (none if it has any error) and every problem found, located by line."""
    problems: list[Problem] = []

    def add(line: int, message: str) -> None:
        problems.append(Problem(path=shown, line=line, message=message))

    text, problem = read_text(file, shown)
    if problem:
        return (), [problem]
    assert text is not None
    try:
        parsed = yamlparse.parse(text, first_line=1)
    except yamlparse.YamlProblem as exc:
        add(exc.line, exc.message)
        return (), problems
    for line, message in [
        *safety.invisible_characters(text),
        *safety.invisible_in_values(parsed.data, parsed.lines, text),
        *schema_errors(make_validator(figures_schema()), parsed.data, parsed.lines, default_line=1),
    ]:
        add(line, message)
    if problems:
        return (), problems
    seen: dict[str, int] = {}
    for index, chart in enumerate(parsed.data):
        line = parsed.lines[(index, "id")]
        if chart["id"] in seen:
            add(line, f"identifiant de graphique « {chart['id']} » en double (déjà ligne {seen[chart['id']]})")
        seen.setdefault(chart["id"], line)
        _check_chart(chart, index, parsed.lines, add)
    if problems:
        return (), problems
    return tuple(_chart(item) for item in parsed.data), problems


def _check_chart(chart: dict[str, Any], index: int, lines: dict[yamlparse.Path, int], add: _Add) -> None:
    figures = chart["chiffres"]
    units = {figure["unite"] for figure in figures}
    if len(units) > 1 and chart["type"] != "reperes":
        # Bars drawn on one scale must measure the same thing.
        add(
            lines[(index, "chiffres")],
            (f"les chiffres d'un même graphique doivent avoir la même unité (reçu : {', '.join(sorted(units))})"),
        )
    if chart["type"] == "avant-apres":
        if len(figures) != 2:
            add(
                lines[(index, "chiffres")],
                (f"un graphique « avant-apres » compare exactement 2 chiffres (reçu : {len(figures)})"),
            )
        elif figures[0]["annee"] >= figures[1]["annee"]:
            add(
                lines[(index, "chiffres", 1, "annee")],
                ("dans un graphique « avant-apres », le second chiffre doit être d'une année postérieure au premier"),
            )


def _chart(item: dict[str, Any]) -> Chart:
    return Chart(
        id=item["id"],
        titre=item["titre"].strip(),
        description=item["description"].strip(),
        type=item["type"],
        chiffres=tuple(
            Figure(
                libelle=figure["libelle"].strip(),
                valeur=figure["valeur"],
                unite=figure["unite"].strip(),
                annee=figure["annee"],
                source=Source(**figure["source"]),
            )
            for figure in item["chiffres"]
        ),
    )
