"""The published static site (``figures build``) in real Chromium: drawn without script, live without moving, embeds that fit.

The site is the repository's own catalogue, built once per module with its
``base_url`` at a loopback ``http.server`` that serves it, so the oEmbed
snippets point at a real origin. Embeds are pasted into host pages served by
a second server on another port: a different origin, as on a newspaper's site.
Nothing is mocked; the file:// tests only abort what is not a local file.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from figures import formatting
from figures.build import build_site
from figures.loader import load
from tests.browser.conftest import ARTIFACTS, ROOT

pytestmark = pytest.mark.browser

REAL = load(ROOT / "data" / "figures.yaml")
LINE = "russia-iskander-stock"
"""A line chart with two claims."""
SINGLE = "humvees-left"
"""A single value."""
PAGES = ("index.html", "embed.html")
LIVE = '#chart[data-live="true"]'
TOOLTIP = "#vg-tooltip-element"
"""vega-tooltip's element (its default ``id``; ``#vg-tooltip-element.visible`` is what its CSS shows)."""
MARKS = "#chart svg .mark-symbol path, #chart svg .mark-rect path"
"""The data marks of the live chart: a line chart's points, a bar."""
LAYOUT_TOLERANCE = 1.0
"""Pixels the chart's height and the source line may move when the live chart replaces the drawn one (measured: 0)."""
SETTLED_FOR = 0.3
"""Seconds an iframe's height must stay the same to count as settled."""

MEASURE_AT_DOMCONTENTLOADED = """
window.__shifts = [];
new PerformanceObserver(list => { for (const e of list.getEntries()) window.__shifts.push(e.value); })
    .observe({type: 'layout-shift', buffered: true});
document.addEventListener('DOMContentLoaded', () => {
    const chart = document.getElementById('chart'), box = chart.getBoundingClientRect();
    window.__before = {width: box.width, height: box.height,
                       sourceTop: document.querySelector('.source-line').getBoundingClientRect().top,
                       live: chart.hasAttribute('data-live'), drawn: chart.firstElementChild.tagName.toLowerCase(),
                       children: chart.children.length};
});
"""
"""Runs in the page before its scripts: the layout as drawn at build time, before figure.js's first frame loads Vega."""
MEASURE_NOW = """() => {
    const box = document.getElementById('chart').getBoundingClientRect();
    return {width: box.width, height: box.height, sourceTop: document.querySelector('.source-line').getBoundingClientRect().top};
}"""
INSIDE_CARD = """() => ({
    scrollHeight: document.documentElement.scrollHeight, innerHeight: window.innerHeight,
    sourceBottom: document.querySelector('.source-line').getBoundingClientRect().bottom,
})"""


# -- servers and the site -----------------------------------------------------------------------

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's name
        pass


@dataclass
class Served:
    """A loopback ``http.server`` serving one folder; ``origin`` is ``http://127.0.0.1:<port>``."""

    folder: Path
    server: http.server.ThreadingHTTPServer
    thread: threading.Thread

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def serve(folder: Path) -> Served:
    """Serve ``folder`` (which may not exist yet: the handler resolves each path when asked) on a free port."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=f"http {folder.name}", daemon=True)
    thread.start()
    return Served(folder, server, thread)


@dataclass
class Site:
    folder: Path
    origin: str

    def url(self, path: str) -> str:
        return f"{self.origin}/{path}"

    def oembed(self, figure_id: str) -> dict:
        return json.loads((self.folder / figure_id / "oembed.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Site]:
    """The repository's catalogue built with ``base_url`` at the server that serves it."""
    folder = tmp_path_factory.mktemp("published") / "site"
    served = serve(folder)
    try:
        build_site(REAL, folder, jobs=2, progress=False, base_url=served.origin + "/")
        yield Site(folder, served.origin)
    finally:
        served.stop()


@pytest.fixture(scope="module")
def host(site, tmp_path_factory) -> Iterator[Site]:
    """A newspaper's pages on another origin: each holds a figure's embed snippet between paragraphs of its own.

    ``<id>.html`` has the snippet exactly as ``oembed.json`` gives it;
    ``<id>-stripped.html`` only its ``<iframe>``, as a host that strips scripts leaves it.
    """
    folder = tmp_path_factory.mktemp("host")
    for figure in REAL.figures:
        snippet = site.oembed(figure.id)["html"]
        iframe = snippet[:snippet.index("</iframe>") + len("</iframe>")]
        assert "<script" not in iframe
        for name, embed in ((figure.id, snippet), (f"{figure.id}-stripped", iframe)):
            (folder / f"{name}.html").write_text(
                "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
                "<meta name='viewport' content='width=device-width, initial-scale=1'><title>The Daily Host</title></head>"
                "<body style='margin:0;font-family:serif'><p>A paragraph of the host's story.</p>\n"
                f"{embed}\n<p>The story goes on.</p></body></html>", encoding="utf-8")
    served = serve(folder)
    assert served.origin != site.origin
    yield Site(folder, served.origin)
    served.stop()


