"""Exports: the tidy CSV (formulas neutralised, numbers kept, RFC 4180, UTF-8, a faithful round trip), and per
figure a PNG, an accessible SVG, a standalone offline HTML page and the Vega-Lite JSON, all deterministic and escaped."""

from __future__ import annotations

import csv
import dataclasses
import functools
import io
import json
import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

from figures import exports, formatting, images
from figures.exports import (
    EXPORT_WIDTH,
    EXPORTERS,
    PUBLIC_URL_ENV,
    catalogue_csv,
    chart_spec,
    csv_cell,
    image_labels,
    neutralise,
    read_csv,
    restore,
    rows_to_csv,
    safe_url,
    vega_bundle,
)
from figures.frames import CSV_COLUMNS, NUMERIC_COLUMNS
from figures.images import PNG_SCALE
from figures.loader import load, load_text
from figures.model import Catalogue
from figures.render import RenderError
from tests.conftest import HOSTILE, SHAPES, flat, svg_text
from tests.conftest import Page as PageText

ROOT = Path(__file__).resolve().parents[1]
REAL = load(ROOT / "data" / "figures.yaml")

OWASP_PAYLOADS = [
    '=HYPERLINK("http://x","y")',
    "=1+1",
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
    "-3.2",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "=cmd|' /C notepad'!'A1'",
]


def raw_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


@pytest.mark.parametrize("payload", OWASP_PAYLOADS)
def test_formula_text_is_prefixed_with_a_quote(payload):
    assert neutralise(payload) == "'" + payload
    assert csv_cell(payload) == "'" + payload


@pytest.mark.parametrize("text", ["plain", "", " ", "\u00a0plain", " 'quoted", "a=b", "a\uff1db", "3 to 5", "'quoted", "'", "''", "It’s “curly”", "5", "\u2212 3"])
def test_harmless_text_is_unchanged(text):
    assert neutralise(text) == text


@pytest.mark.parametrize(
    "text",
    [*OWASP_PAYLOADS, "plain", "", "'", "''", "'=", "''=", "'''=1", "'plain", "'-3", "=", "-", "@", "'\t", "it's", "“two or three”"],
)
def test_neutralise_then_restore_gives_the_text_back(text):
    assert restore(neutralise(text)) == text


@pytest.mark.parametrize(("text", "neutralised"), [("'=", "''="), ("''=1", "'''=1"), ("'plain", "'plain")])
def test_text_already_starting_with_a_quote_gets_one_more_only_before_a_formula(text, neutralised):
    assert neutralise(text) == neutralised


BLANKS = {
    "space": " ", "spaces": "   ", "no-break space": "\u00a0", "ideographic space": "\u3000",
    "zero-width space": "\u200b", "word joiner": "\u2060", "byte order mark": "\ufeff", "narrow no-break space": "\u202f",
    "mixed": " \u00a0\u3000\u200b",
}
"""Leading blanks a spreadsheet skips before a formula (a leading tab is one of OWASP_PAYLOADS)."""
STARTS = {
    "=": "=", "+": "+", "-": "-", "@": "@", "full-width =": "\uff1d", "full-width +": "\uff0b", "full-width -": "\uff0d",
    "full-width @": "\uff20", "small =": "\ufe66",
}
"""Formula starts, plain and in the compatibility forms a spreadsheet reads as the plain ones."""
HIDDEN_FORMULAS = [
    *(pytest.param(start + "1+1", id=name) for name, start in STARTS.items() if len(name) > 1),  # the plain ones: OWASP_PAYLOADS
    *(pytest.param(blank + start + "1+1", id=f"{blank_name}, {name}") for blank_name, blank in BLANKS.items() for name, start in STARTS.items()),
    pytest.param("'\u00a0=1", id="quote, no-break space, ="),
    pytest.param(" \uff20SUM(A1)", id="space, full-width @, a function"),
]


