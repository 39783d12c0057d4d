"""The loader: every bad input is reported at its line, and every other figure still loads.

Each case breaks the figure ``target`` of the small catalogue in conftest.py,
writes it to a real file and loads it. A case names a ``needle``: a piece of
text on the line the problem must be reported at.
"""

from __future__ import annotations

import calendar
import dataclasses
import re
import subprocess
import sys
import textwrap
import unicodedata
from pathlib import Path

import pytest
import yaml

from figures import reader
from figures.loader import load, load_text
from figures.model import PartialDate, Qualifier

VALID = {"good-before", "good-after"}
EXACT_5 = "- value: 5\n        qualifier: exact"
ALL_CLAIMS = """\
    claims:
      - value: 5
        qualifier: exact
        as_of: 2022-01
        claimant: Someone
        source: src-a
        quote: "five"
        confidence: reported
        confidence_note: because
"""
NONCHARACTERS = [*range(0xFDD0, 0xFDF0), *(plane + end for plane in range(0, 0x110000, 0x10000) for end in (0xFFFE, 0xFFFF))]
BIDI_CONTROLS = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
NONCHARACTER_MESSAGE = "title: contains U+FFFE at character 8, a Unicode noncharacter: no renderer can draw it, so the chart images could not be made; remove it"
RLO_MESSAGE = (
    "claimant: contains U+202E RIGHT-TO-LEFT OVERRIDE at character 5, an invisible control that reorders the text after it in images "
    'and pages (after a right-to-left override, "Story: Pub, January 2023" reads "3202 yraunaJ ,buP :yrotS"); remove it: Arabic, '
    "Hebrew and other right-to-left text needs no control characters"
)
HOMOGLYPH_MESSAGE = (
    "figure id 'humvees-l\u0435ft' is not a slug: character 10 of 'humvees-l\u0435ft' is '\u0435' (U+0435 CYRILLIC SMALL LETTER IE), "
    "which is not a lower-case Latin letter, digit or hyphen; use lower-case letters, digits and hyphens"
)
HUGE_MESSAGE = (
    "value: 999999999999\u2026 (401 digits) is larger than any figure can be (the limit is a quadrillion, 1000000000000000, either side "
    "of zero); check it for extra digits, or give the figure in a larger unit"
)
CELSIUS_MESSAGE = (
    "unit: 'degC' is an offset scale (degree_Celsius), whose zero is not an absence of anything, and the dashboard draws every value as "
    "a length from zero, so 20 degC would be drawn twice as long as 10 degC; give a temperature change in delta_degC (or delta_degF), "
    "or a temperature in kelvin"
)
COUNT_MESSAGE = (
    "unit: 'count' is a pure number without a dimension, and the dashboard draws such values as shares of a whole (5 count would read "
    "as 500%); for a number of things use a counted unit such as item, vehicle, person or event (declare others under units: in the catalogue), "
    "for a share use percent"
)
CORRECTIONS_AT = "    claims:\n"

