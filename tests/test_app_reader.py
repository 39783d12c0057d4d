"""The reader's details of the app found by trying it as a new user (issue 16), through Streamlit's AppTest."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from figures import formatting, ui
from figures.loader import load
from figures.model import Qualifier
from tests import conftest
from tests.conftest import run_app, texts

ROOT = Path(__file__).parents[1]
DATA = ROOT / "data" / "figures.yaml"
CATALOGUE = load(DATA)


# -- How we rate: the qualifiers in words, and a key to the charts' marks ---------------------------

def test_how_we_rate_names_each_qualifier_once_in_words(monkeypatch):
    body = texts(run_app(monkeypatch, view="ratings"))

    for qualifier in Qualifier:
        assert body.count(f"**{formatting.QUALIFIER_LABELS[qualifier]}:** {ui.md_escape(formatting.QUALIFIER_MEANING[qualifier])}") == 1
    assert "more than (more than)" not in body.replace("\\", "").lower()
    assert "just_under" not in body and "more_than" not in body


def test_how_we_rate_holds_a_key_to_every_mark_the_charts_draw(monkeypatch):
    at = run_app(monkeypatch, view="ratings")

    assert f"## {ui.CHART_KEY_HEADING}" in texts(at)
    key = next(m.value for m in at.markdown if m.value.startswith("- **"))
    assert key.count("\n- ") == len(formatting.CHART_KEY) - 1
    for mark, meaning in formatting.CHART_KEY:
        assert f"- **{mark}:** {ui.md_escape(meaning)}" in key


@pytest.mark.parametrize("params", [{}, {"figure": "russia-iskander-stock"}, {"figure": "humvees-left", "embed": "true"}],
                         ids=["story", "figure", "embed"])
def test_every_card_links_to_the_key_of_the_charts(monkeypatch, params):
    at = run_app(monkeypatch, **params)

    cards = [c.value for c in at.caption if ui.CHART_KEY_LINK in c.value]
    charts = at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart")
    assert cards and len(cards) == len(charts)
    assert ui.CHART_KEY_LINK.endswith("(?view=ratings#how-to-read-these-charts)")


# -- tables: words for headers and codes, blanks for what is missing --------------------------------

@pytest.mark.parametrize("figure_id", ["russia-iskander-stock", "russia-cruise-missile-mass-strikes", "humvees-left"])
def test_every_claim_reads_in_words_and_leaves_out_what_it_has_nothing_for(monkeypatch, figure_id):
    at = run_app(monkeypatch, figure=figure_id)

    claims = conftest.claim_records(at)
    figure = CATALOGUE.figure(figure_id)
    assert len(claims) == len(figure.claims)
    for claim in claims:
        assert all("_" not in field and field[0].isupper() for field in claim)
        assert all(value and value not in ("None", "nan") for value in claim.values())
        assert claim["Qualifier"] in formatting.QUALIFIER_LABELS.values()
        assert {"As written", "As of", "Claimant", "Source", "Quote", "Confidence"} <= set(claim)


def test_a_range_gives_both_ends_and_no_single_number(monkeypatch):
    at = run_app(monkeypatch, figure="russia-cruise-missile-mass-strikes")

    (claim,) = conftest.claim_records(at)
    assert claim["Qualifier"] == "Range" and "Number" not in claim
    assert claim["Low"] and claim["High"]


def test_every_claim_table_links_each_source_that_has_an_address(monkeypatch):
    figure = CATALOGUE.figure("humvees-left")
    at = run_app(monkeypatch, figure=figure.id)

    sources = {CATALOGUE.sources[c.source] for c in figure.claims if CATALOGUE.sources[c.source].url}
    buttons = {b.proto.label: b.proto.url for b in at.get("link_button") if b.proto.label.startswith("Open the source")}
    assert buttons == {f"Open the source: {ui.md_escape(s.name)}": s.url for s in sources}  # a label is markdown


def test_the_data_behind_a_chart_opens_as_a_table_in_words(monkeypatch):
    figure = CATALOGUE.figure("russia-iskander-stock")
    monkeypatch.setenv("FIGURES_DATA", str(DATA))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["figure"] = figure.id
    at.session_state[f"data-{figure.id}"] = True  # the expander's open state, as a reader's click sets it
    at.run()

    (expander,) = [e for e in at.expander if e.label == "Show the data behind this chart"]
    table = expander.table[0].value
    assert list(table.columns) == ["As written", "Number", "Low", "High", "Qualifier", "As of", "Claimant", "Confidence", "Source"]
    assert list(table["As written"]) == ["900 missiles", "119 missiles"]
    assert "None" not in {str(c) for column in table.columns for c in table[column]}


# -- the catalogue: a search is a URL, matches stand out, the matches can be downloaded ------------

def test_a_search_in_the_url_fills_the_search_box_and_filters(monkeypatch):
    at = run_app(monkeypatch, view="catalogue", q="iskander", confidence="Claimed")  # a choice is named as the reader reads it

    assert at.text_input(key="q").value == "iskander"
    assert at.multiselect(key="confidence").value == ["claimed"]
    assert "1 of 10 figures" in texts(at)


def test_search_matches_are_in_bold_in_the_results(monkeypatch):
    at = run_app(monkeypatch, view="catalogue", q="iskander")

    results = next(m.value for m in at.markdown if ui.RESULT_LINK in m.value)
    assert "**Iskander**" in results


def test_a_match_in_a_quote_shows_that_quote(monkeypatch):
    at = run_app(monkeypatch, view="catalogue", q="no mystery")  # words of a quote, in no title or attribution

    results = next(m.value for m in at.markdown if ui.RESULT_LINK in m.value)
    assert "\n> There is **no mystery** as to why" in results


@pytest.mark.parametrize(("params", "label"), [
    ({"q": "iskander"}, "Download this figure (CSV)"),
    ({"confidence": "Claimed"}, None),
    ({}, None),
])
def test_filtered_results_can_be_downloaded_apart_from_the_whole_catalogue(monkeypatch, params, label):
    at = run_app(monkeypatch, view="catalogue", **params)

    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download all figures (CSV)" in labels
    found = [x for x in labels if x.startswith(("Download these", "Download this"))]
    if label is not None:
        assert found == [label]
    elif params:
        assert len(found) == 1
    else:
        assert found == []


# -- paging and the catalogue the app serves ---------------------------------------------------------

def test_a_last_page_of_one_figure_says_figure_n_of_n(monkeypatch):
    story = [f for f in CATALOGUE.figures if f.story == CATALOGUE.figures[0].story]
    pages = -(-len(story) // conftest.STORY_PAGE_SIZE)
    at = run_app(monkeypatch, page=str(pages))

    assert len(story) % conftest.STORY_PAGE_SIZE == 1, "the seed story's last page holds one figure"
    assert f"Figure {len(story)} of {len(story)} · page {pages} of {pages}" in texts(at)


def test_the_app_started_from_another_folder_serves_the_projects_catalogue(monkeypatch, tmp_path):
    monkeypatch.delenv("FIGURES_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()

    assert not at.exception
    assert CATALOGUE.stories[CATALOGUE.figures[0].story].title in texts(at)
    assert not at.error


def test_a_missing_catalogue_is_calm_for_readers_and_named_in_the_operators_log(monkeypatch, tmp_path, caplog):
    missing = tmp_path / "gone.yaml"
    monkeypatch.setenv("FIGURES_DATA", str(missing))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    with caplog.at_level(logging.WARNING):
        at.run()

    assert [e.value for e in at.error] == ["No figures can be shown right now. Please try again later."]
    assert [w.value for w in at.warning] == []  # one calm line, not a notice about a file the reader cannot fix
    assert str(tmp_path) not in "\n".join(e.value for e in at.error) + texts(at)
    logged = [r.getMessage() for r in caplog.records if r.name.startswith("figures")]
    assert any("no catalogue to serve from" in m and "gone.yaml" in m and "missing" in m for m in logged)


@pytest.mark.parametrize("configured", ["javascript:alert(1)", "https://news.example/figures\"><script>", "figures.example"])
def test_a_public_address_that_is_not_a_safe_http_url_is_never_written_into_a_permalink(monkeypatch, configured):
    monkeypatch.setenv("FIGURES_PUBLIC_URL", configured)
    at = run_app(monkeypatch, figure="humvees-left")

    code = "\n".join(c.value for c in at.code)
    assert configured not in code
    assert "?figure=humvees-left" in code


def test_a_safe_public_address_is_the_base_of_the_permalink(monkeypatch):
    monkeypatch.setenv("FIGURES_PUBLIC_URL", "https://figures.example/news/")
    at = run_app(monkeypatch, figure="humvees-left")

    assert at.code[0].value == "https://figures.example/news/?figure=humvees-left"


def test_the_script_holds_no_bare_string_that_streamlit_magic_would_write_on_every_page():
    import ast

    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    bare = [node.lineno for node in tree.body[1:] if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)]
    assert bare == [], f"app.py has bare strings at lines {bare}: Streamlit shows each one to readers"
