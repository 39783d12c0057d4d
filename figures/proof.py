"""Every claim proved against the archived text it quotes.

A story or a source may name its archived text (``text: texts/story.txt``, the
words as published). :func:`prove` then checks, for every claim:

* the quote is in the text of its source or of its figure's story, word for
  word (only line breaks and runs of spaces may differ);
* the value (or low and high) is written in the quote, in the figure's unit
  and currency (:mod:`figures.numbers` reads the ways newsrooms write numbers);
* the qualifier agrees with the words next to the number (``more than`` is
  ``more_than``, ``almost`` is ``just_under``); words that are silent allow
  ``exact`` and ``approximately``;

and, for every text, that each figure it writes is held by a claim or listed
under ``left_out:`` with a reason. What it finds are warnings: ``figures
check`` reports them, ``--strict`` makes them errors.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from figures import numbers
from figures.model import Catalogue, Claim, Figure, LeftOut, Problem, Qualifier
from figures.units import UnitInfo

_CONTEXT = 30
_JOINED = re.compile(r"\s*[a-z]*\s*(?:to|or|and|-|–)\s*\Z")
"""What may stand between the two ends of a range written apart: a unit word and to, or, and, or a dash."""
"""Characters of the text shown on each side of a quote's first difference."""


@dataclass(frozen=True)
class ArchivedText:
    """The words of a story or a source as published, read from the file its ``text:`` names."""

    path: str
    """The file, as messages name it."""
    content: str

    @functools.cached_property
    def flat(self) -> str:
        """The text with every run of spaces and line breaks made one space."""
        # Most texts break their lines, and paragraphs with one blank line, and have no other white space but single spaces:
        # made spaces, those breaks give the flat text in a few passes in C, which printable (no white space but the
        # space) and no double space prove. Any other text is split into words and joined; str.split splits on exactly
        # the characters of the regular expressions' \s, so both give _flatten's text, whose map back to the file's
        # lines is built only when a message needs a line.
        flat = self.content.replace("\n\n", " ").replace("\n", " ").strip(" ")
        if flat.isprintable() and "  " not in flat:
            return flat
        return " ".join(self.content.split())

    @functools.cached_property
    def _flattened(self) -> tuple[str, list[int], list[int]]:
        return _flatten(self.content)

    @functools.cached_property
    def mentions(self) -> list[numbers.Mention]:
        """Every figure the text writes (:func:`figures.numbers.mentions`), at its place in :attr:`flat`."""
        return numbers.mentions(self.flat)

    @functools.cached_property
    def _mention_starts(self) -> list[int]:
        return [m.start for m in self.mentions]

    def mentions_in(self, start: int, end: int) -> list[numbers.Mention]:
        """The figures written inside ``flat[start:end]``, where they are in :attr:`flat`: a quote's figures, read once with the text."""
        lo = bisect.bisect_left(self._mention_starts, start)
        hi = bisect.bisect_left(self._mention_starts, end)
        return [m for m in self.mentions[lo:hi] if m.end <= end]

    def line_at(self, flat_index: int) -> int:
        """The line of the file holding the character at ``flat_index`` of :attr:`flat`."""
        return self.content.count("\n", 0, self.original_index(flat_index)) + 1

    def original_index(self, flat_index: int) -> int:
        """Where the character at ``flat_index`` of :attr:`flat` is in :attr:`content`."""
        _, breaks, shifts = self._flattened
        i = bisect.bisect_right(breaks, flat_index) - 1
        return flat_index + (shifts[i] if i >= 0 else 0)


MAX_TEXT_BYTES = 16 * 1024 * 1024
"""The longest archived text read: far more than any article, so a wrong file is refused before it is read whole."""


