"""Charts: every figure is drawn in its shape, truthfully qualified, attributed, and renders offline."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import altair as alt
import pytest
import vl_convert as vlc

from figures import charts, formatting, labels, loader, textfit, theme, units

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = loader.load(ROOT / "data" / "figures.yaml")
FIGURE_IDS = [f.id for f in CATALOGUE.figures]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

HEAD = """
sources:
  kyiv-post:
    name: Kyiv Post
    kind: news report
    published: 2022-12
  tass:
    name: TASS
    kind: news report
    published: 2022-12
  times:
    name: The Times
    kind: news report
    published: 2023-01
stories:
  test-story:
    title: A story for chart tests
    publisher: Test Desk
    published: 2023-01
figures:
"""


def figure_yaml(figure_id: str, unit: str, claims: list[dict], topic: str = "war") -> str:
    """One figure in catalogue YAML; each claim gives value (or low/high), qualifier, as_of, claimant and source."""
    lines = [f"  - id: {figure_id}", f"    title: Test figure {figure_id}", f"    unit: {unit}",
             "    story: test-story", f"    topic: {topic}", "    claims:"]
    for claim in claims:
        numbers = [f"value: {claim['value']}"] if "value" in claim else [f"low: {claim['low']}", f"high: {claim['high']}"]
        lines.append(f"      - {numbers[0]}")
        lines.extend(f"        {n}" for n in numbers[1:])
        lines += [
            f"        qualifier: {claim.get('qualifier', 'exact')}",
            f"        as_of: {claim.get('as_of', '2022-12')}",
            f"        claimant: {claim['claimant']}",
            f"        source: {claim['source']}",
            "        quote: \"A quote.\"",
            f"        confidence: {claim.get('confidence', 'claimed')}",
            "        confidence_note: A test note.",
        ]
    return "\n".join(lines) + "\n"


def catalogue(*figures: str):
    cat = loader.load_text(HEAD + "".join(figures))
    assert cat.ok, [str(p) for p in cat.problems]
    return cat


COMPETING = catalogue(figure_yaml("soldiers-killed", "person", [
    {"value": 100000, "qualifier": "more_than", "claimant": "Government of Ukraine", "source": "kyiv-post"},
    {"value": 5937, "claimant": "Russian Ministry of Defence", "source": "tass"},
]))
MIXED = catalogue(
    figure_yaml("war-planned", "day", [{"value": 30, "claimant": "A", "source": "times"}]),
    figure_yaml("war-so-far", "week", [{"value": 4, "qualifier": "approximately", "claimant": "B", "source": "times"}]),
    figure_yaml("spend-usd", "USD", [{"value": 5000000, "claimant": "C", "source": "times"}]),
    figure_yaml("spend-usd-2", "USD", [{"value": 7000000, "qualifier": "at_least", "claimant": "C", "source": "times"}]),
    figure_yaml("spend-gbp", "GBP", [{"value": 4000000, "claimant": "D", "source": "times"}]),
    figure_yaml("tanks", "vehicle", [{"value": 300, "claimant": "E", "source": "times"}]),
)


# -- walking a Vega-Lite spec --------------------------------------------------------------

DATASETS: dict[str, list[dict]] = {}


def spec_of(chart: alt.TopLevelMixin) -> dict:
    spec = chart.to_dict()
    DATASETS.update(spec.get("datasets", {}))
    return spec


def mark_type(layer: dict) -> str:
    mark = layer["mark"]
    return mark if isinstance(mark, str) else mark["type"]


def layers(spec: dict, mark: str | None = None) -> list[dict]:
    return [lay for lay in spec["layer"] if mark is None or mark_type(lay) == mark]


def values(layer: dict) -> list[dict]:
    """A layer's rows; Altair moves inline data shared by several layers to the top-level ``datasets``."""
    data = layer["data"]
    return data["values"] if "values" in data else DATASETS[data["name"]]


def field(layer: dict, channel: str) -> str | None:
    return layer.get("encoding", {}).get(channel, {}).get("field")


def at_width(value: object, text_width: float) -> object:
    """A value as Vega picks it for a plot ``text_width`` pixels wide.

    Charts that fill their container write width-dependent text as the Vega
    expression ``text_width >= 540 ? [...] : text_width >= 430 ? [...] : [...]``
    (JSON literals); a plain value is the same at every width.
    """
    if not (isinstance(value, dict) and "expr" in value):
        return value
    expr = value["expr"]
    while True:
        test = re.match(r"text_width >= (\d+) \? ", expr)
        if test is None:
            return json.loads(expr)
        literal, end = json.JSONDecoder().raw_decode(expr, test.end())
        if text_width >= int(test.group(1)):
            return literal
        assert expr[end:end + 3] == " : ", expr
        expr = expr[end + 3:]


def every_width(value: object) -> list:
    """The value at each width a chart filling its container wraps for (once, when it is a plain value)."""
    if not (isinstance(value, dict) and "expr" in value):
        return [value]
    return [at_width(value, px) for px in textfit.WRAP_WIDTHS]


def joined(text: object) -> str:
    return " ".join(text) if isinstance(text, list) else str(text)


def foot_layer(spec: dict) -> dict:
    """The source line: the text mark drawn below the plot."""
    feet = [lay for lay in layers(spec, "text") if lay["mark"].get("y") == {"expr": f"height + {charts.FOOT_GAP}"}]
    assert len(feet) == 1
    return feet[0]


