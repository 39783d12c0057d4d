"""Exports: the tidy CSV now; images and pages join this table in later work.

``EXPORTERS`` maps a format name to a function that turns a catalogue (and,
for per-figure formats, one figure) into bytes. The app and the command line
both go through it, so a download and ``figures export`` give the same file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable

from figures.frames import CSV_COLUMNS, NUMERIC_COLUMNS, claim_rows
from figures.model import Catalogue, Figure

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
"""A text cell starting with one of these runs as a formula in a spreadsheet (OWASP)."""


def neutralise(text: str) -> str:
    """Prefix ``'`` to a text cell a spreadsheet would run as a formula.

    A cell that already starts with ``'`` before such a character gets one
    more, so :func:`restore` can undo exactly what was done.
    """
    return "'" + text if _needs_quote(text) else text


def restore(text: str) -> str:
    """Undo :func:`neutralise`."""
    if text.startswith("'") and _needs_quote(text[1:]):
        return text[1:]
    return text


def _needs_quote(text: str) -> bool:
    if not text:
        return False
    if text[0] in FORMULA_START:
        return True
    return text[0] == "'" and _needs_quote(text[1:])


def csv_cell(value: object) -> str:
    """One CSV cell: numbers as plain numbers, text neutralised, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    return neutralise(str(value))


def rows_to_csv(rows: Iterable[dict[str, object]]) -> bytes:
    """Write rows as RFC 4180 CSV (CRLF line ends, UTF-8, header first)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([csv_cell(row.get(c)) for c in CSV_COLUMNS])
    return buffer.getvalue().encode("utf-8")


def catalogue_csv(catalogue: Catalogue, figure: Figure | None = None) -> bytes:
    """The tidy CSV of the whole catalogue, or of one figure."""
    return rows_to_csv(claim_rows(catalogue, None if figure is None else (figure,)))


def read_csv(data: bytes) -> list[dict[str, object]]:
    """Read our CSV back: numbers as numbers, neutralised cells restored, empty cells None."""
    reader = csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))
    out = []
    for raw in reader:
        row: dict[str, object] = {}
        for key, cell in raw.items():
            if cell == "":
                row[key] = None
            elif key in NUMERIC_COLUMNS:
                row[key] = int(cell) if cell.lstrip("-").isdigit() else float(cell)
            else:
                row[key] = restore(cell)
        out.append(row)
    return out


Exporter = Callable[[Catalogue, "Figure | None"], bytes]
EXPORTERS: dict[str, Exporter] = {
    "csv": catalogue_csv,
}
"""Format name to exporter; each takes the catalogue and an optional figure."""

MEDIA_TYPES = {"csv": "text/csv"}
