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
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from figures import units, versions
from figures.model import (
    CREDIBILITY_GRADES,
    RELIABILITY_GRADES,
    SOURCE_KINDS,
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
from figures.reader import REFUSED, ReadProblem, Unreadable, YamlReadError, YMap, YSeq, read_file, read_text

TOP_KEYS = ("sources", "stories", "figures", "withdrawn")
SOURCE_KEYS = ("name", "publisher", "kind", "published", "url", "accessed")
STORY_KEYS = ("title", "publisher", "published", "url", "note")
FIGURE_KEYS = ("id", "title", "unit", "story", "topic", "tags", "description", "claims", "corrections")
CORRECTION_KEYS = ("date", "note")
WITHDRAWN_KEYS = ("id", "date", "note")
CLAIM_KEYS = (
    "value", "low", "high", "qualifier", "as_of", "claimant", "source", "via",
    "quote", "confidence", "confidence_note", "reliability", "credibility",
)
ID_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?\Z")
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\Z")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
NONCHARACTER = re.compile("[\ufdd0-\ufdef" + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(17)) + "]")
"""The 66 Unicode noncharacters: never text, and U+FFFE or U+FFFF makes the image renderer abort its whole process."""
BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Embeddings, overrides and isolates: a right-to-left override turns the text after it backwards."""
MAX_MAGNITUDE = 1e15
"""The largest value a figure may have (a quadrillion): beyond it a number is a typo, not a figure, and floats lose digits."""
SHORT_TEXT = 300
LONG_TEXT = 4000
MAX_URL = 2048


def load(path: str | Path) -> Catalogue:
    """Load and check a catalogue file.

    Parameters
    ----------
    path : str or Path
        The YAML file.

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
    try:
        root, read_problems = read_file(path)
    except YamlReadError as err:
        return _unreadable(str(path), err.problems)
    except OSError:
        raise
    except Exception as err:  # a last guard: a checker that raises would take every page of the app down
        return _unreadable(str(path), [ReadProblem(1, _internal_error("the file", err))])
    return with_record(_build(str(path), root, read_problems), versions.record_path(path))


def with_record(catalogue: Catalogue, record: Path) -> Catalogue:
    """``catalogue`` with what its published record says (:attr:`Catalogue.published`); the record's problems join its own.

    No record (a catalogue never published) changes nothing.
    """
    try:
        found, problems = versions.read_record(record)
    except Exception as err:  # a last guard, as in load()
        found, problems = [], [Problem(str(record), 1, _internal_error("the published record", err))]
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
        return _unreadable(path, [ReadProblem(1, _internal_error("the file", err))])
    return _build(path, root, read_problems)


def _build(path: str, root: object, read_problems: list[ReadProblem]) -> Catalogue:
    try:
        return _Builder(path, read_problems).build(root)
    except Exception as err:  # every entry has its own guard; this one covers what lies between them
        return _unreadable(path, [*read_problems, ReadProblem(1, _internal_error("the catalogue", err))])


def _internal_error(what: str, err: Exception) -> str:
    return f"{what} could not be checked (internal error: {type(err).__name__}); please report it"


def _unreadable(path: str, problems: list[ReadProblem]) -> Catalogue:
    return Catalogue(path=path, problems=tuple(Problem(path, p.line, p.message) for p in problems))


