"""The `recueil` command: `check` prints every problem as `path:line: message`; `new`, `from-issue`
and `report` help contributors and maintainers. Only input/output here; the logic is in the core."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from recueil.assessment import synthese
from recueil.contribute import issueform, report, scaffold
from recueil.contribute.plaintree import ExportError, export_tree
from recueil.format.vocabulary import SINGLE_CHOICE_FIELDS, vocabularies
from recueil.index import build_index
from recueil.load.collection import load_collection
from recueil.model import Problem
from recueil.settings import CONFIG_FILE, DEFAULT_PRACTICES, Settings, SettingsError, load_settings
from recueil.site.files import generated_files


def _settings() -> Settings:
    """The project's settings when run from its folder (mkdocs.yml there), else the defaults."""
    config = Path.cwd() / CONFIG_FILE
    if config.is_file():
        return load_settings(config)
    return Settings(root=Path.cwd(), practices_dir=Path.cwd() / DEFAULT_PRACTICES)


def _folder(option: str | None) -> Path:
    """The practices folder: the one given, else the one mkdocs.yml names."""
    return Path(option) if option else _settings().practices_dir


def _annotation(problem: Problem) -> str:
    """A GitHub Actions workflow command, so the problem shows on the pull request's diff."""
    kind = "error" if problem.is_error else "warning"
    message = problem.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::{kind} file={problem.path},line={problem.line}::{message}"


def check(paths: Sequence[str]) -> int:
    cwd = Path.cwd()
    targets = [Path(p) for p in paths] or [_settings().practices_dir]
    directories: dict[Path, set[Path] | None] = {}
    for target in targets:
        target = target if target.is_absolute() else cwd / target
        if target.is_dir():
            directories[target] = None
        else:
            # A single file is checked against its siblings, so `liens` and titles resolve.
            wanted = directories.setdefault(target.parent, set())
            if wanted is not None:
                wanted.add(target)
    problems: list[Problem] = []
    checked = 0
    for directory, wanted in directories.items():
        collection = load_collection(directory, root=cwd)
        if wanted is None:
            problems.extend(collection.problems)
            checked += len(collection.practices)
            continue
        shown = {_relative(path, cwd) for path in wanted}
        missing = [path for path in wanted if not path.exists()]
        problems.extend(Problem(path=_relative(p, cwd), line=1, message="fichier introuvable") for p in missing)
        problems.extend(p for p in collection.problems if p.path in shown)
        checked += len(wanted)
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in problems:
        print(_annotation(problem) if annotate else str(problem))
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    files = len({p.path for p in problems})
    if problems:
        print(f"{errors} erreur(s), {warnings} avertissement(s) dans {files} fichier(s).", file=sys.stderr)
    else:
        print(f"Aucun problème : {checked} fiche(s) valide(s).", file=sys.stderr)
    return 1 if errors else 0


def export(directory: str) -> int:
    """Write the site as a plain Markdown tree (generated pages included) into `directory`."""
    settings = _settings()
    collection = load_collection(settings.practices_dir, root=settings.root)
    if collection.errors:
        for problem in collection.problems:
            print(problem)
        print("Export impossible : corrigez d'abord les erreurs.", file=sys.stderr)
        return 1
    pages = generated_files(build_index(collection), settings)
    try:
        count = export_tree(settings.root / CONFIG_FILE, pages, Path(directory))
    except ExportError as exc:
        print(f"recueil export : {exc}", file=sys.stderr)
        return 1
    print(
        f"{count} fichiers écrits dans {directory} ; construisez-les avec : cd {directory} && mkdocs build",
        file=sys.stderr,
    )
    return 0


