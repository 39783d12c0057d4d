"""Static publishing: every file for every figure, incremental and byte-identical rebuilds, atomic publishing, a valid Data Package, bad figures skipped."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from frictionless import validate

from figures import formatting, units
from figures import site as site_module
from figures.build import FIGURE_FILES, IMAGE_FILES, SITE_FILES, ImagesNotDrawn, build_site, datapackage, default_cache
from figures.cli import main
from figures.exports import EXPORTERS, read_csv
from figures.frames import COLUMN_DESCRIPTIONS, CSV_COLUMNS, NUMERIC_COLUMNS
from figures.loader import load, load_text
from figures.model import Catalogue
from figures.render import TIMEOUT_ENV
from tests.conftest import Page, files_of

ROOT = Path(__file__).resolve().parents[1]
REAL = load(ROOT / "data" / "figures.yaml")
HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(1)>"


def stamps_of(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and modification time."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.rglob("*")) if p.is_file()}


ASSET_FILES = {name for name, _ in site_module.assets().files}
"""The shared files of every site (``assets/vega-<hash>.js`` and the rest)."""


def site_files(figure_ids) -> set[str]:
    """The files of a site of these figures, all drawn, built without an address."""
    return {f"{fid}/{name}" for fid in figure_ids for name in FIGURE_FILES} | set(SITE_FILES) | ASSET_FILES


def undrawn_files(figure_ids) -> set[str]:
    """The files of these figures when their images could not be drawn."""
    return {f"{fid}/{name}" for fid in figure_ids for name in FIGURE_FILES if name not in IMAGE_FILES}


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> tuple[Path, Path, list[Path]]:
    """data/figures.yaml built twice, into two folders, each by two worker processes."""
    first, second = tmp_path_factory.mktemp("builds") / "site-a", tmp_path_factory.mktemp("builds") / "site-b"
    written = build_site(REAL, first, jobs=2, progress=False)
    build_site(REAL, second, jobs=2, progress=False)
    return first, second, written


@pytest.fixture
def bad_catalogue(catalogue_text, write) -> Path:
    """Three figures; the middle one has a unit nobody defined, so only it is left out."""
    return write(catalogue_text("unit: vehicle", "unit: humvee"))


def test_every_figure_gets_its_folder_with_every_file(sites):
    site, _, written = sites

    expected = site_files(f.id for f in REAL.figures) | {f"{f.id}/v{n}/{name}" for f in REAL.figures for n in range(1, REAL.published[f.id][0] + 1)
                                                          for name in FIGURE_FILES}
    assert set(files_of(site)) == expected  # the seed catalogue is published once: every figure has its version 1
    assert sorted(p.relative_to(site).as_posix() for p in written) == sorted(expected)
    assert all(p.stat().st_size > 0 for p in written)


def test_two_builds_into_two_folders_are_byte_identical(sites):
    first, second, _ = sites

    a, b = files_of(first), files_of(second)

    assert a.keys() == b.keys()
    assert [name for name in a if a[name] != b[name]] == []


def test_rebuilding_unchanged_data_changes_no_byte_and_no_modification_time(sites):
    site, _, written = sites
    before = stamps_of(site)

    again = build_site(REAL, site, jobs=1, progress=False)

    assert again == written
    assert stamps_of(site) == before


@pytest.mark.parametrize(("file", "fmt"), [("chart.png", "png"), ("chart.svg", "svg"), ("chart.vl.json", "vl.json"), ("data.csv", "csv")])
def test_published_files_are_the_same_bytes_as_the_app_downloads(sites, file, fmt):
    site, _, _ = sites
    figure = REAL.figure("russia-iskander-stock")

    assert (site / figure.id / file).read_bytes() == EXPORTERS[fmt].render(REAL, figure)


def test_whole_catalogue_csv_is_published_and_reads_back(sites):
    site, _, _ = sites

    data = (site / "figures.csv").read_bytes()

    assert data == EXPORTERS["csv"].render(REAL, None)
    assert len(read_csv(data)) == REAL.claim_count


def test_datapackage_validates_with_frictionless_against_the_published_csv(sites):
    site, _, _ = sites

    report = validate(str(site / "datapackage.json"))

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])
    assert report.stats["tasks"] == 1


def test_datapackage_fails_validation_when_the_csv_no_longer_matches(sites, tmp_path):
    site, _, _ = sites
    (tmp_path / "datapackage.json").write_bytes((site / "datapackage.json").read_bytes())
    (tmp_path / "figures.csv").write_bytes((site / "figures.csv").read_bytes().replace(b"23825", b"23826"))

    report = validate(str(tmp_path / "datapackage.json"))

    assert not report.valid
    assert "hash-count" in {error[0] for error in report.flatten(["type"])}


def test_datapackage_describes_every_csv_column_with_a_type_in_header_order(sites):
    site, _, _ = sites
    package = json.loads((site / "datapackage.json").read_bytes())
    header = (site / "figures.csv").read_bytes().split(b"\r\n", 1)[0].decode("utf-8").split(",")

    (resource,) = package["resources"]
    fields = resource["schema"]["fields"]
    assert [f["name"] for f in fields] == header == list(CSV_COLUMNS)
    types = {f["name"]: f["type"] for f in fields}
    assert {c for c, t in types.items() if t in ("number", "integer")} == set(NUMERIC_COLUMNS)
    assert types["credibility"] == "integer" and types["value"] == "number" and types["as_of"] == "string"
    assert all(f["description"] == COLUMN_DESCRIPTIONS[f["name"]] for f in fields)
    assert (package["name"], resource["path"], resource["format"], resource["encoding"], resource["mediatype"]) == (
        "figures", "figures.csv", "csv", "utf-8", "text/csv")
    assert package["title"]


def test_datapackage_lists_every_source_and_every_unit(sites):
    site, _, _ = sites
    package = json.loads((site / "datapackage.json").read_bytes())

    assert package["sources"] == [{"title": s.name, **({"path": s.url} if s.url else {})} for s in REAL.sources.values()]
    used = {f.unit for f in REAL.figures}
    assert {u["unit"] for u in package["units"]} == used
    for entry in package["units"]:
        info = units.unit_info(entry["unit"])
        assert (entry["dimension"], entry["canonical"], entry["factor"]) == (info.dimension, info.canonical, info.factor)
        assert entry["figures"] == [f.id for f in REAL.figures if f.unit == entry["unit"]]


def test_site_index_links_every_figure_with_headline_confidence_word_and_attribution(sites):
    site, _, _ = sites

    page = Page((site / "index.html").read_bytes())

    hrefs = [a["href"] for t, a in page.tags if t == "a"]
    for figure in REAL.figures:
        assert f"{figure.id}/index.html" in hrefs
        assert (site / figure.id / "index.html").is_file()
        for text in (figure.title, formatting.headline(figure), formatting.source_line(figure, REAL),
                     formatting.CONFIDENCE_LABELS[formatting.confidence_summary(figure)]):
            assert re.sub(r"\s+", " ", text) in page.text, text
    assert "figures.csv" in hrefs and "datapackage.json" in hrefs
    assert all((site / h).is_file() for h in hrefs if not h.startswith(("http:", "https:")))  # no broken local link


def test_site_index_is_responsive_runs_no_script_and_loads_only_files_of_the_site(sites):
    site, _, _ = sites

    page = Page((site / "index.html").read_bytes())

    assert ("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}) in page.tags
    assert not [t for t, a in page.tags if t in ("script", "iframe")]
    loaded = [a.get("src") or a.get("href") for t, a in page.tags if t in ("img", "link")]
    assert loaded and all(not re.match(r"[a-z]+:|//", url) and (site / url).is_file() for url in loaded)


def test_site_index_shows_every_figure_chart_small_from_its_drawn_svg(sites):
    site, _, _ = sites

    images = [a for t, a in Page((site / "index.html").read_bytes()).tags if t == "img"]

    assert [a["src"] for a in images] == [f"{f.id}/chart.svg" for f in REAL.figures]
    for attributes in images:
        drawn = ET.fromstring((site / attributes["src"]).read_bytes())
        assert (attributes["width"], attributes["height"]) == (drawn.get("width"), drawn.get("height"))
        assert attributes["loading"] == "lazy" and attributes["alt"] == ""  # the heading next to it names the figure


def test_hostile_text_is_escaped_in_the_site_index_and_the_figure_page(catalogue_text, tmp_path):
    text = catalogue_text("title: Target figure", f'title: "T {HOSTILE}"').replace('quote: "five"', f'quote: "Q {HOSTILE}"')
    catalogue = load_text(text.replace("claimant: Someone\n        source: src-a\n        quote: \"Q", f'claimant: "C {HOSTILE}"\n        source: src-a\n        quote: "Q'))
    assert catalogue.ok, [str(p) for p in catalogue.problems]

    build_site(catalogue, tmp_path, jobs=1, progress=False)

    index = (tmp_path / "index.html").read_text("utf-8")
    assert "<script" not in index and "<img src=x" not in index
    assert [a["src"] for t, a in Page(index.encode()).tags if t == "img"] == [f"{f.id}/chart.svg" for f in catalogue.figures]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index and "&lt;img src=x onerror=alert(1)&gt;" in index
    assert f"T {HOSTILE}" in Page(index.encode()).text
    for name in ("index.html", "embed.html"):
        page = (tmp_path / "target" / name).read_text("utf-8")
        scripts = [a for t, a in Page(page.encode()).tags if t == "script"]
        assert [a.get("type") or a.get("src", "").split("/")[-1].split("-")[0] for a in scripts] == (
            ["figure", "application/ld+json"] if name == "index.html" else ["figure"])
        assert "<script>alert" not in page and "<img src=x" not in page and "onerror=alert(1)>" not in page
        assert "&lt;img src=x onerror=alert(1)&gt;" in page  # in the text and in the chart drawn into the page
    ET.fromstring((tmp_path / "target" / "chart.svg").read_bytes())  # still well-formed XML


def test_a_rebuild_without_a_figure_publishes_no_folder_for_it(catalogue_text, tmp_path):
    out = tmp_path / "site"
    build_site(load_text(catalogue_text()), out, jobs=1, progress=False)

    build_site(load_text(catalogue_text("id: target", "id: renamed")), out, jobs=1, progress=False)

    assert set(files_of(out)) == site_files(["good-before", "renamed", "good-after"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "site.cache"]  # no staging folder left beside it


# -- incremental -------------------------------------------------------------------------------

@pytest.fixture
def built(catalogue_text, tmp_path) -> Path:
    """The three-figure catalogue built once into ``tmp_path/site`` (its cache beside it)."""
    out = tmp_path / "site"
    build_site(load_text(catalogue_text()), out, jobs=2, progress=False)
    return out


@pytest.fixture
def no_drawing(monkeypatch):
    """From now on a drawing process cannot even start: any figure a build must draw fails, and the build names it."""
    monkeypatch.setenv(TIMEOUT_ENV, "0.001")


def test_an_unchanged_rebuild_draws_nothing_and_keeps_every_byte_and_modification_time(built, catalogue_text, no_drawing):
    before = stamps_of(built)

    build_site(load_text(catalogue_text()), built, jobs=2, progress=False)  # would raise ImagesNotDrawn if it drew

    assert stamps_of(built) == before


def test_a_changed_value_redraws_that_figure_alone(built, catalogue_text, monkeypatch):
    changed = load_text(catalogue_text("- value: 5", "- value: 6"))
    before = stamps_of(built)
    with monkeypatch.context() as patch:
        patch.setenv(TIMEOUT_ENV, "0.001")
        with pytest.raises(ImagesNotDrawn) as caught:
            build_site(changed, built, jobs=2, progress=False)
    assert list(caught.value.failures) == ["target"]  # the only figure that had to be drawn

    build_site(changed, built, jobs=2, progress=False)

    after = stamps_of(built)
    for fmt, name in (("png", "chart.png"), ("svg", "chart.svg")):
        assert after[f"target/{name}"][0] == EXPORTERS[fmt].render(changed, changed.figure("target")) != before[f"target/{name}"][0]
    assert {k: v for k, v in after.items() if k.startswith("good-")} == {k: v for k, v in before.items() if k.startswith("good-")}


def test_a_changed_quote_rewrites_the_pages_but_not_the_images_it_does_not_appear_in(built, catalogue_text, no_drawing):
    changed = load_text(catalogue_text('quote: "five"', 'quote: "five, said someone"'))
    before = stamps_of(built)

    build_site(changed, built, jobs=2, progress=False)

    after = stamps_of(built)
    assert "five, said someone" in after["target/index.html"][0].decode()
    assert after["target/chart.png"] == before["target/chart.png"] and after["target/chart.svg"] == before["target/chart.svg"]
    assert after["target/data.csv"] != before["target/data.csv"]


def test_moving_a_figure_in_the_file_redraws_nothing(built, catalogue_text, no_drawing):
    moved = load_text(catalogue_text(before="stories:", insert="# an editor's comment\n# and another\n"))
    before = stamps_of(built)

    build_site(moved, built, jobs=2, progress=False)

    assert stamps_of(built) == before


def _object(site: Path, relative: str) -> Path:
    sha = hashlib.sha256((site / relative).read_bytes()).hexdigest()
    return default_cache(site) / "objects" / sha[:2] / sha


@pytest.mark.parametrize("damage", ["truncated image", "image replaced", "entries unreadable", "objects deleted"])
def test_a_damaged_cache_is_drawn_again_never_served(built, catalogue_text, monkeypatch, damage):
    catalogue = load_text(catalogue_text())
    cache = default_cache(built)
    good = files_of(built)
    if damage == "truncated image":
        target = _object(built, "target/chart.png")
        target.write_bytes(target.read_bytes()[:100])
    elif damage == "image replaced":
        _object(built, "target/chart.svg").write_bytes(good["good-after/chart.svg"])
    elif damage == "entries unreadable":
        for entry in (cache / "entries").rglob("*.json"):
            entry.write_bytes(b"{not json")
    else:
        shutil.rmtree(cache / "objects")
    with monkeypatch.context() as patch:
        patch.setenv(TIMEOUT_ENV, "0.001")
        with pytest.raises(ImagesNotDrawn) as caught:
            build_site(catalogue, built, jobs=2, progress=False)
    assert caught.value.failures  # what was damaged had to be drawn again

    build_site(catalogue, built, jobs=2, progress=False)

    assert files_of(built) == good


def test_the_cache_keeps_only_what_the_last_build_used(built, catalogue_text):
    cache = default_cache(built)

    build_site(load_text(catalogue_text("- value: 5", "- value: 6")), built, jobs=2, progress=False)

    objects = {p.name for p in (cache / "objects").rglob("*") if p.is_file()}
    published = {hashlib.sha256(p.read_bytes()).hexdigest() for p in built.rglob("*") if p.is_file()}
    narrow = {json.loads(p.read_bytes())["chart-narrow.svg"] for p in (cache / "entries" / "images").rglob("*.json")}
    assert len(narrow) == 3  # each figure's drawing for phones, inside its pages rather than a file of its own
    assert objects == published | narrow  # Vega's bundle, kept to spare vl-convert a second of building it, is assets/vega-*.js


def test_datapackage_of_a_small_catalogue_names_its_story(catalogue_text):
    package = datapackage(load_text(catalogue_text()))

    assert package["title"] == "Figures: A story"
    assert package["sources"] == [{"title": "Source A"}]  # no url in the catalogue, none invented
    assert [u["unit"] for u in package["units"]] == ["vehicle", "missile"]


def poisoned(catalogue: Catalogue, figure_id: str) -> Catalogue:
    """``catalogue`` with a noncharacter in one figure's title: vl-convert aborts the process that draws it.

    Built here because the checker refuses such a title in a file.
    """
    figures = tuple(dataclasses.replace(f, title=f"{f.title} ab\ufffecd") if f.id == figure_id else f for f in catalogue.figures)
    return dataclasses.replace(catalogue, figures=figures)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_figure_the_renderer_cannot_draw_loses_only_its_images_and_the_build_says_so(catalogue_text, tmp_path, jobs, capfd):
    out = tmp_path / "site"
    build_site(load_text(catalogue_text()), out, jobs=jobs, progress=False)  # an earlier build, with images of other data
    catalogue = poisoned(load_text(catalogue_text()), "target")

    with pytest.raises(ImagesNotDrawn) as caught:
        build_site(catalogue, out, jobs=jobs, progress=False)

    assert list(caught.value.failures) == ["target"]
    assert caught.value.failures["target"].startswith("the drawing process was killed by SIGABRT: ")
    good = ("good-before", "good-after")
    site = files_of(out)
    assert set(site) == site_files(good) | undrawn_files(["target"])
    assert sorted(p.relative_to(out).as_posix() for p in caught.value.written) == sorted(site)
    for fid in good:
        for file, fmt in (("chart.png", "png"), ("chart.svg", "svg")):
            assert site[f"{fid}/{file}"] == EXPORTERS[fmt].render(catalogue, catalogue.figure(fid)), (fid, file)
    index = Page(site["index.html"])
    hrefs = [a["href"] for t, a in index.tags if t == "a"]
    assert "target/index.html" in hrefs and "good-before/chart.png" in hrefs and "target/chart.png" not in hrefs
    assert all((out / h).is_file() for h in hrefs if not h.startswith(("http:", "https:")))  # no broken local link
    assert index.text.count("(the images could not be drawn)") == 1
    assert "(the images could not be drawn)" in Page(site["target/index.html"]).text
    assert "panicked" not in capfd.readouterr().err


def test_python_m_figures_build_reports_each_figure_it_could_not_draw_writes_the_rest_and_exits_1(catalogue_text, write, tmp_path):
    """A renderer that never answers in time, through the real command: every figure fails to draw and nothing else does.

    (A catalogue file cannot carry a title vl-convert crashes on, because the checker refuses it; a timeout is the
    renderer failure a file-driven run can meet. The crash itself, with one and two drawing processes, is tested above
    through build_site.)
    """
    path = write(catalogue_text())
    out = tmp_path / "site"

    done = subprocess.run([sys.executable, "-m", "figures", "build", str(path), "-o", str(out), "-j", "2", "--no-progress"],
                          capture_output=True, text=True, timeout=120, env={**os.environ, TIMEOUT_ENV: "0.001"})

    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    assert [line for line in lines if line.startswith("not drawn: ")] == [
        f"not drawn: {fid}: the drawing process did not start within 0.001 s" for fid in ("good-before", "target", "good-after")]
    assert lines[-1] == "3 figure(s) have no images: the renderer failed on them; every other file was published"
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert set(files_of(out)) == set(SITE_FILES) | ASSET_FILES | undrawn_files(["good-before", "target", "good-after"])


# -- the command line -------------------------------------------------------------------------

def test_build_with_a_bad_figure_builds_the_others_reports_it_and_exits_0(runner, bad_catalogue, tmp_path):
    out = tmp_path / "site"
    problems = load(bad_catalogue).problems
    assert problems

    result = runner.invoke(main, ["build", str(bad_catalogue), "-o", str(out), "-j", "2"])

    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["assets", "good-after", "good-before"]
    assert all((out / fid / name).is_file() for fid in ("good-after", "good-before") for name in FIGURE_FILES)
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped: ")]
    assert skipped == [f"skipped: {p}" for p in problems]
    assert re.match(rf"skipped: {re.escape(str(bad_catalogue))}:\d+: ", skipped[0])
    assert "Building figures" in result.stderr  # the progress bar, on standard error
    assert result.stdout == ""


def test_build_strict_exits_1_on_any_problem_but_still_writes_the_valid_figures(runner, bad_catalogue, tmp_path):
    result = runner.invoke(main, ["build", str(bad_catalogue), "-o", str(tmp_path / "site"), "-j", "1", "--strict", "--no-progress"])

    assert result.exit_code == 1
    assert (tmp_path / "site" / "good-before" / "index.html").is_file()
    assert "Building figures" not in result.stderr


def test_build_with_no_valid_figure_exits_1(runner, write, tmp_path):
    path = write("figures: [\n")

    result = runner.invoke(main, ["build", str(path), "-o", str(tmp_path / "site")])

    assert result.exit_code == 1
    assert "no valid figure to build" in result.stderr
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(("args", "message"), [(["missing.yaml", "-o", "out"], "no such file"), (["-o", "file.txt"], "is a file"), ([], "Missing option")])
def test_build_usage_errors_exit_2(runner, repo, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "file.txt").write_text("x")
    monkeypatch.setenv("FIGURES_DATA", str(repo / "data" / "figures.yaml"))

    result = runner.invoke(main, ["build", *args])

    assert result.exit_code == 2
    assert message in result.stderr


def test_build_reads_figures_data_when_no_path_is_given(runner, catalogue_text, write, tmp_path, monkeypatch):
    monkeypatch.setenv("FIGURES_DATA", str(write(catalogue_text())))

    result = runner.invoke(main, ["build", "-o", str(tmp_path / "site"), "-j", "1"])

    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(tmp_path / "site")) == sorted(["assets", "good-after", "good-before", "target", *SITE_FILES])


def test_each_page_of_the_site_draws_its_own_address_and_the_licence_under_its_chart(tmp_path, monkeypatch):
    monkeypatch.setenv("FIGURES_LICENCE", "CC BY 4.0")
    figure = REAL.figure("russian-guns-firing-days")  # published twice: a live page and v1, v2
    build_site(REAL, tmp_path / "site", jobs=1, progress=False, base_url="https://news.example/figures/")

    for folder in (figure.id, f"{figure.id}/v1"):
        drawn = "".join(ET.fromstring((tmp_path / "site" / folder / "chart.svg").read_bytes()).itertext()).replace(" ", "")
        assert f"https://news.example/figures/{folder}/·CCBY4.0" in drawn, folder