class TextError(Exception):
    """An archived text that cannot be read: what is wrong (completing "text: 'x' ...") and a stable code."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message, self.code = message, code


def read_archived(path: Path) -> ArchivedText:
    """Read the archived text at ``path``: plain UTF-8, at most :data:`MAX_TEXT_BYTES`.

    Raises
    ------
    TextError
        When the file is missing, not a regular file, too big, binary or not UTF-8.
    """
    try:
        if not path.is_file():
            raise TextError("names no file; save the story's words as published in a plain text file there, or fix the path", "missing-text")
        with path.open("rb") as file:
            data = file.read(MAX_TEXT_BYTES + 1)
    except OSError as err:
        raise TextError(f"cannot be read ({err.strerror or err}); check the file's permissions", "missing-text") from None
    if len(data) > MAX_TEXT_BYTES:
        raise TextError(f"is longer than {MAX_TEXT_BYTES // (1024 * 1024)} MB; an archived text is the words of one story or source", "bad-text-file")
    if b"\x00" in data:
        raise TextError("is a binary file; save the words as plain UTF-8 text", "bad-text-file")
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise TextError(f"is not UTF-8 (byte 0x{data[err.start]:02x} at its line {line}); save it as UTF-8", "bad-text-file") from None
    return ArchivedText(str(path), content.replace("\r\n", "\n").replace("\r", "\n"))


_IRREGULAR_SPACE = re.compile(r"\s(?:(?<=[^ ])\s*|\s+)")
r"""White space that flattening changes: a run of two or more, or one that is not a plain space (written to start with one
``\s``, which the scan tests fast, rather than as ``\s{2,}|[^\S ]``, twice as slow)."""


def _flatten(text: str) -> tuple[str, list[int], list[int]]:
    """``text`` with each run of white space one space, and how to find its characters in ``text`` again.

    Returns the flat text, and two lists: from ``breaks[i]`` on, a flat index plus
    ``shifts[i]`` is the index in ``text``. Only runs that flattening changes make
    a break, so a text of single spaces costs nothing but the one substitution.
    """
    lead = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    breaks, shifts, shift = ([0], [lead], lead) if lead else ([], [], 0)
    pieces, done = [], lead
    for match in _IRREGULAR_SPACE.finditer(text, lead, end):
        after = match.start() - shift + 1  # the flat index just after this run's one space
        shift = match.end() - after
        breaks.append(after)
        shifts.append(shift)
        pieces.append(text[done:match.start()])
        done = match.end()
    pieces.append(text[done:end])
    # Cut only where flattening changes something, so a text costs its few line breaks, not one string per word.
    return " ".join(pieces), breaks, shifts


@dataclass(frozen=True)
class Proof:
    """What :func:`prove` found: the warnings, and for each checked claim the text its quote was found in."""

    warnings: tuple[Problem, ...]
    checked: list[tuple[Claim, str]]
    """Each claim whose quote was found, with ``"story"`` or ``"source"``: whose archived text holds it."""


def prove(catalogue: Catalogue, texts: dict[tuple[str, str], ArchivedText]) -> Proof:
    """Check every claim of ``catalogue`` against the archived texts, and every text's figures against the claims.

    Parameters
    ----------
    catalogue : Catalogue
        The checked catalogue.
    texts : dict
        ``("story", id)`` or ``("source", id)`` to its archived text.

    Returns
    -------
    Proof
        Warnings (code ``quote-not-in-text``, ``value-not-in-quote``, ``qualifier-contradicts-quote``,
        ``figure-not-captured``, ``left-out-not-in-text``, ``no-text``) and the claims whose quotes were found.
    """
    warnings: list[Problem] = []
    checked: list[tuple[Claim, str]] = []
    held: dict[tuple[str, str], set[float]] = {key: set() for key in texts}
    unchecked: dict[str, int] = {}
    for figure in catalogue.figures:
        path, info = figure.path or catalogue.path, figure.unit_info
        story_key = ("story", figure.story)
        story_text = texts.get(story_key)
        for claim in figure.claims:
            source_key = ("source", claim.source)
            source_text = texts.get(source_key)
            ends = _ends(claim, info.factor)
            candidates = []
            if source_text is not None:
                candidates.append(("source", source_text))
                held[source_key].update(*ends)
            if story_text is not None:
                candidates.append(("story", story_text))
                held[story_key].update(*ends)
            if not candidates:
                unchecked[figure.story] = unchecked.get(figure.story, 0) + 1
            # Where the quote is found, its figures are the text's own, read where they stand in the text; else the
            # quote is read on its own.
            flat = _flat_quote(claim.quote)
            passage = None
            for kind, text in candidates:
                at = text.flat.find(flat)
                if at >= 0:
                    checked.append((claim, kind))
                    passage = (text, at, at + len(flat))
                    break
            else:
                if candidates:
                    warnings.append(_quote_problem(path, claim, candidates))
            if claim.unquoted_value is None:
                if passage is None:
                    passage = (ArchivedText("", flat), 0, len(flat))
                warnings.extend(_number_problems(path, figure.unit, info, claim, ends, *passage))
    for story_id, count in unchecked.items():
        story = catalogue.stories.get(story_id)
        if story is not None:
            warnings.append(Problem(story.path or catalogue.path, story.line, f"story {story_id!r} names no archived text, so {count} "
                                    f"quote{'s' if count > 1 else ''} of its figures {'are' if count > 1 else 'is'} checked against nothing; "
                                    "save its words as published beside the catalogue and give the story text: texts/<story>.txt",
                                    "no-text", "stories.text", "warning"))
    for key, text in texts.items():
        record = catalogue.stories.get(key[1]) if key[0] == "story" else catalogue.sources.get(key[1])
        warnings.extend(_coverage(catalogue.path, key, text, held[key], getattr(record, "left_out", ()), getattr(record, "path", "")))
    return Proof(tuple(warnings), checked)


def _flat_quote(quote: str) -> str:
    """``quote`` with each run of white space one space (``str.split`` splits on the same characters as ``\\s``)."""
    # Every white space but the plain space is unprintable, so a printable quote with no double, leading or trailing
    # space is flat already: one pass in C instead of a split into words and a join.
    if quote.isprintable() and "  " not in quote and quote[:1] != " " and quote[-1:] != " ":
        return quote
    return " ".join(quote.split())


def _quote_problem(path: str, claim: Claim, candidates: list[tuple[str, ArchivedText]]) -> Problem:
    """The quote is in none of the texts: show the closest passage and its first difference."""
    quote = _flat_quote(claim.quote)
    best: tuple[int, str, ArchivedText, int] | None = None
    for kind, text in candidates:
        flat = text.flat
        matcher = difflib.SequenceMatcher(None, flat, quote, autojunk=False)
        a, b, size = matcher.find_longest_match(0, len(flat), 0, len(quote))
        start = max(0, a - b)
        passage = flat[start:start + len(quote)]
        same = sum(1 for x, y in zip(passage, quote, strict=False) if x == y)
        if best is None or same > best[0]:
            best = (same, kind, text, start)
    _, kind, text, start = best
    flat = text.flat
    passage = flat[start:start + len(quote)]
    diff = next((i for i, (x, y) in enumerate(zip(passage, quote, strict=False)) if x != y), min(len(passage), len(quote)))
    lo = max(0, diff - _CONTEXT)
    names = " or ".join(f"the {k}'s text ({t.path})" for k, t in candidates)
    return Problem(
        path, claim.line_of("quote"),
        f"the quote is not word for word in {names}; the closest passage, at {text.path}:{text.line_at(start + diff)}, "
        f"differs at character {diff + 1} of the quote: the text has «…{_marked(flat, start + lo, start + diff)}…» "
        f"where the quote has «…{_marked(quote, lo, diff)}…»; copy the words exactly (curly quotes, apostrophes, dashes and case too)",
        "quote-not-in-text", "claims.quote", "warning")


def _marked(text: str, lo: int, at: int) -> str:
    """``text`` around ``at`` with the character there marked ``⟦x⟧``."""
    char = text[at] if at < len(text) else "(end)"
    return f"{text[lo:at]}⟦{char}⟧{text[at + 1:at + 1 + _CONTEXT]}"


def _ends(claim: Claim, factor: float) -> list[set[float]]:
    """The numbers a claim gives (its value, or its low and high), each as written in its unit and in the canonical one."""
    given = (claim.low, claim.high) if claim.qualifier is Qualifier.RANGE else (claim.value,)
    if factor == 1:
        return [{numbers.rounded(number)} for number in given]
    return [{numbers.rounded(number), numbers.rounded(number * factor)} for number in given]


def _held(figure: Figure, claim: Claim) -> set[float]:
    """The numbers a claim holds, as written in its unit and in the canonical one."""
    return set().union(*_ends(claim, figure.unit_info.factor))


def _fits_unit(mention: numbers.Mention, info: UnitInfo) -> bool:
    """A mention can be the figure's number only in its unit (``info``): a ``£`` amount is no dollar figure, a percentage no count."""
    if mention.currency and info.is_currency and mention.currency != info.dimension[len("[currency_"):-1]:
        return False
    if mention.currency and not info.is_currency:
        return False
    return not (mention.percent and info.name not in ("percent", "percentage_point"))


