"""Faults in the catalogue file, seen through a real browser.

* Partial failure: a catalogue with some bad figures still draws every good
  one, and the editors' notice lists each bad one with its ``file:line``.
* File faults while the server runs: the YAML is edited (the new text shows
  after a reload), deleted (the last good catalogue is still served, with a
  "missing" notice), replaced by a truncated half of itself (never served as
  if complete: a notice or the problems are shown), then restored.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from figures.loader import load
from tests.browser.conftest import CHART_DRAWN, ROOT, STORY_PAGE_SIZE, screenshot, start_server, wait_for_app

pytestmark = pytest.mark.browser

DATA = ROOT / "data" / "figures.yaml"
CATALOGUE = load(DATA)
FIGURE_COUNT = len(CATALOGUE.figures)
PROBLEMS_NOTICE = "problem(s) in the catalogue file"


def figure_block(lines: list[str], figure_id: str) -> range:
    """0-based line indexes of one figure's entry, from its ``- id:`` line to the next entry."""
    start = next(i for i, line in enumerate(lines) if re.fullmatch(rf"\s*- id: {re.escape(figure_id)}\s*", line))
    end = next((i for i in range(start + 1, len(lines)) if re.match(r"\s*- id: ", lines[i])), len(lines))
    return range(start, end)


def break_field(lines: list[str], figure_id: str, key: str, replacement: str) -> int:
    """Replace the first ``key:`` line of a figure with ``replacement`` (same indent); return its 1-based line."""
    for i in figure_block(lines, figure_id):
        match = re.match(rf"(\s*-?\s*){key}:", lines[i])
        if match:
            lines[i] = match.group(1) + replacement
            return i + 1
    raise AssertionError(f"{figure_id} has no {key}: line")


def body_text(pg) -> str:
    return pg.inner_text("body")


def load_page(pg, url: str, charts: int) -> str:
    """A fresh session on ``url`` (a reader pressing reload): wait for the script and its charts."""
    pg.goto(url)
    pg.wait_for_selector('[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]', timeout=60_000)
    wait_for_app(pg, charts, timeout=90_000)
    return body_text(pg)


def open_problems(pg) -> str:
    """Open the editors' expander and return the problems it lists."""
    pg.get_by_text("Problems for editors").first.click()
    code = pg.locator('[data-testid="stExpander"] [data-testid="stCode"]').first
    code.wait_for(timeout=30_000)
    return code.inner_text()


# -- partial failure ----------------------------------------------------------------------

BREAKS = [
    ("humvees-left", "qualifier", "qualifer: approximately"),
    ("night-vision-equipment-left", "unit", "unit: pieces of eight $"),
    ("russia-planned-war-length", "source", "source: no-such-source"),
]


def test_bad_figures_are_listed_with_file_and_line_and_every_good_one_is_drawn(tmp_path, page):
    lines = DATA.read_text(encoding="utf-8").split("\n")
    broken_lines = {figure_id: break_field(lines, figure_id, key, new) for figure_id, key, new in BREAKS}
    path = tmp_path / "partly-broken.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    catalogue = load(path)
    good = [f for f in CATALOGUE.figures if f.id not in broken_lines]
    assert [f.id for f in catalogue.figures] == [f.id for f in good], "the loader should skip exactly the broken figures"

    server = start_server(path)
    try:
        pg = page.page
        bodies = []
        for number, start in enumerate(range(0, len(good), STORY_PAGE_SIZE), start=1):
            shown = good[start : start + STORY_PAGE_SIZE]
            bodies.append(load_page(pg, server.url + ("/" if number == 1 else f"/?page={number}"), len(shown)))
            drawn = pg.locator(CHART_DRAWN).count()
            assert drawn == len(shown), f"{drawn} charts for the {len(shown)} good figures of page {number}"
        body = "\n".join(bodies)
        for figure in good:
            assert figure.title in body, f"good figure {figure.id} is not shown"
        for figure_id in broken_lines:
            assert CATALOGUE.figure(figure_id).title not in body, f"broken {figure_id} is shown"
        assert f"{len(catalogue.problems)} {PROBLEMS_NOTICE}" in body
        problems = open_problems(pg)
        for figure_id, line in broken_lines.items():
            assert f"{path.name}:{line}:" in problems, f"{figure_id} (line {line}) is not listed: {problems}"
        assert str(path.parent) not in problems, "editors see the file's name, readers never the server's path"
        assert page.errors == [] and pg.locator('[data-testid="stException"]').count() == 0
        screenshot(pg, "partial-failure")
    finally:
        server.stop()


