"""Charts: one Altair chart per figure, drawn as the story worded the number.

Pure Python (no Streamlit). Each chart is a single layered Vega-Lite view so
``width="container"`` stays valid, and carries its own title, a source line at
its foot (drawn inside the chart, so it survives a screenshot or an export) and
an accessible description that states the numbers in words.

Shapes
------
* one claim: a row drawn by its qualifier (bar, open-ended arrow, cap, range);
* claims at different dates: a line over time with the change labelled;
* claims at one date by different claimants: one row per claimant;
* several figures of one dimension: :func:`comparison_chart`.

A chart drawn at a fixed width (the exports) wraps its words for that width. A
chart that fills its container (``width=None``) is drawn from 320 to 1200 pixels
wide: its title, subtitle, names and source line are wrapped for each width of
:data:`WRAP_WIDTHS` and Vega picks the one that fits as it lays the chart out;
a series moves its end labels off the sides and shortens its dates when narrow.

Importing this module registers and enables the house theme (:func:`register_theme`) and
turns off Altair's validation of every object as it is built (the tests validate every chart).
"""

from __future__ import annotations

import functools
import json
import math
import textwrap
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import altair as alt
import pandas as pd

from figures import formatting, units
from figures.model import Catalogue, Claim, Figure, Qualifier

THEME_NAME = "figures"
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
"""Okabe & Ito's colour-blind-safe palette; the first colour draws every value."""
INK, MUTED, FAINT, BACKGROUND = "#1A1A1A", "#595959", "#E3E3E3", "#FFFFFF"
ACCENT = OKABE_ITO[0]
CHANGE_COLOUR = OKABE_ITO[3]

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
NARROW_MARGIN = 12
"""Pixels between a narrow series' first or last point and the edge of its plot."""
LINE_STEP = 16
"""Pixels between the value label of a series' point and the change written under (or over) it."""
SUBTITLE_LINE, SUBTITLE_PADDING, TITLE_OFFSET = 17, 5, 14
"""Subtitle line height, the gap between title and subtitle, and the gap between the subtitle and the plot."""
NAME_LINE = 15
"""Line height of a row's name (claimant or figure title), wrapped above its value label."""
BAR_SIZE = 16
ROW_TOP, ROW_GAP = 3, 16
"""Space above a row's first line of text, and below its glyph."""
SERIES_HEIGHT = 220
DAY_MS = 86_400_000
SIDE_ROOM = 0.3
"""The most of a series' width the first or the last label may take beside the line."""
SERIES_HEADROOM = 1.15
"""The value axis of a series runs this far past the largest value, so labels above points stay inside."""
FOOT_GAP = 30
"""Pixels from the bottom of the plot to the source line (clears the x axis labels)."""
TITLE_SIZE, SUBTITLE_SIZE, LABEL_SIZE, NAME_SIZE, FOOT_SIZE = 16, 12.5, 13, 11.5, 10.5
OPEN_END_STRETCH = 1.4
"""How far past the largest value an open-ended ("more than") arrow runs."""
CLOSED_HEADROOM = 1.08
"""Room past the largest value otherwise, so one bar never looks like a full 100%."""

_SOLID = (Qualifier.EXACT, Qualifier.MORE_THAN, Qualifier.AT_LEAST, Qualifier.RANGE)
_OPEN_ENDED = (Qualifier.MORE_THAN, Qualifier.AT_LEAST)
_CEILING = (Qualifier.LESS_THAN, Qualifier.AT_MOST)
_TOOLTIP = [
    alt.Tooltip(field="claimant", type="nominal", title="Claimant"),
    alt.Tooltip(field="as_of", type="nominal", title="As of"),
    alt.Tooltip(field="label", type="nominal", title="Value"),
    alt.Tooltip(field="exactness", type="nominal", title="Exactness"),
    alt.Tooltip(field="confidence", type="nominal", title="Confidence"),
    alt.Tooltip(field="confidence_note", type="nominal", title="Why"),
]
# Encodings are channel objects, never shorthand strings or dicts: Altair turns those into
# objects by trying each schema in turn, which took most of the time of building a chart.
# Fields and types are named, not written "label:N": Altair parses a shorthand string again
# every time the chart is turned into a spec (a tenth of that time).
_LABEL = alt.Text(field="label", type="nominal")
_CHANGE = alt.Text(field="change", type="nominal")
_NAME = alt.Text(field="name", type="nominal")
_LEFT_EDGE = alt.XValue(0)


def _hollow_when(test: str) -> alt.FillValue:
    """Fill with the background (a hollow glyph) where ``test`` holds, else with the accent colour."""
    return alt.FillValue(ACCENT, condition={"test": test, "value": BACKGROUND})


# -- theme ----------------------------------------------------------------------------------

def register_theme() -> None:
    """Register the house theme under :data:`THEME_NAME` and enable it.

    Idempotent: registering again replaces the same entry, so it is safe on
    every import and every Streamlit rerun.
    """
    alt.theme.register(THEME_NAME, enable=True)(_theme)


def _theme() -> alt.theme.ThemeConfig:
    axis = {
        "labelFont": FONT, "titleFont": FONT, "labelFontSize": 11, "titleFontSize": 11.5,
        "labelColor": MUTED, "titleColor": MUTED, "titleFontWeight": "normal",
        "domainColor": "#8C8C8C", "tickColor": "#8C8C8C", "gridColor": FAINT, "labelPadding": 4,
    }
    return {
        "background": BACKGROUND,
        "padding": {"top": 18, "bottom": 16, "left": 18, "right": 24},
        "config": {
            "font": FONT,
            "view": {"stroke": None, "continuousWidth": 560, "continuousHeight": SERIES_HEIGHT},
            "title": {
                "font": FONT, "subtitleFont": FONT, "fontSize": TITLE_SIZE, "subtitleFontSize": SUBTITLE_SIZE,
                "fontWeight": "bold", "color": INK, "subtitleColor": MUTED, "anchor": "start",
                "lineHeight": 20, "subtitleLineHeight": SUBTITLE_LINE, "subtitlePadding": SUBTITLE_PADDING, "offset": TITLE_OFFSET,
                "frame": "group",
            },
            "axis": axis,
            "axisX": {"grid": True},
            "axisY": {"grid": True},
            "range": {"category": list(OKABE_ITO)},
            "mark": {"color": ACCENT},
            "bar": {"color": ACCENT},
            "line": {"color": ACCENT, "strokeWidth": 2.5},
            "point": {"color": ACCENT, "size": 80},
            "rule": {"color": ACCENT},
            "tick": {"color": ACCENT},
            "text": {"font": FONT, "color": INK, "fontSize": 12},
            "legend": {"labelFont": FONT, "titleFont": FONT},
        },
    }


register_theme()
# Altair validates every schema object against the Vega-Lite schema as it is built ("debug
# mode"), which took about half the time of building a chart. Exports skip validation anyway
# (vl-convert refuses an invalid spec) and tests/test_charts.py validates every chart in full.
alt.utils.schemapi.disable_debug_mode()


