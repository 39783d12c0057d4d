"""Claims proved against archived texts (:mod:`figures.proof`): quotes word for word, numbers, qualifiers, coverage."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from figures.loader import load
from figures.store import CatalogueStore
from tests.conftest import REPO

TEXT = """\
Officials said the army left more than $7 billion worth of weapons.
The military equipment included 23,825 Humvees and around 900 combat vehicles.
The guns have now been firing for almost 300 days, the chief said on 25 January.
Russia has enough cruise missiles for “two or three” more strikes, Mykhailo Podolyak said in December 2022.
It’s a war of M1117 cars, C-130 planes and Su-25 jets.
"""

CATALOGUE = """\
sources:
  wire:
    name: The Wire
    kind: news report
stories:
  arms:
    title: Arms left behind
    publisher: The Paper
    published: 2023-01
    text: texts/arms.txt
figures:
  - id: weapons-value
    title: Value of weapons left
    unit: USD
    story: arms
    topic: arms
    claims:
      - value: 7000000000
        qualifier: more_than
        as_of: 2021-08
        claimant: officials
        source: wire
        quote: "Officials said the army left more than $7 billion worth of weapons."
        confidence: reported
        confidence_note: because
  - id: vehicles
    title: Vehicles left
    unit: vehicle
    story: arms
    topic: arms
    claims:
      - value: 23825
        qualifier: exact
        as_of: 2021-08
        claimant: officials
        source: wire
        quote: "The military equipment included 23,825 Humvees and around 900 combat vehicles."
        confidence: reported
        confidence_note: because
      - value: 900
        qualifier: approximately
        as_of: 2021-09
        claimant: officials
        source: wire
        quote: "The military equipment included 23,825 Humvees and around 900 combat vehicles."
        confidence: reported
        confidence_note: because
  - id: days
    title: Days of firing
    unit: day
    story: arms
    topic: arms
    claims:
      - value: 300
        qualifier: just_under
        as_of: 2022-12
        claimant: the chief
        source: wire
        quote: "The guns have now been firing for almost 300 days"
        confidence: reported
        confidence_note: because
  - id: strikes
    title: Strikes left
    unit: strike
    story: arms
    topic: arms
    claims:
      - low: 2
        high: 3
        qualifier: range
        as_of: 2022-12
        claimant: Mykhailo Podolyak
        source: wire
        quote: "Russia has enough cruise missiles for “two or three” more strikes"
        confidence: claimed
        confidence_note: because