@pytest.fixture
def new_page(browser) -> Iterator[callable]:
    """Pages in fresh contexts (``new_page(width, **context_options)``), closed after the test."""
    contexts = []

    def open_page(width: int = 1000, **options):
        context = browser.new_context(viewport={"width": width, "height": 900}, **options)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def save(pg, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


# -- 1. without JavaScript ----------------------------------------------------------------------

@pytest.mark.parametrize("page_name", PAGES)
@pytest.mark.parametrize("figure_id", [LINE, SINGLE, "us-weapons-share-left"])
def test_page_shows_its_drawn_chart_title_and_headline_with_javascript_off(site, new_page, figure_id, page_name):
    figure = REAL.figure(figure_id)
    pg = new_page(1000, java_script_enabled=False)

    pg.goto(site.url(f"{figure_id}/{page_name}"))

    chart = pg.locator("#chart .drawn.wide svg")  # at 1,000 px the wide drawing shows, the phone's is hidden
    assert chart.count() == 1 and pg.locator("#chart .drawn.narrow svg").count() == 1
    assert chart.is_visible() and not pg.locator("#chart .drawn.narrow svg").is_visible()
    box = chart.bounding_box()
    assert box["width"] > 200 and box["height"] > 100, box
    assert pg.locator("#chart .drawn.wide svg > title").text_content() == figure.title
    assert formatting.headline(figure) in pg.inner_text("body")
    assert pg.locator("#chart").get_attribute("data-live") is None  # no script ran: this is the build's drawing
    if figure_id == LINE and page_name == "index.html":
        save(pg, "site-figure-page-javascript-off")


# -- 2. with JavaScript: live, in the same place ------------------------------------------------

@pytest.mark.parametrize(("figure_id", "page_name", "width"), [
    (LINE, "index.html", 1000),
    (LINE, "index.html", 320),
    (LINE, "embed.html", 600),
    (SINGLE, "index.html", 1000),
    (SINGLE, "embed.html", 320),
])
def test_live_chart_takes_the_drawn_charts_place_without_moving_the_layout(site, new_page, figure_id, page_name, width):
    pg = new_page(width)
    pg.add_init_script(MEASURE_AT_DOMCONTENTLOADED)

    pg.goto(site.url(f"{figure_id}/{page_name}"))
    pg.wait_for_selector(LIVE, timeout=20_000)

    before = pg.evaluate("window.__before")
    assert before["live"] is False and before["drawn"] == "div" and before["children"] == 2  # measured the build's two drawings
    after = pg.evaluate(MEASURE_NOW)
    shown = "narrow" if width < 540 else "wide"
    assert pg.locator(f"#chart .drawn.{shown} > .chart-live.ready svg").count() == 1  # the live chart took the place of the one on screen
    assert after["width"] == before["width"]
    assert abs(after["height"] - before["height"]) <= LAYOUT_TOLERANCE, (before, after)
    assert abs(after["sourceTop"] - before["sourceTop"]) <= LAYOUT_TOLERANCE, (before, after)
    assert sum(pg.evaluate("window.__shifts")) < 0.001  # nor in between (Chromium's layout-shift entries)


@pytest.mark.parametrize("figure_id", [LINE, SINGLE])
def test_hovering_a_data_mark_of_the_live_chart_shows_its_tooltip(site, new_page, figure_id):
    figure = REAL.figure(figure_id)
    first = sorted(figure.claims, key=lambda c: c.as_of)[0]
    pg = new_page(1000)
    pg.goto(site.url(f"{figure_id}/index.html"))
    pg.wait_for_selector(LIVE, timeout=20_000)
    assert pg.locator(f"{TOOLTIP}.visible").count() == 0

    mark = pg.locator(MARKS).first
    box = mark.bounding_box()
    pg.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    tooltip = pg.locator(f"{TOOLTIP}.visible")
    tooltip.wait_for(state="visible", timeout=5_000)
    assert formatting.claim_value(first, figure.unit) in tooltip.inner_text()


# -- 3. embeds on another origin ----------------------------------------------------------------

def settled_height(pg, iframe, timeout: float = 15.0) -> int:
    """The iframe's ``clientHeight`` once it has not changed for :data:`SETTLED_FOR` seconds."""
    deadline = time.monotonic() + timeout
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        height = iframe.evaluate("f => f.clientHeight")
        if height != last:
            last, since = height, time.monotonic()
        elif time.monotonic() - since >= SETTLED_FOR:
            return height
        pg.wait_for_timeout(50)
    raise AssertionError(f"the iframe's height did not settle within {timeout} s (last {last}px)")


def embedded_card(pg, host: Site, name: str):
    """Open the host page ``name``; return its iframe and the card's frame once the card's chart is live."""
    pg.goto(host.url(f"{name}.html"))
    iframe = pg.locator("iframe[data-figures-embed]")
    frame = iframe.element_handle().content_frame()
    frame.wait_for_selector(LIVE, timeout=20_000)
    return iframe, frame


@pytest.mark.parametrize("width", [320, 600, 1200])
@pytest.mark.parametrize("figure_id", [LINE, SINGLE])
def test_embed_on_another_origin_fits_its_card_without_inner_scrolling(site, host, new_page, figure_id, width):
    fallback = site.oembed(figure_id)["height"]
    pg = new_page(width)

    iframe, frame = embedded_card(pg, host, figure_id)
    pg.wait_for_function("() => document.querySelector('iframe[data-figures-embed]').style.height !== ''", timeout=10_000)
    height = settled_height(pg, iframe)

    assert frame.url.startswith(site.origin) and not pg.url.startswith(site.origin)
    assert iframe.get_attribute("height") == str(fallback)
    assert height != fallback  # the host's script resized it ...
    assert iframe.evaluate("f => f.style.height") == f"{height}px"  # ... to what the card said
    card = frame.evaluate(INSIDE_CARD)
    assert card["innerHeight"] == height
    assert card["scrollHeight"] <= card["innerHeight"], card  # nothing to scroll inside the frame
    assert card["sourceBottom"] <= card["innerHeight"], card  # the attribution is in view
    if width == 320 and figure_id == LINE:
        save(pg, "site-embed-320")


@pytest.mark.parametrize("figure_id", [LINE, SINGLE])
def test_embed_on_a_host_that_strips_scripts_keeps_its_fallback_height(site, host, new_page, figure_id):
    fallback = site.oembed(figure_id)["height"]
    pg = new_page(600)

    iframe, frame = embedded_card(pg, host, f"{figure_id}-stripped")
    pg.wait_for_timeout(500)  # the card has posted its height by now, to no listener

    assert pg.locator("script").count() == 0
    assert iframe.get_attribute("height") == str(fallback)
    assert iframe.evaluate("f => [f.style.height, f.clientHeight]") == ["", fallback]
    assert frame.locator("#chart .drawn.wide svg").is_visible()  # 600 px: the wide drawing


# -- 4. offline from file:// --------------------------------------------------------------------

@dataclass
class Recorded:
    """What a page did: every request the route saw, those it aborted, failures and errors."""

    files: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def watch(pg, recorded: Recorded) -> None:
    pg.on("requestfailed", lambda request: recorded.failed.append(f"{request.url}: {request.failure}"))
    pg.on("console", lambda msg: recorded.errors.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: recorded.errors.append(str(exc)))


def thumbnails_loaded(pg) -> list[int]:
    """Each index thumbnail's ``naturalWidth`` after scrolling it into view (they load lazily)."""
    images = pg.locator("ul.figures img")
    for i in range(images.count()):
        image = images.nth(i)
        image.scroll_into_view_if_needed()
        image.evaluate("img => img.complete ? 0 : new Promise(done => {"  # loaded or broken, else wait (5 s at most)
                       " img.addEventListener('load', done); img.addEventListener('error', done); setTimeout(done, 5000); })")
    return pg.evaluate("[...document.querySelectorAll('ul.figures img')].map(img => img.naturalWidth)")


def test_site_opened_from_files_works_offline_and_asks_no_host(site, browser):
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    recorded = Recorded()

    def guard(route):
        if route.request.url.startswith("file://"):
            recorded.files.append(route.request.url)
            route.continue_()
        else:
            recorded.foreign.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    try:
        pg = context.new_page()
        watch(pg, recorded)

        pg.goto((site.folder / "index.html").as_uri())
        widths = thumbnails_loaded(pg)
        assert len(widths) == len(REAL.figures) and all(w > 0 for w in widths), widths

        pg.goto((site.folder / LINE / "index.html").as_uri())
        pg.wait_for_selector(LIVE, timeout=20_000)
        pg.goto((site.folder / LINE / "embed.html").as_uri())
        pg.wait_for_selector(LIVE, timeout=20_000)
    finally:
        context.close()

    assert any("/assets/vega-" in url for url in recorded.files)  # the route saw the pages' requests
    assert recorded.foreign == []
    assert recorded.failed == []
    assert recorded.errors == []


# -- 5. over http: its own origin only ----------------------------------------------------------

@pytest.mark.parametrize("path", [f"{LINE}/index.html", f"{LINE}/embed.html", f"{SINGLE}/index.html", "index.html"])
def test_page_over_http_asks_no_host_but_its_own(site, new_page, path):
    pg = new_page(1000)
    requests: list[str] = []
    pg.context.on("request", lambda request: requests.append(request.url))

    pg.goto(site.url(path))
    if path == "index.html":
        assert all(w > 0 for w in thumbnails_loaded(pg))
    else:
        pg.wait_for_selector(LIVE, timeout=20_000)
    pg.wait_for_load_state("networkidle")

    assert requests, "no request recorded"
    assert [url for url in requests if not url.startswith(site.origin + "/")] == []