def _relative(path: Path, cwd: Path) -> str:
    try:
        return path.resolve().relative_to(cwd.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


NEW_FIELDS = ("themes", "moments", "nature", "roles", "effort")


def _ask_choices(field: str, ask: Callable[[str], str]) -> tuple[str, ...]:
    """Ask for one or several ids of a vocabulary, by number or by id, until the answer is valid."""
    vocabulary = vocabularies()[field]
    single = field in SINGLE_CHOICE_FIELDS
    print(f"\n{vocabulary.libelle} ({'un choix' if single else 'un ou plusieurs choix, séparés par des virgules'}) :")
    for number, term in enumerate(vocabulary.terms, start=1):
        print(f"  {number}. {term.libelle} ({term.id}) : {term.description}")
    while True:
        answer = [part.strip() for part in ask("> ").split(",") if part.strip()]
        chosen = tuple(
            vocabulary.terms[int(part) - 1].id if part.isdigit() and 0 < int(part) <= len(vocabulary.terms) else part
            for part in answer
        )
        if chosen and all(choice in vocabulary.ids for choice in chosen) and not (single and len(chosen) > 1):
            return chosen
        print("Réponse non reconnue : indiquez les numéros ou les identifiants de la liste.")


def _split(value: str | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(part.strip() for part in value.split(",") if part.strip())


def new(args: argparse.Namespace, ask: Callable[[str], str] = input) -> int:
    answers = {field: _split(getattr(args, field)) for field in NEW_FIELDS}
    title = args.titre
    try:
        while not title or not title.strip():
            title = ask("Titre de la fiche (une phrase d'action, 10 à 120 caractères) : ")
        for field in NEW_FIELDS:
            if answers[field] is None:
                answers[field] = _ask_choices(field, ask)
    except EOFError:
        print("\nCréation annulée : réponses incomplètes.", file=sys.stderr)
        return 2
    choices = {field: value or () for field, value in answers.items()}
    practice = scaffold.NewPractice(
        titre=title.strip(),
        themes=choices["themes"],
        moments=choices["moments"],
        roles=choices["roles"],
        nature=",".join(choices["nature"]),
        effort=",".join(choices["effort"]),
    )
    directory = _folder(args.dossier)
    try:
        path = scaffold.write_practice(directory, practice)
    except scaffold.ScaffoldError as exc:
        print(f"Fiche non créée :\n{exc}", file=sys.stderr)
        return 1
    except FileExistsError:
        print(
            f"Fiche non créée : {directory / (practice.slug + '.md')} existe déjà (rien n'a été modifié). "
            "Choisissez un autre titre ou complétez la fiche existante.",
            file=sys.stderr,
        )
        return 1
    shown = _relative(path, Path.cwd())
    print(
        f"Fiche créée : {shown}\n\nÉtapes suivantes :\n"
        f"  1. Ouvrez {shown} et remplacez chaque « À compléter : … » (résumé, sources, sections).\n"
        f"  2. Vérifiez la fiche : recueil check {shown}\n"
        "  3. Proposez-la en demande de fusion (pull request) : voir CONTRIBUTING.md."
    )
    return 0


def from_issue(args: argparse.Namespace) -> int:
    text = sys.stdin.read() if args.fichier == "-" else Path(args.fichier).read_text(encoding="utf-8")
    directory = _folder(args.dossier)
    try:
        practice = issueform.practice_from_issue(text)
        if args.sortie == "-":
            sys.stdout.write(scaffold.practice_text(practice, dt.date.today()))
            return 0
        path = scaffold.write_practice(directory, practice)
    except (issueform.IssueFormError, scaffold.ScaffoldError) as exc:
        print(f"Fiche non créée :\n{exc}", file=sys.stderr)
        return 1
    except FileExistsError:
        print(f"Fiche non créée : {directory / (practice.slug + '.md')} existe déjà.", file=sys.stderr)
        return 1
    print(f"Fiche créée : {_relative(path, Path.cwd())} ; vérifiez-la avec « recueil check ».")
    return 0


def synthesis(args: argparse.Namespace) -> int:
    """`recueil autodiagnostic synthese`: every file read, problems located, the report written anyway."""
    collection = load_collection(_folder(args.pratiques), root=Path.cwd())
    practices = build_index(collection).practices
    respondents, problems = synthese.read_answers([Path(f) for f in args.fichiers], practices)
    files = synthese.outputs(synthese.synthesise(respondents, problems, practices), with_names=args.avec_noms)
    synthese.write_outputs(files, Path(args.sortie))
    for problem in problems:
        print(problem, file=sys.stderr)
    refused = len({p.path for p in problems if p.is_error})
    print(
        f"{len(respondents)} collectivité(s) comptée(s), {refused} fichier(s) refusé(s) ; "
        f"{len(files)} fichiers écrits dans {args.sortie}.",
        file=sys.stderr,
    )
    return 1 if refused else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="recueil", description="Outils du Recueil de bonnes pratiques.")
    commands = parser.add_subparsers(dest="command", required=True)
    check_parser = commands.add_parser("check", help="vérifier les fiches (toutes par défaut)")
    check_parser.add_argument("paths", nargs="*", help="fichiers ou dossiers (par défaut : practices/)")
    export_parser = commands.add_parser("export", help="écrire le site en arborescence Markdown ordinaire")
    export_parser.add_argument("directory", help="dossier à créer (nouveau ou vide)")

    new_parser = commands.add_parser("new", help="créer une fiche à compléter (questions, ou options)")
    new_parser.add_argument("--titre", help="titre de la fiche (une phrase d'action)")
    for field in NEW_FIELDS:
        several = "" if field in SINGLE_CHOICE_FIELDS else ", séparés par des virgules"
        new_parser.add_argument(f"--{field}", help=f"identifiant(s){several} ; demandé(s) si absent(s)")
    new_parser.add_argument("--dossier", help="dossier des fiches (par défaut : celui de mkdocs.yml)")

    issue_parser = commands.add_parser("from-issue", help="transformer un ticket « Proposer une pratique » en fiche")
    issue_parser.add_argument("fichier", help="le texte du ticket (Markdown), « - » pour l'entrée standard")
    issue_parser.add_argument("--dossier", help="dossier des fiches (par défaut : celui de mkdocs.yml)")
    issue_parser.add_argument("--sortie", help="« - » : afficher la fiche au lieu de l'écrire")

    commands.add_parser("issue-form", help=f"afficher le formulaire de ticket généré ({issueform.FORM_PATH})")

    report_parser = commands.add_parser("report", help="synthèse pour les mainteneurs, en Markdown")
    report_parser.add_argument("dossier", nargs="?", help="dossier des fiches (par défaut : celui de mkdocs.yml)")
    report_parser.add_argument("--date", type=dt.date.fromisoformat, help="date du jour (AAAA-MM-JJ)")

    diagnostic_parser = commands.add_parser("autodiagnostic", help="exploiter les réponses à l'autodiagnostic")
    diagnostic_commands = diagnostic_parser.add_subparsers(dest="action", required=True)
    synthesis_parser = diagnostic_commands.add_parser(
        "synthese", help="synthèse de fichiers de réponses : rapport Markdown, CSV et graphiques SVG"
    )
    synthesis_parser.add_argument("fichiers", nargs="+", help="fichiers de réponses (JSON téléchargés de la page)")
    synthesis_parser.add_argument("--sortie", required=True, help="dossier où écrire la synthèse")
    synthesis_parser.add_argument(
        "--avec-noms", action="store_true", help="lister les noms des collectivités (absents par défaut)"
    )
    synthesis_parser.add_argument("--pratiques", help="dossier des fiches (par défaut : celui de mkdocs.yml)")
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except SettingsError as error:
        for problem in error.problems:
            print(problem)
        return 1


def _run(args: argparse.Namespace) -> int:
    if args.command == "check":
        return check(args.paths)
    if args.command == "export":
        return export(args.directory)
    if args.command == "new":
        return new(args)
    if args.command == "from-issue":
        return from_issue(args)
    if args.command == "autodiagnostic":
        return synthesis(args)
    if args.command == "issue-form":
        sys.stdout.write(issueform.issue_form_yaml())
        return 0
    if args.command == "report":
        today = args.date or dt.date.today()
        collection = load_collection(_folder(args.dossier), root=Path.cwd(), today=today)
        sys.stdout.write(report.maintainer_report(collection, today))
        return 0
    return 2  # pragma: no cover - argparse rejects unknown commands


if __name__ == "__main__":
    sys.exit(main())