# -- public builders ------------------------------------------------------------------------

def figure_chart(figure: Figure, catalogue: Catalogue, width: int | None = None) -> alt.TopLevelMixin:
    """Chart one figure in the shape its claims have.

    Parameters
    ----------
    figure : Figure
        The figure; it must have at least one claim.
    catalogue : Catalogue
        For the sources and story named in the source line.
    width : int, optional
        Width of the plot in pixels; None fills the container (text is then
        wrapped for a narrow phone column).

    Returns
    -------
    alt.LayerChart
        A single view: title, subtitle, marks, the source line at its foot.
    """
    if not figure.claims:
        raise ValueError(f"figure {figure.id!r} has no claims to chart")
    if len(figure.claims) == 1:
        return _single_chart(figure, catalogue, width)
    if formatting.is_competing(figure):
        return _competing_chart(figure, catalogue, width)
    return _series_chart(figure, catalogue, width)


def chart_data(figure: Figure, catalogue: Catalogue) -> pd.DataFrame:
    """The data behind :func:`figure_chart`, one row per claim in date order, for a "show data" table.

    Columns: claimant, as_of (label), value, low, high, qualifier (in words),
    label (as the chart writes it), confidence, confidence_note, source.
    """
    records = [
        {
            "claimant": formatting.capitalised(c.claimant),
            "as_of": c.as_of.label,
            "value": c.value,
            "low": c.low,
            "high": c.high,
            "qualifier": c.qualifier.value.replace("_", " "),
            "label": formatting.claim_value(c, figure.unit_info),
            "confidence": formatting.CONFIDENCE_LABELS[c.confidence],
            "confidence_note": c.confidence_note,
            "source": _source_name(c.source, catalogue),
        }
        for c in _by_date(figure.claims)
    ]
    frame = pd.DataFrame.from_records(records, columns=["claimant", "as_of", "value", "low", "high", "qualifier",
                                                        "label", "confidence", "confidence_note", "source"])
    for column in ("value", "low", "high"):
        frame[column] = pd.to_numeric(frame[column])
    return frame


def comparison_groups(catalogue: Catalogue, story_id: str) -> list[list[Figure]]:
    """Figures of one story that can share an axis, in catalogue order.

    A group holds two or more figures with the same dimension (one currency at
    most) and the same topic, each with a single claim or a latest claim;
    figures whose claims compete are left out (there is no one value to draw).
    """
    groups: dict[tuple[str, str | None], list[Figure]] = {}
    for figure in catalogue.figures:
        if figure.story != story_id or _representative(figure) is None:
            continue
        key = (figure.unit_info.dimension, figure.topic)
        groups.setdefault(key, []).append(figure)
    return [group for group in groups.values() if len(group) >= 2]


def comparison_chart(figures: list[Figure], catalogue: Catalogue, width: int | None = None) -> alt.TopLevelMixin | None:
    """Horizontal bars of several figures on one axis, converted to their canonical unit.

    Parameters
    ----------
    figures : list of Figure
        Figures of one dimension (e.g. days and weeks; vehicles and pieces).
    catalogue : Catalogue
        For the source line.
    width : int, optional
        Plot width in pixels; None fills the container.

    Returns
    -------
    alt.LayerChart or None
        None when fewer than two of the figures have one value to draw
        (competing claims are left out).

    Raises
    ------
    units.UnitError
        When the dimensions differ (money against counts) or the currencies
        differ (USD against GBP): they must never share an axis.
    """
    _check_one_dimension(figures)
    chosen = [(f, c) for f in figures if (c := _representative(f)) is not None]
    if len(chosen) < 2:
        return None
    info = figures[0].unit_info
    rows = [_comparison_row(i, f, c) for i, (f, c) in enumerate(chosen)]
    converted = any(f.unit_info.factor != 1 for f, _ in chosen)
    topics = {f.topic for f, _ in chosen}
    title = "Compared on one scale" + (f": {topics.pop()}" if len(topics) == 1 and None not in topics else "")
    subtitle = _scale_note(info) + (" (converted where a source used another unit)" if converted else "")
    description = f"{title}. {subtitle}. " + "; ".join(f"{r['name']}: {r['label']}" for r in rows) + "."
    foot = _foot_text([(f, [c]) for f, c in chosen], catalogue)
    return _rows_chart(rows, info.canonical, width, title, subtitle, foot, description, named=True)


# -- the three shapes -----------------------------------------------------------------------

def _single_chart(figure: Figure, catalogue: Catalogue, width: int | None) -> alt.LayerChart:
    claim = figure.claims[0]
    row = _row(0, claim, figure.unit_info, name=None)
    subtitle = f"As of {claim.as_of.label} · {formatting.CONFIDENCE_LABELS[claim.confidence]}"
    description = f"{figure.title}: {_claim_sentence(claim, figure.unit_info, catalogue)}."
    return _rows_chart([row], figure.unit_info, width, figure.title, subtitle, formatting.source_line(figure, catalogue), description, named=False)


def _competing_chart(figure: Figure, catalogue: Catalogue, width: int | None) -> alt.LayerChart:
    claims = _by_date(figure.claims)
    dates = {c.as_of for c in claims}
    rows = []
    for index, claim in enumerate(claims):
        when = "" if len(dates) == 1 else f", {claim.as_of.label}"
        name = f"{formatting.capitalised(claim.claimant)}{when} · {formatting.CONFIDENCE_LABELS[claim.confidence]}"
        rows.append(_row(index, claim, figure.unit_info, name=name))
    when = f"as of {claims[0].as_of.label}" if len(dates) == 1 else "some for the same date"
    subtitle = f"{len(claims)} estimates by different sources, {when}"
    sentences = "; ".join(_claim_sentence(c, figure.unit_info, catalogue) for c in claims)
    description = f"{figure.title}: the sources disagree. {sentences}."
    return _rows_chart(rows, figure.unit_info, width, figure.title, subtitle, formatting.source_line(figure, catalogue), description, named=True)


