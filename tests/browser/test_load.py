"""Many readers at once: 10 browser sessions together, then 60 one after another, against one server.

Every session must draw every chart of the home page. The server's resident
memory (``VmRSS`` of the ``streamlit`` process) is sampled all along; after
the sessions close it must come back to within 50 MB of where it started.

"Where it started" is the server after one warm-up session: the first run of
the script imports pandas, Altair, pint and the catalogue once for the life of
the process, which is not a per-reader cost. The cold figure (the server
before any page was opened) is recorded too.

The numbers are printed (run pytest with ``-s``) and written to
``test-artifacts/load.json``. The sizes fit the whole suite in 15 minutes on 2
cores, where the browser sessions share the cores with the server; the earlier
20 together and 200 in turn took 665 s of CI alone. Set
``FIGURES_LOAD_CONCURRENT`` and ``FIGURES_LOAD_SEQUENTIAL`` for a bigger run
(README, "Two commands").
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import threading
import time
from pathlib import Path

import pytest

from figures.loader import load
from figures.store import Snapshot
from tests.browser.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, ROOT, STORY_PAGE_SIZE, start_server

pytestmark = [pytest.mark.browser, pytest.mark.load]

DATA = ROOT / "data" / "figures.yaml"
CONCURRENT = int(os.environ.get("FIGURES_LOAD_CONCURRENT", "10"))
SEQUENTIAL = int(os.environ.get("FIGURES_LOAD_SEQUENTIAL", "60"))
MEMORY_SLACK_MB = 50
SESSION_TTL_SECONDS = 5
"""Streamlit keeps a closed session's state for ``server.disconnectedSessionTTL`` (120 s by default) so a
reader can reconnect; the load server uses a short TTL so the test need not wait two minutes for the cleanup."""
SETTLE_SECONDS = SESSION_TTL_SECONDS + 10
MAX_FAILURES_IN_A_ROW = 5
CHART_BOXES = '[data-testid="stVegaLiteChart"]'
FIRST_CHART = f"{CHART_BOXES} svg, {CHART_BOXES} canvas"
ALL_DRAWN = """(n) => {
    const app = document.querySelector('[data-testid="stApp"]');
    const boxes = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')];
    return app && app.dataset.testScriptState === 'notRunning'
        && boxes.length >= n && boxes.every(b => b.querySelector('svg, canvas'));
}"""


def expected_charts() -> int:
    """Charts on the home page (the newest story): one per figure on its first page (side-by-side charts have their own view)."""
    snapshot = Snapshot(load(DATA), (0, 0))
    story = snapshot.stories_newest_first[0]
    return len(snapshot.figures_by_story[story][:STORY_PAGE_SIZE])


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc/<pid>/status, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for pid {pid}")


class RssSampler(threading.Thread):
    """Samples a process's RSS every 0.2 s and keeps the peak."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self._done = pid, rss_mb(pid), threading.Event()

    def run(self) -> None:
        while not self._done.wait(0.2):
            try:
                self.peak = max(self.peak, rss_mb(self.pid))
            except OSError:  # the server has gone; the test reports that
                return

    def stop(self) -> float:
        self._done.set()
        self.join()
        return self.peak


def _in_own_thread(coroutine) -> dict:
    """Run the async load in a thread of its own: the other browser tests' sync Playwright keeps an event loop running here."""
    out: dict = {}

    def target() -> None:
        try:
            out["value"] = asyncio.run(coroutine)
        except BaseException as err:  # re-raised in the test's thread
            out["error"] = err

    thread = threading.Thread(target=target, name="load")
    thread.start()
    thread.join()
    if "error" in out:
        raise out["error"]
    return out["value"]


