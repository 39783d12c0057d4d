"""Static publishing: ``figures build`` writes a folder any static host or CDN can serve.

The Streamlit app is the newsroom's working view; readers at scale get these
plain files::

    DIR/index.html            every figure: headline, confidence in words, attribution, links
    DIR/figures.csv           the whole catalogue, one row per claim (the tidy CSV)
    DIR/datapackage.json      a Frictionless Tabular Data Package describing figures.csv
    DIR/<id>/index.html       the standalone, embeddable page of one figure (works offline)
    DIR/<id>/chart.png        the chart, 2x, title, qualifier and source line inside
    DIR/<id>/chart.svg        the same, with <title> and <desc>
    DIR/<id>/chart.vl.json    its Vega-Lite spec
    DIR/<id>/data.csv         the figure's claims

Every file comes from :data:`figures.exports.EXPORTERS` (or the same
functions), so a published file and an app download are the same bytes.
Rebuilding unchanged data gives byte-identical files (no timestamps, sorted
keys), and files whose bytes did not change are not rewritten, so their
modification times stay put for rsync and CDN uploads. Child processes
(:class:`figures.render.Pool`) draw the images, one figure per task, while the
main process builds the specs and writes the pages and every file; the images
are never drawn in the main process. A figure whose images cannot be drawn
(the renderer crashed, hung or refused it) is one failure: its images are left
out (an earlier build's are removed), the rest of the site is written, its
entry in the index says so, and :func:`build_site` then raises
:class:`ImagesNotDrawn` naming it.
"""

from __future__ import annotations

import collections
import contextlib
import hashlib
import html
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Collection, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import click

from figures import exports, formatting, images, render, units
from figures.frames import COLUMN_DESCRIPTIONS, CSV_COLUMNS, NUMERIC_COLUMNS
from figures.model import Catalogue, Confidence, Figure, Qualifier

FIGURE_FILES = ("index.html", "chart.png", "chart.svg", "chart.vl.json", "data.csv")
"""The files of one figure's folder, ``DIR/<id>/``."""
IN_FLIGHT_PER_JOB = 4
"""Drawing tasks queued per drawing process, at most, while the main process builds the next figures' files."""
IMAGE_FILES = ("chart.png", "chart.svg")
"""The files of a figure's folder that a renderer draws."""
SITE_FILES = ("index.html", "figures.csv", "datapackage.json")
"""The files at the top of the folder."""
INTEGER_COLUMNS = ("credibility",)
DATAPACKAGE_NAME = "figures"
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


class ImagesNotDrawn(Exception):
    """The site was written, but the images of some figures could not be drawn.

    Attributes
    ----------
    failures : dict of str to str
        Figure id to why its images were not drawn (one line, from :attr:`figures.render.RenderError.reason`).
    written : list of Path
        Every file of the site that was written, sorted (what :func:`build_site` returns otherwise).
    """

    def __init__(self, failures: dict[str, str], written: list[Path]) -> None:
        super().__init__("images not drawn: " + "; ".join(f"{fid}: {why}" for fid, why in failures.items()))
        self.failures = failures
        self.written = written


