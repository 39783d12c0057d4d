"""The reader's details that only a real browser shows (issue 16): a search kept in the address bar, the nav in one row."""

from __future__ import annotations

import pytest

from figures.loader import load
from tests.browser.conftest import ROOT, wait_for_app

CATALOGUE = load(ROOT / "data" / "figures.yaml")

pytestmark = pytest.mark.browser


def _open_at(page, server, address: str, width: int, charts: int):
    """The watched page at ``width`` pixels, showing ``address`` with its charts drawn."""
    pg = page.page
    pg.set_viewport_size({"width": width, "height": 900})
    pg.goto(server.url + address)
    wait_for_app(pg, charts)
    return pg


def _wait_for_results(pg, caption: str) -> None:
    pg.wait_for_function("(t) => document.body.innerText.includes(t)", arg=caption, timeout=60_000)


def test_a_search_typed_in_the_catalogue_is_kept_in_the_address_bar_and_reopens_as_it_was(server, page, browser):
    pg = page.page
    pg.goto(server.url + "/?view=catalogue")
    _wait_for_results(pg, "10 of 10 figures")
    box = pg.get_by_label("Search figures")
    box.fill("iskander")
    box.press("Enter")
    _wait_for_results(pg, "1 of 10 figures")
    pg.wait_for_function("new URLSearchParams(location.search).get('q') === 'iskander'", timeout=30_000)
    shared = pg.url

    fresh = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        other = fresh.new_page()
        other.goto(shared)
        _wait_for_results(other, "1 of 10 figures")
        other.wait_for_function("() => [...document.querySelectorAll('input')].some(i => i.value === 'iskander')", timeout=30_000)
        assert other.get_by_label("Search figures").input_value() == "iskander"
        assert "Russia's stock of Iskander missiles" in other.inner_text("body")
    finally:
        fresh.close()
    assert page.errors == []


@pytest.mark.parametrize("width", [1280, 375])
def test_the_three_nav_links_sit_together_in_one_row(server, page, width):
    pg = _open_at(page, server, "/", width, 1)
    boxes = [pg.get_by_role("link", name=name, exact=True).first.bounding_box() for name in ("Home", "Catalogue", "How we rate")]

    assert all(b is not None for b in boxes)
    assert len({round(b["y"]) for b in boxes}) == 1, f"the links wrap or stack: {boxes}"
    gaps = [boxes[i + 1]["x"] - (boxes[i]["x"] + boxes[i]["width"]) for i in range(2)]
    assert all(0 <= gap <= 40 for gap in gaps), f"the links are spread apart: gaps {gaps} px"


VIEWS = {
    "home": ("/", 3),
    "figure": ("/?figure=russia-iskander-stock", 1),
    "embed": ("/?figure=humvees-left&embed=true", 1),
    "compare": ("/?story=russia-taliban-us-weapons&view=compare", 2),
    "catalogue": ("/?view=catalogue&q=missiles", 0),
    "ratings": ("/?view=ratings", 0),
}


def test_no_view_of_the_app_asks_any_host_but_its_own(server, page):
    """Icons, fonts, scripts, data: a newsroom's reader's browser must make no request to a third party (the favicon once did)."""
    pg = page.page
    asked: dict[str, list[str]] = {}
    for name, (address, charts) in VIEWS.items():
        before = len(page.requests)
        pg.goto(server.url + address)
        wait_for_app(pg, charts)
        pg.wait_for_timeout(300)  # the favicon and late icons are asked for after the first paint
        asked[name] = page.requests[before:]
    assert all(asked.values()), "the request log is empty: the check would pass for nothing"
    assert page.foreign_requests() == []
    assert any(url.endswith(".png") and "/media/" in url for urls in asked.values() for url in urls), "the app's own icon was never asked for"


@pytest.mark.parametrize("width", [1280, 375])
def test_no_cell_of_any_table_is_clipped_nor_scrolls_sideways(server, page, width):
    """Source, Via, Quote and Claimant once ran out of their cells in Streamlit's grid; static tables wrap them."""
    pg = _open_at(page, server, "/?figure=russia-iskander-stock", width, 1)
    pg.get_by_text("Show the data behind this chart").click()  # the chart's data too, the widest table
    pg.locator('[data-testid="stExpander"] [data-testid="stTable"]').wait_for(timeout=30_000)
    tables = pg.locator('[data-testid="stTable"]')
    assert tables.count() == 1 + len(CATALOGUE.figure("russia-iskander-stock").claims)

    for index in range(tables.count()):
        table = tables.nth(index)
        cells = table.evaluate("""t => [...t.querySelectorAll('td, th')].map(c => ({
            text: c.innerText, over: c.scrollWidth - c.clientWidth, overflow: getComputedStyle(c).textOverflow}))""")
        sideways = table.evaluate("t => t.scrollWidth - t.clientWidth")
        clipped = [c["text"][:40] for c in cells if c["over"] > 1 or c["overflow"] == "ellipsis"]
        assert cells and clipped == [], f"table {index} clipped at {width}px: {clipped}"
        assert sideways <= 1, f"table {index} scrolls sideways by {sideways}px at {width}px"


@pytest.mark.parametrize(("start", "link", "charts"), [
    ("/?figure=humvees-left", "All figures", 3),
    ("/?view=catalogue&q=iskander", "Home", 3),
    ("/?view=ratings", "Home", 3),
])
def test_a_link_to_the_plain_home_page_clears_the_address_bar(server, page, start, link, charts):
    """A link with no parameters must leave no old ``?figure=`` behind: a reload or a copied address would reopen it."""
    pg = page.page
    pg.goto(server.url + start)
    wait_for_app(pg, 0)
    pg.get_by_role("link", name=link, exact=True).first.click()
    pg.wait_for_function("() => location.search === ''", timeout=30_000)
    wait_for_app(pg, charts)
    pg.reload()
    assert wait_for_app(pg, charts) >= charts
