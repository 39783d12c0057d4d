"""Hostile data and hostile URLs in a real browser: nothing runs, nothing restyles the page, the text shows literally.

One server runs on ``tests/hostile.yaml`` (see ``tests/test_hostile.py`` for
what it holds). A second, tiny Streamlit script writes the same payloads to
``st.markdown`` *unescaped*: it proves that each detector used here does
fire on the real thing (KaTeX, coloured directives, ``data:`` links, bold), so
a pass on the app means the app held, not that the detector is blind.
"""

from __future__ import annotations

import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from figures import formatting
from figures.loader import load
from figures.ui import WORD_JOINER
from tests.browser.conftest import READY, ROOT, STORY_PAGE_SIZE, free_port, start_server, wait_for_app
from tests.test_hostile import AUTOLINK, BAD_FIGURE_VALUES, BOLD, DATA_LINK, IMG, JS_LINK, LATEX, PAYLOADS, RED, RED_BACKGROUND, SCRIPT

pytestmark = pytest.mark.browser

HOSTILE = ROOT / "tests" / "hostile.yaml"
CATALOGUE = load(HOSTILE)
PAGE_TITLE = "Figures"
NOT_FOUND = "We could not find that figure"
MARKDOWN_TEXT = '[data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"]'
"""Where the app's markdown and captions are drawn (charts draw their own text as SVG and are left out)."""
FIGURE_PAGES = ["long-text", "html-img", "latex-dollars", "colour-directives", "markdown-links", "hostile-series", "hostile-competing", "share-across-zero"]

CONTROL_SCRIPT = f'''
import streamlit as st
st.set_page_config(page_title="{PAGE_TITLE}")
st.markdown({IMG + " " + SCRIPT!r})
st.markdown({JS_LINK + " and " + DATA_LINK!r})
st.markdown({RED + " " + RED_BACKGROUND + " " + BOLD!r})
st.markdown("Inline $x^2$ maths")
st.caption({RED + " " + LATEX!r})
st.markdown({AUTOLINK!r})
'''

INSPECT = """() => {
    const main = document.body;
    const reddish = (c) => { const m = c.match(/rgba?\\((\\d+), (\\d+), (\\d+)(?:, ([\\d.]+))?/);
        return m && (m[4] === undefined || +m[4] > 0.05) && +m[1] > 120 && +m[1] > 1.6 * +m[2] && +m[1] > 1.6 * +m[3]; };
    const dataText = /ALERT|red-background|bold|4bn/;
    const red = [...main.querySelectorAll('*')].filter(e => {
        if (e.closest('[data-testid="stVegaLiteChart"]')) return false;  // chart marks are drawn by the theme, not by data
        const own = [...e.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('');
        const s = getComputedStyle(e);
        return dataText.test(own) && (reddish(s.color) || reddish(s.backgroundColor));
    });
    return {
        title: document.title,
        javascript_links: document.querySelectorAll('a[href^="javascript:" i], [href^="javascript:" i], [src^="javascript:" i]').length,
        data_links: document.querySelectorAll('a[href^="data:" i], iframe[src^="data:" i], object[data^="data:" i]').length,
        onerror_images: document.querySelectorAll('img[onerror], img[src="x"], svg image[onerror], [onerror]').length,
        data_scripts: [...document.scripts].filter(s => /pwned|alert\\(1\\)/.test(s.textContent)).length,
        katex: main.querySelectorAll('.katex, .katex-display, math').length,
        coloured_spans: main.querySelectorAll('.stMarkdownColoredText, .stMarkdownColoredBackground, [class*="ColoredText"], [class*="ColoredBackground"]').length,
        red_text: red.map(e => e.outerHTML.slice(0, 200)),
        bold_from_data: [...main.querySelectorAll('strong, b, em, i')].filter(e => e.textContent.trim() === 'bold').length,
        alerts: (window.__alerts || []).length,
        links_to_data_hosts: [...document.querySelectorAll('a[href]')].filter(a => /evil\\.example/i.test(a.href)).map(a => a.href),
    };
}"""
ALERT_TRAP = "window.__alerts = []; for (const f of ['alert', 'confirm', 'prompt']) { window[f] = (...a) => { window.__alerts.push([f, ...a]); }; }"
CLEAN = {"title": PAGE_TITLE, "javascript_links": 0, "data_links": 0, "onerror_images": 0, "data_scripts": 0, "katex": 0,
         "coloured_spans": 0, "red_text": [], "bold_from_data": 0, "alerts": 0, "links_to_data_hosts": []}


@pytest.fixture(scope="module")
def hostile_server():
    srv = start_server(HOSTILE)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def control_server(tmp_path_factory):
    """A bare Streamlit script that writes the payloads to markdown without escaping them."""
    script = tmp_path_factory.mktemp("control") / "control.py"
    script.write_text(CONTROL_SCRIPT, encoding="utf-8")
    srv = start_server(script=script, log_dir=script.parent)
    yield srv
    srv.stop()


