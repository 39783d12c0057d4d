"""The loader: every bad input is reported at its line, and every other figure still loads.

Each case breaks the figure ``target`` of the small catalogue in conftest.py,
writes it to a real file and loads it. A case names a ``needle``: a piece of
text on the line the problem must be reported at.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from figures import reader
from figures.loader import load, load_text
from figures.model import Qualifier

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
    ("duplicate-key-in-figure", "    title: Target figure\n", "    title: Target figure\n    title: Other title\n", "Other title", "duplicate key 'title' (first at line"),
    ("duplicate-key-in-claim", '        quote: "five"\n', '        quote: "five"\n        quote: "six"\n', '"six"', "duplicate key 'quote'"),
    ("python-tag", "title: Target figure", "title: !!python/object/apply:os.system ['true']", "!!python", "the tag !!python/object/apply:os.system is not allowed"),
    ("python-tag-on-mapping", "title: Target figure", "title: !!python/object:os.system {a: 1}", "!!python", "the tag !!python/object:os.system is not allowed"),
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
    ("unknown-unit", "unit: vehicle", "unit: furlong_per_parsec", "furlong_per_parsec", "unknown unit 'furlong_per_parsec'; use a unit pint knows or add it to figures/units.txt"),
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


def test_the_unbroken_catalogue_loads_all_three_figures(catalogue_text, write):
    catalogue = load(write(catalogue_text()))

    assert catalogue.problems == ()
    assert [f.id for f in catalogue.figures] == ["good-before", "target", "good-after"]
    assert catalogue.figure("good-after").claims[0].qualifier is Qualifier.RANGE


def test_duplicate_key_is_refused_not_last_wins(catalogue_text, line_of):
    text = catalogue_text("    title: Target figure\n", "    title: Target figure\n    title: Other title\n")

    catalogue = load_text(text)

    (problem,) = catalogue.problems
    assert problem.line == line_of(text, "Other title")
    assert f"first at line {line_of(text, 'title: Target figure')}" in problem.message
    assert catalogue.figure("target") is None


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


def test_python_tag_runs_nothing(catalogue_text, tmp_path):
    marker = tmp_path / "pwned"
    text = catalogue_text("title: Target figure", f"title: !!python/object/apply:os.system ['touch {marker}']")

    catalogue = load_text(text)

    assert not marker.exists()
    assert any("!!python/object/apply:os.system is not allowed" in p.message for p in catalogue.problems)
    assert {f.id for f in catalogue.figures} == VALID


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


def test_missing_file_and_directory_raise_oserror(tmp_path):
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "absent.yaml")
    with pytest.raises(IsADirectoryError):
        load(tmp_path)


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


def test_loader_reads_the_same_from_file_and_text(repo):
    path = repo / "data" / "figures.yaml"

    from_file, from_text = load(path), load_text(path.read_text(encoding="utf-8"), str(path))

    assert from_file == from_text


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
