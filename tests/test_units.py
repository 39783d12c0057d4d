"""Units: one registry, plain unit names only, no conversion across dimensions or currencies."""

from __future__ import annotations

import pytest

from figures import units
from figures.loader import load_text
from figures.units import UnitError, dimension_label, unit_info


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        (30, "day", "day", 30),
        (300, "days", "day", 300),
        (1, "week", "day", 7),
        (2, "weeks", "days", 14),
        (14, "day", "week", 2),
        (48_000_000, "USD", "USD", 48_000_000),
        (7_000_000_000, "USD", "dollar", 7_000_000_000),
        (5, "US_dollar", "USD", 5),
        (900, "vehicle", "item", 900),
        (23_825, "vehicles", "vehicle", 23_825),
        (42_000, "piece", "item", 42_000),
        (3, "strike", "strikes", 3),
        (3, "strike", "event", 3),
        (100_000, "troop", "people", 100_000),
        (1, "kilometer", "meter", 1000),
        (2, "tonne", "kilogram", 2000),
    ],
)
def test_units_of_one_dimension_convert_by_their_factors(value, source, target, expected):
    a, b = unit_info(source), unit_info(target)

    assert a.dimension == b.dimension
    assert value * a.factor / b.factor == pytest.approx(expected)


def test_thirty_days_is_a_tenth_of_three_hundred_days():
    assert 30 * unit_info("day").factor * 10 == 300 * unit_info("days").factor


@pytest.mark.parametrize(
    ("source", "target", "labels"),
    [
        ("USD", "vehicle", ("money (USD)", "count")),
        ("USD", "GBP", ("money (USD)", "money (GBP)")),
        ("GBP", "EUR", ("money (GBP)", "money (EUR)")),
        ("day", "vehicle", ("time", "count")),
        ("percent", "day", ("share", "time")),
        ("kilometer", "tonne", ("length", "mass")),
        ("strike", "missile", ("count of events", "count")),
        ("troop", "vehicle", ("count of people", "count")),
    ],
)
def test_other_dimensions_and_currencies_are_apart_and_named_in_a_readers_words(source, target, labels):
    assert unit_info(source).dimension != unit_info(target).dimension
    assert (dimension_label(source), dimension_label(target)) == labels


@pytest.mark.parametrize(
    ("names", "same"),
    [
        (["USD", "dollar", "US_dollar"], True),
        (["USD", "GBP"], False),
        (["vehicle", "missile", "piece", "weapon", "shell", "drone", "item"], True),
        (["missile", "strike"], False),
        (["vehicle", "troop"], False),
        (["person", "troop", "people"], True),
        (["strike", "event"], True),
        (["vehicle", "USD"], False),
        (["day", "week", "month"], True),
        (["day", "percent"], False),
        (["percent"], True),
    ],
)
def test_which_units_share_a_dimension(names, same):
    assert (len({unit_info(n).dimension for n in names}) == 1) is same


@pytest.mark.parametrize(
    ("text", "name", "dimension", "canonical", "factor"),
    [
        ("USD", "USD", "[currency_USD]", "USD", 1),
        ("dollar", "USD", "[currency_USD]", "USD", 1),
        ("GBP", "GBP", "[currency_GBP]", "GBP", 1),
        ("vehicle", "vehicle", "[count]", "item", 1),
        ("missile", "missile", "[count]", "item", 1),
        ("troop", "troop", "[person]", "person", 1),
        ("strike", "strike", "[event]", "event", 1),
        ("day", "day", "[time]", "day", 1),
        ("week", "week", "[time]", "day", 7),
        ("percent", "percent", "dimensionless", "percent", 1),
        ("kilometer", "kilometer", "[length]", "kilometer", 1),
        ("meter", "meter", "[length]", "kilometer", 0.001),
        ("tonne", "metric_ton", "[mass]", "tonne", 1),
    ],
)
def test_canonical_unit_of_each_dimension(text, name, dimension, canonical, factor):
    info = unit_info(text)

    assert (info.text, info.name, info.dimension, info.canonical) == (text, name, dimension, canonical)
    assert info.factor == pytest.approx(factor)