# (case, old text in the target figure, new text, needle on the reported line, part of the message)
BAD_FIGURE_CASES = [
    # YAML syntax: the parser stops, only the entry holding the error is taken out.
    ("syntax-colon-in-value", "title: Target figure", "title: Target: figure", "Target: figure", "a colon inside a value; put the value in quotes"),
    ("syntax-unclosed-quote", 'quote: "five"', 'quote: "five', 'quote: "five', "a quote opened here is never closed"),
    ("syntax-unclosed-bracket", "topic: t", "topic: [t", "topic: [t", "a bracket opened here is not closed"),
    ("syntax-text-after-quote", 'quote: "five"', 'quote: "five" more', '"five" more', "text after a closing quote"),
    ("syntax-misindented-field", "    story: story-a\n", "   story: story-a  # misindented\n", "# misindented", "indented differently from the lines around it"),
    ("syntax-control-character", "title: Target figure", "title: Target \x07figure", "Target \x07figure", "U+0007 is not allowed in YAML"),
    ("tab-indents-a-field", "    unit: vehicle", "\tunit: vehicle", "\tunit", "a tab is used for indentation; YAML needs spaces"),
    ("tab-indents-a-claim-field", "        source: src-a", "\t\tsource: src-a", "\t\tsource", "a tab is used for indentation"),
    # Refused by the reader; the figure is skipped.
    ("local-tag", "title: Target figure", "title: !shout Target figure", "!shout", "the tag !shout is not allowed"),
    ("tag-that-does-not-fit", "value: 5", "value: !!int five", "!!int five", "the tag !!int does not fit the value 'five'"),
    ("anchor", "title: Target figure", "title: &t Target figure", "&t", "an anchor (&name) is used"),
    ("alias", "    topic: t\n", "    topic: *t\n", "*t", "the alias *t repeats another part of the file"),
    ("nested-too-deep-flow", "topic: t", "topic: " + "[" * 1000 + "]" * 1000, "topic: [[[", "nesting deeper than 24 levels"),
    # Unknown, missing and mistyped fields.
    ("typo-qualifer", "qualifier: exact", "qualifer: exact", "qualifer", "unknown field 'qualifer' in this claim; did you mean 'qualifier'?"),
    ("typo-topik", "topic: t", "topik: t", "topik", "unknown field 'topik' in this figure; did you mean 'topic'?"),
    ("merge-key-is-just-unknown", "    topic: t\n", "    topic: t\n    <<: {title: x}\n", "<<", "unknown field '<<' in this figure"),
    ("missing-title", "    title: Target figure\n", "", "- id: target", "this figure has no title:; add title:"),
    ("missing-unit", "    unit: vehicle\n", "", "- id: target", "this figure has no unit:"),
    ("missing-claims", ALL_CLAIMS, "", "- id: target", "this figure has no claims:; add claims: with a list of claims"),
    ("empty-claims", ALL_CLAIMS, "    claims: []\n", "claims: []", "claims: must be a non-empty list"),
    ("claim-not-a-mapping", ALL_CLAIMS, "    claims:\n      - 5\n", "- 5", "each claim must be a mapping of fields"),
    ("missing-claimant", "        claimant: Someone\n", "", "- value: 5", "this claim has no claimant:"),
    ("missing-quote", '        quote: "five"\n', "", "- value: 5", "this claim has no quote:"),
    ("missing-as-of", "        as_of: 2022-01\n", "", "- value: 5", "this claim has no as_of:"),
    ("missing-confidence-note", "        confidence_note: because\n", "", "- value: 5", "this claim has no confidence_note:"),
    ("missing-value", "      - value: 5\n        qualifier", "      - qualifier", "- qualifier: exact", "this claim has no value:"),
    ("empty-claimant", "claimant: Someone", "claimant:  # empty", "# empty", "claimant: is empty"),
    ("list-where-text-expected", "title: Target figure", "title: [a, b]", "title: [a, b]", "expected text but found a list or mapping"),
    ("NO-read-as-boolean", "claimant: Someone", "claimant: NO", "claimant: NO", "YAML reads yes/no/on/off/true/false as a true/false value, not text; put the text in quotes"),
    ("number-where-text-expected", "claimant: Someone", "claimant: 12", "claimant: 12", 'put it in quotes: claimant: "12"'),
    ("id-not-a-slug", "id: target", "id: Target Figure", "Target Figure", "figure id 'Target Figure' is not a slug"),
    ("text-too-long", "title: Target figure", "title: " + "x" * 301, "title: xxx", "is 301 characters long (limit 300)"),
    # Numbers YAML reads surprisingly.
    ("1e9-is-text", "value: 5", "value: 1e9", "1e9", "YAML 1.1 reads '1e9' as text, not a number; write it out in full"),
    ("010-is-octal", "value: 5", "value: 010", "010", "010 is refused: YAML reads it as a number in another base"),
    ("0x10-is-hex", "value: 5", "value: 0x10", "0x10", "0x10 is refused"),
    ("1:30-is-sexagesimal", "value: 5", "value: 1:30", "1:30", "1:30 is refused: YAML reads it as a number in another base or as minutes:seconds"),
    ("1:30.5-is-sexagesimal", "value: 5", "value: 1:30.5", "1:30.5", "1:30.5 is refused: YAML reads it as minutes:seconds"),
    (".nan", "value: 5", "value: .nan", ".nan", "not-a-number and infinity are not figures"),
    (".inf", "value: 5", "value: .inf", ".inf", "not-a-number and infinity are not figures"),
    ("-.inf", "value: 5", "value: -.inf", "-.inf", "not-a-number and infinity are not figures"),
    ("words-as-value", "value: 5", "value: 7 billion", "7 billion", "expected a number but found the text '7 billion'"),
    ("boolean-as-value", "value: 5", "value: yes", "value: yes", "expected a number but YAML read a true/false value"),
    ("list-as-value", "value: 5", "value: [5]", "value: [5]", "expected a number but found a list or mapping"),
    # Dates.
    ("month-13", "as_of: 2022-01", "as_of: 2024-13-45", "2024-13-45", "2024-13-45 is not a real date (there is no month 13)"),
    ("february-30", "as_of: 2022-01", "as_of: 2023-02-30", "2023-02-30", "2023-02-30 is not a real date (that month has 28 days)"),
    ("february-29-not-leap", "as_of: 2022-01", "as_of: 2023-02-29", "2023-02-29", "that month has 28 days"),
    ("not-a-date", "as_of: 2022-01", "as_of: last year", "last year", "'last year' is not a date; write 2023-01-25, 2023-01 or 2023"),
    ("year-out-of-range", "as_of: 2022-01", "as_of: 1700", "1700", "the year 1700 is out of range"),
    # Units: only plain unit names reach pint.
    ("unit-with-number-and-symbol", "unit: vehicle", "unit: 5 $", "5 $", "'5 $' is not a plain unit"),
    ("unit-that-is-a-subtraction", "unit: vehicle", "unit: 2-3 vehicle", "2-3 vehicle", "'2-3 vehicle' is not a plain unit"),
    ("unit-power-tower", "unit: vehicle", "unit: m**9**9**9", "m**9**9**9", "'m**9**9**9' is not a plain unit"),
    ("unit-python-call", "unit: vehicle", "unit: __import__('os')", "__import__", "is not a plain unit"),
    ("unit-10000-chars", "unit: vehicle", "unit: " + "m" * 10_000, "unit: mmm", "is 10,000 characters long"),
    ("unit-41-chars", "unit: vehicle", "unit: " + "m" * 41, "unit: mmm", "the unit is 41 characters long (limit 40)"),
    ("unknown-unit", "unit: vehicle", "unit: furlong_per_parsec", "furlong_per_parsec", "unknown unit 'furlong_per_parsec'; use a unit pint knows, or declare it under units:"),
    # References and choices.
    ("unknown-source", "source: src-a", "source: src-b", "src-b", "'src-b' is not defined (or has errors) under sources:; did you mean 'src-a'?"),
    ("unknown-via", "        confidence_note: because\n", "        confidence_note: because\n        via: [nowhere]\n", "nowhere", "'nowhere' is not defined"),
    ("unknown-story", "story: story-a", "story: story-b", "story-b", "'story-b' is not defined (or has errors) under stories:"),
    ("unknown-qualifier", "qualifier: exact", "qualifier: roughly", "roughly", "'roughly' is not allowed; use one of exact, approximately, more_than"),
    ("qualifier-typo", "qualifier: exact", "qualifier: exakt", "exakt", "did you mean 'exact'?"),
    ("unknown-confidence", "confidence: reported", "confidence: certain", "certain", "'certain' is not allowed; use one of confirmed, reported, claimed, unverified"),
    ("unknown-reliability", "confidence_note: because\n", "confidence_note: because\n        reliability: Z\n", "reliability: Z", "'Z' is not allowed; use one of A, B, C"),
    # Ranges.
    ("range-low-above-high", EXACT_5, "- low: 5\n        high: 3\n        qualifier: range", "low: 5", "the range is empty or reversed: low (5) is not below high (3)"),
    ("range-low-equals-high", EXACT_5, "- low: 3\n        high: 3\n        qualifier: range", "low: 3", "low (3) is not below high (3)"),
    ("range-with-value", EXACT_5, "- low: 1\n        high: 3\n        value: 2\n        qualifier: range", "value: 2", "a range has low: and high:, not value:"),
    ("low-without-range", EXACT_5, "- value: 5\n        low: 1\n        qualifier: exact", "low: 1", "low: belongs to a range; use qualifier: range"),
    # Characters no renderer can draw, in every kind of text field (issue 11): U+FFFE/U+FFFF abort the image renderer.
    ("noncharacter-fffe-in-title", "title: Target figure", 'title: "Target \\uFFFE figure"', "Target \\uFFFE", NONCHARACTER_MESSAGE),
    ("noncharacter-ffff-in-claimant", "claimant: Someone", 'claimant: "Someone\\uFFFF"', "Someone\\uFFFF", "claimant: contains U+FFFF at character 8"),
    ("noncharacter-fdd0-raw-in-quote", 'quote: "five"', 'quote: "fi\ufdd0ve"', 'quote: "fi', "quote: contains U+FDD0 at character 3"),
    ("noncharacter-1fffe-raw-in-topic", "topic: t", "topic: t\U0001fffe", "topic: t\U0001fffe", "topic: contains U+1FFFE at character 2"),
    ("noncharacter-in-note", "confidence_note: because", 'confidence_note: "because\\U0010FFFF"', "because\\U0010FFFF", "confidence_note: contains U+10FFFF at character 8"),
    ("noncharacter-in-description", "topic: t", 'topic: t\n    description: "long\\uFFFE"', "description:", "description: contains U+FFFE at character 5"),
    ("noncharacter-in-unit", "unit: vehicle", 'unit: "vehicle\\uFFFE"', "vehicle\\uFFFE", "unit: contains U+FFFE at character 8"),
    ("noncharacter-in-story-id", "story: story-a", 'story: "story-a\\uFFFF"', "story-a\\uFFFF", "story: contains U+FFFF at character 8"),
    ("noncharacter-in-source-id", "source: src-a", 'source: "src-a\\uFFFE"', 'source: "src-a\\uFFFE"', "source: contains U+FFFE at character 6"),
    ("noncharacter-in-via", "confidence_note: because\n", 'confidence_note: because\n        via: ["src-a\\uFFFE"]\n', "via:", "via: contains U+FFFE at character 6"),
    ("noncharacter-in-second-tag", "topic: t", 'topic: t\n    tags: [a, "b\\uFDEF"]', "tags: [a", "tags: item 2 contains U+FDEF at character 2"),
    ("noncharacter-in-id", "id: target", 'id: "tar\\uFFFEget"', "id: \"tar", "character 4 of 'tar\\ufffeget' is U+FFFE (a noncharacter), which is not a lower-case Latin letter"),
    *[
        (f"noncharacter-{code:04x}", "title: Target figure", f'title: "Target\\U{code:08X}"', 'title: "Target\\U', f"contains U+{code:04X} at character 7, a Unicode noncharacter")
        for code in sorted(NONCHARACTERS)
    ],
    # Bidirectional controls reorder the text after them (a right-to-left override reverses "Story: Pub, January 2023").
    ("rlo-raw-in-claimant", "claimant: Someone", "claimant: Some\u202eone", "Some\u202eone", RLO_MESSAGE),
    ("rli-in-tags", "topic: t", 'tags: [a, "\\u2067b"]', "tags: [a", "tags: item 2 contains U+2067 RIGHT-TO-LEFT ISOLATE at character 1"),
    ("rlo-in-id", "id: target", 'id: "ta\\u202Erget"', "id: \"ta", "character 3 of 'ta\\u202erget' is U+202E RIGHT-TO-LEFT OVERRIDE, which is not a lower-case Latin letter"),
    *[
        (f"bidi-control-{code:04x}", "title: Target figure", f'title: "Tar\\u{code:04X}get"', 'title: "Tar\\u', f"U+{code:04X} {unicodedata.name(chr(code))} at character 4")
        for code in sorted(BIDI_CONTROLS)
    ],
    # A list of text checks each item as a text field does.
    ("control-character-in-tags", "topic: t", 'tags: ["b\\x07"]', 'tags: ["b', "tags: contains a control character (U+0007 at character 2); remove it"),
    ("control-character-escaped-in-title", "title: Target figure", 'title: "Target\\e[31m"', "Target\\e", "title: contains a control character (U+001B at character 7); remove it"),
    ("tag-too-long", "topic: t", "tags: [a, " + "x" * 301 + "]", "tags: [a", "tags: item 2 is 301 characters long (limit 300); shorten it"),
    ("blank-tag", "topic: t", 'tags: [a, " "]', "tags: [a", "tags: item 2 is blank"),
    # A homoglyph in an id is named with its code point and position.
    ("homoglyph-in-id", "id: target", "id: humvees-l\u0435ft", "humvees-l", HOMOGLYPH_MESSAGE),
    ("space-in-id-is-named", "id: target", "id: tar get", "tar get", "character 4 of 'tar get' is U+0020 SPACE"),
    # Numbers no figure can have: once an OverflowError in check (401 digits) or values the charts cannot draw.
    ("value-401-digits", "value: 5", "value: " + "9" * 401, "value: 999", HUGE_MESSAGE),
    ("value-negative-401-digits", "value: 5", "value: -" + "9" * 401, "value: -999", "(401 digits) is larger than any figure can be"),
    ("value-near-float-limit", "value: 5", "value: 1.0e+308", "1.0e+308", "value: 1e+308 is larger than any figure can be"),
    ("value-just-over-a-quadrillion", "value: 5", "value: 1000000000000001", "1000000000000001", "value: 1000000000000001 is larger than any figure can be"),
    ("high-over-a-quadrillion", EXACT_5, "- low: 2\n        high: 1.0e+16\n        qualifier: range", "high: 1.0e+16", "high: 1e+16 is larger than any figure can be"),
    # A forgotten number: checked OK, then the CSV export and the build failed with TypeError.
    ("empty-value", "value: 5", "value:  # forgotten", "# forgotten", "value: is empty; write the number, in plain digits, e.g. 900 (or remove the line)"),
    ("empty-low", EXACT_5, "- low:  # forgotten\n        high: 3\n        qualifier: range", "# forgotten", "low: is empty; write the number"),
    ("empty-high", EXACT_5, "- low: 2\n        high:  # forgotten\n        qualifier: range", "# forgotten", "high: is empty; write the number"),
    # Units that cannot be drawn as a length from zero, or that are not shares; pint's own errors.
    ("unit-offset-and-log", "unit: vehicle", 'unit: "degC / dB"', "degC / dB", "unit: 'degC / dB' is an offset scale (degree_Celsius)"),
    ("unit-celsius", "unit: vehicle", "unit: degC", "degC", CELSIUS_MESSAGE),
    ("unit-decibel", "unit: vehicle", "unit: dB", "unit: dB", "unit: 'dB' is a logarithmic unit (decibel)"),
    ("unit-count", "unit: vehicle", "unit: count", "unit: count", COUNT_MESSAGE),
    ("unit-radian", "unit: vehicle", "unit: radian", "unit: radian", "unit: 'radian' is an angle, and angles are not figures the dashboard charts"),
    # Corrections: a list of {date (a day), note}, oldest first (CORRECTIONS_AT: where the list goes in the target figure).
    ("correction-not-a-day", CORRECTIONS_AT, "    corrections:\n      - date: 2023-02\n        note: fixed the count\n" + CORRECTIONS_AT,
     "date: 2023-02", "2023-02 is not a day; write the day this was published"),
    ("correction-without-note", CORRECTIONS_AT, "    corrections:\n      - date: 2023-02-01\n" + CORRECTIONS_AT, "- date: 2023-02-01", "this correction has no note:"),
    ("corrections-not-a-list", CORRECTIONS_AT, "    corrections: fixed\n" + CORRECTIONS_AT, "corrections: fixed", "corrections: must be a list"),
    ("corrections-out-of-order", CORRECTIONS_AT, "    corrections:\n      - date: 2023-03-01\n        note: a\n      - date: 2023-02-01\n        note: b\n"
     + CORRECTIONS_AT, "date: 2023-02-01", "before the one above it (2023-03-01); list corrections oldest first"),
    ("correction-unknown-field", CORRECTIONS_AT, "    corrections:\n      - date: 2023-02-01\n        notes: a\n" + CORRECTIONS_AT, "notes: a",
     "unknown field 'notes' in this correction; did you mean 'note'?"),
]