def foot_texts(spec: dict) -> set[str]:
    """The source line at the chart's foot, unwrapped, at every width it is wrapped for."""
    return {joined(lines) for lines in every_width(foot_layer(spec)["mark"]["text"])}


def foot_text(spec: dict) -> str:
    (text,) = foot_texts(spec)
    return text


def title_texts(spec: dict) -> set[str]:
    return {joined(text) for text in every_width(spec["title"]["text"])}


def title_text(spec: dict) -> str:
    (text,) = title_texts(spec)
    return text


def name_of(row: dict) -> str:
    """A row's name as the story wrote it (a fixed-width chart keeps it wrapped, as a list of lines)."""
    return joined(row["name"])


def figure_of(row: dict) -> str:
    """The figure a comparison's bar belongs to: its name up to the rating (``Title · Reported · via CNN``)."""
    return name_of(row).split(" · ")[0]


def drawn_labels(spec: dict) -> list[str]:
    return [row["label"] for lay in layers(spec, "text") if field(lay, "text") == "label" for row in values(lay)]


def svg_text(svg: str) -> str:
    """Every piece of text in an SVG in document order, joined by single spaces."""
    pieces = [html.unescape(p).strip() for p in re.findall(r">([^<>]+)<", svg)]
    return " ".join(p for p in pieces if p)


# -- every figure ------------------------------------------------------------------------------

@pytest.mark.parametrize("figure_id", FIGURE_IDS)
@pytest.mark.parametrize("width", [640, None])
def test_every_chart_has_title_source_line_and_a_description_stating_the_numbers(figure_id, width):
    figure = CATALOGUE.figure(figure_id)
    spec = spec_of(charts.figure_chart(figure, CATALOGUE, width=width))
    assert title_text(spec) == figure.title
    assert foot_text(spec) == formatting.source_line(figure, CATALOGUE)
    assert spec["description"].startswith(figure.title)
    for claim in figure.claims:
        assert formatting.claim_value(claim, figure.unit) in spec["description"]
        assert claim.claimant in spec["description"]
    assert spec["width"] == (width or "container")


@pytest.mark.parametrize("figure_id", FIGURE_IDS)
def test_every_chart_uses_only_inline_data(figure_id):
    text = json.dumps(spec_of(charts.figure_chart(CATALOGUE.figure(figure_id), CATALOGUE)))
    assert '"url"' not in text


@pytest.mark.parametrize(("figure_id", "label"), [
    ("us-equipment-left-value", "more than $7bn"),
    ("night-vision-equipment-left", "as many as 42,000 pieces"),
    ("combat-vehicles-left", "about 900 vehicles"),
    ("russia-cruise-missile-mass-strikes", "2 to 3 strikes"),
    ("humvees-left", "23,825 vehicles"),
    ("russian-guns-firing-days", "almost 300 days"),
])
def test_the_qualifier_is_written_in_the_chart_label_not_flattened(figure_id, label):
    spec = spec_of(charts.figure_chart(CATALOGUE.figure(figure_id), CATALOGUE))
    assert drawn_labels(spec) == [label]


@pytest.mark.parametrize("figure_id", FIGURE_IDS)
def test_tooltips_carry_claimant_date_qualifier_meaning_and_confidence(figure_id):
    spec = spec_of(charts.figure_chart(CATALOGUE.figure(figure_id), CATALOGUE))
    with_tooltips = [lay for lay in spec["layer"] if "tooltip" in lay.get("encoding", {})]
    assert with_tooltips
    for lay in with_tooltips:
        fields = {t["field"] for t in lay["encoding"]["tooltip"]}
        assert {"claimant", "as_of", "exactness", "confidence"} <= fields
        assert all(row["exactness"] in formatting.QUALIFIER_MEANING.values() for row in values(lay))


# -- the shapes ----------------------------------------------------------------------------------

def test_more_than_draws_an_open_ended_arrow_past_the_value_to_the_axis_end():
    spec = spec_of(charts.figure_chart(CATALOGUE.figure("us-equipment-left-value"), CATALOGUE))
    arrow = [lay for lay in layers(spec, "rule") if field(lay, "x2") == "open_end"]
    assert len(arrow) == 1
    row = values(arrow[0])[0]
    assert row["end"] == 7_000_000_000 and row["open_end"] > row["end"]
    assert arrow[0]["encoding"]["x"]["scale"]["domain"][1] == row["open_end"]
    heads = [lay for lay in layers(spec, "point") if lay["mark"].get("shape") == "triangle-right"]
    assert heads and field(heads[0], "x") == "open_end"


def test_more_than_point_is_open_and_at_least_point_is_filled():
    spec = spec_of(charts.figure_chart(MIXED.figure("spend-usd-2"), MIXED))
    arrow = [lay for lay in layers(spec, "rule") if field(lay, "x2") == "open_end"]
    assert arrow, "at least is open-ended too"
    point = next(lay for lay in layers(spec, "point") if field(lay, "x") == "point")
    assert point["encoding"]["fill"]["condition"]["test"] == "datum.qualifier == 'more_than'"
    assert values(point)[0]["qualifier"] == "at_least"


