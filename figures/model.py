"""The catalogue model: frozen dataclasses for sources, stories, figures and claims.

Nothing here reads files; :mod:`figures.loader` builds these objects and is the
only place that decides what is valid.
"""

from __future__ import annotations

import calendar
import functools
from dataclasses import dataclass, field
from enum import StrEnum

from figures.units import Declaration, UnitInfo, unit_info


class Qualifier(StrEnum):
    """How exact a claimed value is, in the words a story used."""

    EXACT = "exact"
    APPROXIMATELY = "approximately"
    MORE_THAN = "more_than"
    AT_LEAST = "at_least"
    LESS_THAN = "less_than"
    AT_MOST = "at_most"
    JUST_UNDER = "just_under"
    RANGE = "range"


class Confidence(StrEnum):
    """How far we trust a claim, from most to least."""

    CONFIRMED = "confirmed"
    REPORTED = "reported"
    CLAIMED = "claimed"
    UNVERIFIED = "unverified"


SOURCE_KINDS = (
    "official document",
    "news report",
    "social media",
    "statement",
    "interview",
    "press release",
    "dataset",
    "research",
)
"""The kinds of source a catalogue may name (a source's ``kind``)."""

RELIABILITY_GRADES = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
CREDIBILITY_GRADES = {
    1: "confirmed by other sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}


@functools.total_ordering
@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day.

    ``PartialDate(2022, 11)`` is "November 2022"; the catalogue never invents
    a day the source did not give.
    """

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        """``"year"``, ``"month"`` or ``"day"``."""
        return "day" if self.day else "month" if self.month else "year"

    @property
    def iso(self) -> str:
        """``"2022"``, ``"2022-11"`` or ``"2022-11-30"``."""
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    @property
    def label(self) -> str:
        """``"2022"``, ``"November 2022"`` or ``"30 November 2022"``."""
        if self.day:
            return f"{self.day} {calendar.month_name[self.month]} {self.year}"
        if self.month:
            return f"{calendar.month_name[self.month]} {self.year}"
        return str(self.year)

    @property
    def midpoint(self) -> str:
        """An ISO day for plotting: the middle of the month or year it names."""
        if self.day:
            return self.iso
        if self.month:
            return f"{self.year:04d}-{self.month:02d}-15"
        return f"{self.year:04d}-07-01"

    def __str__(self) -> str:
        return self.iso

    def _key(self) -> tuple[int, int, int]:
        # A year sorts before its months, a month before its days: "2022" < "2022-01" < "2022-01-01".
        return (self.year, self.month or 0, self.day or 0)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() < other._key()


@dataclass(frozen=True)
class LeftOut:
    """A figure an archived text writes that the catalogue knowingly does not hold, and why."""

    number: str
    """The figure as the text writes it (``"2,000"``)."""
    reason: str
    line: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class Source:
    """Where a claim was published: a report, an article, a post, a statement."""

    id: str
    name: str
    kind: str
    publisher: str | None = None
    published: PartialDate | None = None
    url: str | None = None
    accessed: PartialDate | None = None
    text: str | None = None
    """Its archived text, a path relative to the catalogue file that defines it (``texts/report.txt``)."""
    left_out: tuple[LeftOut, ...] = ()
    """Figures its text writes that no claim holds, on purpose."""
    line: int = field(default=0, compare=False, repr=False)
    """Where it starts in the file: not part of what it says, so moving it changes nothing."""
    path: str = field(default="", compare=False, repr=False)
    """The file it is written in."""


@dataclass(frozen=True)
class Story:
    """The article that uses the figures."""

    id: str
    title: str
    publisher: str
    published: PartialDate
    url: str | None = None
    note: str | None = None
    text: str | None = None
    """Its archived text, a path relative to the catalogue file that defines it (``texts/story.txt``)."""
    left_out: tuple[LeftOut, ...] = ()
    """Figures its text writes that no claim holds, on purpose."""
    line: int = field(default=0, compare=False, repr=False)
    """Where it starts in the file: not part of what it says, so moving it changes nothing."""
    path: str = field(default="", compare=False, repr=False)
    """The file it is written in."""


@dataclass(frozen=True)
class Claim:
    """One value somebody asserted about a figure at a point in time."""

    qualifier: Qualifier
    as_of: PartialDate
    claimant: str
    source: str
    quote: str
    confidence: Confidence
    confidence_note: str
    value: float | int | None = None
    low: float | int | None = None
    high: float | int | None = None
    via: tuple[str, ...] = ()
    reliability: str | None = None
    credibility: int | None = None
    unquoted_value: str | None = None
    """Why the value is not in the quote's words (the source gives it in a table or an image): skips the number check."""
    checked: str | None = field(default=None, compare=False)
    """Whose archived text the quote was found in, word for word: ``"story"`` or ``"source"``; None if unchecked."""
    line: int = field(default=0, compare=False, repr=False)
    """Where it starts in the file: not part of what it says, so moving it changes nothing."""
    key_lines: tuple[tuple[str, int], ...] = field(default=(), compare=False, repr=False)
    """The line of each of its keys in the file (``("value", 42)``), for messages about one field."""

    def line_of(self, key: str) -> int:
        """The line of ``key`` in the file, else where this entry starts."""
        return dict(self.key_lines).get(key, self.line)

    @property
    def central(self) -> float:
        """The value, or the middle of a range: what a chart puts its point on."""
        if self.value is not None:
            return self.value
        return (self.low + self.high) / 2


@dataclass(frozen=True)
class Correction:
    """What was wrong with a published figure and what changed, and when the change was published."""

    date: PartialDate
    note: str
    line: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class Withdrawal:
    """A published figure taken out of the catalogue: when, and why. Its archived versions stay."""

    id: str
    date: PartialDate
    note: str
    line: int = field(default=0, compare=False, repr=False)
    path: str = field(default="", compare=False, repr=False)
    """The file its entry is written in."""


@dataclass(frozen=True)
class Figure:
    """One quantity a story talks about, with every claim made about it."""

    id: str
    title: str
    unit: str
    story: str
    claims: tuple[Claim, ...]
    topic: str | None = None
    tags: tuple[str, ...] = ()
    description: str | None = None
    corrections: tuple[Correction, ...] = ()
    """Every correction published, oldest first: a published figure's numbers change only with a new one."""
    declared_unit: UnitInfo | None = None
    """The unit as its catalogue's ``units:`` declare it (with its plural); None for a built-in unit."""
    line: int = field(default=0, compare=False, repr=False)
    """Where it starts in the file: not part of what it says, so moving it changes nothing."""
    key_lines: tuple[tuple[str, int], ...] = field(default=(), compare=False, repr=False)
    """The line of each of its keys in the file (``("value", 42)``), for messages about one field."""
    path: str = field(default="", compare=False, repr=False)
    """The file it is written in (one of a folder's files); empty when it was not read from a file."""

    def line_of(self, key: str) -> int:
        """The line of ``key`` in the file, else where this entry starts."""
        return dict(self.key_lines).get(key, self.line)

    @property
    def unit_info(self) -> UnitInfo:
        """What the figure's unit is: its dimension, conversion factor and words."""
        return self.declared_unit or unit_info(self.unit)

    @property
    def topics(self) -> tuple[str, ...]:
        """The topic and the tags together, for filtering."""
        return ((self.topic,) if self.topic else ()) + self.tags


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the catalogue, where it is and how to fix it."""

    path: str
    line: int
    message: str
    code: str = "problem"
    """A stable name for the kind of problem (``unknown-unit``, ``duplicate-id``): what tools and tests match on."""
    field: str | None = None
    """The field it concerns (``unit``, ``claims.value``), when it concerns one."""
    severity: str = "error"
    """``error`` (the entry is refused), or ``warning`` (a check against an archived text; an error with ``--strict``)."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Catalogue:
    """Everything valid in one catalogue file, and every problem found in it."""

    path: str
    sources: dict[str, Source] = field(default_factory=dict)
    stories: dict[str, Story] = field(default_factory=dict)
    figures: tuple[Figure, ...] = ()
    problems: tuple[Problem, ...] = ()
    withdrawn: tuple[Withdrawal, ...] = ()
    published: dict[str, tuple[int, PartialDate]] = field(default_factory=dict)
    """Figure id to its latest published version and that version's date, from the record beside the file."""
    units: tuple[Declaration, ...] = ()
    """The counted things the catalogue declares under ``units:``."""
    warnings: tuple[Problem, ...] = ()
    """What the checks against archived texts found (:mod:`figures.proof`): nothing is refused for them."""
    texts: dict = field(default_factory=dict, compare=False, repr=False)
    """``("story", id)`` or ``("source", id)`` to its archived text (:class:`figures.proof.ArchivedText`)."""

    @property
    def ok(self) -> bool:
        """True when the file had no problems at all."""
        return not self.problems

    def figure(self, figure_id: str) -> Figure | None:
        """The figure with this id, or None."""
        return self._by_id.get(figure_id)

    @functools.cached_property
    def _by_id(self) -> dict[str, Figure]:
        # cached_property writes the instance's __dict__ itself, so it works on a frozen dataclass as store.py's do.
        return {f.id: f for f in self.figures}

    @property
    def claim_count(self) -> int:
        return sum(len(f.claims) for f in self.figures)
