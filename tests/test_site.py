"""The static site's pages: the chart drawn into the page, JSON-LD, oEmbed, the embed card and snippet, shared assets."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from figures import formatting, site
from figures.build import build_site
from figures.loader import load, load_text
from figures.model import Confidence
from tests.conftest import Page

ROOT = Path(__file__).resolve().parents[1]
REAL = load(ROOT / "data" / "figures.yaml")
BASE = "https://news.example/figures/"
HOSTILE = '</script><script>alert(1)</script> "quoted" <b>bold</b>'


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """The seed catalogue published with its address."""
    out = tmp_path_factory.mktemp("published") / "site"
    build_site(REAL, out, jobs=2, progress=False, base_url=BASE)
    return out


@pytest.fixture(scope="module")
def unaddressed(tmp_path_factory) -> Path:
    """The seed catalogue published without an address."""
    out = tmp_path_factory.mktemp("unaddressed") / "site"
    build_site(REAL, out, jobs=2, progress=False)
    return out


FIGURES = ["russia-iskander-stock", "humvees-left", "us-weapons-share-left"]


@pytest.mark.parametrize("name", ["index.html", "embed.html"])
@pytest.mark.parametrize("figure_id", FIGURES)
def test_the_chart_is_drawn_into_the_page_with_its_title_and_description(published, figure_id, name):
    figure = REAL.figure(figure_id)
    data = (published / figure_id / name).read_bytes()

    page = Page(data)

    svg = (published / figure_id / "chart.svg").read_text("utf-8")
    assert f'<div id="chart" class="chart"><div class="drawn wide" data-spec="wide">{svg}</div><div class="drawn narrow" data-spec="narrow"><svg' in data.decode("utf-8")
    wide, narrow = page.attributes("svg", role="img")
    assert wide["aria-labelledby"] == f"{figure_id}-title {figure_id}-desc"
    assert narrow["aria-labelledby"] == f"{figure_id}-narrow-title {figure_id}-narrow-desc"
    assert int(narrow["width"]) < int(wide["width"]) * 0.7  # the phone's drawing: laid out for its width, not shrunk
    assert "noscript" not in [t for t, _ in page.tags]  # nothing to say: the chart is there without a script
    assert formatting.headline(figure) in page.text


@pytest.mark.parametrize("name", ["index.html", "embed.html"])
def test_a_page_loads_only_the_sites_own_hashed_assets_by_relative_url(published, name):
    page = Page((published / "humvees-left" / name).read_bytes())

    loaded = [a["src"] for a in page.attributes("script") if "src" in a] + [a["href"] for a in page.attributes("link", rel="stylesheet")]
    vega = page.attributes("html")[0]["data-vega"]

    assert loaded and all(url.startswith("../assets/") for url in loaded + [vega])
    assert all((published / "humvees-left" / url).is_file() for url in loaded + [vega])
    assert all(re.fullmatch(r"\.\./assets/[a-z]+-[0-9a-f]{16}\.(js|css)", url) for url in loaded + [vega])
    (csp,) = page.attributes("meta", **{"http-equiv": "Content-Security-Policy"})
    assert "default-src 'none'" in csp["content"] and "script-src 'self' 'unsafe-eval'" in csp["content"]


def test_vega_is_written_once_per_site_not_once_per_figure(published):
    bundles = list(published.rglob("vega-*.js"))

    assert [p.relative_to(published).parent.as_posix() for p in bundles] == ["assets"]
    biggest_page = max(p.stat().st_size for p in published.glob("*/index.html"))
    assert biggest_page < bundles[0].stat().st_size / 10


def test_the_figure_page_links_back_to_the_index_and_offers_every_download_that_exists(published):
    page = Page((published / "russia-iskander-stock" / "index.html").read_bytes())

    hrefs = [a["href"] for a in page.attributes("a")]

    assert "../index.html" in hrefs
    for name in ("chart.png", "chart.svg", "chart.vl.json", "data.csv", "embed.html"):
        assert name in hrefs and (published / "russia-iskander-stock" / name).is_file()


def test_json_ld_describes_the_dataset_and_reviews_every_claim_with_claimant_appearance_date_and_rating(published):
    figure = REAL.figure("russia-iskander-stock")
    page = Page((published / figure.id / "index.html").read_bytes())

    data = json.loads(page.script_of("application/ld+json"))

    assert data["@context"] == "https://schema.org"
    dataset, *reviews = data["@graph"]
    assert dataset["@type"] == "Dataset" and dataset["name"] == figure.title
    assert dataset["url"] == f"{BASE}{figure.id}/"
    assert dataset["temporalCoverage"] == "2022-02/2022-11"
    assert dataset["distribution"] == [{"@type": "DataDownload", "encodingFormat": "text/csv", "contentUrl": f"{BASE}{figure.id}/data.csv"}]
    story = REAL.stories[figure.story]
    assert dataset["citation"]["headline"] == story.title and dataset["citation"]["publisher"]["name"] == story.publisher
    claims = sorted(figure.claims, key=lambda c: c.as_of)
    assert [r["@type"] for r in reviews] == ["ClaimReview"] * len(claims)
    for number, (review, claim) in enumerate(zip(reviews, claims, strict=True), 1):
        source = REAL.sources[claim.source]
        assert review["itemReviewed"]["author"]["name"] == claim.claimant
        assert review["itemReviewed"]["appearance"]["name"] == source.name
        assert review["itemReviewed"]["text"] == claim.quote
        assert review["temporalCoverage"] == claim.as_of.iso
        rating = review["reviewRating"]
        assert rating["alternateName"] == formatting.CONFIDENCE_LABELS[claim.confidence]
        assert rating["ratingExplanation"] == claim.confidence_note
        assert (rating["worstRating"], rating["bestRating"]) == (1, 4)
        assert review["url"] == f"{BASE}{figure.id}/#claim-{number}"
        assert page.attributes("li", id=f"claim-{number}")


def test_json_ld_ratings_run_from_unverified_to_confirmed():
    assert [site.RATING_VALUES[c] for c in (Confidence.UNVERIFIED, Confidence.CLAIMED, Confidence.REPORTED, Confidence.CONFIRMED)] == [1, 2, 3, 4]


def test_oembed_is_discoverable_from_the_page_and_answers_rich_with_the_embed_snippet(published):
    figure = REAL.figure("humvees-left")
    page = Page((published / figure.id / "index.html").read_bytes())

    (link,) = page.attributes("link", rel="alternate", type="application/json+oembed")
    oembed = json.loads((published / figure.id / "oembed.json").read_bytes())

    assert link["href"] == f"{BASE}{figure.id}/oembed.json" and link["title"] == figure.title
    assert (oembed["version"], oembed["type"], oembed["title"]) == ("1.0", "rich", figure.title)
    assert oembed["provider_url"] == BASE and oembed["thumbnail_url"] == f"{BASE}{figure.id}/v1/chart.png"  # the seed is published once
    assert isinstance(oembed["width"], int) and isinstance(oembed["height"], int)
    snippet = Page(oembed["html"].encode())
    (iframe,) = snippet.attributes("iframe")
    assert iframe["src"] == f"{BASE}{figure.id}/v1/embed.html" and iframe["height"] == str(oembed["height"])  # its version: never changes
    ((attributes, script),) = snippet.script_elements
    assert script == formatting.HOST_SCRIPT and "figures:height" in script
    assert page.textareas == [oembed["html"]]  # the page shows journalists the same code
    (canonical,) = page.attributes("link", rel="canonical")
    assert canonical["href"] == f"{BASE}{figure.id}/"


def test_the_fallback_height_leaves_room_for_the_drawn_chart_and_its_text(published):
    svg = (published / "russia-iskander-stock" / "chart.svg").read_bytes()

    height = json.loads((published / "russia-iskander-stock" / "oembed.json").read_bytes())["height"]

    chart_height = int(re.search(rb'height="([0-9]+)"', svg).group(1))
    assert height == chart_height + site.CARD_TEXT_HEIGHT


def test_without_its_address_a_site_has_no_oembed_canonical_or_embed_code_and_says_how_to_get_them(unaddressed):
    page = Page((unaddressed / "humvees-left" / "index.html").read_bytes())

    assert not (unaddressed / "humvees-left" / "oembed.json").exists()
    assert not page.attributes("link", rel="canonical") and not page.attributes("link", rel="alternate")
    assert page.textareas == [] and "figures build --base-url" in page.text
    data = json.loads(page.script_of("application/ld+json"))
    assert "url" not in data["@graph"][0] and data["@graph"][0]["distribution"][0]["contentUrl"] == "data.csv"


def test_hostile_text_stays_text_in_the_json_ld_the_snippet_and_the_card(catalogue_text, tmp_path):
    text = catalogue_text("title: Target figure", f"title: '{HOSTILE}'").replace('quote: "five"', f"quote: '{HOSTILE}'")
    catalogue = load_text(text)
    assert catalogue.ok, [str(p) for p in catalogue.problems]
    out = tmp_path / "site"

    build_site(catalogue, out, jobs=1, progress=False, base_url=BASE)

    for name in ("index.html", "embed.html"):
        raw = (out / "target" / name).read_text("utf-8")
        page = Page(raw.encode())
        assert "<script>alert(1)" not in raw and "<b>bold</b>" not in raw
        assert page.attributes("h1") and HOSTILE in page.text
    page = Page((out / "target" / "index.html").read_bytes())
    data = json.loads(page.script_of("application/ld+json"))
    assert data["@graph"][0]["name"] == HOSTILE and data["@graph"][1]["itemReviewed"]["text"] == HOSTILE
    oembed = json.loads((out / "target" / "oembed.json").read_bytes())
    (iframe,) = Page(oembed["html"].encode()).attributes("iframe")
    assert iframe["title"] == HOSTILE and oembed["title"] == HOSTILE
    assert page.textareas == [oembed["html"]]


def test_the_specs_file_is_a_json_literal_whatever_the_data_holds(catalogue_text, tmp_path):
    catalogue = load_text(catalogue_text("title: Target figure", f"title: '{HOSTILE}'"))
    out = tmp_path / "site"
    build_site(catalogue, out, jobs=1, progress=False)

    text = (out / "target" / "specs.js").read_text("utf-8")

    prefix, suffix = "window.figuresSpecs = ", ";\n"
    assert text.startswith(prefix) and text.endswith(suffix)
    specs = json.loads(text[len(prefix):-len(suffix)])  # nothing but one JSON value between them
    assert set(specs) == {"wide", "narrow"} and specs["wide"] == json.loads((out / "target" / "chart.vl.json").read_bytes())
    assert "<" not in text and any(HOSTILE in string for string in strings(specs))


def test_the_host_script_only_ever_sets_a_bounded_height_on_the_frame_that_sent_it():
    script = formatting.HOST_SCRIPT

    assert "e.source" in script and "contentWindow" in script
    assert f"Math.max({formatting.MIN_EMBED_HEIGHT},Math.min({formatting.MAX_EMBED_HEIGHT}" in script
    assert "innerHTML" not in script and "eval" not in script


def strings(value) -> list[str]:
    """Every string inside a JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    return [s for item in value for s in strings(item)] if isinstance(value, list) else []


