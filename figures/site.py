"""The pages of the static site: a figure's page, its embed card, the index, oEmbed and JSON-LD.

:mod:`figures.build` decides what to write and when; this module says what a
page holds. Pages come from the Jinja2 templates in ``figures/templates/``
with autoescape on, so no catalogue string ever becomes markup. Each figure
page holds its chart already drawn (the SVG of ``chart.svg``, inline), so a
reader sees it before any script runs and with JavaScript off; the page's
one script, ``figure.js``, then loads Vega from the site's shared assets and
swaps in the same chart with tooltips, and inside an iframe it posts the
page's height to the host (see :func:`embed_snippet`).

Every asset is written once per site under a content-hashed name
(:func:`assets`) and referenced by a relative URL, so the site works from
``file://``, from any subpath and offline, and a CDN may cache the assets forever.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import json
import re
from dataclasses import dataclass
from urllib.parse import quote
from xml.etree import ElementTree

import markupsafe

from figures import exports, formatting, templating
from figures.cache import digest as cache_digest
from figures.model import Catalogue, Confidence, Figure, PartialDate, Withdrawal
from figures.templating import render

GENERATOR = templating.GENERATOR
RATING_VALUES = {Confidence.CONFIRMED: 4, Confidence.REPORTED: 3, Confidence.CLAIMED: 2, Confidence.UNVERIFIED: 1}
"""A confidence level as a schema.org ``Rating`` from 1 (worst) to 4 (best)."""
CARD_TEXT_HEIGHT = 260
"""Pixels an embed card needs around its chart (title, headline, badge, source line): its fallback height is this plus the chart's."""
NARROW_SCREEN = 540
"""Below this width in CSS pixels (a phone, a narrow column or iframe), pages show the narrow drawing (see ``SITE_CSS``)."""
CORRECTION_HEIGHT = 60
"""Pixels an embed card's fixed height grows by for each correction it shows."""
DEFAULT_CHART_HEIGHT = 240
"""Pixels assumed for a chart that was not drawn."""
SITE_CSS = """
.site-nav{font-size:.875rem;margin:0 auto .75rem;max-width:1200px}
.chart{position:relative}
.drawn svg,.chart-live svg{display:block;max-width:100%;height:auto}
.drawn.narrow{display:none}
@media (max-width:540px){.drawn.wide:not(:only-child){display:none}.drawn.narrow{display:block}}
.chart-live:not(.ready){position:absolute;left:0;top:0;width:100%;visibility:hidden}

.reuse textarea{width:100%;font:12px/1.4 monospace;resize:vertical}
html.card body{padding:12px}
.figure-card h1{font-size:1.15rem}
.figure-card .headline{font-size:1.35rem}
.figure-card .chart{margin:.5rem 0 .25rem}
ul.figures>li{display:flow-root}
.thumb img{float:right;width:200px;max-width:35%;height:auto;margin:0 0 .5rem 1rem;border:1px solid #E3E3E3}
""".strip().replace("\n", "")
SVG_ELEMENTS = frozenset({"svg", "g", "path", "rect", "line", "circle", "ellipse", "polygon", "polyline", "text", "tspan",
                          "title", "desc", "defs", "clipPath", "linearGradient", "radialGradient", "stop", "style"})
"""The elements a drawn chart may hold to be put into a page: shapes and text; nothing that runs, links or embeds."""
_SIZE = re.compile(r'<svg\b[^>]*?\swidth="([0-9.]+)"[^>]*?\sheight="([0-9.]+)"')
CSP_SCRIPTED = templating.content_security_policy(
    script="'self' 'unsafe-eval'",  # Vega compiles its expressions
    style="'self' 'unsafe-inline'",  # vega-tooltip adds its own <style>
    img="'self' data:",
)
"""The Content-Security-Policy of figure pages and embed cards: the site's own files only, no network request elsewhere."""
CSP_PLAIN = templating.content_security_policy(style="'self'", img="'self'")
"""The policy of the index, which has no script."""


@dataclass(frozen=True)
class Assets:
    """The site's shared files: paths relative to the site's root (``assets/vega-<hash>.js``) and their bytes."""

    vega: str
    script: str
    css: str
    icon: str
    files: tuple[tuple[str, bytes], ...] = ()

    def relative(self, prefix: str) -> Assets:
        """The same assets as seen from a page ``prefix`` deep (``"../"`` for a figure's folder)."""
        return Assets(prefix + self.vega, prefix + self.script, prefix + self.css, prefix + self.icon, self.files)


