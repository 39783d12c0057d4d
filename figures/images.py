"""Images: a chart's Vega-Lite spec drawn as SVG and PNG by vl-convert.

This module imports nothing but vl-convert and Pillow, so the worker processes of
``figures build`` that draw the images start in a tenth of a second instead of
loading Altair, pandas and pint. :mod:`figures.exports` serves the same
functions to the app and the command line, so every image is the same bytes
wherever it is made; :mod:`figures.render` calls them in a child process, so
a renderer that crashes takes only that child down.
"""

from __future__ import annotations

import html
import io
import re

import vl_convert
from PIL import Image

PNG_SCALE = 2
"""PNGs are drawn at twice the chart's size, sharp on high-density screens and in print."""
PNG_COMPRESS_LEVEL = 6
"""zlib's level for the PNGs (its default): 9 saves 2% more in twice the time."""


def draw(spec: dict) -> str:
    """Draw a spec as SVG text with vl-convert; the PNG and the SVG export both start from it."""
    return vl_convert.vegalite_to_svg(spec)


def png(drawn: str) -> bytes:
    """A drawing as a PNG at :data:`PNG_SCALE`, compressed.

    vl-convert rasterises the SVG (the same pixels as
    ``vl_convert.vegalite_to_png`` on the spec, in less than half the time when
    the SVG is drawn anyway) but writes them barely compressed; Pillow writes
    the same pixels again with PNG's adaptive filters and zlib's default
    level, about a third of the bytes (139 KB to 54 KB for the Iskander chart)
    for some 40 ms more.
    """
    raw = vl_convert.svg_to_png(drawn, scale=PNG_SCALE)
    with Image.open(io.BytesIO(raw)) as image:
        out = io.BytesIO()
        image.save(out, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
    return out.getvalue()


def draw_png(spec: dict) -> bytes:
    """The PNG of a spec, drawn via its SVG (what :func:`figures.exports.png` serves)."""
    return png(draw(spec))


def draw_svg(spec: dict, element_id: str, title: str, description: str) -> bytes:
    """The accessible SVG of a spec (:func:`accessible_svg` of its drawing; what :func:`figures.exports.svg` serves)."""
    return accessible_svg(draw(spec), element_id, title, description)


def accessible_svg(drawn: str, element_id: str, title: str, description: str) -> bytes:
    """A drawing as an accessible image: ``<title>`` and ``<desc>`` first inside the root ``<svg>``.

    The root gets ``role="img"`` and ``aria-labelledby`` naming both. Their
    ids are ``<element_id>-title`` and ``<element_id>-desc`` (a figure id is a
    slug), so several SVGs can share a page.

    Raises
    ------
    ValueError
        If ``drawn`` does not start with an ``<svg>`` element.
    """
    match = re.match(r"\s*(?:<\?xml[^>]*\?>\s*)?<svg\b([^>]*)>", drawn)
    if match is None:
        raise ValueError("vl-convert returned something that does not start with <svg>")
    attributes = re.sub(r'\s(?:role|aria-[a-z]+)="[^"]*"', "", match.group(1))
    title_id, desc_id = f"{element_id}-title", f"{element_id}-desc"
    root = f'<svg{attributes} role="img" aria-labelledby="{title_id} {desc_id}">'
    accessible = (f'<title id="{title_id}">{html.escape(title, quote=True)}</title>'
                  f'<desc id="{desc_id}">{html.escape(description, quote=True)}</desc>')
    return (root + accessible + drawn[match.end():]).encode("utf-8")


def png_and_svg(spec: dict, element_id: str, title: str, description: str) -> tuple[bytes, bytes]:
    """Both images of one chart from a single drawing: the PNG and the accessible SVG."""
    drawn = draw(spec)
    return png(drawn), accessible_svg(drawn, element_id, title, description)


def page_drawings(spec: dict, narrow: dict, element_id: str, title: str, description: str) -> tuple[bytes, bytes, bytes]:
    """A published figure's drawings in one task: the PNG and SVG of ``spec``, and the SVG of its ``narrow`` layout for phones.

    The narrow SVG's element ids end in ``-narrow``, so both SVGs can share a page.
    """
    image, svg = png_and_svg(spec, element_id, title, description)
    return image, svg, accessible_svg(draw(narrow), f"{element_id}-narrow", title, description)
