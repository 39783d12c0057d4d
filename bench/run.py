"""The benchmark of issue 6: every measure as a ratio against a floor measured in the same run.

These machines are noisy, so no number here is compared with a number from
another run or another machine: each measure is timed next to its *floor* (the
least any implementation could do for the same work, on the same machine, in
the same run), both as the median of ``--repeat`` repetitions (first chart:
at least ``FIRST_CHART_ROUNDS``), and the ratio
``ours / floor`` is what is checked against the target.

=====================================  ==========================================================  ========
measure                                floor                                                        target
=====================================  ==========================================================  ========
load and validate N figures            ``yaml.load(text, Loader=yaml.CSafeLoader)``, same file       1.5x
first chart, home page                 a bare Streamlit page holding one Altair chart                1.2x
first chart, home page, 10,000 figs    the same bare page                                            1.3x
rerun after a search, catalogue view   a bare page whose one text box reruns and redraws a chart     1.3x
``figures build``, per figure          the same Vega-Lite specs, each drawn once to SVG by           1.3x
                                       vl-convert, that SVG rasterised to PNG (compressed by
                                       Pillow, as the build does) and the narrow spec drawn to SVG,
                                       in a 2-process pool (the cheapest way to make those images)
``figures build`` vs drawing twice     the same, but ``vegalite_to_svg`` and ``vegalite_to_png``     none
                                       each drawing the spec (the floor as first defined)
whole home page drawn, 10,000 figs     the same bare page                                            none
publish: unchanged rebuild, 1,000      a full build of the same catalogue (new folder, empty cache)  0.1x
publish: one figure changed, 1,000     the same full build                                           0.2x
publish: site bytes per figure, 1,000  the budget, 200 kB a figure (not a measurement)               1.0x
publish: first chart, figure page      a plain HTML page holding only the same ``chart.svg``         1.2x
publish: ``figures publish``, 1,000    loading the same catalogue (``figures.loader.load``)          none
publish: unchanged rebuild, versions   a full build with every figure's version 1 folder too        0.1x
peak memory: server with 10,000 figs   the bare chart page's server                                  none
peak memory: ``figures check`` 50,000  ``yaml.load`` of the same file with CSafeLoader               none
check against archived texts, 10,000   the same load without the proof (``prove=False``), the texts  1.2x
                                       still read; 500 texts, one per story, 3.7 MB
=====================================  ==========================================================  ========

Browser times are taken inside the page (``performance.now()``): first chart is
from navigation start to the first ``[data-testid="stVegaLiteChart"] svg|canvas``
in the DOM, in a fresh browser context against a server that is already warm;
a rerun is from the Enter key in the search box to the moment the script is
``notRunning`` again with the result count (or the bare page's caption) updated.
Floor and ours are measured in turn, round after round (not all of one, then
all of the other), so a change in the machine's load hits both alike. Each
server is started once and warmed with one load; between two page loads the
benchmark waits until the server's CPU is idle, so a script still running for
an old page never slows the next one. "Whole home page drawn" (no target) is
the time until the script is idle and every chart on the page has drawn.
First chart takes at least ``FIRST_CHART_ROUNDS`` rounds: single loads of the
bare page ranged from 1.40 s to 2.15 s here, and with 5 rounds the ratio of the
same code ranged from 1.16x to 1.51x between runs (``bench/RESULTS.md``).

Publishing (``--publish-n``, default 1,000 figures) calls ``build_site`` in
this process, the catalogue loaded and the modules imported, ``jobs=2``, with
a ``base_url`` so every file of a published site is written. A full build goes
into a new folder with an empty cache; then the same catalogue is rebuilt
into the same folder and cache (unchanged), and one claim's value of one
figure is changed with ``dataclasses.replace`` (no loading timed on either
side) and rebuilt, ``PUBLISH_REBUILDS`` times each in turn; all of it
``PUBLISH_FULL_BUILDS`` times at most (a full build of 1,000 figures takes
over a minute). Every build starts after ``os.sync()``, so the previous
build's writes are not flushed on its clock. Site bytes are the sizes of all
files of the first full build (shared assets and top files included) over N.
A figure page's first chart is from navigation start (``file://``, a fresh
context, figures across the catalogue) until its ``#chart svg`` is in the DOM
(a MutationObserver) and two ``requestAnimationFrame`` callbacks later, so a
frame was painted after it; the plain page is timed the same way, at least
``FIRST_PAINT_ROUNDS`` rounds in a full run.

Usage (from the repository root)::

    python bench/run.py             # the full run: N = 1,000 / 10,000 / 50,000, 5 repetitions (about 11 minutes, and 4 to 6 more for publish)
    python bench/run.py --repeat 3  # fewer repetitions (first chart keeps its 11 rounds)
    python bench/run.py --quick     # the smoke run: small N, 1 repetition, under a minute
    python bench/run.py --skip load,build   # leave sections out (load, browser, build, publish, memory, texts)
    python bench/run.py --skip load,browser,build,memory   # publishing only (--publish-n to change its N)

Each measure prints one line: name, N, floor median, ours median, ratio,
target and OK or OVER (``info`` where there is no target). The exit status is 0
even when a target is missed: the numbers are the result.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
for _path in (str(ROOT), str(BENCH)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

CHART_DRAWN = '[data-testid="stVegaLiteChart"] svg, [data-testid="stVegaLiteChart"] canvas'
EXCEPTION = '[data-testid="stException"]'
VIEWPORT = {"width": 1280, "height": 900}

FIRST_CHART_JS = """(() => {
  const drawn = '[data-testid="stVegaLiteChart"] svg, [data-testid="stVegaLiteChart"] canvas';
  const check = () => {
    if (window.__firstChart !== undefined) return;
    if (document.querySelector(drawn)) { window.__firstChart = performance.now(); observer.disconnect(); }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, {childList: true, subtree: true});
})();"""
"""Injected before any page script: records when the first chart's svg or canvas enters the DOM."""

