"""Words for numbers: headlines as a journalist writes them, and the attribution lines."""

from __future__ import annotations

import pytest

from figures import formatting
from figures.formatting import attribution, bare, claim_value, confidence_summary, headline, is_competing, number, source_line
from figures.loader import load_text
from figures.model import Confidence, PartialDate, Qualifier
from figures.units import UnitInfo, unit_info


@pytest.mark.parametrize(
    ("figure_id", "expected"),
    [
        ("us-equipment-left-value", "more than $7bn"),
        ("us-weapons-share-left", "70%"),
        ("us-ammunition-left-value", "$48m"),
        ("humvees-left", "23,825 vehicles"),
        ("combat-vehicles-left", "about 900 vehicles"),
        ("night-vision-equipment-left", "as many as 42,000 pieces"),
        ("russia-iskander-stock", "900 → 119 missiles (−87%)"),
        ("russia-planned-war-length", "30 days"),
        ("russian-guns-firing-days", "almost 300 days"),
        ("russia-cruise-missile-mass-strikes", "2 to 3 strikes"),
    ],
)
def test_headline_of_each_real_figure(real, figure_id, expected):
    assert headline(real.figure(figure_id)) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (7_000_000_000, "USD", "$7bn"),
        (48_000_000, "USD", "$48m"),
        (1_250_000, "USD", "$1.25m"),
        (999_999_999, "USD", "$1bn"),  # rounds up into the next suffix, not "$1,000m"
        (999_000_000, "USD", "$999m"),
        (999_000, "USD", "$999,000"),
        (1.5e12, "USD", "$1.5tn"),
        (-1_500_000, "USD", "−$1.5m"),  # a true minus, as the axes and the changes write it
        (1_234_567, "GBP", "£1.23m"),
        (4_500_000_000, "EUR", "€4.5bn"),
        (5, "RUB", "5 RUB"),
        (70, "percent", "70%"),
        (-3.2, "percent", "−3.2%"),
        (23_825, "vehicle", "23,825 vehicles"),
        (1, "vehicle", "1 vehicle"),
        (2, "person", "2 people"),
        (1, "person", "1 person"),
        (30, "day", "30 days"),
        (1.5, "week", "1.5 weeks"),
        (2.5, "tonne", "2.5 metric tons"),
        (30, "km / h", "30 kilometers per hour"),
        (2, "inch", "2 inches"),
        (3, "century", "3 centuries"),
    ],
)
def test_number_is_written_as_a_journalist_would(value, unit, expected):
    assert number(value, unit) == expected


def test_money_in_full_when_not_compact():
    assert number(7_000_000_000, "USD", compact=False) == "$7,000,000,000"


@pytest.mark.parametrize(
    ("value", "unit", "compact", "expected"),
    [
        (-2.1, "percent", True, "−2.1%"),
        (-7, "vehicle", True, "−7 vehicles"),
        (-0.5, "day", True, "−0.5 days"),
        (-5, "RUB", True, "−5 RUB"),
        (-1_500_000, "USD", False, "−$1,500,000"),
        (-999, "USD", True, "−$999"),
    ],
)
def test_a_negative_number_is_written_with_a_true_minus_sign(value, unit, compact, expected):
    assert number(value, unit, compact=compact) == expected
    assert "-" not in number(value, unit, compact=compact)


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (0.004, "percent", "0.004%"),
        (0.0004, "vehicle", "0.0004 vehicles"),
        (0.006, "day", "0.006 days"),  # not "0.01 days": that is not a digit of 0.006
        (0.0043, "percent", "0.0043%"),
        (-0.004, "percent", "−0.004%"),
        (0.004, "USD", "$0.004"),
        (0.000000001, "tonne", "0.000000001 metric tons"),
    ],
)
def test_a_number_too_small_for_two_decimals_keeps_its_significant_digits(value, unit, expected):
    assert number(value, unit) == expected
    assert bare(value, unit) == (expected if unit in ("percent", "USD") else expected.split(" ")[0])


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (23_825, "vehicle", "23,825 vehicles"),
        (7e9, "USD", "$7bn"),
        (70, "percent", "70%"),
        (2.5, "week", "2.5 weeks"),
        (2.345, "day", "2.35 days"),
        (0.012, "percent", "0.01%"),
        (0.01, "percent", "0.01%"),
        (0, "percent", "0%"),
        (0, "vehicle", "0 vehicles"),
    ],
)
def test_ordinary_numbers_keep_two_decimals_at_most(value, unit, expected):
    assert number(value, unit) == expected


@pytest.mark.parametrize(("unit", "share"), [("percent", True), ("vehicle", False), ("USD", False), ("day", False), ("km / h", False)])
def test_only_percent_is_a_share(unit, share):
    assert formatting.is_share(unit) is share
    assert formatting.is_share(unit_info(unit)) is share
    assert number(5, unit).endswith("%") is share


