"""Units a catalogue declares (``units:``): a second story needs no code change.

Mirrors the declared-units part of :mod:`figures.units` and the loader's
``units:`` section; the built-in registry has its own tests in test_units.py.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from figures import charts, formatting, units
from figures.loader import load_text
from tests.conftest import REPO

SECOND_STORY = """\
units:
  helicopter: {is: vehicle}
  truck: {is: vehicle}
  aircraft: {is: vehicle, plural: aircraft}
  pair: {is: item}
  radio: {is: item}
  refugee: {dimension: refugees}
"""


def _figure(text: str, unit: str, value: int = 23) -> str:
    """``text`` with the target figure's unit and value replaced."""
    return text.replace("    unit: vehicle\n    story: story-a\n    topic: t\n    claims:\n      - value: 5\n",
                        f"    unit: {unit}\n    story: story-a\n    topic: t\n    claims:\n      - value: {value}\n", 1)


@pytest.mark.parametrize(
    ("unit", "value", "written"),
    [
        ("aircraft", 23, "23 aircraft"),
        ("aircraft", 1, "1 aircraft"),
        ("truck", 50, "50 trucks"),
        ("truck", 1, "1 truck"),
        ("helicopter", 45, "45 helicopters"),
        ("pair", 16000, "16,000 pairs"),
        ("radio", 2, "2 radios"),
        ("refugee", 900, "900 refugees"),
    ],
)
def test_a_declared_unit_is_checked_and_written_with_its_plural(catalogue_text, unit, value, written):
    catalogue = load_text(_figure(catalogue_text(before="sources:", insert=SECOND_STORY), unit, value))

    assert catalogue.problems == ()
    figure = catalogue.figure("target")
    assert figure.unit == unit and figure.declared_unit is not None
    assert formatting.claim_value(figure.claims[0], figure.unit_info) == written
    assert written in formatting.headline(figure)


def test_the_built_in_units_keep_their_table_plurals_and_never_grow_an_s_blindly():
    assert formatting.number(2, "person") == "2 people"
    assert formatting.number(3, "troop") == "3 troops"
    assert formatting.number(4, "km / hour") == "4 kilometers per hour"
    for noun in ("aircraft", "personnel", "equipment"):
        info = units.UnitInfo(text=noun, name=noun, dimension="[count]", canonical="item", factor=1.0)
        assert formatting.number(5, info) == f"5 {noun}"


def test_declared_units_count_alongside_what_they_are_and_a_new_dimension_stands_alone(catalogue_text):
    system = units.system(tuple(units.Declaration(n, is_, dim) for n, is_, dim in [
        ("truck", "vehicle", None), ("lorry", "truck", None), ("refugee", None, "refugees")]))

    assert system.problems == ()
    assert system.info("lorry").dimension == system.info("truck").dimension == units.unit_info("vehicle").dimension
    assert system.info("refugee").dimension == "[refugees]" and system.info("refugee").is_count
    assert system.info("refugee").dimension != units.unit_info("person").dimension


def test_declared_trucks_and_built_in_vehicles_share_one_compare_chart(catalogue_text):
    catalogue = load_text(_figure(catalogue_text(before="sources:", insert=SECOND_STORY), "truck"))
    trucks, vehicles = catalogue.figure("target"), catalogue.figure("good-before")

    chart = charts.comparison_chart([trucks, vehicles], catalogue)
    refugees = load_text(_figure(catalogue_text(before="sources:", insert=SECOND_STORY), "refugee"))

    assert chart is not None
    text = str(chart.to_dict())
    assert trucks.title in text and vehicles.title in text
    with pytest.raises(units.UnitError, match="different kinds of quantity"):
        charts.comparison_chart([refugees.figure("target"), refugees.figure("good-before")], refugees)


BAD_DECLARATIONS = [
    # (name, the declaration, code, words of the message)
    ("hyphen-in-name", "  night-vision: {is: item}\n", "bad-unit-name", "not a plain name"),
    ("capital-in-name", "  Truck: {is: vehicle}\n", "bad-unit-name", "lower-case letters and underscores"),
    ("built-in-redefined", "  vehicle: {is: item}\n", "unit-redefined", "'vehicle' is a built-in unit already"),
    ("currency-redefined", "  USD: {is: item}\n", "bad-unit-name", "not a plain name"),
    ("is-typo", "  truck: {is: vehicel}\n", "unknown-unit", "did you mean 'vehicle'?"),
    ("is-money", "  cash: {is: USD}\n", "bad-unit-declaration", "not a counted thing"),
    ("both-is-and-dimension", "  truck: {is: vehicle, dimension: trucks}\n", "bad-unit-declaration", "exactly one of is:"),
    ("neither", "  truck: {plural: trucks}\n", "bad-unit-declaration", "exactly one of is:"),
    ("built-in-dimension", "  refugee: {dimension: count}\n", "dimension-redefined", "built-in kind of thing"),
    ("unknown-key", "  truck: {is: vehicle, plurale: trucks}\n", "unknown-field", "did you mean 'plural'?"),
    ("plural-not-a-word", "  truck: {is: vehicle, plural: '2 trucks'}\n", "bad-unit-declaration", "must be a word"),
    ("not-a-mapping", "  truck: vehicle\n", "bad-structure", "must be a mapping"),
]