async def one_session(browser, url: str, charts_expected: int, timeout_ms: float) -> dict:
    """Open the home page in a new context; time to the first chart and to every chart drawn."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = await context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        start = time.perf_counter()
        await page.goto(url, wait_until="commit", timeout=timeout_ms)
        await page.wait_for_selector(FIRST_CHART, timeout=timeout_ms)
        first = time.perf_counter() - start
        await page.wait_for_function(ALL_DRAWN, arg=charts_expected, timeout=timeout_ms)
        done = time.perf_counter() - start
        drawn = await page.locator(FIRST_CHART).count()
        return {"first_chart_s": first, "all_charts_s": done, "charts": drawn, "errors": errors}
    finally:
        await context.close()


async def run_load(url: str, charts_expected: int, sampler: RssSampler, pid: int) -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            warm = await one_session(browser, url, charts_expected, 120_000)
            assert warm["charts"] >= charts_expected, warm
            await asyncio.sleep(2)
            warm_rss = rss_mb(pid)

            started = time.perf_counter()
            together = await asyncio.gather(
                *(one_session(browser, url, charts_expected, 240_000) for _ in range(CONCURRENT)), return_exceptions=True,
            )
            concurrent_s = time.perf_counter() - started
            peak_concurrent = sampler.peak

            print(f"\n{CONCURRENT} sessions at once: {concurrent_s:.1f} s", flush=True)
            started = time.perf_counter()
            in_turn: list = []
            failed_in_a_row = 0
            for i in range(SEQUENTIAL):
                try:
                    in_turn.append(await one_session(browser, url, charts_expected, 60_000))
                    failed_in_a_row = 0
                except Exception as exc:  # noqa: BLE001 - a failed session is counted and reported, not raised
                    in_turn.append(exc)
                    failed_in_a_row += 1
                    if failed_in_a_row >= MAX_FAILURES_IN_A_ROW:
                        break  # the server is down or broken: no point waiting out every remaining timeout
                if (i + 1) % 25 == 0:
                    print(f"{i + 1} sessions in turn: {time.perf_counter() - started:.1f} s, RSS {rss_mb(pid):.0f} MB", flush=True)
            sequential_s = time.perf_counter() - started
        finally:
            await browser.close()
    return {"warm": warm, "warm_rss": warm_rss, "together": together, "in_turn": in_turn,
            "concurrent_s": concurrent_s, "sequential_s": sequential_s, "peak_concurrent": peak_concurrent}


def summary(results: list) -> dict:
    ok = [r for r in results if isinstance(r, dict)]
    firsts = sorted(r["first_chart_s"] for r in ok)
    alls = sorted(r["all_charts_s"] for r in ok)
    return {
        "sessions": len(results),
        "answered": len(ok),
        "failures": [repr(r)[:300] for r in results if not isinstance(r, dict)],
        "first_chart_median_s": round(statistics.median(firsts), 2) if firsts else None,
        "first_chart_worst_s": round(firsts[-1], 2) if firsts else None,
        "all_charts_median_s": round(statistics.median(alls), 2) if alls else None,
        "all_charts_worst_s": round(alls[-1], 2) if alls else None,
    }


def test_many_readers_are_all_answered_and_memory_comes_back():
    test_started = time.perf_counter()
    charts_expected = expected_charts()
    server = start_server(DATA, extra_env={"STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(SESSION_TTL_SECONDS)})
    pid = server.process.pid
    try:
        time.sleep(1)
        cold_rss = rss_mb(pid)
        sampler = RssSampler(pid)
        sampler.start()
        try:
            run = _in_own_thread(run_load(server.url + "/", charts_expected, sampler, pid))
            time.sleep(SETTLE_SECONDS)  # every context is closed; let Streamlit drop the disconnected sessions
            after_rss = rss_mb(pid)
        finally:
            peak_rss = sampler.stop()
        alive = server.process.poll() is None
    finally:
        server.stop()

    report = {
        "charts_per_session": charts_expected,
        "concurrent": {**summary(run["together"]), "wall_s": round(run["concurrent_s"], 1)},
        "sequential": {**summary(run["in_turn"]), "wall_s": round(run["sequential_s"], 1)},
        "rss_mb": {
            "cold": round(cold_rss, 1), "before": round(run["warm_rss"], 1), "peak": round(peak_rss, 1),
            "peak_during_concurrent": round(run["peak_concurrent"], 1), "after": round(after_rss, 1),
        },
        "session_ttl_s": SESSION_TTL_SECONDS,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "test_duration_s": round(time.perf_counter() - test_started, 1),
    }
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "load.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print("\nload test:", json.dumps(report, indent=2))

    assert alive, "the server died under load"
    assert len(run["in_turn"]) == SEQUENTIAL, f"stopped after {len(run['in_turn'])} sessions: {MAX_FAILURES_IN_A_ROW} failed in a row"
    for name, results in (("concurrent", run["together"]), ("sequential", run["in_turn"])):
        bad = [r for r in results if not isinstance(r, dict) or r["charts"] < charts_expected or r["errors"]]
        assert not bad, f"{len(bad)} of {len(results)} {name} sessions did not draw all {charts_expected} charts: {bad[:3]}"
    assert after_rss - run["warm_rss"] <= MEMORY_SLACK_MB, (
        f"server RSS {after_rss:.0f} MB after the sessions closed, {after_rss - run['warm_rss']:.0f} MB above the {run['warm_rss']:.0f} MB it started at"
    )
