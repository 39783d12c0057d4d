"""The tidy CSV: every column, formulas neutralised, numbers kept, RFC 4180, UTF-8, a faithful round trip."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from figures.exports import EXPORTERS, MEDIA_TYPES, catalogue_csv, csv_cell, neutralise, read_csv, restore, rows_to_csv
from figures.frames import CSV_COLUMNS, NUMERIC_COLUMNS
from figures.loader import load, load_text
from figures.model import Catalogue

OWASP_PAYLOADS = [
    '=HYPERLINK("http://x","y")',
    "=1+1",
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
    "-3.2",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "=cmd|' /C notepad'!'A1'",
]


@pytest.fixture
def real(repo):
    catalogue = load(repo / "data" / "figures.yaml")
    assert catalogue.ok, [str(p) for p in catalogue.problems]
    return catalogue


def raw_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


@pytest.mark.parametrize("payload", OWASP_PAYLOADS)
def test_formula_text_is_prefixed_with_a_quote(payload):
    assert neutralise(payload) == "'" + payload
    assert csv_cell(payload) == "'" + payload


@pytest.mark.parametrize("text", ["plain", "", " =leading space", "a=b", "3 to 5", "'quoted", "'", "''", "It’s “curly”", "5"])
def test_harmless_text_is_unchanged(text):
    assert neutralise(text) == text


@pytest.mark.parametrize(
    "text",
    [*OWASP_PAYLOADS, "plain", "", "'", "''", "'=", "''=", "'''=1", "'plain", "'-3", "=", "-", "@", "'\t", "it's", "“two or three”"],
)
def test_neutralise_then_restore_gives_the_text_back(text):
    assert restore(neutralise(text)) == text


@pytest.mark.parametrize(("text", "neutralised"), [("'=", "''="), ("''=1", "'''=1"), ("'plain", "'plain")])
def test_text_already_starting_with_a_quote_gets_one_more_only_before_a_formula(text, neutralised):
    assert neutralise(text) == neutralised


@pytest.mark.parametrize(
    ("value", "cell"),
    [(None, ""), (0, "0"), (-3, "-3"), (-3.2, "-3.2"), (7_000_000_000, "7000000000"), (7e9, "7000000000"), (2.5, "2.5"), (1e20, "1e+20"), (True, "true"), ("x", "x")],
)
def test_csv_cell_writes_numbers_as_numbers(value, cell):
    assert csv_cell(value) == cell


@pytest.mark.parametrize("payload", OWASP_PAYLOADS)
def test_formula_in_every_text_column_is_neutralised_and_numbers_stay_numbers(payload):
    row = {c: payload for c in CSV_COLUMNS if c not in NUMERIC_COLUMNS}
    row.update(value=-3.2, low=-5, high=-1, value_canonical=-3.2, low_canonical=None, high_canonical=0.5, credibility=2)

    data = rows_to_csv([row])

    header, cells = raw_rows(data)
    written = dict(zip(header, cells, strict=True))
    for column in CSV_COLUMNS:
        if column not in NUMERIC_COLUMNS:
            assert written[column] == "'" + payload, column
    assert (written["value"], written["low"], written["high"], written["low_canonical"], written["credibility"]) == ("-3.2", "-5", "-1", "", "2")
    assert b",-3.2,-5,-1," in data  # unquoted, no apostrophe
    (back,) = read_csv(data)
    assert back["value"] == -3.2 and back["low"] == -5 and isinstance(back["low"], int)
    assert back["claimant"] == payload


def test_every_csv_column_is_in_the_header_in_order(real):
    header = raw_rows(catalogue_csv(real))[0]

    assert header == list(CSV_COLUMNS)
    assert set(NUMERIC_COLUMNS) <= set(CSV_COLUMNS)


def test_round_trip_of_the_real_catalogue_keeps_every_claim(real):
    rows = read_csv(catalogue_csv(real))
    claims = [(f, c) for f in real.figures for c in f.claims]

    assert len(rows) == len(claims) == real.claim_count
    for row, (figure, claim) in zip(rows, claims, strict=True):
        assert row["figure_id"] == figure.id
        assert (row["value"], row["low"], row["high"]) == (claim.value, claim.low, claim.high)
        assert row["qualifier"] == claim.qualifier.value
        assert row["unit"] == figure.unit
        assert row["source"] == claim.source
        assert row["confidence"] == claim.confidence.value
        assert row["quote"] == claim.quote
        assert row["as_of"] == claim.as_of.iso
        assert row["confidence_note"] == claim.confidence_note


def test_round_trip_of_hostile_text_through_yaml_and_csv(catalogue_text):
    claimant = '=HYPERLINK("http://x","y")'
    quote = "+cmd|' /C calc'!A0"
    text = catalogue_text("claimant: Someone", "claimant: '=HYPERLINK(\"http://x\",\"y\")'").replace('quote: "five"', "quote: \"+cmd|' /C calc'!A0\"")
    catalogue = load_text(text)
    assert catalogue.ok

    data = catalogue_csv(catalogue, catalogue.figure("target"))

    header, cells = raw_rows(data)
    written = dict(zip(header, cells, strict=True))
    assert (written["claimant"], written["quote"]) == ("'" + claimant, "'" + quote)
    (row,) = read_csv(data)
    assert (row["claimant"], row["quote"]) == (claimant, quote)


def test_csv_is_rfc4180_with_crlf_and_doubled_quotes():
    row = dict.fromkeys(CSV_COLUMNS)
    row.update(figure_id="a", quote='He said "two or three", then left', claimant="line one\nline two", value=1)

    data = rows_to_csv([row, row])

    assert data.count(b"\r\n") == 3  # header and two rows; the newline inside a quoted cell stays a bare LF
    assert data.endswith(b"\r\n")
    assert b'"He said ""two or three"", then left"' in data
    assert b'"line one\nline two"' in data
    assert read_csv(data)[1]["claimant"] == "line one\nline two"


def test_csv_is_utf8_with_the_articles_curly_quotes_intact(real):
    data = catalogue_csv(real)

    text = data.decode("utf-8")
    assert not data.startswith(b"\xef\xbb\xbf")
    assert "“two or three”" in text
    assert "Taliban’s takeover" in text
    assert "’".encode() in data and "“".encode() in data  # U+2019 and U+201C as UTF-8, not mojibake or escapes


def test_pandas_reads_it_as_a_real_csv(real):
    frame = pd.read_csv(io.BytesIO(catalogue_csv(real)), encoding="utf-8")

    assert list(frame.columns) == list(CSV_COLUMNS)
    assert len(frame) == real.claim_count
    assert pd.api.types.is_numeric_dtype(frame["value"])
    assert frame.loc[frame["figure_id"] == "humvees-left", "value"].item() == 23825
    assert frame.loc[frame["figure_id"] == "us-equipment-left-value", "value"].item() == 7_000_000_000
    strikes = frame.loc[frame["figure_id"] == "russia-cruise-missile-mass-strikes"].iloc[0]
    assert (strikes["low"], strikes["high"], pd.isna(strikes["value"])) == (2, 3, True)
    assert frame["quote"].str.contains("“two or three”", regex=False).any()


def test_one_figure_exports_only_its_claims(real):
    figure = real.figure("russia-iskander-stock")

    rows = read_csv(catalogue_csv(real, figure))

    assert [(r["figure_id"], r["value"], r["as_of"]) for r in rows] == [("russia-iskander-stock", 900, "2022-02"), ("russia-iskander-stock", 119, "2022-11")]


def test_exporters_table_gives_the_same_bytes_as_the_function(real):
    assert EXPORTERS["csv"](real, None) == catalogue_csv(real)
    assert MEDIA_TYPES["csv"] == "text/csv"
    assert set(EXPORTERS) == set(MEDIA_TYPES)


def test_empty_catalogue_exports_just_the_header():
    data = catalogue_csv(Catalogue(path="x"))

    assert data == (",".join(CSV_COLUMNS) + "\r\n").encode("utf-8")
    assert read_csv(data) == []
