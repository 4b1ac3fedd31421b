"""Benchmark the build at several sizes and print Markdown tables; asserts nothing about time.

    python scripts/bench.py [--sizes 100 1000] [--load-sizes 5000] [--memory-sizes 5000] [--serve-sizes 1000]
                            [--runs 3]

For each synthetic corpus: load + validate time, full `mkdocs build` with our hook, and in the same
run two baselines: plain mkdocs-material building the very same pages exported without the hook
(« same pages »), and plain mkdocs-material building the same sheet bodies only (« Material, same
bodies »: one page per sheet with title, summary and body, the same Markdown extensions, a small
nav, search on). Then the ratios, peak memory, site size, HTML per practice page, the largest page
(gzip), the search index and explorer data sizes. `--load-sizes` measures validation alone (cheap
at 5,000). `--memory-sizes`: one full build each, for its peak memory. Last, the rebuild under
`mkdocs serve` after editing one sheet, for the real collection and each of `--serve-sizes`: the
time MkDocs reports, and the wall time from the edit (which adds the watcher's polling). Each figure
is the median of `--runs` runs.
"""

from __future__ import annotations

import argparse
import gzip
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
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


def load_times(practices: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of `load_collection`; CPU time shows what the machine's load adds to the wall time."""
    # A fresh interpreter each time: the in-process cache must not help.
    code = (
        "import time,sys; from pathlib import Path; from recueil.load.collection import load_collection;"
        "t=time.perf_counter(); u=time.process_time(); c=load_collection(Path(sys.argv[1]));"
        "print(time.perf_counter()-t, time.process_time()-u); sys.exit(1 if c.errors else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code, str(practices)], capture_output=True, text=True, check=True)
    wall, cpu = result.stdout.split()
    return float(wall), float(cpu)


def load_time(practices: Path, runs: int) -> tuple[float, float]:
    """Medians of (wall, CPU) over `runs` runs."""
    measured = [load_times(practices) for _ in range(runs)]
    return statistics.median(m[0] for m in measured), statistics.median(m[1] for m in measured)


def material_baseline(practices: Path, out: Path) -> None:
    """Plain mkdocs-material over the same bodies: one page per sheet (title, summary, body), the
    project's Markdown extensions, a small nav, search on; no hook, no generated page."""
    collection = load_collection(practices)
    docs = out / "docs"
    (docs / "pratiques").mkdir(parents=True)
    shutil.copytree(ROOT / "docs" / "includes", docs / "includes")
    (docs / "index.md").write_text("# Accueil\n\nLes pratiques.\n", encoding="utf-8")
    for p in collection.published:
        front = yaml.safe_dump({"title": p.titre, "description": p.resume}, allow_unicode=True, width=10_000)
        (docs / "pratiques" / f"{p.slug}.md").write_text(
            f"---\n{front}---\n\n# {p.titre}\n\n{p.resume}\n\n{p.body}\n", encoding="utf-8"
        )
    own = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    extensions = [e for e in own["markdown_extensions"] if "pymdownx.snippets" not in e]
    extensions.append({"pymdownx.snippets": {"auto_append": [str(docs / "includes" / "abreviations.md")]}})
    config = {
        "site_name": "Baseline",
        "docs_dir": "docs",
        "exclude_docs": "/includes/",
        "theme": {"name": "material", "language": "fr", "font": False},
        "plugins": [{"search": {"lang": "fr"}}],
        "markdown_extensions": extensions,
        "nav": [{"Accueil": "index.md"}],
        "validation": {"nav": {"omitted_files": "ignore"}},
    }
    (out / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")


def largest_gzip_page(site: Path) -> tuple[float, str]:
    """(KB gzip, path) of the largest HTML page of a built site."""
    size, page = max((len(gzip.compress(p.read_bytes(), 6)), p) for p in site.rglob("*.html"))
    return size / 1e3, str(page.relative_to(site))


def folder_size(folder: Path, pattern: str = "*") -> int:
    return sum(p.stat().st_size for p in folder.rglob(pattern) if p.is_file())


def bench_size(count: int, runs: int, work: Path) -> dict[str, float]:
    practices = work / f"corpus-{count}"
    generate(practices, count)
    figures: dict[str, float] = {"practices": count}
    figures["load"], figures["load_cpu"] = load_time(practices, runs)

    config_file = work / f"mkdocs-{count}.yml"
    config_file.write_text(yaml.safe_dump(project_config(practices), allow_unicode=True), encoding="utf-8")
    site = work / f"site-{count}"
    builds = [
        run_measured([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config_file), "-d", str(site)], ROOT)
        for _ in range(runs)
    ]
    figures["build"] = statistics.median(b[0] for b in builds)
    figures["memory"] = max(b[1] for b in builds)

    plain = work / f"plain-{count}"
    collection = load_collection(practices)
    settings = load_settings(ROOT / "mkdocs.yml").with_practices(practices)
    export_tree(ROOT / "mkdocs.yml", generated_files(build_index(collection), settings), plain)
    figures["plain"] = median(lambda: run_measured([sys.executable, "-m", "mkdocs", "build", "-q"], plain)[0], runs)
    figures["ratio"] = figures["build"] / figures["plain"]

    material = work / f"material-{count}"
    material_baseline(practices, material)
    bases = [run_measured([sys.executable, "-m", "mkdocs", "build", "-q"], material) for _ in range(runs)]
    figures["material"] = statistics.median(b[0] for b in bases)
    figures["material_memory"] = max(b[1] for b in bases)
    figures["material_ratio"] = figures["build"] / figures["material"]
    figures["material_search_mb"] = (material / "site" / "search" / "search_index.json").stat().st_size / 1e6

    pages = list((site / "pratiques").glob("*/index.html"))
    figures["site_mb"] = folder_size(site) / 1e6
    figures["page_kb"] = statistics.mean(p.stat().st_size for p in pages) / 1e3
    figures["largest_gz_kb"], largest = largest_gzip_page(site)
    print(f"  largest page at {count}: {largest}", file=sys.stderr)
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
    figures = {
        "autodiag_kb": len(html) / 1e3,
        "autodiag_gz_kb": len(gzip.compress(html, 9)) / 1e3,
        "autodiag_data_kb": (site / "autodiagnostic" / "donnees.json").stat().st_size / 1e3,
    }
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
    print(
        "| practices | self-assessment HTML | gzip | page data | one answer: script | one answer: results "
        "on screen (next frame) | idle frame |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['practices']:,.0f} | {r['autodiag_kb']:.0f} KB | {r['autodiag_gz_kb']:.0f} KB | "
            f"{r['autodiag_data_kb']:.0f} KB | {r['autodiag_handler_ms']:.1f} ms | {r['autodiag_ms']:.1f} ms | "
            f"{r['autodiag_idle_ms']:.1f} ms |"
        )


REBUILD_TIMEOUT = 300.0  # seconds to wait for one log line before giving up


def _lines(stream: object) -> queue.Queue[str]:
    """The lines of a child's stream, read by a thread: waits on them can time out."""
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for line in stream:  # type: ignore[attr-defined]
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def _wait_for(lines: queue.Queue[str], text: str, timeout: float = REBUILD_TIMEOUT) -> str:
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if text in line:
            return line
        seen.append(line)
    last = "".join(seen[-10:])
    raise SystemExit(f"mkdocs serve: no « {text} » within {timeout:.0f} s; its last lines:\n{last}")


def build_memory(count: int, work: Path) -> tuple[float, float]:
    """(seconds, peak MB) of one full build of `count` synthetic practices."""
    practices = work / f"corpus-{count}"
    if not practices.exists():
        generate(practices, count)
    config_file = work / f"mkdocs-{count}.yml"
    config_file.write_text(yaml.safe_dump(project_config(practices), allow_unicode=True), encoding="utf-8")
    site = work / f"site-memory-{count}"
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config_file), "-d", str(site)]
    measured = run_measured(command, ROOT)
    shutil.rmtree(site)
    return measured


