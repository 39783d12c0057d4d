"""Static publishing: ``figures build`` writes a folder any static host or CDN can serve.

The Streamlit app is the newsroom's working view; readers at scale get these
plain files::

    DIR/index.html              every figure: its chart small, headline, confidence in words, attribution, links
    DIR/figures.csv             the whole catalogue, one row per claim (the tidy CSV)
    DIR/datapackage.json        a Frictionless Tabular Data Package describing figures.csv
    DIR/assets/vega-<hash>.js   Vega, Vega-Lite and vega-embed, once per site (also figure-<hash>.js, site-<hash>.css)
    DIR/<id>/index.html         the figure's page: its chart drawn in (no script needed), every claim, downloads, embed code
    DIR/<id>/embed.html         the card an iframe shows; it tells the host page its height
    DIR/<id>/specs.js           the chart's specs for the pages' script (the interactive chart, after the first paint)
    DIR/<id>/oembed.json        its oEmbed (``type: rich``), when the site's address is given (``base_url``)
    DIR/<id>/chart.png          the chart, 2x, title, qualifier and source line inside
    DIR/<id>/chart.svg          the same, with <title> and <desc>
    DIR/<id>/chart.vl.json      its Vega-Lite spec
    DIR/<id>/data.csv           the figure's claims

The images, the Vega-Lite JSON and the CSVs come from the same functions as
the app's downloads (:mod:`figures.exports`), so they are the same bytes; the
pages come from :mod:`figures.site`.

**Incremental.** Every file is stored in a content-addressed cache
(:mod:`figures.cache`, ``<DIR>.cache/`` beside the site by default) under a
key that hashes all it is made from: a figure's pages and data under its
content (its claims, sources and story, with line numbers left out) and the
code and templates that write them; its images under its Vega-Lite spec
(which carries the theme), its labels, the renderer's version, the drawing
code and the fonts installed. A rebuild of unchanged data draws nothing and
writes no page: it links the cached files into place. Child processes
(:class:`figures.render.Pool`) draw what is missing, one figure per task.

**Atomic.** The site is written into a staging folder beside ``DIR`` and
swapped into place when complete (:mod:`figures.outdir`), so readers and
uploads never see half a build; Ctrl-C or SIGTERM leaves the previous site as
it was and no drawing process behind. :func:`figures.outdir.check` refuses a
folder a build must not replace.

A figure whose images cannot be drawn (the renderer crashed, hung or refused
it) is one failure: its images are left out, the rest of the site is
published, its entry in the index says so, and :func:`build_site` then
raises :class:`ImagesNotDrawn` naming it.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import functools
import hashlib
import importlib.metadata
import json
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import click
import vl_convert

from figures import cache as cache_module
from figures import exports, images, outdir, render, site, units, versions
from figures.frames import COLUMN_DESCRIPTIONS, CSV_COLUMNS, NUMERIC_COLUMNS, claim_rows
from figures.model import Catalogue, Confidence, Figure, PartialDate, Qualifier, Withdrawal

FIGURE_FILES = ("index.html", "embed.html", "specs.js", "chart.png", "chart.svg", "chart.vl.json", "data.csv")
"""The files of one figure's folder, ``DIR/<id>/`` (and ``oembed.json`` when the site's address is given)."""
IMAGE_FILES = ("chart.png", "chart.svg")
"""The files of a figure's folder that a renderer draws."""
DRAWINGS = ("chart.png", "chart.svg", "chart-narrow.svg")
"""What is drawn for a figure's folder: its two image files, and the narrow SVG its pages show on phones (not a file of its own)."""
SITE_FILES = ("index.html", "figures.csv", "datapackage.json")
"""The files at the top of the folder (besides ``assets/``)."""
IN_FLIGHT_PER_JOB = 4
"""Drawing tasks queued per drawing process, at most, while the main process goes on with the next figures."""
INTEGER_COLUMNS = ("credibility", "version")
DATAPACKAGE_NAME = "figures"
FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts", "~/.local/share/fonts")
"""Where vl-convert finds the system's fonts; what is installed there is part of every image's key."""


class ImagesNotDrawn(Exception):
    """The site was published, but the images of some figures could not be drawn.

    Attributes
    ----------
    failures : dict of str to str
        Figure id to why its images were not drawn (one line, from :attr:`figures.render.RenderError.reason`).
    written : list of Path
        Every file of the site, sorted (what :func:`build_site` returns otherwise).
    """

    def __init__(self, failures: dict[str, str], written: list[Path]) -> None:
        super().__init__("images not drawn: " + "; ".join(f"{fid}: {why}" for fid, why in failures.items()))
        self.failures = failures
        self.written = written