@pytest.mark.parametrize(("old", "new", "needle", "fragment"), [c[1:] for c in BAD_FIGURE_CASES], ids=[c[0] for c in BAD_FIGURE_CASES])
def test_bad_figure_is_reported_at_its_line_and_the_others_still_load(catalogue_text, line_of, write, old, new, needle, fragment):
    text = catalogue_text(old, new)
    path = write(text)
    line = line_of(text, needle)

    catalogue = load(path)

    matching = [p for p in catalogue.problems if fragment in p.message]
    assert matching, f"no problem mentions {fragment!r}: {[str(p) for p in catalogue.problems]}"
    assert [p.line for p in matching] == [line]
    assert str(matching[0]).startswith(f"{path}:{line}: ")
    assert {f.id for f in catalogue.figures} == VALID
    assert set(catalogue.sources) == {"src-a"} and set(catalogue.stories) == {"story-a"}
    # Nothing is blamed outside the broken figure, and every message says what is wrong; how to fix it.
    first, last = line_of(text, "- id: target") if "id: target" in text else line, line_of(text, "- id: good-after") - 1
    assert all(first <= p.line <= last for p in catalogue.problems), [str(p) for p in catalogue.problems]
    assert all("; " in p.message for p in catalogue.problems)


# The stable code of each case's problem (noncharacter-* and bidi-control-* cases are all bad-text): what tools match on.
CASE_CODES = {
    "syntax-colon-in-value": "yaml-syntax",
    "syntax-unclosed-quote": "yaml-syntax",
    "syntax-unclosed-bracket": "yaml-syntax",
    "syntax-text-after-quote": "yaml-syntax",
    "syntax-misindented-field": "yaml-syntax",
    "syntax-control-character": "yaml-syntax",
    "tab-indents-a-field": "yaml-syntax",
    "tab-indents-a-claim-field": "yaml-syntax",
    "nested-too-deep-flow": "yaml-syntax",
    "local-tag": "refused-yaml",
    "tag-that-does-not-fit": "refused-yaml",
    "anchor": "refused-yaml",
    "alias": "refused-yaml",
    "typo-qualifer": "unknown-field",
    "typo-topik": "unknown-field",
    "merge-key-is-just-unknown": "unknown-field",
    "correction-unknown-field": "unknown-field",
    "missing-title": "missing-field",
    "missing-unit": "missing-field",
    "missing-claims": "missing-field",
    "missing-claimant": "missing-field",
    "missing-quote": "missing-field",
    "missing-as-of": "missing-field",
    "missing-confidence-note": "missing-field",
    "missing-value": "missing-field",
    "correction-without-note": "missing-field",
    "empty-claims": "bad-structure",
    "claim-not-a-mapping": "bad-structure",
    "corrections-not-a-list": "bad-structure",
    "empty-claimant": "empty-field",
    "empty-value": "empty-field",
    "empty-low": "empty-field",
    "empty-high": "empty-field",
    "list-where-text-expected": "bad-text",
    "NO-read-as-boolean": "bad-text",
    "number-where-text-expected": "bad-text",
    "text-too-long": "bad-text",
    "unit-10000-chars": "bad-text",
    "rlo-raw-in-claimant": "bad-text",
    "rli-in-tags": "bad-text",
    "control-character-in-tags": "bad-text",
    "control-character-escaped-in-title": "bad-text",
    "tag-too-long": "bad-text",
    "blank-tag": "bad-text",
    "id-not-a-slug": "bad-id",
    "noncharacter-in-id": "bad-id",
    "rlo-in-id": "bad-id",
    "homoglyph-in-id": "bad-id",
    "space-in-id-is-named": "bad-id",
    "1e9-is-text": "bad-number",
    "010-is-octal": "bad-number",
    "0x10-is-hex": "bad-number",
    "1:30-is-sexagesimal": "bad-number",
    "1:30.5-is-sexagesimal": "bad-number",
    ".nan": "bad-number",
    ".inf": "bad-number",
    "-.inf": "bad-number",
    "words-as-value": "bad-number",
    "boolean-as-value": "bad-number",
    "list-as-value": "bad-number",
    "value-401-digits": "bad-number",
    "value-negative-401-digits": "bad-number",
    "value-near-float-limit": "bad-number",
    "value-just-over-a-quadrillion": "bad-number",
    "high-over-a-quadrillion": "bad-number",
    "month-13": "bad-date",
    "february-30": "bad-date",
    "february-29-not-leap": "bad-date",
    "not-a-date": "bad-date",
    "year-out-of-range": "bad-date",
    "correction-not-a-day": "bad-date",
    "unit-with-number-and-symbol": "bad-unit",
    "unit-that-is-a-subtraction": "bad-unit",
    "unit-power-tower": "bad-unit",
    "unit-python-call": "bad-unit",
    "unit-41-chars": "bad-unit",
    "unit-offset-and-log": "bad-unit",
    "unit-celsius": "bad-unit",
    "unit-decibel": "bad-unit",
    "unit-count": "bad-unit",
    "unit-radian": "bad-unit",
    "unknown-unit": "unknown-unit",
    "unknown-source": "unknown-source",
    "unknown-via": "unknown-source",
    "unknown-story": "unknown-story",
    "unknown-qualifier": "bad-choice",
    "qualifier-typo": "bad-choice",
    "unknown-confidence": "bad-choice",
    "unknown-reliability": "bad-choice",
    "range-low-above-high": "bad-range",
    "range-low-equals-high": "bad-range",
    "range-with-value": "bad-range",
    "low-without-range": "bad-range",
    "corrections-out-of-order": "correction-order",
}