@pytest.mark.parametrize("payload", HIDDEN_FORMULAS)
def test_a_formula_behind_blanks_or_in_full_width_is_quoted_and_reads_back_exactly(payload):
    row = {c: payload for c in CSV_COLUMNS if c not in NUMERIC_COLUMNS}
    row.update(value=-3.2, low=-5, high=None, value_canonical=-3.2, low_canonical=-5, high_canonical=None, credibility=2, version=3)

    data = rows_to_csv([row])

    header, cells = raw_rows(data)
    written = dict(zip(header, cells, strict=True))
    assert neutralise(payload) == "'" + payload
    assert all(written[c] == "'" + payload for c in CSV_COLUMNS if c not in NUMERIC_COLUMNS)
    assert (written["value"], written["low"], written["credibility"]) == ("-3.2", "-5", "2")
    (back,) = read_csv(data)
    assert back == row


@pytest.mark.parametrize(
    ("value", "cell"),
    [(None, ""), (0, "0"), (-3, "-3"), (-3.2, "-3.2"), (7_000_000_000, "7000000000"), (7e9, "7000000000"), (2.5, "2.5"), (1e20, "1e+20"), (True, "true"), ("x", "x")],
)
def test_csv_cell_writes_numbers_as_numbers(value, cell):
    assert csv_cell(value) == cell


@pytest.mark.parametrize("payload", OWASP_PAYLOADS)
def test_formula_in_every_text_column_is_neutralised_and_numbers_stay_numbers(payload):
    row = {c: payload for c in CSV_COLUMNS if c not in NUMERIC_COLUMNS}
    row.update(value=-3.2, low=-5, high=-1, value_canonical=-3.2, low_canonical=None, high_canonical=0.5, credibility=2)

    data = rows_to_csv([row])

    header, cells = raw_rows(data)
    written = dict(zip(header, cells, strict=True))
    for column in CSV_COLUMNS:
        if column not in NUMERIC_COLUMNS:
            assert written[column] == "'" + payload, column
    assert (written["value"], written["low"], written["high"], written["low_canonical"], written["credibility"]) == ("-3.2", "-5", "-1", "", "2")
    assert b",-3.2,-5,-1," in data  # unquoted, no apostrophe
    (back,) = read_csv(data)
    assert back["value"] == -3.2 and back["low"] == -5 and isinstance(back["low"], int)
    assert back["claimant"] == payload


def test_every_csv_column_is_in_the_header_in_order(real):
    header = raw_rows(catalogue_csv(real))[0]

    assert header == list(CSV_COLUMNS)
    assert set(NUMERIC_COLUMNS) <= set(CSV_COLUMNS)


def test_round_trip_of_the_real_catalogue_keeps_every_claim(real):
    rows = read_csv(catalogue_csv(real))
    claims = [(f, c) for f in real.figures for c in f.claims]

    assert len(rows) == len(claims) == real.claim_count
    for row, (figure, claim) in zip(rows, claims, strict=True):
        assert row["figure_id"] == figure.id
        assert (row["value"], row["low"], row["high"]) == (claim.value, claim.low, claim.high)
        assert row["qualifier"] == claim.qualifier.value
        assert row["unit"] == figure.unit
        assert row["source"] == claim.source
        assert row["confidence"] == claim.confidence.value
        assert row["quote"] == claim.quote
        assert row["as_of"] == claim.as_of.iso
        assert row["confidence_note"] == claim.confidence_note


def test_round_trip_of_hostile_text_through_yaml_and_csv(catalogue_text):
    claimant = '=HYPERLINK("http://x","y")'
    quote = "+cmd|' /C calc'!A0"
    text = catalogue_text("claimant: Someone", "claimant: '=HYPERLINK(\"http://x\",\"y\")'").replace('quote: "five"', "quote: \"+cmd|' /C calc'!A0\"")
    catalogue = load_text(text)
    assert catalogue.ok

    data = catalogue_csv(catalogue, catalogue.figure("target"))

    header, cells = raw_rows(data)
    written = dict(zip(header, cells, strict=True))
    assert (written["claimant"], written["quote"]) == ("'" + claimant, "'" + quote)
    (row,) = read_csv(data)
    assert (row["claimant"], row["quote"]) == (claimant, quote)


