"""Benchmark the build at several sizes and print Markdown tables; asserts nothing about time.

    python scripts/bench.py [--sizes 100 1000 5000] [--runs 3]

For each synthetic corpus: load + validate time, full `mkdocs build` with our hook, plain
mkdocs-material building the very same pages exported without the hook, their ratio, site size,
HTML size per practice page, search index and explorer data sizes, peak build memory. Then the
rebuild time under `mkdocs serve` after editing one practice of the real collection. Each figure
is the median of several runs.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from synthetic_corpus import generate  # noqa: E402

from recueil.contribute.plaintree import config_elsewhere, export_tree  # noqa: E402
from recueil.index import build_index  # noqa: E402
from recueil.load.collection import load_collection  # noqa: E402
from recueil.settings import load_settings  # noqa: E402
from recueil.site.explorer import FILTER_PATH  # noqa: E402
from recueil.site.files import generated_files  # noqa: E402

# The PDF has its own benchmark (make bench-pdf): builds here measure the site only.
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "RECUEIL_PDF": "0"}
EXPLORER_DATA = (FILTER_PATH,)


def run_measured(command: list[str], cwd: Path) -> tuple[float, float]:
    """(seconds, peak resident memory in MB) of a child process; fails loudly if it fails."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{process.stderr.read().decode() if process.stderr else ''}")
    return elapsed, usage.ru_maxrss / 1024


def median(measure: Callable[[], float], runs: int) -> float:
    return statistics.median(measure() for _ in range(runs))


def project_config(practices: Path) -> dict[str, object]:
    return config_elsewhere(ROOT, practices)


def load_time(practices: Path) -> float:
    # A fresh interpreter each time: the in-process cache must not help.
    code = ("import time,sys; from pathlib import Path; from recueil.load.collection import load_collection;"
            "t=time.perf_counter(); c=load_collection(Path(sys.argv[1])); print(time.perf_counter()-t);"
            "sys.exit(1 if c.errors else 0)")
    result = subprocess.run([sys.executable, "-c", code, str(practices)], capture_output=True, text=True, check=True)
    return float(result.stdout)


def folder_size(folder: Path, pattern: str = "*") -> int:
    return sum(p.stat().st_size for p in folder.rglob(pattern) if p.is_file())


def bench_size(count: int, runs: int, work: Path) -> dict[str, float]:
    practices = work / f"corpus-{count}"
    generate(practices, count)
    figures: dict[str, float] = {"practices": count}
    figures["load"] = median(lambda: load_time(practices), runs)

    config_file = work / f"mkdocs-{count}.yml"
    config_file.write_text(yaml.safe_dump(project_config(practices), allow_unicode=True), encoding="utf-8")
    site = work / f"site-{count}"
    builds = [run_measured([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config_file), "-d", str(site)],
                           ROOT) for _ in range(runs)]
    figures["build"] = statistics.median(b[0] for b in builds)
    figures["memory"] = max(b[1] for b in builds)

    plain = work / f"plain-{count}"
    collection = load_collection(practices)
    settings = load_settings(ROOT / "mkdocs.yml").with_practices(practices)
    export_tree(ROOT / "mkdocs.yml", generated_files(build_index(collection), settings), plain)
    figures["plain"] = median(lambda: run_measured([sys.executable, "-m", "mkdocs", "build", "-q"], plain)[0], runs)
    figures["ratio"] = figures["build"] / figures["plain"]

    pages = list((site / "pratiques").glob("*/index.html"))
    figures["site_mb"] = folder_size(site) / 1e6
    figures["page_kb"] = statistics.mean(p.stat().st_size for p in pages) / 1e3
    figures["search_mb"] = (site / "search" / "search_index.json").stat().st_size / 1e6
    data = [site / name for name in EXPLORER_DATA if (site / name).exists()]
    figures["explorer_kb"] = sum(p.stat().st_size for p in data) / 1e3 if data else float("nan")
    figures["explorer_gz_b"] = (len(gzip.compress(data[0].read_bytes(), 9)) / count) if data else float("nan")
    figures.update(autodiagnostic_figures(site))
    return figures


# Runs in the self-assessment page: answer questions one after another, timing each change until the next
# frame (grid, plan and the data-resultats attribute recomputed, style and layout included).
MEASURE_ANSWERS = """async (count) => {
  const questions = Array.from(document.querySelectorAll('.rc-ad__question'));
  const values = ['en-cours', 'pas-encore', 'en-place', 'non-concerne'];
  const nextFrame = () => new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const handler = [], frame = [], idle = [];
  for (let n = 0; n < 10; n++) {  // what a frame costs when nothing changed, for comparison
    await nextFrame();
    const t0 = performance.now();
    await nextFrame();
    idle.push(performance.now() - t0);
  }
  for (let n = 0; n < count; n++) {
    const question = questions[(n * 37) % questions.length];
    const radio = question.querySelector('input[value="' + values[n % 4] + '"]');
    await nextFrame();
    const t0 = performance.now();
    radio.click();
    const t1 = performance.now();
    await nextFrame();
    handler.push(t1 - t0);
    frame.push(performance.now() - t0);
  }
  return {handler, frame, idle};
}"""


