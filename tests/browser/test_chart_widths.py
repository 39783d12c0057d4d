"""Charts that fill their container stay readable from a 320 px phone to a 1200 px desktop.

Every figure of data/figures.yaml is loaded in the embed view at each width, in
a fresh browser context per width, from one server. In the chart's SVG no text
may run past the SVG's edges (nothing clipped: subtitle, value labels, source
line), the visible date labels of a series may not overlap, and the chart draws
no title of its own (the card is headed by it; exports keep it, and
test_exported_html.py measures it there). Screenshots go to
``test-artifacts/chart-<id>-<width>.png``.
"""

from __future__ import annotations

import pytest

from figures import formatting, loader
from tests.browser.conftest import ARTIFACTS, ROOT, wait_for_app

pytestmark = pytest.mark.browser

CATALOGUE = loader.load(ROOT / "data" / "figures.yaml")
WIDTHS = [320, 375, 1200]
CHART = '[data-testid="stVegaLiteChart"]'

MEASURE = """box => {
    const svg = box.querySelector('svg');
    const frame = svg.getBoundingClientRect();
    const shown = t => t.textContent.trim() && t.getAttribute('opacity') !== '0' && getComputedStyle(t).opacity !== '0';
    const rect = t => {
        const r = t.getBoundingClientRect();
        return {text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom, lines: t.querySelectorAll('tspan').length || 1};
    };
    const xAxis = [...svg.querySelectorAll('g.role-axis')].find(g => (g.getAttribute('aria-label') || '').startsWith('X-axis'));
    return {
        svg: {left: frame.left, right: frame.right, top: frame.top, bottom: frame.bottom},
        texts: [...svg.querySelectorAll('text')].filter(shown).map(rect),
        titles: [...svg.querySelectorAll('.role-title-text text, text.role-title-text')].filter(shown).map(rect),
        dates: xAxis ? [...xAxis.querySelectorAll('.role-axis-label text, text.role-axis-label')].filter(shown).map(rect) : [],
    };
}"""

SETTLED = """box => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true))))"""


def is_series(figure) -> bool:
    return len(figure.claims) > 1 and not formatting.is_competing(figure)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_chart_keeps_its_text_inside_and_its_dates_apart(server, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    problems: list[str] = []
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        for figure in CATALOGUE.figures:
            pg.goto(f"{server.url}/?figure={figure.id}&embed=true")
            assert wait_for_app(pg, 1) == 1
            box = pg.locator(CHART).first
            box.evaluate(SETTLED)
            drawn = box.evaluate(MEASURE)
            box.screenshot(path=str(ARTIFACTS / f"chart-{figure.id}-{width}.png"))
            problems += [f"{figure.id} @ {width}px: {p}" for p in _problems(figure, drawn, width)]
    finally:
        context.close()
    assert not problems, "\n".join(problems)
    assert errors == []


def _problems(figure, drawn: dict, width: int) -> list[str]:
    svg, texts = drawn["svg"], drawn["texts"]
    found = []
    assert texts, "the chart drew no text"
    for t in texts:
        if t["left"] < svg["left"] - 0.5 or t["right"] > svg["right"] + 0.5:
            found.append(f"{t['text']!r} runs from {t['left'] - svg['left']:.0f} to {t['right'] - svg['left']:.0f}px, "
                         f"past the chart's {svg['right'] - svg['left']:.0f}px")
        if t["top"] < svg["top"] - 0.5 or t["bottom"] > svg["bottom"] + 0.5:
            found.append(f"{t['text']!r} runs over the top or the bottom of the chart")
    if drawn["titles"]:
        found.append("the app's chart draws a title: the card above it is headed by the same words")
    if is_series(figure):
        dates = sorted(drawn["dates"], key=lambda t: t["left"])
        if len(dates) < 2:
            found.append(f"only {len(dates)} date label(s) shown for {len(figure.claims)} dates")
        for a, b in zip(dates, dates[1:], strict=False):
            if a["right"] > b["left"] + 0.5:
                found.append(f"date labels {a['text']!r} and {b['text']!r} overlap")
    return found
