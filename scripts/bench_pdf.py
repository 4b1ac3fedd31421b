"""Benchmark the compendium PDF: wall time and peak memory of a process that writes recueil.pdf.

`python scripts/bench_pdf.py [--runs 3]` measures the real collection (practices/) and 500 synthetic
practices (scripts/synthetic_corpus.py), each in a fresh process (peak RSS read with wait4), and prints
a Markdown table: goal / measured (median of the runs) / met.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 15.0
GOAL_MB = 600.0
# One edition, in this process: what `recueil.pdf` costs, loading and checking the sheets included.
CHILD = """
import sys
from pathlib import Path
from recueil.collection import load_collection
from recueil.compendium import CompendiumOptions, build_compendium
from recueil.index import build_index
from recueil.pdf import render_pdf
index = build_index(load_collection(Path(sys.argv[1])))
edition = build_compendium(index, CompendiumOptions(base_url="https://exemple.test/recueil/"))
pdf = render_pdf(edition)
Path(sys.argv[2]).write_bytes(pdf)
"""


def measure(practices: Path, output: Path) -> tuple[float, float]:
    """(seconds, peak MB) of one fresh process rendering the whole compendium."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", CHILD, str(practices), str(output)])
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"the PDF process failed on {practices} (exit {process.returncode})")
    return elapsed, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--count", type=int, default=500, help="synthetic practices")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        synthetic = Path(tmp) / "synthetic"
        subprocess.run([sys.executable, str(ROOT / "scripts" / "synthetic_corpus.py"), str(synthetic),
                        "--count", str(args.count)], check=True, stdout=subprocess.DEVNULL)
        corpora = [("real collection (practices/)", ROOT / "practices", False),
                   (f"{args.count} synthetic practices", synthetic, True)]
        rows = []
        for label, folder, has_goal in corpora:
            sheets = len(list(folder.glob("*.md")))
            output = Path(tmp) / "recueil.pdf"
            runs = [measure(folder, output) for _ in range(args.runs)]
            seconds = statistics.median(r[0] for r in runs)
            megabytes = statistics.median(r[1] for r in runs)
            print(f"{label}: {[f'{s:.1f} s / {m:.0f} MB' for s, m in runs]}", file=sys.stderr)
            rows.append((label, sheets, pages(output), seconds, megabytes, has_goal))
    print(f"Compendium PDF (recueil.pdf), median of {args.runs} runs, {os.cpu_count()} CPU(s)\n")
    print("| corpus | sheets | pages | goal | time | memory (peak RSS) | met |")
    print("|---|---|---|---|---|---|---|")
    for label, sheets, page_count, seconds, megabytes, has_goal in rows:
        goal = f"≤ {GOAL_SECONDS:.0f} s, ≤ {GOAL_MB:.0f} MB" if has_goal else "—"
        met = ("yes" if seconds <= GOAL_SECONDS and megabytes <= GOAL_MB else "no") if has_goal else "—"
        print(f"| {label} | {sheets} | {page_count} | {goal} | {seconds:.1f} s | {megabytes:.0f} MB | {met} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
