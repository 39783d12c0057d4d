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
:data:`figures.textfit.WRAP_WIDTHS` and Vega picks the one that fits as it lays
the chart out; a series moves its end labels off the sides and shortens its
dates when narrow.

The rest lives next door: the house look in :mod:`figures.theme`, measuring and
wrapping text in :mod:`figures.textfit`, where a series' labels go in
:mod:`figures.labels`. Importing any of them changes nothing in Altair: every
chart carries the house theme itself (:class:`figures.theme.ThemedLayer`), and
Altair's validation of each object as it is built is turned off only while a
builder runs (the tests validate every chart in full).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import altair as alt

from figures import formatting, units
from figures.labels import (
    NARROW_MARGIN,
    LabelMark,
    SeriesFit,
    date_domain,
    grouped,
    nice_domain,
    place_series_labels,
    series_floor,
    side_labels,
    timestamp,
)
from figures.model import Catalogue, Claim, Figure, PartialDate, Qualifier
from figures.textfit import TEXT_WIDTH, by_width, fit_lines, fit_tiers, js_literal, text_px, tier_index
from figures.theme import (
    ACCENT,
    AXIS_LABEL_SIZE,
    BACKGROUND,
    FAINT,
    FOOT_SIZE,
    LABEL_SIZE,
    MUTED,
    NAME_SIZE,
    PADDING,
    SERIES_HEIGHT,
    SUBTITLE_LINE,
    SUBTITLE_PADDING,
    SUBTITLE_SIZE,
    TITLE_OFFSET,
    TITLE_SIZE,
    ThemedLayer,
    house_theme,
    unvalidated,
)

NAME_LINE = 15
"""Line height of a row's name (claimant or figure title), wrapped above its value label."""
BAR_SIZE = 16
ROW_TOP, ROW_GAP = 3, 16
"""Space above a row's first line of text, and below its glyph."""
SERIES_HEADROOM = 1.15
"""The value axis of a series runs this far past the largest value, so labels above points stay inside."""
FOOT_GAP = 30
"""Pixels from the bottom of the plot to the source line (clears the x axis labels)."""
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


@dataclass(frozen=True)
class _Frame:
    """The words around a chart's plot, and the plot's width in pixels (None: it fills its container)."""

    title: str
    subtitle: str
    foot: str
    description: str
    width: int | None = None



# -- public builders ------------------------------------------------------------------------