def test_as_many_as_draws_a_line_up_to_a_cap_and_no_open_end():
    spec = spec_of(charts.figure_chart(CATALOGUE.figure("night-vision-equipment-left"), CATALOGUE))
    caps = layers(spec, "tick")
    assert len(caps) == 1 and values(caps[0])[0]["end"] == 42000
    assert not [lay for lay in spec["layer"] if field(lay, "x2") == "open_end"]


def test_approximately_draws_a_dashed_pale_band_and_a_point():
    spec = spec_of(charts.figure_chart(CATALOGUE.figure("combat-vehicles-left"), CATALOGUE))
    band = [lay for lay in layers(spec, "bar") if "strokeDash" in lay["mark"]]
    assert len(band) == 1 and values(band[0])[0]["end"] == 900
    assert any(field(lay, "x") == "point" for lay in layers(spec, "point"))


def test_almost_draws_a_pale_dashed_bar_stopping_at_a_cap_with_no_point_past_it():
    spec = spec_of(charts.figure_chart(CATALOGUE.figure("russian-guns-firing-days"), CATALOGUE))
    band = [lay for lay in layers(spec, "bar") if "strokeDash" in lay["mark"]]
    caps = layers(spec, "tick")
    assert len(band) == 1 and values(band[0])[0]["end"] == 300
    assert len(caps) == 1 and values(caps[0])[0]["end"] == 300 and values(caps[0])[0]["qualifier"] == "just_under"
    assert not layers(spec, "point")  # "about" has a point on either side of the value; "almost" stops short of it
    assert not [lay for lay in spec["layer"] if field(lay, "x2") == "open_end"]
    assert values(caps[0])[0]["exactness"] == "The source says almost, nearly or just under: the true value is a little below this."


def test_range_draws_a_bar_from_low_to_high():
    spec = spec_of(charts.figure_chart(CATALOGUE.figure("russia-cruise-missile-mass-strikes"), CATALOGUE))
    bars = [lay for lay in layers(spec, "bar") if field(lay, "x") == "start" and field(lay, "x2") == "end"]
    rows = [row for lay in bars for row in values(lay)]
    assert [(r["start"], r["end"]) for r in rows] == [(2, 3)]
    assert bars[0]["encoding"]["x"]["scale"]["domain"][0] == 0


@pytest.mark.parametrize("figure_id", ["us-equipment-left-value", "humvees-left", "russia-cruise-missile-mass-strikes",
                                       "night-vision-equipment-left"])
def test_the_value_axis_starts_at_zero_for_counts_and_money(figure_id):
    spec = spec_of(charts.figure_chart(CATALOGUE.figure(figure_id), CATALOGUE))
    scales = [lay["encoding"]["x"]["scale"] for lay in spec["layer"] if "scale" in lay.get("encoding", {}).get("x", {})]
    assert scales and all(s["domain"][0] == 0 and s["zero"] is True for s in scales)


def test_a_share_is_drawn_against_the_whole_hundred_percent():
    spec = spec_of(charts.figure_chart(CATALOGUE.figure("us-weapons-share-left"), CATALOGUE))
    assert spec["layer"][0]["encoding"]["x"]["scale"]["domain"] == [0, 100]
    assert values(spec["layer"][0])[0]["end"] == 100


def test_claims_at_different_dates_make_a_series_in_time_order_with_the_change_labelled():
    figure = CATALOGUE.figure("russia-iskander-stock")
    spec = spec_of(charts.figure_chart(figure, CATALOGUE))
    line = layers(spec, "line")
    assert len(line) == 1
    points = values(line[0])
    # Epoch milliseconds of the month midpoints (15 February and 15 November 2022, UTC).
    assert [p["date"] for p in points] == [1644883200000.0, 1668470400000.0]
    assert [p["value"] for p in points] == [900, 119]
    assert line[0]["encoding"]["x"]["axis"]["values"] == [1644883200000, 1668470400000]
    assert "February 2022" in line[0]["encoding"]["x"]["axis"]["labelExpr"]
    changes = [row["change"] for lay in layers(spec, "text") if field(lay, "text") == "change" for row in values(lay)]
    assert changes == ["−87%"]
    axis = line[0]["encoding"]["x"]["axis"]
    assert "February 2022" in axis["labelExpr"] and "November 2022" in axis["labelExpr"]
    assert "−87%" in spec["description"]


def test_two_sources_disagreeing_at_one_date_are_drawn_side_by_side_naming_both():
    figure = COMPETING.figure("soldiers-killed")
    assert formatting.is_competing(figure)
    spec = spec_of(charts.figure_chart(figure, COMPETING))
    assert not layers(spec, "line")
    names = list(dict.fromkeys(name_of(row) for lay in layers(spec, "text") for row in values(lay) if row.get("name")))
    assert len(names) == 2
    assert names[0].startswith("Government of Ukraine") and names[1].startswith("Russian Ministry of Defence")
    assert sorted(drawn_labels(spec)) == ["5,937 people", "more than 100,000 people"]
    rows = {row["row"] for lay in spec["layer"] for row in values(lay) if "row" in row}
    assert len(rows) == 2, "one row per claimant"
    assert "Government of Ukraine" in spec["description"] and "Russian Ministry of Defence" in spec["description"]
    assert "Kyiv Post" in foot_text(spec) and "TASS" in foot_text(spec)


