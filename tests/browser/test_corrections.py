"""A corrected figure in a real browser: the app's figure page and card, and the published site's live and archived pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from figures import versions
from figures.build import build_site
from figures.loader import load
from figures.model import PartialDate
from tests.browser.conftest import CHART_DRAWN, ROOT, screenshot, start_server, wait_for_app

pytestmark = pytest.mark.browser

NOTE = "The count was entered as 23,825; this correction is a test of how readers see one."


@pytest.fixture(scope="module")
def corrected(tmp_path_factory) -> Path:
    """The seed, published once, then humvees-left corrected and published as version 2."""
    folder = tmp_path_factory.mktemp("corrected")
    path = folder / "figures.yaml"
    text = (ROOT / "data" / "figures.yaml").read_text(encoding="utf-8")
    start = text.index("  - id: humvees-left")
    claims = text.index("    claims:", start)
    path.write_text(text[:claims] + f'    corrections:\n      - date: 2026-12-03\n        note: "{NOTE}"\n' + text[claims:], encoding="utf-8")
    (folder / "figures.published.jsonl").write_bytes((ROOT / "data" / "figures.published.jsonl").read_bytes())
    catalogue = load(path)
    found, problems = versions.read_record(versions.record_path(path))
    new, problems = versions.publish(catalogue, found, PartialDate(2026, 12, 3), "")
    assert problems == [] and [(v.figure, v.number) for v in new] == [("humvees-left", 2)]
    versions.append(versions.record_path(path), new)
    return path


@pytest.fixture(scope="module")
def app(corrected) -> Iterator[str]:
    server = start_server(corrected)
    yield server.url
    server.stop()


def test_the_app_shows_a_correction_with_its_date_above_the_chart(app, browser):
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    page.goto(f"{app}/?figure=humvees-left")
    wait_for_app(page, 1)

    notice = page.get_by_text(f"Corrected 3 December 2026: {NOTE}")
    notice.wait_for(timeout=30_000)

    chart = page.locator(CHART_DRAWN).first.bounding_box()
    assert notice.bounding_box()["y"] < chart["y"]
    assert page.get_by_text("Last updated 3 December 2026 (version 2)").count() == 1
    screenshot(page, "app-corrected-figure")
    page.close()


def test_the_published_live_page_shows_the_correction_and_the_archived_page_the_figure_before_it(corrected, browser, tmp_path):
    out = tmp_path / "site"
    build_site(load(corrected), out, jobs=2, progress=False)
    page = browser.new_page(viewport={"width": 1000, "height": 900})

    page.goto((out / "humvees-left" / "index.html").as_uri())
    assert page.get_by_text(f"Corrected 3 December 2026: {NOTE}").is_visible()
    assert page.get_by_text("Last updated 3 December 2026 (version 2).").is_visible()
    page.get_by_role("link", name="Version 1, 2 December 2026").click()

    assert page.url.endswith("/humvees-left/v1/index.html")
    assert page.get_by_text("Version 1 of 2 December 2026, as published then.").is_visible()
    assert page.get_by_text("Corrected").count() == 0
    assert page.locator("#chart svg").first.is_visible()
    page.close()