# -- the file changes under a running server ----------------------------------------------

def test_edit_delete_truncate_and_restore_while_the_server_runs(tmp_path, page):
    path = tmp_path / "figures.yaml"
    shutil.copyfile(DATA, path)
    original = path.read_text(encoding="utf-8")
    edited_figure = CATALOGUE.figures[STORY_PAGE_SIZE - 1]  # the last card of the first page
    old_title = edited_figure.title
    new_title = "A title edited while the app runs"
    assert original.count(f"title: {old_title}\n") == 1
    edited = original.replace(f"title: {old_title}\n", f"title: {new_title}\n")
    server = start_server(path)
    pg = page.page
    try:
        body = load_page(pg, server.url + "/", STORY_PAGE_SIZE)
        assert old_title in body and PROBLEMS_NOTICE not in body

        # an editor saves a change: the next reload shows it
        _save(path, edited)
        body = load_page(pg, server.url + "/", STORY_PAGE_SIZE)
        assert new_title in body and old_title not in body, "the edit is not shown after a reload"

        # the file disappears (a deploy, a bad rename): the last good version is served, with a notice
        path.unlink()
        load_page(pg, server.url + "/", STORY_PAGE_SIZE)
        notice = pg.locator('[data-testid="stAlert"]').filter(has_text="missing")
        try:  # CI (2 busy cores) once read the page before the notice was there: wait for it, then check
            notice.first.wait_for(timeout=30_000)
        except PlaywrightTimeout:
            pass
        body = body_text(pg)
        assert "missing" in body, "no notice that the catalogue file is missing"
        assert new_title in body, "the last good catalogue is not served"
        assert pg.locator('[data-testid="stAlert"]').filter(has_text="missing").count() == 1

        # a half-written file: never served as if it were the whole catalogue
        half = edited.encode("utf-8")[: len(edited.encode("utf-8")) // 2].decode("utf-8", errors="ignore")
        truncated = load(_write_temp(tmp_path, half))
        _save(path, half)
        body = load_page(pg, server.url + "/", 1)
        flagged = PROBLEMS_NOTICE in body or "broken" in body or "changed while it was read" in body
        assert flagged, f"a truncated file ({len(truncated.figures)} of {FIGURE_COUNT} figures) is served with no notice"
        kept = {f.id for f in truncated.figures}
        lost = [f.title for f in CATALOGUE.figures if f.id not in kept and f.id != edited_figure.id]
        assert lost, "the cut should lose some figures"
        if any(title in body for title in lost):  # figures from the lost half can only come from the last good version
            assert "last good version" in body
        screenshot(pg, "truncated-catalogue")

        # the editor saves the whole file again: everything is back, with no notice
        _save(path, original)
        body = load_page(pg, server.url + "/", STORY_PAGE_SIZE)
        assert old_title in body and new_title not in body
        assert PROBLEMS_NOTICE not in body and "missing" not in body and "last good version" not in body
        for figure in CATALOGUE.figures[:STORY_PAGE_SIZE]:
            assert figure.title in body
        assert page.errors == []
    finally:
        server.stop()


def _save(path: Path, text: str) -> None:
    """Write as an editor's save does, then make sure the modification time moves even on coarse clocks."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    if path.stat().st_mtime_ns == before:
        os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


def _write_temp(tmp_path: Path, text: str) -> Path:
    probe = tmp_path / "probe.yaml"
    probe.write_text(text, encoding="utf-8")
    return probe