def test_csv_is_rfc4180_with_crlf_and_doubled_quotes():
    row = dict.fromkeys(CSV_COLUMNS)
    row.update(figure_id="a", quote='He said "two or three", then left', claimant="line one\nline two", value=1)

    data = rows_to_csv([row, row])

    assert data.count(b"\r\n") == 3  # header and two rows; the newline inside a quoted cell stays a bare LF
    assert data.endswith(b"\r\n")
    assert b'"He said ""two or three"", then left"' in data
    assert b'"line one\nline two"' in data
    assert read_csv(data)[1]["claimant"] == "line one\nline two"


def test_csv_is_utf8_with_the_articles_curly_quotes_intact(real):
    data = catalogue_csv(real)

    text = data.decode("utf-8")
    assert not data.startswith(b"\xef\xbb\xbf")
    assert "“two or three”" in text
    assert "Taliban’s takeover" in text
    assert "’".encode() in data and "“".encode() in data  # U+2019 and U+201C as UTF-8, not mojibake or escapes


def test_pandas_reads_it_as_a_real_csv(real):
    frame = pd.read_csv(io.BytesIO(catalogue_csv(real)), encoding="utf-8")

    assert list(frame.columns) == list(CSV_COLUMNS)
    assert len(frame) == real.claim_count
    assert pd.api.types.is_numeric_dtype(frame["value"])
    assert frame.loc[frame["figure_id"] == "humvees-left", "value"].item() == 23825
    assert frame.loc[frame["figure_id"] == "us-equipment-left-value", "value"].item() == 7_000_000_000
    strikes = frame.loc[frame["figure_id"] == "russia-cruise-missile-mass-strikes"].iloc[0]
    assert (strikes["low"], strikes["high"], pd.isna(strikes["value"])) == (2, 3, True)
    assert frame["quote"].str.contains("“two or three”", regex=False).any()


def test_one_figure_exports_only_its_claims(real):
    figure = real.figure("russia-iskander-stock")

    rows = read_csv(catalogue_csv(real, figure))

    assert [(r["figure_id"], r["value"], r["as_of"]) for r in rows] == [("russia-iskander-stock", 900, "2022-02"), ("russia-iskander-stock", 119, "2022-11")]


def test_csv_exporter_gives_the_same_bytes_as_the_function(real):
    csv_format = EXPORTERS["csv"]

    assert csv_format.render(real, None) == catalogue_csv(real)
    assert csv_format.render(real, real.figure("humvees-left")) == catalogue_csv(real, real.figure("humvees-left"))
    assert (csv_format.media_type, csv_format.extension, csv_format.filename()) == ("text/csv", "csv", "figures.csv")


def test_empty_catalogue_exports_just_the_header():
    data = catalogue_csv(Catalogue(path="x"))

    assert data == (",".join(CSV_COLUMNS) + "\r\n").encode("utf-8")
    assert read_csv(data) == []


# -- chart formats ----------------------------------------------------------------------------

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SVG_NS = "{http://www.w3.org/2000/svg}"


@functools.cache
def rendered(name: str, figure_id: str) -> bytes:
    """One export of a figure of data/figures.yaml, rendered once per test session."""
    return EXPORTERS[name].render(REAL, REAL.figure(figure_id))


def test_exporters_table_has_the_five_formats_with_file_names_and_media_types():
    figure = REAL.figure("humvees-left")

    table = {name: (f.extension, f.media_type, f.filename(figure)) for name, f in EXPORTERS.items()}

    assert table == {
        "csv": ("csv", "text/csv", "humvees-left.csv"),
        "png": ("png", "image/png", "humvees-left.png"),
        "svg": ("svg", "image/svg+xml", "humvees-left.svg"),
        "html": ("html", "text/html", "humvees-left.html"),
        "vl.json": ("vl.json", "application/json", "humvees-left.vl.json"),
    }
    assert all(f.name == name and f.label for name, f in EXPORTERS.items())


@pytest.mark.parametrize("name", ["png", "svg", "html", "vl.json"])
def test_chart_formats_refuse_to_render_without_a_figure(name):
    with pytest.raises(ValueError, match="figure"):
        EXPORTERS[name].render(REAL, None)
    with pytest.raises(ValueError, match="needs a figure"):
        EXPORTERS[name].filename(None)