def serve_rebuild(runs: int, work: Path, source: Path, name: str, port: int) -> tuple[float, float]:
    """(wall seconds from the edit to the rebuild's log line, seconds MkDocs reports) after one
    sheet is edited under `mkdocs serve`, medians of `runs` edits.

    The collection is copied first: the benchmark never touches a contributor's file.
    """
    practices = work / f"serve-{name}"
    shutil.copytree(source, practices)
    config = project_config(practices)
    config["watch"] = [str(practices)]
    config_file = work / f"mkdocs-serve-{name}.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-f", str(config_file), "-a", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    lines = _lines(process.stderr)
    practice = sorted(practices.glob("*.md"))[len(list(practices.glob("*.md"))) // 2]
    walls: list[float] = []
    reported: list[float] = []
    try:
        _wait_for(lines, "Serving on")
        time.sleep(2.0)  # the watcher's first look at the files: an edit before it would go unseen
        for run in range(runs):
            time.sleep(1.0)  # let the watcher settle
            edited = time.perf_counter()
            with practice.open("a", encoding="utf-8") as handle:
                handle.write(f"\nModification de mesure n° {run}.\n")
            line = _wait_for(lines, "Documentation built in")
            walls.append(time.perf_counter() - edited)
            reported.append(float(line.split("built in")[1].split()[0]))
    finally:
        process.terminate()
        process.wait(timeout=30)
    return statistics.median(walls), statistics.median(reported)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000])
    parser.add_argument("--load-sizes", type=int, nargs="*", default=[5000])
    parser.add_argument("--memory-sizes", type=int, nargs="*", default=[5000])
    parser.add_argument("--serve-sizes", type=int, nargs="*", default=[1000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--autodiagnostic-only",
        action="store_true",
        help="only the self-assessment page's figures (one build per size)",
    )
    args = parser.parse_args()
    if args.autodiagnostic_only:
        with tempfile.TemporaryDirectory(prefix="recueil-bench-") as temporary:
            print_autodiagnostic([autodiagnostic_only(count, Path(temporary)) for count in args.sizes])
        return
    rows = []
    loads: dict[int, tuple[float, float]] = {}
    rebuilds: dict[str, tuple[float, float]] = {}
    memories: dict[int, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory(prefix="recueil-bench-") as temporary:
        work = Path(temporary)
        for count in args.sizes:
            print(f"… {count} practices", file=sys.stderr)
            rows.append(bench_size(count, args.runs, work))
            loads[count] = rows[-1]["load"], rows[-1]["load_cpu"]
        for count in args.load_sizes:
            print(f"… validation of {count} practices", file=sys.stderr)
            generate(work / f"load-{count}", count)
            corpus = work / f"load-{count}"
            loads[count] = load_time(corpus, args.runs)
        for count in args.memory_sizes:
            print(f"… one build of {count} practices (peak memory)", file=sys.stderr)
            memories[count] = build_memory(count, work)
        print("… serve rebuilds", file=sys.stderr)
        rebuilds["real collection"] = serve_rebuild(args.runs, work, ROOT / "practices", "real", 8765)
        for count in args.serve_sizes:
            corpus = work / f"corpus-{count}"
            if not corpus.exists():
                generate(corpus, count)
            rebuilds[f"{count:,}"] = serve_rebuild(args.runs, work, corpus, str(count), 8766)

    print(
        "| practices | load + validate | build (hook) | plain, same pages | Material, same bodies | "
        "ratio to same bodies | ratio to same pages | peak memory (hook / Material) | site | "
        "HTML per practice page | largest page gzip | search index (hook / Material) | explorer data | "
        "explorer data gzip per practice |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['practices']:,.0f} | {r['load']:.2f} s | {r['build']:.1f} s | {r['plain']:.1f} s | "
            f"{r['material']:.1f} s | {r['material_ratio']:.2f} | {r['ratio']:.2f} | "
            f"{r['memory']:.0f} / {r['material_memory']:.0f} MB | {r['site_mb']:.1f} MB | "
            f"{r['page_kb']:.1f} KB | {r['largest_gz_kb']:.0f} KB | "
            f"{r['search_mb']:.2f} / {r['material_search_mb']:.2f} MB | {r['explorer_kb']:.0f} KB | "
            f"{r['explorer_gz_b']:.1f} B |"
        )
    print()
    for count, (wall, cpu) in sorted(loads.items()):
        print(
            f"Validation (`load_collection`, fresh interpreter) of {count:,} practices: {wall:.2f} s "
            f"(CPU time {cpu:.2f} s)"
        )
    for count, (seconds, peak) in sorted(memories.items()):
        print(f"One build of {count:,} practices: {seconds:.0f} s, peak memory {peak:.0f} MB")
    print()
    print("| `mkdocs serve`, one sheet edited | edit → « Documentation built » | build time MkDocs reports |")
    print("|---|---:|---:|")
    for name, (wall, reported) in rebuilds.items():
        print(f"| {name} | {wall:.2f} s | {reported:.2f} s |")
    print()
    print_autodiagnostic(rows)
    by_size = {int(r["practices"]): r for r in rows}
    goals = []
    if 1000 in by_size:
        r = by_size[1000]
        goals.append(
            (
                "build at 1,000 vs Material on the same bodies",
                "≤ 3×",
                f"{r['material_ratio']:.2f}×",
                r["material_ratio"] <= 3,
            )
        )
        goals.append(
            ("largest page at 1,000 (gzip)", "≤ 300 KB", f"{r['largest_gz_kb']:.0f} KB", r["largest_gz_kb"] <= 300)
        )
        goals.append(("search index at 1,000", "≤ 3 MB", f"{r['search_mb']:.2f} MB", r["search_mb"] <= 3))
    if 5000 in loads:
        wall, cpu = loads[5000]
        goals.append(("validation of 5,000 practices", "≤ 2 s", f"{wall:.2f} s (CPU {cpu:.2f} s)", wall <= 2))
    peaks = {count: peak for count, (_, peak) in memories.items()}
    peaks.update({count: r["memory"] for count, r in by_size.items()})
    if 5000 in peaks:
        goals.append(("build memory at 5,000", "≤ 1 GB", f"{peaks[5000]:.0f} MB", peaks[5000] <= 1024))
    # Both figures: MkDocs' own (the rebuild) and the wall time from the edit, which adds the watcher's
    # polling (MkDocs looks for changes every 0.5 s, then waits 0.1 s for more).
    for name, target in (("real collection", 1.0), ("1,000", 3.0)):
        if name in rebuilds:
            wall, reported = rebuilds[name]
            goals.append(
                (
                    f"rebuild after one edit, {name}",
                    f"≤ {target:.0f} s",
                    f"{reported:.2f} s (edit → built: {wall:.2f} s)",
                    reported <= target,
                )
            )
    if rows:
        goals.append(
            (
                "HTML per practice page",
                "≤ 40 KB",
                f"{max(r['page_kb'] for r in rows):.1f} KB",
                max(r["page_kb"] for r in rows) <= 40,
            )
        )
    print()
    print("| goal | target | measured | met |")
    print("|---|---|---|---|")
    for name, target, measured, met in goals:
        print(f"| {name} | {target} | {measured} | {'yes' if met else 'NO'} |")


if __name__ == "__main__":
    main()
