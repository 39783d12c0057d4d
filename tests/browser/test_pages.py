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
