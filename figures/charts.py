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

Importing this module registers and enables the house theme (:func:`register_theme`).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
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

SAFE_WIDTH = 320
"""The narrowest width text is wrapped for when the chart fills its container."""
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
    alt.Tooltip("claimant:N", title="Claimant"),
    alt.Tooltip("as_of:N", title="As of"),
    alt.Tooltip("label:N", title="Value"),
    alt.Tooltip("exactness:N", title="Exactness"),
    alt.Tooltip("confidence:N", title="Confidence"),
    alt.Tooltip("confidence_note:N", title="Why"),
]


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
                "lineHeight": 20, "subtitleLineHeight": 17, "subtitlePadding": 5, "offset": 14, "frame": "group",
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
            "claimant": c.claimant,
            "as_of": c.as_of.label,
            "value": c.value,
            "low": c.low,
            "high": c.high,
            "qualifier": c.qualifier.value.replace("_", " "),
            "label": formatting.claim_value(c, figure.unit),
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
        key = (units.unit_info(figure.unit).dimension, figure.topic)
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
    info = units.unit_info(figures[0].unit)
    rows = [_comparison_row(i, f, c) for i, (f, c) in enumerate(chosen)]
    converted = any(units.unit_info(f.unit).factor != 1 for f, _ in chosen)
    topics = {f.topic for f, _ in chosen}
    title = "Compared on one scale" + (f": {topics.pop()}" if len(topics) == 1 and None not in topics else "")
    subtitle = _scale_note(info) + (" (converted where a source used another unit)" if converted else "")
    description = f"{title}. {subtitle}. " + "; ".join(f"{r['name']}: {r['label']}" for r in rows) + "."
    foot = _foot_text([(f, [c]) for f, c in chosen], catalogue)
    return _rows_chart(rows, info.canonical, width, title, subtitle, foot, description, named=True)


# -- the three shapes -----------------------------------------------------------------------

def _single_chart(figure: Figure, catalogue: Catalogue, width: int | None) -> alt.LayerChart:
    claim = figure.claims[0]
    row = _row(0, claim, figure.unit, name=None)
    subtitle = f"As of {claim.as_of.label} · {formatting.CONFIDENCE_LABELS[claim.confidence]}"
    description = f"{figure.title}: {_claim_sentence(claim, figure.unit, catalogue)}."
    return _rows_chart([row], figure.unit, width, figure.title, subtitle, formatting.source_line(figure, catalogue), description, named=False)


def _competing_chart(figure: Figure, catalogue: Catalogue, width: int | None) -> alt.LayerChart:
    claims = _by_date(figure.claims)
    dates = {c.as_of for c in claims}
    rows = []
    for index, claim in enumerate(claims):
        when = "" if len(dates) == 1 else f", {claim.as_of.label}"
        name = f"{claim.claimant}{when} · {formatting.CONFIDENCE_LABELS[claim.confidence]}"
        rows.append(_row(index, claim, figure.unit, name=name))
    when = f"as of {claims[0].as_of.label}" if len(dates) == 1 else "some for the same date"
    subtitle = f"{len(claims)} estimates by different sources, {when}"
    sentences = "; ".join(_claim_sentence(c, figure.unit, catalogue) for c in claims)
    description = f"{figure.title}: the sources disagree. {sentences}."
    return _rows_chart(rows, figure.unit, width, figure.title, subtitle, formatting.source_line(figure, catalogue), description, named=True)