def build_site(catalogue: Catalogue, out_dir: Path, jobs: int = 2, progress: bool = True) -> list[Path]:
    """Write the static site of ``catalogue``'s valid figures into ``out_dir``.

    Parameters
    ----------
    catalogue : Catalogue
        The loaded catalogue; figures with problems are already left out of
        it by the loader (the caller reports ``catalogue.problems``).
    out_dir : Path
        The folder to write; created if missing. Folders of figures no longer
        in the catalogue are removed, but only when they hold nothing but the
        files a build writes.
    jobs : int
        Child processes drawing the images (one figure per task) while this
        process builds the specs and pages; images are never drawn in this process.
    progress : bool
        Show a progress bar on standard error.

    Returns
    -------
    list of Path
        Every file of the site, sorted.

    Raises
    ------
    ImagesNotDrawn
        After writing the whole site, when the images of some figures could
        not be drawn; it names them and why.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for figure in catalogue.figures:
        if not _SLUG.fullmatch(figure.id):  # the loader only lets slugs through; never write outside out_dir
            raise ValueError(f"figure id {figure.id!r} is not a slug")
    _remove_stale(out_dir, {f.id for f in catalogue.figures})

    failures: dict[str, str] = {}
    with _progress(len(catalogue.figures), progress) as bar:
        written = _write_figures(catalogue, out_dir, max(1, min(jobs, len(catalogue.figures))), bar, failures)
    written.append(_write(out_dir / "figures.csv", exports.EXPORTERS["csv"].render(catalogue, None)))
    written.append(_write(out_dir / "datapackage.json", _json_bytes(datapackage(catalogue, out_dir / "figures.csv"))))
    written.append(_write(out_dir / "index.html", site_index(catalogue, undrawn=failures)))
    if failures:
        raise ImagesNotDrawn(failures, sorted(written))
    return sorted(written)


def figure_files(catalogue: Catalogue, figure: Figure) -> dict[str, bytes]:
    """The bytes of every file of one figure's folder (:data:`FIGURE_FILES`); the chart is drawn once for both images.

    The images are drawn by :func:`figures.render.shared`'s child process.

    Raises
    ------
    figures.render.RenderError
        If the images could not be drawn.
    """
    spec = exports.chart_spec(catalogue, figure)
    files = _files_without_images(catalogue, figure, spec)
    files["chart.png"], files["chart.svg"] = render.shared().call(images.png_and_svg, spec, *exports.image_labels(spec, figure))
    return {name: files[name] for name in FIGURE_FILES}


def write_figure(catalogue: Catalogue, figure: Figure, out_dir: Path) -> list[Path]:
    """Write every file of ``out_dir/<id>/`` for one figure; returns them. Raises :class:`figures.render.RenderError` like :func:`figure_files`."""
    return _write_files(out_dir / figure.id, figure_files(catalogue, figure))


def _files_without_images(catalogue: Catalogue, figure: Figure, spec: dict) -> dict[str, bytes]:
    """The page, the Vega-Lite JSON (of ``spec``, the image's) and the CSV of one figure."""
    return {
        "index.html": exports.EXPORTERS["html"].render(catalogue, figure),
        "chart.vl.json": exports.spec_json(spec),
        "data.csv": exports.EXPORTERS["csv"].render(catalogue, figure),
    }


def _write_figures(catalogue: Catalogue, out_dir: Path, jobs: int, bar, failures: dict[str, str]) -> list[Path]:
    """Every figure's folder, its images drawn by ``jobs`` child processes while this one builds the specs and pages.

    The children import only :mod:`figures.images` (vl-convert), so they
    start at once; each task sends one spec and gets the two images' bytes
    back, which this process writes. At most :data:`IN_FLIGHT_PER_JOB` tasks
    per child wait at a time, so the images of a large catalogue never pile
    up in memory. A figure whose drawing fails goes into ``failures`` (id to
    reason) and loses any images an earlier build left; its child starts
    afresh for the next figure.
    """
    written: list[Path] = []
    pending: collections.deque = collections.deque()

    def write_drawn(everything: bool) -> None:
        """Write the images drawn so far, in order (waiting while too many are queued); with ``everything``, all of them."""
        while pending and (everything or pending[0][2].done() or len(pending) > IN_FLIGHT_PER_JOB * jobs):
            figure_id, folder, future = pending.popleft()
            try:
                png, svg = future.result()
            except render.RenderError as err:
                failures[figure_id] = err.reason
                for name in IMAGE_FILES:  # never publish an image of data that changed since
                    (folder / name).unlink(missing_ok=True)
            else:
                written.extend(_write_files(folder, dict(zip(IMAGE_FILES, (png, svg), strict=True))))
            bar.update(1)

    with render.Pool(jobs) as drawing, ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="figures-draw") as threads:
        for figure in catalogue.figures:
            spec = exports.chart_spec(catalogue, figure)
            folder = out_dir / figure.id
            labels = exports.image_labels(spec, figure)
            pending.append((figure.id, folder, threads.submit(drawing.call, images.png_and_svg, spec, *labels)))
            written.extend(_write_files(folder, _files_without_images(catalogue, figure, spec)))
            write_drawn(everything=False)
        write_drawn(everything=True)
    return written


