"""The app through Streamlit's AppTest: every view, bad URLs and a broken catalogue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from figures.loader import load
from tests import conftest
from tests.conftest import STORY_PAGE_SIZE, run_app, texts

ROOT = Path(__file__).parents[1]
DATA = ROOT / "data" / "figures.yaml"
CATALOGUE = load(DATA)


def specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart")]


STORY_PAGES = ({}, *({"page": str(n)} for n in range(2, -(-len(CATALOGUE.figures) // STORY_PAGE_SIZE) + 1)))
"""The URL parameters of every page of the seed story: the plain URL, then ``page=2`` and on."""


def story_text(monkeypatch) -> str:
    """Every page of the seed story, as one text in reading order."""
    return "\n".join(texts(run_app(monkeypatch, **params)).replace("\\", "") for params in STORY_PAGES)


def test_home_shows_story_and_every_figure_in_story_order_three_to_a_page(monkeypatch):
    first = run_app(monkeypatch)
    body = texts(first).replace("\\", "")
    assert "Is Russia eyeing US weapons in its war against Ukraine" in body
    assert [f.title in body for f in CATALOGUE.figures] == [True] * 3 + [False] * 7
    assert len(specs(first)) == 3
    assert "Figures 1–3 of 10 · page 1 of 4" in body
    both = story_text(monkeypatch)
    positions = [both.find(f.title) for f in CATALOGUE.figures]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)


def links(at: AppTest) -> dict[str, list[str]]:
    """Each page link's label and the query string it opens."""
    out: dict[str, list[str]] = {}
    for link in at.get("page_link"):
        out.setdefault(link.proto.label, []).append(link.proto.query_string)
    return out


def test_story_pages_link_to_each_other_by_url(monkeypatch):
    story = CATALOGUE.figures[0].story
    assert links(run_app(monkeypatch))["Next"] == [f"story={story}&page=2"]
    second = links(run_app(monkeypatch, page="2"))
    assert second["Previous"] == [f"story={story}&page=1"] and second["Next"] == [f"story={story}&page=3"]
    last = links(run_app(monkeypatch, page="4"))
    assert last["Previous"] == [f"story={story}&page=3"] and "Next" not in last


@pytest.mark.parametrize(("page", "shown"), [("1", 0), ("2", 3), ("4", 9), ("99", 9), ("0", 0), ("-3", 0), ("two", 0), ("<b>x</b>", 0), ("", 0)])
def test_page_parameter_is_clamped_and_never_echoed(monkeypatch, page, shown):
    at = run_app(monkeypatch, page=page)
    body = texts(at).replace("\\", "")
    assert CATALOGUE.figures[shown].title in body
    assert "<b>" not in body


HEADLINES_BY_PAGE = {
    "1": ["more than $7bn"],  # a lower bound, and money in the newsroom's short form
    "2": ["about 900 vehicles", "as many as 42,000 pieces"],  # an approximation; an upper bound in the source's words
    "3": ["900 → 119 missiles (−87%)"],  # a series: from, to, and the change
    "4": ["2 to 3 strikes"],  # a range
}
"""Each page of the seed story, and the headlines of the kinds of claim it holds: every kind once, one run of the app a page."""


@pytest.mark.parametrize(("page", "headlines"), list(HEADLINES_BY_PAGE.items()), ids=[f"page-{page}" for page in HEADLINES_BY_PAGE])
def test_home_writes_headlines_as_a_journalist_would(monkeypatch, page, headlines):
    body = texts(run_app(monkeypatch, **({"page": page} if page != "1" else {}))).replace("\\", "")

    assert [headline for headline in headlines if headline not in body] == []


def test_every_card_has_a_badge_and_attribution(monkeypatch):
    badges = []
    for params in STORY_PAGES:
        badges += [m.value for m in run_app(monkeypatch, **params).markdown if "-badge[" in m.value]
    assert len(badges) == len(CATALOGUE.figures)
    assert all(any(label in b for label in ("Reported", "Claimed", "Confirmed", "Unverified")) for b in badges)
    body = story_text(monkeypatch)
    assert "Claimed by Government of Ukraine · via Firstpost, January 2023" in body
    assert "According to a US Department of Defense report · via CNN" in body