def _series_chart(figure: Figure, catalogue: Catalogue, width: int | None) -> alt.LayerChart:
    """A line through the claims in date order, labelled like a slope chart: first value left of the line, last right.

    Filling its container, the chart keeps that layout while the plot is wide
    enough for the two labels beside the line; narrower, it draws the first and
    last labels above, below or inside their points, and shortens the dates.
    """
    claims = _by_date(figure.claims)
    records = [_series_record(c, figure.unit_info) for c in claims]
    top = max(max(r["high"] if r["high"] is not None else r["value"] for r in records), 0) * SERIES_HEADROOM or 1
    floor = _series_floor(records)
    _place_series_labels(records, top)
    change = _change(claims[0], claims[-1], figure.unit_info)
    records[-1]["change"] = change or ""
    fit = None if width else _SeriesFit.of(claims, records, top, bool(change))
    if fit is None:
        domain, axis = _date_domain(claims, records[0]["label"], records[-1]["label"], width), _date_axis(claims)
    else:
        domain, axis = alt.expr(fit.domain()), fit.date_axis(claims)
    # Dates travel as epoch milliseconds on a linear scale: Streamlit's Arrow transport does not
    # keep Vega's temporal parsing, and the axis labels are written out per claim anyway.
    x = alt.X(field="date", type="quantitative", title=None, axis=axis, scale=alt.Scale(type="linear", nice=False, zero=False, domain=domain))
    y_scale = alt.Scale(domain=[floor, top], nice=True, zero=True)
    y_axis = _value_axis(figure.unit_info, flush=False)

    def y(field: str) -> alt.Y:
        return alt.Y(field=field, type="quantitative", title=None, scale=y_scale, axis=y_axis)

    layers = [
        _layer(records).mark_line(strokeWidth=2.5).encode(x=x, y=y("value")),
        _layer([r for r in records if r["low"] is not None]).mark_rule(strokeWidth=3).encode(x=x, y=y("low"), y2=alt.Y2(field="high"), tooltip=_TOOLTIP),
        _layer(records).mark_point(size=90, strokeWidth=2.5, opacity=1).encode(
            x=x, y=y("value"), tooltip=_TOOLTIP, fill=_hollow_when("datum.hedged"),
        ),
    ]
    layers += _series_labels(records, x, y, bool(change)) if fit is None else fit.labels(records, x, y)
    subtitle = f"{formatting.headline(figure)} · {formatting.CONFIDENCE_LABELS[formatting.confidence_summary(figure)]}"
    sentences = "; then ".join(_claim_sentence(c, figure.unit_info, catalogue) for c in claims)
    description = f"{figure.title}, over time: {sentences}" + (f". Change from first to last: {change}." if change else ".")
    reserve = _value_labels_px(figure.unit_info, *fit.y_domain) + 11 if fit else 0  # the value axis: labels, tick, padding
    return _framed(layers, width, SERIES_HEIGHT, figure.title, subtitle, formatting.source_line(figure, catalogue), description, reserve)


def _series_labels(records: list[dict], x: alt.X, y, changed: bool) -> list[alt.Chart]:
    """The first value left of its point, the last (and the change) right of it, the others above a peak or below a dip."""
    bold = {"fontWeight": "bold", "fontSize": LABEL_SIZE, "baseline": "middle"}
    layers = [
        _layer(records[:1]).mark_text(align="right", dx=-12, **bold).encode(x=x, y=y("value"), text=_LABEL, tooltip=_TOOLTIP),
        _layer(records[-1:]).mark_text(align="left", dx=12, dy=-9 if changed else 0, **bold).encode(
            x=x, y=y("value"), text=_LABEL, tooltip=_TOOLTIP),
    ]
    if changed:
        layers.append(_layer(records[-1:]).mark_text(align="left", dx=12, dy=9, color=CHANGE_COLOUR, **bold).encode(
            x=x, y=y("value"), text=_CHANGE))
    for above, group in _groups(records[1:-1], lambda r: r["above"]):
        layers.append(_layer(group).mark_text(
            align="center", fontWeight="bold", fontSize=LABEL_SIZE, baseline="bottom" if above else "top", dy=-12 if above else 12,
        ).encode(x=x, y=y("label_y"), text=_LABEL, tooltip=_TOOLTIP))
    return layers


def _series_floor(records: list[dict]) -> float:
    """The bottom of a series' value axis: zero, or the lowest value or range end below it."""
    return min(0, *(r["value"] if r["low"] is None else min(r["low"], r["value"]) for r in records))


def _place_series_labels(records: list[dict], top: float) -> None:
    """Above a peak, below a dip (unless that would run into the bottom of the axis); ranges label their end, not their middle."""
    values = [r["value"] for r in records]
    floor = _series_floor(records)
    for i, record in enumerate(records):
        neighbours = values[max(i - 1, 0):i] + values[i + 1:i + 2]
        bottom = record["value"] if record["low"] is None else record["low"]
        near_floor = (bottom - floor) / (top - floor) * SERIES_HEIGHT < LABEL_SIZE + 20
        record["above"] = record["value"] >= sum(neighbours) / len(neighbours) or near_floor
        ends = (record["high"], record["low"]) if record["low"] is not None else (record["value"], record["value"])
        record["label_y"] = ends[0] if record["above"] else ends[1]


def _date_domain(claims: list[Claim], first_label: str, last_label: str, width: int) -> list[int]:
    """The claims' dates with room on the left for the first label and on the right for the last (a fixed-width plot)."""
    first, last = _date_span(claims)
    left, right = (min(SIDE_ROOM, (len(label) * LABEL_SIZE * 0.66 + 16) / width) for label in (first_label, last_label))
    span = (last - first) / (1 - left - right)
    return [first - int(span * left), last + int(span * right)]


def _date_span(claims: list[Claim]) -> tuple[int, int]:
    first, last = _timestamp(claims[0].as_of.midpoint), _timestamp(claims[-1].as_of.midpoint)
    if last <= first:  # "2022" and "1 July 2022" share a midpoint
        first -= DAY_MS * 30
    return first, last


_NARROW_PLACES = {
    # name: (baseline, label dy, change dy, beside the point rather than over or under it)
    "above": ("bottom", -9 - LINE_STEP, -9, False),
    "below": ("top", 9, 9 + LINE_STEP, False),
    "beside-low": ("middle", 0, LINE_STEP, True),
    "beside-high": ("middle", 0, -LINE_STEP, True),
}


def _narrow_offsets(place: str, stacked: bool) -> tuple[float, float]:
    """Vertical offsets of an end label and of the change under it in ``place``; a label alone above its point sits lowest."""
    baseline, label_dy, change_dy, _ = _NARROW_PLACES[place]
    return (change_dy if baseline == "bottom" and not stacked else label_dy), change_dy