@pytest.mark.parametrize(("case", "old", "new", "needle", "fragment"), BAD_FIGURE_CASES, ids=[c[0] for c in BAD_FIGURE_CASES])
def test_each_problem_has_its_stable_code_and_the_field_it_concerns(catalogue_text, line_of, case, old, new, needle, fragment):
    text = catalogue_text(old, new)

    catalogue = load_text(text)

    (problem,) = [p for p in catalogue.problems if fragment in p.message]
    expected = CASE_CODES.get(case, "bad-text" if re.match(r"noncharacter-|bidi-control-", case) else None)
    assert problem.code == expected
    key = re.match(r"\s*-?\s*([a-z_]+):", text.split("\n")[line_of(text, needle) - 1])
    if problem.code.startswith(("bad-", "unknown-", "empty-")) and problem.code not in ("unknown-field", "bad-structure") and key:
        assert problem.field.split(".")[-1] == key.group(1)


def test_the_unbroken_catalogue_loads_all_three_figures(catalogue_text, write):
    catalogue = load(write(catalogue_text()))

    assert catalogue.problems == ()
    assert [f.id for f in catalogue.figures] == ["good-before", "target", "good-after"]
    assert catalogue.figure("good-after").claims[0].qualifier is Qualifier.RANGE


def test_duplicate_figure_id_reports_both_lines(catalogue_text, line_of):
    text = catalogue_text("id: target", "id: good-before")
    first = line_of(text, "title: Good before") - 1
    second = line_of(text, "title: Target figure") - 1

    catalogue = load_text(text)

    assert {(p.line, p.message) for p in catalogue.problems} == {
        (first, f"figure id 'good-before' is used again at line {second}; give each figure its own id"),
        (second, f"duplicate figure id 'good-before': it is also used at line {first}; give each figure its own id"),
    }
    assert [f.title for f in catalogue.figures] == ["Good before", "Good after"]


