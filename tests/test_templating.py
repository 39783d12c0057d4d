"""One way to write HTML: every page extends one base template (one ``<head>``, one CSP shape), autoescape and ``|script_json``.

The standalone page (:func:`figures.exports.html_page`) and the static site's
pages (:mod:`figures.site`) are checked side by side: the same head from
``_page.html.j2``, hostile catalogue text escaped in the title, in attributes
and in JSON inside ``<script>``, and no module of ``figures/`` escaping HTML by hand.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest

from figures import exports, formatting, site, templating
from figures.loader import load
from figures.model import Catalogue, Figure, PartialDate, Withdrawal

ROOT = Path(__file__).resolve().parents[1]
REAL = load(ROOT / "data" / "figures.yaml")
HOSTILE_CATALOGUE = load(ROOT / "tests" / "hostile.yaml")
FIGURE = REAL.figure("humvees-left")
BASE = "https://news.example/figures/"
ASSETS = site.Assets("assets/vega-0.js", "assets/figure-0.js", "assets/site-0.css", "assets/icon-0.png")
TEMPLATES = ROOT / "figures" / "templates"

PAYLOADS = [
    "<script>alert(1)</script>",
    "</script><script>alert(2)</script>",
    "<!-- <script>x</script> -->",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)",
    "<img src=x onerror=alert(1)>",
    "a & b &amp; c &lt;tag&gt;",
    "]]> </title></head><body><a href=javascript:alert(1)>x</a>",
    "line\u2028separator\u2029paragraph",
]
"""Hostile text for a figure's title: markup, a script, attribute breakers, entities, JavaScript line separators."""


class Page(HTMLParser):
    """A page's tags with their attributes (entities decoded), each script's text, the ``<title>``'s text, the raw head."""

    def __init__(self, data: bytes) -> None:
        super().__init__(convert_charrefs=True)
        self.raw = data.decode("utf-8")
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.title = ""
        self._inside: str | None = None
        self.feed(self.raw)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._inside = tag if tag in ("script", "title", "style") else None
        if tag == "script":
            self.scripts.append((dict(attrs), ""))

    def handle_endtag(self, tag):
        self._inside = None

    def handle_data(self, data):
        if self._inside == "script":
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        elif self._inside == "title":
            self.title += data

    @property
    def head(self) -> str:
        """The raw text from ``<head>`` to ``</head>``."""
        return self.raw[self.raw.index("<head>"):self.raw.index("</head>") + len("</head>")]

    def meta(self, **match: str) -> dict:
        (attrs,) = [a for t, a in self.tags if t == "meta" and all(a.get(k) == v for k, v in match.items())]
        return attrs

    def json_of(self, kind: str) -> tuple[str, object]:
        """The raw text of the one ``<script type=kind>`` and its JSON value."""
        (text,) = [text for attrs, text in self.scripts if attrs.get("type") == kind]
        return text, json.loads(text)


# -- the pages, side by side ------------------------------------------------------------------

def standalone(catalogue: Catalogue, figure: Figure) -> bytes:
    return exports.html_page(catalogue, figure)


def figure_page(catalogue: Catalogue, figure: Figure) -> bytes:
    drawings = site.Drawings(exports.chart_spec(catalogue, figure), exports.chart_spec(catalogue, figure, exports.NARROW_WIDTH))
    return site.figure_page(catalogue, figure, drawings, BASE, ASSETS)


def embed_page(catalogue: Catalogue, figure: Figure) -> bytes:
    return site.embed_page(catalogue, figure, site.Drawings({}, {}), BASE, ASSETS)


def index_page(catalogue: Catalogue, figure: Figure) -> bytes:
    return site.index_page(catalogue, [site.IndexEntry(figure, None)], ASSETS)


def withdrawn_page(catalogue: Catalogue, figure: Figure) -> bytes:
    return site.withdrawn_page(figure.title, Withdrawal(figure.id, PartialDate(2024, 1), "Taken out."), (), ASSETS)


PAGES: dict[str, Callable[[Catalogue, Figure], bytes]] = {
    "standalone": standalone, "figure": figure_page, "embed": embed_page, "index": index_page, "withdrawn": withdrawn_page,
}


def expected_head(name: str, catalogue: Catalogue, figure: Figure) -> templating.Head:
    """The :class:`figures.templating.Head` each page is meant to have."""
    description = formatting.headline(figure) + ". " + formatting.source_line(figure, catalogue)
    page_url = site.figure_urls(BASE, figure.id).page
    stories = [catalogue.stories[s] for s in dict.fromkeys(f.story for f in catalogue.figures) if s in catalogue.stories]
    return {
        "standalone": templating.Head(figure.title, standalone_csp(), description=description, generator=False),
        "figure": templating.Head(figure.title, site.CSP_SCRIPTED, description=description, canonical=page_url),
        "embed": templating.Head(figure.title, site.CSP_SCRIPTED, canonical=page_url, robots="noindex"),
        "index": templating.Head("Figures" + (f": {stories[0].title}" if len(stories) == 1 else ""), site.CSP_PLAIN),
        "withdrawn": templating.Head("Withdrawn: " + figure.title, site.CSP_PLAIN, robots="noindex"),
    }[name]