@dataclass(frozen=True)
class _SeriesFit:
    """How a series that fills its container lays out its dates and end labels at any plot width.

    At ``wide`` pixels and more, the first label sits left of the line and the
    last right of it, in side room kept free by the x domain (as at a fixed
    width). Narrower, the points sit :data:`NARROW_MARGIN` from the plot's edges
    and each end label goes where it misses the line: above, below or inside
    its point. Dates are written short ("Feb 2022") below ``long_dates`` pixels.
    """

    first: int
    last: int
    left: float
    right: float
    wide: int
    y_domain: tuple[float, float]
    changed: bool
    long_dates: int = 0
    places: tuple[str, str] = ("above", "above")
    middles: tuple[str, ...] = ()

    @classmethod
    def of(cls, claims: list[Claim], records: list[dict], top: float, changed: bool) -> _SeriesFit:
        first, last = _date_span(claims)
        left = _text_px(records[0]["label"], LABEL_SIZE, bold=True) + 16
        right = max(_text_px(records[-1]["label"], LABEL_SIZE, bold=True), _text_px(records[-1]["change"], LABEL_SIZE, bold=True)) + 16
        y_domain = _nice_domain(_series_floor(records), top)
        fit = cls(first, last, left, right, math.ceil(max(left, right) / SIDE_ROOM), y_domain, changed)
        return replace(fit, places=(fit._narrow_place(records, 0), fit._narrow_place(records, len(records) - 1)),
                       middles=tuple(fit._middle_align(r) for r in records[1:-1]), long_dates=fit._long_dates_from(claims))

    # -- geometry, in pixels from the plot's top left corner ----------------------------------

    def x_px(self, stamp: float, width: float) -> float:
        span = self.last - self.first
        if width >= self.wide:
            lo, hi = self.left, width - self.right
        else:
            lo, hi = NARROW_MARGIN, width - NARROW_MARGIN
        return lo + (stamp - self.first) / span * (hi - lo)

    def y_px(self, value: float) -> float:
        lo, hi = self.y_domain
        return SERIES_HEIGHT * (1 - (value - lo) / (hi - lo))

    def domain(self) -> str:
        """The x domain as a Vega expression of the plot width: side room when wide, a small margin when narrow."""
        a, b, d = self.first, self.last, self.last - self.first
        room = f"(width - {self.left:.0f} - {self.right:.0f})"
        narrow = f"max(width - {2 * NARROW_MARGIN}, 1)"
        return (f"width >= {self.wide} ? [{a} - {d} * {self.left:.0f} / {room}, {b} + {d} * {self.right:.0f} / {room}]"
                f" : [{a} - {d} * {NARROW_MARGIN} / {narrow}, {b} + {d} * {NARROW_MARGIN} / {narrow}]")

    def _by_mode(self, wide: object, narrow: object) -> alt.ExprRef | object:
        """``wide`` on a plot at least :attr:`wide` pixels wide, else ``narrow``."""
        return wide if wide == narrow else alt.expr(f"width >= {self.wide} ? {_js_value(wide)} : {_js_value(narrow)}")

    # -- end labels ---------------------------------------------------------------------------

    def _block(self, records: list[dict], index: int, place: str, width: float) -> tuple[float, float, float, float]:
        """The box the label (and change) of an end point would take in ``place`` at ``width``, as x1, x2, y1, y2."""
        record = records[index]
        last = index == len(records) - 1 and index > 0
        lines = [record["label"]] + ([record["change"]] if last and self.changed else [])
        text = max(_text_px(line, LABEL_SIZE, bold=True) for line in lines)
        baseline, _, _, beside = _NARROW_PLACES[place]
        label_dy, change_dy = _narrow_offsets(place, len(lines) == 2)
        x = self.x_px(record["date"], width)
        dx = (12 if beside else -6) * (-1 if last else 1)
        x1, x2 = (x + dx - text, x + dx) if last else (x + dx, x + dx + text)
        dys = [label_dy, change_dy][:len(lines)]
        anchor = self.y_px(self._anchor_value(record, place))
        half = LABEL_SIZE * 0.4  # half the height of a digit or a capital
        centres = [anchor + dy + {"bottom": -half - 3, "top": half + 3, "middle": 0}[baseline] for dy in dys]
        return x1, x2, min(centres) - half, max(centres) + half

    @staticmethod
    def _anchor_value(record: dict, place: str) -> float:
        if record["low"] is None or place.startswith("beside"):
            return record["value"]
        return record["high"] if place == "above" else record["low"]

    def _narrow_place(self, records: list[dict], index: int) -> str:
        """Where an end label goes on a narrow plot: inside the plot, and where the line runs through it least."""
        record = records[index]
        neighbour = records[1 if index == 0 else -2] if len(records) > 1 else record
        order = ["above", "beside-low", "beside-high", "below"] if neighbour["value"] <= record["value"] else ["below", "beside-low", "above", "beside-high"]
        widths = sorted({WRAP_WIDTHS[0], (WRAP_WIDTHS[0] + self.wide) // 2, max(WRAP_WIDTHS[0], self.wide - 1)})
        inside = [p for p in order if all(self._inside(self._block(records, index, p, w), w) for w in widths)] or order
        return min(inside, key=lambda p: sum(self._hits(records, self._block(records, index, p, w), w) for w in widths))

    @staticmethod
    def _inside(box: tuple[float, float, float, float], width: float) -> bool:
        x1, x2, y1, y2 = box
        return x1 >= 0 and x2 <= width and y1 >= 0 and y2 <= SERIES_HEIGHT

    def _hits(self, records: list[dict], box: tuple[float, float, float, float], width: float) -> int:
        """How many probes along the line, the range rules and the points fall within 2 pixels of ``box``."""
        x1, x2, y1, y2 = box
        points = [(self.x_px(r["date"], width), self.y_px(r["value"])) for r in records]
        probes = [(px + dx, py + dy) for px, py in points for dx, dy in ((-6, 0), (6, 0), (0, -6), (0, 6))]
        for (ax, ay), (bx, by) in zip(points, points[1:], strict=False):
            probes += [(ax + (bx - ax) * k / 60, ay + (by - ay) * k / 60) for k in range(1, 60)]
        for (px, _), r in zip(points, records, strict=True):
            if r["low"] is not None:
                lo, hi = self.y_px(r["low"]), self.y_px(r["high"])
                probes += [(px, hi + (lo - hi) * k / 20) for k in range(21)]
        return sum(x1 - 2 <= px <= x2 + 2 and y1 - 2 <= py <= y2 + 2 for px, py in probes)

    def _middle_align(self, record: dict) -> str:
        """A middle label is centred on its point unless that would cross the edge of a narrow plot."""
        width = WRAP_WIDTHS[0]
        x, half = self.x_px(record["date"], width), _text_px(record["label"], LABEL_SIZE, bold=True) / 2
        return "left" if x - half < 0 else "right" if x + half > width else "center"

    def labels(self, records: list[dict], x: alt.X, y) -> list[alt.Chart]:
        """The label layers: as :func:`_series_labels` when wide, placed by :meth:`_narrow_place` when narrow."""
        bold = {"fontWeight": "bold", "fontSize": LABEL_SIZE}
        layers = []
        ends = [(0, records[:1], self.places[0])] + ([(len(records) - 1, records[-1:], self.places[1])] if len(records) > 1 else [])
        for index, rows, place in ends:
            last = index > 0
            baseline, _, _, beside = _NARROW_PLACES[place]
            label_dy, change_dy = _narrow_offsets(place, last and self.changed)
            shift = self._shift(rows[0], place)
            narrow = {"align": "right" if last else "left", "dx": (12 if beside else -6) * (-1 if last else 1), "baseline": baseline}
            wide = {"align": "left" if last else "right", "dx": 12 if last else -12, "baseline": "middle"}
            wide_dy = -9 if last and self.changed else 0
            props = {key: self._by_mode(wide[key], narrow[key]) for key in narrow}
            layers.append(_layer(rows).mark_text(dy=self._dy(wide_dy, label_dy, shift), **props, **bold).encode(
                x=x, y=y("value"), text=_LABEL, tooltip=_TOOLTIP))
            if last and self.changed:
                layers.append(_layer(rows).mark_text(dy=self._dy(9, change_dy, shift), color=CHANGE_COLOUR, **props, **bold).encode(
                    x=x, y=y("value"), text=_CHANGE))
        middles = [{**r, "align": align} for r, align in zip(records[1:-1], self.middles, strict=True)]
        for (above, align), group in _groups(middles, lambda r: (r["above"], r["align"])):
            group = [{k: v for k, v in r.items() if k != "align"} for r in group]
            dx = {"left": -6, "center": 0, "right": 6}[align]
            layers.append(_layer(group).mark_text(
                align=self._by_mode("center", align), dx=self._by_mode(0, dx), baseline="bottom" if above else "top", dy=-12 if above else 12, **bold,
            ).encode(x=x, y=y("label_y"), text=_LABEL, tooltip=_TOOLTIP))
        return layers

    def _shift(self, record: dict, place: str) -> str:
        """Pixels from a ranged claim's value to the end of its range the label is put by, as a Vega expression."""
        end = self._anchor_value(record, place)
        return "" if end == record["value"] else f" + scale('y', {_js_value(end)}) - scale('y', {_js_value(record['value'])})"

    def _dy(self, wide: float, narrow: float, shift: str) -> float | alt.ExprRef:
        if not shift:
            return self._by_mode(wide, narrow)
        return alt.expr(f"width >= {self.wide} ? {wide} : {narrow}{shift}")

    # -- dates --------------------------------------------------------------------------------

    def date_axis(self, claims: list[Claim]) -> alt.Axis:
        """Ticks only at the claims' dates; "Feb 2022" rather than "February 2022" where the long labels would collide."""
        stamps = {_timestamp(c.as_of.midpoint): c.as_of for c in claims}
        expr = "''"
        for stamp, as_of in reversed(list(stamps.items())):
            label, short = as_of.label, _short_date(as_of)
            text = _js(label) if label == short else f"(width >= {self.long_dates} ? {_js(label)} : {_js(short)})"
            expr = f"datum.value == {stamp} ? {text} : {expr}"
        return alt.Axis(values=list(stamps), labelExpr=expr, labelFlush=NARROW_MARGIN + 2, labelOverlap=True, grid=False)

    def _long_dates_from(self, claims: list[Claim]) -> int:
        """The narrowest plot width from which the long date labels never collide (tried every 10 pixels up to 1,400)."""
        stamps = {_timestamp(c.as_of.midpoint): c.as_of.label for c in claims}
        texts = [(stamp, _text_px(label, 11)) for stamp, label in stamps.items()]
        from_width = WRAP_WIDTHS[0]
        for width in range(WRAP_WIDTHS[0], 1401, 10):
            boxes = []
            for stamp, text in texts:
                x = self.x_px(stamp, width)
                flush = NARROW_MARGIN + 2
                boxes.append((x, x + text) if x <= flush else (x - text, x) if x >= width - flush else (x - text / 2, x + text / 2))
            if any(a[1] + 6 > b[0] for a, b in zip(boxes, boxes[1:], strict=False)):
                from_width = width + 10
        return from_width


_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _short_date(as_of) -> str:
    """``Feb 2022``, ``30 Nov 2022`` or ``2022``: :attr:`AsOf.label` with the month cut to three letters."""
    if not as_of.month:
        return str(as_of.year)
    month = f"{_MONTH_ABBR[as_of.month - 1]} {as_of.year}"
    return f"{as_of.day} {month}" if as_of.day else month


def _nice_domain(lo: float, hi: float) -> tuple[float, float]:
    """About the domain Vega draws for ``nice=True`` (d3's nice with ten ticks), to place labels clear of the line."""
    span = hi - lo
    if span <= 0:
        return lo, hi + 1
    raw = span / 10
    power = 10 ** math.floor(math.log10(raw))
    error = raw / power
    step = power * (10 if error >= 50 ** 0.5 else 5 if error >= 10 ** 0.5 else 2 if error >= 2 ** 0.5 else 1)
    return math.floor(lo / step) * step, math.ceil(hi / step) * step


def _groups(records: list[dict], key) -> list[tuple[object, list[dict]]]:
    out: dict[object, list[dict]] = {}
    for record in records:
        out.setdefault(key(record), []).append(record)
    return list(out.items())


# -- rows: one glyph per claim, drawn by its qualifier ----------------------------------------

def _row(index: int, claim: Claim, unit: str | units.UnitInfo, name: str | None, factor: float = 1.0, label: str | None = None) -> dict:
    """One row of a rows chart; values already in the axis unit (``factor`` converts)."""
    ranged = claim.qualifier is Qualifier.RANGE
    start = claim.low * factor if ranged else 0
    end = (claim.high if ranged else claim.value) * factor
    return {
        **_tooltip_fields(claim, unit),
        "row": f"{index:03d}",
        "name": name,
        "label": label or formatting.claim_value(claim, unit),
        "qualifier": claim.qualifier.value,
        "start": start,
        "end": end,
        "point": claim.central * factor,
    }


def _comparison_row(index: int, figure: Figure, claim: Claim) -> dict:
    info = figure.unit_info
    label = formatting.claim_value(claim, figure.unit_info)
    if info.factor != 1:
        label += f" (= {_converted_text(claim, info)})"
    return _row(index, claim, figure.unit_info, name=figure.title, factor=info.factor, label=label)


def _rows_chart(rows: list[dict], unit: str | units.UnitInfo, width: int | None, title: str, subtitle: str, foot: str,
                description: str, named: bool) -> alt.LayerChart:
    """One row per value: a name line (if ``named``), the value as written, and its glyph below."""
    info = units.unit_info(unit)
    lo, hi, open_end = _domain(rows, info)
    for row in rows:
        row["open_end"] = open_end
    scale = alt.Scale(domain=[lo, hi], nice=open_end is None, zero=True)
    axis = _value_axis(info)

    def x(field: str) -> alt.X:
        return alt.X(field=field, type="quantitative", scale=scale, axis=axis, title=None)

    name_lines = 0
    if named and width:
        for row in rows:
            row["name"] = _wrap_lines([row["name"]], width, NAME_SIZE)
        name_lines = max(len(row["name"]) for row in rows)
    elif named:  # one wrapping of the name per plot width in WRAP_WIDTHS, picked as the chart is drawn
        for row in rows:
            for tier, lines in enumerate(_fit_tiers([row["name"]], NAME_SIZE)):
                row[f"name{tier}"], row[f"lines{tier}"] = "\n".join(lines), len(lines)
                name_lines = max(name_lines, len(lines))
    step, label_bottom, glyph_centre = _row_geometry(name_lines)
    y = alt.Y(field="row", type="nominal", axis=None, sort=None, scale=alt.Scale(paddingInner=0, paddingOuter=0))
    layers = _glyph_layers(rows, x, y, glyph_centre - step / 2)
    if formatting.is_share(info) and hi == 100:
        whole = [{**r, "start": 0, "end": 100} for r in rows]
        layers.insert(0, _layer(whole).mark_bar(size=BAR_SIZE, color=FAINT, yOffset=glyph_centre - step / 2).encode(x=x("start"), x2=alt.X2(field="end"), y=y))
    layers += _row_text_layers(rows, y, step, label_bottom, width, named)
    return _framed(layers, width, alt.Step(step), title, subtitle, foot, description)


def _row_text_layers(rows: list[dict], y: alt.Y, step: int, label_bottom: int, width: int | None, named: bool) -> list[alt.Chart]:
    """The value as written (bold), and above it the wrapped name of the claimant or figure."""
    layers = [_layer(rows).mark_text(align="left", baseline="bottom", dy=label_bottom - step / 2, fontWeight="bold", fontSize=LABEL_SIZE,
                                     limit=_text_limit(width)).encode(x=_LEFT_EDGE, y=y, text=_LABEL, tooltip=_TOOLTIP)]
    name_bottom = label_bottom - LABEL_SIZE - 4
    if named and not width:  # Vega stacks extra lines downwards: lift each name by its extra lines
        tier = _tier_index()
        layers.append(_layer(rows).mark_text(
            align="left", baseline="bottom", fontSize=NAME_SIZE, color=MUTED, lineHeight=NAME_LINE, lineBreak="\n",
            text=alt.expr(f"datum['name' + {tier}]"), dy=alt.expr(f"{name_bottom - step / 2} - {NAME_LINE} * (datum['lines' + {tier}] - 1)"),
            tooltip=None,
        ).encode(x=_LEFT_EDGE, y=y))
    elif named:
        for lines, group in _groups(rows, lambda r: len(r["name"])):  # Vega stacks extra lines downwards
            layers.append(_layer(group).mark_text(align="left", baseline="bottom", dy=name_bottom - (lines - 1) * NAME_LINE - step / 2,
                                                  fontSize=NAME_SIZE, color=MUTED, lineHeight=NAME_LINE).encode(x=_LEFT_EDGE, y=y, text=_NAME))
    return layers


def _row_geometry(name_lines: int) -> tuple[int, int, int]:
    """Row height, bottom of the value label and centre of the glyph, in pixels from the row's top."""
    label_bottom = ROW_TOP + name_lines * NAME_LINE + LABEL_SIZE + 3
    glyph_centre = label_bottom + 6 + BAR_SIZE // 2
    return glyph_centre + BAR_SIZE // 2 + ROW_GAP, label_bottom, glyph_centre


def _glyph_layers(rows: list[dict], x, y: alt.Y, offset: float) -> list[alt.Chart]:
    """The marks that draw each qualifier; only those some row needs.

    exact: a bar from zero. about: a pale dashed bar and a point. more than / at
    least: a bar, an open (more than) or filled (at least) point, and a dashed
    arrow running on to the end of the axis. less than / as many as: a line up to
    a cap. almost (just under): a pale dashed bar stopping at a cap, the value
    it falls just short of. range: a bar from low to high.
    """
    def subset(*qualifiers: Qualifier) -> list[dict]:
        return [r for r in rows if r["qualifier"] in qualifiers]

    span = {"x": x("start"), "x2": alt.X2("end"), "y": y, "tooltip": _TOOLTIP}
    layers = [
        _layer(subset(*_SOLID)).mark_bar(size=BAR_SIZE, yOffset=offset).encode(**span),
        _layer(subset(Qualifier.APPROXIMATELY, Qualifier.JUST_UNDER)).mark_bar(size=BAR_SIZE, yOffset=offset, fillOpacity=0.22, stroke=ACCENT,
                                                          strokeWidth=1.5, strokeDash=[4, 3]).encode(**span),
        _layer(subset(*_CEILING)).mark_rule(strokeWidth=3, yOffset=offset).encode(**span),
        _layer(subset(*_CEILING, Qualifier.JUST_UNDER)).mark_tick(thickness=4, size=BAR_SIZE + 10, orient="vertical", opacity=1, yOffset=offset).encode(
            x=x("end"), y=y, tooltip=_TOOLTIP),
        _layer(subset(*_OPEN_ENDED)).mark_rule(strokeWidth=2, strokeDash=[5, 4], yOffset=offset).encode(
            x=x("end"), x2=alt.X2(field="open_end"), y=y, tooltip=_TOOLTIP),
        _layer(subset(*_OPEN_ENDED)).mark_point(shape="triangle-right", size=130, filled=True, opacity=1, yOffset=offset).encode(
            x=x("open_end"), y=y),
        _layer(subset(Qualifier.MORE_THAN, Qualifier.AT_LEAST, Qualifier.APPROXIMATELY)).mark_point(
            size=110, strokeWidth=2.5, opacity=1, yOffset=offset).encode(
            x=x("point"), y=y, tooltip=_TOOLTIP,
            fill=_hollow_when("datum.qualifier == 'more_than'"),
        ),
    ]
    return [layer for layer in layers if layer.data.values]


def _domain(rows: list[dict], info: units.UnitInfo) -> tuple[float, float, float | None]:
    """The x domain (always from zero) and where open-ended arrows stop (None if there are none)."""
    ends = [r[key] for r in rows for key in ("start", "end")]  # a negative value's bar runs from 0 down to its end
    lo = min([0.0, *ends])
    top = max([0.0, *ends])
    open_ended = any(r["qualifier"] in _OPEN_ENDED for r in rows)
    if formatting.is_share(info) and 0 < top < 100:
        hi = 100.0
    else:
        hi = top * (OPEN_END_STRETCH if open_ended else CLOSED_HEADROOM)
    hi = hi if hi > lo else lo + 1
    return lo, hi, (hi if open_ended else None)


# -- the frame every chart shares -----------------------------------------------------------

def _framed(layers: list[alt.Chart], width: int | None, height: int | alt.Step, title: str, subtitle: str,
            foot: str, description: str, reserve: float = 10) -> alt.LayerChart:
    """Add the title, subtitle, the source line at the foot and the description; one layered view.

    At a fixed width each text is wrapped for that width. Filling its container,
    each is wrapped for every width in :data:`WRAP_WIDTHS` and Vega draws the
    widest wrapping that fits the plot; the subtitle is then a text mark just
    above the plot (a Vega-Lite subtitle cannot change with the width) and the
    title sits over it. ``reserve``: pixels beside the plot that the axes take, about.
    """
    if width is None:
        return _framed_to_fit(layers, height, title, subtitle, foot, description, reserve)
    foot_layer = _layer([{}]).mark_text(
        text=_wrap_lines(foot.split(" | "), width, FOOT_SIZE), align="left", baseline="top", fontSize=FOOT_SIZE,
        color=MUTED, lineHeight=FOOT_SIZE + 4, x=0, y=alt.expr(f"height + {FOOT_GAP}"),
    )
    # Properties and params go straight into the layer: ``.properties()`` and ``.add_params()`` each
    # deep-copy every layer again, which took over half the time of building a chart.
    return alt.layer(
        *layers, foot_layer,
        title=alt.Title(_wrap_lines([title], width, TITLE_SIZE, bold=True), subtitle=_wrap_lines([subtitle], width, SUBTITLE_SIZE)),
        description=description,
        width=width,
        height=height,
        autosize=alt.AutoSizeParams(type="pad", contains="padding"),
    )


def _framed_to_fit(layers: list[alt.Chart], height: int | alt.Step, title: str, subtitle: str, foot: str, description: str,
                   reserve: float) -> alt.LayerChart:
    padding = _theme()["padding"]
    room = padding["left"] + padding["right"] + math.ceil(reserve)
    # Naming ``width`` makes Vega work this out again whenever the width changes (on a resize).
    text_width = alt.param(name=TEXT_WIDTH, expr=f"isFinite(containerSize()[0]) ? containerSize()[0] - {room} : width")
    subtitles = _fit_tiers([subtitle], SUBTITLE_SIZE)
    # No tooltips on the words around the plot (Streamlit would show "true" over them).
    subtitle_layer = _layer([{}]).mark_text(
        text=_by_width(subtitles), align="left", baseline="bottom", fontSize=SUBTITLE_SIZE, color=MUTED, lineHeight=SUBTITLE_LINE,
        x=0, y=_by_width([-TITLE_OFFSET - SUBTITLE_LINE * (len(lines) - 1) for lines in subtitles]), tooltip=None,
    )
    foot_layer = _layer([{}]).mark_text(
        text=_by_width(_fit_tiers(foot.split(" | "), FOOT_SIZE)), align="left", baseline="top", fontSize=FOOT_SIZE,
        color=MUTED, lineHeight=FOOT_SIZE + 4, x=0, y=alt.expr(f"height + {FOOT_GAP}"), tooltip=None,
    )
    return alt.layer(
        *layers, subtitle_layer, foot_layer,
        params=[text_width.param],
        title=alt.Title(_by_width(_fit_tiers([title], TITLE_SIZE, bold=True)), offset=SUBTITLE_PADDING),
        description=description,
        width="container",
        height=height,
        # Only the width follows the container: fitting the height too would squash the plot
        # to make room for the title and the source line.
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
    )


class _Layer(alt.Chart):
    """One layer of a chart, copied shallowly when Altair deep-copies the chart it is in.

    Building one layered chart, Altair deep-copies every layer, down to each
    channel, tooltip and row, several times (``alt.layer`` and ``to_dict``
    each do): that was most of the time of building a chart. It only ever sets
    a layer's own top-level properties on those copies (its ``data``,
    ``params``, ``name``), so a copy of the layer that shares its parts is
    enough; nothing here changes a layer's parts once the layer is built.
    """

    def __deepcopy__(self, memo: object = None) -> _Layer:
        return self.copy(deep=False)


def _layer(records: list[dict]) -> alt.Chart:
    return _Layer(alt.InlineData(values=records))


def _wrap_lines(paragraphs: Iterable[str], px: int, font_size: float, bold: bool = False) -> list[str]:
    """Wrap text to lines that fit ``px`` pixels (DejaVu Sans is wide: about 0.6 em a character)."""
    per_char = font_size * (0.66 if bold else 0.6)
    chars = max(18, int(px / per_char))
    lines: list[str] = []
    for paragraph in paragraphs:
        lines.extend(textwrap.wrap(paragraph, chars, break_long_words=True, break_on_hyphens=False) or [""])
    return lines


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
TEXT_SLACK = 1.04
"""Measured text is taken this much wider than DejaVu Sans draws it (kerning, hinting, rounding)."""


def _text_px(text: str, size: float, bold: bool = False) -> float:
    """How wide ``text`` is drawn in DejaVu Sans at ``size`` pixels, a little generously (other fonts draw narrower).

    Characters outside the table count as wide as an ``M`` (a full em when East
    Asian wide); joiners, marks and direction controls count nothing.
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


def _fit_lines(paragraphs: Iterable[str], px: float, font_size: float, bold: bool = False) -> list[str]:
    """Wrap each paragraph to lines no wider than ``px`` pixels as measured by :func:`_text_px`; words too long for a line are split.

    A line's width is the sum of its words' and spaces' advances, so each
    word is measured once (and once for every width of :data:`WRAP_WIDTHS`).
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
        advance = _text_px(char, font_size, bold)
        if piece and used + advance > px:
            pieces.append(piece)
            piece, used = "", 0.0
        piece, used = piece + char, used + advance
    return pieces + [piece]


def _fit_tiers(paragraphs: Iterable[str], font_size: float, bold: bool = False) -> list[list[str]]:
    """The paragraphs wrapped for each plot width of :data:`WRAP_WIDTHS`."""
    paragraphs = list(paragraphs)
    return [_fit_lines(paragraphs, px, font_size, bold) for px in WRAP_WIDTHS]


def _by_width(values: list) -> object:
    """One value per width of :data:`WRAP_WIDTHS`: the widest that fits, picked by Vega from :data:`TEXT_WIDTH` (a constant if all agree)."""
    if all(v == values[0] for v in values):
        return values[0]
    expr = _js_value(values[0])
    for px, value, previous in zip(WRAP_WIDTHS[1:], values[1:], values, strict=False):
        if value != previous:
            expr = f"{TEXT_WIDTH} >= {px} ? {_js_value(value)} : {expr}"
    return alt.expr(expr)


def _tier_index() -> str:
    """A Vega expression: the index in :data:`WRAP_WIDTHS` of the widest width no wider than :data:`TEXT_WIDTH` (0 when none is)."""
    expr = "0"
    for index, px in enumerate(WRAP_WIDTHS[1:], start=1):
        expr = f"{TEXT_WIDTH} >= {px} ? {index} : {expr}"
    return f"({expr})"


def _js_value(value: object) -> str:
    """A Vega expression literal for a string, number or list of them (JSON, without the line separators JavaScript refuses)."""
    return json.dumps(value, ensure_ascii=False).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _text_limit(width: int | None) -> float | alt.ExprRef:
    """Truncate a row's label at the plot width (the container's, when it fills one)."""
    return width if width else alt.expr("width")


# -- axes -----------------------------------------------------------------------------------

def _value_axis(info: units.UnitInfo, flush: bool = True) -> alt.Axis:
    """Ticks written like the labels ($7bn, 70%, 23,825); whole steps for counts; fewer ticks when narrow."""
    whole = info.is_count
    ticks = "ceil(width / 110)" if flush else f"ceil({SERIES_HEIGHT} / 45)"
    return alt.Axis(labelExpr=_label_expr(info), tickCount=alt.expr(ticks), labelFlush=flush,
                    labelOverlap=True, tickMinStep=1 if whole else alt.Undefined)


def _value_labels_px(info: units.UnitInfo, lo: float, hi: float) -> float:
    """About how wide the widest tick label of a value axis from ``lo`` to ``hi`` is (a little generously).

    Small values get as many decimals as the finest tick step of about five ticks needs (``0.002%``).
    """
    step = (hi - lo) / 5
    places = max(1, -math.floor(math.log10(step))) if step > 0 else 1

    def label(value: float) -> str:
        sign = formatting.MINUS if value < 0 else ""
        if info.is_currency and abs(value) >= 1_000_000:
            digits = "000bn"
        else:
            digits = f"{abs(value):,.0f}" + ("." + "5" * places if abs(value) < 10 else "")
        symbol = formatting.CURRENCY_SYMBOLS.get(info.name, "") if info.is_currency else ""
        suffix = "%" if formatting.is_share(info) else "" if symbol or not info.is_currency else f" {info.name}"
        return sign + symbol + digits + suffix
    return max(_text_px(label(v), 11) for v in (lo, hi))


def _label_expr(info: units.UnitInfo) -> str:
    """A Vega expression for tick labels: ``$7bn``, ``£48m``, ``70%``, ``23,825``."""
    plain = "format(datum.value, ',~r')"
    if info.is_currency:
        symbol = formatting.CURRENCY_SYMBOLS.get(info.name)
        compact = "replace(replace(replace(format(datum.value, '.3~s'), 'G', 'bn'), 'M', 'm'), 'T', 'tn')"
        digits = f"(abs(datum.value) < 1000000 ? {plain} : {compact})"
        return f"'{symbol}' + {digits}" if symbol else f"{digits} + ' {info.name}'"
    if formatting.is_share(info):
        return f"{plain} + '%'"
    return plain


def _date_axis(claims: list[Claim]) -> alt.Axis:
    """Ticks only at the claims' dates, written as precisely as the source gave them."""
    stamps = {_timestamp(c.as_of.midpoint): c.as_of.label for c in claims}
    expr = "''"
    for stamp, label in reversed(list(stamps.items())):
        expr = f"datum.value == {stamp} ? {_js(label)} : {expr}"
    return alt.Axis(values=list(stamps), labelExpr=expr, labelFlush=True, labelOverlap=True, grid=False)


def _timestamp(iso_day: str) -> int:
    return int(datetime.fromisoformat(iso_day).replace(tzinfo=UTC).timestamp() * 1000)


def _js(text: str) -> str:
    """A Vega expression string literal."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


# -- words ----------------------------------------------------------------------------------

def _tooltip_fields(claim: Claim, unit: str | units.UnitInfo) -> dict:
    return {
        "claimant": formatting.capitalised(claim.claimant),
        "as_of": claim.as_of.label,
        "exactness": formatting.QUALIFIER_MEANING[claim.qualifier],
        "confidence": formatting.CONFIDENCE_LABELS[claim.confidence],
        "confidence_note": claim.confidence_note,
        "label": formatting.claim_value(claim, unit),
    }


def _series_record(claim: Claim, unit: str | units.UnitInfo) -> dict:
    return {
        **_tooltip_fields(claim, unit),
        "date": float(_timestamp(claim.as_of.midpoint)),  # a float: Streamlit hands int64 to Vega as a BigInt
        "value": claim.central,
        "low": claim.low,
        "high": claim.high,
        "hedged": claim.qualifier is not Qualifier.EXACT,
    }


def _claim_sentence(claim: Claim, unit: str | units.UnitInfo, catalogue: Catalogue) -> str:
    """``23,825 vehicles as of August 2021, according to ... · via Foreign Policy, April 2022``."""
    who = formatting.attribution(claim, catalogue).replace(" · via ", ", via ").replace(" → ", ", then ")
    return f"{formatting.claim_value(claim, unit)} as of {claim.as_of.label}, {who[0].lower()}{who[1:]}"


def _change(first: Claim, last: Claim, unit: str | units.UnitInfo) -> str | None:
    """The change from the first claim to the last as :func:`formatting.change` writes it (``−87%``, ``up 5.5 points``), or None."""
    return formatting.change(first.central, last.central, unit)


def _scale_note(info: units.UnitInfo) -> str:
    if info.is_currency:
        return f"In {info.name}; other currencies are never drawn on this axis"
    if info.is_count:
        return {"[person]": "People", "[event]": "Events"}.get(info.dimension, "Counts") + ", on one scale"
    if formatting.is_share(info.canonical):
        return "In percent"
    return f"In {formatting.number(2, info.canonical).split(' ', 1)[-1]}"


def _foot_text(pairs: list[tuple[Figure, list[Claim]]], catalogue: Catalogue) -> str:
    """Every distinct attribution of the claims drawn, then every story, as in :func:`formatting.source_line`."""
    seen: list[str] = []
    stories: list[str] = []
    for figure, claims in pairs:
        for claim in claims:
            line = formatting.attribution(claim, catalogue)
            if line not in seen:
                seen.append(line)
        story = catalogue.stories.get(figure.story)
        if story and (tail := f"{story.publisher}, {story.published.label}") not in stories:
            stories.append(tail)
    return " | ".join(seen) + (f" · Story: {'; '.join(stories)}" if stories else "")


# -- claims ---------------------------------------------------------------------------------

def _by_date(claims: Iterable[Claim]) -> list[Claim]:
    return sorted(claims, key=lambda c: c.as_of)


def _representative(figure: Figure) -> Claim | None:
    """The one value a comparison draws: the only claim or the latest; None when claims compete."""
    if not figure.claims or formatting.is_competing(figure):
        return None
    return _by_date(figure.claims)[-1]


def _converted_text(claim: Claim, info: units.UnitInfo) -> str:
    """The claim's number(s) in the canonical unit, without the qualifier words: ``28 days``, ``14 to 21 days``."""
    if claim.qualifier is Qualifier.RANGE:
        return f"{formatting.bare(claim.low * info.factor, info.canonical)} to {formatting.number(claim.high * info.factor, info.canonical)}"
    return formatting.number(claim.value * info.factor, info.canonical)


def _check_one_dimension(figures: list[Figure]) -> None:
    infos = [f.unit_info for f in figures]
    dimensions = {i.dimension for i in infos}
    if len(dimensions) <= 1:
        return
    labels = sorted({units.dimension_label(f.unit_info) for f in figures})
    if all(i.is_currency for i in infos):
        raise units.UnitError(f"cannot compare {' with '.join(labels)}: there is no exchange rate, so currencies never share an axis")
    raise units.UnitError(f"cannot compare {' with '.join(labels)}: different kinds of quantity never share an axis")


def _source_name(source_id: str, catalogue: Catalogue) -> str:
    source = catalogue.sources.get(source_id)
    return source.name if source else source_id