@pytest.mark.parametrize(("declaration", "code", "words"), [c[1:] for c in BAD_DECLARATIONS], ids=[c[0] for c in BAD_DECLARATIONS])
def test_a_bad_declaration_is_reported_at_its_line_with_a_code_and_the_rest_loads(catalogue_text, line_of, declaration, code, words):
    text = catalogue_text(before="sources:", insert="units:\n" + declaration)

    catalogue = load_text(text)

    found = [p for p in catalogue.problems if p.code == code]
    assert found, [(p.code, p.message) for p in catalogue.problems]
    assert words in found[0].message
    assert found[0].line == line_of(text, declaration.strip().split(":")[0] + ":")
    assert found[0].field.split(".")[0] == "units"
    assert {f.id for f in catalogue.figures} == {"good-before", "target", "good-after"}


def test_a_cycle_is_reported_at_each_unit_in_it(catalogue_text, line_of):
    text = catalogue_text(before="sources:", insert="units:\n  lorry: {is: truck}\n  truck: {is: lorry}\n")

    catalogue = load_text(text)

    cycles = [p for p in catalogue.problems if p.code == "unit-cycle"]
    assert sorted(p.line for p in cycles) == [line_of(text, "lorry: {is"), line_of(text, "truck: {is")]
    assert "count as each other in a circle" in cycles[0].message


def test_a_figure_using_a_badly_declared_unit_points_at_the_declaration(catalogue_text):
    text = _figure(catalogue_text(before="sources:", insert="units:\n  truck: {is: vehicel}\n"), "truck")

    catalogue = load_text(text)

    target = [p for p in catalogue.problems if p.field == "unit"]
    assert [p.code for p in target] == ["unknown-unit"]
    assert "declared under units: with a problem" in target[0].message
    assert catalogue.figure("target") is None and catalogue.figure("good-before") is not None


def test_an_undeclared_unit_suggests_declaring_it(catalogue_text):
    catalogue = load_text(_figure(catalogue_text(), "helicopter"))

    (problem,) = catalogue.problems
    assert problem.code == "unknown-unit" and problem.field == "unit"
    assert "declare it under units:" in problem.message


def test_a_typo_of_a_declared_unit_gets_a_did_you_mean(catalogue_text):
    catalogue = load_text(_figure(catalogue_text(before="sources:", insert=SECOND_STORY), "helicoptre"))

    (problem,) = catalogue.problems
    assert problem.code == "unknown-unit" and "did you mean 'helicopter'?" in problem.message


def test_the_second_story_needs_no_change_under_figures(tmp_path, catalogue_text):
    """A newsroom adds a story with its own counted things: the package is untouched, the checker passes."""
    before = _package_state()
    path = tmp_path / "second-story.yaml"
    path.write_text(_figure(catalogue_text(before="sources:", insert=SECOND_STORY), "aircraft"), encoding="utf-8")

    result = subprocess.run([sys.executable, "-m", "figures", "check", str(path)], capture_output=True, text=True, cwd=REPO, timeout=120)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK: 3 figures" in result.stdout
    assert _package_state() == before


def _package_state() -> dict[str, int]:
    return {str(p.relative_to(REPO)): p.stat().st_mtime_ns for p in (REPO / "figures").rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def test_each_set_of_declarations_has_one_unit_system_holding_exactly_its_units():
    trucks = (units.Declaration("truck", "vehicle"),)
    refugees = (units.Declaration("refugee", dimension="refugees"),)

    system = units.system(trucks)

    assert system is units.system(tuple(trucks)) and system is not units.system(refugees)
    assert system.problems == () and system.declares("truck") and not system.declares("refugee")
    assert system.info("truck").dimension == units.unit_info("vehicle").dimension == "[count]"
    assert system.info("truck") is system.info("truck")
    with pytest.raises(units.UnitError, match="unknown unit 'refugee'"):
        system.info("refugee")
    assert units.system(refugees).info("refugee").is_count