def standalone_csp() -> str:
    return templating.content_security_policy(
        script=f"{exports._bundle_hash()} {exports._csp_hash(exports.START_SCRIPT)} 'unsafe-eval'",
        style="'unsafe-inline'", img="data: blob:")


STYLE_LINES = re.compile(r'<style>.*?</style>\n|<link rel="(?:stylesheet|icon|alternate)"[^>]*>\n', re.S)


@pytest.fixture(autouse=True)
def _no_public_url(monkeypatch):
    monkeypatch.delenv(exports.PUBLIC_URL_ENV, raising=False)


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_has_exactly_the_head_the_base_template_makes_from_its_head_values(name):
    page = Page(PAGES[name](REAL, FIGURE))
    head = expected_head(name, REAL, FIGURE)

    base = Page(templating.render("_page.html.j2", head=head, assets=ASSETS).encode())

    assert STYLE_LINES.sub("", page.head) == STYLE_LINES.sub("", base.head)  # the same bytes, but for the style sheet and links
    assert page.raw.startswith('<!DOCTYPE html>\n<html lang="en"') and page.raw.endswith("</body>\n</html>\n")


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_comes_from_the_one_base_template(name, monkeypatch):
    """Change the base template, and every page (the standalone one included) changes with it."""
    marked = (TEMPLATES / "_page.html.j2").read_text("utf-8").replace(
        '<meta charset="utf-8">\n', '<meta charset="utf-8">\n<meta name="x-base" content="the one base">\n')
    env = templating.environment().overlay(loader=jinja2.ChoiceLoader([
        jinja2.DictLoader({"_page.html.j2": marked}), templating.environment().loader]))
    monkeypatch.setattr(templating, "environment", lambda: env)

    page = Page(PAGES[name](REAL, FIGURE))

    assert page.meta(name="x-base")["content"] == "the one base"
    assert page.head.index("x-base") < page.head.index("Content-Security-Policy") < page.head.index("<title>")


@pytest.mark.parametrize(("name", "script"), [
    ("standalone", True), ("figure", True), ("embed", True), ("index", False), ("withdrawn", False),
])
def test_every_policy_has_one_shape_nothing_by_default_no_base_no_form(name, script):
    csp = Page(PAGES[name](REAL, FIGURE)).meta(**{"http-equiv": "Content-Security-Policy"})["content"]
    directives = csp.split("; ")

    assert directives[0] == "default-src 'none'" and directives[-2:] == ["base-uri 'none'", "form-action 'none'"]
    assert [d.split()[0] for d in directives] == (
        ["default-src", "script-src", "style-src", "img-src", "base-uri", "form-action"] if script
        else ["default-src", "style-src", "img-src", "base-uri", "form-action"])
    assert csp == expected_head(name, REAL, FIGURE).csp
    assert "'unsafe-inline'" not in (directives[1] if script else "")  # no inline script runs unless allowed by hash


def test_only_the_base_template_writes_a_document_and_every_page_template_extends_it():
    for template in sorted(TEMPLATES.glob("*.j2")):
        text = template.read_text("utf-8")
        writes_document = "<!DOCTYPE" in text or "<head>" in text or "Content-Security-Policy" in text
        assert writes_document == (template.name == "_page.html.j2"), template.name
        if not template.name.startswith("_") and template.name.endswith(".html.j2"):
            assert '{% extends "_page.html.j2" %}' in text, template.name


# -- hostile text -----------------------------------------------------------------------------

