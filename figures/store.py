"""Keep the current catalogue of a file, reloading only when the file changes.

One :class:`CatalogueStore` per catalogue path is shared by every reader
session of the app (through ``st.cache_resource``). It stats the file on each
request, reloads when the modification time or size changed, and keeps the
last good catalogue when the file disappears or breaks, so a deploy or an
editor's save never takes the page down.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd
import pyarrow as pa

from figures import charts, exports, frames, proof
from figures.loader import catalogue_files, load
from figures.model import Catalogue
from figures.search import SearchIndex
from figures.versions import record_path

LOG = logging.getLogger("figures.store")
SETTLE_SECONDS = 0.05
"""How long a file's size and mtime must stay still before a fresh save is read."""


@dataclass(frozen=True)
class Snapshot:
    """One loaded version of the catalogue, with everything derived from it built once."""

    catalogue: Catalogue
    stamp: tuple
    loaded_at: float = field(default_factory=time.time)

    @cached_property
    def search(self) -> SearchIndex:
        """The catalogue view's search and filters, with each filter's choices."""
        return SearchIndex(self.catalogue)

    @cached_property
    def figures_by_story(self) -> dict[str, tuple]:
        """Each story's figures, in catalogue order."""
        out: dict[str, list] = {}
        for figure in self.catalogue.figures:
            out.setdefault(figure.story, []).append(figure)
        return {story: tuple(figures) for story, figures in out.items()}

    @cached_property
    def stories_newest_first(self) -> list[str]:
        """Ids of the stories that have figures, the most recently published first."""
        stories = self.catalogue.stories
        return sorted(self.figures_by_story, key=lambda s: (stories[s].published, s), reverse=True)

    def figure_spec(self, figure_id: str) -> dict:
        """A figure's chart, ready for ``st.vega_lite_chart``; built once per file version.

        The datasets are Arrow IPC bytes (see :func:`arrow_datasets`), so the
        spec is for the app only; exports build their own. The chart's title is
        left out: the card above it is headed by the same title, and every
        export (PNG, SVG, page, embed of the static site) keeps it.
        """
        key = ("figure", figure_id)
        if key not in self._specs:
            chart = charts.figure_chart(self.catalogue.figure(figure_id), self.catalogue)
            spec = chart.to_dict(validate=False)
            spec.pop("title", None)
            self._specs[key] = arrow_datasets(spec)
        return self._specs[key]

    def comparison_specs(self, story_id: str) -> list[dict]:
        """The side-by-side charts of a story's comparable figures, like :meth:`figure_spec`."""
        key = ("comparison", story_id)
        if key not in self._specs:
            groups = charts.comparison_groups(self.catalogue, story_id)
            built = (charts.comparison_chart(group, self.catalogue) for group in groups)
            self._specs[key] = [arrow_datasets(chart.to_dict(validate=False)) for chart in built if chart is not None]
        return self._specs[key]

    def chart_table(self, figure_id: str) -> pd.DataFrame:
        """The data behind a figure's chart, for the "show the data" table."""
        key = ("table", figure_id)
        if key not in self._specs:
            self._specs[key] = frames.reader_frame(self.catalogue.figure(figure_id), self.catalogue, frames.CHART_DATA_COLUMNS)
        return self._specs[key]

    def text_coverage(self, story_id: str) -> list[proof.Covered]:
        """Every figure the story's archived text writes and what holds it (:func:`figures.proof.coverage`), once per file version."""
        key = ("coverage", story_id)
        if key not in self._specs:
            self._specs[key] = proof.coverage(self.catalogue, ("story", story_id))
        return self._specs[key]

    @cached_property
    def _specs(self) -> dict:
        # Shared by every session; two sessions building the same entry at once is harmless.
        return {}

    @cached_property
    def csv(self) -> bytes:
        """The whole catalogue as the tidy CSV."""
        return exports.catalogue_csv(self.catalogue)


def arrow_datasets(spec: dict) -> dict:
    """The spec with each named dataset serialised as Arrow IPC bytes, the form Streamlit sends to the browser.

    ``st.vega_lite_chart`` passes bytes through as they are; given rows, it
    would convert them through pandas on every rerun of every session
    (about 20 ms a chart).
    """
    datasets = {name: _arrow_bytes(rows) for name, rows in spec.get("datasets", {}).items()}
    return {**spec, "datasets": datasets} if datasets else spec


def _arrow_bytes(rows: list[dict]) -> bytes:
    table = pa.Table.from_pandas(pd.DataFrame(rows))  # as Streamlit converts rows: [{}] keeps its one row
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


@dataclass(frozen=True)
class Status:
    """What the app shows: the snapshot to serve (if any) and a notice about the file."""

    snapshot: Snapshot | None
    notice: str | None = None


