"""Build a :class:`~figures.model.Catalogue` from a YAML file, collecting every problem.

The loader never stops at the first mistake: each source, story and figure is
checked on its own, problems are reported with ``file:line``, what is wrong
and how to fix it, and every valid figure is still returned so the rest of
the catalogue keeps working.
"""

from __future__ import annotations

import bisect
import calendar
import dataclasses
import difflib
import gc
import math
import os
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from figures import proof, schema, units, versions
from figures.model import (
    CREDIBILITY_GRADES,
    RELIABILITY_GRADES,
    SOURCE_KINDS,
    Catalogue,
    Claim,
    Confidence,
    Correction,
    Figure,
    LeftOut,
    PartialDate,
    Problem,
    Qualifier,
    Source,
    Story,
    Withdrawal,
)
from figures.reader import REFUSED, ReadProblem, Unreadable, YamlReadError, YMap, YSeq, read_file, read_text

TOP_KEYS = schema.keys("catalogue")
UNIT_KEYS = schema.keys("units")
SOURCE_KEYS = schema.keys("sources")
STORY_KEYS = schema.keys("stories")
FIGURE_KEYS = schema.keys("figures")
CORRECTION_KEYS = schema.keys("corrections")
WITHDRAWN_KEYS = schema.keys("withdrawn")
CLAIM_KEYS = schema.keys("claims")
LEFT_OUT_KEYS = schema.keys("left_out")
_NOT_RELATIVE = re.compile(r"^(/|\\|[A-Za-z]:|[a-z][a-z0-9+.-]*:)")
"""An absolute path, a drive or a link: never an archived text's path, which is relative to its catalogue file."""
ID_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?\Z")
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\Z")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
NONCHARACTER = re.compile("[\ufdd0-\ufdef" + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(17)) + "]")
"""The 66 Unicode noncharacters: never text, and U+FFFE or U+FFFF makes the image renderer abort its whole process."""
BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Embeddings, overrides and isolates: a right-to-left override turns the text after it backwards."""
MAX_MAGNITUDE = 1e15
"""The largest value a figure may have (a quadrillion): beyond it a number is a typo, not a figure, and floats lose digits."""
_UNKNOWN_REFERENCE = {"sources": "unknown-source", "stories": "unknown-story"}
SHORT_TEXT = 300
LONG_TEXT = 4000
MAX_URL = 2048


def load(path: str | Path, *, prove: bool = True) -> Catalogue:
    """Load and check a catalogue file.

    Parameters
    ----------
    path : str or Path
        The YAML file, or a folder of them.
    prove : bool
        Check the claims against their archived texts (:mod:`figures.proof`); False
        skips it, with the texts still read (the benchmark's baseline).

    Returns
    -------
    Catalogue
        Every valid source, story and figure, and every problem found.

    Raises
    ------
    OSError
        When the file cannot be opened (missing, a directory, no permission).
        Nothing else: whatever else goes wrong is a problem with a line, and an
        entry whose check fails unexpectedly is reported at its line and skipped.
    """
    path = Path(path)
    if path.is_dir():
        return with_record(_load_folder(path, prove), versions.record_path(path))
    try:
        root, read_problems = read_file(path)
    except YamlReadError as err:
        return _unreadable(str(path), err.problems)
    except OSError:
        raise
    except Exception as err:  # a last guard: a checker that raises would take every page of the app down
        return _unreadable(str(path), [ReadProblem(1, _internal_error("the file", err), code="internal-error")])
    return with_record(_build(str(path), [(str(path), root, read_problems)], prove), versions.record_path(path))


def catalogue_files(path: str | Path) -> list[Path]:
    """The files of a catalogue: the file itself, or every ``*.yaml`` file of a folder, sorted by name."""
    path = Path(path)
    if not path.is_dir():
        return [path]
    return sorted(p for p in path.glob("*.yaml") if p.is_file())


def _load_folder(folder: Path, prove: bool = True) -> Catalogue:
    """Every ``*.yaml`` of ``folder`` as one catalogue: sources, stories and units shared, ids unique across files."""
    files = catalogue_files(folder)
    if not files:
        return Catalogue(path=str(folder), problems=(Problem(str(folder), 1, f"the folder {folder} holds no .yaml file; "
                                                             "put one catalogue file per story in it, e.g. russia-taliban.yaml", "empty-folder"),))
    parts, problems = [], []
    for file in files:
        try:
            root, read_problems = read_file(file)
        except YamlReadError as err:
            problems.extend(Problem(str(file), p.line, p.message, p.code) for p in err.problems)
            continue
        except OSError as err:
            problems.append(Problem(str(file), 1, f"the file cannot be read ({err.strerror or err}); check its permissions", "unreadable"))
            continue
        except Exception as err:  # a last guard, as in load()
            problems.append(Problem(str(file), 1, _internal_error("the file", err), "internal-error"))
            continue
        parts.append((str(file), root, read_problems))
    built = _build(str(folder), parts, prove)
    return dataclasses.replace(built, problems=tuple(sorted(set(built.problems) | set(problems), key=_problem_order)))


def _problem_order(p: Problem) -> tuple:
    return (p.path, p.line, p.message)


def with_record(catalogue: Catalogue, record: Path) -> Catalogue:
    """``catalogue`` with what its published record says (:attr:`Catalogue.published`); the record's problems join its own.

    No record (a catalogue never published) changes nothing.
    """
    try:
        found, problems = versions.read_record(record)
    except Exception as err:  # a last guard, as in load()
        found, problems = [], [Problem(str(record), 1, _internal_error("the published record", err), "internal-error")]
    if not found and not problems:
        return catalogue
    return dataclasses.replace(catalogue, problems=catalogue.problems + tuple(problems), published=versions.latest_published(found))


def load_text(text: str, path: str = "<text>") -> Catalogue:
    """Load and check catalogue text, as :func:`load` does for a file; never raises."""
    try:
        root, read_problems = read_text(text)
    except YamlReadError as err:
        return _unreadable(path, err.problems)
    except Exception as err:  # a last guard, as in load()
        return _unreadable(path, [ReadProblem(1, _internal_error("the file", err), code="internal-error")])
    return _build(path, [(path, root, read_problems)])


def _build(path: str, parts: list[tuple[str, object, list[ReadProblem]]], prove: bool = True) -> Catalogue:
    try:
        return _Builder(path, prove=prove).build(parts)
    except Exception as err:  # every entry has its own guard; this one covers what lies between them
        first = parts[0][0] if parts else path
        read = [Problem(file, p.line, p.message, p.code) for file, _, problems in parts for p in problems]
        return Catalogue(path=path, problems=(*read, Problem(first, 1, _internal_error("the catalogue", err), "internal-error")))


def _proved(catalogue: Catalogue) -> Catalogue:
    """``catalogue`` with its claims checked against their archived texts (:func:`figures.proof.prove`)."""
    try:
        found = _without_collections(proof.prove, catalogue, catalogue.texts)
    except Exception as err:  # a last guard: a check that raises must not take the catalogue down
        return dataclasses.replace(catalogue, warnings=catalogue.warnings + (
            Problem(catalogue.path, 1, _internal_error("the quotes", err), "internal-error", severity="warning"),))
    for claim, kind in found.checked:
        # The claims were built by this load and nobody holds them yet: setting the field in place costs nothing,
        # where rebuilding 10,000 frozen figures would cost most of what the proof itself costs.
        object.__setattr__(claim, "checked", kind)
    return dataclasses.replace(catalogue, warnings=catalogue.warnings + found.warnings)


_PAUSE_LOCK = threading.Lock()
_pauses = 0
_collector_was_on = False


def _without_collections(function, *args):
    """``function(*args)`` with the cyclic garbage collector paused, as it was before once the last pause ends.

    The proof makes some 100,000 short-lived objects (mentions, sets, slices) and no cycles; each collection they
    trigger would walk the whole catalogue just built, which costs a 10,000-figure check a third of what the proof
    costs (bench/run.py, section texts). Reference counting still frees everything at once. Pauses in several
    threads (the app's sessions) nest under one lock and count, so the collector is switched back on exactly when
    the last one ends, and only if it was on when the first began.
    """
    global _pauses, _collector_was_on
    with _PAUSE_LOCK:
        if _pauses == 0:
            _collector_was_on = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        return function(*args)
    finally:
        with _PAUSE_LOCK:
            _pauses -= 1
            if _pauses == 0 and _collector_was_on:
                gc.enable()


def _internal_error(what: str, err: Exception) -> str:
    return f"{what} could not be checked (internal error: {type(err).__name__}); please report it"


def _unreadable(path: str, problems: list[ReadProblem]) -> Catalogue:
    return Catalogue(path=path, problems=tuple(Problem(path, p.line, p.message, p.code) for p in problems))


@dataclass
class _File:
    """One file of the catalogue while it is built: its path, its top-level fields and the lines to skip."""

    path: str
    top: _Fields | None
    bad_lines: list[int]


@dataclass
class _Builder:
    catalogue_path: str
    prove: bool = True
    problems: list[Problem] = field(default_factory=list)
    texts: dict = field(default_factory=dict)
    """``("story", id)`` or ``("source", id)`` to the archived text its ``text:`` names."""
    text_warnings: list[Problem] = field(default_factory=list)
    """Archived texts that cannot be read: warnings that do not cost their entry its place."""
    _read: dict = field(default_factory=dict)
    """Each archived text file read by this build, by its path: one file named twice is one text."""
    path: str = ""
    """The file being checked: every problem is reported in it."""

    def build(self, parts: list[tuple[str, object, list[ReadProblem]]]) -> Catalogue:
        self.single = len(parts) == 1
        files = []
        for path, root, read_problems in parts:
            self.path = path
            # Lines whose entry must be skipped; a syntax error already took its entry out of the text.
            self._bad_lines = sorted(p.line for p in read_problems if not p.removed)
            self.problems.extend(Problem(path, p.line, p.message, p.code) for p in read_problems)
            if not isinstance(root, YMap):
                self.problem(getattr(root, "line", 1), "the file must be a mapping with the keys sources:, stories: and figures:; "
                             "start each of them at the left margin", "bad-structure")
                continue
            files.append(_File(path, _Fields(self, root, "the catalogue", TOP_KEYS), self._bad_lines))
        self.system = self._units(files)
        self.sources = self._shared(files, "sources", SOURCE_KEYS, self._source)
        self.stories = self._shared(files, "stories", STORY_KEYS, self._story)
        seen: dict[str, tuple[str, int]] = {}
        figures = tuple(f for file in self._each(files) for f in self._figures(file.top, seen))
        withdrawn = tuple(w for file in self._each(files) for w in self._withdrawn(file.top, figures))
        problems = sorted(set(self.problems), key=_problem_order)
        catalogue = Catalogue(self.catalogue_path, self.sources, self.stories, figures, tuple(problems), withdrawn,
                              units=self.system.declarations, texts=self.texts, warnings=tuple(self.text_warnings))
        return _proved(catalogue) if self.prove else catalogue

    def _each(self, files: list[_File]):
        """Each file in turn, with the builder pointed at it."""
        for file in files:
            self.path, self._bad_lines = file.path, file.bad_lines
            yield file

    def _where(self, path: str, line: int) -> str:
        """Another entry's place, as a message names it: ``line 12``, or ``other.yaml:12`` in another file."""
        return f"line {line}" if path == self.path else f"{Path(path).name}:{line}"

    def _shared(self, files: list[_File], key: str, allowed: tuple[str, ...], make) -> dict:
        """``sources`` or ``stories`` from every file: one namespace, an id defined twice names both places."""
        out: dict = {}
        where: dict[str, tuple[str, int]] = {}
        for file in self._each(files):
            for record_id, record in self._records(file.top, key, allowed, make).items():
                line = record.line
                if record_id in where:
                    other_path, other_line = where[record_id]
                    self.problem(line, f"{key[:-1]} id {record_id!r} is also defined at {self._where(other_path, other_line)}; "
                                 f"keep one of them (the files of a folder share their {key})", "duplicate-id", key)
                    continue
                where[record_id] = (file.path, line)
                out[record_id] = record
        return out

    def _units(self, files: list[_File]) -> units.UnitSystem:
        """The catalogue's ``units:`` from every file, checked, as one unit system."""
        declarations: list[units.Declaration] = []
        places: dict[str, tuple[str, YMap, int]] = {}
        for file in self._each(files):
            node = file.top.get("units")
            if node is None:
                if "units" in file.top.node and file.top.node.get("units") is not REFUSED:
                    self.problem(file.top.line("units"), "units: is empty; declare each counted thing as `truck: {is: vehicle}`, or remove the key", "empty-field", "units")
                continue
            if not isinstance(node, YMap):
                self.problem(file.top.line("units"), "units: must be a mapping of name: {is: unit} or name: {dimension: kind}, e.g. `truck: {is: vehicle}`",
                    "bad-structure", "units")
                continue
            for name, fields in node.items():
                line = node.key_lines[name]
                if fields is REFUSED:
                    continue
                if not isinstance(name, str):
                    self.problem(line, f"the unit name {_clip(name)!r} must be a word, e.g. truck", "bad-unit-name", "units")
                    continue
                if name in places:
                    other_path, _, other_line = places[name]
                    self.problem(line, f"unit {name!r} is also declared at {self._where(other_path, other_line)}; keep one declaration", "duplicate-unit", "units")
                    continue
                if not isinstance(fields, YMap):
                    self.problem(line, f"unit {name!r} must be a mapping, e.g. `{name}: {{is: vehicle}}` or `{name}: {{dimension: {name}s}}`", "bad-structure", "units")
                    continue
                before = len(self.problems)
                f = _Fields(self, fields, f"unit {name!r}", UNIT_KEYS, "units")
                counts_as = f.text("is", required=False)
                dimension = f.text("dimension", required=False)
                plural = f.text("plural", required=False)
                if len(self.problems) != before:
                    continue
                places[name] = (file.path, fields, line)
                declarations.append(units.Declaration(name, counts_as, dimension, plural))
        system = units.system(tuple(declarations))
        for p in system.problems:
            path, fields, line = places[p.name]
            self.path = path
            self.problem(fields.key_lines.get(p.key, line) if p.key else line, p.message, p.code, "units")
        return system

    def problem(self, line: int, message: str, code: str, field: str | None = None) -> None:
        self.problems.append(Problem(self.path, line, message, code, field))

    def _span_has_read_problem(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self._bad_lines, start)
        return i < len(self._bad_lines) and self._bad_lines[i] < end

    # -- sources and stories: mappings of id -> fields --------------------------------
    def _records(self, top: _Fields, key: str, allowed: tuple[str, ...], make) -> dict:
        node = top.get(key)
        if node is None:
            if key not in top.node and self.single:
                self.problem(top.node.line, f"the key {key}: is missing; add a {key}: section at the left margin", "missing-section", key)
            return {}
        if not isinstance(node, YMap):
            self.problem(top.line(key), f"{key}: must be a mapping of id: fields; write each {key[:-1]} as `some-id:` with its fields indented below", "bad-structure", key)
            return {}
        starts = sorted(node.key_lines.values())
        section_end = top.section_end(key)
        out = {}
        for record_id, fields in node.items():
            line = node.key_lines[record_id]
            before = len(self.problems)
            if not self._check_id(record_id, line, key[:-1]) or fields is REFUSED:
                continue
            if not isinstance(fields, YMap):
                self.problem(line, f"{key[:-1]} {record_id!r} must be a mapping of fields; indent its fields below the id", "bad-structure", key)
                continue
            try:
                record = make(record_id, _Fields(self, fields, f"{key[:-1]} {record_id!r}", allowed, key), line)
            except Exception as err:  # a bug must cost this entry, not the catalogue
                self.problem(line, _internal_error("this entry", err), "internal-error", key)
                continue
            end = min(_next_start(starts, line), section_end)
            if len(self.problems) == before and not self._span_has_read_problem(line, end):
                out[record_id] = record
        return out

    def _check_id(self, value: object, line: int, what: str) -> bool:
        if isinstance(value, str) and ID_PATTERN.match(value):
            return True
        bad = next((i for i, c in enumerate(value, 1) if not ("a" <= c <= "z" or "0" <= c <= "9" or c == "-")), None) if isinstance(value, str) else None
        why = (
            f": character {bad} of {_clip(value)!r} is {_character(value[bad - 1])}, which is not a lower-case Latin letter, digit or hyphen"
            if bad is not None else ""
        )
        self.problem(line, f"{what} id {_clip(value)!r} is not a slug{why}; use lower-case letters, digits and hyphens, e.g. us-dod-report", "bad-id", "id")
        return False

    def _source(self, source_id: str, f: _Fields, line: int) -> Source:
        return Source(
            id=source_id,
            name=f.text("name"),
            kind=f.choice("kind", SOURCE_KINDS),
            publisher=f.text("publisher", required=False),
            published=f.date("published", required=False),
            url=f.url("url"),
            accessed=f.date("accessed", required=False),
            text=self._archived(f, ("source", source_id)),
            left_out=self._left_out(f),
            line=line,
            path=self.path,
        )

    def _story(self, story_id: str, f: _Fields, line: int) -> Story:
        return Story(
            id=story_id,
            title=f.text("title"),
            publisher=f.text("publisher"),
            published=f.date("published"),
            url=f.url("url"),
            note=f.text("note", required=False, limit=LONG_TEXT),
            text=self._archived(f, ("story", story_id)),
            left_out=self._left_out(f),
            line=line,
            path=self.path,
        )

    def _archived(self, f: _Fields, key: tuple[str, str]) -> str | None:
        """The ``text:`` of a story or source: a file beside the catalogue, read now so a missing one is reported at its line."""
        written = f.text("text", required=False)
        if written is None:
            return None
        try:
            if _NOT_RELATIVE.match(written):
                raise proof.TextError("is not a path relative to the catalogue file; keep the file in the repository beside "
                                      "the catalogue and write e.g. texts/story.txt", "bad-path")
            where = Path(os.path.normpath(Path(self.path).parent / written))
            if where not in self._read:  # a story and its source may keep one file: read and scan it once
                self._read[where] = proof.read_archived(where)
            self.texts[key] = self._read[where]
        except proof.TextError as err:
            # A warning, like every check against the texts: the entry stays, its figures keep loading, their quotes unchecked.
            self.text_warnings.append(Problem(self.path, f.line("text"), f"text: {_clip(written)!r} {err.message}", err.code, f.field("text"),
                                              "warning"))
            return None
        return written

    def _left_out(self, f: _Fields) -> tuple[LeftOut, ...]:
        """The ``left_out:`` list of a story or source: figures its text writes that no claim holds, each with its reason."""
        node = f.get("left_out")
        if node is None:
            return ()
        if not isinstance(node, YSeq) or not node:
            self.problem(f.line("left_out"), 'left_out: must be a list; write each entry as `- number: "2,000"` with its reason:', "bad-structure", f.field("left_out"))
            return ()
        out = []
        for item, line in zip(node, node.item_lines, strict=False):
            if item is REFUSED:
                continue
            if not isinstance(item, YMap):
                self.problem(line, 'each left_out entry must be a mapping: `- number: "2,000"` and `reason: why no claim holds it`', "bad-structure", f.field("left_out"))
                continue
            before = len(self.problems)
            e = _Fields(self, item, "this left_out entry", LEFT_OUT_KEYS, "left_out")
            number, reason = e.text("number", what="the figure as the text writes it"), e.text("reason", limit=LONG_TEXT, what="why no claim holds it")
            if len(self.problems) == before:
                out.append(LeftOut(number=number, reason=reason, line=e.line("number")))
        return tuple(out)

    # -- figures: a list ----------------------------------------------------------------
    def _figures(self, top: _Fields, seen: dict[str, tuple[str, int]]) -> tuple[Figure, ...]:
        node = top.get("figures")
        if node is None:
            if "figures" not in top.node and self.single:
                self.problem(top.node.line, "the key figures: is missing; add a figures: list at the left margin", "missing-section", "figures")
            elif "figures" in top.node:
                # A file cut just after "figures:" reads as no figures at all: never serve that as a complete catalogue.
                self.problem(top.line("figures"), "figures: holds nothing; start each figure with `- id:` on the lines "
                             "below, or write figures: [] for a catalogue with no figures yet", "empty-section", "figures")
            return ()
        if not isinstance(node, YSeq):
            self.problem(top.line("figures"), "figures: must be a list; start each figure with `- id:`", "bad-structure", "figures")
            return ()
        starts = list(node.item_lines)
        section_end = top.section_end("figures")
        out = []
        for item, line in zip(node, node.item_lines, strict=False):
            before = len(self.problems)
            if item is REFUSED:  # already reported by the reader
                continue
            if not isinstance(item, YMap):
                self.problem(line, "each figure must be a mapping of fields; start it with `- id: some-id`", "bad-structure", "figures")
                continue
            try:
                figure = self._figure(_Fields(self, item, "this figure", FIGURE_KEYS), line)
            except Exception as err:  # a bug must cost this figure, not the catalogue
                self.problem(line, _internal_error("this entry", err), "internal-error")
                continue
            id_line = item.key_lines.get("id", line)
            if figure is not None and figure.id in seen:
                other_path, other_line = seen[figure.id]
                here = self._where(other_path, other_line)
                self.problem(id_line, f"duplicate figure id {figure.id!r}: it is also used at {here}; give each figure its own id", "duplicate-id", "id")
                this_path, self.path = self.path, other_path
                there = self._where(this_path, id_line)
                self.problem(other_line, f"figure id {figure.id!r} is used again at {there}; give each figure its own id", "duplicate-id", "id")
                self.path = this_path
                continue
            if figure is not None:
                seen[figure.id] = (self.path, id_line)
            end = min(_next_start(starts, line), section_end)
            if len(self.problems) == before and not self._span_has_read_problem(line, end):
                out.append(figure)
        return tuple(out)

    def _figure(self, f: _Fields, line: int) -> Figure | None:
        figure_id = f.get("id")
        id_ok = figure_id is not None and self._check_id(figure_id, f.line("id"), "figure")
        if figure_id is None:
            f.missing("id", "an id such as humvees-left")
        title = f.text("title")
        unit, declared_unit = f.unit("unit")
        story = f.reference("story", self.stories, "stories")
        topic = f.text("topic", required=False)
        tags = f.text_list("tags")
        if "topic" not in f.node and "tags" not in f.node:
            self.problem(line, "this figure has neither topic: nor tags:; add topic: (one word or phrase) or tags: [a, b]", "no-topic", "topic")
        claims = self._claims(f, unit)
        description = f.text("description", required=False, limit=LONG_TEXT)
        corrections = self._corrections(f)
        if not id_ok:
            return None
        return Figure(
            id=figure_id, title=title, unit=unit, story=story, claims=claims, topic=topic, tags=tags,
            description=description, corrections=corrections, declared_unit=declared_unit, line=line,
            key_lines=tuple(f.node.key_lines.items()), path=self.path,
        )

    def _corrections(self, f: _Fields) -> tuple[Correction, ...]:
        """A figure's ``corrections:``: a list of ``{date, note}``, each date a day, oldest first."""
        node = f.get("corrections")
        if node is None:
            if "corrections" in f.node and f.node.get("corrections") is not REFUSED:
                self.problem(f.line("corrections"), "corrections: is empty; list each correction as `- date: 2023-02-01` with its note:, or remove the key",
                    "empty-field", "corrections")
            return ()
        if not isinstance(node, YSeq) or not node:
            self.problem(f.line("corrections"), "corrections: must be a list; start each correction with `- date: 2023-02-01` and give its note:", "bad-structure", "corrections")
            return ()
        out: list[Correction] = []
        for item, line in zip(node, node.item_lines, strict=False):
            if item is REFUSED:
                continue
            if not isinstance(item, YMap):
                self.problem(line, "each correction must be a mapping: `- date: 2023-02-01` and `note: what was wrong and what changed`", "bad-structure", "corrections")
                continue
            before = len(self.problems)
            c = _Fields(self, item, "this correction", CORRECTION_KEYS, "corrections")
            date, note = c.day("date"), c.text("note", limit=LONG_TEXT, what="what was wrong and what changed, in a sentence or two")
            if len(self.problems) != before:
                continue
            if out and date < out[-1].date:
                self.problem(c.line("date"), f"this correction is dated {date.iso}, before the one above it ({out[-1].date.iso}); list corrections oldest first",
                    "correction-order", "corrections.date")
                continue
            out.append(Correction(date=date, note=note, line=line))
        return tuple(out)

    def _withdrawn(self, top: _Fields, figures: tuple[Figure, ...]) -> tuple[Withdrawal, ...]:
        """The top-level ``withdrawn:`` list: published figures taken out, each ``{id, date, note}``."""
        node = top.get("withdrawn")
        if node is None:
            if "withdrawn" in top.node and top.node.get("withdrawn") is not REFUSED:
                self.problem(top.line("withdrawn"), "withdrawn: is empty; list each withdrawn figure as `- id: some-id` with date: and note:, or remove the key",
                    "empty-field", "withdrawn")
            return ()
        if not isinstance(node, YSeq):
            self.problem(top.line("withdrawn"), "withdrawn: must be a list; start each entry with `- id: some-id` and give its date: and note:", "bad-structure", "withdrawn")
            return ()
        live = {f.id: (f.path, f.line) for f in figures}
        out: dict[str, Withdrawal] = {}
        for item, line in zip(node, node.item_lines, strict=False):
            if item is REFUSED:
                continue
            if not isinstance(item, YMap):
                self.problem(line, "each withdrawn figure must be a mapping: `- id: some-id`, `date: 2023-02-01`, `note: why`", "bad-structure", "withdrawn")
                continue
            before = len(self.problems)
            w = _Fields(self, item, "this withdrawn figure", WITHDRAWN_KEYS, "withdrawn")
            figure_id = w.get("id")
            if figure_id is None:
                w.missing("id", "the id of the figure taken out")
            elif self._check_id(figure_id, w.line("id"), "figure"):
                if figure_id in live:
                    self.problem(w.line("id"), f"figure {figure_id!r} is withdrawn here but is still in figures: ({self._where(*live[figure_id])}); remove one of them",
                        "withdrawn-live", "withdrawn.id")
                elif figure_id in out:
                    self.problem(w.line("id"), f"figure {figure_id!r} is withdrawn twice (also at line {out[figure_id].line}); keep one entry", "duplicate-id", "withdrawn.id")
            date, note = w.day("date"), w.text("note", limit=LONG_TEXT, what="why the figure was taken out")
            if len(self.problems) == before:
                out[figure_id] = Withdrawal(id=figure_id, date=date, note=note, line=line, path=self.path)
        return tuple(out.values())

    def _claims(self, f: _Fields, unit: str | None) -> tuple[Claim, ...]:
        node = f.get("claims")
        if node is None:
            f.missing("claims", "a list of claims, each starting with `- value:`")
            return ()
        if not isinstance(node, YSeq) or not node:
            self.problem(f.line("claims"), "claims: must be a non-empty list; start each claim with `- value:` (or `- low:` for a range)", "bad-structure", "claims")
            return ()
        claims = []
        for item, line in zip(node, node.item_lines, strict=False):
            if item is REFUSED:  # already reported by the reader
                continue
            if not isinstance(item, YMap):
                self.problem(line, "each claim must be a mapping of fields; start it with `- value: 123`", "bad-structure", "claims")
                continue
            claim = self._claim(_Fields(self, item, "this claim", CLAIM_KEYS, "claims"), line)
            if claim is not None:
                claims.append(claim)
        return tuple(claims)

    def _claim(self, f: _Fields, line: int) -> Claim | None:
        before = len(self.problems)
        qualifier = f.enum("qualifier", Qualifier)
        value, low, high = f.number("value", required=False), f.number("low", required=False), f.number("high", required=False)
        if qualifier is Qualifier.RANGE:
            if value is not None:
                self.problem(f.line("value"), "a range has low: and high:, not value:; remove value: or change the qualifier", "bad-range", "claims.value")
            for key, got in (("low", low), ("high", high)):
                if got is None and key not in f.node:
                    f.missing(key, f"the {key} end of the range")
            if low is not None and high is not None and low >= high:
                self.problem(f.line("low"), f"the range is empty or reversed: low ({low}) is not below high ({high}); swap them, or use value: with qualifier: exact",
                    "bad-range", "claims.low")
        elif qualifier is not None:
            for key, got in (("low", low), ("high", high)):
                if got is not None:
                    self.problem(f.line(key), f"{key}: belongs to a range; use qualifier: range, or keep only value:", "bad-range", f"claims.{key}")
            if value is None and "value" not in f.node:
                f.missing("value", "the number claimed (write low: and high: with qualifier: range for a range)")
        reliability = f.choice("reliability", tuple(RELIABILITY_GRADES), required=False)
        credibility = f.choice("credibility", tuple(CREDIBILITY_GRADES), required=False)
        claim = Claim(
            qualifier=qualifier,
            as_of=f.date("as_of"),
            claimant=f.text("claimant"),
            source=f.reference("source", self.sources, "sources"),
            via=f.references("via", self.sources, "sources"),
            quote=f.text("quote", limit=LONG_TEXT),
            confidence=f.enum("confidence", Confidence),
            confidence_note=f.text("confidence_note", limit=LONG_TEXT),
            value=value, low=low, high=high,
            reliability=reliability, credibility=credibility,
            unquoted_value=f.text("unquoted_value", required=False, limit=LONG_TEXT, what="why the value is not in the quote's words"),
            line=line, key_lines=tuple(f.node.key_lines.items()),
        )
        return claim if len(self.problems) == before else None


def _text_problem(value: str, limit: int) -> str | None:
    """What is wrong with the text of one field or list item ("what; how to fix"), or None: every string goes through here."""
    if not value.strip():
        return "is blank; write some text or remove the field"
    if len(value) > limit:
        return f"is {len(value):,} characters long (limit {limit:,}); shorten it"
    if match := _CONTROL.search(value):
        return f"contains a control character (U+{ord(match.group()):04X} at character {match.start() + 1}); remove it"
    if match := NONCHARACTER.search(value):
        return (
            f"contains U+{ord(match.group()):04X} at character {match.start() + 1}, a Unicode noncharacter: no renderer "
            "can draw it, so the chart images could not be made; remove it"
        )
    if match := BIDI_CONTROL.search(value):
        return (
            f"contains {_character(match.group())} at character {match.start() + 1}, an invisible control that reorders "
            "the text after it in images and pages (after a right-to-left override, \"Story: Pub, January 2023\" reads "
            "\"3202 yraunaJ ,buP :yrotS\"); remove it: Arabic, Hebrew and other right-to-left text needs no control characters"
        )
    return None


def _character(char: str) -> str:
    """A character as a message names it: ``'е' (U+0435 CYRILLIC SMALL LETTER IE)``, or ``U+FFFE (a noncharacter)`` when invisible."""
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "")
    if not name:
        kinds = {"Cc": "a control character", "Co": "a private-use character", "Cs": "a surrogate"}
        kind = "a noncharacter" if NONCHARACTER.match(char) else kinds.get(unicodedata.category(char), "an unassigned code point")
        return f"{code} ({kind})"
    return f"{char!r} ({code} {name})" if char.isprintable() and not char.isspace() else f"{code} {name}"


def _clip(value: object, limit: int = 60) -> object:
    """Long text cut for a message: a 5,000-digit number or a pasted page must not fill the editor's screen."""
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit]}…"
    return value


