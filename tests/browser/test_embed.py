"""The embed view a journalist puts in an iframe: one card, one chart, the source line, a link back."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from figures import formatting
from figures.loader import load
from tests.browser.conftest import CHART_DRAWN as CHART
from tests.browser.conftest import screenshot, wait_for_app

REAL = load(Path(__file__).resolve().parents[2] / "data" / "figures.yaml")

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [320, 600, 1200])
def test_embed_view_draws_exactly_one_chart_with_attribution(server, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.goto(f"{server.url}/?figure=russia-iskander-stock&embed=true")
    assert wait_for_app(pg, 1) == 1
    pg.get_by_text("Full figure, sources and data").wait_for(timeout=30_000)
    body = pg.inner_text("body")
    assert "Claimed by Government of Ukraine · via Firstpost, January 2023" in body
    assert "Full figure, sources and data" in body
    assert "How we rate" not in body, "the embed view must not show the site navigation"
    assert pg.locator('[data-testid="stVegaLiteChart"] svg, [data-testid="stVegaLiteChart"] canvas').count() == 1
    chart = pg.locator('[data-testid="stVegaLiteChart"]').first
    clipped = chart.evaluate("""box => {
        const svg = box.querySelector('svg').getBoundingClientRect();
        return [...box.querySelectorAll('svg text')].filter(t => t.textContent.trim() && t.getAttribute('opacity') !== '0')
            .filter(t => { const r = t.getBoundingClientRect(); return r.left < svg.left - 0.5 || r.right > svg.right + 0.5; })
            .map(t => t.textContent);
    }""")
    assert clipped == [], f"chart text cut off at the chart's edge at {width}px: {clipped}"
    overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the embed scrolls sideways by {overflow}px at {width}px"
    assert errors == [] and pg.locator('[data-testid="stException"]').count() == 0
    screenshot(pg, f"embed-{width}")
    context.close()


def test_figure_view_link_back_from_embed_points_at_the_permalink(server, page):
    pg = page.page
    pg.goto(f"{server.url}/?figure=humvees-left&embed=true")
    wait_for_app(pg, 1)
    pg.get_by_text("Full figure, sources and data").wait_for(timeout=30_000)
    href = pg.get_by_text("Full figure, sources and data").locator("xpath=ancestor::a").get_attribute("href")
    assert href.endswith("/?figure=humvees-left")


@pytest.fixture(scope="module")
def host(tmp_path_factory) -> Iterator[str]:
    """A foreign site (another origin than the app's) that serves the host pages written into its folder."""
    folder = tmp_path_factory.mktemp("host")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    httpd.folder = folder
    yield httpd
    httpd.shutdown()


def settled_height(pg, frame_selector: str = "iframe", quiet_ms: int = 600, timeout_ms: int = 60_000) -> int:
    """The iframe's height once it has not changed for ``quiet_ms``."""
    last, stable, waited = -1, 0, 0
    while waited < timeout_ms:
        height = pg.eval_on_selector(frame_selector, "f => f.getBoundingClientRect().height")
        stable = stable + 100 if height == last else 0
        if stable >= quiet_ms:
            return round(height)
        last = height
        pg.wait_for_timeout(100)
        waited += 100
    raise AssertionError(f"the iframe's height never settled (last {last})")


@pytest.mark.parametrize("width", [320, 600, 1200])
def test_the_app_embed_fits_its_iframe_on_a_foreign_page_with_no_inner_scroll(server, browser, host, width):
    figure = REAL.figure("russia-iskander-stock")
    snippet = formatting.iframe_snippet(server.url, figure)
    (host.folder / "article.html").write_text(f"<!DOCTYPE html><html><body><p>An article.</p>{snippet}<p>More of it.</p></body></html>")
    context = browser.new_context(viewport={"width": width, "height": 700})
    pg = context.new_page()
    pg.goto(f"http://127.0.0.1:{host.server_address[1]}/article.html")
    frame = pg.frame_locator("iframe")
    frame.get_by_text("Full figure, sources and data").wait_for(timeout=60_000)
    frame.locator(CHART).first.wait_for(timeout=60_000)

    height = settled_height(pg)

    inner = pg.frames[1].evaluate("[document.documentElement.scrollHeight, window.innerHeight]")
    assert height != 720, "the iframe kept the snippet's fixed height: the app never said how tall it is"
    assert inner[0] <= inner[1], f"the embed scrolls inside its iframe at {width}px: {inner}"
    link = frame.get_by_text("Full figure, sources and data").bounding_box()  # both boxes in the host page's coordinates
    box = pg.locator("iframe").bounding_box()
    assert box["y"] <= link["y"] and link["y"] + link["height"] <= box["y"] + box["height"]
    screenshot(pg, f"embed-host-{width}")
    context.close()