def figure_chart(figure: Figure, catalogue: Catalogue, width: int | None = None, credit: str | None = None) -> ThemedLayer:
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
    credit : str, optional
        Words drawn after the source line, such as the figure's permalink and
        the newsroom's licence (:func:`figures.exports.credit_line`).

    Returns
    -------
    ThemedLayer
        A single view in the house theme: title, subtitle, marks, the source line at its foot.
    """
    if not figure.claims:
        raise ValueError(f"figure {figure.id!r} has no claims to chart")
    source = formatting.source_line(figure, catalogue) + (f" · {credit}" if credit else "")
    with unvalidated():
        if len(figure.claims) == 1:
            return _single_chart(figure, catalogue, width, source)
        if formatting.is_competing(figure):
            return _competing_chart(figure, catalogue, width, source)
        return _series_chart(figure, catalogue, width, source)


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


def comparison_chart(figures: list[Figure], catalogue: Catalogue, width: int | None = None) -> ThemedLayer | None:
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
    ThemedLayer or None
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
    with unvalidated():
        rows = [_comparison_row(i, f, c, catalogue) for i, (f, c) in enumerate(chosen)]
        converted = any(f.unit_info.factor != 1 for f, _ in chosen)
        title = " vs ".join(f.title for f, _ in chosen)  # what it compares, so two comparisons never share a title
        subtitle = _scale_note(info) + (" (converted where a source used another unit)" if converted else "")
        description = f"{title}. {subtitle}. " + "; ".join(f"{r['name']}: {r['label']}" for r in rows) + "."
        frame = _Frame(title, subtitle, _drawn_source_line(chosen, catalogue), description, width)
        return _rows_chart(rows, info.canonical, frame, named=True)


# -- the three shapes -----------------------------------------------------------------------

def _single_chart(figure: Figure, catalogue: Catalogue, width: int | None, source: str) -> ThemedLayer:
    claim = figure.claims[0]
    row = _row(0, claim, figure.unit_info, name=None)
    subtitle = f"As of {claim.as_of.label} · {formatting.CONFIDENCE_LABELS[claim.confidence]}"
    description = f"{figure.title}: {_claim_sentence(claim, figure.unit_info, catalogue)}."
    frame = _Frame(figure.title, subtitle, source, description, width)
    return _rows_chart([row], figure.unit_info, frame, named=False)


def _competing_chart(figure: Figure, catalogue: Catalogue, width: int | None, source: str) -> ThemedLayer:
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
    frame = _Frame(figure.title, subtitle, source, description, width)
    return _rows_chart(rows, figure.unit_info, frame, named=True)


def _series_chart(figure: Figure, catalogue: Catalogue, width: int | None, source: str) -> ThemedLayer:
    """A line through the claims in date order, labelled like a slope chart: first value left of the line, last right.

    Filling its container, the chart keeps that layout while the plot is wide
    enough for the two labels beside the line; narrower, it draws the first and
    last labels above, below or inside their points, and shortens the dates.
    The value domain is rounded out here (:func:`figures.labels.nice_domain`)
    and drawn as it is, so the labels are placed in the domain Vega draws.
    """
    claims = _by_date(figure.claims)
    records = [_series_record(c, figure.unit_info) for c in claims]
    top = max(max(r["high"] if r["high"] is not None else r["value"] for r in records), 0) * SERIES_HEADROOM or 1
    y_domain = nice_domain(series_floor(records), top)
    place_series_labels(records, y_domain)
    change = _change(claims[0], claims[-1], figure.unit_info)
    records[-1]["change"] = change or ""
    fit = None if width else SeriesFit.of(claims, records, y_domain, bool(change))
    if fit is None:
        domain, axis = date_domain(claims, records[0]["label"], records[-1]["label"], width), _date_axis(claims)
    else:
        domain, axis = alt.expr(fit.domain()), _date_axis(claims, fit.long_dates)
    # Dates travel as epoch milliseconds on a linear scale: Streamlit's Arrow transport does not
    # keep Vega's temporal parsing, and the axis labels are written out per claim anyway.
    x = alt.X(field="date", type="quantitative", title=None, axis=axis, scale=alt.Scale(type="linear", nice=False, zero=False, domain=domain))
    y_scale = alt.Scale(domain=list(y_domain), nice=False, zero=True)
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
    marks = side_labels(records, bool(change)) if fit is None else fit.labels(records)
    layers += [_label_layer(mark, x, y) for mark in marks]
    subtitle = f"{formatting.headline(figure)} · {formatting.CONFIDENCE_LABELS[formatting.confidence_summary(figure)]}"
    sentences = "; then ".join(_claim_sentence(c, figure.unit_info, catalogue) for c in claims)
    description = f"{figure.title}, over time: {sentences}" + (f". Change from first to last: {change}." if change else ".")
    reserve = _value_labels_px(figure.unit_info, *y_domain) + 11 if fit else 0  # the value axis: labels, tick, padding
    frame = _Frame(figure.title, subtitle, source, description, width)
    return _framed(layers, frame, SERIES_HEIGHT, reserve)


def _label_layer(mark: LabelMark, x: alt.X, y: Callable[[str], alt.Y]) -> alt.Chart:
    """A layer of series labels as :mod:`figures.labels` placed them; a value label has the claim's tooltip."""
    text = {"text": _LABEL, "tooltip": _TOOLTIP} if mark.text == "label" else {"text": _CHANGE}
    return _layer(mark.rows).mark_text(**mark.props).encode(x=x, y=y(mark.y), **text)


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


def _comparison_row(index: int, figure: Figure, claim: Claim, catalogue: Catalogue) -> dict:
    """A bar of a comparison, named by its figure, its rating in words and the source it came through."""
    info = figure.unit_info
    label = formatting.claim_value(claim, figure.unit_info)
    if info.factor != 1:
        label += f" (= {_converted_text(claim, info)})"
    name = f"{figure.title} · {formatting.CONFIDENCE_LABELS[claim.confidence]} · {formatting.via_line(claim, catalogue)}"
    return _row(index, claim, figure.unit_info, name=name, factor=info.factor, label=label)