@pytest.mark.parametrize("name", ["count", "radian", "degree", "decibel", "pi"])
def test_a_dimensionless_unit_other_than_percent_is_not_a_share(name):
    """Described directly: the loader refuses these units, but the rule must not depend on it."""
    info = UnitInfo(text=name, name=name, dimension="dimensionless", canonical="percent", factor=1.0)
    assert formatting.is_share(info) is False


@pytest.mark.parametrize(("value", "unit", "expected"), [(900, "missile", "900"), (7e9, "USD", "$7bn"), (70, "percent", "70%")])
def test_bare_drops_the_count_noun_only(value, unit, expected):
    assert bare(value, unit) == expected


@pytest.mark.parametrize(
    ("qualifier", "expected"),
    [
        ("exact", "5 vehicles"),
        ("approximately", "about 5 vehicles"),
        ("more_than", "more than 5 vehicles"),
        ("at_least", "at least 5 vehicles"),
        ("less_than", "less than 5 vehicles"),
        ("at_most", "as many as 5 vehicles"),
    ],
)
def test_claim_value_puts_the_qualifier_in_words(catalogue_text, qualifier, expected):
    catalogue = load_text(catalogue_text("qualifier: exact", f"qualifier: {qualifier}"))
    figure = catalogue.figure("target")

    assert figure.claims[0].qualifier is Qualifier(qualifier)
    assert claim_value(figure.claims[0], figure.unit) == expected
    assert headline(figure) == expected


def test_every_qualifier_has_words_and_a_meaning():
    assert set(formatting.QUALIFIER_WORDS) == set(formatting.QUALIFIER_MEANING) == set(Qualifier)
    assert set(formatting.CONFIDENCE_LABELS) == set(formatting.CONFIDENCE_MEANING) == set(formatting.CONFIDENCE_COLOURS) == set(Confidence)


def _second_claim(as_of: str, claimant: str, value: float) -> str:
    return (
        f"      - value: {value}\n        qualifier: exact\n        as_of: {as_of}\n        claimant: {claimant}\n"
        '        source: src-a\n        quote: "q"\n        confidence: claimed\n        confidence_note: because\n'
    )


@pytest.mark.parametrize(
    ("as_of", "claimant", "competing", "expected"),
    [
        ("2022-01", "Other", True, "5 vehicles (and 1 other estimate)"),
        ("2022-06", "Someone", False, "5 → 8 vehicles (+60%)"),
        ("2021-06", "Someone", False, "8 → 5 vehicles (−38%)"),
    ],
)
def test_series_against_competing_estimates(catalogue_text, as_of, claimant, competing, expected):
    text = catalogue_text("        confidence_note: because\n", "        confidence_note: because\n" + _second_claim(as_of, claimant, 8))
    figure = load_text(text).figure("target")

    assert is_competing(figure) is competing
    assert headline(figure) == expected


TARGET_CLAIMS = ("    unit: vehicle\n    story: story-a\n    topic: t\n    claims:\n      - value: 5\n        qualifier: exact\n"
                 '        as_of: 2022-01\n        claimant: Someone\n        source: src-a\n        quote: "five"\n'
                 "        confidence: reported\n        confidence_note: because\n")


def _series(catalogue_text, unit: str, start: float, end: float):
    """The target figure as a series in ``unit``: ``start`` in January 2022, ``end`` in June 2022."""
    claims = TARGET_CLAIMS.replace("unit: vehicle", f"unit: {unit}").replace("value: 5", f"value: {start}")
    catalogue = load_text(catalogue_text(TARGET_CLAIMS, claims + _second_claim("2022-06", "Someone", end)))
    assert catalogue.ok, [str(p) for p in catalogue.problems]
    figure = catalogue.figure("target")
    assert figure.unit == unit and [c.value for c in figure.claims] == [start, end]
    return figure


@pytest.mark.parametrize(
    ("unit", "start", "end", "expected"),
    [
        # a share moves by points, whatever its start; never by a percentage of itself
        ("percent", -2.1, 3.4, "−2.1% → 3.4% (up 5.5 points)"),
        ("percent", 3.4, -2.1, "3.4% → −2.1% (down 5.5 points)"),
        ("percent", 70, 60, "70% → 60% (down 10 points)"),
        ("percent", 3, 4, "3% → 4% (up 1 point)"),
        ("percent", 0, 2, "0% → 2% (up 2 points)"),
        ("percent", 5, 5, "5% → 5% (no change)"),
        # computed from the exact values and rounded like the values: never "0% → 0.01% (+100%)"
        ("percent", 0.004, 0.01, "0.004% → 0.01% (up 0.006 points)"),
        ("percent", 0.004, 0.008, "0.004% → 0.008% (up 0.004 points)"),
        # other units: a percentage only from a positive start to an end that is not negative
        ("vehicle", 0, 8, "0 → 8 vehicles"),
        ("vehicle", -5, 3, "−5 → 3 vehicles"),
        ("vehicle", -8, -5, "−8 → −5 vehicles"),
        ("vehicle", 5, -3, "5 → −3 vehicles"),
        ("USD", -2_000_000, 1_000_000, "−$2m → $1m"),
        ("vehicle", 5, 0, "5 → 0 vehicles (−100%)"),
        ("vehicle", 1000, 1001, "1,000 → 1,001 vehicles (+0.1%)"),  # not "+0%"
        ("tonne", 0.004, 0.008, "0.004 → 0.008 metric tons (+100%)"),
        # ordinary changes as before
        ("vehicle", 5, 8, "5 → 8 vehicles (+60%)"),
        ("missile", 900, 119, "900 → 119 missiles (−87%)"),
        ("USD", 7_000_000_000, 5_000_000_000, "$7bn → $5bn (−29%)"),
        ("vehicle", 5, 5, "5 → 5 vehicles (+0%)"),
    ],
)
def test_a_series_writes_its_change_only_where_it_means_something(catalogue_text, unit, start, end, expected):
    figure = _series(catalogue_text, unit, start, end)

    assert headline(figure) == expected


