"""Valid but hostile data and hostile URLs, through the pure functions and Streamlit's AppTest.

``tests/hostile.yaml`` is a catalogue that ``python -m figures check`` accepts
and whose every kind of text field (titles, quotes, claimants, confidence
notes, story title and note, source names) holds HTML, ``javascript:`` and
``data:`` links, Streamlit colour directives, dollar signs, markdown emphasis,
strings at the loader's length limits, bare web and e-mail addresses (which
markdown would autolink), right-to-left marks and scripts, zero-width
characters, and spreadsheet formulas (plain, and behind spaces or in
full-width forms). What the checker refuses instead (noncharacters, bidi
overrides, impossible numbers and units) is in ``tests/refused.yaml``. The app must show each as its literal
text; the CSV must neutralise every formula and keep every number.

The browser half of these checks is in ``tests/browser/test_hostile.py``.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from figures import exports, formatting, frames, ui
from figures.cli import main as cli
from figures.loader import LONG_TEXT, SHORT_TEXT, load
from tests import conftest

ROOT = Path(__file__).parents[1]
HOSTILE = ROOT / "tests" / "hostile.yaml"
NOT_FOUND = "We could not find that figure"

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>document.title='pwned'</script>"
JS_LINK = "[click](javascript:alert(1))"
DATA_LINK = "[x](data:text/html,<script>alert(1)</script>)"
RED = ":red[ALERT]"
RED_BACKGROUND = ":red-background[x]"
LATEX = "$4bn to $5bn"
BOLD = "**bold**"
AUTOLINK = "see https://evil.example/phish www.evil.example ceo@evil.example"
ZERO_WIDTH = "zero\u200bwidth"
PAYLOADS = {
    "img": IMG, "script": SCRIPT, "javascript-link": JS_LINK, "data-link": DATA_LINK, "red": RED,
    "red-background": RED_BACKGROUND, "latex": LATEX, "bold": BOLD, "autolink": AUTOLINK, "zero-width": ZERO_WIDTH,
}
"""Markup payloads; each is in every kind of text field of tests/hostile.yaml."""

FORMULAS = {
    "eq": "=cmd|' /C calc'!A0", "plus": "+1+1", "minus": "-1+1", "at": "@SUM(A1)", "tab": "\t=1", "cr": "\r=1",
    "space": " =1+1", "nbsp": "\u00a0=1+1", "fullwidth": "\uff1d1+1", "ideographic": "\u3000@SUM(A1)",
}
"""OWASP's CSV injection payloads, and the same behind whitespace or in full-width forms (spreadsheets run those too);
figure ``formula-<key>`` holds its payload in every free-text field."""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
FREE_TEXT_COLUMNS = ("figure_title", "story_title", "topic", "tags", "claimant", "source_name", "quote", "confidence_note")
"""CSV columns an editor writes freely (the others are slugs, enums, dates, units or links the loader checks)."""

MARKDOWN_SPECIAL = set("\\`*_{}[]()<>#+-.!|:$~&=^")
"""Characters that start markdown, HTML, a Streamlit directive (:red[...], :material/...:) or LaTeX."""

CATALOGUE = load(HOSTILE)


# -- the catalogue itself ----------------------------------------------------------------

def test_hostile_catalogue_is_valid_for_the_checker():
    result = CliRunner().invoke(cli, ["check", str(HOSTILE)])
    assert result.exit_code == 0, result.output
    assert [str(p) for p in CATALOGUE.problems] == []
    assert len(CATALOGUE.figures) == 20


def _fields(catalogue) -> dict[str, list[str]]:
    claims = [c for f in catalogue.figures for c in f.claims]
    return {
        "figure titles": [f.title for f in catalogue.figures],
        "claimants": [c.claimant for c in claims],
        "quotes": [c.quote for c in claims],
        "confidence notes": [c.confidence_note for c in claims],
        "story titles": [s.title for s in catalogue.stories.values()],
        "story notes": [s.note for s in catalogue.stories.values() if s.note],
        "source names": [s.name for s in catalogue.sources.values()],
    }


@pytest.mark.parametrize("field", list(_fields(CATALOGUE)))
def test_every_payload_is_in_every_kind_of_text_field(field):
    joined = "\n".join(_fields(CATALOGUE)[field])
    missing = [name for name, payload in PAYLOADS.items() if payload not in joined]
    assert not missing, f"{field} lack {missing}"


def test_strings_reach_the_loaders_length_limits():
    longest_title = max(len(f.title) for f in CATALOGUE.figures)
    longest_quote = max(len(c.quote) for f in CATALOGUE.figures for c in f.claims)
    assert longest_title == SHORT_TEXT == 300
    assert longest_quote == LONG_TEXT == 4000


@pytest.mark.parametrize("key", list(FORMULAS))
def test_every_formula_is_in_every_free_text_field(key):
    figure = CATALOGUE.figure(f"formula-{key}")
    (claim,) = figure.claims
    payload = FORMULAS[key]
    story = CATALOGUE.stories[figure.story]
    assert payload == figure.title == figure.topic == claim.claimant == claim.quote == claim.confidence_note
    assert payload == story.title == CATALOGUE.sources[claim.source].name
    assert figure.tags == (payload,)


# -- md_escape: a table of payloads ------------------------------------------------------

def unescaped_specials(escaped: str) -> list[str]:
    """Markdown-special characters in ``escaped`` that are not preceded by a backslash escape."""
    found, i = [], 0
    while i < len(escaped):
        char = escaped[i]
        if char == "\\" and i + 1 < len(escaped):
            i += 2
            continue
        if char in MARKDOWN_SPECIAL:
            found.append(char)
        i += 1
    return found


def unescape(escaped: str) -> str:
    """What a markdown renderer shows for backslash-escaped text: the escapes removed (and the invisible joiners that stop autolinks)."""
    return re.sub(r"\\(.)", r"\1", escaped).replace(ui.WORD_JOINER, "")


ESCAPE_TABLE = [
    *PAYLOADS.values(), *FORMULAS.values(),
    "[x](https://example.org)", "<https://example.org>", "![img](https://example.org/x.png)", "`code`", "~~struck~~",
    "_under_", "# heading", "> quote", "1. list", "- item", "| a | b |", ":material/warning: icon", ":smile:",
    ":green-badge[fake]", "&lt;img&gt;", "&#60;script&#62;", "$$x^2$$", "\\(x\\)", "\\[x\\]", "a\\", "\\", "line\n# two",
    "line\r\n---", "100% of $5", "x" * 4000,
]


@pytest.mark.parametrize("payload", ESCAPE_TABLE)
def test_md_escape_escapes_every_special_character_and_loses_nothing(payload):
    escaped = ui.md_escape(payload)
    assert unescaped_specials(escaped) == [], f"unescaped markdown in {escaped!r}"
    assert "\n" not in escaped and "\r" not in escaped, "data must not start a new markdown block"
    assert unescape(escaped) == " ".join(payload.split()), "escaping must show the text, not change it"


GFM_AUTOLINKS = (re.compile(r"(https?://|www(?=\.))([-.\w]+)", re.I), re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)"))
"""The patterns Streamlit's markdown (mdast-util-gfm-autolink-literal) links in text after backslash escapes are read."""