def assets(bundle: bytes | None = None) -> Assets:
    """The shared assets under content-hashed names: Vega with Vega-Lite and vega-embed, ``figure.js``, the style sheet, the icon.

    ``bundle`` is :func:`figures.exports.vega_bundle` as bytes, if the caller
    has it (building it takes vl-convert about a second); else it is built.
    """
    bundle = exports.vega_bundle().encode("utf-8") if bundle is None else bundle
    return _assets(bundle)


@functools.lru_cache(maxsize=2)
def _assets(bundle: bytes) -> Assets:
    static = importlib.resources.files("figures").joinpath("static")
    script, icon = static.joinpath("figure.js").read_bytes(), static.joinpath("icon.png").read_bytes()
    css = (exports.PAGE_CSS + SITE_CSS).encode("utf-8")
    files = tuple((f"assets/{stem}-{hashlib.sha256(data).hexdigest()[:16]}.{ext}", data)
                  for stem, ext, data in (("vega", "js", bundle), ("figure", "js", script), ("site", "css", css), ("icon", "png", icon)))
    return Assets(*(name for name, _ in files), files=files)


def fingerprint(site_assets: Assets) -> str:
    """What every page depends on besides its figure: the templates and the assets' (hashed) names."""
    return cache_digest(templating.fingerprint(), site_assets.vega, site_assets.script, site_assets.css, site_assets.icon)


# -- URLs -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FigureURLs:
    """Where a figure lives on the published site; all None when the site's address is unknown."""

    page: str | None = None
    embed: str | None = None
    oembed: str | None = None
    data: str | None = None
    png: str | None = None


def figure_urls(base_url: str | None, figure_id: str, version: int | None = None) -> FigureURLs:
    """The absolute URLs of a figure's page, embed card, oEmbed JSON, CSV and PNG under ``base_url`` (the site's root).

    With ``version``, those of its archived version ``<id>/v<N>/`` (which has no oEmbed of its own).
    """
    if not base_url:
        return FigureURLs()
    folder = f"{base_url.rstrip('/')}/{quote(figure_id, safe='')}/" + (f"v{int(version)}/" if version else "")
    return FigureURLs(folder, folder + "embed.html", None if version else folder + "oembed.json", folder + "data.csv",
                      folder + "chart.png")


@dataclass(frozen=True)
class Edition:
    """Which published version a page shows.

    A live page (``archived`` false) shows the latest version and links to
    every version; an archived page (``<id>/v<N>/``) shows version ``number``
    forever and links only to the live page, so its bytes never need to change.
    """

    number: int
    date: PartialDate
    archived: bool = False
    versions: tuple[tuple[int, PartialDate], ...] = ()
    """Every version (number, date), oldest first, for the live page's links; empty on an archived page."""

    @property
    def folder(self) -> str:
        """The archived version's folder under the figure's: ``v3``."""
        return f"v{self.number}"


def depth_prefix(edition: Edition | None) -> str:
    """From a page to the site's root: ``../`` for ``<id>/``, ``../../`` for ``<id>/v<N>/``."""
    return "../../" if edition is not None and edition.archived else "../"


# -- the chart, drawn into the page -----------------------------------------------------------

@dataclass(frozen=True)
class Drawings:
    """A chart as a page shows it: its spec and SVG at the export width, and the same at a phone's width.

    ``svg`` is ``chart.svg``; either SVG is None when it could not be drawn.
    """

    spec: dict
    narrow_spec: dict
    svg: bytes | None = None
    narrow_svg: bytes | None = None

    def specs_script(self) -> bytes:
        """``<id>/specs.js``: both specs for the pages' script, ``window.figuresSpecs = {"wide": …, "narrow": …};``.

        A file of its own, fetched after the first paint, rather than text in
        each page: the figure page and its card share it, and neither page
        lays out 15 to 30 KB of JSON before it shows its chart. It is JSON (a
        literal: nothing in it can run) written by ``|script_json``
        (``figures/templates/specs.js.j2``), with ``<``, ``>``, ``&`` and ``'`` escaped.
        """
        return render("specs.js.j2", specs={"wide": self.spec, "narrow": self.narrow_spec}).encode("utf-8")


def checked_svg(svg: bytes | None) -> tuple[str | None, tuple[int, int] | None]:
    """A drawn SVG's text and its width and height, if it may go into a page; else (None, None).

    The SVG is vl-convert's drawing with its text escaped; it is still
    refused unless it parses and holds only shapes and text
    (:data:`SVG_ELEMENTS`) with no event attribute, link or outside URL.
    """
    text = svg.decode("utf-8") if svg else ""
    size = _SIZE.search(text[:2000])
    if not text.startswith("<svg") or size is None or not _plain_drawing(text):
        return None, None
    return text, (round(float(size.group(1))), round(float(size.group(2))))


