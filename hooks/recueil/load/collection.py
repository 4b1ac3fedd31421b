"""Load every practice and recommendation of a folder and check them all, one problem per line.

`load_collection` never stops at the first problem and never raises on bad input: it returns
the valid practices together with every problem found, so a contributor fixes all at once.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from recueil import processes
from recueil.format import body, placeholder, safety
from recueil.format.schema_check import make_validator, schema_errors, suggestion
from recueil.format.slugs import SLUG, SLUG_MAX, slugify, title_key
from recueil.format.vocabulary import practice_schema, recommendations_schema, value_node
from recueil.load import yamlparse
from recueil.load.figures import FIGURES_FILE, load_figures
from recueil.load.sourcefile import RawPractice, read_text, split_practice
from recueil.model import STALE_AFTER, Chart, Collection, Example, Practice, Problem, Recommendation, Severity, Source

RECOMMENDATIONS_FILE = "recommandations.yml"


class _Report:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, line: int, message: str, severity: Severity = "erreur") -> None:
        self.problems.append(Problem(path=path, line=line, message=message, severity=severity))


def load_collection(
    practices_dir: Path,
    *,
    root: Path | None = None,
    today: dt.date | None = None,
) -> Collection:
    """Read and check `practices_dir`; paths in problems are shown relative to `root`."""
    root = root or practices_dir.parent
    today = today or dt.date.today()
    report = _Report()
    if not practices_dir.is_dir():
        report.add(_shown(practices_dir, root), 1, "dossier des fiches introuvable")
        return Collection(practices=(), recommendations=(), problems=tuple(report.problems))

    practice_files, recommendations_file, figures_file = _discover(practices_dir, root, report)
    raws: list[RawPractice] = []
    practices: list[Practice] = []
    for checked in _checked_files([(file, _shown(file, root)) for file in practice_files], today):
        report.problems.extend(checked.problems)
        if checked.raw:
            raws.append(checked.raw)
        if checked.practice:
            practices.append(checked.practice)

    known_slugs = {file.stem for file in practice_files}
    _check_collection(raws, known_slugs, report)
    recommendations: list[Recommendation] = []
    if recommendations_file:
        recommendations = _load_recommendations(recommendations_file, root, practices_dir, practices, report)
    charts: tuple[Chart, ...] = ()
    if figures_file:
        charts, figure_problems = load_figures(figures_file, _shown(figures_file, root))
        report.problems.extend(figure_problems)

    failed = {problem.path for problem in report.problems if problem.is_error}
    valid = tuple(sorted((p for p in practices if p.path not in failed), key=lambda p: p.slug))
    ordered = tuple(sorted(set(report.problems), key=lambda p: (p.path, p.line, p.message)))
    return Collection(practices=valid, recommendations=tuple(recommendations), problems=ordered, charts=charts)


@dataclass(frozen=True)
class _CheckedFile:
    raw: RawPractice | None
    practice: Practice | None
    problems: tuple[Problem, ...]


# Under `mkdocs serve` every edit rebuilds the whole site: files that did not change since the
# last load are not read, parsed and checked again. Keyed by what identifies a file's content.
_Key = tuple[str, str, int, int, dt.date]
_cache: dict[_Key, _CheckedFile] = {}
_cached_key: dict[str, _Key] = {}  # file → its key in _cache

# From this many files to check, the work is shared between processes, one per processor: starting
# them and sending the results back costs about a tenth of a second.
PARALLEL_FROM = 400


def _checked_files(files: list[tuple[Path, str]], today: dt.date) -> list[_CheckedFile]:
    """The checks that depend on each file alone, in order, from the cache for unchanged files."""
    keys = [_file_key(file, shown, today) for file, shown in files]
    todo = [n for n, key in enumerate(keys) if key not in _cache]
    fresh = _in_parallel([files[n] for n in todo], today) if len(todo) >= PARALLEL_FROM else None
    if fresh is None:
        fresh = [_check_file(*files[n], today) for n in todo]
    for n, checked in zip(todo, fresh, strict=True):
        key = keys[n]
        if key is not None:
            stale = _cached_key.pop(key[0], None)
            if stale is not None:
                _cache.pop(stale, None)
            _cache[key] = checked
            _cached_key[key[0]] = key
    done = dict(zip(todo, fresh, strict=True))
    return [done[n] if key is None or n in done else _cache[key] for n, key in enumerate(keys)]


def _file_key(file: Path, shown: str, today: dt.date) -> _Key | None:
    try:
        status = file.lstat()
    except OSError:
        return None
    return (str(file), shown, status.st_mtime_ns, status.st_size, today)


def _in_parallel(files: list[tuple[Path, str]], today: dt.date) -> list[_CheckedFile] | None:
    """Check `files` in as many processes as there are processors; None where that cannot be done here
    (one processor, no `fork`, or threads running: a forked copy of a threaded process may hang)."""
    workers = processes.available()
    if workers < 2 or threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    size = -(-len(files) // (workers * 4))  # a few batches per process, so that none waits for the last
    batches = [files[start : start + size] for start in range(0, len(files), size)]
    collecting = gc.isenabled()
    gc.disable()  # receiving thousands of results would trigger many collections that find no cycle
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return [checked for batch in pool.map(_check_batch, batches, [today] * len(batches)) for checked in batch]
    except (OSError, RuntimeError):  # no process could start (limits, sandbox): check them here instead
        return None
    finally:
        if collecting:
            gc.enable()


def _check_batch(files: list[tuple[Path, str]], today: dt.date) -> list[_CheckedFile]:
    gc.disable()  # a short-lived worker: collecting cycles would only rescan what it is about to send back
    return [_check_file(file, shown, today) for file, shown in files]


def _check_file(file: Path, shown: str, today: dt.date) -> _CheckedFile:
    report = _Report()
    raw: RawPractice | None = None
    practice: Practice | None = None
    text, problem = read_text(file, shown)
    if problem:
        report.problems.append(problem)
    else:
        assert text is not None
        raw, problems = split_practice(text, shown, file.stem)
        report.problems.extend(problems)
        if raw:
            practice = _check_practice(raw, report, today)
            # What the checks across files read is the front matter: the text stays out of the cache
            # and of what a worker process sends back.
            raw = replace(raw, text="", body="")
    return _CheckedFile(raw, practice, tuple(report.problems))


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _discover(directory: Path, root: Path, report: _Report) -> tuple[list[Path], Path | None, Path | None]:
    practice_files: list[Path] = []
    recommendations: Path | None = None
    figures: Path | None = None
    for current, dirs, files in os.walk(directory, followlinks=False):
        here = Path(current)
        for name in sorted(dirs):
            if (here / name).is_symlink():
                report.add(_shown(here / name, root), 1, "lien symbolique refusé dans le dossier des fiches")
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (here / d).is_symlink())
        for name in sorted(files):
            path = here / name
            shown = _shown(path, root)
            if name.startswith("."):
                continue
            if here == directory and name == RECOMMENDATIONS_FILE:
                recommendations = path
            elif here == directory and name == FIGURES_FILE:
                figures = path
            elif not name.endswith(".md"):
                report.add(
                    shown,
                    1,
                    (
                        "fichier inattendu : ce dossier ne contient que des fiches « .md », "
                        f"{RECOMMENDATIONS_FILE} et {FIGURES_FILE}"
                    ),
                )
            else:
                if here != directory:
                    report.add(shown, 1, "sous-dossier refusé : placez la fiche directement dans le dossier des fiches")
                practice_files.append(path)
    return sorted(practice_files), recommendations, figures


_PRACTICE_VALIDATOR = make_validator(practice_schema())


def _check_practice(raw: RawPractice, report: _Report, today: dt.date) -> Practice | None:
    """Check one file on its own; the practice, or None when its front matter is unusable."""
    path, data = raw.path, raw.data
    if not SLUG.match(raw.slug) or len(raw.slug) > SLUG_MAX:
        proposal = slugify(raw.slug)
        report.add(
            path,
            1,
            (
                f"nom de fichier « {raw.slug}.md » invalide : minuscules sans accents, chiffres et tirets, "
                f"{SLUG_MAX} caractères au plus" + (f" (proposition : {proposal}.md)" if proposal else "")
            ),
        )
    errors = schema_errors(_PRACTICE_VALIDATOR, data, raw.lines, default_line=1)
    for line, message in errors:
        report.add(path, line, message)
    for line, finding in [
        *safety.findings(raw.text, raw.body, raw.body_first_line),
        *safety.invisible_in_values(data, raw.lines, raw.text),
        *placeholder.findings(raw.text),
    ]:
        report.add(path, line, finding)
    for line, message in body.check_sections(raw.body, raw.body_first_line):
        report.add(path, line, message)
    _check_dates(raw, report, today)
    return None if errors else _build_practice(raw)


def _date(raw: RawPractice, key: str) -> dt.date | None:
    value = raw.data.get(key)
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None  # reported by the schema


def _check_dates(raw: RawPractice, report: _Report, today: dt.date) -> None:
    published, revised = _date(raw, "publie_le"), _date(raw, "revise_le")
    published_line = raw.lines.get(("publie_le",), 1)
    revised_line = raw.lines.get(("revise_le",), published_line)
    if published and published > today:
        report.add(raw.path, published_line, f"date de publication {published.isoformat()} dans le futur")
    if revised and revised > today:
        report.add(raw.path, revised_line, f"date de révision {revised.isoformat()} dans le futur")
    if published and revised and revised < published:
        report.add(raw.path, revised_line, "« revise_le » est antérieure à « publie_le »")
    last = revised or published
    if last and raw.data.get("brouillon") is not True and today - last > STALE_AFTER:
        report.add(
            raw.path,
            revised_line,
            (
                f"fiche non relue depuis le {last.isoformat()} (plus de 3 ans) : "
                "relisez-la et mettez à jour « revise_le »"
            ),
            severity="avertissement",
        )


# List fields whose items are objects of the model; the others are lists of plain values.
_OBJECTS: dict[str, type[Example] | type[Source]] = {"exemples": Example, "sources": Source}
_DATES = frozenset(name for name in practice_schema()["properties"] if value_node(name).get("format") == "date")


def _value(name: str, value: Any) -> Any:
    if name in _OBJECTS:
        return tuple(_OBJECTS[name](**item) for item in value)
    if isinstance(value, list):
        return tuple(item.strip() if isinstance(item, str) else item for item in value)
    if name in _DATES:
        return dt.date.fromisoformat(value)
    return value.strip() if isinstance(value, str) else value


def _build_practice(raw: RawPractice) -> Practice:
    """The model from valid front matter: every schema property is a field of `Practice` of the same name
    (tests/test_project.py checks that they agree); absent optional keys take the field's default."""
    values = {name: _value(name, value) for name, value in raw.data.items() if value is not None}
    return Practice(slug=raw.slug, path=raw.path, body=raw.body.strip("\n") + "\n", **values)


