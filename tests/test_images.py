"""Images: one drawing per chart, an accessible SVG, and a module light enough for build workers to start at once."""

from __future__ import annotations

import io
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
import vl_convert
from PIL import Image

from figures import images
from figures.exports import chart_spec
from figures.loader import load
from tests.conftest import HOSTILE, SHAPES, SVG_NS, svg_text
from tests.test_charts import CATALOGUE, FIGURE_IDS


def test_the_module_loads_vl_convert_and_nothing_heavy():
    code = "import sys, figures.images; print(' '.join(sorted(m for m in ('altair', 'pandas', 'pint', 'yaml', 'streamlit', 'click', 'jinja2') if m in sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "", f"figures.images pulled in {done.stdout.strip()}: build workers would start slowly"


def pixels(png: bytes) -> tuple:
    """A PNG's size, mode and pixels, whatever its compression."""
    with Image.open(io.BytesIO(png)) as image:
        return image.size, image.mode, image.tobytes()


@pytest.mark.parametrize("figure_id", SHAPES)
def test_png_and_svg_come_from_one_drawing_and_the_png_is_what_vl_convert_draws(figure_id):
    """The SVG is drawn once and rasterised; the picture a journalist downloads is vl-convert's, in under half its bytes."""
    spec = chart_spec(CATALOGUE, CATALOGUE.figure(figure_id))
    png, svg = images.png_and_svg(spec, figure_id, "Title", "Description")
    theirs = vl_convert.vegalite_to_png(spec, scale=images.PNG_SCALE)
    assert pixels(png) == pixels(theirs)  # the same picture,
    assert len(png) < len(theirs) / 2  # in less than half the bytes
    assert svg == images.accessible_svg(images.draw(spec), figure_id, "Title", "Description")


@pytest.mark.parametrize("title", ["Plain", HOSTILE, 'Quotes " and \' & ampersands', "]]><!-- -->"])
def test_accessible_svg_names_the_image_first_and_keeps_hostile_text_as_text(hostile, title):
    """A chart whose title, claimant and source hold HTML, labelled with hostile text: well-formed, inert, and every word shown."""
    catalogue, figure = hostile
    drawn = images.draw(chart_spec(catalogue, figure))

    root = ET.fromstring(images.accessible_svg(drawn, "target", title, f"{title}, described"))

    assert root.get("role") == "img" and root.get("aria-labelledby") == "target-title target-desc"
    first, second = list(root)[:2]
    assert (first.tag, first.get("id"), first.text) == (f"{SVG_NS}title", "target-title", title)
    assert (second.tag, second.get("id"), second.text) == (f"{SVG_NS}desc", "target-desc", f"{title}, described")
    assert not [e.tag for e in root.iter() if e.tag.rsplit("}", 1)[-1] in ("script", "img", "foreignObject", "iframe")]
    assert not [name for e in root.iter() for name in e.attrib if name.lower().startswith("on")]
    assert "alert(1)" in svg_text(root)  # the hostile title and source line, drawn as the words they are


def test_accessible_svg_refuses_what_is_not_an_svg():
    with pytest.raises(ValueError, match="does not start with <svg>"):
        images.accessible_svg("<html></html>", "x", "t", "d")


def test_hostile_figures_draw_as_images(repo):
    hostile = load(repo / "tests" / "hostile.yaml")
    for figure in hostile.figures:
        png, svg = images.png_and_svg(chart_spec(hostile, figure), figure.id, figure.title, figure.title)
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        ET.fromstring(svg)


@pytest.mark.parametrize("figure_id", FIGURE_IDS[:2])
def test_draw_png_and_draw_svg_give_the_images_of_one_drawing(figure_id):
    """What a renderer's child runs for a PNG or an SVG download: the same bytes as drawing both at once."""
    spec = chart_spec(CATALOGUE, CATALOGUE.figure(figure_id))

    both = images.png_and_svg(spec, figure_id, "Title", "Description")

    assert (images.draw_png(spec), images.draw_svg(spec, figure_id, "Title", "Description")) == both
