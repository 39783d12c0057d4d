"""Tidy rows and frames: one row per claim, canonical units, typed numbers, one row per figure for search."""

from __future__ import annotations

import pytest

from figures.frames import CHART_DATA_COLUMNS, COLUMN_DESCRIPTIONS, CSV_COLUMNS, READER_COLUMNS, claim_rows, figure_records, reader_frame
from figures.loader import load_text


def test_every_row_has_exactly_the_csv_columns(real):
    rows = claim_rows(real)

    assert len(rows) == real.claim_count
    assert all(list(row) == list(CSV_COLUMNS) for row in rows)


def test_every_column_is_described():
    assert list(COLUMN_DESCRIPTIONS) == list(CSV_COLUMNS)
    assert all(text.strip() for text in COLUMN_DESCRIPTIONS.values())


@pytest.mark.parametrize(
    ("unit", "value", "canonical_value", "canonical_unit"),
    [
        ("week", 2, 14, "day"),
        ("day", 30, 30, "day"),
        ("vehicle", 900, 900, "item"),
        ("troop", 100_000, 100_000, "person"),
        ("strike", 3, 3, "event"),
        ("USD", 48_000_000, 48_000_000, "USD"),
        ("percent", 70, 70, "percent"),
        ("meter", 1500, 1.5, "kilometer"),
    ],
)
def test_values_are_converted_to_the_canonical_unit(catalogue_text, unit, value, canonical_value, canonical_unit):
    catalogue = load_text(catalogue_text("unit: vehicle", f"unit: {unit}").replace("value: 5", f"value: {value}"))

    (row,) = claim_rows(catalogue, (catalogue.figure("target"),))

    assert (row["unit"], row["value"], row["unit_canonical"]) == (unit, value, canonical_unit)
    assert row["value_canonical"] == pytest.approx(canonical_value)


def test_range_row_has_low_and_high_and_no_value(real):
    (row,) = claim_rows(real, (real.figure("russia-cruise-missile-mass-strikes"),))

    assert (row["value"], row["low"], row["high"], row["low_canonical"], row["high_canonical"]) == (None, 2, 3, 2, 3)
    assert row["headline"] == "2 to 3 strikes"


def test_row_carries_source_story_and_joined_lists(catalogue_text):
    text = catalogue_text("    topic: t\n", "    tags: [a, b]\n").replace('quote: "five"\n', 'quote: "five"\n        via: [src-a, src-a]\n')
    catalogue = load_text(text)
    assert catalogue.ok, catalogue.problems

    (row,) = claim_rows(catalogue, (catalogue.figure("target"),))

    assert (row["source_name"], row["source_kind"], row["story_title"]) == ("Source A", "news report", "A story")
    assert (row["tags"], row["via"], row["topic"]) == ("a; b", "src-a; src-a", None)


def by_id(catalogue) -> dict[str, dict]:
    return {r["figure_id"]: r for r in figure_records(catalogue)}


def test_figure_records_have_one_record_per_figure_in_order(real):
    records = figure_records(real)

    assert [r["figure_id"] for r in records] == [f.id for f in real.figures]
    assert [r["order"] for r in records] == list(range(len(real.figures)))


def test_figure_records_search_text_is_casefolded_and_holds_quotes_and_claimants(real):
    row = by_id(real)["russia-iskander-stock"]

    assert row["search_text"] == row["search_text"].casefold()
    assert "iskander" in row["search_text"] and "government of ukraine" in row["search_text"]
    assert row["headline"] == "900 → 119 missiles (−87%)"
    assert row["claimants"] == ["Government of Ukraine"]
    assert row["topics"] == ["Russian arms stocks", "missiles"]


@pytest.mark.parametrize(
    ("figure_id", "confidence"),
    [("us-equipment-left-value", "reported"), ("russia-iskander-stock", "claimed"), ("russian-guns-firing-days", "reported"), ("russia-planned-war-length", "claimed")],
)
def test_figure_records_show_the_weakest_confidence(real, figure_id, confidence):
    assert by_id(real)[figure_id]["confidence"] == confidence


def test_an_empty_catalogue_has_no_figure_records():
    assert figure_records(load_text("sources: {}\nstories: {}\nfigures: []\n")) == []


SECOND_CLAIM = ('      - value: {end}\n        qualifier: exact\n        as_of: 2022-06\n        claimant: Someone\n        source: src-a\n'
                '        quote: "q"\n        confidence: claimed\n        confidence_note: because\n')


@pytest.mark.parametrize(
    ("unit", "start", "end", "first_row", "headline"),
    [
        ("percent", -2.1, 3.4, "−2.1%", "−2.1% → 3.4% (up 5.5 points)"),
        ("percent", 0.004, 0.01, "0.004%", "0.004% → 0.01% (up 0.006 points)"),
        ("vehicle", -5, 3, "−5 vehicles", "−5 → 3 vehicles"),
        ("vehicle", 0, 8, "0 vehicles", "0 → 8 vehicles"),
        ("vehicle", 900, 119, "900 vehicles", "900 → 119 vehicles (−87%)"),
    ],
)
def test_rows_and_the_search_frame_write_numbers_and_changes_as_the_charts_do(catalogue_text, unit, start, end, first_row, headline):
    text = catalogue_text("        confidence_note: because\n", "        confidence_note: because\n" + SECOND_CLAIM.format(end=end))
    catalogue = load_text(text.replace("    unit: vehicle\n    story: story-a\n    topic: t\n    claims:\n      - value: 5\n",
                                       f"    unit: {unit}\n    story: story-a\n    topic: t\n    claims:\n      - value: {start}\n"))
    assert catalogue.ok, catalogue.problems
    figure = catalogue.figure("target")

    rows = claim_rows(catalogue, (figure,))
    assert [r["headline"] for r in rows][0] == first_row
    assert [r["value"] for r in rows] == [start, end]
    assert by_id(catalogue)["target"]["headline"] == headline


@pytest.mark.parametrize(("figure_id", "column", "expected"), [
    ("us-equipment-left-value", "As written", ["more than $7bn"]),
    ("us-equipment-left-value", "Number", ["$7,000,000,000"]),
    ("us-equipment-left-value", "Qualifier", ["More than"]),
    ("russia-iskander-stock", "As of", ["February 2022", "November 2022"]),
    ("russia-iskander-stock", "Number", ["900 missiles", "119 missiles"]),
    ("russia-cruise-missile-mass-strikes", "Qualifier", ["Range"]),
    ("russia-cruise-missile-mass-strikes", "Number", [""]),
    ("russian-guns-firing-days", "Qualifier", ["Almost"]),
    ("humvees-left", "Claimant", ["Officials familiar with a US Department of Defense report"]),
    ("humvees-left", "Quote checked", ["Against the story's archived text"]),
])
def test_reader_tables_say_each_claim_in_words_with_blanks_not_none(real, figure_id, column, expected):
    frame = reader_frame(real.figure(figure_id), real)

    assert list(frame.columns) == list(READER_COLUMNS)
    assert list(frame[column]) == expected
    assert not frame.isna().any().any()


def test_the_chart_data_table_is_a_choice_of_the_reader_columns(real):
    frame = reader_frame(real.figure("russia-iskander-stock"), real, CHART_DATA_COLUMNS)

    assert list(frame.columns) == list(CHART_DATA_COLUMNS) and set(CHART_DATA_COLUMNS) <= set(READER_COLUMNS)
    assert list(frame["As written"]) == ["900 missiles", "119 missiles"]