@pytest.mark.parametrize(
    ("where", "entry", "needle", "fragment"),
    [
        ("source", "  src-bad:\n    name: Bad\n    kind: news report\n    url: javascript:alert(1)\n", "javascript:", "'javascript:alert(1)' is not an http(s) address"),
        ("source", "  src-bad:\n    name: Bad\n    kind: news report\n    url: ftp://x\n", "ftp://x", "'ftp://x' is not an http(s) address"),
        ("source", "  src-bad:\n    name: Bad\n    kind: news report\n    url: data:text/html,<script>alert(1)</script>\n", "data:text", "is not an http(s) address"),
        ("source", "  src-bad:\n    name: Bad\n    kind: news report\n    url: https://\n", "https://", "is not an http(s) address"),
        ("story", "  story-bad:\n    title: Bad\n    publisher: P\n    published: 2023\n    url: javascript:alert(1)\n", "javascript:", "is not an http(s) address"),
        ("source", "  src-bad:\n    name: Bad\n    name: Twice\n    kind: news report\n", "Twice", "duplicate key 'name'"),
        ("source", "  src-bad:\n    name: Bad\n    kind: blog\n", "blog", "'blog' is not allowed; use one of official document"),
        ("source", "  src-bad:\n    nmae: Bad\n    kind: news report\n", "nmae", "unknown field 'nmae' in source 'src-bad'; did you mean 'name'?"),
        ("source", "  Src Bad:\n    name: Bad\n    kind: news report\n", "Src Bad", "source id 'Src Bad' is not a slug"),
        ("source", "  src-bad:\n    name: Bad: really\n    kind: news report\n", "Bad: really", "a colon inside a value"),
        ("story", "  story-bad:\n    title: Bad\n    publisher: P\n    published: 2023-02-30\n", "2023-02-30", "not a real date"),
        # urllib raises ValueError on these: check once ended in a traceback.
        ("source", '  src-bad:\n    name: Bad\n    kind: news report\n    url: "http://[cnn.com]/x"\n', "cnn.com", "'http://[cnn.com]/x' is not an http(s) address"),
        ("source", '  src-bad:\n    name: Bad\n    kind: news report\n    url: "http://cnn.com\\uFF0Fx/y"\n', "cnn.com", "is not an http(s) address"),
        ("story", '  story-bad:\n    title: Bad\n    publisher: P\n    published: 2023\n    url: "https://[evil/x"\n', "evil", "is not an http(s) address"),
        ("source", "  src-bad:\n    name: Bad\n    kind: news report\n    url: http://example.org:99999/\n", "99999", "is not an http(s) address"),
        ("source", "  src-bad:\n    name: Bad\n    kind: news report\n    url: http://example.org:x/\n", "org:x", "is not an http(s) address"),
        ("source", "  src-bad:\n    name: Bad\n    kind: news report\n    url: https://:80/\n", ":80", "is not an http(s) address"),
        # Characters no renderer can draw, and bidirectional controls, in sources and stories too.
        ("source", '  src-bad:\n    name: "Bad \\uFFFE"\n    kind: news report\n', "Bad", "name: contains U+FFFE at character 5"),
        ("source", '  src-bad:\n    name: Bad\n    publisher: "Pub\\u202E"\n    kind: news report\n', "Pub\\u202E", "publisher: contains U+202E RIGHT-TO-LEFT OVERRIDE at"),
        ("source", '  src-bad:\n    name: Bad\n    kind: news report\n    url: "https://example.org/\\uFFFF"\n', "example.org", "url: contains U+FFFF at character 21"),
        ("story", '  story-bad:\n    title: "Story\\u202D"\n    publisher: P\n    published: 2023\n', "Story", "title: contains U+202D LEFT-TO-RIGHT OVERRIDE at character 6"),
        ("story", '  story-bad:\n    title: Bad\n    publisher: P\n    published: 2023\n    note: "a \\uFDD0 note"\n', "a \\uFDD0", "note: contains U+FDD0 at character 3"),
        ("source", "  \u0430src-bad:\n    name: Bad\n    kind: news report\n", "src-bad", "character 1 of '\u0430src-bad' is '\u0430' (U+0430 CYRILLIC SMALL LETTER A)"),
    ],
)
def test_bad_source_or_story_is_skipped_and_the_rest_loads(catalogue_text, line_of, where, entry, needle, fragment):
    text = catalogue_text(before="stories:" if where == "source" else "figures:", insert=entry)

    catalogue = load_text(text)

    assert [p.line for p in catalogue.problems if fragment in p.message] == [line_of(text, needle)], [str(p) for p in catalogue.problems]
    first = line_of(text, "src-bad:" if "src-bad:" in text else ("story-bad:" if "story-bad:" in text else "Src Bad:"))
    assert all(first <= p.line < first + entry.count("\n") for p in catalogue.problems)
    assert set(catalogue.sources) == {"src-a"} and set(catalogue.stories) == {"story-a"}
    assert {f.id for f in catalogue.figures} == VALID | {"target"}


def test_http_urls_are_kept(catalogue_text):
    text = catalogue_text(before="stories:", insert="    url: https://example.org/a?b=1\n")

    catalogue = load_text(text)

    assert catalogue.problems == ()
    assert catalogue.sources["src-a"].url == "https://example.org/a?b=1"


