"""Numbers as newsrooms write them (:mod:`figures.numbers`): every form found, dates and names never."""

from __future__ import annotations

import pytest

from figures.numbers import mentions, qualifier_words


@pytest.mark.parametrize(
    ("sentence", "written", "values", "currency", "percent"),
    [
        ("The military equipment included 23,825 Humvees.", "23,825", (23825,), None, False),
        ("troops had left more than $7 billion worth of weapons", "$7 billion", (7e9,), "USD", False),
        ("a $7bn arsenal", "$7bn", (7e9,), "USD", False),
        ("a bill of £62billion, the Treasury said", "£62billion", (62e9,), "GBP", False),
        ("as well as $48 million worth of ammunition", "$48 million", (48e6,), "USD", False),
        ("aid worth €1.5 trillion", "€1.5 trillion", (1.5e12,), "EUR", False),
        ("enough for “two or three” more mass strikes", "two or three", (2, 3), None, False),
        ("half a million people fled", "half a million", (500_000,), None, False),
        ("nine hundred combat vehicles", "nine hundred", (900,), None, False),
        ("twenty-three thousand eight hundred and twenty-five Humvees", "twenty-three thousand eight hundred and twenty-five", (23825,), None, False),
        ("a million rounds", "a million", (1e6,), None, False),
        ("70 per cent of American weapons", "70 per cent", (70,), None, True),
        ("70% of American weapons", "70%", (70,), None, True),
        ("3.5 percent of the budget", "3.5 percent", (3.5,), None, True),
        ("Putin planned for a 30-day war", "30", (30,), None, False),
        ("firing for almost 300 days", "300", (300,), None, False),
        ("between 2-3 million people", "2-3 million", (2e6, 3e6), None, False),
        ("from 14 to 21 days", "14 to 21", (14, 21), None, False),
        # decimals that look like a clock (3.45, 1.25) are amounts when a scale, a sign or a percent follows or leads
        ("3.45 million people", "3.45 million", (3.45e6,), None, False),
        ("a $2.50 million deal", "$2.50 million", (2.5e6,), "USD", False),
        ("worth 1.25bn", "1.25bn", (1.25e9,), None, False),
        ("inflation hit 12.75 percent", "12.75 percent", (12.75,), None, True),
        ("priced 19.99 each", "19.99", (19.99,), None, False),
        # a figure at the very start of a text, and signs of more than one character
        ("US$48 million in aid", "US$48 million", (48e6,), "USD", False),
        ("Rs. 500 for each family", "Rs. 500", (500,), "INR", False),
        # a scaled decimal is kept to 9 significant digits: 1.1 × 1e9 is 1100000000.0000002 in floating point
        ("$1.1bn in loans", "$1.1bn", (1_100_000_000,), "USD", False),
    ],
)
def test_each_way_newsrooms_write_a_number_is_read_with_its_value(sentence, written, values, currency, percent):
    (found,) = mentions(sentence)

    assert (found.written, found.values, found.currency, found.percent) == (written, tuple(float(v) for v in values), currency, percent)
    assert sentence[found.start:found.end] == written


@pytest.mark.parametrize(
    "sentence",
    [
        "after its withdrawal in August 2021",
        "met with Pakistani officials in Islamabad on Wednesday (25 January)",
        "on January 25, 2023, at 10:30",
        "the meeting began at 10:30 sharp",  # neither the hour nor the minutes
        "at 10.30am",
        "at 9pm on 1st of May",
        "The visuals had gone viral in 2021.",
        "the 1990s",
        "published 2023-01-25",
        "M1117 armoured cars, C-130 planes, Su-25 jets and F-16s",
        "during Covid-19, over G7 and 5G",
        "the 25th anniversary",
        "one of them said no",
    ],
)
def test_dates_times_names_with_digits_and_a_lone_one_are_never_figures(sentence):
    assert mentions(sentence) == []


def test_every_figure_of_a_sentence_is_found_in_order():
    sentence = "70 per cent of American weapons as well as $48 million worth of ammunition, and 23,825 Humvees in August 2021"

    assert [m.written for m in mentions(sentence)] == ["70 per cent", "$48 million", "23,825"]


@pytest.mark.parametrize(
    ("sentence", "number", "expected"),
    [
        ("left more than $7 billion", "$7", ("more_than", "more than")),
        ("over 3 million people", "3", ("more_than", "over")),
        ("around 900 combat vehicles", "900", ("approximately", "around")),
        ("some 900 vehicles", "900", ("approximately", "some")),
        ("an estimated 900 vehicles", "900", ("approximately", "an estimated")),
        ("for almost 300 days", "300", ("just_under", "almost")),
        ("nearly 300 days", "300", ("just_under", "nearly")),
        ("just under 300 days", "300", ("just_under", "just under")),
        ("As many as 42,000 pieces", "42,000", ("at_most", "as many as")),
        ("up to 42,000 pieces", "42,000", ("at_most", "up to")),
        ("at least 12 people", "12", ("at_least", "at least")),
        ("fewer than 12 people", "12", ("less_than", "fewer than")),
        ("only enough for “two or three”", "two", None),
        ("estimates state 22,174", "22,174", None),
        ("the cover 900 pages", "900", None),
    ],
)
def test_the_words_before_a_number_say_how_exact_it_is(sentence, number, expected):
    assert qualifier_words(sentence, sentence.index(number)) == expected