@pytest.mark.parametrize("payload", [AUTOLINK, "HTTPS://EVIL.EXAMPLE", "http://x.y", "xmpp:a@b.c", "mailto:a@b.c", "awww.evil.example", "a.b+c@d-e.f.g"])
def test_md_escape_leaves_no_address_that_markdown_would_autolink(payload):
    assert any(p.search(payload) for p in GFM_AUTOLINKS), "the pattern does not see the raw payload"
    shown = re.sub(r"\\(.)", r"\1", ui.md_escape(payload))
    assert not any(p.search(shown) for p in GFM_AUTOLINKS), shown
    assert shown.replace(ui.WORD_JOINER, "") == payload, "the reader must see the same text"


# -- the app through AppTest ---------------------------------------------------------------

def run_app(monkeypatch, data: Path = HOSTILE, **params: str) -> AppTest:
    return conftest.run_app(monkeypatch, data, **params)


_nodes = conftest._nodes
all_text = conftest.all_text


def markdown_strings(at: AppTest) -> list[str]:
    """Every string the browser renders as markdown: bodies of markdown, captions, badges and alerts, and help texts."""
    out = []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or getattr(node, "type", None) in ("code", "arrow_vega_lite_chart", "vega_lite_chart", "arrow_data_frame"):
            continue
        fields = MessageToDict(proto, preserving_proto_field_name=True)
        out.extend(v for k, v in fields.items() if k in ("body", "help", "label") and isinstance(v, str))
    return out