DRAWN = '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50" viewBox="0 0 100 50">{}</svg>'


@pytest.mark.parametrize(("inside", "kept"), [
    ('<g><rect width="10" height="10" fill="#FFF"/><text>a &lt;script&gt; onerror=alert(1) in words</text></g>', True),
    ('<defs><clipPath id="c"><rect width="1" height="1"/></clipPath></defs><g clip-path="url(#c)"/>', True),
    ("<script>alert(1)</script>", False),
    ('<rect width="1" height="1" onclick="alert(1)"/>', False),
    ('<a href="https://elsewhere.example/"><text>x</text></a>', False),
    ('<image href="https://elsewhere.example/x.png"/>', False),
    ("<foreignObject><p>x</p></foreignObject>", False),
    ('<rect width="1" height="1" fill="url(https://elsewhere.example/p.svg#x)"/>', False),
    ("<style>@import url(https://elsewhere.example/x.css);</style>", False),
])
def test_only_a_drawing_of_shapes_and_text_is_put_into_a_page(inside, kept):
    markup, size = site.chart_markup(site.Drawings({}, {}, DRAWN.format(inside).encode(), DRAWN.format(inside).encode()))

    assert ("<svg" in markup) is kept and (size == (100, 50)) is kept
    if not kept:
        assert "every value is listed below" in markup


def test_a_refused_narrow_drawing_leaves_the_wide_one_alone_on_every_screen():
    markup, size = site.chart_markup(site.Drawings({}, {}, DRAWN.format("<g/>").encode(), DRAWN.format("<script>x</script>").encode()))

    assert markup.count("<svg") == 1 and 'class="drawn wide"' in markup and "narrow" not in markup and size == (100, 50)


def test_a_missing_drawing_leaves_room_and_says_the_values_are_below():
    markup, size = site.chart_markup(None)

    assert size is None and "every value is listed below" in markup
    assert site.fallback_height(None) == site.DEFAULT_CHART_HEIGHT + site.CARD_TEXT_HEIGHT


def test_the_live_page_says_under_each_claim_that_its_quote_was_checked_against_the_archived_story(published):
    page = Page((published / "russia-iskander-stock" / "index.html").read_bytes())

    assert page.text.count("Quote checked against the text of the story as published.") == 2  # one per claim
