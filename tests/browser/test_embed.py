"""The embed view a journalist puts in an iframe: one card, one chart, the source line, a link back."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, wait_for_app

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