def chart_markup(drawings: Drawings | None) -> tuple[markupsafe.Markup, tuple[int, int] | None]:
    """The page's ``<div id="chart">`` holding the chart drawn (wide, and narrow for phones), and the wide one's size.

    CSS shows the narrow drawing on screens narrower than :data:`NARROW_SCREEN`
    pixels; without drawings the page says the values are listed below
    (``figures/templates/_chart.html.j2``). Only a drawing :func:`checked_svg`
    accepts goes in as markup.
    """
    wide, size = checked_svg(drawings.svg if drawings else None)
    narrow = checked_svg(drawings.narrow_svg)[0] if wide is not None else None
    markup = render("_chart.html.j2", wide=None if wide is None else markupsafe.Markup(wide),
                    narrow=None if narrow is None else markupsafe.Markup(narrow)).rstrip("\n")
    return markupsafe.Markup(markup), size


def _plain_drawing(text: str) -> bool:
    """True if the SVG ``text`` parses and holds only :data:`SVG_ELEMENTS`, with no event, link or style-import attribute."""
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError:
        return False
    for element in root.iter():
        if element.tag.rpartition("}")[2] not in SVG_ELEMENTS:
            return False
        for name, value in element.attrib.items():
            local = name.rpartition("}")[2].lower()
            if local.startswith("on") or local in ("href", "src") or "url(" in value and "url(#" not in value:
                return False
        if element.tag.endswith("style") and ("@import" in (element.text or "") or "url(" in (element.text or "")):
            return False
    return True


def script_after_chart(site_assets: Assets) -> markupsafe.Markup:
    """The page's script, right after its chart: the parser pauses there to fetch it, so the browser paints the
    title and the chart before it lays out the rest of the page (measured in ``bench/run.py``: first chart)."""
    return markupsafe.Markup('\n<script src="{}"></script>').format(site_assets.script)


def fallback_height(size: tuple[int, int] | None) -> int:
    """The fixed height of an embed's iframe when the host page runs no script: the chart's plus :data:`CARD_TEXT_HEIGHT`."""
    return (size[1] if size else DEFAULT_CHART_HEIGHT) + CARD_TEXT_HEIGHT


def card_height(size: tuple[int, int] | None, figure: Figure) -> int:
    """:func:`fallback_height`, with room for each correction the card shows."""
    return fallback_height(size) + CORRECTION_HEIGHT * len(figure.corrections)


# -- pages ------------------------------------------------------------------------------------

def figure_page(catalogue: Catalogue, figure: Figure, drawings: Drawings, base_url: str | None = None,
                site_assets: Assets | None = None, edition: Edition | None = None) -> bytes:
    """``DIR/<id>/index.html``: the article with its chart drawn in, downloads, the embed code, JSON-LD and oEmbed discovery.

    ``drawings`` holds the chart's specs and their SVGs (the interactive chart
    is drawn from the spec of the SVG on screen, so it takes exactly its
    place); ``site_assets`` default :func:`assets`. With an ``edition``, the page says which version it is;
    the embed code of a live page points at its current version's folder,
    so an article that embeds it keeps showing what it showed.
    """
    archived = edition is not None and edition.archived
    urls = figure_urls(base_url, figure.id, edition.number if archived else None)
    embed = figure_urls(base_url, figure.id, edition.number if edition else None).embed
    chart, size = chart_markup(drawings)
    site_assets = (site_assets or assets()).relative(depth_prefix(edition))
    chart += script_after_chart(site_assets)
    snippet = embed_snippet(embed, figure, card_height(size, figure)) if embed else None
    reuse = render("_after_article.html.j2", drawn=drawings.svg is not None, snippet=snippet, edition=edition,
                   credit=credit_line(figure, catalogue, urls.page))
    article = exports.figure_article(catalogue, figure, exports.figure_page_url(figure), chart=chart,
                                     after=markupsafe.Markup(reuse), edition=edition)
    head = templating.Head(title=figure.title, csp=CSP_SCRIPTED, canonical=urls.page,
                           description=formatting.headline(figure) + ". " + formatting.source_line(figure, catalogue))
    return render(
        "figure.html.j2", head=head, figure=figure, assets=site_assets, urls=urls, root=depth_prefix(edition),
        json_ld=json_ld(catalogue, figure, base_url, edition), article=markupsafe.Markup(article),
    ).encode("utf-8")