def _series_chart(figure: Figure, catalogue: Catalogue, width: int | None) -> alt.LayerChart:
    """A line through the claims in date order, labelled like a slope chart: first value left of the line, last right."""
    claims = _by_date(figure.claims)
    records = [_series_record(c, figure.unit) for c in claims]
    top = max(max(r["high"] if r["high"] is not None else r["value"] for r in records), 0) * SERIES_HEADROOM or 1
    _place_series_labels(records, top)
    change = _change(claims[0], claims[-1])
    records[-1]["change"] = change or ""
    domain = _date_domain(claims, records[0]["label"], records[-1]["label"], width)
    # Dates travel as epoch milliseconds on a linear scale: Streamlit's Arrow transport does not
    # keep Vega's temporal parsing, and the axis labels are written out per claim anyway.
    x = alt.X("date:Q", title=None, axis=_date_axis(claims), scale=alt.Scale(type="linear", nice=False, zero=False, domain=domain))
    y_scale = alt.Scale(domain=[min(0, *(r["value"] for r in records)), top], nice=True, zero=True)
    y_axis = _value_axis(units.unit_info(figure.unit), flush=False)

    def y(field: str) -> alt.Y:
        return alt.Y(f"{field}:Q", title=None, scale=y_scale, axis=y_axis)

    layers = [
        _layer(records).mark_line(strokeWidth=2.5).encode(x=x, y=y("value")),
        _layer([r for r in records if r["low"] is not None]).mark_rule(strokeWidth=3).encode(x=x, y=y("low"), y2="high:Q", tooltip=_TOOLTIP),
        _layer(records).mark_point(size=90, strokeWidth=2.5, opacity=1).encode(
            x=x, y=y("value"), tooltip=_TOOLTIP, fill=alt.condition("datum.hedged", alt.value(BACKGROUND), alt.value(ACCENT)),
        ),
    ]
    layers += _series_labels(records, x, y, bool(change))
    subtitle = f"{formatting.headline(figure)} · {formatting.CONFIDENCE_LABELS[formatting.confidence_summary(figure)]}"
    sentences = "; then ".join(_claim_sentence(c, figure.unit, catalogue) for c in claims)
    description = f"{figure.title}, over time: {sentences}" + (f". Change from first to last: {change}." if change else ".")
    return _framed(layers, width, SERIES_HEIGHT, figure.title, subtitle, formatting.source_line(figure, catalogue), description)


def _series_labels(records: list[dict], x: alt.X, y, changed: bool) -> list[alt.Chart]:
    """The first value left of its point, the last (and the change) right of it, the others above a peak or below a dip."""
    bold = {"fontWeight": "bold", "fontSize": LABEL_SIZE, "baseline": "middle"}
    layers = [
        _layer(records[:1]).mark_text(align="right", dx=-12, **bold).encode(x=x, y=y("value"), text="label:N", tooltip=_TOOLTIP),
        _layer(records[-1:]).mark_text(align="left", dx=12, dy=-9 if changed else 0, **bold).encode(
            x=x, y=y("value"), text="label:N", tooltip=_TOOLTIP),
    ]
    if changed:
        layers.append(_layer(records[-1:]).mark_text(align="left", dx=12, dy=9, color=CHANGE_COLOUR, **bold).encode(
            x=x, y=y("value"), text="change:N"))
    for above, group in _groups(records[1:-1], lambda r: r["above"]):
        layers.append(_layer(group).mark_text(
            align="center", fontWeight="bold", fontSize=LABEL_SIZE, baseline="bottom" if above else "top", dy=-12 if above else 12,
        ).encode(x=x, y=y("label_y"), text="label:N", tooltip=_TOOLTIP))
    return layers


def _place_series_labels(records: list[dict], top: float) -> None:
    """Above a peak, below a dip (unless that would run into the axis); ranges label their end, not their middle."""
    values = [r["value"] for r in records]
    for i, record in enumerate(records):
        neighbours = values[max(i - 1, 0):i] + values[i + 1:i + 2]
        bottom = record["value"] if record["low"] is None else record["low"]
        record["above"] = record["value"] >= sum(neighbours) / len(neighbours) or bottom / top * SERIES_HEIGHT < LABEL_SIZE + 20
        ends = (record["high"], record["low"]) if record["low"] is not None else (record["value"], record["value"])
        record["label_y"] = ends[0] if record["above"] else ends[1]


def _date_domain(claims: list[Claim], first_label: str, last_label: str, width: int | None) -> list[int]:
    """The claims' dates with room on the left for the first label and on the right for the last."""
    first, last = _timestamp(claims[0].as_of.midpoint), _timestamp(claims[-1].as_of.midpoint)
    if last <= first:  # "2022" and "1 July 2022" share a midpoint
        first -= DAY_MS * 30
    px = width or SAFE_WIDTH
    left, right = (min(SIDE_ROOM, (len(label) * LABEL_SIZE * 0.66 + 16) / px) for label in (first_label, last_label))
    span = (last - first) / (1 - left - right)
    return [first - int(span * left), last + int(span * right)]