def _rows_chart(rows: list[dict], unit: str | units.UnitInfo, frame: _Frame, named: bool) -> ThemedLayer:
    """One row per value: a name line (if ``named``), the value as written, and its glyph below."""
    info = units.unit_info(unit)
    width = frame.width
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
            row["name"] = fit_lines([row["name"]], width, NAME_SIZE)
        name_lines = max(len(row["name"]) for row in rows)
    elif named:  # one wrapping of the name per plot width in WRAP_WIDTHS, picked as the chart is drawn
        for row in rows:
            for tier, lines in enumerate(fit_tiers([row["name"]], NAME_SIZE)):
                row[f"name{tier}"], row[f"lines{tier}"] = "\n".join(lines), len(lines)
                name_lines = max(name_lines, len(lines))
    step, label_bottom, glyph_centre = _row_geometry(name_lines)
    y = alt.Y(field="row", type="nominal", axis=None, sort=None, scale=alt.Scale(paddingInner=0, paddingOuter=0))
    layers = _glyph_layers(rows, x, y, glyph_centre - step / 2)
    if formatting.is_share(info) and hi == 100:
        whole = [{**r, "start": 0, "end": 100} for r in rows]
        layers.insert(0, _layer(whole).mark_bar(size=BAR_SIZE, color=FAINT, yOffset=glyph_centre - step / 2).encode(x=x("start"), x2=alt.X2(field="end"), y=y))
    layers += _row_text_layers(rows, y, step, label_bottom, width, named)
    return _framed(layers, frame, alt.Step(step))


def _row_text_layers(rows: list[dict], y: alt.Y, step: int, label_bottom: int, width: int | None, named: bool) -> list[alt.Chart]:
    """The value as written (bold), and above it the wrapped name of the claimant or figure."""
    layers = [_layer(rows).mark_text(align="left", baseline="bottom", dy=label_bottom - step / 2, fontWeight="bold", fontSize=LABEL_SIZE,
                                     limit=_text_limit(width)).encode(x=_LEFT_EDGE, y=y, text=_LABEL, tooltip=_TOOLTIP)]
    name_bottom = label_bottom - LABEL_SIZE - 4
    if named and not width:  # Vega stacks extra lines downwards: lift each name by its extra lines
        tier = tier_index()
        layers.append(_layer(rows).mark_text(
            align="left", baseline="bottom", fontSize=NAME_SIZE, color=MUTED, lineHeight=NAME_LINE, lineBreak="\n",
            text=alt.expr(f"datum['name' + {tier}]"), dy=alt.expr(f"{name_bottom - step / 2} - {NAME_LINE} * (datum['lines' + {tier}] - 1)"),
            tooltip=None,
        ).encode(x=_LEFT_EDGE, y=y))
    elif named:
        for lines, group in grouped(rows, lambda r: len(r["name"])):  # Vega stacks extra lines downwards
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

def _framed(layers: list[alt.Chart], frame: _Frame, height: int | alt.Step, reserve: float = 10) -> ThemedLayer:
    """Add the title, subtitle, the source line at the foot, the description and the house theme; one layered view.

    At a fixed width each text is wrapped for that width. Filling its container,
    each is wrapped for every width in :data:`figures.textfit.WRAP_WIDTHS` and
    Vega draws the widest wrapping that fits the plot; the subtitle is then a
    text mark just above the plot (a Vega-Lite subtitle cannot change with the
    width) and the title sits over it. ``reserve``: pixels beside the plot that
    the axes take, about.
    """
    width = frame.width
    if width is None:
        return _framed_to_fit(layers, frame, height, reserve)
    foot_layer = _layer([{}]).mark_text(
        text=fit_lines(frame.foot.split(" | "), width, FOOT_SIZE), align="left", baseline="top", fontSize=FOOT_SIZE,
        color=MUTED, lineHeight=FOOT_SIZE + 4, x=0, y=alt.expr(f"height + {FOOT_GAP}"),
    )
    # Properties and params go straight into the layer: ``.properties()`` and ``.add_params()`` each
    # deep-copy every layer again, which took over half the time of building a chart.
    return ThemedLayer(
        layer=[*layers, foot_layer],
        title=alt.Title(fit_lines([frame.title], width, TITLE_SIZE, bold=True), subtitle=fit_lines([frame.subtitle], width, SUBTITLE_SIZE)),
        description=frame.description,
        width=width,
        height=height,
        autosize=alt.AutoSizeParams(type="pad", contains="padding"),
        **house_theme(),
    )


