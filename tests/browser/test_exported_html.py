"""Exported pages in a real browser with the network cut: the chart draws from the inlined Vega, the attribution shows.

The pages come from ``figures.build.build_site`` (the same bytes as the app's
HTML download) and are opened from file:// URLs in a context that is offline
and aborts every request that is not a local file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from figures import formatting
from figures.build import build_site
from figures.loader import load, load_text
from tests.browser.conftest import ARTIFACTS, ROOT

pytestmark = pytest.mark.browser

REAL = load(ROOT / "data" / "figures.yaml")
CHART = "#chart svg:visible"
LIVE = '#chart[data-live="true"]'
"""Set once the interactive chart has replaced the drawn one (figures/static/figure.js)."""
"""The chart on screen: the site's pages hold two drawings (wide and for phones) and show one."""
HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(1)>"


@dataclass
class Offline:
    """A page in a browser context with no network, and what it tried to do."""

    page: object
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    build_site(REAL, out, jobs=2, progress=False)
    return out


@pytest.fixture
def offline(browser) -> Iterator[callable]:
    """Open pages with every non-file request aborted and the context offline."""
    contexts = []

    def open_page(url: str, width: int = 1000) -> Offline:
        context = browser.new_context(viewport={"width": width, "height": 900}, offline=True)
        contexts.append(context)
        pg = context.new_page()
        watched = Offline(pg)

        def guard(route):
            if route.request.url.startswith("file:"):
                route.continue_()
            else:
                watched.blocked.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        pg.on("pageerror", lambda exc: watched.errors.append(str(exc)))
        pg.on("console", lambda msg: watched.errors.append(msg.text) if msg.type == "error" else None)
        pg.on("dialog", lambda d: (watched.dialogs.append(d.message), d.dismiss()))
        pg.goto(url)
        return watched

    yield open_page
    for context in contexts:
        context.close()


def chart_drawn(watched: Offline) -> None:
    """The chart is drawn and the live chart has taken the drawing's place, so nothing swaps under a measurement."""
    watched.page.wait_for_selector(CHART, state="visible", timeout=20_000)
    watched.page.wait_for_function("document.querySelectorAll('#chart svg text').length > 3", timeout=20_000)
    watched.page.wait_for_selector(LIVE, state="attached", timeout=20_000)


@pytest.mark.parametrize("figure_id", [f.id for f in REAL.figures])
def test_exported_figure_page_draws_its_chart_with_the_network_blocked(site, offline, figure_id):
    figure = REAL.figure(figure_id)

    watched = offline((site / figure_id / "index.html").as_uri())
    chart_drawn(watched)

    pg = watched.page
    drawn = " ".join(pg.locator(f"{CHART} text").all_text_contents())
    assert figure.title.split()[0] in drawn  # the chart's own title, drawn by Vega
    assert pg.locator(".source-line").get_by_text(formatting.source_line(figure, REAL), exact=True).is_visible()  # the attribution, as page text
    assert pg.locator("h1").inner_text() == figure.title
    assert pg.locator(".headline").inner_text() == formatting.headline(figure)
    assert watched.blocked == [] and watched.errors == [] and watched.dialogs == []
    if figure_id == "russia-iskander-stock":
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / "exported-figure.png"), full_page=True)


@pytest.mark.parametrize("width", [320, 768, 1200])
def test_exported_figure_page_fits_the_window_from_phone_to_desktop(site, offline, width):
    watched = offline((site / "us-equipment-left-value" / "index.html").as_uri(), width=width)
    chart_drawn(watched)

    pg = watched.page
    scroll_width, inner_width = pg.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    chart_box = pg.locator(CHART).bounding_box()
    assert scroll_width <= inner_width  # no sideways scrolling
    assert chart_box["x"] >= 0 and chart_box["x"] + chart_box["width"] <= width
    natural = float(pg.locator(CHART).get_attribute("width"))
    assert chart_box["width"] >= min(width * 0.8, natural)  # it uses the room it has, and is never blown up past its size
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"exported-figure-{width}.png"), full_page=True)


def test_hostile_catalogue_text_never_runs_in_the_exported_page_or_the_index(catalogue_text, tmp_path, offline):
    text = catalogue_text("title: Target figure", f'title: "T {HOSTILE}"').replace('quote: "five"', f'quote: "Q {HOSTILE}"')
    catalogue = load_text(text)
    assert catalogue.ok, [str(p) for p in catalogue.problems]
    build_site(catalogue, tmp_path, jobs=1, progress=False)

    figure_page = offline((tmp_path / "target" / "index.html").as_uri())
    chart_drawn(figure_page)
    index = offline((tmp_path / "index.html").as_uri())

    for watched in (figure_page, index):
        assert watched.dialogs == [] and watched.errors == []
        images = watched.page.locator("img").evaluate_all("list => list.map(i => i.getAttribute('src'))")
        assert all(src.endswith("/chart.svg") for src in images)  # only the index's own thumbnails
        assert watched.page.get_by_text(f"T {HOSTILE}", exact=True).first.is_visible()  # shown as words


def test_site_index_lists_every_figure_and_its_links_open_the_figure_pages(site, offline):
    watched = offline((site / "index.html").as_uri(), width=390)

    pg = watched.page
    titles = pg.locator("ul.figures h2 a").all_inner_texts()
    assert titles == [f.title for f in REAL.figures]
    assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / "exported-index.png"), full_page=True)
    pg.locator("ul.figures h2 a").first.click()
    pg.wait_for_selector(CHART, timeout=20_000)
    assert pg.url.endswith(f"/{REAL.figures[0].id}/index.html")
    assert watched.blocked == [] and watched.errors == []