def _groups(records: list[dict], key) -> list[tuple[object, list[dict]]]:
    out: dict[object, list[dict]] = {}
    for record in records:
        out.setdefault(key(record), []).append(record)
    return list(out.items())


# -- rows: one glyph per claim, drawn by its qualifier ----------------------------------------

def _row(index: int, claim: Claim, unit: str, name: str | None, factor: float = 1.0, label: str | None = None) -> dict:
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
    info = units.unit_info(figure.unit)
    label = formatting.claim_value(claim, figure.unit)
    if info.factor != 1:
        label += f" (= {_converted_text(claim, info)})"
    return _row(index, claim, figure.unit, name=figure.title, factor=info.factor, label=label)


def _rows_chart(rows: list[dict], unit: str, width: int | None, title: str, subtitle: str, foot: str,
                description: str, named: bool) -> alt.LayerChart:
    """One row per value: a name line (if ``named``), the value as written, and its glyph below."""
    info = units.unit_info(unit)
    lo, hi, open_end = _domain(rows, info)
    for row in rows:
        row["open_end"] = open_end
    scale = alt.Scale(domain=[lo, hi], nice=open_end is None, zero=True)
    axis = _value_axis(info)

    def x(field: str) -> alt.X:
        return alt.X(f"{field}:Q", scale=scale, axis=axis, title=None)

    name_lines = 0
    if named:
        for row in rows:
            row["name"] = _wrap_lines([row["name"]], width or SAFE_WIDTH, NAME_SIZE)
        name_lines = max(len(row["name"]) for row in rows)
    step, label_bottom, glyph_centre = _row_geometry(name_lines)
    y = alt.Y("row:N", axis=None, sort=None, scale=alt.Scale(paddingInner=0, paddingOuter=0))
    layers = _glyph_layers(rows, x, y, glyph_centre - step / 2)
    if info.name == "percent" and hi == 100:
        whole = [{**r, "start": 0, "end": 100} for r in rows]
        layers.insert(0, _layer(whole).mark_bar(size=BAR_SIZE, color=FAINT, yOffset=glyph_centre - step / 2).encode(x=x("start"), x2="end:Q", y=y))
    layers += _row_text_layers(rows, y, step, label_bottom, width, named)
    return _framed(layers, width, alt.Step(step), title, subtitle, foot, description)