def _check_collection(raws: list[RawPractice], known_slugs: set[str], report: _Report) -> None:
    """Rules across files: unique slugs and titles, `liens` that resolve. Uses raw data, so a
    file with other errors still takes part and every problem is reported in one run."""
    by_slug: dict[str, RawPractice] = {}
    by_title: dict[str, RawPractice] = {}
    drafts = {raw.slug for raw in raws if raw.data.get("brouillon") is True}
    for raw in raws:
        other = by_slug.setdefault(raw.slug, raw)
        if other is not raw:
            report.add(raw.path, 1, f"identifiant « {raw.slug} » déjà pris par {other.path}")
        title = raw.data.get("titre")
        if isinstance(title, str) and title.strip():
            other = by_title.setdefault(title_key(title), raw)
            if other is not raw:
                report.add(
                    raw.path,
                    raw.lines.get(("titre",), 1),
                    (f"titre identique à celui de {other.path} : deux fiches ne peuvent porter le même titre"),
                )
    for raw in raws:
        links = raw.data.get("liens")
        if not isinstance(links, list):
            continue
        is_draft = raw.slug in drafts
        for index, target in enumerate(links):
            if not isinstance(target, str):
                continue
            line = raw.lines.get(("liens", index), 1)
            if target == raw.slug:
                report.add(raw.path, line, f"la fiche « {target} » ne peut pas se lier à elle-même")
            elif target not in known_slugs:
                report.add(
                    raw.path, line, (f"lien vers une fiche inexistante « {target} »{suggestion(target, known_slugs)}")
                )
            elif target in drafts and not is_draft:
                report.add(raw.path, line, f"lien vers le brouillon « {target} », qui n'est pas publié")


