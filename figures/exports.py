"""Exports: the tidy CSV, and per figure a PNG, an SVG, a standalone HTML page and the Vega-Lite JSON.

``EXPORTERS`` is the one table of format name to :class:`Format`; the app's
download buttons, ``figures export`` and ``figures build`` all go through it,
so a download and a published file are the same bytes::

    fmt = EXPORTERS["png"]
    data = fmt.render(catalogue, figure)      # bytes
    name = fmt.filename(figure)               # "humvees-left.png"
    mime = fmt.media_type                     # "image/png"

Every output is deterministic: the same catalogue gives byte-identical files
(no timestamps, no random ids), so published embeds never change silently.
Images are drawn :data:`EXPORT_WIDTH` pixels wide with the title, the
qualifier and the source line inside the picture; the HTML page fills its
container instead and carries the same words as text around the chart.
"""

from __future__ import annotations

import base64
import csv
import functools
import hashlib
import io
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import markupsafe
import vl_convert

from figures import formatting, images, render, templating
from figures.frames import CSV_COLUMNS, NUMERIC_COLUMNS, claim_rows
from figures.model import Catalogue, Claim, Figure

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
"""A text cell starting with one of these runs as a formula in a spreadsheet (OWASP).

So does a cell whose first character after any leading blanks (spaces, no-break
and ideographic spaces, tabs, zero-width and other invisible format characters)
is ``=``, ``+``, ``-`` or ``@``, or a compatibility form of one (full-width
``＝``, ``＋``, ``－``, ``＠``, small or superscript forms): :func:`neutralise` quotes those too.
"""
_FORMULA_CHARACTERS = frozenset("=+-@")


def neutralise(text: str) -> str:
    """Prefix ``'`` to a text cell a spreadsheet would run as a formula.

    That is a cell starting with one of :data:`FORMULA_START`, or whose first
    character after leading blanks is a formula character in any width. A
    cell that already starts with ``'`` before such a start gets one more, so
    :func:`restore` can undo exactly what was done.
    """
    return "'" + text if _needs_quote(text) else text


def restore(text: str) -> str:
    """Undo :func:`neutralise`."""
    if text.startswith("'") and _needs_quote(text[1:]):
        return text[1:]
    return text


def _needs_quote(text: str) -> bool:
    text = text.lstrip("'")
    if text.startswith(FORMULA_START):
        return True
    for char in text:
        if not _blank(char):
            return unicodedata.normalize("NFKC", char) in _FORMULA_CHARACTERS
    return False


def _blank(char: str) -> bool:
    """Whitespace of any kind, or an invisible format character (zero-width space, joiner, BOM, bidi mark)."""
    return char.isspace() or unicodedata.category(char) == "Cf"


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


# -- charts as files ------------------------------------------------------------------------

EXPORT_WIDTH = 640
"""Plot width in pixels of exported images and the Vega-Lite JSON, so they never depend on a container."""
NARROW_WIDTH = 260
"""Plot width in pixels of the static site's second drawing of each chart, shown on screens as narrow as a phone's."""
PUBLIC_URL_ENV = "FIGURES_PUBLIC_URL"
"""Environment variable holding the app's public address; the HTML page links back to the figure there."""
LICENCE_ENV = "FIGURES_LICENCE"
"""Environment variable holding the newsroom's licence line for images (``CC BY 4.0``, ``© The Daily Example``); none if unset."""


def credit_line(url: str | None) -> str | None:
    """What an image carries after its source line: the page it belongs to and the newsroom's licence, or None.

    Parameters
    ----------
    url : str, optional
        The figure's permalink (the app's ``?figure=<id>``, or a page of the static site); left out if not a safe http(s) URL.
    """
    licence = " ".join(os.environ.get(LICENCE_ENV, "").split())
    parts = [u for u in (safe_url(url),) if u] + ([licence] if licence else [])
    return " · ".join(parts) or None


def chart_spec(catalogue: Catalogue, figure: Figure, width: int | None = EXPORT_WIDTH, credit: str | None = None) -> dict:
    """The figure's Vega-Lite spec in the house theme (``width=None``: fill the container).

    Not validated against the Vega-Lite schema here (that took two thirds of
    the time of building a spec); tests/test_charts.py validates every chart
    of the seed and hostile catalogues, and vl-convert refuses invalid specs.
    """
    from figures import charts  # Altair and pandas load on the first chart, so `figures check` never pays for them

    return charts.figure_chart(figure, catalogue, width=width, credit=credit).to_dict(validate=False)