ARM_RERUN_JS = """([inputLabel, captionPattern, before]) => {
  window.__rerunStart = undefined; window.__rerunDone = undefined;
  const pattern = new RegExp(captionPattern);
  window.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && window.__rerunStart === undefined) window.__rerunStart = performance.now();
  }, {capture: true, once: true});
  const done = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.dataset.testScriptState !== 'notRunning' || window.__rerunStart === undefined) return false;
    const caption = [...document.querySelectorAll('[data-testid="stCaptionContainer"]')].map(c => c.textContent).find(t => pattern.test(t));
    return caption !== undefined && caption !== before;
  };
  const observer = new MutationObserver(() => {
    if (window.__rerunDone === undefined && done()) { window.__rerunDone = performance.now(); observer.disconnect(); }
  });
  observer.observe(document.body, {childList: true, subtree: true, attributes: true, characterData: true});
}"""
"""Arms one rerun measurement: start at the Enter key, stop when the script is idle and the caption changed."""

BARE_CAPTION = r"characters:"
"""The bare rerun page's caption, which changes with every search."""
COUNT_CAPTION = r"\bof \d[\d,]* figures"
"""The catalogue view's result count caption: ``123 of 10000 figures``."""

CAPTION_JS = """(pattern) => {
  const re = new RegExp(pattern);
  return [...document.querySelectorAll('[data-testid="stCaptionContainer"]')].map(c => c.textContent).find(t => re.test(t)) ?? null;
}"""

BARE_CHART_APP = '''\
"""The floor of time to first chart: a bare Streamlit page holding one Altair chart."""
import altair as alt
import pandas as pd
import streamlit as st

data = pd.DataFrame({"claimant": ["A", "B", "C"], "value": [900, 119, 450]})
st.altair_chart(alt.Chart(data, title="One chart").mark_bar().encode(x="value:Q", y="claimant:N"), theme=None, width="stretch")
'''

BARE_RERUN_APP = '''\
"""The floor of a rerun: one text box whose change reruns the script and redraws a chart."""
import altair as alt
import pandas as pd
import streamlit as st

query = st.text_input("Search")
st.caption(f"{len(query)} characters: {query}")
data = pd.DataFrame({"claimant": ["A", "B", "C"], "value": [900 + len(query), 119, 450]})
st.altair_chart(alt.Chart(data, title=f"Results for {query}").mark_bar().encode(x="value:Q", y="claimant:N"), theme=None, width="stretch")
'''


# -- results ------------------------------------------------------------------------------------

@dataclass
class Result:
    name: str
    n: int | None
    floor: float | None
    ours: float | None
    target: float | None
    unit: str = "s"
    note: str = ""
    lower_bound: bool = False
    """True when ``ours`` hit a time cap: the real value (and ratio) is higher."""

    @property
    def ratio(self) -> float | None:
        if self.floor is None or self.ours is None or self.floor <= 0:
            return None
        return self.ours / self.floor

    @property
    def verdict(self) -> str:
        if self.target is None:
            return "info"
        return "OK" if self.ratio <= self.target else "OVER"

    def line(self) -> str:
        n = f"N={self.n}" if self.n is not None else "N=-"
        target = f"<= {self.target:.2f}x" if self.target is not None else "-"
        note = f"  ({self.note})" if self.note else ""
        more = ">" if self.lower_bound else " "
        return (f"{self.name:<38} {n:<8} floor {_fmt(self.floor, self.unit):>10}   ours {more}{_fmt(self.ours, self.unit):>9}   "
                f"ratio {more}{self.ratio:5.2f}x   target {target:<8} {self.verdict}{note}")