class BuildInterrupted(KeyboardInterrupt):
    """SIGTERM arrived during a build (Ctrl-C raises :class:`KeyboardInterrupt` itself); the previous site is untouched."""


def default_cache(out_dir: Path) -> Path:
    """The cache of a site: ``<DIR>.cache`` beside it (``_site`` → ``_site.cache``)."""
    out_dir = Path(out_dir).absolute()
    return out_dir.parent / f"{out_dir.name}.cache"


def build_site(catalogue: Catalogue, out_dir: Path, jobs: int = 2, progress: bool = True, *,
               base_url: str | None = None, force: bool = False, cache_dir: Path | None = None,
               published: list[versions.Version] | None = None, warn: Callable[[str], None] | None = None) -> list[Path]:
    """Publish the static site of ``catalogue``'s valid figures as ``out_dir``.

    Parameters
    ----------
    catalogue : Catalogue
        The loaded catalogue; figures with problems are already left out of
        it by the loader (the caller reports ``catalogue.problems``).
    out_dir : Path
        The site's folder. It is replaced as a whole when the new site is
        complete; until then it stays as it was.
    jobs : int
        Child processes drawing the images that are not in the cache.
    progress : bool
        Show a progress bar on standard error.
    base_url : str, optional
        The site's public address (``https://news.example/figures/``): with it,
        pages carry canonical and oEmbed links, absolute URLs in their JSON-LD,
        and the embed code; each figure gets its ``oembed.json``.
    force : bool
        Replace ``out_dir`` even if it holds files a build does not write.
    cache_dir : Path, optional
        The build cache; default :func:`default_cache`.
    published : list of figures.versions.Version, optional
        The published record; default: read from the file beside the
        catalogue (:func:`figures.versions.record_path`), if there is one. A
        figure with versions is published as its latest version (``<id>/``)
        and each version in its own folder (``<id>/v<N>/``); one without is
        published as the catalogue has it.
    warn : callable, optional
        Called with a line for each figure whose catalogue content differs
        from its latest published version (``figures publish`` has not been run).

    Returns
    -------
    list of Path
        Every file of the published site, sorted.

    Raises
    ------
    figures.outdir.UnsafeOutput
        Before writing anything, if ``out_dir`` must not be replaced.
    figures.versions.RecordError
        Before writing anything, if the published record beside the catalogue cannot be read whole.
    ImagesNotDrawn
        After publishing the site, when the images of some figures could not be drawn.
    KeyboardInterrupt
        On Ctrl-C (or :class:`BuildInterrupted` on SIGTERM); the previous site is untouched.
    """
    out_dir = Path(out_dir).absolute()
    base_url = exports.safe_url(base_url) if base_url else None
    if base_url is not None and not base_url.endswith("/"):
        base_url += "/"
    protected = {"the folder the build runs in": Path.cwd()}
    if catalogue.path and Path(catalogue.path).exists():
        protected["the catalogue"] = Path(catalogue.path)
    outdir.check(out_dir, protected, force)
    for figure in catalogue.figures:
        if not outdir.is_slug(figure.id):  # the loader only lets slugs through; never write outside the site
            raise ValueError(f"figure id {figure.id!r} is not a slug")
    if published is None:
        published = versions.read_published(catalogue.path)
    layout = plan(catalogue, published)
    for figure_id in layout.unpublished:
        if warn is not None:
            warn(f"unpublished: {figure_id} differs from its latest published version, which is what is built; "
                 "run `figures publish` to publish the change")
    store = cache_module.Cache(cache_dir or default_cache(out_dir))
    failures: dict[str, str] = {}
    with _terminate_as_interrupt(), outdir.Staging(out_dir) as staging:
        writer = _SiteWriter(catalogue, staging.path, store, base_url)
        with _progress(len(layout.folders), progress) as bar:
            sizes = writer.figures(layout.folders, max(1, min(jobs, len(layout.folders))), bar, failures)
        writer.top(layout, sizes)
        staging.publish()
    store.prune()
    written = sorted(p for p in out_dir.rglob("*") if p.is_file())
    if failures:
        raise ImagesNotDrawn(failures, written)
    return written


# -- what goes where ------------------------------------------------------------------------

@dataclass(frozen=True)
class Folder:
    """One folder of a figure's pages: the live one (``<id>``) or an archived version (``<id>/v<N>``)."""

    path: str
    figure: Figure
    catalogue: Catalogue
    """What its pages are made from: the catalogue, or the published version's own sources and story."""
    edition: site.Edition | None = None

    @property
    def live(self) -> bool:
        return self.edition is None or not self.edition.archived