def embed_page(catalogue: Catalogue, figure: Figure, drawings: Drawings, base_url: str | None = None,
               site_assets: Assets | None = None, edition: Edition | None = None) -> bytes:
    """``DIR/<id>/embed.html``: the card an iframe shows (title, headline, confidence, corrections, chart, source line, link to the page)."""
    summary = formatting.confidence_summary(figure)
    chart, _ = chart_markup(drawings)
    archived = edition is not None and edition.archived
    site_assets = (site_assets or assets()).relative(depth_prefix(edition))
    urls = figure_urls(base_url, figure.id, edition.number if archived else None)
    return render(
        "embed.html.j2", head=templating.Head(title=figure.title, csp=CSP_SCRIPTED, canonical=urls.page, robots="noindex"),
        figure=figure, assets=site_assets, script_after_chart=script_after_chart(site_assets), edition=edition,
        corrections=[(c.date.label, c.note) for c in figure.corrections], headline=formatting.headline(figure), summary=summary,
        meaning=formatting.CONFIDENCE_MEANING[summary], chart=chart,
        source_line=formatting.source_line(figure, catalogue),
    ).encode("utf-8")


def withdrawn_page(title: str, withdrawal: Withdrawal, versions: tuple[tuple[int, PartialDate], ...],
                   site_assets: Assets | None = None) -> bytes:
    """``DIR/<id>/index.html`` of a withdrawn figure: its last title, when and why it was withdrawn, links to its versions."""
    head = templating.Head(title=f"Withdrawn: {title}", csp=CSP_PLAIN, robots="noindex")
    return render("withdrawn.html.j2", head=head, title=title, figure_id=withdrawal.id, date=withdrawal.date.label,
                  note=withdrawal.note, versions=versions, assets=(site_assets or assets()).relative("../")).encode("utf-8")


@dataclass(frozen=True)
class IndexEntry:
    """What the index shows of one figure: its chart's width and height when ``chart.svg`` was drawn (else None)."""

    figure: Figure
    size: tuple[int, int] | None


def index_page(catalogue: Catalogue, entries: list[IndexEntry], site_assets: Assets | None = None,
               withdrawn: list[tuple[str, Withdrawal]] = ()) -> bytes:
    """``DIR/index.html``: every figure with its chart small (``chart.svg``), headline, confidence and attribution. No script.

    ``withdrawn`` lists the figures taken out, each with its last title, below the others.
    """
    stories = [catalogue.stories[s] for s in dict.fromkeys(f.story for f in catalogue.figures) if s in catalogue.stories]
    title = "Figures" + (f": {stories[0].title}" if len(stories) == 1 else "")
    items = []
    for entry in entries:
        figure = entry.figure
        width, height = entry.size or (0, 0)
        items.append({
            "id": figure.id, "title": figure.title, "headline": formatting.headline(figure),
            "summary": formatting.confidence_summary(figure), "source_line": formatting.source_line(figure, catalogue),
            "drawn": entry.size is not None, "width": width, "height": height,
        })
    return render(
        "index.html.j2", head=templating.Head(title=title, csp=CSP_PLAIN), title=title, assets=site_assets or assets(), figures=items,
        stories=[{"publisher": s.publisher, "title": s.title, "url": exports.safe_url(s.url), "published": s.published.label}
                 for s in stories],
        legend=[(c, formatting.CONFIDENCE_MEANING[c]) for c in Confidence],
        withdrawn=[{"id": w.id, "title": title, "date": w.date.label, "note": w.note} for title, w in withdrawn],
    ).encode("utf-8")


# -- embedding --------------------------------------------------------------------------------

def embed_snippet(embed_url: str, figure: Figure, height: int) -> str:
    """The embed code of a figure's card (:func:`figures.formatting.embed_snippet`)."""
    return formatting.embed_snippet(embed_url, figure, height)


def oembed(figure: Figure, base_url: str, size: tuple[int, int] | None, provider: str = GENERATOR,
           edition: Edition | None = None) -> dict:
    """The figure's oEmbed response (``type: rich``): the embed snippet in ``html``, with its width and height.

    The width is :data:`figures.exports.EXPORT_WIDTH` (the card is fluid; a
    consumer may set any width from 320 px), the height the card's fallback.
    With an ``edition``, the embed is of that version's folder: it never changes.
    """
    urls = figure_urls(base_url, figure.id, edition.number if edition else None)
    height = card_height(size, figure)
    return {
        "version": "1.0",
        "type": "rich",
        "title": figure.title,
        "provider_name": provider,
        "provider_url": base_url,
        "html": embed_snippet(urls.embed, figure, height),
        "width": exports.EXPORT_WIDTH,
        "height": height,
        "thumbnail_url": urls.png,
        "cache_age": 86400,
    }