def test_a_lower_case_claimant_starts_its_chart_row_and_tooltip_with_a_capital_and_the_source_line_does_not():
    cat = catalogue(figure_yaml("soldiers-killed", "person", [
        {"value": 100000, "claimant": "officials in Kyiv", "source": "kyiv-post"},
        {"value": 5937, "claimant": "Russian Ministry of Defence", "source": "tass"},
    ]))
    spec = spec_of(charts.figure_chart(cat.figure("soldiers-killed"), cat))
    names = {name_of(row) for lay in layers(spec, "text") for row in values(lay) if row.get("name")}
    assert any(name.startswith("Officials in Kyiv") for name in names), names
    tooltips = {row["claimant"] for lay in spec["layer"] for row in values(lay) if "claimant" in row}
    assert tooltips == {"Officials in Kyiv", "Russian Ministry of Defence"}
    assert "Claimed by officials in Kyiv" in foot_text(spec)


# -- comparisons ------------------------------------------------------------------------------------

def test_thirty_days_and_almost_three_hundred_days_share_one_axis():
    figures = [CATALOGUE.figure("russia-planned-war-length"), CATALOGUE.figure("russian-guns-firing-days")]
    spec = spec_of(charts.comparison_chart(figures, CATALOGUE))
    rows = {figure_of(row): row for lay in spec["layer"] for row in values(lay) if "name" in row}
    assert rows["Length of the war Putin planned for"]["end"] == 30
    assert rows["Days the Russian guns had been firing"]["end"] == 300
    assert sorted(drawn_labels(spec)) == ["30 days", "almost 300 days"]
    assert "30 days" in spec["description"] and "almost 300 days" in spec["description"]
    assert "Admiral Sir Tony Radakin" in foot_text(spec)


def test_weeks_are_converted_to_days_before_they_are_compared():
    spec = spec_of(charts.comparison_chart([MIXED.figure("war-planned"), MIXED.figure("war-so-far")], MIXED))
    rows = {figure_of(row): row for lay in spec["layer"] for row in values(lay) if "name" in row}
    assert rows["Test figure war-so-far"]["end"] == pytest.approx(28)
    assert rows["Test figure war-so-far"]["label"] == "about 4 weeks (= 28 days)"
    assert rows["Test figure war-planned"]["end"] == 30


def test_each_comparison_is_titled_by_what_it_compares_and_no_two_share_a_title():
    groups = charts.comparison_groups(CATALOGUE, "russia-taliban-us-weapons")
    titles = [title_text(spec_of(charts.comparison_chart(group, CATALOGUE))) for group in groups]

    assert titles == [" vs ".join(f.title for f in group) for group in groups]
    assert len(set(titles)) == len(titles)


@pytest.mark.parametrize("group", charts.comparison_groups(CATALOGUE, "russia-taliban-us-weapons"), ids=lambda g: g[0].id)
def test_every_bar_of_a_comparison_names_its_rating_and_the_source_it_came_through(group):
    spec = spec_of(charts.comparison_chart(group, CATALOGUE))
    names = {name_of(row) for lay in spec["layer"] for row in values(lay) if "name" in row}

    expected = set()
    for figure in group:
        claim = sorted(figure.claims, key=lambda c: c.as_of)[-1]
        expected.add(f"{figure.title} · {formatting.CONFIDENCE_LABELS[claim.confidence]} · {formatting.via_line(claim, CATALOGUE)}")
    assert names == expected


@pytest.mark.parametrize(("first", "second"), [("spend-usd", "tanks"), ("spend-usd", "spend-gbp"), ("war-planned", "tanks")])
def test_figures_of_different_dimensions_or_currencies_never_share_an_axis(first, second):
    with pytest.raises(units.UnitError, match="cannot compare"):
        charts.comparison_chart([MIXED.figure(first), MIXED.figure(second)], MIXED)


def test_a_comparison_with_fewer_than_two_drawable_values_returns_none():
    both = catalogue(
        figure_yaml("disputed", "person", [{"value": 10, "claimant": "A", "source": "times"}, {"value": 20, "claimant": "B", "source": "tass"}]),
        figure_yaml("lone", "person", [{"value": 5, "claimant": "C", "source": "times"}]),
    )
    assert charts.comparison_chart([both.figure("disputed"), both.figure("lone")], both) is None


def test_comparison_groups_share_one_dimension_and_never_mix_currencies():
    groups = charts.comparison_groups(MIXED, "test-story")
    as_ids = [sorted(f.id for f in g) for g in groups]
    assert ["spend-usd", "spend-usd-2"] in as_ids
    assert ["war-planned", "war-so-far"] in as_ids
    assert not any("spend-gbp" in ids or "tanks" in ids for ids in as_ids), "a lone currency or count has nothing to compare with"
    for group in groups:
        assert len(group) >= 2 and len({f.unit_info.dimension for f in group}) == 1


@pytest.mark.parametrize(
    ("units_of_figures", "scale"),
    [
        (("missile", "vehicle", "piece"), "Counts, on one scale"),
        (("missile", "strike"), None),
        (("troop", "vehicle"), None),
        (("person", "troop"), "People, on one scale"),
        (("strike", "strike"), "Events, on one scale"),
    ],
)
def test_counts_share_an_axis_only_when_they_count_the_same_kind_of_thing(units_of_figures, scale):
    cat = catalogue(*(figure_yaml(f"f{i}", unit, [{"value": 10 + i, "claimant": "A", "source": "times"}])
                      for i, unit in enumerate(units_of_figures)))
    groups = charts.comparison_groups(cat, "test-story")
    if scale is None:
        assert groups == []
    else:
        assert groups == [list(cat.figures)]
        assert f". {scale}. " in spec_of(charts.comparison_chart(groups[0], cat))["description"]