def test_all_problems_are_reported_at_once(catalogue_text, line_of):
    text = catalogue_text('quote: "five"', 'quote: "five').replace("title: Good before", "title: Good: before").replace("as_of: 2022-12", "as_of: 2023-02-30")

    catalogue = load_text(text)

    assert [(p.line, p.message.split(";")[0]) for p in catalogue.problems] == [
        (line_of(text, "Good: before"), "YAML syntax error: a colon inside a value"),
        (line_of(text, 'quote: "five'), "YAML syntax error: a quote opened here is never closed"),
        (line_of(text, "2023-02-30"), "as_of: 2023-02-30 is not a real date (that month has 28 days)"),
    ]
    assert catalogue.figures == ()


def test_billion_laughs_is_refused_without_expanding(line_of):
    lols = ["lol: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lols += [f"lol{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    text = "\n".join(lols) + "\n"

    catalogue = load_text(text)

    assert catalogue.figures == ()
    lines = {p.line for p in catalogue.problems if "anchor (&name)" in p.message}
    assert lines == set(range(1, 11))
    assert {p.line for p in catalogue.problems if "the alias *a" in p.message} == set(range(2, 11))
    assert len(catalogue.problems) < 100


def test_laughs_inside_one_figure_skip_only_that_figure(catalogue_text, line_of):
    text = catalogue_text("    topic: t\n", "    topic: t\n    description: &a [lol, lol]\n    tags: [*a, *a, *a, *a]\n")

    catalogue = load_text(text)

    assert {p.line for p in catalogue.problems} == {line_of(text, "&a"), line_of(text, "*a, *a")}
    assert {f.id for f in catalogue.figures} == VALID


@pytest.mark.parametrize(
    "nesting",
    [
        pytest.param("topic: " + "[" * 100_000 + "]" * 100_000, id="flow-100000"),
        pytest.param("topic: " + "{a: " * 10_000 + "x" + "}" * 10_000, id="flow-mappings-10000"),
        pytest.param("topic:\n      " + "- " * 100_000 + "x", id="block-compact-100000"),
        pytest.param("topic:\n" + "".join("      " + "  " * i + "-\n" for i in range(2000)).rstrip("\n"), id="block-lines-2000"),
    ],
)
def test_deep_nesting_is_refused_at_its_line_and_the_rest_loads(catalogue_text, line_of, nesting):
    text = catalogue_text("topic: t", nesting)

    catalogue = load_text(text)

    (problem,) = catalogue.problems
    assert "nesting deeper than 24 levels; a catalogue needs at most 5, so flatten this part" in problem.message
    assert line_of(text, "- id: target") < problem.line < line_of(text, "- id: good-after")
    assert {f.id for f in catalogue.figures} == VALID


@pytest.mark.parametrize(
    "nesting",
    [
        pytest.param('"x: " + "[" * 100_000', id="flow-unclosed-top-level"),
        pytest.param('"x: " + "[" * 100_000 + "]" * 100_000', id="flow-closed-top-level"),
        pytest.param('"x:\\n  " + "- " * 100_000 + "y"', id="block-compact-top-level"),
        pytest.param('"figures:\\n  - " + "[" * 100_000', id="flow-in-figures"),
    ],
)
def test_100000_deep_nesting_does_not_crash_the_process(repo, nesting):
    script = textwrap.dedent(f"""
        from figures.loader import load_text
        catalogue = load_text({nesting})
        for problem in catalogue.problems:
            print(problem)
    """)

    done = subprocess.run([sys.executable, "-c", script], cwd=repo, capture_output=True, text=True, timeout=120)

    assert done.returncode == 0, done.stderr
    assert "nesting deeper than 24 levels" in done.stdout


@pytest.mark.parametrize(
    ("content", "line", "fragment"),
    [
        pytest.param(b"", 1, "the file is empty", id="empty"),
        pytest.param(b"\n  \n\n", 1, "the file is empty", id="blank-lines"),
        pytest.param(b"# only\n   # comments\n", 1, "the file is empty; a catalogue starts with the keys sources:, stories: and figures:", id="comments-only"),
        pytest.param(b"sources:\n  a:\n    name: x\x00y\n", 3, "this is a binary file, not YAML text", id="nul-byte"),
        pytest.param("sources: {}\n".encode("utf-16"), 1, "this is a binary file", id="utf-16"),
        pytest.param(b"- just\n- a list\n", 1, "the file must be a mapping with the keys sources:, stories: and figures:", id="list-at-top"),
        pytest.param(b"sources: {}\nstories: {}\nfigures: []\n---\nmore: 1\n", 4, "a second YAML document (---) starts here", id="two-documents"),
        pytest.param(b"sources: {}\nstories: {}\n", 1, "the key figures: is missing", id="no-figures-key"),
    ],
)
def test_whole_file_problems_name_their_line(write, content, line, fragment):
    path = write(content)

    catalogue = load(path)

    assert catalogue.figures == ()
    assert any(p.line == line and fragment in p.message for p in catalogue.problems), [str(p) for p in catalogue.problems]
    assert all(str(p).startswith(f"{path}:") for p in catalogue.problems)


def test_non_utf8_byte_is_reported_at_its_line_and_the_rest_loads(catalogue_text, line_of, write):
    text = catalogue_text("title: Target figure", "title: Target caf\N{LATIN SMALL LETTER E WITH ACUTE}")
    path = write(text.encode("utf-8").replace("é".encode(), b"\xe9"))

    catalogue = load(path)

    (problem,) = catalogue.problems
    assert str(problem) == f"{path}:{line_of(text, 'Target caf')}: byte 0xe9 is not UTF-8; save the file as UTF-8"
    assert {f.id for f in catalogue.figures} == VALID


def test_utf8_bom_is_accepted(catalogue_text, write):
    catalogue = load(write(b"\xef\xbb\xbf" + catalogue_text().encode("utf-8")))

    assert catalogue.problems == ()
    assert len(catalogue.figures) == 3


@pytest.mark.parametrize("through", ["file", "text"])
def test_file_over_max_bytes_is_refused(monkeypatch, catalogue_text, write, through):
    monkeypatch.setattr(reader, "MAX_BYTES", 1000)
    text = catalogue_text()
    assert len(text) > 1000

    catalogue = load(write(text)) if through == "file" else load_text(text)

    (problem,) = catalogue.problems
    assert problem.line == 1
    assert "more than the limit of 1,000; split the catalogue into several files" in problem.message
    assert catalogue.figures == ()


def test_file_under_max_bytes_loads(monkeypatch, catalogue_text, write):
    text = catalogue_text()
    monkeypatch.setattr(reader, "MAX_BYTES", len(text.encode("utf-8")))

    assert load(write(text)).ok


def test_a_missing_file_raises_oserror_and_an_empty_folder_is_one_problem(tmp_path):
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "absent.yaml")
    (tmp_path / "notes.txt").write_text("not a catalogue", encoding="utf-8")

    catalogue = load(tmp_path)

    assert [(p.code, p.line) for p in catalogue.problems] == [("empty-folder", 1)]
    assert "holds no .yaml file" in catalogue.problems[0].message and catalogue.figures == ()


def test_many_syntax_errors_give_up_with_a_message(catalogue_text):
    broken = "".join(f"  - id: broken-{i}\n    title: a: b\n" for i in range(reader.MAX_SYNTAX_ERRORS + 5))
    text = catalogue_text(tail=broken)

    catalogue = load_text(text)

    assert catalogue.figures == ()
    assert any(f"more than {reader.MAX_SYNTAX_ERRORS} syntax errors; fix these first" in p.message for p in catalogue.problems)


def test_values_are_typed_as_written(catalogue_text):
    text = catalogue_text("value: 5", "value: 1_000").replace("high: 3", "high: 3.5").replace("as_of: 2022-12", "as_of: 2022")

    catalogue = load_text(text)

    assert catalogue.problems == ()
    target, after = catalogue.figure("target"), catalogue.figure("good-after")
    assert target.claims[0].value == 1000 and isinstance(target.claims[0].value, int)
    assert after.claims[0].high == 3.5
    assert (after.claims[0].as_of.iso, after.claims[0].as_of.precision) == ("2022", "year")


@pytest.mark.parametrize(("written", "value"), [("1.0e+9", 1e9), ("-3.2", -3.2), ("+5", 5), ("0", 0), ("7000000000", 7_000_000_000)])
def test_plain_numbers_load(catalogue_text, written, value):
    catalogue = load_text(catalogue_text("value: 5", f"value: {written}"))

    assert catalogue.problems == ()
    assert catalogue.figure("target").claims[0].value == value


def test_problems_are_sorted_by_line(catalogue_text):
    text = catalogue_text("value: 5", "value: .nan").replace("title: Good before", "title: [x]")

    lines = [p.line for p in load_text(text).problems]

    assert lines == sorted(lines) and len(lines) == 2


def test_a_correction_is_read_with_its_date_note_and_line(catalogue_text, line_of):
    text = catalogue_text("    claims:\n", '    corrections:\n      - date: 2023-02-01\n        note: "The count was 4; it is 5."\n    claims:\n')

    (correction,) = load_text(text).figure("target").corrections

    assert (correction.date, correction.note, correction.line) == (PartialDate(2023, 2, 1), "The count was 4; it is 5.", line_of(text, "- date: 2023-02-01"))


WITHDRAWN_ENTRY = '  - id: gone\n    date: 2023-03-01\n    note: "The source retracted it."\n'


@pytest.mark.parametrize(("entry", "offset", "fragment"), [
    ("  - id: target\n    date: 2023-03-01\n    note: n\n", 1, "figure 'target' is withdrawn here but is still in figures: (line 26)"),
    (WITHDRAWN_ENTRY + WITHDRAWN_ENTRY.replace("retracted", "withdrew"), 4, "figure 'gone' is withdrawn twice (also at line"),
    ("  - id: gone\n    date: 2023-03\n    note: n\n", 2, "is not a day"),
    ("  - id: Gone\n    date: 2023-03-01\n    note: n\n", 1, "figure id 'Gone' is not a slug"),
    ("  - id: gone\n    date: 2023-03-01\n", 1, "this withdrawn figure has no note:"),
])
def test_a_bad_withdrawn_entry_is_reported_at_its_line_and_the_figures_still_load(catalogue_text, entry, offset, fragment):
    """``offset``: the reported line, counted from the ``withdrawn:`` line."""
    head = catalogue_text() + "withdrawn:\n"
    text = head + entry

    catalogue = load_text(text)

    assert [(p.line, fragment in p.message) for p in catalogue.problems] == [(head.count("\n") + offset, True)]
    assert {f.id for f in catalogue.figures} == VALID | {"target"}


def test_a_withdrawn_entry_is_read(catalogue_text, line_of):
    text = catalogue_text() + "withdrawn:\n" + WITHDRAWN_ENTRY

    (entry,) = load_text(text).withdrawn

    assert (entry.id, entry.date, entry.note, entry.line) == ("gone", PartialDate(2023, 3, 1), "The source retracted it.", line_of(text, "- id: gone"))


def test_loader_reads_the_same_from_file_and_text(repo):
    path = repo / "data" / "figures.yaml"

    from_file, from_text = load(path), load_text(path.read_text(encoding="utf-8"), str(path))

    assert dataclasses.replace(from_file, published={}) == from_text  # text has no record beside it
    # the seed, published on 2 December 2026 and "almost 300 days" corrected on the 3rd
    assert from_file.published == {f.id: (1, PartialDate(2026, 12, 2)) for f in from_file.figures} | {
        "russian-guns-firing-days": (2, PartialDate(2026, 12, 3))}


def test_syntax_error_outside_any_entry_refuses_the_file(catalogue_text, line_of):
    text = catalogue_text().replace("stories:\n", "stories: : :\n")

    catalogue = load_text(text)

    assert catalogue.figures == ()
    assert [p.line for p in catalogue.problems] == [line_of(text, "stories: : :")]


def test_path_in_problem_is_the_path_given(catalogue_text, tmp_path):
    path = tmp_path / "sub dir" / "cat.yaml"
    path.parent.mkdir()
    path.write_text(catalogue_text("value: 5", "value: 010"), encoding="utf-8")

    (problem,) = load(path).problems

    assert str(problem).startswith(f"{path}:")
    assert Path(problem.path) == path


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("\u0627\u0644\u062d\u0643\u0648\u0645\u0629 \u0627\u0644\u0623\u0641\u063a\u0627\u0646\u064a\u0629", id="arabic"),
        pytest.param("\u05de\u05e9\u05e8\u05d3 \u05d4\u05d1\u05d9\u05d8\u05d7\u05d5\u05df", id="hebrew"),
        pytest.param("Pub\u200f, January 2023", id="right-to-left-mark"),
        pytest.param("\u200eLeft-to-right mark", id="left-to-right-mark"),
        pytest.param("private use \ue000", id="private-use"),
        pytest.param("zero width\ufeffno-break space", id="feff"),
        pytest.param("caf\u00e9 \u2013 \u201cquoted\u201d", id="accents-and-curly-quotes"),
    ],
)
def test_right_to_left_scripts_and_marks_are_kept_and_only_a_bidi_override_is_refused(catalogue_text, text):
    def with_text(value: str) -> str:
        return catalogue_text("claimant: Someone", f'claimant: "{value}"').replace("tags: [missiles]", f'tags: [missiles, "{value}"]')

    kept, overridden = load_text(with_text(text)), load_text(with_text(text + "\u202e"))

    assert kept.problems == ()
    assert kept.figure("target").claims[0].claimant == text
    assert kept.figure("good-after").tags == ("missiles", text)
    assert [p.message.split(" at ")[0] for p in overridden.problems if "U+202E" in p.message] == [
        "claimant: contains U+202E RIGHT-TO-LEFT OVERRIDE", "tags: item 2 contains U+202E RIGHT-TO-LEFT OVERRIDE",
    ]


