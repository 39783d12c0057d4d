"""Where a series' value labels go: beside, above or below its points, at a fixed width or at any width.

Pure Python (Altair only for the Vega expressions of a chart filling its
container). A series is drawn on a linear x scale of epoch milliseconds and a
value scale whose domain is worked out here (:func:`nice_domain`) and handed
to Vega as it is, so the labels are placed in the very domain Vega draws.

Nothing here draws: each function returns :class:`LabelMark` objects, the
rows and text-mark properties of one layer of labels, which
:mod:`figures.charts` turns into layers.

* At a fixed width (:func:`side_labels`): the first value left of the line, the
  last (and the change) right of it, in side room the x domain keeps free
  (:func:`date_domain`); the others above a peak or below a dip
  (:func:`place_series_labels`).
* Filling its container (:class:`SeriesFit`): the same when the plot is wide
  enough; narrower, each end label goes where the line runs through it least.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import altair as alt

from figures.model import Claim
from figures.textfit import WRAP_WIDTHS, js_literal, text_px
from figures.theme import AXIS_LABEL_SIZE, CHANGE_COLOUR, LABEL_SIZE, SERIES_HEIGHT

DAY_MS = 86_400_000
NARROW_MARGIN = 12
"""Pixels between a narrow series' first or last point and the edge of its plot."""
LINE_STEP = 16
"""Pixels between the value label of a series' point and the change written under (or over) it."""
SIDE_ROOM = 0.3
"""The most of a series' width the first or the last label may take beside the line."""
NICE_COUNT = 10
"""The tick count a series' value domain is rounded out for (what Vega rounds to for ``nice: true``)."""


@dataclass(frozen=True)
class LabelMark:
    """One layer of labels: its rows, and the properties of the text mark that writes them.

    ``text`` names the field written (``"label"``, the value as the story worded
    it, or ``"change"``); ``y`` the field the label is put at.
    """

    rows: list[dict]
    props: dict = field(default_factory=dict)
    text: str = "label"
    y: str = "value"


# -- the domains ----------------------------------------------------------------------------

def timestamp(iso_day: str) -> int:
    """Epoch milliseconds (UTC) of an ISO day: where a claim sits on a series' x scale."""
    return int(datetime.fromisoformat(iso_day).replace(tzinfo=UTC).timestamp() * 1000)


def date_span(claims: list[Claim]) -> tuple[int, int]:
    """The first and the last claim's place on the x scale, at least 30 days apart."""
    first, last = timestamp(claims[0].as_of.midpoint), timestamp(claims[-1].as_of.midpoint)
    if last <= first:  # "2022" and "1 July 2022" share a midpoint
        first -= DAY_MS * 30
    return first, last


def date_domain(claims: list[Claim], first_label: str, last_label: str, width: int) -> list[int]:
    """The claims' dates with room on the left for the first label and on the right for the last (a fixed-width plot)."""
    first, last = date_span(claims)
    left, right = (min(SIDE_ROOM, (len(label) * LABEL_SIZE * 0.66 + 16) / width) for label in (first_label, last_label))
    span = (last - first) / (1 - left - right)
    return [first - int(span * left), last + int(span * right)]


def series_floor(records: list[dict]) -> float:
    """The bottom of a series' values: zero, or the lowest value or range end below it."""
    return min(0, *(r["value"] if r["low"] is None else min(r["low"], r["value"]) for r in records))


def nice_domain(lo: float, hi: float, count: int = NICE_COUNT) -> tuple[float, float]:
    """``lo`` to ``hi`` rounded out to whole tick steps, as d3's ``linear.nice(count)`` (Vega's ``nice: true``) rounds them.

    The chart hands this domain to Vega with ``nice: false``, so the labels are
    placed in the domain that is drawn.

    Parameters
    ----------
    lo, hi : float
        The values the domain must hold, ``lo < hi``.
    count : int
        About how many ticks the steps are chosen for.

    Returns
    -------
    tuple of float
        The rounded domain; ``(lo, hi)`` unchanged when it cannot be rounded.
    """
    if not hi > lo:
        return lo, hi
    start, stop, previous = lo, hi, None
    for _ in range(10):  # d3 gives up after ten rounds, leaving the domain as it was
        step = _tick_increment(start, stop, count)
        if step == previous:
            return start or 0, stop or 0  # a zero as 0, never -0.0 (JavaScript's arithmetic gives +0 there)
        if step > 0:
            start, stop = math.floor(start / step) * step, math.ceil(stop / step) * step
        elif step < 0:  # a step below 1, as d3 writes it: minus its inverse, so the arithmetic stays exact
            start, stop = math.ceil(start * step) / step, math.floor(stop * step) / step
        else:
            break
        previous = step
    return lo, hi