@dataclass(frozen=True)
class Plan:
    """Every folder of a site, its withdrawn figures, and the figures whose changes are not published yet."""

    folders: tuple[Folder, ...]
    withdrawn: tuple[tuple[str, Withdrawal, tuple[tuple[int, PartialDate], ...]], ...] = ()
    """(last title, withdrawal, its versions) of each withdrawn figure."""
    unpublished: tuple[str, ...] = ()


def plan(catalogue: Catalogue, published: list[versions.Version]) -> Plan:
    """What a site of ``catalogue`` holds, given its published record.

    A figure never published is published as the catalogue has it. A
    published figure's live folder shows its latest version, and every
    version gets an archived folder made from that version's record alone,
    so it stays the same whatever happens to the catalogue later. A figure
    whose latest version withdrew it gets a page saying so instead.
    """
    history = versions.history(published)
    live: list[Folder] = []
    archived: list[Folder] = []
    withdrawn = []
    unpublished = []
    ids = [f.id for f in catalogue.figures] + [fid for fid in history if catalogue.figure(fid) is None]
    for figure_id in ids:
        figure = catalogue.figure(figure_id)
        kept = [v for v in history.get(figure_id, []) if v.content is not None]
        for version in kept:
            past, mini = version.published
            archived.append(Folder(f"{figure_id}/v{version.number}", past, mini, site.Edition(version.number, version.date, True)))
        listed = tuple((v.number, v.date) for v in kept)
        if figure_id not in history:
            live.append(Folder(figure_id, figure, catalogue))
            continue
        latest = history[figure_id][-1]
        if latest.withdrawn is not None:
            withdrawn.append((kept[-1].published[0].title if kept else figure_id, latest.withdrawn, listed))
            if figure is not None:
                unpublished.append(figure_id)
            continue
        current, mini = latest.published
        if figure is None or versions.content(catalogue, figure) != latest.content:
            unpublished.append(figure_id)
        else:  # what is published is what the catalogue holds: its quotes' checks against the archived texts hold too
            current = dataclasses.replace(current, claims=tuple(dataclasses.replace(old, checked=new.checked)
                                                                for old, new in zip(current.claims, figure.claims, strict=True)))
        live.append(Folder(figure_id, current, mini, site.Edition(latest.number, latest.date, False, listed)))
    return Plan(tuple(live + archived), tuple(withdrawn), tuple(unpublished))


# -- keys -----------------------------------------------------------------------------------