def chart_count(at: AppTest) -> int:
    return len(at.get("arrow_vega_lite_chart")) + len(at.get("vega_lite_chart"))


def assert_markup_is_literal(at: AppTest, payloads: list[str] | None = None) -> str:
    """No payload reaches markdown raw; each that is shown is escaped. Returns what a reader sees (escapes removed)."""
    strings = markdown_strings(at)
    for text in strings:
        for payload in payloads or list(PAYLOADS.values()):
            if any(c in MARKDOWN_SPECIAL for c in payload):
                assert payload not in text, f"raw {payload!r} reaches markdown in {text[:200]!r}"
    rendered = "\n".join(unescape(s) for s in strings)
    return rendered


def every_page(monkeypatch, **params) -> list[AppTest]:
    """Every page of a story, following the pager's "page 1 of N" caption."""
    first = run_app(monkeypatch, **params)
    pages = [int(m.group(1)) for c in first.caption if (m := re.search(r"page 1 of (\d+)", c.value))]
    return [first] + [run_app(monkeypatch, **params, page=str(n)) for n in range(2, (pages or [1])[0] + 1)]


def test_home_runs_and_shows_every_payload_literally(monkeypatch):
    pages = every_page(monkeypatch)
    rendered = "\n".join(assert_markup_is_literal(at) for at in pages)
    for name, payload in PAYLOADS.items():
        assert payload in rendered, f"{name} is not shown as its literal text"
    hostile = [f for f in CATALOGUE.figures if f.story == "hostile"]
    markdown = "\n".join(m.value for at in pages for m in at.markdown)
    for figure in hostile:
        assert ui.md_escape(figure.title) in markdown
    assert sum(chart_count(at) for at in pages) == len(hostile)


@pytest.mark.parametrize("story_id", list(CATALOGUE.stories))
def test_each_story_page_runs_and_shows_its_text_literally(monkeypatch, story_id):
    pages = every_page(monkeypatch, story=story_id)
    rendered = "\n".join(assert_markup_is_literal(at, [*PAYLOADS.values(), *FORMULAS.values()]) for at in pages)
    story = CATALOGUE.stories[story_id]
    assert " ".join(story.title.split()) in rendered
    figures = [f for f in CATALOGUE.figures if f.story == story_id]
    assert sum(chart_count(at) for at in pages) == len(figures)


@pytest.mark.parametrize("story_id", list(CATALOGUE.stories))
def test_each_side_by_side_view_runs_and_shows_its_text_literally(monkeypatch, story_id):
    at = run_app(monkeypatch, story=story_id, view="compare")
    rendered = assert_markup_is_literal(at, [*PAYLOADS.values(), *FORMULAS.values()])
    assert " ".join(CATALOGUE.stories[story_id].title.split()) in rendered


@pytest.mark.parametrize("figure_id", [f.id for f in CATALOGUE.figures])
def test_figure_view_runs_and_shows_its_text_literally(monkeypatch, figure_id):
    at = run_app(monkeypatch, figure=figure_id)
    rendered = assert_markup_is_literal(at)
    figure = CATALOGUE.figure(figure_id)
    assert " ".join(figure.title.split()) in rendered
    summary = formatting.confidence_summary(figure)
    note = next(c.confidence_note for c in figure.claims if c.confidence is summary)
    assert " ".join(note.split()) in rendered
    assert chart_count(at) == 1
    assert not any(NOT_FOUND in i.value for i in at.info)