def autodiagnostic_figures(site: Path, answers: int = 30) -> dict[str, float]:
    """The self-assessment page's HTML size and the median time (ms) from one answer to the updated results."""
    sys.path.insert(0, str(ROOT / "tests"))
    from playwright.sync_api import sync_playwright

    from browser_support import CHROMIUM, CHROMIUM_ARGS, Server

    html = (site / "autodiagnostic" / "index.html").read_bytes()
    figures = {"autodiag_kb": len(html) / 1e3, "autodiag_gz_kb": len(gzip.compress(html, 9)) / 1e3,
               "autodiag_data_kb": (site / "autodiagnostic" / "donnees.json").stat().st_size / 1e3}
    server = Server(site)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(server.url + "autodiagnostic/", timeout=120_000)
            page.wait_for_selector("#rc-ad[data-pret]", timeout=120_000)
            times = page.evaluate(MEASURE_ANSWERS, answers)
            browser.close()
    finally:
        server.close()
    figures["autodiag_handler_ms"] = statistics.median(times["handler"])
    figures["autodiag_ms"] = statistics.median(times["frame"])
    figures["autodiag_idle_ms"] = statistics.median(times["idle"])
    return figures


def autodiagnostic_only(count: int, work: Path) -> dict[str, float]:
    """Build one synthetic site (no plain build, no other figure) and measure the self-assessment page."""
    practices = work / f"corpus-{count}"
    generate(practices, count)
    config_file = work / f"mkdocs-{count}.yml"
    config_file.write_text(yaml.safe_dump(project_config(practices), allow_unicode=True), encoding="utf-8")
    site = work / f"site-{count}"
    run_measured([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config_file), "-d", str(site)], ROOT)
    return {"practices": count, **autodiagnostic_figures(site)}


def print_autodiagnostic(rows: list[dict[str, float]]) -> None:
    print("| practices | self-assessment HTML | gzip | page data | one answer: script | one answer: results "
          "on screen (next frame) | idle frame |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['practices']:,.0f} | {r['autodiag_kb']:.0f} KB | {r['autodiag_gz_kb']:.0f} KB | "
              f"{r['autodiag_data_kb']:.0f} KB | {r['autodiag_handler_ms']:.1f} ms | {r['autodiag_ms']:.1f} ms | "
              f"{r['autodiag_idle_ms']:.1f} ms |")


def serve_rebuild(runs: int, work: Path) -> float:
    """Seconds MkDocs reports for rebuilding the real site after one practice is edited.

    The real collection is copied first: the benchmark never touches a contributor's file.
    """
    practices = work / "serve-practices"
    shutil.copytree(ROOT / "practices", practices)
    config = project_config(practices)
    config["watch"] = [str(practices)]
    config_file = work / "mkdocs-serve.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-f", str(config_file), "-a", "127.0.0.1:8765"],
        cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    assert process.stderr is not None
    practice = practices / "piloter-la-protection-fonctionnelle.md"
    timings: list[float] = []
    try:
        for line in process.stderr:
            if "Serving on" in line:
                break
        for run in range(runs):
            with practice.open("a", encoding="utf-8") as handle:
                handle.write(f"\nModification de mesure n° {run}.\n")
            for line in process.stderr:
                if "Documentation built in" in line:
                    timings.append(float(line.split("built in")[1].split()[0]))
                    break
    finally:
        process.terminate()
        process.wait(timeout=30)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--autodiagnostic-only", action="store_true",
                        help="only the self-assessment page's figures (one build per size)")
    args = parser.parse_args()
    if args.autodiagnostic_only:
        with tempfile.TemporaryDirectory(prefix="recueil-bench-") as temporary:
            print_autodiagnostic([autodiagnostic_only(count, Path(temporary)) for count in args.sizes])
        return
    rows = []
    with tempfile.TemporaryDirectory(prefix="recueil-bench-") as temporary:
        for count in args.sizes:
            print(f"… {count} practices", file=sys.stderr)
            rows.append(bench_size(count, args.runs, Path(temporary)))
        rebuild = serve_rebuild(args.runs, Path(temporary))

    print("| practices | load + validate | build (hook) | plain build | ratio | peak memory | site | "
          "HTML per practice page | search index | explorer data | explorer data gzip per practice |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['practices']:,.0f} | {r['load']:.2f} s | {r['build']:.1f} s | {r['plain']:.1f} s | "
              f"{r['ratio']:.2f} | {r['memory']:.0f} MB | {r['site_mb']:.1f} MB | {r['page_kb']:.1f} KB | "
              f"{r['search_mb']:.2f} MB | {r['explorer_kb']:.0f} KB | {r['explorer_gz_b']:.1f} B |")
    print()
    print_autodiagnostic(rows)
    print()
    print(f"Rebuild under `mkdocs serve` after editing one practice of the real collection: {rebuild:.2f} s "
          f"(median of {args.runs}).")
    by_size = {int(r["practices"]): r for r in rows}
    goals = []
    if 5000 in by_size:
        goals.append(("validation of 5,000 practices", "≤ 1 s", f"{by_size[5000]['load']:.2f} s",
                      by_size[5000]["load"] <= 1))
        goals.append(("build memory at 5,000", "≤ 1 GB", f"{by_size[5000]['memory']:.0f} MB",
                      by_size[5000]["memory"] <= 1024))
    if 1000 in by_size:
        overhead = by_size[1000]["ratio"] - 1
        goals.append(("hook overhead at 1,000", "≤ 10 %", f"{overhead:+.0%}", overhead <= 0.10))
    goals.append(("HTML per practice page", "≤ 40 KB", f"{max(r['page_kb'] for r in rows):.1f} KB",
                  max(r["page_kb"] for r in rows) <= 40))
    goals.append(("rebuild after one edit (real collection)", "≤ 2 s", f"{rebuild:.2f} s", rebuild <= 2))
    print()
    print("| goal | target | measured | met |")
    print("|---|---|---|---|")
    for name, target, measured, met in goals:
        print(f"| {name} | {target} | {measured} | {'yes' if met else 'NO'} |")


if __name__ == "__main__":
    main()