def test_side_by_side_charts_have_a_view_of_their_own_linked_from_the_story(monkeypatch):
    story = CATALOGUE.figures[0].story
    home = run_app(monkeypatch)
    (label,) = [label for label in links(home) if "side by side" in label]
    assert links(home)[label] == [f"story={story}&view=compare"]
    assert [s.get("title") for s in specs(home)] == [None] * len(specs(home))  # a card is headed by its title; its chart is not
    compare = specs(run_app(monkeypatch, view="compare", story=story))
    assert label.startswith(f"{len(compare)} charts")
    assert len(compare) >= 2 and all(" vs " in json.dumps(s.get("title")) for s in compare)


def test_side_by_side_of_a_story_without_comparable_figures_says_so(monkeypatch, tmp_path):
    at = run_app(monkeypatch, data=_big_catalogue(tmp_path, stories=1, per_story=1), view="compare")
    assert not specs(at)
    assert any("nothing to draw side by side" in i.value for i in at.info)


def test_figure_view_shows_every_claim_in_a_table(monkeypatch):
    at = run_app(monkeypatch, figure="russia-iskander-stock")
    claims = conftest.claim_records(at)
    assert claims, "no claims table"
    assert [c["As written"] for c in claims] == ["900 missiles", "119 missiles"]
    assert {c["Confidence"] for c in claims} == {"Claimed"}
    assert len(specs(at)) == 1


def test_a_lower_case_claimant_starts_the_claims_table_cell_with_a_capital(monkeypatch):
    at = run_app(monkeypatch, figure="humvees-left")
    assert [c["Claimant"] for c in conftest.claim_records(at)] == ["Officials familiar with a US Department of Defense report"]


def test_the_claimant_filter_shows_claimants_capitalised_and_filters_on_them(monkeypatch):
    at = run_app(monkeypatch, view="catalogue")
    widget = next(m for m in at.multiselect if m.label == "Claimant")
    assert widget.options[:2] == ["A US Department of Defense report", "Admiral Sir Tony Radakin, Britain's armed forces chief"]
    assert "Officials familiar with a US Department of Defense report" in widget.options
    widget.select("officials familiar with a US Department of Defense report").run()
    assert "5 of 10 figures" in texts(at)


@pytest.mark.parametrize("bad", ["no-such-figure", "<script>alert(1)</script>", "../../etc/passwd", "x" * 10_000, ""])
def test_unknown_figure_gets_a_calm_message_and_nothing_echoed(monkeypatch, bad):
    at = run_app(monkeypatch, figure=bad)
    assert any("could not find that figure" in i.value for i in at.info)
    if bad:
        assert bad not in texts(at)


def test_catalogue_search_narrows_results(monkeypatch):
    at = run_app(monkeypatch, view="catalogue")
    assert f"{len(CATALOGUE.figures)} of {len(CATALOGUE.figures)} figures" in texts(at)
    at.text_input[0].input("iskander").run()
    assert "1 of 10 figures" in texts(at)


@pytest.mark.parametrize(
    ("label", "choice", "expected"),
    [("Confidence", "claimed", 3), ("Claimant", "Government of Ukraine", 1), ("Topic", "Russian arms stocks", 4)],
)
def test_catalogue_filters_narrow_results(monkeypatch, label, choice, expected):
    at = run_app(monkeypatch, view="catalogue")
    widget = next(m for m in at.multiselect if m.label == label)
    widget.select(choice).run()
    assert f"{expected} of 10 figures" in texts(at)


def test_ratings_page_explains_every_level(monkeypatch):
    at = run_app(monkeypatch, view="ratings")
    body = texts(at).replace("\\", "")
    for word in ("official record", "credible outlet", "interested party", "Anonymous"):
        assert word in body


def test_broken_catalogue_still_shows_valid_figures_and_lists_problems(monkeypatch, tmp_path):
    text = DATA.read_text(encoding="utf-8").replace("qualifier: at_most", "qualifer: at_most")
    broken = tmp_path / "broken.yaml"
    broken.write_text(text, encoding="utf-8")
    at = run_app(monkeypatch, data=broken)
    assert any("problem(s) in the catalogue file" in w.value for w in at.warning)
    problems = "\n".join(c.value for c in at.code)
    line = text.split("\n").index(next(ln for ln in text.split("\n") if "qualifer:" in ln)) + 1
    assert f"broken.yaml:{line}: unknown field 'qualifer'" in problems and "did you mean 'qualifier'" in problems
    assert str(tmp_path) not in conftest.all_text(at), "a page shows the server's absolute path"
    assert len(specs(at)) == 3
    assert CATALOGUE.figures[0].title in texts(at)
    broken_figure, next_figure = CATALOGUE.figures[5], CATALOGUE.figures[6]  # the sixth figure has the typo
    second = run_app(monkeypatch, data=broken, page="2")
    assert len(specs(second)) == 3, "the page that held the broken figure is filled by the next good one"
    body = texts(second).replace("\\", "")
    assert next_figure.title in body and broken_figure.title not in body


