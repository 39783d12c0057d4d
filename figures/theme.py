"""The house look of every chart: palette, font, text sizes, and the Vega-Lite config they make.

Pure data, one Altair chart class and one switch. Nothing here is registered
with Altair: importing the package changes neither Altair's active theme nor
anything else of its host. Each chart carries the house theme itself instead
(:class:`ThemedLayer`), so its spec is the same whatever theme the host has
enabled, and charts are built and turned into specs with Altair's
validate-on-build off only while that runs (:func:`unvalidated`).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

import altair as alt
from altair.utils import schemapi

FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
"""Okabe & Ito's colour-blind-safe palette; the first colour draws every value."""
INK, MUTED, FAINT, BACKGROUND = "#1A1A1A", "#595959", "#E3E3E3", "#FFFFFF"
ACCENT = OKABE_ITO[0]
CHANGE_COLOUR = OKABE_ITO[3]

PADDING = {"top": 18, "bottom": 16, "left": 18, "right": 24}
"""Pixels around the whole chart (title, plot and source line)."""
SERIES_HEIGHT = 220
"""Height in pixels of a series' plot, and of a plot that sets none."""
SUBTITLE_LINE, SUBTITLE_PADDING, TITLE_OFFSET = 17, 5, 14
"""Subtitle line height, the gap between title and subtitle, and the gap between the subtitle and the plot."""
TITLE_SIZE, SUBTITLE_SIZE, LABEL_SIZE, NAME_SIZE, FOOT_SIZE = 16, 12.5, 13, 11.5, 10.5
"""Font sizes in pixels: title, subtitle, value labels, row names, the source line."""
AXIS_LABEL_SIZE = 11
"""Font size in pixels of the axes' tick labels."""


def house_theme() -> alt.theme.ThemeConfig:
    """The house theme: background, padding and the Vega-Lite config of every chart.

    Returns
    -------
    alt.theme.ThemeConfig
        A new dict each call, so callers may change it freely.
    """
    axis = {
        "labelFont": FONT, "titleFont": FONT, "labelFontSize": AXIS_LABEL_SIZE, "titleFontSize": 11.5,
        "labelColor": MUTED, "titleColor": MUTED, "titleFontWeight": "normal",
        "domainColor": "#8C8C8C", "tickColor": "#8C8C8C", "gridColor": FAINT, "labelPadding": 4,
    }
    return {
        "background": BACKGROUND,
        "padding": dict(PADDING),
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


_UNVALIDATED_LOCK = threading.Lock()
_unvalidated_depth = 0
_host_debug_mode = True


@contextlib.contextmanager
def unvalidated() -> Iterator[None]:
    """Altair's validation of every schema object as it is built ("debug mode") off while the block runs.

    Validating each object took about half the time of building a chart and a
    sixth of turning it into a spec. Exports skip validation anyway
    (vl-convert refuses an invalid spec), ``to_dict(validate=True)`` still
    checks a whole spec, and tests/test_charts.py validates every chart.

    The switch is Altair's, for the whole process: the first block to enter
    turns it off and the last to leave puts back what the host had, so blocks
    overlapping in several threads (Streamlit's sessions) never leave it off.
    """
    global _unvalidated_depth, _host_debug_mode
    with _UNVALIDATED_LOCK:
        if _unvalidated_depth == 0:
            _host_debug_mode = schemapi.DEBUG_MODE
            schemapi.disable_debug_mode()
        _unvalidated_depth += 1
    try:
        yield
    finally:
        with _UNVALIDATED_LOCK:
            _unvalidated_depth -= 1
            if _unvalidated_depth == 0 and _host_debug_mode:
                schemapi.enable_debug_mode()


class ThemedLayer(alt.LayerChart):
    """A layered chart that carries the house theme in itself, whatever theme its host has enabled.

    Build it with the theme's properties (``ThemedLayer(layer=..., **house_theme(), ...)``):
    the chart's own background, padding and config then win over the host's
    active Altair theme, which fills in only what the house theme leaves
    unsaid. Its spec lists the house theme's keys first and in the theme's
    order, as Altair writes a spec whose theme is enabled.
    """

    def to_dict(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The Vega-Lite spec, as :meth:`altair.LayerChart.to_dict` makes it, the house theme's keys first.

        Altair's validation of the objects it copies on the way is off
        meanwhile (:func:`unvalidated`); ``validate=True`` still checks the
        whole spec against the schema.
        """
        with unvalidated():
            spec = super().to_dict(*args, **kwargs)
        return _ordered_like(spec, house_theme())


def _ordered_like(value: Any, model: Any) -> Any:
    """``value`` with the keys it shares with ``model`` first and in ``model``'s order, at every depth they share."""
    if not (isinstance(value, dict) and isinstance(model, dict)):
        return value
    keys = [k for k in model if k in value] + [k for k in value if k not in model]
    return {k: _ordered_like(value[k], model.get(k)) for k in keys}