def _number_problems(path: str, unit: str, info: UnitInfo, claim: Claim, ends: list[set[float]], text: ArchivedText, lo: int,
                     hi: int) -> list[Problem]:
    """The value missing from the quote, or the qualifier its words contradict.

    ``ends`` are the claim's numbers (:func:`_ends`); the quote is ``text.flat[lo:hi]`` (the archived text holding it,
    or the quote itself).
    """
    fitting = [m for m in text.mentions_in(lo, hi) if not (m.currency or m.percent) or _fits_unit(m, info)]
    if claim.qualifier is not Qualifier.RANGE:
        # The value written on its own, or as one end of a range the quote gives for it (the qualifier check says so);
        # a figure on its own comes first.
        (wanted,) = ends
        matches = [m for m in fitting if m.values[0] in wanted or (m.is_range and m.values[1] in wanted)]
        if len(matches) > 1:
            matches.sort(key=lambda m: m.is_range)
    else:
        matches = [m for m in fitting if _same(m.values, ends)]
    if not matches and claim.qualifier is Qualifier.RANGE:  # "102 days to 198 days": the two ends written apart, joined by to, or, and or a dash
        for first, second in zip(fitting, fitting[1:], strict=False):
            if _same(first.values + second.values, ends) and _JOINED.match(text.flat, first.end, second.start):
                matches.append(numbers.Mention(first.start, second.end, text.flat[first.start:second.end], first.values + second.values,
                                               first.currency or second.currency, first.percent))
    if not matches:
        wanted = (claim.low, claim.high) if claim.qualifier is Qualifier.RANGE else (claim.value,)
        shown = " to ".join(f"{int(n):,}" if float(n).is_integer() else f"{n:,}" for n in wanted)
        written = ", ".join(f"“{m.written}”" for m in text.mentions_in(lo, hi)) or "none"
        key = "low" if claim.qualifier is Qualifier.RANGE else "value"
        return [Problem(path, claim.line_of(key), f"the quote does not write {shown} {unit}: the figures it writes are {written}; "
                        "give the number the quote gives, or, for a value the source gives in a table or an image, "
                        "say so in unquoted_value:", "value-not-in-quote", f"claims.{key}", "warning")]
    first = None
    for mention in matches:  # one figure whose words agree is enough; else the first one's verdict is the message
        verdict = _qualifier_verdict(claim, text.flat, lo, mention)
        if verdict is None:
            return []
        first = first or verdict
    return [Problem(path, claim.line_of("qualifier"), first, "qualifier-contradicts-quote", "claims.qualifier", "warning")]