def open_page(watched, url: str, charts: int, text: str | None = None) -> dict:
    """Load ``url`` with alert/confirm/prompt trapped, wait for the script and charts, let any late script run, inspect."""
    pg = watched.page
    pg.add_init_script(ALERT_TRAP)
    pg.goto(url)
    pg.wait_for_selector('[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]', timeout=60_000)
    if text:
        pg.get_by_text(text, exact=False).first.wait_for(timeout=60_000)
    wait_for_app(pg, charts, timeout=90_000)
    pg.wait_for_timeout(1500)  # an onerror handler or a delayed script would have run by now
    return pg.evaluate(INSPECT)


def assert_untouched(watched, found: dict) -> None:
    assert watched.dialogs == [], f"a dialog opened: {watched.dialogs}"
    assert watched.errors == [], f"JavaScript errors: {watched.errors}"
    assert found == CLEAN, {k: v for k, v in found.items() if CLEAN[k] != v}
    assert watched.page.locator('[data-testid="stException"]').count() == 0
    assert watched.foreign_requests() == [], "the page asked another host on the reader's behalf"


def card_text(figure_id: str) -> list[str]:
    """The start of the title and of the confidence note a figure's card shows (whitespace collapsed, as the page does)."""
    figure = CATALOGUE.figure(figure_id)
    summary = formatting.confidence_summary(figure)
    note = next(c.confidence_note for c in figure.claims if c.confidence is summary)
    return [" ".join(text.split())[:80] for text in (figure.title, note)]


def assert_literal(watched, payloads) -> str:
    """Each payload is in the text of the page's markdown (the charts, which draw text as SVG, do not count)."""
    shown = "\n".join(watched.page.locator(MARKDOWN_TEXT).all_inner_texts()).replace(WORD_JOINER, "")  # invisible: it stops autolinks
    missing = [p for p in payloads if p not in shown]
    assert not missing, f"not shown as literal text: {missing}"
    return shown


# -- the detectors are not blind ----------------------------------------------------------

def test_detectors_fire_on_unescaped_markdown(control_server, page):
    found = open_page(page, control_server.url + "/", 0, text="maths")
    assert found["katex"] > 0, "KaTeX detector is blind"
    assert found["coloured_spans"] > 0, "colour directive detector is blind"
    assert found["red_text"], "red style detector is blind"
    assert found["data_links"] > 0, "data: link detector is blind"
    assert found["bold_from_data"] > 0, "emphasis detector is blind"
    assert len(found["links_to_data_hosts"]) == 3, "autolink detector is blind (a URL, a www. address and an e-mail address)"
    body = page.page.inner_text("body")
    assert RED not in body and "**bold**" not in body, "unescaped directives would not show literally"


# -- the app on hostile data --------------------------------------------------------------

HOSTILE_STORY = [f for f in CATALOGUE.figures if f.story == "hostile"]


