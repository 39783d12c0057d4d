"""The catalogue view's search index and the pager: what each filter keeps, and which page a URL gets."""

from __future__ import annotations

from pathlib import Path

import pytest

from figures.loader import load
from figures.search import Filters, SearchIndex, page_of

CATALOGUE = load(Path(__file__).parents[1] / "data" / "figures.yaml")
INDEX = SearchIndex(CATALOGUE)
ALL = [f.id for f in CATALOGUE.figures]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), ALL),
        (Filters(text="iskander"), ["russia-iskander-stock"]),
        (Filters(text="  ISKANDER  "), ["russia-iskander-stock"]),
        (Filters(text="no such words"), []),
        (Filters(text="government of ukraine"), [f.id for f in CATALOGUE.figures if any(c.claimant == "Government of Ukraine" for c in f.claims)]),
        (Filters(topics=frozenset({"Russian arms stocks"})), [f.id for f in CATALOGUE.figures if "Russian arms stocks" in f.topics]),
        (Filters(confidence=frozenset({"claimed"})), ["russia-iskander-stock", "russia-planned-war-length", "russia-cruise-missile-mass-strikes"]),
        (Filters(stories=frozenset({"no-such-story"})), []),
        (Filters(text="iskander", confidence=frozenset({"reported"})), []),
    ],
    ids=["nothing", "word", "case-and-spaces", "no-match", "claimant-text", "topic", "confidence", "unknown-story", "text-and-facet"],
)
def test_find_keeps_what_every_filter_allows_in_catalogue_order(filters, expected):
    assert INDEX.find(filters) == expected


def test_facet_choices_are_sorted_regardless_of_case_and_complete():
    assert INDEX.facets["topics"] == sorted({t for f in CATALOGUE.figures for t in f.topics}, key=lambda s: (s.casefold(), s))
    assert INDEX.facets["claimants"] == sorted({c.claimant for f in CATALOGUE.figures for c in f.claims}, key=lambda s: (s.casefold(), s))
    assert INDEX.facets["claimants"][:2] == ["a US Department of Defense report", "Admiral Sir Tony Radakin, Britain's armed forces chief"]
    assert len(INDEX) == len(CATALOGUE.figures)


def test_facet_matches_any_chosen_value():
    ukraine = INDEX.find(Filters(claimants=frozenset({"Government of Ukraine"})))
    adviser = INDEX.find(Filters(claimants=frozenset({"Mykhailo Podolyak, senior adviser to the Ukrainian president"})))
    both = INDEX.find(Filters(claimants=frozenset({"Government of Ukraine", "Mykhailo Podolyak, senior adviser to the Ukrainian president"})))
    assert ukraine and adviser and not set(ukraine) & set(adviser)
    assert both == [i for i in ALL if i in ukraine + adviser]


@pytest.mark.parametrize(
    ("page", "number", "shown"),
    [(None, 1, [0, 1, 2, 3, 4]), (1, 1, [0, 1, 2, 3, 4]), ("2", 2, [5, 6, 7, 8, 9]), ("3", 3, [10, 11]), ("99", 3, [10, 11]),
     ("0", 1, [0, 1, 2, 3, 4]), ("-2", 1, [0, 1, 2, 3, 4]), ("two", 1, [0, 1, 2, 3, 4]), ("", 1, [0, 1, 2, 3, 4]), ("2.5", 1, [0, 1, 2, 3, 4])],
)
def test_page_of_clamps_what_a_url_asks_for(page, number, shown):
    items, pager = page_of(list(range(12)), 5, page)
    assert list(items) == shown
    assert (pager.page, pager.pages, pager.total) == (number, 3, 12)
    assert (pager.first, pager.last) == (shown[0] + 1, shown[-1] + 1)


def test_page_of_nothing_is_one_empty_page():
    items, pager = page_of([], 5, "4")
    assert list(items) == [] and (pager.page, pager.pages, pager.first, pager.last) == (1, 1, 0, 0)


@pytest.mark.parametrize(("total", "size", "page", "caption"), [
    (10, 3, 1, "Figures 1–3 of 10 · page 1 of 4"),
    (10, 3, 4, "Figure 10 of 10 · page 4 of 4"),
    (10_000, 3, 3334, "Figure 10,000 of 10,000 · page 3,334 of 3,334"),
    (25_000, 10, 2, "Figures 11–20 of 25,000 · page 2 of 2,500"),
])
def test_a_page_says_where_it_sits_in_words_and_grouped_digits(total, size, page, caption):
    assert page_of(list(range(total)), size, page)[1].caption() == caption