def test_missing_catalogue_shows_a_message_not_a_traceback(monkeypatch, tmp_path):
    at = run_app(monkeypatch, data=tmp_path / "absent.yaml")
    assert any("No figures can be shown" in e.value for e in at.error)


def test_figure_view_offers_permalink_snippet_citation_and_downloads(monkeypatch):
    monkeypatch.setenv("FIGURES_PUBLIC_URL", "https://figures.example.org/news")
    at = run_app(monkeypatch, figure="russia-iskander-stock")
    codes = [c.value for c in at.code]
    assert "https://figures.example.org/news/?figure=russia-iskander-stock" in codes
    snippet = next(c for c in codes if c.startswith("<iframe"))
    assert 'src="https://figures.example.org/news/?figure=russia-iskander-stock&amp;embed=true"' in snippet
    assert 'title="Russia&#x27;s stock of Iskander missiles"' in snippet and 'loading="lazy"' in snippet
    citation = next(c for c in codes if c.startswith("Russia's stock of Iskander missiles:"))
    assert "Government of Ukraine" in citation and "accessed" in citation and "https://figures.example.org/news/?figure=" in citation
    labels = [b.label for b in at.get("download_button")]
    assert len(labels) == 5, labels


def _big_catalogue(tmp_path: Path, stories: int, per_story: int) -> Path:
    lines = ["sources:", "  src:", "    name: Source", "    kind: news report", "stories:"]
    for s in range(stories):
        lines += [f"  story-{s}:", f"    title: Story number {s}", "    publisher: Desk", f"    published: {2000 + s}"]
    lines.append("figures:")
    for s in range(stories):
        for i in range(per_story):
            lines += [
                f"  - id: s{s}-f{i}", f"    title: Figure {i} of story {s}", "    unit: vehicle", f"    story: story-{s}", "    topic: t",
                "    claims:", f"      - value: {i + 1}", "        qualifier: exact", "        as_of: 2022", "        claimant: Someone",
                "        source: src", "        quote: words", "        confidence: reported", "        confidence_note: A reason.",
            ]
    path = tmp_path / "big.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_home_shows_the_newest_story_and_pages_its_figures(monkeypatch, tmp_path):
    data = _big_catalogue(tmp_path, stories=3, per_story=45)
    at = run_app(monkeypatch, data=data)
    body = texts(at).replace("\\", "")
    assert "Story number 2" in body and "Figure 0 of story 2" in body
    assert "Figure 0 of story 1" not in body and "Figure 3 of story 2" not in body
    assert len(specs(at)) == 3
    assert "Figures 1–3 of 45 · page 1 of 15" in body
    body = texts(run_app(monkeypatch, data=data, story="story-2", page="15")).replace("\\", "")
    assert "Figure 44 of story 2" in body and "Figure 41 of story 2" not in body


@pytest.mark.parametrize(("stories", "story", "others", "all_link"), [
    (3, None, ["story-1", "story-0"], False),
    (3, "story-0", ["story-2", "story-1"], False),
    (11, None, [f"story-{s}" for s in range(9, -1, -1)], False),
    (12, None, [f"story-{s}" for s in range(10, 0, -1)], True),
    (14, None, [f"story-{s}" for s in range(12, 2, -1)], True),
    (14, "story-5", [f"story-{s}" for s in (13, 12, 11, 10, 9, 8, 7, 6, 4, 3)], True),
])
def test_more_stories_lists_the_ten_newest_others_and_links_to_all_when_there_are_more(monkeypatch, tmp_path, stories, story, others, all_link):
    params = {"story": story} if story else {}
    found = links(run_app(monkeypatch, data=_big_catalogue(tmp_path, stories=stories, per_story=1), **params))
    listed = [query for label, queries in found.items() if label.replace("\\", "").startswith("Story number") for query in queries]
    assert listed == [f"story={other}" for other in others]
    assert (f"All {stories} stories in the catalogue" in found) is all_link
    if all_link:
        assert found[f"All {stories} stories in the catalogue"] == ["view=catalogue"]