# -- JSON-LD ----------------------------------------------------------------------------------

def json_ld(catalogue: Catalogue, figure: Figure, base_url: str | None = None, edition: Edition | None = None) -> dict:
    """The figure's schema.org description: a ``Dataset`` of its data and a ``ClaimReview`` per claim.

    Each review names the claim's claimant, where it appeared (the source
    and through whom), when it held, and our rating in words with its reason.
    The claimant's type is not known to the catalogue; it is written as an
    ``Organization`` (what schema.org's ``author`` of a ``Claim`` expects).
    """
    urls = figure_urls(base_url, figure.id, edition.number if edition is not None and edition.archived else None)
    claims = sorted(figure.claims, key=lambda c: c.as_of)
    info = figure.unit_info
    first, last = claims[0].as_of, claims[-1].as_of
    dataset: dict = {
        "@type": "Dataset",
        "name": figure.title,
        "description": figure.description or f"{formatting.headline(figure)}. {formatting.source_line(figure, catalogue)}",
        "variableMeasured": {"@type": "PropertyValue", "name": figure.title, "unitText": info.name},
        "temporalCoverage": first.iso if first == last else f"{first.iso}/{last.iso}",
        "isAccessibleForFree": True,
        "distribution": [{"@type": "DataDownload", "encodingFormat": "text/csv", "contentUrl": urls.data or "data.csv"}],
        "isBasedOn": [_creative_work(catalogue, s) for s in dict.fromkeys(c.source for c in claims) if s in catalogue.sources],
    }
    if urls.page:
        dataset["url"] = urls.page
    if edition is not None:
        dataset["version"] = str(edition.number)
        dataset["dateModified"] = edition.date.iso
    if figure.corrections:
        dataset["correction"] = [{"@type": "CorrectionComment", "datePublished": c.date.iso, "text": c.note} for c in figure.corrections]
    story = catalogue.stories.get(figure.story)
    if story is not None:
        work = {"@type": "NewsArticle", "headline": story.title, "publisher": {"@type": "Organization", "name": story.publisher},
                "datePublished": story.published.iso}
        if exports.safe_url(story.url):
            work["url"] = story.url
        dataset["citation"] = work
    graph = [dataset]
    for number, claim in enumerate(claims, 1):
        appearance = _creative_work(catalogue, claim.source)
        source = catalogue.sources.get(claim.source)
        item: dict = {"@type": "Claim", "author": {"@type": "Organization", "name": claim.claimant}, "appearance": appearance,
                      "text": claim.quote}
        if source is not None and source.published is not None:
            item["datePublished"] = source.published.iso
        review: dict = {
            "@type": "ClaimReview",
            "claimReviewed": f"{formatting.claim_value(claim, figure.unit_info)} as of {claim.as_of.label}",
            "itemReviewed": item,
            "temporalCoverage": claim.as_of.iso,
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": RATING_VALUES[claim.confidence],
                "bestRating": max(RATING_VALUES.values()),
                "worstRating": min(RATING_VALUES.values()),
                "alternateName": formatting.CONFIDENCE_LABELS[claim.confidence],
                "ratingExplanation": claim.confidence_note,
            },
        }
        if claim.via:
            review["itemReviewed"]["appearance"] = [appearance, *(_creative_work(catalogue, v) for v in claim.via)]
        if urls.page:
            review["url"] = f"{urls.page}#claim-{number}"
        graph.append(review)
    return {"@context": "https://schema.org", "@graph": graph}


def _creative_work(catalogue: Catalogue, source_id: str) -> dict:
    source = catalogue.sources.get(source_id)
    if source is None:
        return {"@type": "CreativeWork", "name": source_id}
    work: dict = {"@type": "CreativeWork", "name": source.name}
    if source.publisher:
        work["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.published is not None:
        work["datePublished"] = source.published.iso
    link = exports.safe_url(source.url)
    if link:
        work["url"] = link
    return work


def credit_line(figure: Figure, catalogue: Catalogue, page_url: str | None) -> str:
    """How to credit the figure when reusing it: its source line, and the page's address when known."""
    line = f"Credit: {formatting.source_line(figure, catalogue)}."
    return line + (f" Figure: {page_url}" if page_url else "")


def json_bytes(value: object) -> bytes:
    """A JSON file of the site: sorted keys, two-space indent, UTF-8, a final newline."""
    return (json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
