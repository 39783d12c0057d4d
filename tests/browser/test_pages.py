"""Readers' pages in a real browser: home and one figure draw every chart, with no error."""

from __future__ import annotations

import re

import pytest

from figures import charts, formatting, ui
from figures.loader import load
from tests.browser.conftest import ROOT, STORY_PAGE_SIZE, screenshot, wait_for_app

pytestmark = pytest.mark.browser
CATALOGUE = load(ROOT / "data" / "figures.yaml")


def _assert_clean(watched) -> None:
    pg = watched.page
    assert watched.errors == [], f"JavaScript errors on the page: {watched.errors}"
    assert pg.locator('[data-testid="stException"]').count() == 0, "a Streamlit exception is shown"
    assert "Traceback" not in pg.inner_text("body")


def test_story_pages_draw_a_chart_for_every_figure_and_link_to_each_other(server, page):
    pg = page.page
    pg.goto(server.url + "/")
    bodies = []
    pages = [CATALOGUE.figures[i : i + STORY_PAGE_SIZE] for i in range(0, len(CATALOGUE.figures), STORY_PAGE_SIZE)]
    assert len(pages) > 1
    for number, figures in enumerate(pages, start=1):
        assert wait_for_app(pg, len(figures)) == len(figures)
        body = pg.inner_text("body")
        assert [f.title in body for f in CATALOGUE.figures] == [f in figures for f in CATALOGUE.figures]
        bodies.append(body)
        _assert_clean(page)
        screenshot(pg, "home" if number == 1 else f"home-page-{number}")
        if number < len(pages):
            pg.get_by_role("link", name="Next").click()
            # page links navigate inside the app: no load event
            pg.wait_for_function("(n) => new URLSearchParams(location.search).get('page') === n", arg=str(number + 1))
            pg.wait_for_function("(t) => !document.body.innerText.includes(t)", arg=figures[0].title)
        else:
            assert pg.get_by_role("link", name="Next").count() == 0
    assert "more than $7bn" in bodies[0]
    assert "Claimed by Government of Ukraine · via Firstpost, January 2023" in "".join(bodies)


def test_side_by_side_view_draws_every_comparison(server, page):
    pg = page.page
    pg.goto(server.url + "/")
    wait_for_app(pg, STORY_PAGE_SIZE)
    pg.get_by_role("link", name="side by side").click()
    pg.wait_for_function("location.search.includes('view=compare')")
    drawn = wait_for_app(pg, 2)
    assert drawn >= 2 and "Side by side" in pg.inner_text("body")
    _assert_clean(page)
    screenshot(pg, "side-by-side")


def test_data_behind_a_chart_opens_as_a_table(server, page):
    pg = page.page
    pg.goto(f"{server.url}/?figure=russia-iskander-stock")
    wait_for_app(pg, 1)
    before = pg.locator('[data-testid="stTable"]').count()
    pg.get_by_text("Show the data behind this chart").click()
    pg.wait_for_function("(n) => document.querySelectorAll('[data-testid=\"stTable\"]').length > n", arg=before, timeout=30_000)
    table = pg.locator('[data-testid="stExpander"] [data-testid="stTable"]')
    table.wait_for(timeout=30_000)
    text = table.inner_text()
    assert "As written" in text and "900 missiles" in text and "None" not in text  # words and blanks, as readers read them
    _assert_clean(page)


@pytest.mark.parametrize("figure_id", ["russia-iskander-stock", "us-equipment-left-value", "russia-cruise-missile-mass-strikes"])
def test_figure_page_draws_its_chart_and_every_claim(server, page, figure_id):
    pg = page.page
    pg.goto(f"{server.url}/?figure={figure_id}")
    assert wait_for_app(pg, 1) == 1
    figure = CATALOGUE.figure(figure_id)
    body = pg.inner_text("body")
    assert figure.title in body
    tables = pg.locator('[data-testid="stTable"]')
    tables.last.wait_for(timeout=30_000)
    assert tables.count() == len(figure.claims)  # one table of fields a claim
    shown = " ".join(tables.all_inner_texts())
    assert all(" ".join(c.quote.split()[:4]) in " ".join(shown.split()) for c in figure.claims)
    _assert_clean(page)
    screenshot(pg, f"figure-{figure_id}")