# -- the index page -------------------------------------------------------------------------

def site_index(catalogue: Catalogue, undrawn: Collection[str] = ()) -> bytes:
    """``DIR/index.html``: every figure with its headline, confidence in words, attribution and downloads.

    Plain HTML and inline CSS, no script and nothing fetched from elsewhere;
    every piece of catalogue text is HTML-escaped. Figures whose ids are in
    ``undrawn`` offer no PNG or SVG and say that their images could not be drawn.
    """
    esc = _esc
    stories = [catalogue.stories[s] for s in dict.fromkeys(f.story for f in catalogue.figures) if s in catalogue.stories]
    title = "Figures" + (f": {stories[0].title}" if len(stories) == 1 else "")
    story_items = []
    for story in stories:
        name = f"\u201c{esc(story.title)}\u201d"
        link = exports.safe_url(story.url)
        if link:
            name = f'<a href="{esc(link)}" rel="noopener">{name}</a>'
        story_items.append(f"<li>{esc(story.publisher)}, {name}, {esc(story.published.label)}</li>")
    items = []
    for figure in catalogue.figures:
        fid = esc(figure.id)
        items.append("\n".join([
            f'<li id="{fid}">',
            f'<h2><a href="{fid}/index.html">{esc(figure.title)}</a></h2>',
            f'<p class="headline">{esc(formatting.headline(figure))}</p>',
            f'<p class="confidence">{exports.badge(formatting.confidence_summary(figure))}</p>',
            f'<p class="attribution">{esc(formatting.source_line(figure, catalogue))}</p>',
            _downloads(fid, drawn=figure.id not in undrawn),
            "</li>",
        ]))
    count = len(catalogue.figures)
    page = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">",
        f"<title>{esc(title)}</title>",
        f"<style>{exports.PAGE_CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{esc(title)}</h1>",
        f"<p>{count} figure{'s' if count != 1 else ''}, each with who claimed it, where it was published and how far we trust it.</p>",
        *(["<p>From:</p>", '<ul class="stories">', *story_items, "</ul>"] if story_items else []),
        '<p class="downloads">All the data: <a href="figures.csv">figures.csv</a> (one row per claim, with its provenance) · '
        '<a href="datapackage.json">datapackage.json</a> (its columns, units and sources)</p>',
        '<ul class="figures">',
        *items,
        "</ul>",
        "<h2>How far we trust a figure</h2>",
        '<ul class="legend">',
        *(f"<li>{exports.badge(c)} {esc(formatting.CONFIDENCE_MEANING[c])}</li>" for c in Confidence),
        "</ul>",
        '<p class="meaning">A figure shows the weakest rating among its claims; each figure\'s page gives every claim its own rating and reason.</p>',
        "</main>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(page).encode("utf-8")


def _downloads(fid: str, drawn: bool) -> str:
    """A figure's line of downloads in the index (``fid`` already escaped); without images when they were not drawn."""
    images_links = f'<a href="{fid}/chart.png">PNG</a> · <a href="{fid}/chart.svg">SVG</a> · ' if drawn else ""
    missing = "" if drawn else " (the images could not be drawn)"
    return (f'<p class="downloads">Download: {images_links}<a href="{fid}/index.html">HTML page</a> · '
            f'<a href="{fid}/chart.vl.json">Vega-Lite JSON</a> · <a href="{fid}/data.csv">CSV</a>{missing}</p>')


# -- the data package -----------------------------------------------------------------------

