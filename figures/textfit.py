"""Measuring and wrapping text in the house font, and choosing a wrapping as Vega lays a chart out.

Pure Python. Text is measured with the advance widths of DejaVu Sans (the
house font, :data:`figures.theme.FONT`), so a line never runs past the width
it was wrapped for. A chart that fills its container wraps each text for every
plot width of :data:`WRAP_WIDTHS` and lets Vega pick, from the :data:`TEXT_WIDTH`
signal, the widest wrapping that fits (:func:`by_width`). Every literal written
into a Vega expression goes through :func:`js_literal`.
"""

from __future__ import annotations

import functools
import json
import unicodedata
from collections.abc import Iterable

import altair as alt

WRAP_WIDTHS = (170, 200, 230, 260, 300, 340, 380, 430, 480, 540, 600, 670, 750, 850, 960)
"""Plot widths in pixels that a chart filling its container wraps its text for.

The chart draws, as Vega lays it out, the wrapping for the widest of these that
is no wider than :data:`TEXT_WIDTH`, so text never runs past the plot.
"""
TEXT_WIDTH = "text_width"
"""The Vega signal a chart filling its container wraps its text for: the container's width less the padding and axis room.

Derived from the container rather than from the plot's ``width`` signal, so it
is already final on Vega's first layout pass: the plot width only settles on
the second, which does not lay out the height again, so text that gained a line
there would run over the top of the chart.
"""
TEXT_SLACK = 1.04
"""Measured text is taken this much wider than DejaVu Sans draws it (kerning, hinting, rounding)."""

_GLYPHS = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~·→−–—‘’“”…£€¥×°±≈é"
_ADVANCES = {
    False: (318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636, 636, 636, 636,
            337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635,
            611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974,
            634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838, 318, 838, 838, 500, 1000, 318, 318, 518, 518,
            1000, 636, 636, 636, 838, 500, 838, 838, 615),
    True: (348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696, 696, 696, 696, 696,
           400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720,
           682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042,
           712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838, 380, 838, 838, 500, 1000, 380, 380, 657, 657,
           1000, 696, 696, 696, 838, 500, 838, 838, 678),
}
"""Advance widths in thousandths of an em of DejaVu Sans (Book and Bold), the house font, for :data:`_GLYPHS`."""
_WIDTHS = {bold: dict(zip(_GLYPHS, advances, strict=True)) for bold, advances in _ADVANCES.items()}


# -- measuring ------------------------------------------------------------------------------

def text_px(text: str, size: float, bold: bool = False) -> float:
    """How wide ``text`` is drawn in DejaVu Sans, a little generously (other fonts draw narrower).

    Characters outside the table count as wide as an ``M`` (a full em when East
    Asian wide); joiners, marks and direction controls count nothing.

    Parameters
    ----------
    text : str
        One line of text.
    size : float
        Font size in pixels.
    bold : bool
        Measure the bold face.

    Returns
    -------
    float
        The width in pixels, :data:`TEXT_SLACK` times what DejaVu Sans draws.
    """
    return _advance_px(_advance(text, bold), size)


def _advance_px(advance: int, size: float) -> float:
    return advance * size / 1000 * TEXT_SLACK


@functools.lru_cache(maxsize=8192)
def _advance(text: str, bold: bool) -> int:
    """The advance width of ``text`` in thousandths of an em (a whole number, so widths add up exactly)."""
    widths = _WIDTHS[bold]
    total = 0
    for char in text:
        advance = widths.get(char)
        if advance is None:
            if unicodedata.category(char) in ("Mn", "Me", "Cf"):
                advance = 0
            else:
                advance = 1000 if unicodedata.east_asian_width(char) in ("W", "F") else widths["M"]
        total += advance
    return total


# -- wrapping -------------------------------------------------------------------------------

def fit_lines(paragraphs: Iterable[str], px: float, font_size: float, bold: bool = False) -> list[str]:
    """Wrap each paragraph to lines no wider than ``px`` pixels as :func:`text_px` measures them.

    A line's width is the sum of its words' and spaces' advances, so each
    word is measured once (and once for every width of :data:`WRAP_WIDTHS`).
    Words too long for a line are split.

    Parameters
    ----------
    paragraphs : iterable of str
        Each starts a new line; an empty one is an empty line.
    px : float
        The widest a line may be, in pixels.
    font_size : float
        Font size in pixels.
    bold : bool
        Measure the bold face.

    Returns
    -------
    list of str
        The lines, greedily filled.
    """
    space = _advance(" ", bold)
    lines: list[str] = []
    for paragraph in paragraphs:
        line, used = "", 0
        for word in paragraph.split():
            advance = _advance(word, bold)
            if _advance_px(advance, font_size) > px:
                pieces = _split_word(word, px, font_size, bold)
                lines.extend(([line] if line else []) + pieces[:-1])
                line, used, word = "", 0, pieces[-1]
                advance = _advance(word, bold)
            joined = used + space + advance if line else advance
            if _advance_px(joined, font_size) <= px:
                line, used = (f"{line} {word}" if line else word), joined
            else:
                lines.append(line)
                line, used = word, advance
        lines.append(line)
    return lines


def _split_word(word: str, px: float, font_size: float, bold: bool) -> list[str]:
    """A word too long for a line, cut into pieces that each fit (one character at least)."""
    pieces, piece, used = [], "", 0.0
    for char in word:
        advance = text_px(char, font_size, bold)
        if piece and used + advance > px:
            pieces.append(piece)
            piece, used = "", 0.0
        piece, used = piece + char, used + advance
    return pieces + [piece]


def fit_tiers(paragraphs: Iterable[str], font_size: float, bold: bool = False) -> list[list[str]]:
    """The paragraphs wrapped by :func:`fit_lines` for each plot width of :data:`WRAP_WIDTHS`, narrowest first."""
    paragraphs = list(paragraphs)
    return [fit_lines(paragraphs, px, font_size, bold) for px in WRAP_WIDTHS]


# -- choosing by width, as Vega lays the chart out ------------------------------------------

def by_width(values: list) -> object:
    """One value per width of :data:`WRAP_WIDTHS`: the widest that fits, picked by Vega from :data:`TEXT_WIDTH`.

    Parameters
    ----------
    values : list
        A value for each width of :data:`WRAP_WIDTHS`, narrowest first.

    Returns
    -------
    object
        The value itself when all agree, else an ``alt.ExprRef`` choosing it.
    """
    if all(v == values[0] for v in values):
        return values[0]
    expr = js_literal(values[0])
    for px, value, previous in zip(WRAP_WIDTHS[1:], values[1:], values, strict=False):
        if value != previous:
            expr = f"{TEXT_WIDTH} >= {px} ? {js_literal(value)} : {expr}"
    return alt.expr(expr)


def tier_index() -> str:
    """A Vega expression: the index in :data:`WRAP_WIDTHS` of the widest width no wider than :data:`TEXT_WIDTH` (0 when none is)."""
    expr = "0"
    for index, px in enumerate(WRAP_WIDTHS[1:], start=1):
        expr = f"{TEXT_WIDTH} >= {px} ? {index} : {expr}"
    return f"({expr})"


def js_literal(value: object) -> str:
    """A Vega expression literal for a string, number or list of them.

    JSON, without the line separators JavaScript refuses in a string, so any
    text (quotes, backslashes, newlines) survives.
    """
    return json.dumps(value, ensure_ascii=False).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