def _tick_increment(start: float, stop: float, count: int) -> float:
    """d3's ``tickIncrement``: the tick step (1, 2 or 5 times a power of ten), negative for the inverse of a step below 1."""
    step = (stop - start) / max(0, count)
    power = math.floor(math.log10(step))
    error = step / 10 ** power
    factor = 10 if error >= 50 ** 0.5 else 5 if error >= 10 ** 0.5 else 2 if error >= 2 ** 0.5 else 1
    return 10 ** power * factor if power >= 0 else -(10 ** -power) / factor


# -- at a fixed width -----------------------------------------------------------------------

def place_series_labels(records: list[dict], y_domain: tuple[float, float]) -> None:
    """Mark each record ``above`` its point or below, and the value (``label_y``) its label is put by.

    Above a peak, below a dip (unless that would run into the bottom of the
    axis, ``y_domain`` being the value domain the chart draws); ranges label
    their end, not their middle.
    """
    values = [r["value"] for r in records]
    floor, top = y_domain
    for i, record in enumerate(records):
        neighbours = values[max(i - 1, 0):i] + values[i + 1:i + 2]
        bottom = record["value"] if record["low"] is None else record["low"]
        near_floor = (bottom - floor) / (top - floor) * SERIES_HEIGHT < LABEL_SIZE + 20
        record["above"] = record["value"] >= sum(neighbours) / len(neighbours) or near_floor
        ends = (record["high"], record["low"]) if record["low"] is not None else (record["value"], record["value"])
        record["label_y"] = ends[0] if record["above"] else ends[1]


def side_labels(records: list[dict], changed: bool) -> list[LabelMark]:
    """The first value left of its point, the last (and the change) right of it, the others above a peak or below a dip."""
    bold = {"fontWeight": "bold", "fontSize": LABEL_SIZE, "baseline": "middle"}
    marks = [
        LabelMark(records[:1], {"align": "right", "dx": -12, **bold}),
        LabelMark(records[-1:], {"align": "left", "dx": 12, "dy": -9 if changed else 0, **bold}),
    ]
    if changed:
        marks.append(LabelMark(records[-1:], {"align": "left", "dx": 12, "dy": 9, "color": CHANGE_COLOUR, **bold}, text="change"))
    for above, group in grouped(records[1:-1], lambda r: r["above"]):
        marks.append(LabelMark(group, {"align": "center", "fontWeight": "bold", "fontSize": LABEL_SIZE,
                                       "baseline": "bottom" if above else "top", "dy": -12 if above else 12}, y="label_y"))
    return marks


def grouped(records: list[dict], key: Callable[[dict], Hashable]) -> list[tuple[Hashable, list[dict]]]:
    """The records by ``key``, each group in the order its first record comes."""
    out: dict[Hashable, list[dict]] = {}
    for record in records:
        out.setdefault(key(record), []).append(record)
    return list(out.items())