@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("name", list(PAGES))
def test_a_hostile_title_stays_text_in_the_title_the_heading_and_every_attribute(name, payload):
    figure = dataclasses.replace(FIGURE, title=payload)
    plain = Page(PAGES[name](REAL, FIGURE))

    page = Page(PAGES[name](REAL, figure))

    assert [t for t, _ in page.tags] == [t for t, _ in plain.tags]  # no element added, none broken out of
    assert [sorted(a) for _, a in page.tags] == [sorted(a) for _, a in plain.tags]  # no attribute added
    assert page.title == expected_head(name, REAL, figure).title
    assert not [a for t, a in page.tags if t == "a" and a.get("href", "").startswith("javascript")]
    if name in ("standalone", "figure"):
        assert page.meta(name="description")["content"].startswith(formatting.headline(figure))
    if name == "figure":
        (oembed,) = [a for t, a in page.tags if t == "link" and a.get("rel") == "alternate"]
        assert oembed["title"] == payload


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize(("name", "kind"), [("standalone", "application/json"), ("figure", "application/ld+json")])
def test_a_hostile_title_stays_data_in_the_json_of_a_script_element(name, kind, payload):
    figure = dataclasses.replace(FIGURE, title=payload)

    text, value = Page(PAGES[name](REAL, figure)).json_of(kind)

    assert not set("<>&\u2028\u2029") & set(text)  # |script_json: nothing can end the element, open a comment or a line
    assert value == (exports.chart_spec(REAL, figure, width=None) if name == "standalone" else site.json_ld(REAL, figure, BASE))
    if name == "figure":
        assert value["@graph"][0]["name"] == payload


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_title_stays_one_json_literal_in_the_specs_file(payload):
    spec = exports.chart_spec(REAL, dataclasses.replace(FIGURE, title=payload))

    text = site.Drawings(spec, spec).specs_script().decode()

    prefix, suffix = "window.figuresSpecs = ", ";\n"
    assert text.startswith(prefix) and text.endswith(suffix)
    assert json.loads(text[len(prefix):-len(suffix)]) == {"wide": spec, "narrow": spec}
    assert not set("<>&\u2028\u2029") & set(text[len(prefix):-len(suffix)])


@pytest.mark.parametrize("figure_id", [f.id for f in HOSTILE_CATALOGUE.figures])
@pytest.mark.parametrize("name", list(PAGES))
def test_the_hostile_catalogue_makes_no_markup_link_or_script_on_any_page(name, figure_id):
    figure = HOSTILE_CATALOGUE.figure(figure_id)

    page = Page(PAGES[name](HOSTILE_CATALOGUE, figure))

    tags = [t for t, _ in page.tags]
    assert not {"img", "iframe", "object", "embed", "form", "base"} & set(tags)
    assert len([t for t in tags if t == "script"]) == {"standalone": 3, "figure": 2, "embed": 1}.get(name, 0)
    assert page.title == expected_head(name, HOSTILE_CATALOGUE, figure).title
    for tag, attrs in page.tags:
        assert not [k for k in attrs if k.startswith("on")], (tag, attrs)
        for key in ("href", "src"):
            assert not (attrs.get(key) or "").lower().startswith(("javascript:", "data:")), (tag, attrs)


@pytest.mark.parametrize(("value", "written"), [
    ("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"),
    ("'", "'"),  # cannot end a script element; left as the published pages always wrote it
    ('"', '\\"'), ("é", "é"),
])
def test_script_json_escapes_what_could_end_a_script_element(value, written):
    rendered = templating.environment().from_string("<script>{{ v|script_json }}</script>").render(v={"k": value, "a": 1})

    assert rendered == '<script>{"a":1,"k":"' + written + '"}</script>'  # sorted keys, compact, UTF-8 text


# -- no hand-escaping -------------------------------------------------------------------------

HAND_ESCAPING = re.compile(
    r"""import html\b|from html import|html\.escape|\b_esc\(|saxutils|cgi\.escape|\\\\u003c"""
    r"""|\.replace\(\s*["'][&<>]["']""")
"""Ways to escape HTML (or JSON for a script element) by hand instead of through a template."""
ESCAPING_ALLOWED = {
    "templating.py": "script_json, the filter every template uses inside <script>: the one place JSON is made safe for a script",
    "formatting.py": "embed_snippet writes the embed code's iframe attributes (a journalist's copy-paste text, not a page)",
    "images.py": "accessible_svg escapes the <title> and <desc> it adds to an SVG (XML, not a page)",
}
"""Modules that escape on purpose, each for a reason; every other module must leave escaping to the templates."""


@pytest.mark.parametrize("module", [p.name for p in sorted((ROOT / "figures").glob("*.py")) if p.name not in ESCAPING_ALLOWED])
def test_no_module_escapes_html_by_hand(module):
    source = (ROOT / "figures" / module).read_text("utf-8")

    assert not [m.group(0) for m in HAND_ESCAPING.finditer(source)]


@pytest.mark.parametrize("template", sorted(p.name for p in (ROOT / "figures" / "templates").glob("*.html.j2")))
def test_script_json_is_used_only_inside_a_script_element(template):
    """It leaves ' as it is, which is safe in a script and not in a single-quoted attribute: nowhere else may use it."""
    source = (ROOT / "figures" / "templates" / template).read_text("utf-8")
    outside = re.sub(r"<script\b[^>]*>.*?</script>", "", source, flags=re.S)

    assert "script_json" not in outside  # (specs.js.j2 is all script)


def test_jinjas_own_tojson_stays_safe_in_an_attribute():
    rendered = templating.environment().from_string("<a title='{{ v|tojson }}'>").render(v="' onclick=x")

    assert "onclick=x'" not in rendered and "\\u0027" in rendered