@pytest.mark.parametrize("page_number", range(1, -(-len(HOSTILE_STORY) // STORY_PAGE_SIZE) + 1))
def test_home_page_shows_hostile_text_literally_and_runs_nothing(hostile_server, page, page_number):
    hostile = HOSTILE_STORY[(page_number - 1) * STORY_PAGE_SIZE : page_number * STORY_PAGE_SIZE]
    assert hostile
    found = open_page(page, f"{hostile_server.url}/?story=hostile&page={page_number}", len(hostile))
    assert_untouched(page, found)
    assert_literal(page, [text for figure in hostile for text in card_text(figure.id)])
    if any(f.id == "long-text" for f in hostile):
        assert_literal(page, PAYLOADS.values())


def test_side_by_side_view_on_hostile_data_runs_nothing(hostile_server, page):
    found = open_page(page, f"{hostile_server.url}/?story=hostile&view=compare", 0, text="Side by side")
    assert_untouched(page, found)


@pytest.mark.parametrize("view", ["", "&embed=true"], ids=["figure-page", "embed-view"])
@pytest.mark.parametrize("figure_id", FIGURE_PAGES)
def test_figure_page_and_embed_view_show_hostile_text_literally_and_run_nothing(hostile_server, page, figure_id, view):
    found = open_page(page, f"{hostile_server.url}/?figure={figure_id}{view}", 1)
    assert_untouched(page, found)
    assert_literal(page, card_text(figure_id))
    if figure_id == "long-text":
        assert_literal(page, PAYLOADS.values())


@pytest.mark.parametrize("story_id", [s for s in CATALOGUE.stories if s != "hostile"])
def test_formula_story_pages_run_nothing(hostile_server, page, story_id):
    found = open_page(page, f"{hostile_server.url}/?story={story_id}", 1)
    assert_untouched(page, found)


def test_catalogue_view_and_its_filter_options_show_hostile_text_literally(hostile_server, page):
    pg = page.page
    found = open_page(page, f"{hostile_server.url}/?view=catalogue", 0, text="figures")
    assert_untouched(page, found)
    assert_literal(page, [IMG, JS_LINK, RED, LATEX])
    for label in ("Story", "Claimant", "Topic"):
        box = pg.locator('[data-testid="stMultiSelect"]').filter(has_text=label).first
        for typed, payload in (("onerror", IMG), ("ALERT", RED)):  # typing filters the list, which shows only its first options
            box.click()
            pg.keyboard.type(typed)
            options = pg.locator('[role="option"]')
            options.first.wait_for(timeout=30_000)
            texts = "\n".join(options.all_inner_texts())
            assert payload in texts, f"{label} options do not show the literal text: {texts[:300]!r}"
            assert pg.evaluate(INSPECT) == CLEAN
            pg.keyboard.press("Escape")
            for _ in typed:
                pg.keyboard.press("Backspace")
    assert page.dialogs == []


def test_chart_tooltip_shows_hostile_text_literally(hostile_server, page):
    """Vega's tooltip is HTML; a claimant of ``<img onerror>`` must show as text there too."""
    pg = page.page
    open_page(page, f"{hostile_server.url}/?figure=html-img&embed=true", 1)
    box = pg.locator('[data-testid="stVegaLiteChart"]').first.bounding_box()
    tooltip = pg.locator("#vg-tooltip-element")
    for fy in [i / 20 for i in range(2, 19)]:
        for fx in [i / 10 for i in range(1, 10)]:
            pg.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
            pg.wait_for_timeout(40)
            if tooltip.count() and tooltip.is_visible():
                break
        else:
            continue
        break
    assert tooltip.count() and tooltip.is_visible(), "no tooltip found over the chart"
    assert IMG in tooltip.inner_text()
    assert tooltip.locator("img, script, a").count() == 0
    pg.wait_for_timeout(500)
    assert page.dialogs == [] and pg.title() == PAGE_TITLE


# -- hostile URLs -------------------------------------------------------------------------

def _query(value) -> str:
    values = value if isinstance(value, list) else [value]
    return "&".join("figure=" + urllib.parse.quote(v, safe="") for v in values)


@pytest.mark.parametrize("value", list(BAD_FIGURE_VALUES.values()), ids=list(BAD_FIGURE_VALUES))
def test_bad_figure_parameter_gets_the_calm_message_in_the_browser(hostile_server, page, value):
    found = open_page(page, f"{hostile_server.url}/?{_query(value)}", 0, text=NOT_FOUND)
    assert_untouched(page, found)
    body = page.page.inner_text("body")
    assert NOT_FOUND in body
    assert page.page.locator('[data-testid="stVegaLiteChart"]').count() == 0
    for part in value if isinstance(value, list) else [value]:
        stripped = part.strip("\x00 ")
        if len(stripped) > 3:
            assert stripped not in body, f"{stripped[:60]!r} is echoed on the page"


def test_unknown_keys_give_the_normal_home_page(hostile_server, page):
    first_page = HOSTILE_STORY[:STORY_PAGE_SIZE]
    url = f"{hostile_server.url}/?foo=zq-marker&utm_source={urllib.parse.quote(SCRIPT)}&view={urllib.parse.quote(IMG)}"
    found = open_page(page, url, len(first_page))
    assert_untouched(page, found)
    body = page.page.inner_text("body")
    assert "zq-marker" not in body and NOT_FOUND not in body
    assert page.page.locator('[data-testid="stVegaLiteChart"]').count() == len(first_page)


# -- inside an iframe on another site -----------------------------------------------------

@pytest.fixture
def host_page(hostile_server):
    """A page on another port (another origin) that frames the embed view, as a newsroom's article would."""
    html = (f'<!doctype html><html><head><title>Host article</title></head><body><h1>Our article</h1>'
            f'<iframe src="{hostile_server.url}/?figure=latex-dollars&amp;embed=true" title="figure" width="800" height="800"></iframe>'
            f'</body></html>').encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(html)))
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def test_embed_works_inside_an_iframe_on_another_origin(hostile_server, host_page, page):
    pg = page.page
    pg.add_init_script(ALERT_TRAP)
    pg.goto(host_page)
    frame = pg.frame_locator("iframe")
    frame.locator('[data-testid="stVegaLiteChart"] svg, [data-testid="stVegaLiteChart"] canvas').first.wait_for(timeout=90_000)
    frame.locator(READY).wait_for(timeout=60_000)
    inner = "\n".join(frame.locator(MARKDOWN_TEXT).all_inner_texts())
    assert LATEX in inner and "$4bn to $5bn" in inner
    assert frame.locator('[data-testid="stMainMenu"], [data-testid="stToolbar"]').count() == 0, "the menu or toolbar shows inside the embed"
    assert pg.title() == "Host article", "the framed app changed the host page"
    assert page.dialogs == [] and page.errors == []