def datapackage(catalogue: Catalogue, csv_path: Path | None = None) -> dict:
    """A Frictionless Tabular Data Package (v1) describing ``figures.csv``.

    One resource with the CSV's dialect and a schema field (name, type,
    description) for every column of :data:`figures.frames.CSV_COLUMNS`; the
    catalogue's sources under ``sources``; the units in use, their dimension
    and the canonical unit they convert to under the custom property ``units``.
    When ``csv_path`` is given, its size and SHA-256 are recorded too.
    """
    stories = [catalogue.stories[s] for s in dict.fromkeys(f.story for f in catalogue.figures) if s in catalogue.stories]
    title = "Figures" + (f": {stories[0].title}" if len(stories) == 1 else "")
    resource: dict = {
        "name": "figures",
        "path": "figures.csv",
        "profile": "tabular-data-resource",
        "title": "Every claim of every figure",
        "description": "One row per claim: the figure, the value as claimed (with its qualifier and unit), the value in the "
                       "canonical unit, when it held, who claimed it, where it was published and through whom, the quote, "
                       "and the confidence with its reason.",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": "\"", "doubleQuote": True, "header": True},
        "schema": {"fields": [_field(column) for column in CSV_COLUMNS], "missingValues": [""]},
    }
    if csv_path is not None:
        data = Path(csv_path).read_bytes()
        resource["bytes"] = len(data)
        resource["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
    sources = []
    for source in catalogue.sources.values():
        entry = {"title": source.name}
        link = exports.safe_url(source.url)
        if link:
            entry["path"] = link
        sources.append(entry)
    return {
        "profile": "tabular-data-package",
        "name": DATAPACKAGE_NAME,
        "title": title,
        "description": "Every numeric claim of the story, with its provenance and how far we trust it. Text cells that a "
                       "spreadsheet would run as a formula start with an extra apostrophe.",
        "resources": [resource],
        "sources": sources,
        "units": _units(catalogue),
    }


def _field(column: str) -> dict:
    kind = "integer" if column in INTEGER_COLUMNS else "number" if column in NUMERIC_COLUMNS else "string"
    field: dict = {"name": column, "type": kind, "description": COLUMN_DESCRIPTIONS[column]}
    if column == "figure_id":
        field["constraints"] = {"required": True}
    elif column == "qualifier":
        field["constraints"] = {"required": True, "enum": [q.value for q in Qualifier]}
    elif column == "confidence":
        field["constraints"] = {"required": True, "enum": [c.value for c in Confidence]}
    elif column == "credibility":
        field["constraints"] = {"minimum": 1, "maximum": 6}
    return field


def _units(catalogue: Catalogue) -> list[dict]:
    """Every unit the catalogue uses, in first-use order, with what it converts to."""
    used: dict[str, list[str]] = {}
    for figure in catalogue.figures:
        used.setdefault(figure.unit, []).append(figure.id)
    out = []
    for unit, figure_ids in used.items():
        info = units.unit_info(unit)
        out.append({
            "unit": unit,
            "name": info.name,
            "dimension": info.dimension,
            "canonical": info.canonical,
            "factor": info.factor,
            "currency": info.is_currency,
            "figures": figure_ids,
        })
    return out


# -- files ----------------------------------------------------------------------------------

def _write_files(folder: Path, files: dict[str, bytes]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [_write(folder / name, data) for name, data in files.items()]


def _write(path: Path, data: bytes) -> Path:
    """Write ``data`` atomically (a temporary file, then rename); leave the file alone if its bytes are already ``data``."""
    try:
        if path.read_bytes() == data:
            return path
    except OSError:
        pass
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return path


def _remove_stale(out_dir: Path, keep: set[str]) -> None:
    """Remove folders of figures no longer in the catalogue.

    Only a folder that is plainly an earlier build's is removed: exactly the
    files of :data:`FIGURE_FILES`, no links, and an ``index.html`` that is
    the page of the figure the folder is named after. Anything else stays.
    """
    for child in out_dir.iterdir():
        if not child.is_dir() or child.is_symlink() or child.name in keep or not _SLUG.fullmatch(child.name):
            continue
        entries = list(child.iterdir())
        if {p.name for p in entries} != set(FIGURE_FILES) or any(p.is_symlink() or not p.is_file() for p in entries):
            continue
        with open(child / "index.html", "rb") as page:
            head = page.read(64_000)
        if f'<article class="figure" id="figure-{child.name}">'.encode() in head:
            shutil.rmtree(child)


def _json_bytes(value: object) -> bytes:
    return (json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


class _NoBar:
    def update(self, steps: int) -> None:
        pass


@contextlib.contextmanager
def _progress(length: int, show: bool) -> Iterator:
    if not show:
        yield _NoBar()
        return
    with click.progressbar(length=length, label="Building figures", file=sys.stderr, show_pos=True) as bar:
        yield bar