def test_figure_view_code_blocks_never_carry_raw_html_from_data(monkeypatch):
    """The embed snippet a journalist pastes into a CMS is HTML: the data in it must be entity-escaped."""
    at = run_app(monkeypatch, figure="html-img")
    snippets = [code.value for code in at.code if code.language == "html"]
    assert snippets, "the figure view has no HTML embed snippet"
    for snippet in snippets:
        ours = f"<script>{formatting.HOST_SCRIPT}</script>"  # the host's few fixed lines, no data in them
        assert snippet.count(ours) == 1
        rest = snippet.replace(ours, "")
        assert "<img" not in rest and "<script" not in rest, snippet
        assert "&lt;img src=x onerror=alert(1)&gt;" in rest


def test_catalogue_view_runs_and_shows_every_payload_literally(monkeypatch):
    at = run_app(monkeypatch, view="catalogue")
    rendered = assert_markup_is_literal(at)
    for payload in (IMG, JS_LINK, DATA_LINK, RED, LATEX):
        assert payload in rendered
    assert f"{len(CATALOGUE.figures)} of {len(CATALOGUE.figures)} figures" in rendered


def test_catalogue_search_for_markup_finds_it_and_echoes_nothing_raw(monkeypatch):
    at = run_app(monkeypatch, view="catalogue")
    at.text_input[0].input(RED).run()
    assert not at.exception
    assert_markup_is_literal(at)
    assert "0 of" not in "\n".join(c.value for c in at.caption)


@pytest.mark.parametrize("view", [None, "catalogue", "ratings"])
def test_every_view_is_exception_free_in_embed_mode_too(monkeypatch, view):
    params = {"embed": "true"} | ({"view": view} if view else {})
    run_app(monkeypatch, **params)


# -- URL parameters ----------------------------------------------------------------------

BAD_FIGURE_VALUES = {
    "img": IMG,
    "script": SCRIPT,
    "javascript-link": JS_LINK,
    "red": RED,
    "latex": LATEX,
    "traversal": "../../etc/passwd",
    "10 KB": "x" * 10_240,
    "10 KB of markup": (IMG * 400)[:10_240],
    "empty": "",
    "unknown": "no-such-figure",
    "case": "HTML-IMG",
    "padded": " html-img ",
    "nul": "html-img\x00",
    "repeated": ["html-img", "latex-dollars"],
    "repeated markup": [IMG, RED],
}


@pytest.mark.parametrize("value", list(BAD_FIGURE_VALUES.values()), ids=list(BAD_FIGURE_VALUES))
def test_bad_figure_parameter_gets_the_calm_message_and_nothing_is_echoed(monkeypatch, value):
    at = run_app(monkeypatch, figure=value)
    assert [i.value for i in at.info if NOT_FOUND in i.value], "no calm not-found message"
    assert chart_count(at) == 0, "a figure was drawn for a value that names none"
    shown = all_text(at)
    for part in value if isinstance(value, list) else [value]:
        stripped = part.strip("\x00 ")
        if len(stripped) > 3:
            assert stripped not in shown, f"{stripped[:60]!r} is echoed on the page"


BAD_STORY_VALUES = {
    "img": IMG,
    "red": RED,
    "latex": LATEX,
    "traversal": "../../etc/passwd",
    "10 KB": "y" * 10_240,
    "empty": "",
    "unknown": "no-such-story",
    "case": "HOSTILE",
    "nul": "f-eq\x00",
    "repeated": ["f-eq", "f-at"],
}


@pytest.mark.parametrize("value", list(BAD_STORY_VALUES.values()), ids=list(BAD_STORY_VALUES))
def test_bad_story_parameter_gets_the_latest_story_and_nothing_is_echoed(monkeypatch, value):
    at = run_app(monkeypatch, story=value)
    assert [i.value for i in at.info if "could not find that story" in i.value], "no calm not-found message"
    assert_markup_is_literal(at)
    assert ui.md_escape(CATALOGUE.stories["hostile"].title) in "\n".join(m.value for m in at.markdown), "the latest story is not shown"
    if value in ("../../etc/passwd", "y" * 10_240, "no-such-story", "HOSTILE"):
        assert value not in all_text(at), "the parameter is echoed on the page"


