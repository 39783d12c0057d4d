"""Readers' pages in a real browser: home and one figure draw every chart, with no error."""

from __future__ import annotations

import pytest

from figures.loader import load
from tests.browser.conftest import ROOT, screenshot, wait_for_app

pytestmark = pytest.mark.browser
CATALOGUE = load(ROOT / "data" / "figures.yaml")


def _assert_clean(watched) -> None:
    pg = watched.page
    assert watched.errors == [], f"JavaScript errors on the page: {watched.errors}"
    assert pg.locator('[data-testid="stException"]').count() == 0, "a Streamlit exception is shown"
    assert "Traceback" not in pg.inner_text("body")


def test_home_draws_a_chart_for_every_figure(server, page):
    pg = page.page
    pg.goto(server.url + "/")
    drawn = wait_for_app(pg, len(CATALOGUE.figures))
    assert drawn >= len(CATALOGUE.figures), f"{drawn} charts drawn for {len(CATALOGUE.figures)} figures"
    body = pg.inner_text("body")
    for figure in CATALOGUE.figures:
        assert figure.title in body
    assert "more than $7bn" in body
    assert "Claimed by Government of Ukraine · via Firstpost, January 2023" in body
    _assert_clean(page)
    screenshot(pg, "home")


@pytest.mark.parametrize("figure_id", ["russia-iskander-stock", "us-equipment-left-value", "russia-cruise-missile-mass-strikes"])
def test_figure_page_draws_its_chart_and_every_claim(server, page, figure_id):
    pg = page.page
    pg.goto(f"{server.url}/?figure={figure_id}")
    assert wait_for_app(pg, 1) == 1
    figure = CATALOGUE.figure(figure_id)
    body = pg.inner_text("body")
    assert figure.title in body
    pg.locator('[data-testid="stDataFrame"]').last.wait_for(timeout=30_000)
    _assert_clean(page)
    screenshot(pg, f"figure-{figure_id}")


def test_home_is_readable_on_a_phone(server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=2)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.goto(server.url + "/")
    wait_for_app(pg, len(CATALOGUE.figures))
    overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px on a 375px phone"
    assert errors == []
    screenshot(pg, "home-phone")
    context.close()


def test_series_points_fall_at_their_dates_in_the_browser(server, page):
    """Streamlit ships chart data as Arrow; the series must still spread over time and fall in value."""
    pg = page.page
    pg.goto(f"{server.url}/?figure=russia-iskander-stock")
    wait_for_app(pg, 1)
    transforms = pg.eval_on_selector_all('[data-testid="stVegaLiteChart"] .mark-symbol path', "els => els.map(e => e.getAttribute('transform'))")
    points = [tuple(float(v) for v in t[len("translate("):-1].split(",")) for t in transforms]
    assert len(points) == 2
    (x1, y1), (x2, y2) = points
    assert x2 - x1 > 100, f"February and November 2022 are drawn {x2 - x1:.0f}px apart"
    assert y2 > y1, "119 must be drawn below 900"
    label = pg.eval_on_selector('[data-testid="stVegaLiteChart"] svg', "e => e.closest('[aria-label]').getAttribute('aria-label')")
    assert "900 missiles as of February 2022" in label and "−87%" in label