def _next_start(starts: list[int], line: int) -> int:
    i = bisect.bisect_right(starts, line)
    return starts[i] if i < len(starts) else 1 << 30


class _Fields:
    """Reads the fields of one YAML mapping, reporting problems with their lines."""

    def __init__(self, builder: _Builder, node: YMap, what: str, allowed: tuple[str, ...], section: str = "") -> None:
        self.b, self.node, self.what, self.section = builder, node, what, section
        for key in node:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
                hint = f"did you mean {close[0]!r}?" if close else f"the fields of {what} are: {', '.join(allowed)}"
                builder.problem(node.key_lines[key], f"unknown field {_clip(key)!r} in {what}; {hint}", "unknown-field", self.field(str(key)))

    def field(self, key: str) -> str:
        """The field's name as a problem gives it: ``unit``, ``claims.value``, ``sources.url``."""
        return f"{self.section}.{key}" if self.section else key

    def get(self, key: str) -> object:
        """The value of ``key``; None when absent, or refused by the reader (which reported it)."""
        value = self.node.get(key)
        return None if value is REFUSED else value

    def line(self, key: str) -> int:
        return self.node.key_lines.get(key, self.node.line)

    def section_end(self, key: str) -> int:
        """The line of the key after ``key`` in this mapping: where ``key``'s value ends at the latest."""
        return _next_start(sorted(self.node.key_lines.values()), self.line(key))

    def missing(self, key: str, what: str) -> None:
        if self.node.get(key) is REFUSED:
            return
        self.b.problem(self.node.line, f"{self.what} has no {key}:; add {key}: with {what}", "missing-field", self.field(key))

    def _absent(self, key: str, required: bool, what: str) -> bool:
        value = self.node.get(key)
        if value is REFUSED:
            return True
        if value is None:
            if required:
                if key in self.node:
                    self.b.problem(self.line(key), f"{key}: is empty; write {what}", "empty-field", self.field(key))
                else:
                    self.missing(key, what)
            return True
        return False

    def text(self, key: str, required: bool = True, limit: int = SHORT_TEXT, what: str = "some text") -> str | None:
        if self._absent(key, required, what):
            return None
        value = self.node[key]
        if isinstance(value, bool):
            return self._wrong(key, "bad-text", "YAML reads yes/no/on/off/true/false as a true/false value, not text; put the text in quotes")
        if isinstance(value, Unreadable) or not isinstance(value, str):
            if isinstance(value, (int, float, str)):
                shown = _clip(str(value))
                example = f": {key}: \"{value!s}\"" if shown == str(value) else ""
                return self._wrong(key, "bad-text", f"YAML reads {shown} as a number, not text; put it in quotes{example}")
            return self._wrong(key, "bad-text", "expected text but found a list or mapping; write plain text on the same line")
        problem = _text_problem(value, limit)
        return value if problem is None else self._wrong(key, "bad-text", problem)

    def _wrong(self, key: str, code: str, message: str) -> None:
        self.b.problem(self.line(key), f"{key}: {message}", code, self.field(key))
        return None

    def number(self, key: str, required: bool = True) -> float | int | None:
        # Present but empty (`value:` and nothing after it) is a forgotten number, required or not.
        if self._absent(key, required or key in self.node, "the number, in plain digits, e.g. 900 (or remove the line)"):
            return None
        value = self.node[key]
        if isinstance(value, Unreadable):
            return self._wrong(key, "bad-number", f"{_clip(value)} is refused: {value.reason}")
        if isinstance(value, bool):
            return self._wrong(key, "bad-number", "expected a number but YAML read a true/false value; write a number")
        if isinstance(value, str):
            candidate = value.replace(",", "").replace("_", "").strip()
            try:
                float(candidate)
            except ValueError:
                return self._wrong(key, "bad-number",
                    f"expected a number but found the text {value[:40]!r}; write digits only, e.g. 7000000000 (put words like 'more than' in qualifier:)")
            return self._wrong(key, "bad-number", f"YAML 1.1 reads {value[:40]!r} as text, not a number; write it out in full, e.g. 7000000000, or as 7.0e+9")
        if not isinstance(value, (int, float)):
            return self._wrong(key, "bad-number", "expected a number but found a list or mapping; write one number")
        if isinstance(value, float) and not math.isfinite(value):
            return self._wrong(key, "bad-number", "is not a finite number; write a real number")
        if abs(value) > MAX_MAGNITUDE:  # exact for ints of any length: nothing is turned into a float
            digits = len(str(abs(value))) if isinstance(value, int) else 0
            shown = f"{str(value)[:12]}… ({digits:,} digits)" if digits > 20 else str(value)
            return self._wrong(
                key, "bad-number",
                f"{shown} is larger than any figure can be (the limit is a quadrillion, "
                "1000000000000000, either side of zero); check it for extra digits, or give the figure in a larger unit "
                "(tonne rather than gram, day rather than second)",
            )
        return value

    def date(self, key: str, required: bool = True) -> PartialDate | None:
        if self._absent(key, required, "a date: 2023-01-25, 2023-01 or 2023"):
            return None
        value = self.node[key]
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            return self._wrong(key, "bad-date", "expected a date written 2023-01-25, 2023-01 or 2023")
        match = _DATE.match(str(value).strip())
        if not match:
            return self._wrong(key, "bad-date", f"{str(value)[:40]!r} is not a date; write 2023-01-25, 2023-01 or 2023 (only as precise as the source)")
        year, month, day = (int(g) if g else None for g in match.groups())
        if not 1800 <= year <= 2200:
            return self._wrong(key, "bad-date", f"the year {year} is out of range; check the date")
        if month is not None and not 1 <= month <= 12:
            return self._wrong(key, "bad-date", f"{value} is not a real date (there is no month {month}); write YYYY-MM-DD")
        if day is not None:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                return self._wrong(key, "bad-date", f"{value} is not a real date (that month has {last} days); write YYYY-MM-DD")
        return PartialDate(year, month, day)

    def day(self, key: str) -> PartialDate | None:
        """A required date given to the day (when something was published here: a correction, a withdrawal)."""
        value = self.date(key)
        if value is not None and value.precision != "day":
            return self._wrong(key, "bad-date", f"{value.iso} is not a day; write the day this was published, e.g. 2023-02-01")
        return value

    def choice(self, key: str, options: tuple, required: bool = True):
        if self._absent(key, required, "one of " + ", ".join(map(str, options))):
            return None
        value = self.node[key]
        if value in options and not isinstance(value, bool):
            return value
        close = difflib.get_close_matches(str(value), [str(o) for o in options], n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}? " if close else ""
        return self._wrong(key, "bad-choice", f"{str(value)[:40]!r} is not allowed; {hint}use one of {', '.join(map(str, options))}")

    def enum(self, key: str, kind: type):
        value = self.choice(key, tuple(m.value for m in kind))
        return None if value is None else kind(value)

    def url(self, key: str) -> str | None:
        value = self.text(key, required=False, limit=MAX_URL)
        if value is None:
            return None
        try:
            parts = urlsplit(value)
            _ = parts.port  # raises ValueError for a port that is not a number from 0 to 65535
            ok = parts.scheme in ("http", "https") and bool(parts.hostname)
        except ValueError:  # a bracketed host that is not an IP address, a full-width slash, a port out of range
            ok = False
        if not ok or re.search(r"\s", value):
            return self._wrong(key, "bad-url", f"{_clip(value)!r} is not an http(s) address; write the full link starting with https:// or remove the field")
        return value

    def unit(self, key: str) -> tuple[str | None, units.UnitInfo | None]:
        """The unit string, and what the catalogue's ``units:`` make of it when they declare it (else None)."""
        value = self.text(key, limit=units.MAX_UNIT_LENGTH * 4, what="a unit such as USD, vehicle, percent or day")
        if value is None:
            return None, None
        try:
            info = self.b.system.info(value)
        except units.UnitError as err:
            return self._wrong(key, err.code, str(err)), None
        return value, (info if self.b.system.declares(value) else None)

    def reference(self, key: str, known: dict, section: str) -> str | None:
        value = self.text(key, what=f"the id of an entry under {section}:")
        if value is None:
            return None
        if value not in known:
            return self._wrong(key, _UNKNOWN_REFERENCE[section], self._unknown_ref(value, known, section))
        return value

    def references(self, key: str, known: dict, section: str) -> tuple[str, ...]:
        ids = self.text_list(key)
        for value in ids:
            if value not in known:
                self._wrong(key, _UNKNOWN_REFERENCE[section], self._unknown_ref(value, known, section))
        return ids

    def _unknown_ref(self, value: str, known: dict, section: str) -> str:
        close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}? " if close else ""
        return f"{value!r} is not defined (or has errors) under {section}:; {hint}add it to {section}: or fix the id"

    def text_list(self, key: str) -> tuple[str, ...]:
        value = self.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and not isinstance(v, Unreadable) for v in value):
            self._wrong(key, "bad-text", "expected a list of names, e.g. [cnn, foreign-policy]")
            return ()
        for i, item in enumerate(value, 1):
            problem = _text_problem(item, SHORT_TEXT)
            if problem is not None:
                self._wrong(key, "bad-text", f"item {i} {problem}" if len(value) > 1 else problem)
                return ()
        return tuple(value)