def test_comparison_groups_of_the_real_story_pair_the_equipment_counts_and_the_durations_and_nothing_else():
    as_ids = [[f.id for f in g] for g in charts.comparison_groups(CATALOGUE, "russia-taliban-us-weapons")]
    assert as_ids == [
        ["us-equipment-left-value", "us-ammunition-left-value"],
        ["humvees-left", "combat-vehicles-left", "night-vision-equipment-left"],
        ["russia-planned-war-length", "russian-guns-firing-days"],
    ], "Iskander missiles and mass strikes are both counted, but they are not the same kind of thing"
    assert charts.comparison_groups(CATALOGUE, "no-such-story") == []


# -- theme -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("width", [640, None])
def test_a_chart_carries_the_house_theme_whatever_theme_its_host_enabled(width):
    """The theme is in the chart itself (tests/test_import_state.py: none is registered); the host's own theme changes nothing of ours."""
    figure = CATALOGUE.figure("humvees-left")
    spec = spec_of(charts.figure_chart(figure, CATALOGUE, width=width))
    house = theme.house_theme()
    assert list(spec)[:3] == ["background", "padding", "config"], "the house theme's keys first, as when it was enabled"
    assert spec["background"] == theme.BACKGROUND and spec["padding"] == house["padding"]
    assert spec["config"] == house["config"]
    assert spec["config"]["font"] == theme.FONT
    assert spec["config"]["range"]["category"][0] == theme.OKABE_ITO[0]
    with alt.theme.enable("dark"):
        dark = charts.figure_chart(figure, CATALOGUE, width=width).to_dict()
    assert dark["background"] == theme.BACKGROUND
    assert {key: dark["config"][key] for key in house["config"]} == house["config"], "the house theme wins wherever it speaks"
    assert charts.figure_chart(figure, CATALOGUE, width=width).to_dict() == spec, "and leaves the chart as it was"


# -- rendering offline -------------------------------------------------------------------------------

@pytest.mark.parametrize("figure_id", FIGURE_IDS)
@pytest.mark.parametrize("width", [320, 900])
def test_every_figure_renders_to_svg_with_its_source_line_and_to_png(figure_id, width):
    figure = CATALOGUE.figure(figure_id)
    chart = charts.figure_chart(figure, CATALOGUE, width=width)
    svg = vlc.vegalite_to_svg(chart.to_json())
    text = svg_text(svg)
    assert formatting.source_line(figure, CATALOGUE) in text
    assert figure.title in text
    png = vlc.vegalite_to_png(chart.to_json(), scale=2)
    assert png.startswith(PNG_MAGIC)


@pytest.mark.parametrize("group", charts.comparison_groups(CATALOGUE, "russia-taliban-us-weapons"), ids=lambda g: g[0].id)
def test_every_comparison_of_the_story_renders(group):
    chart = charts.comparison_chart(group, CATALOGUE, width=480)
    assert vlc.vegalite_to_png(chart.to_json(), scale=2).startswith(PNG_MAGIC)
    svg = vlc.vegalite_to_svg(chart.to_json())
    assert all(f.title in svg_text(svg) for f in group)


# -- filling the container: readable from a 320 px phone to a 1200 px desktop --------------------

def subtitle_layer(spec: dict) -> dict:
    """The subtitle of a chart filling its container: a text mark just above the plot."""
    subs = [lay for lay in layers(spec, "text") if lay["mark"].get("fontSize") == theme.SUBTITLE_SIZE and lay["mark"].get("baseline") == "bottom"]
    assert len(subs) == 1
    return subs[0]


def line_count(value: object) -> int:
    return len(value) if isinstance(value, list) else 1


@pytest.mark.parametrize("figure_id", FIGURE_IDS)
def test_a_chart_filling_its_container_wraps_every_text_to_fit_each_plot_width(figure_id):
    figure = CATALOGUE.figure(figure_id)
    spec = spec_of(charts.figure_chart(figure, CATALOGUE))
    texts = {
        "title": (spec["title"]["text"], theme.TITLE_SIZE, True),
        "subtitle": (subtitle_layer(spec)["mark"]["text"], theme.SUBTITLE_SIZE, False),
        "source line": (foot_layer(spec)["mark"]["text"], theme.FOOT_SIZE, False),
    }
    for name, (value, size, bold) in texts.items():
        counts = []
        for px in textfit.WRAP_WIDTHS:
            lines = at_width(value, px)
            lines = lines if isinstance(lines, list) else [lines]
            too_wide = [line for line in lines if textfit.text_px(line, size, bold) > px]
            assert not too_wide, f"the {name} at {px}px: {too_wide}"
            counts.append(len(lines))
        assert counts == sorted(counts, reverse=True), f"the {name} takes more lines on a wider plot: {counts}"
        assert counts[-1] < counts[0] or counts[0] == 1, f"the {name} is wrapped the same on a phone and a desktop"
    assert title_texts(spec) == {figure.title}
    assert foot_texts(spec) == {formatting.source_line(figure, CATALOGUE)}
    assert len({joined(lines) for lines in every_width(subtitle_layer(spec)["mark"]["text"])}) == 1
    assert spec["description"] == spec_of(charts.figure_chart(figure, CATALOGUE, width=640))["description"], "the accessible name does not depend on the width"