@pytest.mark.parametrize("figure_id", SHAPES)
def test_png_is_a_png_at_twice_the_size_of_the_chart(figure_id):
    data = rendered("png", figure_id)
    root = ET.fromstring(rendered("svg", figure_id))

    assert data.startswith(PNG_MAGIC)
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (PNG_SCALE * int(root.get("width")), PNG_SCALE * int(root.get("height")))
    assert PNG_SCALE == 2 and width >= 2 * EXPORT_WIDTH
    assert data == images.draw_png(chart_spec(REAL, REAL.figure(figure_id)))  # the images module's drawing (tests/test_images.py), through the renderer


@pytest.mark.parametrize("figure_id", SHAPES)
def test_svg_has_title_and_desc_first_and_draws_title_qualifier_and_source_line(figure_id):
    figure = REAL.figure(figure_id)
    root = ET.fromstring(rendered("svg", figure_id))

    first, second = list(root)[:2]
    assert (first.tag, second.tag) == (f"{SVG_NS}title", f"{SVG_NS}desc")
    assert first.text == figure.title
    assert second.text == json.loads(rendered("vl.json", figure_id))["description"]  # the numbers in words
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{first.get('id')} {second.get('id')}"
    drawn = svg_text(root)
    assert figure.title in drawn
    assert formatting.source_line(figure, REAL).replace(" | ", " ") in drawn  # the attribution travels with the picture
    for claim in figure.claims:
        assert formatting.claim_value(claim, figure.unit) in drawn  # "more than $7bn", "2 to 3 strikes"