# -- at any width ---------------------------------------------------------------------------

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
class SeriesFit:
    """How a series that fills its container lays out its dates and end labels at any plot width.

    At ``wide`` pixels and more, the first label sits left of the line and the
    last right of it, in side room kept free by the x domain (as at a fixed
    width). Narrower, the points sit :data:`NARROW_MARGIN` from the plot's edges
    and each end label goes where it misses the line: above, below or inside
    its point. Dates are written in full from ``long_dates`` pixels, short below.
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
    def of(cls, claims: list[Claim], records: list[dict], y_domain: tuple[float, float], changed: bool) -> SeriesFit:
        """Lay out a series.

        Parameters
        ----------
        claims : list of Claim
            The claims in date order.
        records : list of dict
            Their rows, placed by :func:`place_series_labels`; the last has its ``change``.
        y_domain : tuple of float
            The value domain the chart draws (:func:`nice_domain`).
        changed : bool
            Whether the change is written under the last label.
        """
        first, last = date_span(claims)
        left = text_px(records[0]["label"], LABEL_SIZE, bold=True) + 16
        right = max(text_px(records[-1]["label"], LABEL_SIZE, bold=True), text_px(records[-1]["change"], LABEL_SIZE, bold=True)) + 16
        fit = cls(first, last, left, right, math.ceil(max(left, right) / SIDE_ROOM), tuple(y_domain), changed)
        return replace(fit, places=(fit._narrow_place(records, 0), fit._narrow_place(records, len(records) - 1)),
                       middles=tuple(fit._middle_align(r) for r in records[1:-1]), long_dates=fit._long_dates_from(claims))

    # -- geometry, in pixels from the plot's top left corner ----------------------------------

    def x_px(self, stamp: float, width: float) -> float:
        """Where a date is drawn on a plot ``width`` pixels wide."""
        span = self.last - self.first
        if width >= self.wide:
            lo, hi = self.left, width - self.right
        else:
            lo, hi = NARROW_MARGIN, width - NARROW_MARGIN
        return lo + (stamp - self.first) / span * (hi - lo)

    def y_px(self, value: float) -> float:
        """Where a value is drawn, in the domain the chart draws."""
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
        return wide if wide == narrow else alt.expr(f"width >= {self.wide} ? {js_literal(wide)} : {js_literal(narrow)}")

    # -- end labels ---------------------------------------------------------------------------

    def _block(self, records: list[dict], index: int, place: str, width: float) -> tuple[float, float, float, float]:
        """The box the label (and change) of an end point would take in ``place`` at ``width``, as x1, x2, y1, y2."""
        record = records[index]
        last = index == len(records) - 1 and index > 0
        lines = [record["label"]] + ([record["change"]] if last and self.changed else [])
        text = max(text_px(line, LABEL_SIZE, bold=True) for line in lines)
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
        x, half = self.x_px(record["date"], width), text_px(record["label"], LABEL_SIZE, bold=True) / 2
        return "left" if x - half < 0 else "right" if x + half > width else "center"

    def labels(self, records: list[dict]) -> list[LabelMark]:
        """The label layers: as :func:`side_labels` when wide, placed by :meth:`_narrow_place` when narrow."""
        bold = {"fontWeight": "bold", "fontSize": LABEL_SIZE}
        marks = []
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
            marks.append(LabelMark(rows, {"dy": self._dy(wide_dy, label_dy, shift), **props, **bold}))
            if last and self.changed:
                marks.append(LabelMark(rows, {"dy": self._dy(9, change_dy, shift), "color": CHANGE_COLOUR, **props, **bold}, text="change"))
        middles = [{**r, "align": align} for r, align in zip(records[1:-1], self.middles, strict=True)]
        for (above, align), group in grouped(middles, lambda r: (r["above"], r["align"])):
            group = [{k: v for k, v in r.items() if k != "align"} for r in group]
            dx = {"left": -6, "center": 0, "right": 6}[align]
            marks.append(LabelMark(group, {"align": self._by_mode("center", align), "dx": self._by_mode(0, dx),
                                           "baseline": "bottom" if above else "top", "dy": -12 if above else 12, **bold}, y="label_y"))
        return marks

    def _shift(self, record: dict, place: str) -> str:
        """Pixels from a ranged claim's value to the end of its range the label is put by, as a Vega expression."""
        end = self._anchor_value(record, place)
        return "" if end == record["value"] else f" + scale('y', {js_literal(end)}) - scale('y', {js_literal(record['value'])})"

    def _dy(self, wide: float, narrow: float, shift: str) -> float | alt.ExprRef:
        if not shift:
            return self._by_mode(wide, narrow)
        return alt.expr(f"width >= {self.wide} ? {wide} : {narrow}{shift}")

    # -- dates --------------------------------------------------------------------------------

    def _long_dates_from(self, claims: list[Claim]) -> int:
        """The narrowest plot width from which the long date labels never collide (tried every 10 pixels up to 1,400)."""
        stamps = {timestamp(c.as_of.midpoint): c.as_of.label for c in claims}
        texts = [(stamp, text_px(label, AXIS_LABEL_SIZE)) for stamp, label in stamps.items()]
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