@pytest.mark.parametrize(
    "params",
    [{"foo": "zq-marker-1"}, {"foo": "<b>zq-marker-2</b>", "utm_source": ":red[zq-marker-3]"}, {"view": "<img src=zq-marker-4>"}, {"view": ""}],
)
def test_unknown_keys_and_views_give_the_normal_home_page(monkeypatch, params):
    at = run_app(monkeypatch, **params)
    home = run_app(monkeypatch)
    assert chart_count(at) == chart_count(home) > 0
    assert not [i.value for i in at.info if NOT_FOUND in i.value]
    shown = all_text(at)
    assert "zq-marker" not in shown, "an unknown parameter is echoed on the page"


def test_unknown_keys_beside_a_real_figure_still_show_it(monkeypatch):
    at = run_app(monkeypatch, figure="latex-dollars", foo="bar", utm_campaign=SCRIPT)
    assert chart_count(at) == 1
    assert SCRIPT not in "\n".join(markdown_strings(at))


# -- the CSV of the hostile catalogue ----------------------------------------------------

@pytest.fixture
def hostile_csv() -> bytes:
    return exports.catalogue_csv(CATALOGUE)


def _raw_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def test_no_text_cell_of_the_hostile_csv_starts_like_a_formula(hostile_csv):
    rows = _raw_rows(hostile_csv)
    assert len(rows) == CATALOGUE.claim_count
    text_columns = [c for c in frames.CSV_COLUMNS if c not in frames.NUMERIC_COLUMNS]
    for row in rows:
        for column in text_columns:
            cell = row[column].lstrip()  # a spreadsheet skips leading whitespace (a no-break space too) before a formula
            assert not cell.startswith(FORMULA_START), f"{column} of {row['figure_id']} runs as a formula: {row[column]!r}"


@pytest.mark.parametrize("key", list(FORMULAS))
@pytest.mark.parametrize("column", FREE_TEXT_COLUMNS)
def test_each_owasp_payload_is_neutralised_in_each_free_text_column(hostile_csv, key, column):
    (row,) = [r for r in _raw_rows(hostile_csv) if r["figure_id"] == f"formula-{key}"]
    assert row[column] == "'" + FORMULAS[key]


def test_numbers_stay_numbers_negative_ones_included(hostile_csv):
    rows = _raw_rows(hostile_csv)
    by_figure = {r["figure_id"]: r for r in rows}
    assert by_figure["formula-eq"]["value"] == "-1.5"
    assert by_figure["formula-plus"]["value"] == "-7"
    assert by_figure["formula-cr"]["value"] == "-1000000"
    assert by_figure["colour-directives"]["value"] == "-3.2"
    assert [r["value"] for r in rows if r["figure_id"] == "hostile-series"][0] == "-5"
    for row in rows:
        for column in frames.NUMERIC_COLUMNS:
            if row[column]:
                float(row[column])  # a plain number, never a quoted or prefixed cell
    frame = pd.read_csv(io.BytesIO(hostile_csv))
    assert pd.api.types.is_numeric_dtype(frame["value"])
    assert frame["value"].min() == -1_000_000


def test_a_negative_headline_is_text_with_a_true_minus_that_no_spreadsheet_runs(hostile_csv):
    (row,) = [r for r in _raw_rows(hostile_csv) if r["figure_id"] == "formula-eq"]
    assert row["headline"] == "\u22121.5%", "a true minus (U+2212) starts no formula, so the cell needs no quote"


@pytest.mark.parametrize("figure_id", [None, *(f.id for f in CATALOGUE.figures)])
def test_hostile_csv_round_trip_is_lossless(figure_id):
    figure = CATALOGUE.figure(figure_id) if figure_id else None
    data = exports.catalogue_csv(CATALOGUE, figure)
    expected = frames.claim_rows(CATALOGUE, None if figure is None else (figure,))
    back = exports.read_csv(data)
    assert len(back) == len(expected)
    for got, want in zip(back, expected, strict=True):
        assert list(got) == list(frames.CSV_COLUMNS)
        for column in frames.CSV_COLUMNS:
            value = want[column]
            assert got[column] == value, f"{column}: {got[column]!r} != {value!r}"
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                assert isinstance(got[column], (int, float))


