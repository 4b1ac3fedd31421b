"""The study team's synthesis of many self-assessment answer files (`recueil autodiagnostic synthese`).

Each file is validated against the published answer schema; a bad file is a located problem and the
others still count; identical files count once. Answers to practices no longer published are reported;
practices published since a file was made count as unanswered. Output: a Markdown report, CSV files and
SVG charts (from an autoescaped template), identical for identical input.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema.exceptions import ValidationError

from recueil.assessment.autodiagnostic import (
    IN_PLACE,
    IN_PROGRESS,
    NOT_APPLICABLE,
    NOT_CONCERNED,
    NOT_YET,
    OBLIGATION,
    UNANSWERED,
    Profile,
    answer_choices,
    answer_schema,
    round_half_up,
    size_bands,
    status,
)
from recueil.format.schema_check import Validator, describe, french_messages, make_validator
from recueil.format.vocabulary import vocabularies
from recueil.model import Practice, Problem
from recueil.site.export import csv_cell
from recueil.templating import template

STATUSES = (IN_PLACE, IN_PROGRESS, NOT_YET, NOT_CONCERNED, UNANSWERED, NOT_APPLICABLE)
SHOWN_STATUSES = (IN_PLACE, IN_PROGRESS, NOT_YET, UNANSWERED)  # what a bar shows: the share of the counted
TOP = 10
NOT_GIVEN = "Non précisé"


@dataclass(frozen=True, kw_only=True)
class Respondent:
    path: str
    profile: Profile
    answers: dict[str, str]  # published practices only
    name: str | None


@dataclass(frozen=True, kw_only=True)
class Tally:
    """Counts of each status (answer, unanswered, not applicable) over the respondents."""

    counts: Counter[str] = field(default_factory=Counter)

    @property
    def counted(self) -> int:
        """Respondents to whom it applies and who did not answer « non concerné »."""
        return sum(self.counts[s] for s in (IN_PLACE, IN_PROGRESS, NOT_YET, UNANSWERED))

    def percent(self, state: str) -> int | None:
        return round_half_up(100 * self.counts[state] / self.counted) if self.counted else None


def status_labels() -> dict[str, str]:
    labels = {choice.id: choice.libelle for choice in answer_choices()}
    return {**labels, UNANSWERED: "Sans réponse", NOT_APPLICABLE: "Non applicable"}


def _line(text: str, path: Iterable[Any]) -> int:
    """Line of the deepest key of a JSON path found in the text, searching each key after its parent."""
    position = 0
    for part in path:
        if isinstance(part, str):
            found = text.find(json.dumps(part, ensure_ascii=False), position)
            if found < 0:
                break
            position = found
    return text.count("\n", 0, position) + 1


def _messages(error: ValidationError, validator: Validator) -> list[tuple[tuple[str | int, ...], str]]:
    """The answer file's own wordings (one-of constants, version, its date and slugs), else the checker's."""
    path = tuple(error.absolute_path)
    expected: Any = error.validator_value
    if error.validator == "oneOf" and all("const" in option for option in expected):
        allowed = ", ".join(option["const"] for option in expected)
        return [(path, f"valeur « {error.instance} » inconnue pour {describe(path)} ; valeurs permises : {allowed}")]
    if error.validator == "const":
        return [
            (
                path,
                f"{describe(path)} doit valoir {json.dumps(expected)} "
                f"(reçu : {json.dumps(error.instance, ensure_ascii=False)})",
            )
        ]
    if error.validator == "pattern" and path == ("date",):
        return [(path, f"date « {error.instance} » invalide : format AAAA-MM-JJ attendu")]
    if error.validator in ("pattern", "maxLength") and path == ("reponses",):  # a key: propertyNames
        return [
            (
                (*path, str(error.instance)),
                f"identifiant de pratique « {error.instance} » invalide : minuscules sans accents, chiffres et "
                "tirets, 80 caractères au plus",
            )
        ]
    return french_messages(error, validator)


def read_answers(paths: Sequence[Path], practices: Sequence[Practice]) -> tuple[list[Respondent], list[Problem]]:
    """Respondents from the valid files (duplicates once), in the order of the sorted paths, and every problem."""
    validator = make_validator(answer_schema())
    published = {p.slug for p in practices}
    respondents: list[Respondent] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for path in sorted(paths, key=lambda p: p.as_posix()):
        shown = path.as_posix()
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(path=shown, line=1, message=f"fichier illisible : {exc}"))
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            problems.append(Problem(path=shown, line=exc.lineno, message=f"JSON invalide : {exc.msg}"))
            continue
        found = sorted(
            {
                (_line(text, where), message)
                for error in validator.detailed.iter_errors(data)
                for where, message in _messages(error, validator)
            }
        )
        if found:
            problems.extend(Problem(path=shown, line=line, message=message) for line, message in found)
            continue
        canonical = json.dumps(data, sort_keys=True, ensure_ascii=False)
        if canonical in seen:
            problems.append(
                Problem(
                    path=shown,
                    line=1,
                    severity="avertissement",
                    message=f"mêmes réponses que {seen[canonical]} : comptées une fois",
                )
            )
            continue
        seen[canonical] = shown
        unknown = [slug for slug in data["reponses"] if slug not in published]
        if unknown:
            problems.append(
                Problem(
                    path=shown,
                    line=_line(text, ["reponses", unknown[0]]),
                    severity="avertissement",
                    message="réponses à des pratiques qui ne sont plus publiées, laissées de côté : "
                    + ", ".join(unknown),
                )
            )
        respondents.append(
            Respondent(
                path=shown,
                profile=Profile.from_json(data["profil"]),
                name=data.get("collectivite"),
                answers={slug: answer for slug, answer in data["reponses"].items() if slug in published},
            )
        )
    return respondents, problems


@dataclass(frozen=True, kw_only=True)
class Synthesis:
    respondents: tuple[Respondent, ...]
    problems: tuple[Problem, ...]
    practices: tuple[Practice, ...]
    by_practice: dict[str, Tally]
    by_cell: dict[tuple[str, str], Tally]
    by_profile: Counter[tuple[str, str]]  # (type label, size label) → respondents

    @property
    def obligations_least_met(self) -> list[Practice]:
        ranked = [p for p in self.practices if p.nature == OBLIGATION and self.by_practice[p.slug].counted]
        return sorted(ranked, key=lambda p: self.by_practice[p.slug].percent(IN_PLACE) or 0)[:TOP]

    @property
    def most_in_progress(self) -> list[Practice]:
        ranked = [p for p in self.practices if self.by_practice[p.slug].counts[IN_PROGRESS]]
        return sorted(ranked, key=lambda p: -self.by_practice[p.slug].counts[IN_PROGRESS])[:TOP]


def synthesise(
    respondents: Sequence[Respondent], problems: Sequence[Problem], practices: Sequence[Practice]
) -> Synthesis:
    vocab = vocabularies()
    types = {t.id: t.libelle for t in vocab["collectivites"].terms}
    sizes = {s.id: s.libelle for s in size_bands()}
    by_practice = {p.slug: Tally() for p in practices}
    by_cell = {(t, m): Tally() for t in vocab["themes"].ids for m in vocab["moments"].ids}
    by_profile: Counter[tuple[str, str]] = Counter()
    for respondent in respondents:
        profile = respondent.profile
        by_profile[types.get(profile.type or "", NOT_GIVEN), sizes.get(profile.taille or "", "Non précisée")] += 1
        for practice in practices:
            state = status(practice, profile, respondent.answers)
            by_practice[practice.slug].counts[state] += 1
            for theme in practice.themes:
                for moment in practice.moments:
                    by_cell[theme, moment].counts[state] += 1
    return Synthesis(
        respondents=tuple(respondents),
        problems=tuple(problems),
        practices=tuple(practices),
        by_practice=by_practice,
        by_cell=by_cell,
        by_profile=by_profile,
    )


# Output ------------------------------------------------------------------------------------------------


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    # Text cells are neutralised like the open data's (a leading apostrophe before a formula).
    writer.writerows(
        ["" if cell is None else csv_cell(cell) if isinstance(cell, str) else cell for cell in row] for row in rows
    )
    return buffer.getvalue()


def _cell(text: str) -> str:
    """Text from a file or a sheet, shown as text in Markdown (HTML escaped, table pipes too)."""
    return html.escape(text, quote=False).replace("|", "\\|")


def _percent(value: int | None) -> str:
    return "—" if value is None else f"{value}\u202f%"


@dataclass(frozen=True, kw_only=True)
class Segment:
    x: float
    width: float
    fill: str


@dataclass(frozen=True, kw_only=True)
class BarRow:
    label: str
    y: float
    segments: tuple[Segment, ...]
    values: str


COLOURS = {IN_PLACE: "#1f4e79", IN_PROGRESS: "#6b8fb5", NOT_YET: "#b8c7d9", UNANSWERED: "#e4e4e4"}
BAR_LEFT, BAR_WIDTH, ROW_HEIGHT = 16, 600, 64


def bars_svg(chart_id: str, title: str, rows: Sequence[tuple[str, Tally]]) -> str:
    """Stacked bars (share of the counted respondents per status) with every value written as text."""
    labels = status_labels()
    drawn: list[BarRow] = []
    for n, (label, tally) in enumerate(rows):
        x, segments = float(BAR_LEFT), []
        for state in SHOWN_STATUSES:
            width = round(BAR_WIDTH * tally.counts[state] / tally.counted, 1) if tally.counted else 0.0
            segments.append(Segment(x=round(x, 1), width=width, fill=COLOURS[state]))
            x += width
        values = " ; ".join(f"{labels[s].lower()} {tally.counts[s]}" for s in SHOWN_STATUSES)
        drawn.append(BarRow(label=label, y=16 + n * ROW_HEIGHT, segments=tuple(segments), values=values))
    legend = [(labels[s], COLOURS[s]) for s in SHOWN_STATUSES]
    return template("assessment/synthese-barres.svg.j2").render(
        id=chart_id,
        title=title,
        rows=drawn,
        legend=legend,
        width=BAR_LEFT * 2 + BAR_WIDTH,
        height=40 + len(rows) * ROW_HEIGHT,
        bar_width=BAR_WIDTH,
    )


def outputs(synthesis: Synthesis, *, with_names: bool = False) -> dict[str, str]:
    """{file name: content} of the synthesis: synthese.md, CSV files and SVG charts."""
    vocab = vocabularies()
    labels = status_labels()
    theme_label, moment_label = vocab["themes"].label, vocab["moments"].label
    tallies = synthesis.by_practice
    files: dict[str, str] = {}
    files["repondants.csv"] = _csv(
        ("type", "taille", "repondants"), ((t, s, n) for (t, s), n in sorted(synthesis.by_profile.items()))
    )
    files["pratiques.csv"] = _csv(
        ("identifiant", "titre", "nature", "effort", *STATUSES, "part_en_place", "part_en_cours", "part_pas_encore"),
        (
            (
                p.slug,
                p.titre,
                p.nature,
                p.effort,
                *(tallies[p.slug].counts[s] for s in STATUSES),
                *(tallies[p.slug].percent(s) for s in (IN_PLACE, IN_PROGRESS, NOT_YET)),
            )
            for p in synthesis.practices
        ),
    )
    cells = sorted(
        synthesis.by_cell.items(),
        key=lambda item: (vocab["themes"].ids.index(item[0][0]), vocab["moments"].ids.index(item[0][1])),
    )
    files["grille.csv"] = _csv(
        ("theme", "moment", *STATUSES, "part_en_place"),
        ((t, m, *(tally.counts[s] for s in STATUSES), tally.percent(IN_PLACE)) for (t, m), tally in cells),
    )
    files["grille.svg"] = bars_svg(
        "grille",
        "Réponses par thème et par moment",
        [(f"{theme_label(t)} : {moment_label(m).lower()}", tally) for (t, m), tally in cells],
    )
    least = synthesis.obligations_least_met
    files["obligations.svg"] = bars_svg(
        "obligations", "Obligations légales les moins souvent en place", [(p.titre, tallies[p.slug]) for p in least]
    )

    valid = len(synthesis.respondents)
    errors = sorted({p.path for p in synthesis.problems if p.is_error})
    duplicates = sum("comptées une fois" in p.message for p in synthesis.problems)
    lines = [
        "# Synthèse de l'autodiagnostic",
        "",
        f"{valid} collectivité(s) comptée(s) ; {len(errors)} fichier(s) refusé(s) ; {duplicates} doublon(s) "
        f"compté(s) une fois ; {len(synthesis.practices)} pratique(s) publiée(s).",
        "",
        "Chaque part est un décompte de pratiques déclarées, pas une évaluation de la sécurité des agents. Elle se "
        "calcule sur les collectivités auxquelles la pratique s'applique, hors réponses « non concerné » ; une "
        "pratique sans réponse compte comme non en place.",
        "",
        "## Répondants par type et par taille",
        "",
        "| Type | Taille | Collectivités |",
        "|---|---|---:|",
        *(f"| {t} | {s} | {n} |" for (t, s), n in sorted(synthesis.by_profile.items())),
        "",
    ]
    if with_names:
        names = sorted(r.name for r in synthesis.respondents if r.name)
        lines += ["## Collectivités nommées", "", *(f"- {_cell(name)}" for name in names), ""]
    lines += [
        "## Par thème et par moment",
        "",
        "![Réponses par thème et par moment](grille.svg)",
        "",
        "| Thème | Moment | " + " | ".join(labels[s] for s in SHOWN_STATUSES) + " | Part en place |",
        "|---|---|" + "---:|" * (len(SHOWN_STATUSES) + 1),
        *(
            f"| {theme_label(t)} | {moment_label(m)} | "
            + " | ".join(str(tally.counts[s]) for s in SHOWN_STATUSES)
            + f" | {_percent(tally.percent(IN_PLACE))} |"
            for (t, m), tally in cells
        ),
        "",
        "## Obligations légales les moins remplies",
        "",
    ]
    if least:
        lines += [
            "![Obligations légales les moins souvent en place](obligations.svg)",
            "",
            "| Pratique | En place | Collectivités comptées | Part en place |",
            "|---|---:|---:|---:|",
            *(
                f"| {_cell(p.titre)} | {tallies[p.slug].counts[IN_PLACE]} | {tallies[p.slug].counted} | "
                f"{_percent(tallies[p.slug].percent(IN_PLACE))} |"
                for p in least
            ),
            "",
        ]
    else:
        lines += ["Aucune obligation légale ne s'applique aux collectivités comptées.", ""]
    lines += [
        "## Pratiques le plus souvent « en cours »",
        "",
        "Là où les collectivités ont commencé : l'aide y sera le plus utile.",
        "",
    ]
    busy = synthesis.most_in_progress
    if busy:
        lines += [
            "| Pratique | En cours | Collectivités comptées |",
            "|---|---:|---:|",
            *(
                f"| {_cell(p.titre)} | {tallies[p.slug].counts[IN_PROGRESS]} | {tallies[p.slug].counted} |"
                for p in busy
            ),
            "",
        ]
    else:
        lines += ["Aucune pratique n'est déclarée « en cours ».", ""]
    lines += [
        "## Toutes les pratiques",
        "",
        "Le détail par pratique est dans `pratiques.csv` ; par thème et par moment dans `grille.csv` ; "
        "les répondants dans `repondants.csv`.",
        "",
    ]
    if synthesis.problems:
        lines += ["## Fichiers signalés", "", *(f"- `{problem}`" for problem in synthesis.problems), ""]
    files["synthese.md"] = "\n".join(lines)
    return files


def write_outputs(files: Mapping[str, str], directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (directory / name).write_text(content, encoding="utf-8")
