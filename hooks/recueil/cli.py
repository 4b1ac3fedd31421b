"""The `recueil` command: `recueil check [PATHS]` prints every problem as `path:line: message`."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import yaml

from recueil.collection import load_collection
from recueil.index import build_index
from recueil.model import Problem
from recueil.plaintree import ExportError, export_tree
from recueil.render import SiteOptions, render_pages

PRACTICES_DIR = "practices"


def _annotation(problem: Problem) -> str:
    """A GitHub Actions workflow command, so the problem shows on the pull request's diff."""
    kind = "error" if problem.is_error else "warning"
    message = problem.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::{kind} file={problem.path},line={problem.line}::{message}"


def check(paths: Sequence[str]) -> int:
    cwd = Path.cwd()
    targets = [Path(p) for p in paths] or [cwd / PRACTICES_DIR]
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
    project = Path.cwd()
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    settings = config.get("extra", {}).get("recueil", {})
    collection = load_collection(project / settings.get("pratiques", PRACTICES_DIR), root=project)
    if collection.errors:
        for problem in collection.problems:
            print(problem)
        print("Export impossible : corrigez d'abord les erreurs.", file=sys.stderr)
        return 1
    options = SiteOptions(
        use_directory_urls=config.get("use_directory_urls", True), edit_url=settings.get("edition")
    )
    pages = render_pages(build_index(collection), options)
    try:
        count = export_tree(project, pages, Path(directory), config)
    except ExportError as exc:
        print(f"recueil export : {exc}", file=sys.stderr)
        return 1
    print(f"{count} fichiers écrits dans {directory} ; construisez-les avec : cd {directory} && mkdocs build",
          file=sys.stderr)
    return 0


def _relative(path: Path, cwd: Path) -> str:
    try:
        return path.resolve().relative_to(cwd.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="recueil", description="Outils du Recueil de bonnes pratiques.")
    commands = parser.add_subparsers(dest="command", required=True)
    check_parser = commands.add_parser("check", help="vérifier les fiches (toutes par défaut)")
    check_parser.add_argument("paths", nargs="*", help="fichiers ou dossiers (par défaut : practices/)")
    export_parser = commands.add_parser("export", help="écrire le site en arborescence Markdown ordinaire")
    export_parser.add_argument("directory", help="dossier à créer (nouveau ou vide)")
    args = parser.parse_args(argv)
    if args.command == "check":
        return check(args.paths)
    if args.command == "export":
        return export(args.directory)
    return 2  # pragma: no cover - argparse rejects unknown commands


if __name__ == "__main__":
    sys.exit(main())