@pytest.mark.parametrize(
    ("plural", "singular"),
    [
        ("vehicles", "vehicle"), ("missiles", "missile"), ("pieces", "piece"), ("strikes", "strike"), ("days", "day"),
        ("weeks", "week"), ("people", "person"), ("troops", "troop"), ("items", "item"),
    ],
)
def test_plural_forms_name_the_same_unit(plural, singular):
    assert unit_info(plural).name == unit_info(singular).name
    assert unit_info(plural).factor == unit_info(singular).factor


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("5 $", "is not a plain unit"),
        ("$", "is not a plain unit"),
        ("2-3 vehicle", "is not a plain unit"),
        ("1 000 m", "is not a plain unit"),
        ("12,5 km", "is not a plain unit"),
        ("m**9**9**9", "is not a plain unit"),
        ("m ** 4", "is not a plain unit"),
        ("__import__('os')", "is not a plain unit"),
        ("vehicle; rm -rf /", "is not a plain unit"),
        ("m" * 10_000, "the unit is 10000 characters long (limit 40)"),
        ("", "the unit is empty"),
        ("   ", "the unit is empty"),
        ("furlong_per_parsec", "unknown unit 'furlong_per_parsec'; use a unit pint knows, or declare it under units:"),
        ("humvee", "unknown unit 'humvee'"),
    ],
)
def test_malformed_or_unknown_units_are_refused(text, fragment):
    with pytest.raises(UnitError) as err:
        unit_info(text)

    assert fragment in str(err.value)


OFFSET = ("is an offset scale", "give a temperature change in delta_degC (or delta_degF), or a temperature in kelvin")
LOGARITHMIC = ("is a logarithmic unit", "give the amount itself in a linear unit (e.g. watt), or a share in percent")
NOT_A_SHARE = ("is a pure number without a dimension, and the dashboard draws such values as shares of a whole",
               "for a number of things use a counted unit such as item, vehicle, person or event (declare others under units: in the catalogue), for a share use percent")
ANGLE = ("is an angle, and angles are not figures the dashboard charts", "give the figure in another unit")


@pytest.mark.parametrize(
    ("text", "why", "how", "detail"),
    [
        # Offset scales: 20 degC once became 5,483 kelvins, drawn from a zero that is not zero.
        ("degC", *OFFSET, "(degree_Celsius)"), ("degF", *OFFSET, "20 degF would be drawn twice as long as 10 degF"),
        ("degree_Celsius", *OFFSET, ""), ("degC / day", *OFFSET, ""), ("degC / dB", *OFFSET, ""),
        # Logarithmic levels are not multiplicative either.
        ("dB", *LOGARITHMIC, "(decibel)"), ("decibel", *LOGARITHMIC, ""), ("neper", *LOGARITHMIC, ""), ("octave", *LOGARITHMIC, ""),
        ("dBm", *LOGARITHMIC, "(decibelmilliwatt)"), ("dB / degC", *LOGARITHMIC, ""),
        # Dimensionless but not a share: "5 counts (= 500%)" was drawn on one axis with 70%.
        ("count", *NOT_A_SHARE, "(5 count would read as 500%)"), ("dimensionless", *NOT_A_SHARE, ""), ("pi", *NOT_A_SHARE, "1,570.8%"),
        ("ppm", *NOT_A_SHARE, "0.0005%"), ("permille", *NOT_A_SHARE, ""), ("percent ** 2", *NOT_A_SHARE, ""), ("USD / USD", *NOT_A_SHARE, ""),
        ("km / m", *NOT_A_SHARE, ""), ("bit", *NOT_A_SHARE, ""),
        # Angles.
        ("radian", *ANGLE, ""), ("degree", *ANGLE, ""), ("turn", *ANGLE, ""), ("steradian", *ANGLE, ""),
    ],
)
def test_units_that_cannot_be_drawn_from_zero_or_are_not_shares_are_refused(text, why, how, detail):
    with pytest.raises(UnitError) as err:
        unit_info(text)

    message = str(err.value)
    assert message.startswith(f"{text!r} {why}") and how in message and detail in message, message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        # pint raised OverflowError converting this; check ended in a traceback.
        ("Ym^3*Ym^3*Ym^3*Ym^3*Ym^3*Ym^3", "cannot be used as a unit (OverflowError"),
        # A factor of 1e-432 became 0.0, and every value of the figure 0.
        ("ym^3*ym^3*ym^3*ym^3*ym^3*ym^3", "is too large or too small a unit to convert to meter ** 18"),
    ],
)
def test_every_pint_failure_becomes_a_unit_error(text, fragment):
    with pytest.raises(UnitError) as err:
        unit_info(text)

    assert fragment in str(err.value) and "; " in str(err.value)