@pytest.mark.parametrize(
    ("written", "value", "beyond"),
    [("1000000000000000", 10**15, "1000000000000001"), ("-1000000000000000", -(10**15), "-1000000000000001"), ("1.0e+15", 1e15, "1.000001e+15")],
)
def test_values_up_to_a_quadrillion_either_side_of_zero_load_and_beyond_are_refused(catalogue_text, written, value, beyond):
    kept, refused = load_text(catalogue_text("value: 5", f"value: {written}")), load_text(catalogue_text("value: 5", f"value: {beyond}"))

    assert kept.problems == ()
    assert kept.figure("target").claims[0].value == value
    assert ["is larger than any figure can be" in p.message for p in refused.problems] == [True]


@pytest.mark.parametrize("written", ["0x" + "f" * 5000, "0" + "7" * 5000], ids=["hex", "octal"])
def test_a_refused_5000_character_number_is_shown_shortened_at_its_line(catalogue_text, line_of, written):
    text = catalogue_text("value: 5", f"value: {written}")

    (problem,) = load_text(text).problems

    assert problem.line == line_of(text, "value: " + written[:5])
    assert problem.message.startswith("value: ") and len(problem.message) < 300, problem.message[:400]


def test_a_5000_digit_value_is_one_short_problem_at_its_line_and_the_rest_loads(catalogue_text, line_of):
    # Past Python's int-string limit (4,300 digits) int() raises ValueError; check once ended in a traceback.
    text = catalogue_text("value: 5", "value: " + "9" * 5000)

    catalogue = load_text(text)

    assert [p.line for p in catalogue.problems] == [line_of(text, "value: 999")], [str(p)[:200] for p in catalogue.problems]
    assert len(catalogue.problems[0].message) < 300
    assert {f.id for f in catalogue.figures} == VALID