"""


@pytest.fixture
def story(tmp_path):
    """Write the catalogue (with ``old`` replaced by ``new``) and its story's text; return the catalogue's path."""

    def make(old: str = "", new: str = "", text: str = TEXT) -> tuple:
        assert not old or CATALOGUE.count(old) == 1, old
        catalogue = CATALOGUE.replace(old, new) if old else CATALOGUE
        (tmp_path / "texts").mkdir(exist_ok=True)
        (tmp_path / "texts" / "arms.txt").write_text(text, encoding="utf-8")
        path = tmp_path / "figures.yaml"
        path.write_text(catalogue, encoding="utf-8")
        return path, catalogue

    return make


def _line(text: str, needle: str, after: str = "") -> int:
    start = text.index(after) if after else 0
    return text[:text.index(needle, start)].count("\n") + 1


def _warnings(path) -> list[tuple[str, int, str, str]]:
    return [(w.code, w.line, w.path, w.message) for w in load(path).warnings]


def test_a_catalogue_true_to_its_text_has_no_warning_and_every_quote_is_checked(story):
    path, _ = story()

    catalogue = load(path)

    assert catalogue.problems == () and catalogue.warnings == ()
    assert [c.checked for f in catalogue.figures for c in f.claims] == ["story"] * 5


def test_the_seed_catalogue_passes_strict_in_a_real_process():
    done = subprocess.run([sys.executable, "-m", "figures", "check", "--strict", "data/figures.yaml"], cwd=REPO, capture_output=True,
                          text=True, timeout=120)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "(11 quotes checked against archived texts)" in done.stdout and "warning" not in done.stdout


def test_line_breaks_and_runs_of_spaces_are_the_only_differences_allowed(story):
    path, _ = story(text=TEXT.replace("included 23,825 Humvees", "included\n23,825   Humvees"))

    assert load(path).warnings == ()


@pytest.mark.parametrize(
    ("old", "new", "text_line", "text_has", "quote_has"),
    [
        ("for “two or three” more", 'for \\"two or three\\" more', 4, "⟦“⟧two", '⟦"⟧two'),
        ("Officials said the army", "officials said the army", 1, "⟦O⟧fficials", "⟦o⟧fficials"),
        ("worth of weapons.\"", "worth of arms.\"", 1, "worth of ⟦w⟧eapons", "worth of ⟦a⟧rms"),
    ],
    ids=["straight-quotes", "case", "a-word"],
)
def test_a_quote_not_word_for_word_is_flagged_at_its_line_with_the_closest_passage_marked(story, old, new, text_line, text_has, quote_has):
    path, text = story(old, new)

    (warning,) = load(path).warnings

    assert (warning.code, warning.line, warning.field, warning.severity) == ("quote-not-in-text", _line(text, new), "claims.quote", "warning")
    assert f"texts/arms.txt:{text_line}" in warning.message
    assert text_has in warning.message and quote_has in warning.message


def test_a_value_its_quote_does_not_write_is_flagged_at_the_value_line(story):
    path, text = story("      - value: 23825\n", "      - value: 23826\n")

    warning, uncaptured = load(path).warnings  # and the text's 23,825 is now held by no claim

    assert (warning.code, warning.line, warning.field) == ("value-not-in-quote", _line(text, "value: 23826"), "claims.value")
    assert (uncaptured.code, uncaptured.line) == ("figure-not-captured", 2)
    assert "does not write 23,826 vehicle" in warning.message and "“23,825”, “900”" in warning.message


def test_a_dollar_figure_is_not_found_in_pounds(story):
    path, text = story("left more than $7 billion worth of weapons.\"", "left more than £7 billion worth of weapons.\"",
                       text=TEXT.replace("$7 billion", "£7 billion"))

    assert [w.code for w in load(path).warnings] == ["value-not-in-quote"]


@pytest.mark.parametrize(
    ("old", "new", "after", "said", "expected"),
    [
        ("        qualifier: just_under\n", "        qualifier: approximately\n", "id: days", "“almost 300”, which is just_under", "just_under"),
        ("        qualifier: more_than\n", "        qualifier: exact\n", "id: weapons-value", "“more than $7 billion”, which is more_than", "more_than"),
        ("      - low: 2\n        high: 3\n        qualifier: range\n", "      - value: 2\n        qualifier: exact\n", "id: strikes",
         "gives a range", "range"),
    ],
    ids=["almost-is-not-about", "more-than-is-not-exact", "a-range"],
)
def test_a_qualifier_its_words_contradict_is_flagged_at_the_qualifier_line(story, old, new, after, said, expected):
    path, text = story(old, new)

    (warning,) = [w for w in load(path).warnings if w.code == "qualifier-contradicts-quote"]

    assert (warning.line, warning.field) == (_line(text, "qualifier:", after), "claims.qualifier")
    assert said in warning.message and expected in warning.message


@pytest.mark.parametrize(("high", "warned"), [(3, ()), (4, ("value-not-in-quote", "figure-not-captured"))], ids=["both-ends", "a-wrong-end"])
def test_a_range_whose_ends_are_written_apart_is_found_and_a_wrong_end_is_not(story, high, warned):
    apart = TEXT.replace("“two or three” more strikes", "two strikes or three more")
    path, _ = story("        high: 3\n", f"        high: {high}\n", text=apart)
    path.write_text(path.read_text(encoding="utf-8").replace("“two or three” more strikes", "two strikes or three more"), encoding="utf-8")

    assert tuple(w.code for w in load(path).warnings) == warned


def test_where_the_words_are_silent_exact_and_approximately_both_pass_and_a_bound_does_not(story):
    exact, _ = story("      - value: 23825\n        qualifier: exact\n", "      - value: 23825\n        qualifier: approximately\n")
    assert load(exact).warnings == ()

    bound, text = story("      - value: 23825\n        qualifier: exact\n", "      - value: 23825\n        qualifier: at_least\n")
    (warning,) = load(bound).warnings
    assert (warning.code, warning.line) == ("qualifier-contradicts-quote", _line(text, "qualifier: at_least"))
    assert "no words that make it at_least" in warning.message


def test_a_figure_of_the_text_no_claim_holds_is_flagged_at_the_texts_line_as_written(story):
    path, _ = story(text=TEXT + "A further 1,200 trucks were seen in Kabul.\n")

    (warning,) = load(path).warnings

    assert (warning.code, warning.line, warning.path) == ("figure-not-captured", 6, str(path.parent / "texts" / "arms.txt"))
    assert "“1,200”" in warning.message and "left_out:" in warning.message


def test_left_out_lists_a_figure_with_its_reason_and_a_stale_entry_is_flagged(story):
    left_out = ('    text: texts/arms.txt\n    left_out:\n      - number: "1,200"\n        reason: Trucks seen, not left.\n'
                '      - number: "4,000"\n        reason: Gone from the text.\n')
    path, text = story("    text: texts/arms.txt\n", left_out, text=TEXT + "A further 1,200 trucks were seen in Kabul.\n")

    (warning,) = load(path).warnings

    assert (warning.code, warning.line, warning.field) == ("left-out-not-in-text", _line(text, '"4,000"'), "left_out.number")
    assert load(path).stories["arms"].left_out[0].reason == "Trucks seen, not left."


def test_an_unquoted_value_needs_a_reason_skips_the_number_check_and_is_shown_to_editors(story):
    left_out = '    text: texts/arms.txt\n    left_out:\n      - number: "23,825"\n        reason: The report corrects it to 23,826.\n'
    path, text = story("      - value: 23825\n        qualifier: exact\n",
                       "      - value: 23826\n        qualifier: exact\n        unquoted_value: The report's table 3 gives 23,826.\n")
    path.write_text(text.replace("    text: texts/arms.txt\n", left_out), encoding="utf-8")
    text = path.read_text(encoding="utf-8")

    assert load(path).warnings == ()
    done = subprocess.run([sys.executable, "-m", "figures", "check", "--strict", str(path)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0
    assert f"{path}:{_line(text, 'unquoted_value')}: note: the value is not matched against the quote: The report's table 3 gives 23,826." in done.stdout


def test_dates_and_names_with_digits_in_a_text_are_never_asked_for(story):
    path, _ = story()

    assert not [w for w in load(path).warnings if w.code == "figure-not-captured"]  # 25 January, December 2022, M1117, C-130, Su-25


@pytest.mark.parametrize(
    ("new", "code", "words"),
    [
        ("    text: texts/missing.txt\n", "missing-text", "names no file"),
        ("    text: /etc/passwd\n", "bad-path", "not a path relative to the catalogue file"),
        ("    text: https://example.org/story\n", "bad-path", "not a path relative to the catalogue file"),
    ],
)
def test_a_text_that_cannot_be_read_is_a_warning_at_its_line_and_everything_loads(story, new, code, words):
    path, text = story("    text: texts/arms.txt\n", new)

    catalogue = load(path)

    assert catalogue.problems == ()
    problem, unchecked = catalogue.warnings
    assert unchecked.code == "no-text"
    assert (problem.code, problem.line, problem.field) == (code, _line(text, new.strip()), "stories.text")
    assert words in problem.message
    assert len(catalogue.figures) == 4


def test_a_binary_or_non_utf8_text_is_refused(story, tmp_path):
    path, _ = story()
    (tmp_path / "texts" / "arms.txt").write_bytes(b"caf\xe9 900\n")

    problem, _ = load(path).warnings

    assert problem.code == "bad-text-file" and "not UTF-8" in problem.message


def test_a_sources_text_proves_the_quotes_of_its_claims(story, tmp_path):
    path, _ = story("    kind: news report\n", "    kind: news report\n    text: texts/wire.txt\n",
                    text="Nothing of the claims is here.\n")
    (tmp_path / "texts" / "wire.txt").write_text(TEXT, encoding="utf-8")

    catalogue = load(path)

    assert {c.checked for f in catalogue.figures for c in f.claims} == {"source"}
    assert [w.code for w in catalogue.warnings] == []


def test_a_story_with_no_text_is_one_warning_at_the_story(story):
    path, text = story("    text: texts/arms.txt\n", "")

    (warning,) = load(path).warnings

    assert (warning.code, warning.line) == ("no-text", _line(text, "  arms:"))
    assert "5 quotes" in warning.message


def test_in_a_folder_a_text_is_found_beside_the_file_that_names_it(tmp_path):
    folder = tmp_path / "stories"
    (folder / "texts").mkdir(parents=True)
    (folder / "texts" / "arms.txt").write_text(TEXT, encoding="utf-8")
    head, figures = CATALOGUE.split("figures:\n")
    (folder / "a-shared.yaml").write_text(head, encoding="utf-8")
    (folder / "b-figures.yaml").write_text("figures:\n" + figures, encoding="utf-8")

    catalogue = load(folder)

    assert catalogue.problems == () and catalogue.warnings == ()


def test_the_app_reproves_the_claims_when_their_archived_text_is_fixed(story, tmp_path):
    path, _ = story(text=TEXT.replace("23,825 Humvees", "23,826 Humvees"))
    store = CatalogueStore(path)
    before = store.status().snapshot.catalogue
    text = tmp_path / "texts" / "arms.txt"
    text.write_text(TEXT, encoding="utf-8")
    os.utime(text, ns=(5_000_000_000, 5_000_000_000))  # a save long settled, so the store need not wait

    after = store.status().snapshot.catalogue

    assert "quote-not-in-text" in [w.code for w in before.warnings]
    assert after is not before and after.warnings == ()


WHITE_SPACE = [
    "plain words, one space each",
    "  leading and trailing  ",
    "a\nline\n\nbreak and a  double space",
    "a paragraph\n\nanother, its lines\nbroken\n",
    "\n\n\nthree breaks\n\n\n\nand four",
    "a\ttab, a\u00a0no-break space, a\u2009thin space and a\u3000wide one",
    "controls\x1cthat\x1dsplit\x1ewords\x1fand\x0bthese\x0c",
    "\u2028line and\u2029paragraph separators\x85",
    "no white space at all: “curly”—dashes",
    "",
]


@pytest.mark.parametrize("content", WHITE_SPACE)
def test_a_text_is_flattened_as_its_line_map_reads_it(content):
    from figures.proof import ArchivedText, _flatten

    text = ArchivedText("t.txt", content)
    flat, _, _ = _flatten(content)

    assert text.flat == flat == " ".join(content.split())
    for i, char in enumerate(text.flat):
        if char != " ":
            assert content[text.original_index(i)] == char


@pytest.mark.parametrize("quote", WHITE_SPACE)
def test_a_quote_is_flattened_whether_or_not_it_is_flat_already(quote):
    from figures.proof import _flat_quote

    assert _flat_quote(quote) == " ".join(quote.split())
