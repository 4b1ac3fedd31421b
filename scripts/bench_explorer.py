"""Benchmark the explorer at scale: a synthetic corpus of 5,000 practices, built, served and driven in Chromium.

Measures the time from a facet click to the updated list (median over many clicks) and the gzip size of
the filter data per practice; prints a Markdown table (goal / measured / met). Asserts nothing.
Usage: `.venv/bin/python scripts/bench_explorer.py [--count 5000] [--clicks 40]`.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

from recueil.contribute.plaintree import config_elsewhere

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from browser_support import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (Debian's Chromium, the flags the tests use)

GOAL_CLICK_MS = 50.0
GOAL_BYTES_PER_PRACTICE = 120.0

# Runs in the page: click facet checkboxes one after another (select, then unselect), timing each.
# `handler` ends when the click's synchronous work is done (filter, counts, list replaced, URL pushed);
# `frame` ends in the task after the next animation frame, so style, layout and paint are included.
MEASURE_CLICKS = """async (clicks) => {
  const boxes = Array.from(document.querySelectorAll('#rc-facettes input[type=checkbox]'));
  boxes.forEach(box => box.closest('details').open = true);
  const handler = [], frame = [], shown = [], idle = [];
  const nextFrame = () => new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
  for (let n = 0; n < 10; n++) {  // what a frame costs when nothing changed, for comparison
    await nextFrame();
    const t0 = performance.now();
    await nextFrame();
    idle.push(performance.now() - t0);
  }
  for (let n = 0; n < clicks; n++) {
    const enabled = boxes.filter(box => !box.disabled);
    const box = enabled[(n * 7) % enabled.length];
    await nextFrame();
    const t0 = performance.now();
    box.click();
    const t1 = performance.now();
    await nextFrame();
    const t2 = performance.now();
    handler.push(t1 - t0);
    frame.push(t2 - t0);
    shown.push(document.querySelectorAll('#rc-liste .rc-carte').length);
    if (n % 3 === 2) document.getElementById('rc-effacer').click();
  }
  return {handler, frame, shown, idle};
}"""

MEASURE_TEXT = """async (words) => {
  const input = document.getElementById('rc-texte');
  const times = [];
  for (const word of words) {
    const t0 = performance.now();
    input.value = word;
    input.dispatchEvent(new Event('input', {bubbles: true}));
    times.push(performance.now() - t0);
  }
  return times;
}"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def build_site(work: Path, count: int) -> tuple[Path, float]:
    practices = work / "practices"
    if not practices.is_dir():
        subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "synthetic_corpus.py"), str(practices), "--count", str(count)],
            check=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT / "hooks")},
        )
    config = config_elsewhere(ROOT, practices)
    config_file = work / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    site = work / "site"
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config_file), "-d", str(site)],
        check=True,
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return site, time.perf_counter() - started


def measure(site: Path, clicks: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/pratiques/"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            started = time.perf_counter()
            page.goto(url, timeout=120_000)
            page.wait_for_selector("#rc-filtres:not([hidden])", timeout=120_000)
            ready = time.perf_counter() - started
            clicked = page.evaluate(MEASURE_CLICKS, clicks)
            text = page.evaluate(MEASURE_TEXT, ["a", "ag", "age", "agent", "agent se", "agent securite", "zz", ""])
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    return {"ready": ready, **clicked, "text": text}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--clicks", type=int, default=40)
    parser.add_argument("--work", type=Path, help="keep the corpus and site here, and reuse a site already built")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is missing: run `make system-deps`")
    with tempfile.TemporaryDirectory(prefix="bench-explorer-") as tmp:
        work = args.work or Path(tmp)
        if (work / "site" / "pratiques" / "filtre.json").is_file():
            site, build_seconds = work / "site", float("nan")
        else:
            site, build_seconds = build_site(work, args.count)
        data = (site / "pratiques" / "filtre.json").read_bytes()
        page_html = (site / "pratiques" / "index.html").read_bytes()
        result = measure(site, args.clicks)
    per_practice = len(gzip.compress(data, compresslevel=9)) / args.count
    click_ms = statistics.median(result["handler"])
    frame_ms = statistics.median(result["frame"])
    text_ms = statistics.median(result["text"][1:])  # the first keystroke also folds every card's text once

    def met(value: float, goal: float) -> str:
        return "yes" if value <= goal else "no"

    print(
        f"Explorer benchmark: {args.count} synthetic practices, {args.clicks} facet clicks, Chromium headless "
        f"(build {build_seconds:.0f} s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)\n"
    )
    print("| measure | goal | measured | met |")
    print("|---|---|---|---|")
    print(
        f"| facet click → list updated (median, script work) | ≤ {GOAL_CLICK_MS:.0f} ms | {click_ms:.1f} ms "
        f"| {met(click_ms, GOAL_CLICK_MS)} |"
    )
    print(
        f"| facet click → next frame painted (median) | ≤ {GOAL_CLICK_MS:.0f} ms | {frame_ms:.1f} ms "
        f"| {met(frame_ms, GOAL_CLICK_MS)} |"
    )
    print(f"| a frame with no change (median, for comparison) | — | {statistics.median(result['idle']):.1f} ms | — |")
    print(f"| facet click, slowest of {args.clicks} (script work) | — | {max(result['handler']):.1f} ms | — |")
    print(
        f"| filter data, gzip -9, per practice | ≤ {GOAL_BYTES_PER_PRACTICE:.0f} B | {per_practice:.1f} B "
        f"| {met(per_practice, GOAL_BYTES_PER_PRACTICE)} |"
    )
    print(
        f"| filter data, raw / gzip | — | {len(data) / 1024:.0f} KiB / "
        f"{len(gzip.compress(data, compresslevel=9)) / 1024:.0f} KiB | — |"
    )
    print(f"| free-text keystroke (median; first one {result['text'][0]:.0f} ms) | — | {text_ms:.1f} ms | — |")
    print(
        f"| explorer page HTML (every card, for no-JS readers), raw / gzip | — | {len(page_html) / 1048576:.1f} MiB"
        f" / {len(gzip.compress(page_html)) / 1024:.0f} KiB | — |"
    )
    print(f"| page load → filters ready (local server) | — | {result['ready'] * 1000:.0f} ms | — |")


if __name__ == "__main__":
    main()