@pytest.mark.parametrize(
    ("start", "end", "unit", "expected"),
    [
        (-2.1, 3.4, "percent", "up 5.5 points"),
        (0.004, 0.01, "percent", "up 0.006 points"),
        (4, 3, "percent", "down 1 point"),
        (0, 8, "vehicle", None),
        (-5, 3, "vehicle", None),
        (-5, -3, "vehicle", None),
        (5, -3, "vehicle", None),
        (900, 119, "missile", "−87%"),
        (5, 10_000, "vehicle", "+199900%"),  # as before: no thousands separator in a change
    ],
)
def test_change_is_points_for_a_share_and_a_percentage_only_from_a_positive_start(start, end, unit, expected):
    assert formatting.change(start, end, unit) == expected


def test_series_from_zero_has_no_percentage(catalogue_text):
    text = catalogue_text("value: 5", "value: 0").replace("        confidence_note: because\n", "        confidence_note: because\n" + _second_claim("2022-06", "Someone", 8))

    assert headline(load_text(text).figure("target")) == "0 → 8 vehicles"


@pytest.mark.parametrize(
    ("figure_id", "expected"),
    [
        ("russia-iskander-stock", "Claimed by Government of Ukraine · via Firstpost, January 2023"),
        ("us-equipment-left-value", "According to a US Department of Defense report · via CNN"),
        ("humvees-left", "According to officials familiar with a US Department of Defense report · via Foreign Policy, April 2022"),
        ("russian-guns-firing-days", "According to Admiral Sir Tony Radakin, Britain's armed forces chief · via The Guardian, December 2022"),
    ],
)
def test_attribution_says_who_claims_and_through_whom(real, figure_id, expected):
    assert attribution(real.figure(figure_id).claims[0], real) == expected


@pytest.mark.parametrize(
    ("claimant", "alone"),
    [
        ("officials familiar with a US Department of Defense report", "Officials familiar with a US Department of Defense report"),
        ("a US Department of Defense report", "A US Department of Defense report"),
        ("Government of Ukraine", "Government of Ukraine"),
        ("iStories reporters", "iStories reporters"),
        ("ßeta", "ßeta"),
        ("", ""),
    ],
)
def test_a_claimant_standing_alone_starts_with_a_capital_and_keeps_the_rest(claimant, alone):
    assert formatting.capitalised(claimant) == alone


@pytest.mark.parametrize(("figure_id", "line"), [
    # every claim came through the story itself: naming it again as "Story:" would say the same thing twice
    ("russia-iskander-stock", "Claimed by Government of Ukraine · via Firstpost, January 2023"),
    # through another outlet: the story that reported it is named after
    ("humvees-left", "According to officials familiar with a US Department of Defense report · via Foreign Policy, April 2022 "
                     "· Story: Firstpost, January 2023"),
])
def test_source_line_lists_each_attribution_once_then_the_story_unless_it_came_through_it(real, figure_id, line):
    assert source_line(real.figure(figure_id), real) == line


def test_confidence_summary_is_the_weakest(catalogue_text):
    text = catalogue_text("        confidence_note: because\n", "        confidence_note: because\n" + _second_claim("2022-06", "Someone", 8))

    assert confidence_summary(load_text(text).figure("target")) is Confidence.CLAIMED


@pytest.mark.parametrize(
    ("date", "iso", "label", "midpoint"),
    [
        (PartialDate(2022), "2022", "2022", "2022-07-01"),
        (PartialDate(2022, 11), "2022-11", "November 2022", "2022-11-15"),
        (PartialDate(2023, 1, 25), "2023-01-25", "25 January 2023", "2023-01-25"),
    ],
)
def test_partial_dates_are_only_as_precise_as_the_source(date, iso, label, midpoint):
    assert (date.iso, date.label, date.midpoint, str(date)) == (iso, label, midpoint, iso)
