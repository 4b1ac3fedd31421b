"""Benchmark the compendium PDF: wall time and peak memory of a process that writes recueil.pdf.

`python scripts/bench_pdf.py [--runs 3] [--count 500]` measures the real collection (practices/) and
synthetic practices (scripts/synthetic_corpus.py), each in a fresh process:

- cold: with an empty cache, every document is laid out (a first build, or a change of stylesheet);
- one sheet edited: the cache of the previous build is there and one sheet's text has changed (the usual
  rebuild: a pull request that edits or adds a sheet);

and prints a Markdown table (median of the runs). Memory is the peak of the resident memory of the
process and its worker processes together, sampled every 20 ms (psutil); CPU time is theirs too (user +
system, from the operating system once they have ended), which other work on the machine changes less
than the wall time. It asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 15.0
GOAL_MB = 600.0
# One edition, in this process and its workers: what `recueil.pdf` costs, loading and checking the sheets included.
CHILD = """
import sys
from pathlib import Path
from recueil.load.collection import load_collection
from recueil.printing.book import CompendiumOptions
from recueil.index import build_index
from recueil.printing.pdf import write_pdfs

if __name__ == "__main__":
    index = build_index(load_collection(Path(sys.argv[1])))
    written = write_pdfs(index, CompendiumOptions(base_url="https://exemple.test/recueil/"), Path(sys.argv[2]),
                         cache=Path(sys.argv[3]), themes=False)
    print(written.laid_out, written.reused)
"""


def _cpu_of_ended_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(practices: Path, output: Path, cache: Path) -> tuple[float, float, str, float]:
    """(seconds, peak MB of the process tree, "laid out / reused", CPU seconds) of one fresh process."""
    cpu = _cpu_of_ended_children()
    started = time.perf_counter()
    process = psutil.Popen(
        [sys.executable, "-c", CHILD, str(practices), str(output), str(cache)], stdout=subprocess.PIPE, text=True
    )
    peak = 0
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass  # a worker ended between listing and reading
        time.sleep(0.02)
    elapsed = time.perf_counter() - started
    counts = process.stdout.read().split() if process.stdout else []
    if process.returncode != 0 or len(counts) != 2:
        raise SystemExit(f"the PDF process failed on {practices} (exit {process.returncode})")
    return elapsed, peak / 1e6, f"{counts[0]} / {counts[1]}", _cpu_of_ended_children() - cpu


def edit_one_sheet(folder: Path, run: int) -> None:
    """Add a sentence to the first sheet's last paragraph: its text changes, not its number of pages."""
    sheet = sorted(folder.glob("*.md"))[0]
    sheet.write_text(sheet.read_text(encoding="utf-8").rstrip() + f" Relu pour la mesure {run}.\n", encoding="utf-8")


def pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--count", type=int, default=500, help="synthetic practices (0: the real collection only)")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        synthetic = Path(tmp) / "synthetic"
        if args.count:
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "scripts" / "synthetic_corpus.py"),
                    str(synthetic),
                    "--count",
                    str(args.count),
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        real = Path(tmp) / "practices"
        shutil.copytree(ROOT / "practices", real)  # edited below: never the project's own files
        corpora = [
            ("real collection (practices/)", real, False),
            (f"{args.count} synthetic practices", synthetic, True),
        ][: 2 if args.count else 1]
        for label, folder, has_goal in corpora:
            output = Path(tmp) / "out"
            cold, edited = [], []
            for run in range(args.runs):
                cache = Path(tmp) / "cache"
                shutil.rmtree(cache, ignore_errors=True)
                cold.append(measure(folder, output, cache))
                edit_one_sheet(folder, run)
                edited.append(measure(folder, output, cache))
            for case, runs in (("cold (empty cache)", cold), ("one sheet edited", edited)):
                print(
                    f"{label}, {case}: {[f'{s:.1f} s / {m:.0f} MB / CPU {c:.1f} s' for s, m, _, c in runs]}",
                    file=sys.stderr,
                )
                pdf = output / "recueil.pdf"
                size = f"{pages(pdf)} ({pdf.stat().st_size / 1e6:.1f} MB)"
                rows.append(
                    (
                        label,
                        case,
                        len(list(folder.glob("*.md"))),
                        size,
                        statistics.median(r[0] for r in runs),
                        statistics.median(r[1] for r in runs),
                        runs[-1][2],
                        statistics.median(r[3] for r in runs),
                        has_goal,
                    )
                )
    print(f"Compendium PDF (recueil.pdf), median of {args.runs} runs, {os.cpu_count()} CPU(s)\n")
    print(
        "| corpus | build | sheets | pages (file) | documents laid out / reused | time | CPU time "
        "| memory (peak, all processes) | goal | met |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---|---|")
    for label, case, sheets, page_count, seconds, megabytes, counts, cpu, has_goal in rows:
        goal = f"≤ {GOAL_SECONDS:.0f} s, ≤ {GOAL_MB:.0f} MB" if has_goal else "—"
        met = ("yes" if seconds <= GOAL_SECONDS and megabytes <= GOAL_MB else "no") if has_goal else "—"
        print(
            f"| {label} | {case} | {sheets} | {page_count} | {counts} | {seconds:.1f} s | {cpu:.1f} s "
            f"| {megabytes:.0f} MB | {goal} | {met} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