class Boom(Exception):
    """An error nobody foresaw, raised from inside a dependency."""


def _boom(*args, **kwargs):
    raise Boom


@pytest.mark.parametrize(
    ("old", "new", "before", "insert", "needle", "sources", "stories", "figures"),
    [
        pytest.param("as_of: 2022-01", "as_of: 2022-01-15", "", "", "- id: target", {"src-a"}, {"story-a"}, VALID, id="figure"),
        pytest.param("", "", "stories:", "  src-day:\n    name: Day\n    kind: news report\n    published: 2022-04-01\n", "src-day:", {"src-a"}, {"story-a"},
                     VALID | {"target"}, id="source"),
        pytest.param("", "", "figures:", "  story-day:\n    title: Day\n    publisher: P\n    published: 2023-01-05\n", "story-day:", {"src-a"}, {"story-a"},
                     VALID | {"target"}, id="story"),
    ],
)
def test_an_entry_whose_check_raises_is_reported_at_its_line_and_the_rest_loads(
    monkeypatch, catalogue_text, line_of, old, new, before, insert, needle, sources, stories, figures
):
    # Only the entry with a day in a date reaches calendar.monthrange; make it fail as no input can today.
    text = catalogue_text(old, new, before=before, insert=insert)
    monkeypatch.setattr(calendar, "monthrange", _boom)

    catalogue = load_text(text)

    assert [str(p) for p in catalogue.problems] == [f"<text>:{line_of(text, needle)}: this entry could not be checked (internal error: Boom); please report it"]
    assert (set(catalogue.sources), set(catalogue.stories), {f.id for f in catalogue.figures}) == (sources, stories, figures)


@pytest.mark.parametrize("through", ["file", "text"])
def test_load_never_raises_when_reading_fails_unexpectedly(monkeypatch, catalogue_text, write, through):
    path = write(catalogue_text())
    monkeypatch.setattr(yaml, "parse", _boom)

    catalogue = load(path) if through == "file" else load_text(catalogue_text(), str(path))

    assert [str(p) for p in catalogue.problems] == [f"{path}:1: the file could not be checked (internal error: Boom); please report it"]
    assert catalogue.figures == ()


@pytest.mark.parametrize("key", ["topic", "tags"])
@pytest.mark.parametrize("char", ["\\x01", "\\x07", "\\x1b", "\\x7f", "\\x0b"])
def test_topic_and_tags_refuse_the_same_control_characters(catalogue_text, key, char):
    value = f'"t{char}"' if key == "topic" else f'["t{char}"]'
    catalogue = load_text(catalogue_text("topic: t", f"{key}: {value}"))

    assert [(p.code, p.field) for p in catalogue.problems] == [("bad-text", key)]
    assert "control character" in catalogue.problems[0].message


def test_a_bad_topic_is_one_problem_not_also_a_missing_topic(catalogue_text):
    catalogue = load_text(catalogue_text("topic: t", "topic: [a, b]"))

    assert [p.code for p in catalogue.problems] == ["bad-text"]


def test_an_unknown_via_names_the_sources_section(catalogue_text):
    catalogue = load_text(catalogue_text("source: src-a", "source: src-a\n        via: [src-x]"))

    (problem,) = catalogue.problems
    assert (problem.code, problem.field) == ("unknown-source", "claims.via")
    assert "under sources:" in problem.message


def test_overlapping_proofs_in_threads_leave_the_collector_as_it_was():
    """The proof pauses the cyclic collector; two sessions proving at once must not leave it off (nor turn it on for a host that had it off)."""
    import gc
    import threading

    from figures import loader

    started, release = threading.Barrier(3), threading.Event()

    def slow() -> None:
        started.wait()
        release.wait(5)

    for host_had_it_on in (True, False):
        (gc.enable if host_had_it_on else gc.disable)()
        threads = [threading.Thread(target=loader._without_collections, args=(slow,)) for _ in range(2)]
        for t in threads:
            t.start()
        started.wait()
        assert not gc.isenabled()  # paused while either runs
        release.set()
        for t in threads:
            t.join()
        release.clear()
        started.reset()
        assert gc.isenabled() is host_had_it_on
    gc.enable()