class CatalogueStore:
    """Thread-safe holder of the current and last good catalogue of one file.

    Notices name the file as :func:`display_path` writes it, never by the
    server's absolute path; the operator's log gets the full reason.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.name = display_path(self.path)
        self._lock = threading.Lock()
        self._current: Snapshot | None = None
        self._last_good: Snapshot | None = None
        self._texts: tuple[Path, ...] = ()
        """The archived texts the current catalogue read: an edit to one reloads it too."""

    def status(self) -> Status:
        """Return what to serve now, reloading the file if it changed.

        Whatever reading or checking the file raises, the app keeps serving
        the last good catalogue (or says calmly that there is none).
        """
        with self._lock:
            try:
                files = _stable_stamp(self.path)
                stamp = (*files, _texts_stamp(self._texts))
            except FileNotFoundError:
                return self._fallback(f"The catalogue file {self.name} is missing", log=f"{self.path} is missing")
            except OSError as err:
                return self._fallback(f"The catalogue file {self.name} cannot be read ({err.strerror or 'error'})", log=f"{self.path}: {err}")
            if self._current is None or self._current.stamp != stamp:
                try:
                    catalogue = load(self.path)
                except OSError as err:
                    return self._fallback(f"The catalogue file {self.name} cannot be read ({err.strerror or 'error'})", log=f"{self.path}: {err}")
                except Exception:  # a bug in the loader must not take every page down
                    LOG.exception("checking %s raised; serving the last good catalogue", self.path)
                    return self._fallback(f"The catalogue file {self.name} could not be checked (an internal error, logged for the operator)")
                if _stable_stamp_or_none(self.path) != files:
                    return self._fallback(f"The catalogue file {self.name} changed while it was read")
                self._texts = tuple(Path(text.path) for text in catalogue.texts.values())
                self._current = Snapshot(catalogue, (*files, _texts_stamp(self._texts)))
                if catalogue.figures or not catalogue.problems:
                    self._last_good = self._current
            current = self._current
            if not current.catalogue.figures and current.catalogue.problems:
                return self._fallback(f"The catalogue file {self.name} is broken ({len(current.catalogue.problems)} problem(s))", current)
            return Status(current)

    def _fallback(self, reason: str, broken: Snapshot | None = None, log: str | None = None) -> Status:
        if log:
            LOG.warning("%s", log)
        good = self._last_good
        if good is None:
            return Status(broken, f"{reason}; there is no earlier version to show.")
        when = time.strftime("%H:%M:%S", time.localtime(good.loaded_at))
        return Status(good, f"{reason}; showing the last good version, loaded at {when}.")


def display_path(path: str | Path) -> str:
    """How a catalogue file is named to readers and editors: relative to the working folder when inside it, else its name.

    The server's absolute paths never reach a page.
    """
    path = Path(path)
    try:
        relative = Path(os.path.relpath(path.resolve(), Path.cwd().resolve()))
    except (OSError, ValueError):
        return path.name
    return path.name if relative.parts[:1] == ("..",) or relative.is_absolute() else relative.as_posix()


def _stamp(path: Path) -> tuple:
    """When the catalogue last changed, then each file's (name, mtime, size), then its published record's: a publish reloads too.

    For a folder, every ``*.yaml`` file in it counts, so adding or removing one reloads as an edit does.
    The first item is the newest modification time (what :func:`_stable_stamp` waits on).
    """
    info = path.stat()
    if path.is_dir():
        files = tuple(_file_stamp(f) for f in catalogue_files(path))
        newest = max((mtime for _, mtime, _ in files), default=info.st_mtime_ns)
        stamp: tuple = (max(newest, info.st_mtime_ns), files)
    else:
        stamp = (info.st_mtime_ns, info.st_size)
    try:
        record = record_path(path).stat()
    except OSError:
        return (*stamp, 0, 0)
    return (*stamp, record.st_mtime_ns, record.st_size)


def _texts_stamp(paths: tuple[Path, ...]) -> tuple:
    """Each archived text's (name, mtime, size): a fixed text re-proves the claims quoting it."""
    return tuple(_file_stamp(p) for p in paths)


def _file_stamp(path: Path) -> tuple[str, int, int]:
    try:
        info = path.stat()
    except OSError:  # removed between listing and looking: the next look sees the folder without it
        return (path.name, 0, -1)
    return (path.name, info.st_mtime_ns, info.st_size)


def _stable_stamp(path: Path) -> tuple:
    """The file's (mtime, size), waiting briefly while a save is still in progress."""
    stamp = _stamp(path)
    if time.time_ns() - stamp[0] < SETTLE_SECONDS * 1e9:
        time.sleep(SETTLE_SECONDS)
        stamp = _stamp(path)
    return stamp


def _stable_stamp_or_none(path: Path) -> tuple | None:
    try:
        return _stamp(path)
    except OSError:
        return None