def _row_text_layers(rows: list[dict], y: alt.Y, step: int, label_bottom: int, width: int | None, named: bool) -> list[alt.Chart]:
    """The value as written (bold), and above it the wrapped name of the claimant or figure."""
    layers = [_layer(rows).mark_text(align="left", baseline="bottom", dy=label_bottom - step / 2, fontWeight="bold", fontSize=LABEL_SIZE,
                                     limit=_text_limit(width)).encode(x=alt.value(0), y=y, text="label:N", tooltip=_TOOLTIP)]
    if named:
        name_bottom = label_bottom - LABEL_SIZE - 4
        for lines, group in _groups(rows, lambda r: len(r["name"])):  # Vega stacks extra lines downwards
            layers.append(_layer(group).mark_text(align="left", baseline="bottom", dy=name_bottom - (lines - 1) * NAME_LINE - step / 2,
                                                  fontSize=NAME_SIZE, color=MUTED, lineHeight=NAME_LINE).encode(x=alt.value(0), y=y, text="name:N"))
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
    a cap. range: a bar from low to high.
    """
    def subset(*qualifiers: Qualifier) -> list[dict]:
        return [r for r in rows if r["qualifier"] in qualifiers]

    span = {"x": x("start"), "x2": "end:Q", "y": y, "tooltip": _TOOLTIP}
    layers = [
        _layer(subset(*_SOLID)).mark_bar(size=BAR_SIZE, yOffset=offset).encode(**span),
        _layer(subset(Qualifier.APPROXIMATELY)).mark_bar(size=BAR_SIZE, yOffset=offset, fillOpacity=0.22, stroke=ACCENT,
                                                          strokeWidth=1.5, strokeDash=[4, 3]).encode(**span),
        _layer(subset(*_CEILING)).mark_rule(strokeWidth=3, yOffset=offset).encode(**span),
        _layer(subset(*_CEILING)).mark_tick(thickness=4, size=BAR_SIZE + 10, orient="vertical", opacity=1, yOffset=offset).encode(
            x=x("end"), y=y, tooltip=_TOOLTIP),
        _layer(subset(*_OPEN_ENDED)).mark_rule(strokeWidth=2, strokeDash=[5, 4], yOffset=offset).encode(
            x=x("end"), x2="open_end:Q", y=y, tooltip=_TOOLTIP),
        _layer(subset(*_OPEN_ENDED)).mark_point(shape="triangle-right", size=130, filled=True, opacity=1, yOffset=offset).encode(
            x=x("open_end"), y=y),
        _layer(subset(Qualifier.MORE_THAN, Qualifier.AT_LEAST, Qualifier.APPROXIMATELY)).mark_point(
            size=110, strokeWidth=2.5, opacity=1, yOffset=offset).encode(
            x=x("point"), y=y, tooltip=_TOOLTIP,
            fill=alt.condition("datum.qualifier == 'more_than'", alt.value(BACKGROUND), alt.value(ACCENT)),
        ),
    ]
    return [layer for layer in layers if layer.data.values]


def _domain(rows: list[dict], info: units.UnitInfo) -> tuple[float, float, float | None]:
    """The x domain (always from zero) and where open-ended arrows stop (None if there are none)."""
    lo = min([0.0, *(r["start"] for r in rows)])
    top = max([0.0, *(r["end"] for r in rows)])
    open_ended = any(r["qualifier"] in _OPEN_ENDED for r in rows)
    if info.name == "percent" and 0 < top < 100:
        hi = 100.0
    else:
        hi = top * (OPEN_END_STRETCH if open_ended else CLOSED_HEADROOM)
    hi = hi if hi > lo else lo + 1
    return lo, hi, (hi if open_ended else None)


# -- the frame every chart shares -----------------------------------------------------------

def _framed(layers: list[alt.Chart], width: int | None, height: int | alt.Step, title: str, subtitle: str,
            foot: str, description: str) -> alt.LayerChart:
    """Add the title, subtitle, the source line at the foot and the description; one layered view."""
    px = width or SAFE_WIDTH
    foot_layer = _layer([{}]).mark_text(
        text=_wrap_lines(foot.split(" | "), px, FOOT_SIZE), align="left", baseline="top", fontSize=FOOT_SIZE,
        color=MUTED, lineHeight=FOOT_SIZE + 4, x=0, y=alt.expr(f"height + {FOOT_GAP}"),
    )
    return alt.layer(*layers, foot_layer).properties(
        title=alt.Title(_wrap_lines([title], px, TITLE_SIZE, bold=True), subtitle=_wrap_lines([subtitle], px, SUBTITLE_SIZE)),
        description=description,
        width=width if width else "container",
        height=height,
        # Only the width follows the container: fitting the height too would squash the plot
        # to make room for the title and the source line.
        autosize=alt.AutoSizeParams(type="fit-x" if width is None else "pad", contains="padding"),
    )


def _layer(records: list[dict]) -> alt.Chart:
    return alt.Chart(alt.InlineData(values=records))


def _wrap_lines(paragraphs: Iterable[str], px: int, font_size: float, bold: bool = False) -> list[str]:
    """Wrap text to lines that fit ``px`` pixels (DejaVu Sans is wide: about 0.6 em a character)."""
    per_char = font_size * (0.66 if bold else 0.6)
    chars = max(18, int(px / per_char))
    lines: list[str] = []
    for paragraph in paragraphs:
        lines.extend(textwrap.wrap(paragraph, chars, break_long_words=True, break_on_hyphens=False) or [""])
    return lines


def _text_limit(width: int | None) -> float | alt.ExprRef:
    """Truncate a row's label at the plot width (the container's, when it fills one)."""
    return width if width else alt.expr("width")


# -- axes -----------------------------------------------------------------------------------

def _value_axis(info: units.UnitInfo, flush: bool = True) -> alt.Axis:
    """Ticks written like the labels ($7bn, 70%, 23,825); whole steps for counts; fewer ticks when narrow."""
    whole = info.dimension == "[count]"
    ticks = "ceil(width / 110)" if flush else f"ceil({SERIES_HEIGHT} / 45)"
    return alt.Axis(labelExpr=_label_expr(info), tickCount=alt.expr(ticks), labelFlush=flush,
                    labelOverlap=True, tickMinStep=1 if whole else alt.Undefined)


def _label_expr(info: units.UnitInfo) -> str:
    """A Vega expression for tick labels: ``$7bn``, ``£48m``, ``70%``, ``23,825``."""
    plain = "format(datum.value, ',~r')"
    if info.is_currency:
        symbol = formatting.CURRENCY_SYMBOLS.get(info.name)
        compact = "replace(replace(replace(format(datum.value, '.3~s'), 'G', 'bn'), 'M', 'm'), 'T', 'tn')"
        digits = f"(abs(datum.value) < 1000000 ? {plain} : {compact})"
        return f"'{symbol}' + {digits}" if symbol else f"{digits} + ' {info.name}'"
    if info.name == "percent":
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

def _tooltip_fields(claim: Claim, unit: str) -> dict:
    return {
        "claimant": claim.claimant,
        "as_of": claim.as_of.label,
        "exactness": formatting.QUALIFIER_MEANING[claim.qualifier],
        "confidence": formatting.CONFIDENCE_LABELS[claim.confidence],
        "confidence_note": claim.confidence_note,
        "label": formatting.claim_value(claim, unit),
    }


def _series_record(claim: Claim, unit: str) -> dict:
    return {
        **_tooltip_fields(claim, unit),
        "date": float(_timestamp(claim.as_of.midpoint)),  # a float: Streamlit hands int64 to Vega as a BigInt
        "value": claim.central,
        "low": claim.low,
        "high": claim.high,
        "hedged": claim.qualifier is not Qualifier.EXACT,
    }


def _claim_sentence(claim: Claim, unit: str, catalogue: Catalogue) -> str:
    """``23,825 vehicles as of August 2021, according to ... · via Foreign Policy, April 2022``."""
    who = formatting.attribution(claim, catalogue).replace(" · via ", ", via ").replace(" → ", ", then ")
    return f"{formatting.claim_value(claim, unit)} as of {claim.as_of.label}, {who[0].lower()}{who[1:]}"


def _change(first: Claim, last: Claim) -> str | None:
    """``−87%`` from the first claim's value to the last's; None when it starts at zero."""
    if not first.central:
        return None
    pct = (last.central - first.central) / first.central * 100
    return f"{'−' if pct < 0 else '+'}{abs(pct):.0f}%"


def _scale_note(info: units.UnitInfo) -> str:
    if info.is_currency:
        return f"In {info.name}; other currencies are never drawn on this axis"
    if info.dimension == "[count]":
        return "Counts, on one scale"
    return f"In {formatting.number(2, info.canonical).split(' ', 1)[-1]}" if info.name != "percent" else "In percent"


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
    infos = [units.unit_info(f.unit) for f in figures]
    dimensions = {i.dimension for i in infos}
    if len(dimensions) <= 1:
        return
    labels = sorted({units.dimension_label(f.unit) for f in figures})
    if all(i.is_currency for i in infos):
        raise units.UnitError(f"cannot compare {' with '.join(labels)}: there is no exchange rate, so currencies never share an axis")
    raise units.UnitError(f"cannot compare {' with '.join(labels)}: different kinds of quantity never share an axis")


def _source_name(source_id: str, catalogue: Catalogue) -> str:
    source = catalogue.sources.get(source_id)
    return source.name if source else source_id