def _same(values: tuple[float, ...], ends: list[set[float]]) -> bool:
    """The numbers a mention writes are the claim's ``ends``, one for one."""
    return len(values) == len(ends) and all(v in e for v, e in zip(values, ends, strict=True))


_SILENT_ALLOWS = frozenset((Qualifier.EXACT, Qualifier.APPROXIMATELY, Qualifier.RANGE))
"""The qualifiers a number with no words next to it allows."""


def _qualifier_verdict(claim: Claim, text: str, lo: int, mention: numbers.Mention) -> str | None:
    """None when the qualifier agrees with the words next to the number in the quote at ``text[lo:]``, else what is wrong."""
    q = claim.qualifier
    if mention.is_range and q is not Qualifier.RANGE:
        return f"the quote gives a range (“{mention.written}”) but the qualifier is {q}; write low:, high: and qualifier: range"
    words = numbers.qualifier_words(text, mention.start, lo)
    if words is None:
        if q in _SILENT_ALLOWS:
            return None
        return f"the quote writes “{mention.written}” with no words that make it {q}; use exact (or approximately)"
    expected, phrase = words
    if expected == q:
        return None
    return f"the quote says “{phrase} {mention.written}”, which is {expected}, but the qualifier is {q}; write qualifier: {expected}"


def _coverage(catalogue_path: str, key: tuple[str, str], text: ArchivedText, held: set[float], left_out: tuple[LeftOut, ...],
              record_path: str) -> list[Problem]:
    """Each figure of the text that no claim holds and ``left_out`` does not list, and each listing the text lacks."""
    out: list[Problem] = []
    listed = {_flat_quote(entry.number): entry for entry in left_out}
    used: set[str] = set()
    for mention in text.mentions:
        if all(v in held for v in mention.values):
            continue
        written = mention.written
        if written in listed:
            used.add(written)
            continue
        line = text.line_at(mention.start)
        out.append(Problem(text.path, line, f"“{written}” in the text of {key[0]} {key[1]!r} is held by no claim; add a claim for it, or list it "
                           f"under the {key[0]}'s left_out: with a reason (number: \"{written}\", reason: …)", "figure-not-captured", None, "warning"))
    for written, entry in listed.items():
        if written not in used:
            out.append(Problem(record_path or catalogue_path, entry.line, f"left_out lists “{written}”, which the text of {key[0]} {key[1]!r} "
                               "does not write as a figure (or a claim holds it); write it as the text does, or remove the entry",
                               "left-out-not-in-text", "left_out.number", "warning"))
    return out