@functools.cache
def code_fingerprint(site_assets: site.Assets) -> str:
    """What every file of the site depends on besides the data: this package's code, templates and assets, its libraries' versions."""
    package = Path(__file__).parent
    parts: list[bytes | str] = [site.fingerprint(site_assets)]
    for path in sorted(package.glob("*.py")) + sorted(package.glob("*.txt")) + sorted((package / "static").glob("*")):
        parts += [path.name, path.read_bytes()]
    for library in ("altair", "vl-convert-python", "pint", "pandas", "Jinja2"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            parts += [library, importlib.metadata.version(library)]
    return cache_module.digest(*parts)


@functools.cache
def renderer_fingerprint() -> str:
    """What an image depends on besides its spec: vl-convert's version, the drawing code, the fonts installed."""
    parts: list[bytes | str] = [vl_convert.__version__, Path(images.__file__).read_bytes()]
    for folder in FONT_FOLDERS:
        top = Path(folder).expanduser()
        if top.is_dir():
            for path in sorted(top.rglob("*")):
                with contextlib.suppress(OSError):
                    info = path.stat()
                    parts.append(f"{path}\0{info.st_size}\0{info.st_mtime_ns}")
    return cache_module.digest(*parts)


def figure_key(folder: Folder, base_url: str | None, site_assets: site.Assets) -> str:
    """The key of a folder's pages and data: the figure's content with its sources and story, which version, where the site lives, the code.

    Line numbers are not part of a figure's content (they compare and print as nothing), so moving a figure in the file changes no key.
    """
    figure, catalogue = folder.figure, folder.catalogue
    cited = sorted({h for c in figure.claims for h in (c.source, *c.via)})
    sources = [repr(catalogue.sources[h]) for h in cited if h in catalogue.sources]
    return cache_module.digest(code_fingerprint(site_assets), folder.path, repr(figure), *sources,
                               repr(catalogue.stories.get(figure.story)), repr(folder.edition),
                               base_url or "", exports.public_base_url() or "", exports.credit_line(None) or "")


def image_key(specs: tuple[dict, ...], labels: tuple[str, str, str]) -> str:
    """The key of a figure's drawings: the specs they are drawn from (wide and narrow), their labels and the renderer."""
    return cache_module.digest(renderer_fingerprint(), *(exports.spec_json(spec) for spec in specs), *labels)


# -- writing --------------------------------------------------------------------------------

class _SiteWriter:
    """Writes one build into the staging folder ``root``, every file through the cache."""

    def __init__(self, catalogue: Catalogue, root: Path, store: cache_module.Cache, base_url: str | None) -> None:
        self.catalogue, self.root, self.store, self.base_url = catalogue, root, store, base_url
        self.assets = site.assets(self.bundle())

    def bundle(self) -> bytes:
        """Vega's bundle from the cache (vl-convert takes a second to build it), else built and cached."""
        key = cache_module.digest("vega-bundle", vl_convert.__version__)
        entry = self.store.entry("bundle", key)
        data = self.store.read(entry.get("sha", "")) if entry else None
        if data is None:
            data = exports.vega_bundle().encode("utf-8")
            self.store.remember("bundle", key, {"sha": self.store.put(data)})
        return data

    def place(self, relative: str, data: bytes) -> str:
        """Store ``data`` and link it at ``relative`` under the root; returns its hash."""
        sha = self.store.put(data)
        self.link(relative, sha)
        return sha

    def link(self, relative: str, sha: str) -> bool:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        return self.store.place(sha, path)

    def cached_folder(self, folder: Folder, key: str) -> tuple[bool, tuple[int, int] | None]:
        """Link a folder's files from the cache; (False, None) on a miss (nothing is left behind)."""
        entry = self.store.entry("figure", key)
        files = entry.get("files") if entry else None
        if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
            return False, None
        placed: list[Path] = []
        for name, sha in files.items():
            if name not in outdir.FIGURE_FOLDER_FILES or not self.link(f"{folder.path}/{name}", sha):
                for path in placed:
                    path.unlink()
                return False, None
            placed.append(self.root / folder.path / name)
        size = entry.get("size")
        if isinstance(entry.get("images"), str):  # keep its drawings too: a later change to its words alone draws nothing
            self.store.keep("images", entry["images"])
        return True, (tuple(size) if isinstance(size, list) and len(size) == 2 else None)

    def folder(self, folder: Folder, key: str | None, specs: tuple[dict, dict], drawn: tuple[bytes, bytes, bytes] | None,
               images_key: str | None = None) -> tuple[int, int] | None:
        """Write a folder from its specs (wide, narrow) and its drawings (PNG, SVG, narrow SVG; None: not drawn); cache it when complete."""
        figure, catalogue, edition = folder.figure, folder.catalogue, folder.edition
        spec = specs[0]
        files: dict[str, bytes] = {}
        if drawn is not None:
            files["chart.png"], files["chart.svg"] = drawn[:2]
        files["chart.vl.json"] = exports.spec_json(spec)
        files["data.csv"] = exports.EXPORTERS["csv"].render(catalogue, figure)
        chart = site.Drawings(specs[0], specs[1], drawn[1] if drawn else None, drawn[2] if drawn else None)
        files["specs.js"] = chart.specs_script()
        files["index.html"] = site.figure_page(catalogue, figure, chart, self.base_url, self.assets, edition)
        files["embed.html"] = site.embed_page(catalogue, figure, chart, self.base_url, self.assets, edition)
        size = site.checked_svg(chart.svg)[1]
        if self.base_url and folder.live:
            files["oembed.json"] = site.json_bytes(site.oembed(figure, self.base_url, size, edition=edition))
        hashes = {name: self.place(f"{folder.path}/{name}", data) for name, data in sorted(files.items())}
        if drawn is not None and key is not None:
            self.store.remember("figure", key, {"files": hashes, "size": list(size) if size else None, "images": images_key})
        return size

    def figures(self, folders: tuple[Folder, ...], jobs: int, bar, failures: dict[str, str]) -> dict[str, tuple[int, int] | None]:
        """Every folder: from the cache where it can be, else made (its images drawn by ``jobs`` children).

        At most :data:`IN_FLIGHT_PER_JOB` drawings per child wait at a time,
        so a large catalogue's images never pile up in memory. A folder whose
        drawing fails goes into ``failures`` (its path to the reason), is
        published without images and is not cached, so the next build tries again.
        """
        sizes: dict[str, tuple[int, int] | None] = {}
        pending: collections.deque[tuple[Folder, str, tuple[dict, dict], str, Future]] = collections.deque()

        def finish(everything: bool) -> None:
            while pending and (everything or pending[0][4].done() or len(pending) > IN_FLIGHT_PER_JOB * jobs):
                folder, key, specs, images_key, future = pending.popleft()
                try:
                    drawn = future.result()
                except render.RenderError as err:
                    failures[folder.path] = err.reason
                    sizes[folder.path] = self.folder(folder, None, specs, None)
                else:
                    self.store.remember("images", images_key, {name: self.store.put(data) for name, data in zip(DRAWINGS, drawn, strict=True)})
                    sizes[folder.path] = self.folder(folder, key, specs, drawn, images_key)
                bar.update(1)

        drawing = render.Pool(jobs)
        threads = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="figures-draw")
        try:
            for folder in folders:
                key = figure_key(folder, self.base_url, self.assets)
                hit, size = self.cached_folder(folder, key)
                if hit:
                    sizes[folder.path] = size
                    bar.update(1)
                    continue
                credit = exports.credit_line(self.base_url + folder.path + "/" if self.base_url else None)  # its own page's address
                specs = (exports.chart_spec(folder.catalogue, folder.figure, credit=credit),
                         exports.chart_spec(folder.catalogue, folder.figure, width=exports.NARROW_WIDTH, credit=credit))
                labels = exports.image_labels(specs[0], folder.figure)
                images_key = image_key(specs, labels)
                drawn = self.cached_images(images_key)
                if drawn is not None:
                    sizes[folder.path] = self.folder(folder, key, specs, drawn, images_key)
                    bar.update(1)
                    continue
                pending.append((folder, key, specs, images_key, threads.submit(drawing.call, images.page_drawings, *specs, *labels)))
                finish(everything=False)
            finish(everything=True)
        finally:
            threads.shutdown(wait=True, cancel_futures=True)
            drawing.close()
        return sizes

    def cached_images(self, key: str) -> tuple[bytes, bytes, bytes] | None:
        """A figure's drawings (:data:`DRAWINGS`) from the cache, or None (never drawn, or a file of it corrupt)."""
        entry = self.store.entry("images", key)
        if not entry:
            return None
        drawn = tuple(self.store.read(entry.get(name, "")) for name in DRAWINGS)
        return None if any(d is None for d in drawn) else drawn

    def top(self, layout: Plan, sizes: dict[str, tuple[int, int] | None]) -> None:
        """The shared assets, the withdrawn figures' pages, the index, the whole site's CSV and its data package."""
        for name, data in self.assets.files:
            self.place(name, data)
        for title, withdrawal, listed in layout.withdrawn:
            self.place(f"{withdrawal.id}/index.html", site.withdrawn_page(title, withdrawal, listed, self.assets))
        live = [f for f in layout.folders if f.live]
        rows = [row for f in live for row in claim_rows(f.catalogue, (f.figure,))]
        csv = exports.rows_to_csv(rows)
        self.place("figures.csv", csv)
        self.place("datapackage.json", _json_bytes(datapackage(self.catalogue, csv_bytes=csv)))
        entries = [site.IndexEntry(f.figure, sizes.get(f.path)) for f in live]
        index = site.index_page(self.catalogue, entries, self.assets, [(title, w) for title, w, _ in layout.withdrawn])
        self.place("index.html", index)


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """While building, SIGTERM raises :class:`BuildInterrupted`, so the build cleans up as after Ctrl-C (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise BuildInterrupted("terminated")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# -- the data package -----------------------------------------------------------------------

def datapackage(catalogue: Catalogue, csv_path: Path | None = None, csv_bytes: bytes | None = None) -> dict:
    """A Frictionless Tabular Data Package (v1) describing ``figures.csv``.

    One resource with the CSV's dialect and a schema field (name, type,
    description) for every column of :data:`figures.frames.CSV_COLUMNS`; the
    catalogue's sources under ``sources``; the units in use, their dimension
    and the canonical unit they convert to under the custom property ``units``.
    When the CSV's bytes (or ``csv_path``) are given, its size and SHA-256 are recorded too.
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
    data = csv_bytes if csv_bytes is not None else Path(csv_path).read_bytes() if csv_path is not None else None
    if data is not None:
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
    infos: dict[str, units.UnitInfo] = {}
    for figure in catalogue.figures:
        used.setdefault(figure.unit, []).append(figure.id)
        infos.setdefault(figure.unit, figure.unit_info)
    out = []
    for unit, figure_ids in used.items():
        info = infos[unit]
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


# -- helpers --------------------------------------------------------------------------------

def _json_bytes(value: object) -> bytes:
    return (json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


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