def test_story_parameter_selects_a_story_and_unknown_story_falls_back_calmly(monkeypatch, tmp_path):
    data = _big_catalogue(tmp_path, stories=2, per_story=2)
    at = run_app(monkeypatch, data=data, story="story-0")
    assert "Figure 0 of story 0" in texts(at).replace("\\", "")
    at = run_app(monkeypatch, data=data, story="<b>nope</b>")
    assert any("could not find that story" in i.value for i in at.info)
    assert "nope" not in texts(at)


CORRECTED = """    corrections:
      - date: 2026-12-02
        note: "The count was entered as 23,825; the report gives 23,825 Humvees and this note is a test."
"""


@pytest.fixture
def corrected_catalogue(tmp_path) -> Path:
    """The seed with a correction on humvees-left (and the seed's record beside it, so it has a version)."""
    text = DATA.read_text(encoding="utf-8")
    start = text.index("  - id: humvees-left")
    claims = text.index("    claims:", start)
    path = tmp_path / "figures.yaml"
    path.write_text(text[:claims] + CORRECTED + text[claims:], encoding="utf-8")
    (tmp_path / "figures.published.jsonl").write_bytes((ROOT / "data" / "figures.published.jsonl").read_bytes())
    return path


def test_a_corrected_figure_says_so_with_the_date_and_note_and_its_last_update(monkeypatch, corrected_catalogue):
    at = run_app(monkeypatch, corrected_catalogue, figure="humvees-left")

    (notice,) = [i.value for i in at.info if "Corrected" in i.value]
    assert notice.replace("\\", "") == "**Corrected 2 December 2026:** The count was entered as 23,825; the report gives 23,825 Humvees and this note is a test."
    assert "Last updated 2 December 2026 (version 1)" in texts(at).replace("\\", "")


def test_an_uncorrected_figure_shows_no_correction_notice(monkeypatch):
    at = run_app(monkeypatch, figure="humvees-left")

    assert not [i for i in at.info if "Corrected" in i.value]


def test_the_catalogue_view_filters_to_corrected_figures(monkeypatch, corrected_catalogue):
    at = run_app(monkeypatch, corrected_catalogue, view="catalogue")
    assert "10 of 10 figures" in texts(at)

    at.toggle[0].set_value(True).run()

    assert "2 of 10 figures" in texts(at)  # the fixture's corrected Humvees, and the seed's own "almost 300 days"
    assert "Humvees left in Afghanistan" in texts(at) and "Corrected 2 December 2026" in texts(at).replace("\\", "")
    assert "Days the Russian guns had been firing" in texts(at) and "Corrected 3 December 2026" in texts(at).replace("\\", "")


def test_each_card_says_its_quote_was_checked_against_the_archived_story(monkeypatch):
    at = run_app(monkeypatch, figure="humvees-left")

    assert "Quote checked against the text of the story as published" in texts(at)
    assert [c["Quote checked"] for c in conftest.claim_records(at)] == ["Against the story's archived text"]


def test_a_claim_whose_quote_is_not_in_the_text_says_nothing_of_a_check(monkeypatch, tmp_path):
    data = tmp_path / "figures.yaml"
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "russia-taliban-us-weapons.txt").write_text((ROOT / "data" / "texts" / "russia-taliban-us-weapons.txt").read_text(
        encoding="utf-8").replace("23,825 Humvees", "23,826 Humvees"), encoding="utf-8")
    data.write_text(DATA.read_text(encoding="utf-8"), encoding="utf-8")

    at = run_app(monkeypatch, data, figure="humvees-left")

    assert "Quote checked" not in texts(at)
    assert [c["Quote checked"] for c in conftest.claim_records(at)] == ["Not checked"]


def test_the_story_page_shows_editors_every_figure_of_its_text_and_what_holds_it(monkeypatch):
    at = run_app(monkeypatch)

    (expander,) = [e for e in at.expander if "figures of the story's text" in e.label]
    assert expander.label == "For editors: the 12 figures of the story's text, every one accounted for"
    table = expander.dataframe[0].value
    assert list(table["As written"])[:4] == ["$7 billion", "70 per cent", "$48 million", "23,825"]
    assert table.loc[table["As written"] == "119", "In the catalogue"].tolist() == ["Russia's stock of Iskander missiles"]


def test_almost_300_days_is_written_and_explained_as_just_under(monkeypatch):
    at = run_app(monkeypatch, figure="russian-guns-firing-days")

    assert "## almost 300 days" in texts(at)
    assert "about 300" not in texts(at)
    ratings = texts(run_app(monkeypatch, view="ratings"))
    assert "**Almost:** The source says almost, nearly or just under: the true value is a little below this." in ratings.replace("\\", "")