def _fmt(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
    return f"{value:.0f} {unit}"


class Report:
    def __init__(self) -> None:
        self.results: list[Result] = []

    def add(self, result: Result) -> None:
        self.results.append(result)
        print(result.line(), flush=True)

    def summary(self) -> str:
        return "\n".join(r.line() for r in self.results)


_T0 = time.perf_counter()


def log(message: str) -> None:
    print(f"  .. [{time.perf_counter() - _T0:6.1f} s] {message}", file=sys.stderr, flush=True)


def median_pair(floor: Callable[[], float], ours: Callable[[], float], repeat: int) -> tuple[float, float, list[float], list[float]]:
    """Alternate floor and ours ``repeat`` times (swapping who goes first), return both medians and the samples."""
    floors, ourses = [], []
    for i in range(repeat):
        order = ((floors, floor), (ourses, ours)) if i % 2 == 0 else ((ourses, ours), (floors, floor))
        for bucket, fn in order:
            gc.collect()
            bucket.append(fn())
    return statistics.median(floors), statistics.median(ourses), floors, ourses


# -- catalogues -----------------------------------------------------------------------------------

def catalogue_file(work: Path, n: int) -> Path:
    from generate import generate

    path = work / f"figures-{n}.yaml"
    if not path.exists():
        started = time.perf_counter()
        path.write_text(generate(n, seed=0), encoding="utf-8")
        log(f"generated {n:,} figures ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s")
    return path


# -- 1. load and validate ---------------------------------------------------------------------------

def bench_load(report: Report, work: Path, sizes: list[int], repeat: int) -> None:
    import yaml

    from figures.loader import load

    load(ROOT / "data" / "figures.yaml")  # warm: the pint registry and the imports
    for n in sizes:
        path = catalogue_file(work, n)

        def floor(path: Path = path) -> float:
            started = time.perf_counter()
            text = path.read_text(encoding="utf-8")
            yaml.load(text, Loader=yaml.CSafeLoader)  # noqa: S506 - CSafeLoader is the safe C loader
            return time.perf_counter() - started

        def ours(path: Path = path, n: int = n) -> float:
            started = time.perf_counter()
            catalogue = load(path)
            took = time.perf_counter() - started
            if catalogue.problems or len(catalogue.figures) != n:
                raise RuntimeError(f"the generated catalogue of {n} figures does not load cleanly: {catalogue.problems[:3]}")
            return took

        f, o, fs, os_ = median_pair(floor, ours, repeat)
        report.add(Result("load and validate", n, f, o, 1.5))


def catalogue_with_texts(work: Path, n: int) -> Path:
    """The generated catalogue of ``n`` figures with an archived text per story: its figures' quotes, one a paragraph."""
    import yaml

    path = work / f"figures-{n}-texts.yaml"
    if path.exists():
        return path
    text = catalogue_file(work, n).read_text(encoding="utf-8")
    data = yaml.load(text, Loader=yaml.CSafeLoader)  # noqa: S506 - CSafeLoader is the safe C loader
    quotes: dict[str, list[str]] = {story: [] for story in data["stories"]}
    for figure in data["figures"]:
        for claim in figure["claims"]:
            if claim["quote"] not in quotes[figure["story"]]:
                quotes[figure["story"]].append(claim["quote"])
    (work / "texts").mkdir(exist_ok=True)
    for story, paragraphs in quotes.items():
        (work / "texts" / f"{story}.txt").write_text("The story as published.\n" + "\n".join(paragraphs) + "\n", encoding="utf-8")
        text = text.replace(f"\n  {story}:\n", f"\n  {story}:\n    text: texts/{story}.txt\n", 1)
    path.write_text(text, encoding="utf-8")
    return path


def bench_texts(report: Report, work: Path, n: int, repeat: int) -> None:
    """``figures check`` with every claim proved against its story's archived text, against the same load without the proof."""
    from figures.loader import load

    path = catalogue_with_texts(work, n)
    load(ROOT / "data" / "figures.yaml")  # warm: the pint registry and the imports
    found = load(path)
    if found.problems or len(found.figures) != n:
        raise RuntimeError(f"the catalogue with texts does not load cleanly: {found.problems[:3]}")
    checked = sum(1 for f in found.figures for c in f.claims if c.checked)

    def timed(prove: bool) -> float:
        started = time.perf_counter()
        load(path, prove=prove)
        return time.perf_counter() - started

    f, o, _, _ = median_pair(lambda: timed(False), lambda: timed(True), repeat)
    report.add(Result("check with archived texts vs without the proof", n, f, o, 1.2,
                      note=f"{checked:,} of {found.claim_count:,} quotes found in {len(found.texts):,} texts; {len(found.warnings):,} warnings"))


# -- servers ------------------------------------------------------------------------------------------

def start_bare(script: Path) -> object:
    """Start a bare Streamlit script, in its own folder with Streamlit's defaults, as the tests start the app."""
    from tests.browser.conftest import start_server

    return start_server(script=script, log_dir=script.parent)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_idle(pid: int, quiet: float = 0.4, timeout: float = 120) -> None:
    """Wait until the process has used (almost) no CPU for ``quiet`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = cpu_seconds(pid)
        time.sleep(quiet)
        if cpu_seconds(pid) - before < 0.02:
            return
    log(f"process {pid} still busy after {timeout:.0f} s")


def peak_rss_mb(pid: int) -> float:
    """VmHWM (peak resident set) of a running process, in MB."""
    match = re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    return int(match.group(1)) / 1024


# -- 2. time to first chart --------------------------------------------------------------------------

FIRST_CHART_ROUNDS = 11
"""The fewest rounds of first-chart loads in a full run (see the module docstring)."""

def first_chart(browser, url: str, pid: int, timeout_ms: float = 120_000) -> float:
    """Seconds from navigation start to the first chart drawn, in a fresh browser context."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        context.add_init_script(FIRST_CHART_JS)
        page = context.new_page()
        page.goto(url, wait_until="commit", timeout=timeout_ms)
        page.wait_for_function(f"window.__firstChart !== undefined || document.querySelector({EXCEPTION!r})", timeout=timeout_ms)
        fail_on_exception(page, url)
        took = page.evaluate("window.__firstChart") / 1000
    finally:
        context.close()
    wait_idle(pid)
    return took


def fail_on_exception(page, url: str) -> None:
    """Stop the benchmark with the app's own error when the page shows a Streamlit exception."""
    shown = page.locator(EXCEPTION)
    if shown.count():
        raise RuntimeError(f"{url} shows an exception instead of the page: {shown.first.inner_text()[:1500]}")


def interleaved(measure: Callable[[str], float | None], keys: list[str], repeat: int, warm: bool = True) -> dict[str, list]:
    """Warm each key once, then measure every key in turn, ``repeat`` rounds, so drift in the machine's load hits all alike."""
    for key in keys if warm else ():
        measure(key)
    samples: dict[str, list] = {key: [] for key in keys}
    for _ in range(repeat):
        for key in keys:
            samples[key].append(measure(key))
    return samples


# -- 3. rerun after a filter change --------------------------------------------------------------------

def search_cycle(catalogue_path: Path, count: int) -> list[str]:
    """Search words whose consecutive result counts differ, so each rerun changes the count caption."""
    from figures.loader import load

    catalogue = load(catalogue_path)
    texts = [" ".join([f.id, f.title, f.description or "", *f.topics, *(c.claimant for c in f.claims), *(c.quote for c in f.claims)]).casefold()
             for f in catalogue.figures]
    candidates = ["missile", "kabul", "humvees", "aid agencies", "per cent", "tanks", "crimea", "drones", "billion", "oryx", "siege", "rifles"]
    counts = {w: sum(w in t for t in texts) for w in candidates}
    usable = [w for w in candidates if counts[w] > 0]
    cycle: list[str] = []
    previous = len(texts)  # the first search starts from the unfiltered list
    while len(cycle) < count:
        word = next((w for w in usable if counts[w] != previous and (not cycle or w != cycle[-1])), None)
        if word is None:
            raise RuntimeError("no search words with distinct result counts")
        usable.remove(word)
        usable.append(word)  # round robin
        cycle.append(word)
        previous = counts[word]
    return cycle


def rerun(page, input_label: str, query: str, caption_pattern: str, timeout_ms: float = 120_000) -> float:
    """Type ``query`` into the text box, press Enter and time the rerun inside the page."""
    before = page.evaluate(CAPTION_JS, caption_pattern)
    box = page.get_by_label(input_label)
    box.fill(query)
    page.evaluate(ARM_RERUN_JS, [input_label, caption_pattern, before])
    box.press("Enter")
    page.wait_for_function(f"window.__rerunDone !== undefined || document.querySelector({EXCEPTION!r})", timeout=timeout_ms)
    fail_on_exception(page, page.url)
    return page.evaluate("(window.__rerunDone - window.__rerunStart) / 1000")


def open_rerun_page(browser, url: str, caption_pattern: str):
    """A fresh context on ``url``, loaded until the script is idle and the caption to watch is shown."""
    from tests.browser.conftest import wait_for_app

    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(url, timeout=120_000)
    wait_for_app(page, 0, timeout=120_000)
    fail_on_exception(page, url)
    page.wait_for_function(CAPTION_JS, arg=caption_pattern, timeout=120_000)
    return context, page


def home_complete(browser, url: str, pid: int, cap: float) -> tuple[float | None, int]:
    """Seconds from navigation start until the whole page is drawn (script idle, every chart drawn), or None past ``cap``; and the charts drawn."""
    from tests.browser.conftest import wait_for_app

    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto(url, wait_until="commit", timeout=cap * 1000)
        try:
            wait_for_app(page, 1, timeout=cap * 1000)
            took = page.evaluate("performance.now()") / 1000
        except Exception:  # noqa: BLE001 - Playwright's TimeoutError: the page did not finish within the cap
            took = None
        fail_on_exception(page, url)
        drawn = page.locator(CHART_DRAWN).count()
    finally:
        context.close()
    wait_idle(pid)
    return took, drawn


def start_all(starters: list[Callable[[], object]]) -> list[object]:
    """Start several servers at once (each waits for its own health check)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(len(starters)) as pool:
        futures = [pool.submit(fn) for fn in starters]
    servers, errors = [], []
    for future in futures:
        try:
            servers.append(future.result())
        except Exception as err:  # noqa: BLE001 - stop the others, then raise the first error
            errors.append(err)
    if errors:
        for server in servers:
            server.stop()
        raise errors[0]
    return servers


def bench_browser(report: Report, work: Path, big_n: int, repeat: int, memory: bool, quick: bool) -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, start_server

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: install Debian's chromium (bash scripts/test.sh does)")
    big = catalogue_file(work, big_n)
    apps = work / "bare"
    apps.mkdir(exist_ok=True)
    (apps / "chart.py").write_text(BARE_CHART_APP, encoding="utf-8")
    (apps / "rerun.py").write_text(BARE_RERUN_APP, encoding="utf-8")
    starters = [lambda: start_bare(apps / "chart.py"), lambda: start_bare(apps / "rerun.py"), lambda: start_server(big)]
    if not quick:  # the quick run draws the home page of the generated catalogue only
        starters.append(lambda: start_server(ROOT / "data" / "figures.yaml"))
    servers = start_all(starters)
    bare, bare_rerun, large = servers[:3]
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                targets = {"bare": bare, "large": large}
                if not quick:
                    targets["home"] = servers[3]

                def first(key: str) -> float:
                    return first_chart(browser, targets[key].url + "/", targets[key].process.pid)

                rounds = repeat if quick else max(repeat, FIRST_CHART_ROUNDS)
                log(f"time to first chart: the bare page and the home page, in turn, {rounds} rounds")
                firsts = interleaved(first, list(targets), rounds)
                floor = statistics.median(firsts["bare"])
                rounds_note = f"medians of {rounds}" if rounds != repeat else ""
                if not quick:
                    report.add(Result("first chart, home", _figure_count(ROOT / "data" / "figures.yaml"), floor, statistics.median(firsts["home"]), 1.2, note=rounds_note))
                report.add(Result("first chart, home", big_n, floor, statistics.median(firsts["large"]), 1.3, note=rounds_note))

                cap = 20.0 if quick else 60.0
                drawn: list[int] = []

                def whole(key: str) -> float | None:
                    took, charts = home_complete(browser, targets[key].url + "/", targets[key].process.pid, cap)
                    if key == "large":
                        drawn.append(charts)
                    return took

                log(f"whole page drawn (each load at most {cap:.0f} s): the bare page and the home page, in turn")
                wholes = interleaved(whole, ["bare", "large"], repeat, warm=False)  # both servers are warm already
                home_done = wholes["large"]
                note = f"{max(drawn)} charts on the page"
                if None in home_done:
                    note = f"{home_done.count(None)} of {repeat} loads not finished after {cap:.0f} s ({max(drawn)} charts drawn); the ratio is a lower bound"
                report.add(Result("whole home page drawn", big_n, statistics.median(t for t in wholes["bare"] if t is not None),
                                  statistics.median(cap if t is None else t for t in home_done), None, note=note, lower_bound=None in home_done))

                log("rerun after a search: the bare page and the catalogue view, in turn, each on one open page")
                queries = search_cycle(big, repeat + 1)
                pages = {
                    "bare": (*open_rerun_page(browser, bare_rerun.url + "/", BARE_CAPTION), "Search", BARE_CAPTION, bare_rerun.process.pid),
                    "ours": (*open_rerun_page(browser, large.url + "/?view=catalogue", COUNT_CAPTION), "Search figures", COUNT_CAPTION, large.process.pid),
                }
                try:
                    reruns: dict[str, list[float]] = {"bare": [], "ours": []}
                    for round_, query in enumerate(queries):
                        for key, (_, page, label, pattern, pid) in pages.items():
                            wait_idle(pid, quiet=0.3)
                            took = rerun(page, label, query, pattern)
                            if round_:  # the first round warms the cache
                                reruns[key].append(took)
                finally:
                    for context, *_ in pages.values():
                        context.close()
                report.add(Result("rerun after search, catalogue view", big_n, statistics.median(reruns["bare"]), statistics.median(reruns["ours"]), 1.3))
            finally:
                browser.close()
        if memory:
            report.add(Result("peak memory, server", big_n, peak_rss_mb(bare.process.pid), peak_rss_mb(large.process.pid),
                              None, unit="MB", note="VmHWM after the home page and the catalogue view; floor: the bare chart page's server"))
    finally:
        for server in servers:
            server.stop()


def _figure_count(path: Path) -> int:
    from figures.loader import load

    return len(load(path).figures)


# -- 4. figures build -----------------------------------------------------------------------------------

def _recompressed(png: bytes) -> bytes:
    """The PNG written again by Pillow at zlib's default level, as the build writes it (the same pixels, a third of the bytes)."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        out = io.BytesIO()
        image.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def _convert(specs: tuple[dict, dict], scale: float) -> int:
    """The floor's work for one figure: the wide spec drawn once as SVG, that drawing rasterised and compressed as the
    PNG, and the narrow spec (the phone's drawing the pages hold) drawn as SVG; nothing else.

    This is the cheapest way vl-convert has to make the images the build makes
    (the PNG from the SVG is the same picture as ``vegalite_to_png`` and half
    the time), so the build gets no credit for drawing once where the floor
    would draw twice.
    """
    import vl_convert

    wide, narrow = specs
    svg = vl_convert.vegalite_to_svg(wide)
    png = _recompressed(vl_convert.svg_to_png(svg, scale=scale))
    return len(svg) + len(png) + len(vl_convert.vegalite_to_svg(narrow))


def _convert_twice(specs: tuple[dict, dict], scale: float) -> int:
    """The floor as the issue first put it: ``vegalite_to_svg`` and ``vegalite_to_png``, each drawing the spec (info only);
    the PNG compressed and the narrow SVG drawn as in :func:`_convert`."""
    import vl_convert

    wide, narrow = specs
    png = _recompressed(vl_convert.vegalite_to_png(wide, scale=scale))
    return len(vl_convert.vegalite_to_svg(wide)) + len(png) + len(vl_convert.vegalite_to_svg(narrow))


def bench_build(report: Report, work: Path, n: int, repeat: int) -> None:
    from figures import exports, images
    from figures.build import build_site
    from figures.loader import load

    catalogue = load(catalogue_file(work, n))
    specs = [(exports.chart_spec(catalogue, figure), exports.chart_spec(catalogue, figure, width=exports.NARROW_WIDTH))
             for figure in catalogue.figures]
    scale = images.PNG_SCALE
    jobs = 2
    utilisation: dict[str, list[float]] = {"floor": [], "twice": [], "ours": []}

    def timed(kind: str, work_fn: Callable[[], None]) -> float:
        cpu_before = _cpu_all()
        started = time.perf_counter()
        work_fn()
        wall = time.perf_counter() - started
        utilisation[kind].append((_cpu_all() - cpu_before) / wall / jobs)
        return wall / n

    def converting(kind: str, convert: Callable[[dict, float], int]) -> Callable[[], float]:
        def run() -> None:
            with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
                sizes = list(pool.map(convert, specs, [scale] * len(specs)))
            assert all(sizes)
        return lambda: timed(kind, run)

    def ours() -> float:
        out = Path(tempfile.mkdtemp(prefix="site-", dir=work))

        def run() -> None:
            build_site(catalogue, out, jobs=jobs, progress=False)

        try:
            return timed("ours", run)
        finally:
            shutil.rmtree(out, ignore_errors=True)

    runs = {"floor": converting("floor", _convert), "twice": converting("twice", _convert_twice), "ours": ours}

    def measure(kind: str) -> float:
        gc.collect()
        return runs[kind]()

    samples = interleaved(measure, list(runs), repeat, warm=False)  # each run starts its own pool: nothing to warm
    f, twice, o = (statistics.median(samples[kind]) for kind in ("floor", "twice", "ours"))
    busy = {kind: statistics.median(values) for kind, values in utilisation.items()}
    report.add(Result("figures build, per figure", n, f, o, 1.3,
                      note=f"cores busy: floor {busy['floor']:.0%}, ours {busy['ours']:.0%} of {jobs}"))
    report.add(Result("figures build vs drawing twice", n, twice, o, None,
                      note=f"floor: vegalite_to_svg + vegalite_to_png; cores busy {busy['twice']:.0%} of {jobs}"))


def _cpu_all() -> float:
    """CPU seconds of this process and its finished children."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


# -- 6. publishing: the static site -------------------------------------------------------------------------

PUBLISH_FULL_BUILDS = 2
"""Full builds in the publishing rows, at most (``--repeat`` if lower): one takes 75 to 145 s at N = 1,000 on 2 cores,
and the section must stay within about 6 minutes."""
PUBLISH_REBUILDS = 4
"""Unchanged rebuilds and one-figure changes after each full build, in turn (each 1 to 2 s at N = 1,000)."""
FIRST_PAINT_ROUNDS = 40
"""The fewest rounds of figure-page loads in a full run: single ``file://`` loads of either page ranged from 20 to 600 ms here."""
SITE_BUDGET_KB = 200
"""The size budget of the site per figure, in kB (1,000 bytes), shared assets and top files included."""
PUBLISH_BASE_URL = "https://news.example/figures/"
"""The site's address given to the build, so every file a published site has is there (``oembed.json``, canonical links)."""
SITE_KINDS = ("chart.png", "chart.svg", "index.html", "embed.html", "specs.js", "chart.vl.json", "data.csv", "oembed.json")
"""The files of a figure's folder, in the order the size note lists them."""

CHART_PAINTED_JS = """(() => {
  const check = () => {
    if (window.__chartInDom !== undefined || !document.querySelector('#chart svg')) return;
    window.__chartInDom = performance.now();
    observer.disconnect();
    requestAnimationFrame(() => requestAnimationFrame(() => { window.__chartPainted = performance.now(); }));
  };
  const observer = new MutationObserver(check);
  observer.observe(document, {childList: true, subtree: true});
})();"""
"""Injected before any page script: when the first ``svg`` inside ``#chart`` enters the DOM, and the next frame but one after it."""

PLAIN_PAGE = ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>\n'
              '<body><div id="chart">{svg}</div></body></html>\n')