@pytest.mark.parametrize("figure_id", SHAPES)
def test_html_page_carries_title_headline_confidence_attribution_and_quote_as_text(figure_id):
    figure = REAL.figure(figure_id)
    page = PageText(rendered("html", figure_id))

    assert not page.open, f"unclosed tags {page.open}"
    for text in [figure.title, formatting.headline(figure), formatting.source_line(figure, REAL),
                 formatting.CONFIDENCE_LABELS[formatting.confidence_summary(figure)]]:
        assert flat(text) in page.text, text
    for claim in figure.claims:
        for text in (formatting.attribution(claim, REAL), claim.confidence_note, claim.quote, formatting.claim_value(claim, figure.unit)):
            assert flat(text) in page.text, text
    assert ("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}) in page.tags
    assert [t for t, a in page.tags if a.get("id") == "chart"] == ["div"]


@pytest.mark.parametrize("figure_id", SHAPES)
def test_html_page_works_offline_with_vega_inlined_and_fills_its_container(figure_id):
    data = rendered("html", figure_id)
    page = PageText(data)

    external = [(t, a) for t, a in page.tags if t in ("script", "link", "img", "iframe", "source", "embed", "object")
                and re.match(r"(https?:)?//", (a.get("src") or a.get("href") or a.get("data") or "")) and a.get("rel") != "canonical"]
    assert external == []
    assert not [a for t, a in page.tags if t == "script" and "src" in a]  # every script is inline
    assert b"vegaEmbed" in data and len(data) > 500_000  # Vega, Vega-Lite and vega-embed travel with the page
    (spec_text,) = [s for s in page.scripts if s.lstrip().startswith("{")]
    spec = json.loads(spec_text)
    assert spec["width"] == "container"  # 320 to 1200 pixels: the chart takes the width it is given
    csp = next(a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]


@pytest.mark.parametrize("figure_id", SHAPES)
def test_vega_lite_json_is_the_house_chart_at_the_export_width(figure_id):
    data = rendered("vl.json", figure_id)

    spec = json.loads(data)
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert spec["width"] == EXPORT_WIDTH
    assert spec["config"]["font"].startswith("DejaVu Sans")  # the house theme, not a default one
    assert data.decode("utf-8") == json.dumps(spec, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("figure_id", SHAPES)
def test_csv_of_one_figure_parses_back_to_its_claims(figure_id):
    rows = read_csv(rendered("csv", figure_id))

    assert [r["figure_id"] for r in rows] == [figure_id] * len(REAL.figure(figure_id).claims)


@pytest.mark.parametrize("name", ["csv", "png", "svg", "html", "vl.json"])
def test_every_format_gives_identical_bytes_when_rendered_again(name):
    for figure in REAL.figures:
        assert EXPORTERS[name].render(REAL, figure) == rendered(name, figure.id), figure.id


@pytest.mark.parametrize(("name", "noncharacter"), [("png", "\ufffe"), ("png", "\uffff"), ("svg", "\ufffe")])
def test_an_image_the_renderer_cannot_draw_is_one_calm_error_and_the_next_download_works(name, noncharacter, capfd):
    """vl-convert aborts its process on a noncharacter: the export must lose only that download, never this process."""
    good = REAL.figure("humvees-left")
    poisoned = dataclasses.replace(good, title=f"ab{noncharacter}cd")

    with pytest.raises(RenderError) as caught:
        EXPORTERS[name].render(REAL, poisoned)

    assert str(caught.value) == "This image could not be drawn; the data and the other downloads still work."
    assert "SIGABRT" in caught.value.reason and "\n" not in caught.value.reason
    spec = chart_spec(REAL, good)
    expected = images.draw_png(spec) if name == "png" else images.draw_svg(spec, *image_labels(spec, good))
    assert EXPORTERS[name].render(REAL, good) == expected  # a fresh renderer, the same bytes as drawing here
    assert "panicked" not in capfd.readouterr().err  # the renderer's last words become the reason, not noise


def test_the_other_formats_of_a_figure_the_renderer_cannot_draw_still_work():
    poisoned = dataclasses.replace(REAL.figure("humvees-left"), title="ab\ufffecd")

    for name in ("csv", "html", "vl.json"):
        assert "ab\ufffecd".encode() in EXPORTERS[name].render(REAL, poisoned), name


# -- hostile catalogue text -------------------------------------------------------------------

def test_hostile_text_appears_in_the_html_page_only_escaped(hostile):
    catalogue, figure = hostile

    data = EXPORTERS["html"].render(catalogue, figure).decode("utf-8")
    page = PageText(data.encode("utf-8"))
    ours = data.replace(vega_bundle(), "")  # Vega's own code (which builds tooltips with <img> and escapes data itself)

    assert "<img" not in ours and "<script>alert" not in ours and "onerror=alert(1)>" not in ours
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in ours and "&lt;img src=x onerror=alert(1)&gt;" in ours
    assert len(re.findall(r"<script", data)) == 3  # the spec (JSON), the Vega bundle, the start-up: nothing injected
    assert not [t for t, _ in page.tags if t == "img"]
    for text in (figure.title, figure.claims[0].claimant, figure.claims[0].quote):
        assert flat(text) in page.text  # shown to the reader as the words they are
    (spec_text,) = [s for s in page.scripts if s.lstrip().startswith("{")]
    assert "<" not in spec_text and HOSTILE in json.dumps(json.loads(spec_text), ensure_ascii=False)


def test_hostile_text_stays_data_in_the_vega_lite_json_and_the_png_still_draws(hostile):
    catalogue, figure = hostile

    spec = json.loads(EXPORTERS["vl.json"].render(catalogue, figure))

    assert HOSTILE in json.dumps(spec, ensure_ascii=False)
    assert EXPORTERS["png"].render(catalogue, figure).startswith(PNG_MAGIC)


# -- links ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://news.example/figures", True),
        ("http://localhost:8501", True),
        ("javascript:alert(1)", False),
        ("JAVASCRIPT:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("//news.example/figures", False),
        ("news.example/figures", False),
        ("https://", False),
        ('https://x.example/" onmouseover="alert(1)', False),
        ("https://x.example/a b", False),
        ("", False),
        (None, False),
    ],
)
def test_only_plain_http_urls_are_ever_linked(url, safe):
    assert (safe_url(url) == url) if safe else safe_url(url) is None


def test_html_page_links_back_to_the_figure_only_when_a_public_url_is_known(monkeypatch):
    figure = REAL.figure("humvees-left")
    monkeypatch.delenv(PUBLIC_URL_ENV, raising=False)
    without = PageText(EXPORTERS["html"].render(REAL, figure))
    monkeypatch.setenv(PUBLIC_URL_ENV, "https://news.example/figures/")
    with_url = PageText(EXPORTERS["html"].render(REAL, figure))
    monkeypatch.setenv(PUBLIC_URL_ENV, "javascript:alert(1)")
    hostile_url = PageText(EXPORTERS["html"].render(REAL, figure))

    def links(page: PageText) -> list[str]:
        return [a["href"] for t, a in page.tags if t == "a" and "figure=" in a.get("href", "")]

    assert links(without) == [] and links(hostile_url) == []
    assert links(with_url) == ["https://news.example/figures/?figure=humvees-left"]


# -- the hostile catalogue through every exporter -----------------------------------------

HOSTILE_CATALOGUE = load(ROOT / "tests" / "hostile.yaml")
HOSTILE_TEXT = ("<img src=x onerror=alert(1)>", "<script>document.title='pwned'</script>")


@pytest.mark.parametrize("figure_id", [f.id for f in HOSTILE_CATALOGUE.figures])
def test_hostile_figures_export_to_every_format_as_inert_text(figure_id):
    figure = HOSTILE_CATALOGUE.figure(figure_id)
    out = {name: fmt.render(HOSTILE_CATALOGUE, figure) for name, fmt in EXPORTERS.items() if name != "csv"}
    assert out["png"].startswith(PNG_MAGIC)
    svg = ET.fromstring(out["svg"])  # well-formed XML, so no payload broke out of a text node or attribute
    tags = {element.tag.rsplit("}", 1)[-1] for element in svg.iter()}
    assert not tags & {"script", "foreignObject", "img", "iframe", "a"}, tags
    assert not any(name.startswith("on") for element in svg.iter() for name in element.attrib)
    spec = json.loads(out["vl.json"])
    assert spec["description"]
    page = PageText(out["html"])
    assert {tag for tag, _ in page.tags} <= {"html", "head", "meta", "link", "title", "style", "body", "main", "article", "header",
                                             "h1", "h2", "h3", "p", "ul", "ol", "li", "blockquote", "a", "div", "span", "strong",
                                             "em", "small", "figure", "figcaption", "script", "footer", "section", "dl", "dt", "dd",
                                             "abbr", "time", "cite", "q", "br", "hr", "nav", "aside", "table", "thead", "tbody", "noscript",
                                             "tr", "th", "td", "caption", "details", "summary", "b", "i", "code", "sup", "sub"}
    assert all(not name.startswith("on") for _, attrs in page.tags for name in attrs)
    assert len(page.scripts) == 3, "the spec, the Vega bundle and the start script; nothing from the data"
    for text in HOSTILE_TEXT:
        if text in figure.title:
            assert text in page.text, "a hostile title must still be shown, as text"


@pytest.mark.parametrize(("public", "licence", "credit"), [
    ("https://news.example/figures", "CC BY 4.0", "https://news.example/figures/?figure=humvees-left · CC BY 4.0"),
    ("https://news.example/figures", "", "https://news.example/figures/?figure=humvees-left"),
    ("", "© The Daily Example", "© The Daily Example"),
    ("javascript:alert(1)", "", None),  # never a link-like string that is not a plain http(s) address
    ("", "", None),
])
def test_png_and_svg_carry_the_permalink_and_the_newsrooms_licence_after_the_source_line(monkeypatch, public, licence, credit):
    figure = REAL.figure("humvees-left")
    monkeypatch.setenv("FIGURES_PUBLIC_URL", public)
    monkeypatch.setenv("FIGURES_LICENCE", licence)

    assert exports.credit_line(exports.figure_page_url(figure)) == credit
    drawn = svg_text(ET.fromstring(exports.svg(REAL, figure)))
    source = formatting.source_line(figure, REAL)
    assert (source + (f" · {credit}" if credit else "")).replace(" ", "") in drawn.replace(" ", "")  # the foot wraps where it must
    if credit is None:
        assert "alert" not in drawn and "·  ·" not in drawn