def test_the_text_width_follows_the_container_less_the_padding_and_axis_room():
    spec = spec_of(charts.figure_chart(CATALOGUE.figure("russia-iskander-stock"), CATALOGUE))
    (param,) = [p for p in spec["params"] if p["name"] == textfit.TEXT_WIDTH]
    assert param["expr"].startswith("isFinite(containerSize()[0]) ? containerSize()[0] - ")
    assert param["expr"].endswith(": width"), "offline (no container) the text follows the plot's own width"
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}


@pytest.mark.parametrize("figure_id", FIGURE_IDS)
def test_a_fixed_width_chart_is_wrapped_for_that_width_with_no_width_expressions(figure_id):
    spec = spec_of(charts.figure_chart(CATALOGUE.figure(figure_id), CATALOGUE, width=640))
    assert "text_width" not in json.dumps(spec) and "containerSize" not in json.dumps(spec)
    assert isinstance(spec["title"]["text"], list) and isinstance(spec["title"]["subtitle"], list)
    assert isinstance(foot_layer(spec)["mark"]["text"], list)
    assert spec["autosize"] == {"type": "pad", "contains": "padding"}


def test_a_narrow_series_keeps_its_end_labels_inside_the_plot_and_shortens_its_dates():
    spec = spec_of(charts.figure_chart(CATALOGUE.figure("russia-iskander-stock"), CATALOGUE))
    line = layers(spec, "line")[0]
    domain = line["encoding"]["x"]["scale"]["domain"]
    assert "expr" in domain and domain["expr"].startswith("width >= "), "side room for the labels only where the plot has it"
    wide = int(re.match(r"width >= (\d+)", domain["expr"]).group(1))
    assert 300 < wide < 600
    axis = line["encoding"]["x"]["axis"]
    assert '"February 2022"' in axis["labelExpr"] and '"Feb 2022"' in axis["labelExpr"]
    assert axis["labelOverlap"] is True and axis["labelFlush"] == labels.NARROW_MARGIN + 2
    ends = [lay for lay in layers(spec, "text") if field(lay, "text") in ("label", "change") and len(values(lay)) == 1]
    aligns = {values(lay)[0]["label"] + "/" + field(lay, "text"): lay["mark"]["align"] for lay in ends}
    assert aligns["900 missiles/label"] == {"expr": f"width >= {wide} ? \"right\" : \"left\""}, "left of its point when wide, from it when narrow"
    assert aligns["119 missiles/label"] == {"expr": f"width >= {wide} ? \"left\" : \"right\""}


def test_a_series_label_goes_where_the_line_does_not_run_through_it_on_a_narrow_plot():
    figure = CATALOGUE.figure("russia-iskander-stock")
    claims = sorted(figure.claims, key=lambda c: c.as_of)
    records = [charts._series_record(c, figure.unit) for c in claims]
    y_domain = labels.nice_domain(0, 900 * charts.SERIES_HEADROOM)
    labels.place_series_labels(records, y_domain)
    records[-1]["change"] = "−87%"
    fit = labels.SeriesFit.of(claims, records, y_domain, True)
    assert fit.places == ("above", "beside-low"), "900 over its point (the line falls away), 119 beside its point, under the line"
    for index, place in ((0, fit.places[0]), (1, fit.places[1])):
        for px in (textfit.WRAP_WIDTHS[0], 230, 300):  # the plot's width on phones 300 to 400 px wide
            box = fit._block(records, index, place, px)
            assert fit._inside(box, px) and fit._hits(records, box, px) == 0


@pytest.mark.parametrize("title", ["A title with 'quotes', \"double quotes\" and a back\\slash",
                                   "Line\u2028separator and a very-long-word-that-no-phone-could-fit-on-one-line-anywhere"])
def test_any_title_survives_the_width_expressions_and_draws_offline(title):
    cat = catalogue(figure_yaml("odd", "person", [{"value": 10, "claimant": "A", "source": "times"}]).replace("Test figure odd", json.dumps(title)))
    spec = spec_of(charts.figure_chart(cat.figure("odd"), cat))
    assert {text.replace(" ", "") for text in title_texts(spec)} == {title.replace(" ", "").replace("\u2028", "")}, "only ever split, never cut"
    svg = vlc.vegalite_to_svg(spec)
    assert title.split()[1] in svg_text(svg)


def test_words_too_long_for_a_line_are_split_and_every_line_fits():
    lines = textfit.fit_lines(["Supercalifragilisticexpialidocious-and-then-some words"], 100, 12)
    assert all(textfit.text_px(line, 12) <= 100 for line in lines)
    assert len(lines) > 2 and "".join(lines).replace(" ", "") == "Supercalifragilisticexpialidocious-and-then-somewords"
    assert textfit.fit_lines([""], 100, 12) == [""]