"""The floor of a figure page's first chart: nothing but the same ``chart.svg`` inline in a div."""


def _with_value_changed(catalogue, figure_index: int, step: int):
    """``catalogue`` with one figure's first numeric claim value raised by ``step``: the data of one figure changed."""
    import dataclasses

    figure = catalogue.figures[figure_index]
    at = next(i for i, c in enumerate(figure.claims) if c.value is not None)
    claims = list(figure.claims)
    claims[at] = dataclasses.replace(claims[at], value=claims[at].value + step)
    figures = list(catalogue.figures)
    figures[figure_index] = dataclasses.replace(figure, claims=tuple(claims))
    return dataclasses.replace(catalogue, figures=tuple(figures))


def site_bytes(site: Path) -> dict[str, list[int]]:
    """The size of every file of a built site, by kind: a figure folder's file name, ``assets`` or ``top <name>``."""
    kinds: dict[str, list[int]] = {}
    for path in site.rglob("*"):
        if path.is_file():
            parts = path.relative_to(site).parts
            kind = "assets" if parts[0] == "assets" else f"top {parts[0]}" if len(parts) == 1 else parts[-1]
            kinds.setdefault(kind, []).append(path.stat().st_size)
    return kinds


def chart_painted(browser, url: str, timeout_ms: float = 60_000) -> tuple[float, float]:
    """Seconds from navigation start to a frame painted after ``#chart svg`` entered the DOM, and to its entering; a fresh context."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        context.add_init_script(CHART_PAINTED_JS)
        page = context.new_page()
        page.goto(url, wait_until="commit", timeout=timeout_ms)
        page.wait_for_function("window.__chartPainted !== undefined", timeout=timeout_ms)
        painted, in_dom = page.evaluate("[window.__chartPainted, window.__chartInDom]")
    finally:
        context.close()
    return painted / 1000, in_dom / 1000


def bench_publish(report: Report, work: Path, n: int, repeat: int, quick: bool) -> None:
    """The static site at newsroom scale: rebuilds against a full build, its bytes, a figure page's first chart."""
    from playwright.sync_api import sync_playwright

    from figures.build import build_site
    from figures.loader import load
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: install Debian's chromium (bash scripts/test.sh does)")
    catalogue = load(catalogue_file(work, n))
    if catalogue.problems or len(catalogue.figures) != n:
        raise RuntimeError(f"the generated catalogue of {n} figures does not load cleanly: {catalogue.problems[:3]}")
    numeric = [i for i, f in enumerate(catalogue.figures) if any(c.value is not None for c in f.claims)]
    top = work / "publish"
    site, store = top / "site", top / "site.cache"
    jobs = 2

    def build(cat) -> float:
        os.sync()  # the last build's (or deletion's) writes reach the disk before the clock starts, not during
        gc.collect()
        started = time.perf_counter()
        build_site(cat, site, jobs=jobs, progress=False, base_url=PUBLISH_BASE_URL, cache_dir=store)
        return time.perf_counter() - started

    full_builds = min(repeat, PUBLISH_FULL_BUILDS)
    fulls: list[float] = []
    unchanged: list[float] = []
    changed: list[float] = []
    sizes: dict[str, list[int]] = {}
    step = 0
    for round_ in range(full_builds):
        shutil.rmtree(site, ignore_errors=True)
        shutil.rmtree(store, ignore_errors=True)
        store.mkdir(parents=True)
        current = catalogue
        log(f"publishing, round {round_ + 1} of {full_builds}: a full build of {n:,} figures, then {PUBLISH_REBUILDS} unchanged rebuilds "
            "and one-figure changes in turn")
        fulls.append(build(current))
        if not sizes:
            sizes = site_bytes(site)
        for _ in range(PUBLISH_REBUILDS):
            unchanged.append(build(current))
            step += 1
            index = numeric[(step * 97) % len(numeric)]  # a different figure each time, across the catalogue
            spec_file = site / catalogue.figures[index].id / "chart.vl.json"
            before = spec_file.read_bytes()
            current = _with_value_changed(current, index, step)
            changed.append(build(current))
            if spec_file.read_bytes() == before:
                raise RuntimeError(f"the changed figure {catalogue.figures[index].id} was not rebuilt")
        log(f"full {fulls[-1]:.1f} s; unchanged {', '.join(f'{t:.2f}' for t in unchanged[-PUBLISH_REBUILDS:])} s; "
            f"one figure changed {', '.join(f'{t:.2f}' for t in changed[-PUBLISH_REBUILDS:])} s")
    full = statistics.median(fulls)
    how = (f"in-process, catalogue loaded and modules imported; jobs={jobs}, base_url given; full: medians of {full_builds}, "
           f"a new folder and an empty cache each; rebuilds: medians of {len(unchanged)}")
    report.add(Result("unchanged rebuild vs full build", n, full, statistics.median(unchanged), 0.1, note=how))
    report.add(Result("one-figure change vs full build", n, full, statistics.median(changed), 0.2,
                      note="one claim's value changed with dataclasses.replace, no loading timed on either side; " + how))

    bench_versions(report, work, n, build, site, store, full_builds)

    total = sum(sum(v) for v in sizes.values())
    per_figure = [f"{kind} {sum(sizes[kind]) / n / 1000:.1f}" for kind in SITE_KINDS if kind in sizes]
    tops = sorted(k for k in sizes if k.startswith("top "))
    note = (f"kB of 1,000 bytes; {sum(len(v) for v in sizes.values()):,} files, {total / 1e6:.1f} MB; per figure: {', '.join(per_figure)}; "
            f"assets {sum(sizes.get('assets', [])) / 1000:.1f} in all ({len(sizes.get('assets', []))} files); "
            f"top files {sum(sum(sizes[k]) for k in tops) / 1000:.1f} in all ({', '.join(k[4:] for k in tops)}); floor: the budget")
    report.add(Result("site bytes per figure", n, float(SITE_BUDGET_KB), total / n / 1000, 1.0, unit="kB", note=note))

    rounds = repeat if quick else max(repeat, FIRST_PAINT_ROUNDS)
    drawn = [f.id for f in catalogue.figures if (site / f.id / "chart.svg").is_file()]
    chosen = drawn[:: max(1, len(drawn) // (rounds + 1))][: rounds + 1]  # the warm-up's and each round's, across the catalogue
    plain = top / "plain"
    for figure_id in chosen:
        (plain / figure_id).mkdir(parents=True, exist_ok=True)
        svg = (site / figure_id / "chart.svg").read_text(encoding="utf-8")
        (plain / figure_id / "plain.html").write_text(PLAIN_PAGE.format(title=figure_id, svg=svg), encoding="utf-8")
    urls = {"plain": [(plain / i / "plain.html").as_uri() for i in chosen], "page": [(site / i / "index.html").as_uri() for i in chosen]}
    loads = {key: 0 for key in urls}
    in_dom: dict[str, list[float]] = {key: [] for key in urls}
    log(f"first chart of a figure page: the plain page and the figure page, in turn, {rounds} rounds over {len(chosen)} figures")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            def measure(key: str) -> float:
                url = urls[key][loads[key] % len(chosen)]  # the same figure for both pages in a round
                loads[key] += 1
                painted, entered = chart_painted(browser, url)
                in_dom[key].append(entered)
                return painted

            painted = interleaved(measure, ["plain", "page"], rounds)
        finally:
            browser.close()
    entered = {key: statistics.median(values[1:] or values) for key, values in in_dom.items()}  # without the warm-up load
    report.add(Result("first chart, figure page vs plain SVG", n, statistics.median(painted["plain"]), statistics.median(painted["page"]), 1.2,
                      note=f"file://, a frame after the SVG entered the DOM (double requestAnimationFrame); medians of {rounds}; "
                           f"SVG in the DOM at {entered['plain'] * 1000:.0f} ms plain, {entered['page'] * 1000:.0f} ms page"))


def bench_versions(report: Report, work: Path, n: int, build: Callable, site: Path, store: Path, full_builds: int) -> None:
    """With every figure published once: ``figures publish`` against loading the catalogue, and the incremental rebuild
    with a version folder (``<id>/v1/``) beside every live one."""
    from figures import versions
    from figures.loader import load
    from figures.model import PartialDate

    folder = work / "publish" / "published"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    path = folder / "figures.yaml"
    path.write_bytes(catalogue_file(work, n).read_bytes())
    started = time.perf_counter()
    loaded = load(path)
    load_time = time.perf_counter() - started
    started = time.perf_counter()
    found, _ = versions.read_record(versions.record_path(path))
    new, problems = versions.publish(loaded, found, PartialDate(2026, 12, 2), str(versions.record_path(path)))
    versions.append(versions.record_path(path), new)
    publish_time = time.perf_counter() - started
    if problems or len(new) != n:
        raise RuntimeError(f"publishing the generated catalogue failed: {problems[:3]}")
    report.add(Result("figures publish (every figure new) vs loading the catalogue", n, load_time, publish_time, None,
                      note=f"in-process, one run each; the record is {versions.record_path(path).stat().st_size / 1e6:.1f} MB"))
    published = load(path)
    fulls, unchanged = [], []
    for round_ in range(full_builds):
        shutil.rmtree(site, ignore_errors=True)
        shutil.rmtree(store, ignore_errors=True)
        store.mkdir(parents=True)
        log(f"versions, round {round_ + 1} of {full_builds}: a full build of {n:,} figures and their version 1, then {PUBLISH_REBUILDS} unchanged rebuilds")
        fulls.append(build(published))
        unchanged.extend(build(published) for _ in range(PUBLISH_REBUILDS))
        log(f"full {fulls[-1]:.1f} s; unchanged {', '.join(f'{t:.2f}' for t in unchanged[-PUBLISH_REBUILDS:])} s")
    if not (site / published.figures[0].id / "v1" / "index.html").is_file():
        raise RuntimeError("the build with versions wrote no version folder")
    report.add(Result("unchanged rebuild vs full build, every figure with a version", n, statistics.median(fulls), statistics.median(unchanged), 0.1,
                      note=f"{2 * n:,} figure folders (live and v1); full: medians of {full_builds}, rebuilds: of {len(unchanged)}"))


# -- 5. peak memory of figures check ----------------------------------------------------------------------

PEAK_WRAPPER = """
import json, os, subprocess, sys, time
started = time.perf_counter()
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(process.pid, 0)
print(json.dumps({"kb": usage.ru_maxrss, "seconds": time.perf_counter() - started, "code": os.waitstatus_to_exitcode(status)}))
"""
"""Runs a command and reports its peak RSS. Linux carries the forking process's high-water mark into a
child's ru_maxrss, so the command is started from this small process, not from the benchmark (hundreds of MB)."""


def peak_of(command: list[str]) -> tuple[float, float, int]:
    """Run ``command``; its peak RSS in MB (ru_maxrss from wait4), wall seconds and exit status."""
    import json

    done = subprocess.run([sys.executable, "-c", PEAK_WRAPPER, *command], cwd=ROOT, capture_output=True, text=True, check=True)
    got = json.loads(done.stdout)
    return got["kb"] / 1024, got["seconds"], got["code"]


def bench_check_memory(report: Report, work: Path, n: int) -> None:
    path = catalogue_file(work, n)
    floor_code = f"import yaml; yaml.load(open({str(path)!r}, encoding='utf-8').read(), Loader=yaml.CSafeLoader)"
    floor_mb, floor_s, floor_rc = peak_of([sys.executable, "-c", floor_code])
    ours_mb, ours_s, ours_rc = peak_of([sys.executable, "-m", "figures", "check", str(path)])
    if floor_rc or ours_rc:
        raise RuntimeError(f"figures check exited {ours_rc}, the floor {floor_rc}")
    report.add(Result("peak memory, figures check", n, floor_mb, ours_mb, None, unit="MB",
                      note=f"ru_maxrss; wall {ours_s:.1f} s vs floor {floor_s:.1f} s"))


# -- main ---------------------------------------------------------------------------------------------------

def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), "?")
    memory = next((line.split(":", 1)[1].strip() for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), "?")
    return f"{os.cpu_count()} cores ({cpu}), {memory} memory, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=textwrap.dedent("Sections: load, browser, build, publish, memory, texts."))
    parser.add_argument("--repeat", type=int, default=5, help="repetitions per measure; the median is reported (default 5; first chart at least 11 in a full run)")
    parser.add_argument("--quick", action="store_true", help="the smoke run: small N, one repetition")
    parser.add_argument("--skip", default="", help="comma-separated sections to leave out: load, browser, build, publish, memory, texts")
    parser.add_argument("--publish-n", type=int, help="figures in the publishing rows' catalogue (default 1,000; 20 with --quick)")
    parser.add_argument("--work", help="folder for generated catalogues and temporary files (default: a new temporary folder)")
    args = parser.parse_args(argv)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = skip - {"load", "browser", "build", "publish", "memory", "texts"}
    if unknown:
        parser.error(f"unknown section(s): {', '.join(sorted(unknown))}")
    if args.quick:
        repeat, sizes, big_n, build_n, publish_n, check_n = 1, [200], 200, 4, 20, 200
    else:
        repeat, sizes, big_n, build_n, publish_n, check_n = max(1, args.repeat), [1_000, 10_000, 50_000], 10_000, 100, 1_000, 50_000
    if args.publish_n is not None:
        if args.publish_n < 1:
            parser.error("--publish-n must be at least 1")
        publish_n = args.publish_n

    print(f"figures benchmark: {machine()}; repeat {repeat}{' (quick)' if args.quick else ''}", flush=True)
    started = time.perf_counter()
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="figures-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    report = Report()
    try:
        if "load" not in skip:
            bench_load(report, work, sizes, repeat)
        if "browser" not in skip:
            bench_browser(report, work, big_n, repeat, memory="memory" not in skip, quick=args.quick)
        if "build" not in skip:
            bench_build(report, work, build_n, repeat)
        if "publish" not in skip:
            bench_publish(report, work, publish_n, repeat, quick=args.quick)
        if "memory" not in skip:
            bench_check_memory(report, work, check_n)
        if "texts" not in skip:
            bench_texts(report, work, big_n, repeat)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    print(f"\nsummary ({time.perf_counter() - started:.0f} s, medians of {repeat} unless a line says otherwise):\n{report.summary()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