@pytest.mark.parametrize(
    ("text", "dimension", "canonical", "factor", "refused"),
    [
        ("delta_degC", "[temperature]", "kelvin", 1, "degC"), ("kelvin", "[temperature]", "kelvin", 1, "degF"),
        ("delta_degF", "[temperature]", "kelvin", 5 / 9, "degF"), ("percent", "dimensionless", "percent", 1, "count"),
        ("percents", "dimensionless", "percent", 1, "dimensionless"), ("percent / day", "1 / [time]", "1 / second", 1 / 8_640_000, "dB / day"),
    ],
)
def test_temperature_changes_kelvins_and_percent_are_kept_where_their_neighbours_are_refused(text, dimension, canonical, factor, refused):
    info = unit_info(text)

    assert (info.dimension, info.canonical) == (dimension, canonical)
    assert info.factor == pytest.approx(factor)
    with pytest.raises(UnitError):
        unit_info(refused)


@pytest.mark.parametrize("text", ["km / h", "kilometer / hour", "USD / vehicle", "meter ** 2", "m^3", "kilometer * hour"])
def test_plain_compound_units_are_accepted(text):
    assert unit_info(text).text == text


@pytest.mark.parametrize(
    ("text", "label"),
    [("USD", "money (USD)"), ("GBP", "money (GBP)"), ("vehicle", "count"), ("troop", "count of people"), ("strike", "count of events"),
     ("day", "time"), ("percent", "share"), ("km", "length")],
)
def test_dimension_label_is_a_readers_word(text, label):
    assert dimension_label(text) == label


def test_each_distinct_unit_string_is_parsed_once_and_a_bad_one_is_a_problem_on_every_figure(catalogue_text, line_of, monkeypatch):
    text = catalogue_text()
    target = text[text.index("  - id: target"):text.index("  - id: good-after")]
    copies = "".join(target.replace("id: target", f"id: copy-{i}") for i in range(30))
    bad = "".join(target.replace("id: target", f"id: bad-{i}").replace("unit: vehicle", f"unit: humvee  # bad-{i}") for i in range(2))
    parsed: list[str] = []
    parse = units._parse
    monkeypatch.setattr(units, "_parse", lambda ureg, unit, declared: parsed.append(unit) or parse(ureg, unit, declared))
    units._builtin_info.cache_clear()

    catalogue = load_text(text + copies + bad)

    assert parsed.count("vehicle") == 1 and parsed.count("missile") == 1
    assert len(catalogue.figures) == 33 and {f.id for f in catalogue.figures} >= {"target", "copy-0", "copy-29"}
    vehicles = [f.unit_info for f in catalogue.figures if f.unit == "vehicle"]
    assert len(vehicles) == 32 and all(info == unit_info("vehicle") for info in vehicles) and vehicles[0].dimension == "[count]"
    whole = text + copies + bad
    assert [(p.line, p.code) for p in catalogue.problems] == [(line_of(whole, f"# bad-{i}"), "unknown-unit") for i in range(2)]
    assert all("unknown unit 'humvee'" in p.message for p in catalogue.problems)


def _defined_in_units_txt() -> dict[str, str]:
    """Each name (and alias) units.txt defines, and what it is defined as: a new dimension ``[...]`` or another unit."""
    out = {}
    for line in units.DEFINITIONS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, definition, *aliases = [part.strip() for part in line.split("=")]
            out |= dict.fromkeys([name, *aliases], definition)
    return out


def test_the_one_registry_is_shared_and_knows_every_unit_units_txt_defines_in_its_dimension():
    ureg = units.registry()
    defined = _defined_in_units_txt()

    assert ureg is units.registry()
    assert {"USD", "dollar", "GBP", "vehicle", "missile", "person", "troop", "strike"} <= set(defined)
    for name, definition in defined.items():
        expected = definition if definition.startswith("[") else str(ureg.get_dimensionality(definition))
        assert str(ureg.get_dimensionality(name)) == expected, name
    assert unit_info("troop").dimension == "[person]" and unit_info("dollar").name == "USD"