# -- dates of mixed precision (a valid catalogue that crashed the app) ---------------------

MIXED_PRECISION = """\
sources:
  src-a:
    name: Source A
    kind: news report
stories:
  year-only:
    title: A story dated to the year
    publisher: Pub
    published: 2023
  with-month:
    title: A story dated to the month
    publisher: Pub
    published: 2023-01
figures:
  - id: year-then-month
    title: Claims dated to a year and to a month of that year
    unit: vehicle
    story: year-only
    topic: t
    claims:
      - value: 10
        qualifier: exact
        as_of: 2022
        claimant: Someone
        source: src-a
        quote: "ten in 2022"
        confidence: reported
        confidence_note: because
      - value: 12
        qualifier: exact
        as_of: 2022-11
        claimant: Someone
        source: src-a
        quote: "twelve by November 2022"
        confidence: reported
        confidence_note: because
  - id: month-story
    title: A figure of the story dated to the month
    unit: vehicle
    story: with-month
    topic: t
    claims:
      - value: 5
        qualifier: exact
        as_of: 2022-06
        claimant: Someone
        source: src-a
        quote: "five"
        confidence: reported
        confidence_note: because
"""


@pytest.fixture
def mixed_precision(tmp_path) -> Path:
    path = tmp_path / "mixed.yaml"
    path.write_text(MIXED_PRECISION, encoding="utf-8")
    return path


def test_mixed_precision_catalogue_is_valid_for_the_checker(mixed_precision):
    result = CliRunner().invoke(cli, ["check", str(mixed_precision)])
    assert result.exit_code == 0, result.output


def test_partial_dates_of_mixed_precision_sort():
    from figures.model import PartialDate

    assert sorted([PartialDate(2022, 11), PartialDate(2022), PartialDate(2021, 3, 4)]) == [PartialDate(2021, 3, 4), PartialDate(2022), PartialDate(2022, 11)]


@pytest.mark.parametrize("params", [{}, {"figure": "year-then-month"}, {"story": "year-only"}, {"view": "catalogue"}], ids=["home", "figure", "story", "catalogue"])
def test_dates_of_mixed_precision_do_not_take_the_page_down(monkeypatch, mixed_precision, params):
    at = run_app(monkeypatch, data=mixed_precision, **params)
    assert chart_count(at) >= (0 if params.get("view") == "catalogue" else 1)


# -- configuration -------------------------------------------------------------------------

def test_streamlit_config_hides_error_details_and_the_developer_toolbar_from_readers():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none", "Streamlit 1.67 reads the legacy false as 'stacktrace'"
    assert config["client"]["toolbarMode"] == "viewer"
    assert config.get("server", {}).get("runOnSave", False) is False
    assert config.get("browser", {}).get("gatherUsageStats", True) is False


# -- SECURITY.md names real code and real tests ------------------------------------------

def test_security_md_names_real_code_and_tests():
    import importlib

    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    names = set(re.findall(r"`([A-Za-z_][\w./]*(?:::\w+)?)`", text))
    checked = 0
    for name in sorted(names):
        if "::" in name:
            path, symbol = name.split("::")
            source = (ROOT / path).read_text(encoding="utf-8")
            assert re.search(rf"^(?:def {symbol}\b|{symbol}\s*=)", source, re.M), f"SECURITY.md names {name}, which does not exist"
        elif name.endswith((".py", ".md", ".toml", ".yaml")) and "/" in name:
            assert (ROOT / name).exists(), f"SECURITY.md names {name}, which does not exist"
        elif name.startswith("figures."):
            module, _, attribute = name.rpartition(".")
            try:
                target = importlib.import_module(name)
            except ImportError:
                target = getattr(importlib.import_module(module), attribute, None)
            assert target is not None, f"SECURITY.md names {name}, which does not exist"
        else:
            continue
        checked += 1
    assert checked >= 30