_RECOMMENDATIONS_VALIDATOR = make_validator(recommendations_schema())


def _load_recommendations(
    file: Path, root: Path, practices_dir: Path, practices: list[Practice], report: _Report
) -> list[Recommendation]:
    shown = _shown(file, root)
    text, problem = read_text(file, shown)
    if problem:
        report.problems.append(problem)
        return []
    assert text is not None
    try:
        parsed = yamlparse.parse(text, first_line=1)
    except yamlparse.YamlProblem as exc:
        report.add(shown, exc.line, exc.message)
        return []
    errors = schema_errors(_RECOMMENDATIONS_VALIDATOR, parsed.data, parsed.lines, default_line=1)
    invisible = [*safety.invisible_characters(text), *safety.invisible_in_values(parsed.data, parsed.lines, text)]
    for line, message in invisible:
        report.add(shown, line, message)
    for line, message in errors:
        report.add(shown, line, message)
    if errors:
        return []
    published = {p.slug for p in practices if not p.brouillon}
    drafts = {p.slug for p in practices if p.brouillon}
    recommendations: list[Recommendation] = []
    seen: set[str] = set()
    for index, item in enumerate(parsed.data):
        if item["id"] in seen:
            report.add(shown, parsed.lines[(index, "id")], f"identifiant de recommandation « {item['id']} » en double")
        seen.add(item["id"])
        for position, slug in enumerate(item["pratiques"]):
            line = parsed.lines[(index, "pratiques", position)]
            if slug in drafts:
                report.add(shown, line, f"la recommandation cite le brouillon « {slug} », qui n'est pas publié")
            elif slug not in published:
                report.add(shown, line, f"pratique inexistante « {slug} »{suggestion(slug, published)}")
        recommendations.append(
            Recommendation(
                id=item["id"],
                theme=item["theme"],
                titre=item["titre"].strip(),
                texte=item["texte"].strip(),
                porteurs=tuple(item["porteurs"]),
                echeance=item["echeance"],
                indicateurs=tuple(text.strip() for text in item["indicateurs"]),
                pratiques=tuple(item["pratiques"]),
            )
        )
    return recommendations