def test_competing_names_are_wrapped_for_each_width_and_the_rows_leave_room_for_the_longest():
    spec = spec_of(charts.figure_chart(COMPETING.figure("soldiers-killed"), COMPETING))
    (names,) = [lay for lay in layers(spec, "text") if lay["mark"].get("lineBreak") == "\n"]
    rows = values(names)
    for tier, px in enumerate(textfit.WRAP_WIDTHS):
        for row in rows:
            lines = row[f"name{tier}"].split("\n")
            assert len(lines) == row[f"lines{tier}"]
            assert all(textfit.text_px(line, theme.NAME_SIZE) <= px for line in lines)
            assert " ".join(lines) == row["name"]
    most = max(row["lines0"] for row in rows)
    assert spec["height"] == {"step": charts._row_geometry(most)[0]}


HOSTILE = loader.load(ROOT / "tests" / "hostile.yaml")


@pytest.mark.parametrize("width", [640, None, 320])
@pytest.mark.parametrize(("catalogue", "figure_id"), [(c, f.id) for c in (CATALOGUE, HOSTILE) for f in c.figures])
def test_every_chart_is_valid_vega_lite(catalogue, figure_id, width):
    """Exports and the app skip Altair's schema check for speed; this is where every chart meets it."""
    charts.figure_chart(catalogue.figure(figure_id), catalogue, width=width).to_dict(validate=True)


@pytest.mark.parametrize("catalogue", [CATALOGUE, HOSTILE], ids=["seed", "hostile"])
def test_every_comparison_chart_is_valid_vega_lite(catalogue):
    built = [charts.comparison_chart(group, catalogue) for story in catalogue.stories for group in charts.comparison_groups(catalogue, story)]
    assert any(built) or catalogue is HOSTILE
    for chart in filter(None, built):
        chart.to_dict(validate=True)


@pytest.mark.parametrize("values", [[-7], [-1_000_000], [-5, 3], [-2, -9]])
def test_negative_values_fall_inside_the_value_axis(values):
    """A negative value's bar runs from 0 down to it; the axis once ran from 0 to 1 and drew it 640 million pixels away."""
    cat = catalogue(figure_yaml("losses", "vehicle", [{"value": v, "claimant": f"C{i}", "source": "times"} for i, v in enumerate(values)]))
    spec = spec_of(charts.figure_chart(cat.figures[0], cat, width=640))
    domains = {tuple(x["scale"]["domain"]) for x in (layer.get("encoding", {}).get("x", {}) for layer in layers(spec)) if "scale" in x}
    assert len(domains) == 1
    ((low, high),) = domains
    assert low <= min(values) and high >= max(0, *values)
    drawn = vlc.vegalite_to_svg(spec)
    assert 'width="' in drawn and int(re.search(r'<svg[^>]*width="(\d+)', drawn).group(1)) < 1000


@pytest.mark.parametrize("width", [640, None])
@pytest.mark.parametrize("figure_id", FIGURE_IDS)
def test_a_chart_and_its_copies_give_one_spec_however_often_drawn(figure_id, width):
    """Layers are copied shallowly for speed (charts._Layer): copies and repeated drawing must never change a spec."""
    chart = charts.figure_chart(CATALOGUE.figure(figure_id), CATALOGUE, width=width)
    first = chart.to_dict(validate=False)
    copy = chart.copy(deep=True)
    assert copy.to_dict(validate=False) == first
    assert alt.layer(*copy.layer).to_dict(validate=False)["layer"] == first["layer"]
    assert chart.to_dict(validate=False) == first
    assert charts.figure_chart(CATALOGUE.figure(figure_id), CATALOGUE, width=width).to_dict(validate=False) == first


def test_a_layers_copy_takes_new_properties_without_changing_the_layer():
    chart = charts.figure_chart(CATALOGUE.figure("humvees-left"), CATALOGUE, width=640)
    layer = chart.layer[0]
    before = layer.to_dict(validate=False)
    copy = layer.copy(deep=True)
    copy.data = alt.Undefined
    copy.mark = "point"
    assert layer.to_dict(validate=False) == before
    assert copy.to_dict(validate=False)["mark"] == {"type": "point"}
    assert copy.data is alt.Undefined and layer.data is not alt.Undefined


def test_text_wraps_the_same_when_words_are_measured_once_as_when_each_line_is_measured_whole():
    """_fit_lines adds up word widths; the line it makes must be exactly as wide as _text_px measures it."""
    text = "According to a US Department of Defense report, as reported by CNN · Firstpost, 2023 — Iskander stock 900 → 119"
    for px in textfit.WRAP_WIDTHS:
        for size, bold in ((theme.NAME_SIZE, False), (theme.TITLE_SIZE, True)):
            lines = textfit.fit_lines([text], px, size, bold)
            assert " ".join(lines) == text
            assert all(textfit.text_px(line, size, bold) <= px for line in lines)
            for line, following in zip(lines, lines[1:], strict=False):  # greedy: the next word did not fit
                assert textfit.text_px(f"{line} {following.split()[0]}", size, bold) > px


# -- numbers that mislead (issue 11) ---------------------------------------------------------------

def series(unit: str, *claims: float | dict) -> tuple:
    """A catalogue holding one series in ``unit``, a claim a year from 2020: a value, or a dict of claim fields."""
    rows = [{"as_of": f"{2020 + i}-01", "claimant": "A", "source": "times", **(c if isinstance(c, dict) else {"value": c})}
            for i, c in enumerate(claims)]
    cat = catalogue(figure_yaml("moving", unit, rows))
    return cat.figures[0], cat


def change_labels(spec: dict) -> list[str]:
    return [row["change"] for lay in layers(spec, "text") if field(lay, "text") == "change" for row in values(lay)]