def test_home_is_readable_on_a_phone(server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=2)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.goto(server.url + "/")
    wait_for_app(pg, STORY_PAGE_SIZE)
    overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px on a 375px phone"
    assert errors == []
    screenshot(pg, "home-phone")
    context.close()


def test_a_dark_system_setting_keeps_the_light_page_the_charts_are_drawn_for(server, browser):
    """The house theme draws charts (and every exported image) in dark ink on white; the page must match.

    ``.streamlit/config.toml`` sets ``[theme] base = "light"``, which Streamlit uses instead of
    the reader's system setting; this holds that in place.
    """
    context = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    assert pg.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    pg.goto(server.url + "/")
    wait_for_app(pg, STORY_PAGE_SIZE)
    page_colour = pg.evaluate("getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor")
    text_colour = pg.evaluate("getComputedStyle(document.querySelector('[data-testid=stMarkdownContainer]')).color")
    assert page_colour == "rgb(255, 255, 255)" == _rgb(charts.BACKGROUND), page_colour
    assert sum(int(v) for v in re.findall(r"\d+", text_colour)[:3]) < 3 * 128, f"text is light on the light page: {text_colour}"
    context.close()


def _rgb(hex_colour: str) -> str:
    return "rgb({}, {}, {})".format(*(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)))


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


def test_following_a_permalink_puts_it_in_the_address_bar(server, page):
    """Page links rerun the app in place; the address bar must still show the figure's permalink, ready to copy or reload."""
    pg = page.page
    pg.goto(server.url + "/")
    wait_for_app(pg, STORY_PAGE_SIZE)
    pg.get_by_role("link", name="Permalink, sources and downloads").first.click()
    pg.wait_for_function("(id) => location.search === '?figure=' + id", arg=CATALOGUE.figures[0].id)
    pg.reload()
    wait_for_app(pg, 1)
    assert "Every claim" in pg.inner_text("body")
    _assert_clean(page)


def test_a_search_result_opens_its_figure_in_a_new_tab_and_the_search_stays(server, page):
    """Streamlit opens markdown links in a new tab; the result's label says so, and the reader's search is kept."""
    pg = page.page
    pg.goto(server.url + "/?view=catalogue")
    wait_for_app(pg, 0)
    box = pg.get_by_label("Search figures")
    box.fill("night vision")
    box.press("Enter")
    pg.get_by_text(f"1 of {len(CATALOGUE.figures)} figures").wait_for()
    link = pg.get_by_role("link", name=ui.RESULT_LINK)
    assert link.count() == 1
    with pg.context.expect_page() as opened:
        link.click()
    tab = opened.value
    tab.wait_for_load_state()
    wait_for_app(tab, 1)
    assert tab.url.endswith("?figure=night-vision-equipment-left")
    assert "Every claim" in tab.inner_text("body")
    assert box.input_value() == "night vision"
    assert pg.get_by_text(f"1 of {len(CATALOGUE.figures)} figures").is_visible()
    _assert_clean(page)


@pytest.mark.parametrize("figure_id", ["us-equipment-left-value", "russia-iskander-stock"])
def test_chart_in_the_app_draws_its_subtitle_and_source_line(server, page, figure_id):
    """What a journalist downloads carries the attribution inside the chart; so must what a reader sees."""
    pg = page.page
    pg.goto(f"{server.url}/?figure={figure_id}")
    wait_for_app(pg, 1)
    drawn = " ".join(pg.locator('[data-testid="stVegaLiteChart"] svg text').all_text_contents())
    figure = CATALOGUE.figure(figure_id)
    assert formatting.CONFIDENCE_LABELS[formatting.confidence_summary(figure)] in drawn, drawn
    assert "According to" in drawn or "Claimed by" in drawn, drawn
    assert "Firstpost" in drawn, drawn