@dataclass(frozen=True)
class Covered:
    """One figure of an archived text and what the catalogue does with it: held by figures, left out, or missed."""

    line: int
    written: str
    held_by: tuple[str, ...] = ()
    """The titles of the figures whose claims hold it."""
    left_out: str | None = None
    """The reason it is left out, if it is."""


def coverage(catalogue: Catalogue, key: tuple[str, str]) -> list[Covered]:
    """Every figure the archived text of ``key`` (``("story", id)``) writes, each with the figures holding it or its reason.

    Empty when the story or source names no readable text.
    """
    text = catalogue.texts.get(key)
    if text is None:
        return []
    record = catalogue.stories.get(key[1]) if key[0] == "story" else catalogue.sources.get(key[1])
    listed = {_flat_quote(e.number): e.reason for e in getattr(record, "left_out", ())}
    holders: dict[float, list[str]] = {}
    spans: list[tuple[int, int, str, set[float]]] = []
    flat = text.flat
    for figure in catalogue.figures:
        for claim in figure.claims:
            if (key[0] == "story" and figure.story == key[1]) or (key[0] == "source" and claim.source == key[1]):
                held = _held(figure, claim)
                for number in held:
                    holders.setdefault(number, [])
                    if figure.title not in holders[number]:
                        holders[number].append(figure.title)
                at = flat.find(_flat_quote(claim.quote))
                if at >= 0:
                    spans.append((at, at + len(_flat_quote(claim.quote)), figure.title, held))
    out = []
    for mention in text.mentions:
        keys = mention.values
        at = mention.start
        # The claims quoting this very sentence first; else any claim of the text holding the same number.
        titles = [t for lo, hi, t, held in spans if lo <= at < hi and all(k in held for k in keys)]
        if not titles and all(k in holders for k in keys):
            titles = [t for k in keys for t in holders[k]]
        written = _flat_quote(mention.written)
        out.append(Covered(text.line_at(mention.start), written, tuple(dict.fromkeys(titles)),
                           None if titles else listed.get(written)))
    return out
