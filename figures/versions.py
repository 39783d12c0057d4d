"""The published record: every version of every figure as readers saw it, one JSON object a line.

``python -m figures publish`` compares the catalogue with its record (the
file beside it, ``figures.yaml`` → ``figures.published.jsonl``) and appends
one line per figure whose published content changed::

    {"content": {...}, "date": "2023-02-01", "figure": "humvees-left", "version": 2}

``content`` is the whole figure as published (every claim with its
provenance and rating, its corrections) with the sources and the story it
cites, so a fresh clone rebuilds every version of every figure byte for byte
from the record alone. A figure taken out of the catalogue gets a last line
with ``withdrawn`` (its date and note) instead of content. The record only
grows: lines are never rewritten, so ``git diff`` shows exactly what was
published, and two editors' publishes merge as two sets of added lines.

:func:`publish` refuses (every problem at its ``file:line``) a change to a
published figure's numbers (value, range, qualifier, unit, as-of) that comes
with no new correction, an edit to or removal of a published correction, and
a published figure that disappeared without a ``withdrawn:`` entry.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from dataclasses import dataclass
from pathlib import Path

from figures.files import write_atomically
from figures.model import (
    Catalogue,
    Claim,
    Confidence,
    Correction,
    Figure,
    PartialDate,
    Problem,
    Qualifier,
    Source,
    Story,
    Withdrawal,
)
from figures.units import UnitInfo

RECORD_SUFFIX = ".published.jsonl"
"""The record of ``figures.yaml`` is ``figures.published.jsonl`` beside it."""
NUMBER_FIELDS = ("value", "low", "high", "qualifier", "as_of")
"""The fields of a claim whose change is a correction (with the figure's unit)."""


@dataclass(frozen=True)
class Version:
    """One line of the record: version ``number`` of a figure, published on ``date``.

    ``content`` is the figure as published (see :func:`content`), or None
    when this version withdrew it (``withdrawn`` then holds its date and note).
    """

    figure: str
    number: int
    date: PartialDate
    content: dict | None = None
    withdrawn: Withdrawal | None = None
    line: int = 0

    @property
    def published(self) -> tuple[Figure, Catalogue] | None:
        """The figure as published and a catalogue of just it (its sources, its story, this version); None if withdrawn."""
        if self.content is None:
            return None
        figure, catalogue = from_content(self.content)
        return figure, dataclasses.replace(catalogue, published={figure.id: (self.number, self.date)})


def record_path(catalogue_path: str | Path) -> Path:
    """The record beside a catalogue: ``data/figures.yaml`` → ``data/figures.published.jsonl``."""
    path = Path(catalogue_path)
    if not path.name:  # "." or "..": the folder's own name
        path = path.resolve()
    if not path.name:  # the root folder has none
        return path / ("catalogue" + RECORD_SUFFIX)
    return path.with_name(path.stem + RECORD_SUFFIX)


# -- content: a figure as plain JSON and back ---------------------------------------------------

def content(catalogue: Catalogue, figure: Figure) -> dict:
    """What readers of ``figure`` are shown, as JSON: the figure, the sources its claims cite, its story."""
    cited = sorted({h for c in figure.claims for h in (c.source, *c.via)} & catalogue.sources.keys())
    story = catalogue.stories.get(figure.story)
    return {
        "figure": _figure_json(figure),
        "sources": {s: _source_json(catalogue.sources[s]) for s in cited},
        "story": None if story is None else _story_json(story),
    }


def from_content(data: dict) -> tuple[Figure, Catalogue]:
    """The figure of :func:`content` and a catalogue holding just it, its sources and its story."""
    figure = _figure_from(data["figure"])
    sources = {key: _source_from(key, value) for key, value in data["sources"].items()}
    story = data.get("story")
    stories = {figure.story: _story_from(figure.story, story)} if story else {}
    return figure, Catalogue(path="", sources=sources, stories=stories, figures=(figure,))


def _drop_empty(data: dict) -> dict:
    return {k: v for k, v in data.items() if v is not None and v != [] and v != ()}


def _date(value: PartialDate | None) -> str | None:
    return None if value is None else value.iso


def _parse_date(text: str | None) -> PartialDate | None:
    if text is None:
        return None
    parts = [int(p) for p in text.split("-")]
    return PartialDate(*parts)


def _figure_json(figure: Figure) -> dict:
    return _drop_empty({
        "id": figure.id, "title": figure.title, "unit": figure.unit, "story": figure.story,
        "topic": figure.topic, "tags": list(figure.tags), "description": figure.description,
        "claims": [_claim_json(c) for c in figure.claims],
        "corrections": [{"date": c.date.iso, "note": c.note} for c in figure.corrections],
        "declared_unit": None if figure.declared_unit is None else _unit_json(figure.declared_unit),
    })


def _unit_json(info: UnitInfo) -> dict:
    """A catalogue-declared unit as it was resolved, so a version keeps its words whatever ``units:`` says later."""
    return _drop_empty({"name": info.name, "dimension": info.dimension, "canonical": info.canonical, "factor": info.factor,
                        "plurals": [list(pair) for pair in info.plurals], "declared_dimension": info.declared_dimension or None})


def _unit_from(text: str, data: dict | None) -> UnitInfo | None:
    if data is None:
        return None
    return UnitInfo(text=text, name=data["name"], dimension=data["dimension"], canonical=data["canonical"],
                    factor=float(data["factor"]), plurals=tuple((str(w), str(p)) for w, p in data.get("plurals", ())),
                    declared_dimension=bool(data.get("declared_dimension")))


def _claim_json(claim: Claim) -> dict:
    return _drop_empty({
        "value": claim.value, "low": claim.low, "high": claim.high, "qualifier": claim.qualifier.value,
        "as_of": claim.as_of.iso, "claimant": claim.claimant, "source": claim.source, "via": list(claim.via),
        "quote": claim.quote, "confidence": claim.confidence.value, "confidence_note": claim.confidence_note,
        "reliability": claim.reliability, "credibility": claim.credibility,
    })


def _source_json(source: Source) -> dict:
    return _drop_empty({"name": source.name, "kind": source.kind, "publisher": source.publisher,
                        "published": _date(source.published), "url": source.url, "accessed": _date(source.accessed)})


def _story_json(story: Story) -> dict:
    return _drop_empty({"title": story.title, "publisher": story.publisher, "published": story.published.iso,
                        "url": story.url, "note": story.note})


def _figure_from(data: dict) -> Figure:
    return Figure(
        id=data["id"], title=data["title"], unit=data["unit"], story=data["story"],
        claims=tuple(_claim_from(c) for c in data["claims"]), topic=data.get("topic"), tags=tuple(data.get("tags", ())),
        description=data.get("description"),
        corrections=tuple(Correction(_parse_date(c["date"]), c["note"]) for c in data.get("corrections", ())),
        declared_unit=_unit_from(data["unit"], data.get("declared_unit")),
    )


def _claim_from(data: dict) -> Claim:
    return Claim(
        qualifier=Qualifier(data["qualifier"]), as_of=_parse_date(data["as_of"]), claimant=data["claimant"],
        source=data["source"], quote=data["quote"], confidence=Confidence(data["confidence"]),
        confidence_note=data["confidence_note"], value=data.get("value"), low=data.get("low"), high=data.get("high"),
        via=tuple(data.get("via", ())), reliability=data.get("reliability"), credibility=data.get("credibility"),
    )


def _source_from(source_id: str, data: dict) -> Source:
    return Source(id=source_id, name=data["name"], kind=data["kind"], publisher=data.get("publisher"),
                  published=_parse_date(data.get("published")), url=data.get("url"), accessed=_parse_date(data.get("accessed")))


def _story_from(story_id: str, data: dict) -> Story:
    return Story(id=story_id, title=data["title"], publisher=data["publisher"], published=_parse_date(data["published"]),
                 url=data.get("url"), note=data.get("note"))


# -- the record file ---------------------------------------------------------------------------

def read_record(path: str | Path) -> tuple[list[Version], list[Problem]]:
    """Every version in the record at ``path`` (none if there is no file yet), and what is wrong with its lines.

    A line that is not a version (bad JSON, a missing field, a number out of
    turn) is a problem at its line and is left out; the rest are read.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [], []
    except (OSError, UnicodeDecodeError) as err:
        return [], [Problem(str(path), 1, f"the published record cannot be read ({err}); restore it from version control", "record-unreadable")]
    versions: list[Version] = []
    problems: list[Problem] = []
    latest: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            version = Version(
                figure=data["figure"], number=int(data["version"]), date=_parse_date(data["date"]),
                content=data.get("content"),
                withdrawn=None if data.get("withdrawn") is None else Withdrawal(
                    data["figure"], _parse_date(data["withdrawn"]["date"]), data["withdrawn"]["note"]),
                line=number,
            )
            if version.content is not None:
                from_content(version.content)  # every version must rebuild
            elif version.withdrawn is None:
                raise ValueError("neither content nor withdrawn")
        except (ValueError, KeyError, TypeError, AttributeError) as err:
            problems.append(Problem(str(path), number, f"this line is not a version of a figure ({type(err).__name__}: {err}); "
                                                       "the record is written by `figures publish`: restore the line from version control", "record-line"))
            continue
        expected = latest.get(version.figure, 0) + 1
        if version.number != expected:
            problems.append(Problem(str(path), number, f"version {version.number} of {version.figure!r} comes out of turn "
                                                       f"(expected {expected}); restore the record from version control", "record-order"))
            continue
        latest[version.figure] = version.number
        versions.append(version)
    return versions, problems


class RecordError(Exception):
    """The published record cannot be read whole; ``problems`` says where (each a line of the record)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def read_published(catalogue_path: str | Path) -> list[Version]:
    """The record beside a catalogue (none for a catalogue not in a file, or never published).

    Raises
    ------
    RecordError
        If any line of the record cannot be read: a site must not be built from part of it.
    """
    if not catalogue_path or not Path(catalogue_path).exists():
        return []
    found, problems = read_record(record_path(catalogue_path))
    if problems:
        raise RecordError(problems)
    return found


def record_line(version: Version) -> str:
    """One line of the record: sorted keys, no spaces, UTF-8 text (what :func:`read_record` reads)."""
    data: dict = {"figure": version.figure, "version": version.number, "date": version.date.iso}
    if version.content is not None:
        data["content"] = version.content
    if version.withdrawn is not None:
        data["withdrawn"] = {"date": version.withdrawn.date.iso, "note": version.withdrawn.note}
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def append(path: str | Path, versions: list[Version]) -> None:
    """Add ``versions`` at the end of the record, whole or not at all (a new file, then a rename)."""
    path = Path(path)
    try:
        existing = path.read_bytes()
    except FileNotFoundError:
        existing = b""
    if existing and not existing.endswith(b"\n"):
        existing += b"\n"
    write_atomically(path, existing + "".join(record_line(v) + "\n" for v in versions).encode("utf-8"))


def latest_published(versions: list[Version]) -> dict[str, tuple[int, PartialDate]]:
    """Each figure's latest version that published it (number, date); withdrawn figures are left out."""
    out: dict[str, tuple[int, PartialDate]] = {}
    for figure_id, figure_versions in history(versions).items():
        if figure_versions[-1].content is not None:
            out[figure_id] = (figure_versions[-1].number, figure_versions[-1].date)
    return out


def history(versions: list[Version]) -> dict[str, list[Version]]:
    """The versions of each figure, oldest first, in the order figures first appear in the record."""
    out: dict[str, list[Version]] = {}
    for version in versions:
        out.setdefault(version.figure, []).append(version)
    return out


# -- publishing --------------------------------------------------------------------------------

def publish(catalogue: Catalogue, versions: list[Version], date: PartialDate, record: str = "") -> tuple[list[Version], list[Problem]]:
    """The versions publishing ``catalogue`` on ``date`` adds to the record, or the problems that refuse it.

    Parameters
    ----------
    catalogue : Catalogue
        The catalogue as it is now; it must have no problems (the caller checks).
    versions : list of Version
        The record so far (:func:`read_record`).
    date : PartialDate
        The day of publication.
    record : str
        The record's path, for problems about a figure that is only in the record.

    Returns
    -------
    (list of Version, list of Problem)
        New versions (empty when nothing changed) and, if any, the problems;
        when there are problems, nothing must be published.
    """
    latest = {fid: figure_versions[-1] for fid, figure_versions in history(versions).items()}
    path = catalogue.path
    new: list[Version] = []
    problems: list[Problem] = []

    def problem(line: int, message: str, where: str = path, code: str = "published-changed") -> None:
        problems.append(Problem(where, line, message, code))

    for figure in catalogue.figures:
        now = content(catalogue, figure)
        before = latest.get(figure.id)
        if before is not None and before.content == now:
            continue
        if before is not None and before.content is not None:
            old, _ = from_content(before.content)
            _check_change(old, figure, before, functools.partial(problem, where=figure.path or path))
        for correction in figure.corrections:
            if correction.date > date:
                problem(correction.line, f"this correction is dated {correction.date.iso}, after the day of publication "
                                         f"({date.iso}); date it the day it is published", figure.path or path, "correction-date")
        new.append(Version(figure.id, (before.number if before else 0) + 1, date, content=now))
    live = {f.id for f in catalogue.figures}
    withdrawals = {w.id: w for w in catalogue.withdrawn}
    for figure_id, before in latest.items():
        if figure_id in live:
            continue
        entry = withdrawals.get(figure_id)
        if before.withdrawn is not None:
            if entry is None:
                problem(before.line, f"figure {figure_id!r} was withdrawn (version {before.number}, {before.date.iso}) and its "
                                     "withdrawn: entry is gone; put the entry back (a withdrawal stays on record)", record, "withdrawal-removed")
            elif (entry.date, entry.note) != (before.withdrawn.date, before.withdrawn.note):
                problem(entry.line, f"the withdrawal of {figure_id!r} was published on {before.date.iso} and cannot be "
                                    "edited; put back its date and note as they were", entry.path or path, "withdrawal-edited")
            continue
        if entry is None:
            problem(before.line, f"figure {figure_id!r} was published (version {before.number}, {before.date.iso}) and is no "
                                 "longer in the catalogue; put it back, or list it under withdrawn: with the date and a note "
                                 "saying why", record, "figure-removed")
            continue
        new.append(Version(figure_id, before.number + 1, date, withdrawn=entry))
    for entry in catalogue.withdrawn:
        if entry.id not in latest:
            problem(entry.line, f"figure {entry.id!r} was never published, so it cannot be withdrawn; remove this entry", entry.path or path, "withdrawn-unpublished")
    return ([] if problems else new), problems


def _check_change(old: Figure, new: Figure, before: Version, problem) -> None:
    """Report a published correction edited or removed, or numbers changed with no new correction."""
    published = f"version {before.number} of {before.date.iso}"
    for i, was in enumerate(old.corrections):
        if i >= len(new.corrections):
            problem(new.line_of("corrections"), f"the correction of {was.date.iso} ({published}) was removed; a published "
                                                "correction stays: put it back, and add a new one below it if needed", code="correction-removed")
            return
        now = new.corrections[i]
        if (now.date, now.note) != (was.date, was.note):
            problem(now.line, f"this correction was published in {published} and cannot be edited; put it back as it was "
                              f"(date: {was.date.iso}, note: {was.note!r}) and add a new correction below it instead", code="correction-edited")
            return
    if len(new.corrections) > len(old.corrections):
        return
    changes = _number_changes(old, new)
    for line, what in changes:
        problem(line, f"{what} of this published figure changed since {published} with no new correction; add an entry "
                      "under corrections: (date: the day it is published, note: what was wrong and what changed)", code="uncorrected-change")


def _number_changes(old: Figure, new: Figure) -> list[tuple[int, str]]:
    """Where the numbers readers saw changed: (line, what), claim by claim in file order; claims added after the published ones are not changes."""
    out: list[tuple[int, str]] = []
    if old.unit != new.unit:
        out.append((new.line_of("unit"), f"the unit ({old.unit} → {new.unit})"))
    for i, was in enumerate(old.claims):
        if i >= len(new.claims):
            out.append((new.line_of("claims"), f"the claims (claim {i + 1}, as of {was.as_of.label}, was removed)"))
            continue
        now = new.claims[i]
        for name in NUMBER_FIELDS:
            a, b = getattr(was, name), getattr(now, name)
            if a != b:
                out.append((now.line_of(name) if b is not None else now.line,
                            f"the {name.replace('_', '-')} of claim {i + 1} ({_shown(a)} → {_shown(b)})"))
    return out


def _shown(value: object) -> str:
    """A field's value as a message shows it: a date in ISO form, a qualifier by name, nothing as "nothing"."""
    if value is None:
        return "nothing"
    if isinstance(value, PartialDate):
        return value.iso
    if isinstance(value, Qualifier):
        return value.value
    return f"{value:,}" if isinstance(value, int | float) else str(value)
