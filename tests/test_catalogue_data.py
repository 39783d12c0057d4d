"""The real catalogue, data/figures.yaml, against the article it comes from.

The article is archived in the repository beside the catalogue, at
data/texts/russia-taliban-us-weapons.txt (the words as published), so a fresh
clone checks the catalogue against its source with nothing beside it. If it is
missing these tests fail: the catalogue cannot be checked against its source.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from figures.loader import load
from figures.model import Confidence, PartialDate, Qualifier
from figures.reader import YMap, YSeq, read_file

ARTICLE = Path(__file__).resolve().parents[1] / "data" / "texts" / "russia-taliban-us-weapons.txt"

DATE_PARTS = {2021, 2022, 2023, 25}
"""Numbers written in digits in the article that are parts of dates, not claims:
the years, and the 25 of "Wednesday (25 January)"."""

SCALES = {"": 1, "billion": 1_000_000_000, "million": 1_000_000}
NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s+(billion|million))?")
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"


def read_article(path: Path = ARTICLE) -> str:
    """The article's text; a missing article fails the calling test (a fixture would only error)."""
    if not path.is_file():
        pytest.fail(f"the source article is missing: {path} must exist to check the catalogue against it", pytrace=False)
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def catalogue(repo):
    return load(repo / "data" / "figures.yaml")


def test_catalogue_has_no_problems(catalogue):
    assert [str(p) for p in catalogue.problems] == []
    assert (len(catalogue.figures), catalogue.claim_count) == (10, 11)


@pytest.mark.parametrize(
    ("figure_id", "unit", "qualifier", "value", "low", "high", "as_of"),
    [
        ("us-equipment-left-value", "USD", Qualifier.MORE_THAN, 7_000_000_000, None, None, "2021-08"),
        ("us-weapons-share-left", "percent", Qualifier.EXACT, 70, None, None, "2021-08"),
        ("us-ammunition-left-value", "USD", Qualifier.EXACT, 48_000_000, None, None, "2021-08"),
        ("humvees-left", "vehicle", Qualifier.EXACT, 23_825, None, None, "2021-08"),
        ("combat-vehicles-left", "vehicle", Qualifier.APPROXIMATELY, 900, None, None, "2021-08"),
        ("night-vision-equipment-left", "piece", Qualifier.AT_MOST, 42_000, None, None, "2021-08"),
        ("russia-planned-war-length", "day", Qualifier.EXACT, 30, None, None, "2022-12"),
        ("russian-guns-firing-days", "day", Qualifier.JUST_UNDER, 300, None, None, "2022-12"),
        ("russia-cruise-missile-mass-strikes", "strike", Qualifier.RANGE, None, 2, 3, "2022-12"),
    ],
)
def test_catalogue_holds_the_articles_single_claims(catalogue, figure_id, unit, qualifier, value, low, high, as_of):
    figure = catalogue.figure(figure_id)

    assert figure is not None, figure_id
    (claim,) = figure.claims
    assert (figure.unit, claim.qualifier, claim.value, claim.low, claim.high, claim.as_of.iso) == (unit, qualifier, value, low, high, as_of)


def test_iskanders_go_from_900_in_february_to_119_in_november_2022(catalogue):
    figure = catalogue.figure("russia-iskander-stock")

    assert figure.unit == "missile"
    assert [(c.value, c.qualifier, c.as_of) for c in figure.claims] == [
        (900, Qualifier.EXACT, PartialDate(2022, 2)),
        (119, Qualifier.EXACT, PartialDate(2022, 11)),
    ]


def test_every_quote_is_verbatim_in_the_article(catalogue):
    article = read_article()
    quotes = [c.quote for f in catalogue.figures for c in f.claims]

    missing = [q for q in quotes if q not in article]

    assert len(quotes) == 11
    assert missing == []


def test_every_claim_has_a_confidence_and_a_reason(catalogue):
    for figure in catalogue.figures:
        for claim in figure.claims:
            assert isinstance(claim.confidence, Confidence), figure.id
            assert claim.confidence_note and claim.confidence_note.strip(), figure.id


def test_nothing_has_a_url_because_the_article_gives_none(catalogue, repo):
    assert [s.id for s in catalogue.sources.values() if s.url] == []
    assert [s.id for s in catalogue.stories.values() if s.url] == []
    root, _ = read_file(repo / "data" / "figures.yaml")
    keys, stack = [], [root]
    while stack:
        node = stack.pop()
        if isinstance(node, YMap):
            keys.extend(node)
            stack.extend(node.values())
        elif isinstance(node, YSeq):
            stack.extend(node)
    assert "quote" in keys and "url" not in keys


def test_every_referenced_source_and_story_exists(catalogue):
    for figure in catalogue.figures:
        assert figure.story in catalogue.stories, figure.id
        for claim in figure.claims:
            assert claim.source in catalogue.sources, (figure.id, claim.source)
            assert set(claim.via) <= set(catalogue.sources), (figure.id, claim.via)


def _numbers_in(article: str) -> set[int | float]:
    found = set()
    for match in NUMBER.finditer(article):
        digits, scale = match.group(0).split()[0].replace(",", ""), match.group(2) or ""
        number = float(digits) * SCALES[scale]
        found.add(int(number) if number.is_integer() else number)
    return found


def test_a_missing_article_fails_instead_of_skipping(tmp_path):
    with pytest.raises(pytest.fail.Exception, match="the source article is missing"):
        read_article(tmp_path / "seed-article.txt")


def test_number_regex_reads_the_articles_ways_of_writing_numbers():
    assert _numbers_in("more than $7 billion, $48 million, 23,825 Humvees, a 30-day war, 70 per cent, 2.5 m") == {7_000_000_000, 48_000_000, 23_825, 30, 70, 2.5}


def test_every_number_in_digits_in_the_article_is_in_the_catalogue(catalogue):
    article = read_article()
    in_catalogue = {n for f in catalogue.figures for c in f.claims for n in (c.value, c.low, c.high) if n is not None}

    in_article = _numbers_in(article)

    assert in_article - DATE_PARTS - in_catalogue == set()
    assert {7_000_000_000, 48_000_000, 23_825, 900, 42_000, 119, 30, 300, 70} <= in_article


def test_date_part_exceptions_really_are_dates_in_the_article():
    article = read_article()
    for number in DATE_PARTS & _numbers_in(article):
        for match in re.finditer(rf"(?<![\d,]){number}(?![\d,])", article):
            around = article[max(0, match.start() - 12): match.end() + 12]
            is_year = number >= 1900
            assert is_year or re.search(rf"{number} ({MONTHS})", around), f"{number} is used as a number, not a date part: {around!r}"