@dataclass
class _Builder:
    path: str
    read_problems: list[ReadProblem]
    problems: list[Problem] = field(default_factory=list)

    def build(self, root: object) -> Catalogue:
        # Lines whose entry must be skipped; a syntax error already took its entry out of the text.
        self._bad_lines = sorted(p.line for p in self.read_problems if not p.removed)
        self.problems.extend(Problem(self.path, p.line, p.message) for p in self.read_problems)
        if not isinstance(root, YMap):
            self.problem(getattr(root, "line", 1), "the file must be a mapping with the keys sources:, stories: and figures:; start each of them at the left margin")
            return self._catalogue({}, {}, ())
        top = _Fields(self, root, "the catalogue", TOP_KEYS)
        sources = self._records(top, "sources", SOURCE_KEYS, self._source)
        stories = self._records(top, "stories", STORY_KEYS, self._story)
        self.sources, self.stories = sources, stories
        figures = self._figures(top)
        withdrawn = self._withdrawn(top, figures)
        return self._catalogue(sources, stories, figures, withdrawn)

    def _catalogue(self, sources: dict, stories: dict, figures: tuple, withdrawn: tuple = ()) -> Catalogue:
        problems = sorted(set(self.problems), key=lambda p: (p.line, p.message))
        return Catalogue(self.path, sources, stories, figures, tuple(problems), withdrawn)

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def _span_has_read_problem(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self._bad_lines, start)
        return i < len(self._bad_lines) and self._bad_lines[i] < end

    # -- sources and stories: mappings of id -> fields --------------------------------
    def _records(self, top: _Fields, key: str, allowed: tuple[str, ...], make) -> dict:
        node = top.get(key)
        if node is None:
            if key not in top.node:
                self.problem(top.node.line, f"the key {key}: is missing; add a {key}: section at the left margin")
            return {}
        if not isinstance(node, YMap):
            self.problem(top.line(key), f"{key}: must be a mapping of id: fields; write each {key[:-1]} as `some-id:` with its fields indented below")
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
                self.problem(line, f"{key[:-1]} {record_id!r} must be a mapping of fields; indent its fields below the id")
                continue
            try:
                record = make(record_id, _Fields(self, fields, f"{key[:-1]} {record_id!r}", allowed), line)
            except Exception as err:  # a bug must cost this entry, not the catalogue
                self.problem(line, _internal_error("this entry", err))
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
        self.problem(line, f"{what} id {_clip(value)!r} is not a slug{why}; use lower-case letters, digits and hyphens, e.g. us-dod-report")
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
            line=line,
        )

    def _story(self, story_id: str, f: _Fields, line: int) -> Story:
        return Story(
            id=story_id,
            title=f.text("title"),
            publisher=f.text("publisher"),
            published=f.date("published"),
            url=f.url("url"),
            note=f.text("note", required=False, limit=LONG_TEXT),
            line=line,
        )

    # -- figures: a list ----------------------------------------------------------------
    def _figures(self, top: _Fields) -> tuple[Figure, ...]:
        node = top.get("figures")
        if node is None:
            if "figures" not in top.node:
                self.problem(top.node.line, "the key figures: is missing; add a figures: list at the left margin")
            return ()
        if not isinstance(node, YSeq):
            self.problem(top.line("figures"), "figures: must be a list; start each figure with `- id:`")
            return ()
        starts = list(node.item_lines)
        section_end = top.section_end("figures")
        seen: dict[str, int] = {}
        out = []
        for item, line in zip(node, node.item_lines, strict=False):
            before = len(self.problems)
            if item is REFUSED:  # already reported by the reader
                continue
            if not isinstance(item, YMap):
                self.problem(line, "each figure must be a mapping of fields; start it with `- id: some-id`")
                continue
            try:
                figure = self._figure(_Fields(self, item, "this figure", FIGURE_KEYS), line)
            except Exception as err:  # a bug must cost this figure, not the catalogue
                self.problem(line, _internal_error("this entry", err))
                continue
            if figure is not None and figure.id in seen:
                self.problem(item.key_lines.get("id", line), f"duplicate figure id {figure.id!r}: it is also used at line {seen[figure.id]}; give each figure its own id")
                self.problem(seen[figure.id], f"figure id {figure.id!r} is used again at line {item.key_lines.get('id', line)}; give each figure its own id")
                continue
            if figure is not None:
                seen[figure.id] = item.key_lines.get("id", line)
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
        unit = f.unit("unit")
        story = f.reference("story", self.stories, "stories")
        topic = f.text("topic", required=False)
        tags = f.text_list("tags")
        if topic is None and not tags:
            self.problem(line, "this figure has neither topic: nor tags:; add topic: (one word or phrase) or tags: [a, b]")
        claims = self._claims(f, unit)
        description = f.text("description", required=False, limit=LONG_TEXT)
        corrections = self._corrections(f)
        if not id_ok:
            return None
        return Figure(
            id=figure_id, title=title, unit=unit, story=story, claims=claims, topic=topic, tags=tags,
            description=description, corrections=corrections, line=line, key_lines=tuple(f.node.key_lines.items()),
        )

    def _corrections(self, f: _Fields) -> tuple[Correction, ...]:
        """A figure's ``corrections:``: a list of ``{date, note}``, each date a day, oldest first."""
        node = f.get("corrections")
        if node is None:
            if "corrections" in f.node and f.node.get("corrections") is not REFUSED:
                self.problem(f.line("corrections"), "corrections: is empty; list each correction as `- date: 2023-02-01` with its note:, or remove the key")
            return ()
        if not isinstance(node, YSeq) or not node:
            self.problem(f.line("corrections"), "corrections: must be a list; start each correction with `- date: 2023-02-01` and give its note:")
            return ()
        out: list[Correction] = []
        for item, line in zip(node, node.item_lines, strict=False):
            if item is REFUSED:
                continue
            if not isinstance(item, YMap):
                self.problem(line, "each correction must be a mapping: `- date: 2023-02-01` and `note: what was wrong and what changed`")
                continue
            before = len(self.problems)
            c = _Fields(self, item, "this correction", CORRECTION_KEYS)
            date, note = c.day("date"), c.text("note", limit=LONG_TEXT, what="what was wrong and what changed, in a sentence or two")
            if len(self.problems) != before:
                continue
            if out and date < out[-1].date:
                self.problem(c.line("date"), f"this correction is dated {date.iso}, before the one above it ({out[-1].date.iso}); list corrections oldest first")
                continue
            out.append(Correction(date=date, note=note, line=line))
        return tuple(out)

    def _withdrawn(self, top: _Fields, figures: tuple[Figure, ...]) -> tuple[Withdrawal, ...]:
        """The top-level ``withdrawn:`` list: published figures taken out, each ``{id, date, note}``."""
        node = top.get("withdrawn")
        if node is None:
            if "withdrawn" in top.node and top.node.get("withdrawn") is not REFUSED:
                self.problem(top.line("withdrawn"), "withdrawn: is empty; list each withdrawn figure as `- id: some-id` with date: and note:, or remove the key")
            return ()
        if not isinstance(node, YSeq):
            self.problem(top.line("withdrawn"), "withdrawn: must be a list; start each entry with `- id: some-id` and give its date: and note:")
            return ()
        live = {f.id: f.line for f in figures}
        out: dict[str, Withdrawal] = {}
        for item, line in zip(node, node.item_lines, strict=False):
            if item is REFUSED:
                continue
            if not isinstance(item, YMap):
                self.problem(line, "each withdrawn figure must be a mapping: `- id: some-id`, `date: 2023-02-01`, `note: why`")
                continue
            before = len(self.problems)
            w = _Fields(self, item, "this withdrawn figure", WITHDRAWN_KEYS)
            figure_id = w.get("id")
            if figure_id is None:
                w.missing("id", "the id of the figure taken out")
            elif self._check_id(figure_id, w.line("id"), "figure"):
                if figure_id in live:
                    self.problem(w.line("id"), f"figure {figure_id!r} is withdrawn here but is still in figures: (line {live[figure_id]}); remove one of them")
                elif figure_id in out:
                    self.problem(w.line("id"), f"figure {figure_id!r} is withdrawn twice (also at line {out[figure_id].line}); keep one entry")
            date, note = w.day("date"), w.text("note", limit=LONG_TEXT, what="why the figure was taken out")
            if len(self.problems) == before:
                out[figure_id] = Withdrawal(id=figure_id, date=date, note=note, line=line)
        return tuple(out.values())

    def _claims(self, f: _Fields, unit: str | None) -> tuple[Claim, ...]:
        node = f.get("claims")
        if node is None:
            f.missing("claims", "a list of claims, each starting with `- value:`")
            return ()
        if not isinstance(node, YSeq) or not node:
            self.problem(f.line("claims"), "claims: must be a non-empty list; start each claim with `- value:` (or `- low:` for a range)")
            return ()
        claims = []
        for item, line in zip(node, node.item_lines, strict=False):
            if item is REFUSED:  # already reported by the reader
                continue
            if not isinstance(item, YMap):
                self.problem(line, "each claim must be a mapping of fields; start it with `- value: 123`")
                continue
            claim = self._claim(_Fields(self, item, "this claim", CLAIM_KEYS), line)
            if claim is not None:
                claims.append(claim)
        return tuple(claims)

    def _claim(self, f: _Fields, line: int) -> Claim | None:
        before = len(self.problems)
        qualifier = f.enum("qualifier", Qualifier)
        value, low, high = f.number("value", required=False), f.number("low", required=False), f.number("high", required=False)
        if qualifier is Qualifier.RANGE:
            if value is not None:
                self.problem(f.line("value"), "a range has low: and high:, not value:; remove value: or change the qualifier")
            for key, got in (("low", low), ("high", high)):
                if got is None and key not in f.node:
                    f.missing(key, f"the {key} end of the range")
            if low is not None and high is not None and low >= high:
                self.problem(f.line("low"), f"the range is empty or reversed: low ({low}) is not below high ({high}); swap them, or use value: with qualifier: exact")
        elif qualifier is not None:
            for key, got in (("low", low), ("high", high)):
                if got is not None:
                    self.problem(f.line(key), f"{key}: belongs to a range; use qualifier: range, or keep only value:")
            if value is None and "value" not in f.node:
                f.missing("value", "the number claimed (write low: and high: with qualifier: range for a range)")
        reliability = f.choice("reliability", tuple(RELIABILITY_GRADES), required=False)
        credibility = f.choice("credibility", tuple(CREDIBILITY_GRADES), required=False)
        claim = Claim(
            qualifier=qualifier,
            as_of=f.date("as_of"),
            claimant=f.text("claimant"),
            source=f.reference("source", self.sources, "sources"),
            via=f.references("via", self.sources),
            quote=f.text("quote", limit=LONG_TEXT),
            confidence=f.enum("confidence", Confidence),
            confidence_note=f.text("confidence_note", limit=LONG_TEXT),
            value=value, low=low, high=high,
            reliability=reliability, credibility=credibility, line=line, key_lines=tuple(f.node.key_lines.items()),
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

    def __init__(self, builder: _Builder, node: YMap, what: str, allowed: tuple[str, ...]) -> None:
        self.b, self.node, self.what = builder, node, what
        for key in node:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
                hint = f"did you mean {close[0]!r}?" if close else f"the fields of {what} are: {', '.join(allowed)}"
                builder.problem(node.key_lines[key], f"unknown field {key!r} in {what}; {hint}")

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
        self.b.problem(self.node.line, f"{self.what} has no {key}:; add {key}: with {what}")

    def _absent(self, key: str, required: bool, what: str) -> bool:
        value = self.node.get(key)
        if value is REFUSED:
            return True
        if value is None:
            if required:
                if key in self.node:
                    self.b.problem(self.line(key), f"{key}: is empty; write {what}")
                else:
                    self.missing(key, what)
            return True
        return False

    def text(self, key: str, required: bool = True, limit: int = SHORT_TEXT, what: str = "some text") -> str | None:
        if self._absent(key, required, what):
            return None
        value = self.node[key]
        if isinstance(value, bool):
            return self._wrong(key, "YAML reads yes/no/on/off/true/false as a true/false value, not text; put the text in quotes")
        if isinstance(value, Unreadable) or not isinstance(value, str):
            if isinstance(value, (int, float, str)):
                shown = _clip(str(value))
                example = f": {key}: \"{value!s}\"" if shown == str(value) else ""
                return self._wrong(key, f"YAML reads {shown} as a number, not text; put it in quotes{example}")
            return self._wrong(key, "expected text but found a list or mapping; write plain text on the same line")
        problem = _text_problem(value, limit)
        return value if problem is None else self._wrong(key, problem)

    def _wrong(self, key: str, message: str) -> None:
        self.b.problem(self.line(key), f"{key}: {message}")
        return None

    def number(self, key: str, required: bool = True) -> float | int | None:
        # Present but empty (`value:` and nothing after it) is a forgotten number, required or not.
        if self._absent(key, required or key in self.node, "the number, in plain digits, e.g. 900 (or remove the line)"):
            return None
        value = self.node[key]
        if isinstance(value, Unreadable):
            return self._wrong(key, f"{_clip(value)} is refused: {value.reason}")
        if isinstance(value, bool):
            return self._wrong(key, "expected a number but YAML read a true/false value; write a number")
        if isinstance(value, str):
            candidate = value.replace(",", "").replace("_", "").strip()
            try:
                float(candidate)
            except ValueError:
                return self._wrong(key, f"expected a number but found the text {value[:40]!r}; write digits only, e.g. 7000000000 (put words like 'more than' in qualifier:)")
            return self._wrong(key, f"YAML 1.1 reads {value[:40]!r} as text, not a number; write it out in full, e.g. 7000000000, or as 7.0e+9")
        if not isinstance(value, (int, float)):
            return self._wrong(key, "expected a number but found a list or mapping; write one number")
        if isinstance(value, float) and not math.isfinite(value):
            return self._wrong(key, "is not a finite number; write a real number")
        if abs(value) > MAX_MAGNITUDE:  # exact for ints of any length: nothing is turned into a float
            digits = len(str(abs(value))) if isinstance(value, int) else 0
            shown = f"{str(value)[:12]}… ({digits:,} digits)" if digits > 20 else str(value)
            return self._wrong(
                key,
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
            return self._wrong(key, "expected a date written 2023-01-25, 2023-01 or 2023")
        match = _DATE.match(str(value).strip())
        if not match:
            return self._wrong(key, f"{str(value)[:40]!r} is not a date; write 2023-01-25, 2023-01 or 2023 (only as precise as the source)")
        year, month, day = (int(g) if g else None for g in match.groups())
        if not 1800 <= year <= 2200:
            return self._wrong(key, f"the year {year} is out of range; check the date")
        if month is not None and not 1 <= month <= 12:
            return self._wrong(key, f"{value} is not a real date (there is no month {month}); write YYYY-MM-DD")
        if day is not None:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                return self._wrong(key, f"{value} is not a real date (that month has {last} days); write YYYY-MM-DD")
        return PartialDate(year, month, day)

    def day(self, key: str) -> PartialDate | None:
        """A required date given to the day (when something was published here: a correction, a withdrawal)."""
        value = self.date(key)
        if value is not None and value.precision != "day":
            return self._wrong(key, f"{value.iso} is not a day; write the day this was published, e.g. 2023-02-01")
        return value

    def choice(self, key: str, options: tuple, required: bool = True):
        if self._absent(key, required, "one of " + ", ".join(map(str, options))):
            return None
        value = self.node[key]
        if value in options and not isinstance(value, bool):
            return value
        close = difflib.get_close_matches(str(value), [str(o) for o in options], n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}? " if close else ""
        return self._wrong(key, f"{str(value)[:40]!r} is not allowed; {hint}use one of {', '.join(map(str, options))}")

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
            return self._wrong(key, f"{_clip(value)!r} is not an http(s) address; write the full link starting with https:// or remove the field")
        return value

    def unit(self, key: str) -> str | None:
        value = self.text(key, limit=units.MAX_UNIT_LENGTH * 4, what="a unit such as USD, vehicle, percent or day")
        if value is None:
            return None
        try:
            units.unit_info(value)
        except units.UnitError as err:
            return self._wrong(key, str(err))
        return value

    def reference(self, key: str, known: dict, section: str) -> str | None:
        value = self.text(key, what=f"the id of an entry under {section}:")
        if value is None:
            return None
        if value not in known:
            return self._wrong(key, self._unknown_ref(value, known, section))
        return value

    def references(self, key: str, known: dict) -> tuple[str, ...]:
        ids = self.text_list(key)
        for value in ids:
            if value not in known:
                self._wrong(key, self._unknown_ref(value, known, "sources"))
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
            self._wrong(key, "expected a list of names, e.g. [cnn, foreign-policy]")
            return ()
        for i, item in enumerate(value, 1):
            problem = _text_problem(item, SHORT_TEXT)
            if problem is not None:
                self._wrong(key, f"item {i} {problem}" if len(value) > 1 else problem)
                return ()
        return tuple(value)