def subtitle_texts(spec: dict) -> set[str]:
    """The subtitle at every width: Vega-Lite's subtitle at a fixed width, a text mark above the plot when filling a container."""
    if "subtitle" in spec["title"]:
        return {joined(spec["title"]["subtitle"])}
    (mark,) = [lay["mark"] for lay in layers(spec, "text") if lay["mark"].get("baseline") == "bottom" and "text" in lay["mark"]]
    return {joined(lines) for lines in every_width(mark["text"])}


@pytest.mark.parametrize("width", [640, None])
@pytest.mark.parametrize(
    ("unit", "claims", "labels", "change"),
    [
        ("percent", (-2.1, 3.4), ["−2.1%", "3.4%"], "up 5.5 points"),  # once "(−262%)"
        ("percent", (3.4, -2.1), ["3.4%", "−2.1%"], "down 5.5 points"),
        ("percent", (70, 60), ["70%", "60%"], "down 10 points"),  # a share moves by points, never by a percentage of itself
        ("percent", (0.004, 0.01), ["0.004%", "0.01%"], "up 0.006 points"),  # once "0% → 0.01% (+100%)"
        ("vehicle", (0, 8), ["0 vehicles", "8 vehicles"], None),
        ("vehicle", (-5, 3), ["−5 vehicles", "3 vehicles"], None),
        ("vehicle", (-8, -5), ["−8 vehicles", "−5 vehicles"], None),
        ("vehicle", (5, -3), ["5 vehicles", "−3 vehicles"], None),
        ("tonne", (0.0004, 0.0012), ["0.0004 metric tons", "0.0012 metric tons"], "+200%"),
        ("missile", (900, 119), ["900 missiles", "119 missiles"], "−87%"),
    ],
)
def test_a_series_labels_and_describes_its_change_only_where_it_means_something(unit, claims, labels, change, width):
    figure, cat = series(unit, *claims)
    spec = spec_of(charts.figure_chart(figure, cat, width=width))

    assert drawn_labels(spec) == labels
    assert change_labels(spec) == ([change] if change else [])
    described = "Change from first to last"
    assert (f"{described}: {change}." in spec["description"]) if change else (described not in spec["description"])
    headline = formatting.headline(figure)
    assert headline.endswith(f" ({change})" if change else labels[-1])
    assert all(text.startswith(headline + " · ") for text in subtitle_texts(spec))
    words = " ".join([spec["description"], *subtitle_texts(spec), *change_labels(spec)])
    if unit == "percent":
        assert not re.search(r"[+−-]\d[\d.,]*%\)?(?!\S)", words.replace(labels[0], "").replace(labels[1], ""))
    assert not re.search(r"(?<![\d.])0(%| vehicles| metric tons)", " ".join(drawn_labels(spec)).replace("0 vehicles", "", claims[0] == 0))


@pytest.mark.parametrize("width", [640, None])
@pytest.mark.parametrize(
    "claims",
    [
        (-2.1, 3.4),
        ({"low": -3, "high": -1, "qualifier": "range"}, 2),  # the range runs below its own middle: once cut off at -2
        (4, {"low": -6, "high": 1, "qualifier": "range"}),
    ],
)
def test_a_series_below_zero_keeps_every_value_and_range_end_inside_its_value_axis(claims, width):
    figure, cat = series("vehicle", *claims)
    spec = spec_of(charts.figure_chart(figure, cat, width=width))
    lowest = min(v for c in figure.claims for v in (c.central, c.low) if v is not None)

    domains = {tuple(lay["encoding"]["y"]["scale"]["domain"]) for lay in layers(spec) if "scale" in lay.get("encoding", {}).get("y", {})}
    assert domains and all(low <= lowest and high > 0 for low, high in domains)


def test_a_dip_below_zero_is_labelled_under_its_point_when_the_axis_has_room_below_it():
    """Labels go under a dip unless they would run into the bottom of the axis, which is not zero when values are negative."""
    figure, cat = series("vehicle", -10, -6, 0)
    spec = spec_of(charts.figure_chart(figure, cat, width=640))

    (middle,) = [lay for lay in layers(spec, "text") if field(lay, "y") == "label_y"]
    assert [row["label"] for row in values(middle)] == ["−6 vehicles"]
    assert middle["mark"]["baseline"] == "top" and middle["mark"]["dy"] > 0


def test_a_series_of_tiny_shares_keeps_room_for_its_finest_tick_labels():
    """Ticks of 0.004% → 0.01% read 0.002% to 0.012% (never 0%): the container's width is taken less their room."""
    figure, cat = series("percent", 0.004, 0.01)
    spec = spec_of(charts.figure_chart(figure, cat))
    drawn = vlc.vegalite_to_svg({**spec, "width": 600})
    ticks = [t for t in re.findall(r">([^<>]+)<", drawn) if t.endswith("%") and " " not in t]
    assert "0.012%" in ticks and "0.002%" in ticks

    (param,) = [p for p in spec["params"] if p["name"] == textfit.TEXT_WIDTH]
    room = float(re.search(r"containerSize\(\)\[0\] - ([\d.]+)", param["expr"]).group(1))
    padding = theme.PADDING
    assert room >= padding["left"] + padding["right"] + textfit.text_px("0.012%", 11) + 11