def _framed_to_fit(layers: list[alt.Chart], frame: _Frame, height: int | alt.Step, reserve: float) -> ThemedLayer:
    room = PADDING["left"] + PADDING["right"] + math.ceil(reserve)
    # Naming ``width`` makes Vega work this out again whenever the width changes (on a resize).
    text_width = alt.param(name=TEXT_WIDTH, expr=f"isFinite(containerSize()[0]) ? containerSize()[0] - {room} : width")
    subtitles = fit_tiers([frame.subtitle], SUBTITLE_SIZE)
    # No tooltips on the words around the plot (Streamlit would show "true" over them).
    subtitle_layer = _layer([{}]).mark_text(
        text=by_width(subtitles), align="left", baseline="bottom", fontSize=SUBTITLE_SIZE, color=MUTED, lineHeight=SUBTITLE_LINE,
        x=0, y=by_width([-TITLE_OFFSET - SUBTITLE_LINE * (len(lines) - 1) for lines in subtitles]), tooltip=None,
    )
    foot_layer = _layer([{}]).mark_text(
        text=by_width(fit_tiers(frame.foot.split(" | "), FOOT_SIZE)), align="left", baseline="top", fontSize=FOOT_SIZE,
        color=MUTED, lineHeight=FOOT_SIZE + 4, x=0, y=alt.expr(f"height + {FOOT_GAP}"), tooltip=None,
    )
    return ThemedLayer(
        layer=[*layers, subtitle_layer, foot_layer],
        params=[text_width.param],
        title=alt.Title(by_width(fit_tiers([frame.title], TITLE_SIZE, bold=True)), offset=SUBTITLE_PADDING),
        description=frame.description,
        width="container",
        height=height,
        # Only the width follows the container: fitting the height too would squash the plot
        # to make room for the title and the source line.
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
        **house_theme(),
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
    return max(text_px(label(v), AXIS_LABEL_SIZE) for v in (lo, hi))


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


def _date_axis(claims: list[Claim], long_dates: int | None = None) -> alt.Axis:
    """Ticks only at the claims' dates, written as precisely as the source gave them.

    ``long_dates``: on a chart filling its container, the plot width below
    which "February 2022" is written "Feb 2022" (where the long labels would
    collide), the labels then kept :data:`figures.labels.NARROW_MARGIN` from
    the plot's edges; None at a fixed width, where the dates are always long.
    """
    stamps = {timestamp(c.as_of.midpoint): c.as_of for c in claims}
    expr = js_literal("")
    for stamp, as_of in reversed(list(stamps.items())):
        label, short = as_of.label, _short_date(as_of)
        long = js_literal(label)
        text = long if long_dates is None or label == short else f"(width >= {long_dates} ? {long} : {js_literal(short)})"
        expr = f"datum.value == {stamp} ? {text} : {expr}"
    flush = True if long_dates is None else NARROW_MARGIN + 2
    return alt.Axis(values=list(stamps), labelExpr=expr, labelFlush=flush, labelOverlap=True, grid=False)


_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _short_date(as_of: PartialDate) -> str:
    """``Feb 2022``, ``30 Nov 2022`` or ``2022``: :attr:`figures.model.PartialDate.label` with the month cut to three letters."""
    if not as_of.month:
        return str(as_of.year)
    month = f"{_MONTH_ABBR[as_of.month - 1]} {as_of.year}"
    return f"{as_of.day} {month}" if as_of.day else month


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
        "date": float(timestamp(claim.as_of.midpoint)),  # a float: Streamlit hands int64 to Vega as a BigInt
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


def _drawn_source_line(drawn: list[tuple[Figure, Claim]], catalogue: Catalogue) -> str:
    """The source line of the claims a comparison draws: :func:`formatting.source_line` of them as one figure per story.

    Figures of one story (all that :func:`comparison_groups` pairs) make one
    line: every distinct attribution, then the story.
    """
    by_story: dict[str, tuple[Figure, list[Claim]]] = {}
    for figure, claim in drawn:
        by_story.setdefault(figure.story, (figure, []))[1].append(claim)
    return " | ".join(formatting.source_line(replace(figure, claims=tuple(claims)), catalogue) for figure, claims in by_story.values())


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