def vl_json(catalogue: Catalogue, figure: Figure | None = None) -> bytes:
    """The Vega-Lite JSON of one figure's chart: sorted keys, indented, UTF-8."""
    return spec_json(chart_spec(catalogue, _need(figure, "vl.json")))


def spec_json(spec: dict) -> bytes:
    """A spec as the ``vl.json`` file: sorted keys, two-space indent, UTF-8 text, a final newline."""
    return (json.dumps(spec, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def png(catalogue: Catalogue, figure: Figure | None = None) -> bytes:
    """The chart as a PNG at :data:`figures.images.PNG_SCALE` times its size, text and source line included,
    then the figure's permalink (with :data:`PUBLIC_URL_ENV`) and the licence (:data:`LICENCE_ENV`), so a re-post keeps them.

    Drawn by the process's :func:`figures.render.shared` child, never in this process.

    Raises
    ------
    figures.render.RenderError
        If the renderer crashed, hung or refused the chart; its message is fit for readers.
    """
    figure = _need(figure, "png")
    return render.shared().call(images.draw_png, chart_spec(catalogue, figure, credit=credit_line(figure_page_url(figure))))


def svg(catalogue: Catalogue, figure: Figure | None = None) -> bytes:
    """The chart as an SVG with ``<title>`` and ``<desc>`` for screen readers (:func:`figures.images.accessible_svg`).

    Drawn like :func:`png`, and raises :class:`figures.render.RenderError` like it.
    """
    figure = _need(figure, "svg")
    spec = chart_spec(catalogue, figure, credit=credit_line(figure_page_url(figure)))
    return render.shared().call(images.draw_svg, spec, *image_labels(spec, figure))


def image_labels(spec: dict, figure: Figure) -> tuple[str, str, str]:
    """What an SVG of ``figure`` is labelled with: its id (for the element ids), its title and its ``<desc>``.

    The description is the chart's own, which states every number in words;
    the figure's title when the chart has none.
    """
    return figure.id, figure.title, spec.get("description") or figure.title


def html_page(catalogue: Catalogue, figure: Figure | None = None) -> bytes:
    """A standalone page for one figure: works offline, fits 320 to 1200 pixels, embeds in an iframe.

    Around the chart (Vega, Vega-Lite and vega-embed inlined, no CDN) it
    writes the title, the headline, the confidence badge in words with its
    meaning, every claim with its attribution, rating, reason and quote, the
    sources with their links, the story, and a link back to the figure's page
    when :data:`PUBLIC_URL_ENV` holds the app's public address. The page is
    ``figures/templates/standalone.html.j2``, which extends the base template
    of every site page: catalogue text is escaped by autoescape, the spec goes
    in through ``|script_json``; a Content-Security-Policy allows only the page's
    own scripts (by hash) and no network requests at all.
    """
    figure = _need(figure, "html")
    url = figure_page_url(figure)
    csp = templating.content_security_policy(
        script=f"{_bundle_hash()} {_csp_hash(START_SCRIPT)} 'unsafe-eval'",  # Vega compiles its expressions
        style="'unsafe-inline'", img="data: blob:")
    head = templating.Head(
        title=figure.title, csp=csp, canonical=url, generator=False,
        description=formatting.headline(figure) + ". " + formatting.source_line(figure, catalogue))
    page = templating.render(
        "standalone.html.j2", head=head, css=markupsafe.Markup(PAGE_CSS), article=markupsafe.Markup(figure_article(catalogue, figure, url)),
        spec=chart_spec(catalogue, figure, width=None), bundle=_BUNDLE_SLOT, start=START_SCRIPT)
    before, slot, after = page.partition(_BUNDLE_SLOT)
    if not slot or _BUNDLE_SLOT in after:
        raise ValueError("the standalone page template must hold the Vega bundle's slot exactly once")
    # The bundle is joined as bytes, encoded once per process: encoding its 900 KB again
    # for every page took about a seventh of the time of making one.
    return before.encode("utf-8") + _bundle_bytes() + after.encode("utf-8")


START_SCRIPT = markupsafe.Markup(
    "(function () {\n"
    "  var chart = document.getElementById('chart');\n"
    "  var spec = JSON.parse(document.getElementById('figure-spec').textContent);\n"
    "  vegaEmbed(chart, spec, {actions: false, renderer: 'svg'}).catch(function (error) {\n"
    "    chart.textContent = 'The chart could not be drawn; every value is listed below.';\n"
    "    console.error(error);\n"
    "  });\n"
    "})();")
"""The standalone page's start-up script: draws the spec into ``#chart``. Our code, not data; the CSP allows it by hash."""
_BUNDLE_SLOT = markupsafe.Markup("<figures-vega-bundle>")
"""Where the standalone page's template puts the Vega bundle, filled as bytes; escaped data never holds a ``<``."""


def figure_article(catalogue: Catalogue, figure: Figure, url: str | None = None,
                   chart: markupsafe.Markup | None = None, after: markupsafe.Markup | None = None, edition: object = None) -> str:
    """The page's visible text around the chart, as an ``<article>`` (``figures/templates/_article.html.j2``).

    ``chart`` is the chart's element (default: an empty ``<div id="chart">``
    for the page's script to draw into, and a ``<noscript>`` note); ``after``
    ends the article (the static site's downloads and embed code);
    ``edition`` (a :class:`figures.site.Edition`) says which published version
    it is. Every catalogue string is escaped by the template.
    """
    summary = formatting.confidence_summary(figure)
    claims = sorted(figure.claims, key=lambda c: c.as_of)
    story = catalogue.stories.get(figure.story)
    return templating.render(
        "_article.html.j2", figure=figure, headline=formatting.headline(figure), summary=summary,
        meaning=formatting.CONFIDENCE_MEANING[summary], chart=EMPTY_CHART if chart is None else chart,
        source_line=formatting.source_line(figure, catalogue),
        claims=[{"value": formatting.claim_value(claim, figure.unit_info), "as_of": claim.as_of.label,
                 "attribution": formatting.attribution(claim, catalogue), "confidence": claim.confidence,
                 "note": claim.confidence_note, "quote": claim.quote,
                 "checked": formatting.CHECKED_WORDS.get(claim.checked or ""),
                 "quoted": i == 0 or claim.quote != claims[i - 1].quote} for i, claim in enumerate(claims)],
        sources=_sources(claims, catalogue),
        story=None if story is None else {"publisher": story.publisher, "title": story.title, "url": safe_url(story.url),
                                          "published": story.published.label},
        permalink=url, after_article=after or "", edition=edition,
        corrections=[(c.date.label, c.note) for c in figure.corrections],
    ).rstrip("\n")


EMPTY_CHART = markupsafe.Markup('<div id="chart" class="chart"></div>\n'
                                "<noscript><p>The chart needs JavaScript; every value is listed below.</p></noscript>")
"""The chart's place in the standalone page, which its script fills."""
badge = templating.badge


def _sources(claims: list[Claim], catalogue: Catalogue) -> list[dict]:
    """Every source and intermediary of ``claims``, in first-use order: name, link (if safe) and kind."""
    ids: list[str] = []
    for claim in claims:
        ids.extend(h for h in (claim.source, *claim.via) if h not in ids and h in catalogue.sources)
    return [{"name": formatting.source_label(catalogue.sources[i]), "url": safe_url(catalogue.sources[i].url),
             "kind": catalogue.sources[i].kind} for i in ids]


PAGE_CSS = """
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;padding:16px;font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;color:#1A1A1A;background:#FFFFFF;line-height:1.45}
main,article.figure{max-width:1200px;margin:0 auto}
h1{font-size:1.35rem;line-height:1.25;margin:0 0 .25rem}
h2{font-size:1rem;margin:1.25rem 0 .5rem}
p{margin:.25rem 0}
a{color:#0057A3}
.headline{font-size:1.6rem;font-weight:bold;margin:.25rem 0}
.meaning,.kind,.source-line,.story,.attribution{color:#595959}
.source-line{font-size:.875rem}
.badge{display:inline-block;padding:0 .45em;border:1px solid currentColor;border-radius:.6em;font-size:.875rem;font-weight:bold;white-space:nowrap}
.badge-confirmed{color:#005A8C}.badge-reported{color:#7A3E8C}.badge-claimed{color:#9A4F00}.badge-unverified{color:#595959}
.chart{width:100%;max-width:100%;margin:1rem 0 .5rem;overflow:hidden}
.chart svg,.chart canvas{max-width:100%;height:auto}
.claims{padding-left:1.25rem}
.claims li{margin-bottom:1rem}
blockquote{margin:.35rem 0 0;padding-left:.75rem;border-left:3px solid #E3E3E3;font-style:italic;overflow-wrap:anywhere}
ul.figures{list-style:none;padding:0}
ul.figures>li{border-top:1px solid #E3E3E3;padding:.75rem 0}
ul.figures h2{margin:0 0 .25rem;font-size:1.1rem}
.downloads{font-size:.875rem}
ul.legend{padding-left:1.25rem}
ul.legend li{margin-bottom:.35rem}
.edition{color:#595959;font-size:.875rem}
.corrections{list-style:none;margin:.5rem 0;padding:.4rem .75rem;background:#FFF8E6;border-left:3px solid #9A4F00}
.correction{margin:.35rem 0;padding:.25rem .5rem;background:#FFF8E6;border-left:3px solid #9A4F00;font-size:.875rem}
@media (max-width:480px){body{padding:10px}.headline{font-size:1.3rem}}
""".strip().replace("\n", "")
"""The style sheet every exported page shares (inlined: a page needs nothing else)."""


_BUNDLE: str | None = None


def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one script (about 900 KB), built once per process."""
    global _BUNDLE
    if _BUNDLE is None:
        bundle = vl_convert.javascript_bundle()
        if re.search(r"</script|<!--", bundle, re.IGNORECASE):  # would end or confuse the inline <script>
            raise ValueError("the Vega bundle cannot be inlined in a <script> element")
        _BUNDLE = bundle
    return _BUNDLE


def public_base_url() -> str | None:
    """The app's public address from :data:`PUBLIC_URL_ENV`, if it is a plain http(s) URL; else None."""
    return safe_url(os.environ.get(PUBLIC_URL_ENV, "").strip() or None)


def figure_page_url(figure: Figure) -> str | None:
    """The figure's permalink in the app (``<base>/?figure=<id>``), or None without a public address."""
    base = public_base_url()
    return None if base is None else formatting.figure_url(base, figure.id)


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) URL with a host and no whitespace or quotes; else None."""
    if not url or re.search(r"[\s\"'<>\\`]", url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.hostname else None


@functools.cache
def _bundle_bytes() -> bytes:
    """:func:`vega_bundle` as UTF-8, encoded once per process."""
    return vega_bundle().encode("utf-8")


@functools.cache
def _bundle_hash() -> str:
    """The CSP hash of :func:`vega_bundle`, computed once per process (it hashes 900 KB)."""
    return _csp_hash(vega_bundle())


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def _need(figure: Figure | None, name: str) -> Figure:
    if figure is None:
        raise ValueError(f"the {name} export draws one figure's chart: pass the figure")
    return figure


# -- the table ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Format:
    """One export format: how to name, label and render it.

    ``render(catalogue, figure)`` returns the file's bytes; ``figure`` may be
    None only when :attr:`needs_figure` is false (the CSV of the whole catalogue).
    """

    name: str
    extension: str
    """The file name's ending, without the leading dot: ``"png"``, ``"vl.json"``."""
    media_type: str
    render: Callable[[Catalogue, Figure | None], bytes]
    label: str
    """What a download button says, e.g. ``"PNG image"``."""
    needs_figure: bool = True

    def filename(self, figure: Figure | None = None) -> str:
        """``<figure id>.<extension>``, or ``figures.csv`` for the whole catalogue."""
        if figure is None and self.needs_figure:
            raise ValueError(f"the {self.name} export needs a figure")
        return f"{figure.id if figure else 'figures'}.{self.extension}"


EXPORTERS: dict[str, Format] = {
    "csv": Format("csv", "csv", "text/csv", catalogue_csv, "CSV data", needs_figure=False),
    "png": Format("png", "png", "image/png", png, f"PNG image ({images.PNG_SCALE}\u00d7)"),
    "svg": Format("svg", "svg", "image/svg+xml", svg, "SVG image"),
    "html": Format("html", "html", "text/html", html_page, "Standalone HTML page"),
    "vl.json": Format("vl.json", "vl.json", "application/json", vl_json, "Vega-Lite JSON"),
}
"""Format name to :class:`Format`: the one table the app, ``figures export`` and ``figures build`` share."""
