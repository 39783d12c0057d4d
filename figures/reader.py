"""Read hand-written YAML into plain values that remember their line numbers.

PyYAML's ``safe_load`` silently keeps the last of two duplicate keys, expands
aliases without bound, and libyaml's recursive composer can crash the whole
process on very deep nesting. This reader walks libyaml's *event* stream
(iterative, fast) and builds the values itself, so it can:

* refuse duplicate keys, aliases, anchors and non-standard tags;
* cap the file size and the nesting depth before anything is built;
* keep the line of every mapping key and sequence item for error messages;
* carry on past a mistake: a refused value becomes :data:`REFUSED`, and a
  syntax error removes only the entry it is in (one source, story or figure)
  before the text is read again, so every other entry still loads.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

try:  # libyaml ships with the PyYAML wheels; fall back to pure Python if absent.
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_BYTES = 64 * 1024 * 1024
"""Largest catalogue file we read (about 100,000 figures)."""

MAX_DEPTH = 24
"""Deepest nesting a catalogue needs is 5; anything past this is refused."""

MAX_SYNTAX_ERRORS = 50
"""Syntax errors recovered from (each costs one more reading of the text) before giving up."""

MAX_PROBLEMS = 1000
"""Problems collected while reading before the file is refused as a whole."""

_STANDARD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_STANDARD + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9_]*)\Z")
_PLAIN_FLOAT = re.compile(r"[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?\Z")
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_LINE_BREAK = re.compile(r"(\r\n|[\r\n\x85\u2028\u2029])")
"""A line break as libyaml counts them (YAML 1.1); captured, so a split keeps the breaks."""
_EDITOR_BREAK = re.compile(r"\r\n?|\n")
_EDITOR_SPLIT = re.compile(r"(\r\n?|\n)")
_EDITOR_BREAK_BYTES = re.compile(rb"\r\n?|\n")
"""A line break as an editor counts them: ``\\n``, ``\\r\\n`` or a lone ``\\r``, nothing else."""
_YAML_ONLY_BREAKS = ("\x85", "\u2028", "\u2029")
"""Characters libyaml reads as line breaks and editors show inside a line."""
_IDENTITY_LINES = range(1, sys.maxsize)
"""libyaml's 0-based line to the editor's 1-based line when the text has none of :data:`_YAML_ONLY_BREAKS`."""
_MAX_INT_DIGITS = 4300
"""Python's own limit on the digits of an integer read from text (sys.get_int_max_str_digits' default)."""
"""Digits of the largest number a figure can hold (a float: about 1.8e308)."""
_TOP_KEY = re.compile(r"[^\s#\-]|-[^\s-]")
_CONTEXT_LINE = ("while scanning a quoted scalar", "while parsing a quoted scalar", "while parsing a flow", "while scanning a simple key")
"""Syntax errors whose *context* mark (where the thing began) is the line to show, not where the parser gave up."""
_ENTRY_LINE = re.compile(r"\s+(?:-(?:\s|\Z)|[^\s#][^#]*?:(?:\s|\Z))|-(?:\s|\Z)")
"""A line of an entry: an indented key, or a list item (indented or at the margin)."""
_OPENER = re.compile(r"([^\s#\[{][^#]*?)[ \t]*:(?:[ \t]+[|>][-+0-9]*)?")
"""A key whose value is on the lines after it (comment removed): ``name:``, ``name: |``, ``name: >-``."""
_UNCLOSED_QUOTE = "YAML syntax error: a quote opened here is never closed; close it, or write the text without quotes"
_STRAY_MESSAGE = (
    "this line is at the left margin among the lines of a section, so it is not indented like the entries around it, "
    "and it is not a section of the catalogue (sources:, stories:, figures:); indent it into the entry it belongs to, "
    "make it a comment with #, or remove it"
)
_BREAK_NAMES = {"\x85": "next line", "\u2028": "line separator", "\u2029": "paragraph separator"}


@dataclass(frozen=True)
class ReadProblem:
    """One thing wrong with the YAML itself, at a 1-based line.

    ``removed`` is True when the entry holding the line was taken out of the
    text before it was read (a syntax error): nothing else needs skipping.
    """

    line: int
    message: str
    removed: bool = False
    code: str = "yaml-syntax"


class _Refused:
    """The value of a node the reader refused (a tag, an alias, too deep); the problem is already reported."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<refused>"


REFUSED = _Refused()


class YMap(dict):
    """A mapping that remembers its own line and the line of each key."""

    __slots__ = ("line", "key_lines")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[object, int] = {}


class YSeq(list):
    """A sequence that remembers its own line and the line of each item."""

    __slots__ = ("line", "item_lines")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


class YamlReadError(Exception):
    """Raised when the text cannot be read at all; carries every problem."""

    def __init__(self, problems: list[ReadProblem]) -> None:
        super().__init__("; ".join(f"line {p.line}: {p.message}" for p in problems))
        self.problems = problems


def read_file(path: Path) -> tuple[object, list[ReadProblem]]:
    """Read a YAML file into located values.

    Parameters
    ----------
    path : Path
        The file to read. Its kind and size are checked before it is opened,
        and at most ``MAX_BYTES + 1`` bytes are read whatever size it claims.

    Returns
    -------
    tuple
        The root value (``YMap``, ``YSeq``, scalar or None) and the problems
        that did not stop reading (duplicate keys, refused numbers, ...).

    Raises
    ------
    YamlReadError
        When the file is not a regular file (a device, a named pipe, a
        socket), is too large, binary, not UTF-8, empty or not YAML.
    OSError
        When the file cannot be opened (missing, a directory, no permission).
    """
    info = path.stat()
    _check_regular(info, path)
    if info.st_size > MAX_BYTES:
        raise YamlReadError([ReadProblem(1, _too_big(f"the file is {info.st_size:,} bytes"), code="too-big")])
    # Non-blocking, so a file swapped for a named pipe after the check cannot hang the open.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with open(fd, "rb") as file:
        _check_regular(os.fstat(file.fileno()), path)
        data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise YamlReadError([ReadProblem(1, _too_big("the file is longer"), code="too-big")])
    return read_bytes(data)


def _check_regular(info: os.stat_result, path: Path) -> None:
    """Refuse a device, a named pipe or a socket (reading one may never end); a directory raises OSError, as opening it does."""
    mode = info.st_mode
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    kind = "a named pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file"
    raise YamlReadError([ReadProblem(1, f"this is {kind}, not a catalogue file; give the path of a .yaml file saved on disk", code="not-a-file")])


def _too_big(what: str) -> str:
    return f"{what}, more than the limit of {MAX_BYTES:,}; split the catalogue into several files"


def read_bytes(data: bytes) -> tuple[object, list[ReadProblem]]:
    """Decode and read YAML bytes; see :func:`read_file`.

    A byte that is not UTF-8 is reported at its line and read as U+FFFD, so
    only the entry holding it is skipped.
    """
    if len(data) > MAX_BYTES:
        raise YamlReadError([ReadProblem(1, _too_big(f"the text is {len(data):,} bytes"), code="too-big")])
    if b"\x00" in data:
        line = len(_EDITOR_BREAK_BYTES.findall(data, 0, data.index(b"\x00"))) + 1
        raise YamlReadError([ReadProblem(line, "this is a binary file, not YAML text; save the catalogue as plain UTF-8 text", code="not-text")])
    text = data.decode("utf-8-sig", errors="surrogateescape")
    problems: list[ReadProblem] = []
    bad = re.compile("[\udc80-\udcff]")
    line, counted = 1, 0
    for match in bad.finditer(text):  # editor lines, counted on from the last bad byte
        line += len(_EDITOR_BREAK.findall(text, counted, match.start()))
        counted = match.start()
        if not problems or problems[-1].line != line:
            problems.append(ReadProblem(line, f"byte 0x{ord(match.group()) - 0xDC00:02x} is not UTF-8; save the file as UTF-8", code="not-utf8"))
            if len(problems) >= MAX_PROBLEMS:
                raise YamlReadError([*problems, ReadProblem(line, f"more than {MAX_PROBLEMS} lines are not UTF-8; save the file as UTF-8", code="not-utf8")])
    if not problems:
        return read_text(text)
    try:
        root, more = read_text(bad.sub("\ufffd", text))
    except YamlReadError as err:
        raise YamlReadError(_dedupe([*problems, *err.problems])) from None
    return root, _dedupe([*problems, *more])


def read_text(text: str) -> tuple[object, list[ReadProblem]]:
    """Read YAML text into located values; see :func:`read_file`.

    A syntax error, or nesting deeper than :data:`MAX_DEPTH`, removes the
    source, story or figure it is in (keeping the line numbers) and the text
    is read again, so every syntax error is reported at once and the rest
    still loads. To find the entry, each entry is first read on its own (an
    unclosed quote is then blamed on its own entry, not on the next one);
    failing that, the entry holding the line libyaml names is removed. A
    line at the left margin among the lines of a section that does not
    start a section itself (a line pasted between two figures) is reported
    once and taken out alone.

    Every line reported (problems, ``YMap.line``, ``YMap.key_lines``,
    ``YSeq.line``, ``YSeq.item_lines``) is the line an editor shows: a line
    ends at ``\n``, ``\r\n`` or a lone ``\r``, although libyaml also ends
    one at U+0085, U+2028 and U+2029.
    """
    if len(text) > MAX_BYTES:
        raise YamlReadError([ReadProblem(1, _too_big(f"the text is {len(text):,} characters"), code="too-big")])
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise YamlReadError([ReadProblem(1, "the file is empty; a catalogue starts with the keys sources:, stories: and figures:", code="empty-file")])
    removed: list[ReadProblem] = []
    while True:
        builder = _Builder()
        problem = _parse(text, builder.feed, builder.is_fatal)
        if problem is None:
            break
        lines, breaks = _split(text)
        broken = [((i, i + 1), ReadProblem(i + 1, _STRAY_MESSAGE, removed=True)) for i in _stray_lines(lines)]
        if not broken:
            broken = [(span, found) for span in _entries(lines) if (found := _parse_alone(lines, *span)) is not None]
        if not broken:  # not the fault of one entry read alone: take out the entry holding the line
            span = _entry_span(lines, problem.line - 1)
            if span is None:
                raise YamlReadError(_dedupe([*removed, problem]))
            broken = [(span, problem)]
        for (first, end), found in broken:
            lines[first:end] = [""] * (end - first)
            removed.append(found)
        if len(removed) > MAX_SYNTAX_ERRORS:
            raise YamlReadError(_dedupe([*removed, ReadProblem(removed[-1].line,
                f"more than {MAX_SYNTAX_ERRORS} syntax errors; fix these first and check again", code="too-many-problems")]))
        text = _join(lines, breaks)
    if builder.fatal:
        raise YamlReadError(_dedupe([*removed, *builder.problems]))
    return builder.root, _dedupe([*removed, *builder.problems])


def _editor_lines(text: str) -> Sequence[int]:
    """The editor's 1-based line of each of libyaml's 0-based lines of ``text``.

    libyaml also breaks lines at U+0085, U+2028 and U+2029, which editors show
    inside a line. Without them (the common case) the answer is a range: no
    list is built.
    """
    if not any(c in text for c in _YAML_ONLY_BREAKS):
        return _IDENTITY_LINES
    out, line = [1], 1
    for match in _LINE_BREAK.finditer(text):
        if match.group() not in _YAML_ONLY_BREAKS:
            line += 1
        out.append(line)
    return out


class _EditorMark:
    """An event's start mark moved to the editor's line (still 0-based, as libyaml's marks are)."""

    __slots__ = ("line",)

    def __init__(self, line: int) -> None:
        self.line = line


def _split(text: str) -> tuple[list[str], list[str]]:
    """The editor's lines of ``text``, and the break after each but the last."""
    parts = _EDITOR_SPLIT.split(text)
    return parts[0::2], parts[1::2]


def _join(lines: list[str], breaks: list[str]) -> str:
    """The text of :func:`_split` again: each line keeps its own break."""
    parts = [""] * (2 * len(lines) - 1)
    parts[0::2], parts[1::2] = lines, breaks
    return "".join(parts)


def _parse(text: str, feed, stop) -> ReadProblem | None:
    """Feed libyaml's events for ``text`` to ``feed``; the syntax error met, if any, as a problem.

    This is where libyaml's lines become the editor's: the events ``feed``
    sees and the problem returned carry the line an editor shows. Text
    without U+0085, U+2028 or U+2029 (the common case) pays nothing for it.
    """
    to_line = _editor_lines(text)
    if to_line is not _IDENTITY_LINES:
        inner = feed

        def feed(event: yaml.Event) -> None:
            event.start_mark = _EditorMark(to_line[event.start_mark.line] - 1)
            inner(event)

    try:
        for event in yaml.parse(text, Loader=_Loader):
            feed(event)
            if stop():
                break
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        if err.context_mark and any((err.context or "").startswith(c) for c in _CONTEXT_LINE):
            mark = err.context_mark
        index = mark.line if mark else 0
        line = to_line[index]
        if "maximum nesting depth" in (err.problem or ""):  # libyaml 0.2.6+ stops at 1,000 levels itself
            return ReadProblem(line, _depth_message(), removed=True)
        if index and to_line[index] == to_line[index - 1]:  # libyaml broke an editor's line here
            char = _LINE_BREAK.split(text, maxsplit=index)[2 * index - 1]
            return ReadProblem(line, _separator_message(char), removed=True)
        opened = _quote_closed_in_other_text(text, {m.line for m in (err.problem_mark, err.context_mark) if m})
        if opened is not None:
            return ReadProblem(to_line[opened], _UNCLOSED_QUOTE, removed=True)
        return ReadProblem(line, _syntax_message(err, text, index + 1), removed=True)
    except _TooDeep as err:
        return ReadProblem(err.line, err.message, removed=True)
    except yaml.reader.ReaderError as err:
        # libyaml counts bytes of the UTF-8 text; the pure-Python reader counts characters.
        before = text.encode("utf-8", "surrogatepass")[: err.position].decode("utf-8", "surrogatepass") if _Loader is not yaml.SafeLoader else text[: err.position]
        line = len(_EDITOR_BREAK.findall(before)) + 1
        return ReadProblem(line, f"the character U+{err.character:04X} is not allowed in YAML; remove it", removed=True)
    except yaml.YAMLError as err:  # pragma: no cover - every libyaml error above has a position
        return ReadProblem(1, f"this is not valid YAML ({err}); check the file with a YAML linter", removed=True)
    return None


def _separator_message(char: str) -> str:
    return (
        f"YAML syntax error: the invisible character U+{ord(char):04X} ({_BREAK_NAMES[char]}) on this line "
        "is a line break for YAML; remove it, or put the value in double quotes"
    )


def _quote_closed_in_other_text(text: str, error_lines: set[int]) -> int | None:
    """libyaml's 0-based line of a quote left open that YAML closed at a quote mark of later text, or None.

    That is the case when the last quoted value before the error spans lines,
    ends on the error's line (0-based ``error_lines``), and swallowed a line
    indented no deeper than the line it opened on: the next field, not the
    continuation of a genuinely multi-line quote, which is indented deeper.
    """
    last = None
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if type(event) is yaml.ScalarEvent and event.style in ("'", '"'):
                last = event
    except yaml.YAMLError:
        pass
    if last is None or last.start_mark.line == last.end_mark.line or last.end_mark.line not in error_lines:
        return None
    lines = _LINE_BREAK.split(text)[0::2]
    opening = lines[last.start_mark.line]
    column = len(opening) - len(opening.lstrip(" -"))  # where the key of the quoted value starts
    swallowed = any(ln.strip() and _indent(ln) <= column for ln in lines[last.start_mark.line + 1 : last.end_mark.line + 1])
    return last.start_mark.line if swallowed else None


def _parse_alone(lines: list[str], first: int, end: int) -> ReadProblem | None:
    """Read the lines ``[first, end)`` as a document of their own; the problem at its line in the whole text."""
    depth = 0

    def feed(event: yaml.Event) -> None:
        nonlocal depth
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth >= MAX_DEPTH:  # read alone, an entry sits one level higher than in the file
                raise _TooDeep(event.start_mark.line + 1, _depth_message())
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1

    found = _parse("\n".join(lines[first:end]), feed, lambda: False)
    return None if found is None else ReadProblem(found.line + first, found.message, removed=True)


def _dedupe(problems: list[ReadProblem]) -> list[ReadProblem]:
    return sorted(dict.fromkeys(problems), key=lambda p: p.line)


def _entries(lines: list[str]) -> list[tuple[int, int]]:
    """Every entry of every top-level section, as lines ``[first, end)``.

    An entry is one source, story or figure: a line indented like the first
    line of its section, up to the next such line or the end of the section.
    """
    tops = [i for i, ln in enumerate(lines) if _TOP_KEY.match(ln)] + [len(lines)]
    out = []
    for header, section_end in zip(tops, tops[1:], strict=False):
        body = [i for i in range(header + 1, section_end) if lines[i].strip() and not lines[i].lstrip(" ").startswith("#")]
        if not body:
            continue
        indent = _indent(lines[body[0]])
        is_list = lines[body[0]].lstrip(" ").startswith("-")
        starts = [i for i in body if _indent(lines[i]) == indent and (not is_list or lines[i].lstrip(" ").startswith("-"))]
        out.extend(zip(starts, [*starts[1:], section_end], strict=True))
    return out


def _entry_span(lines: list[str], index: int) -> tuple[int, int] | None:
    """The entry holding line ``index`` (0-based), or None: a top-level line, or an entry already blank."""
    index = min(max(index, 0), len(lines) - 1)
    for first, end in _entries(lines):
        if first <= index < end and any(lines[i].strip() for i in range(first, end)):
            return first, end
    return None


def _stray_lines(lines: list[str]) -> list[int]:
    """Lines at the left margin, among a section's lines, that start no section: pasted text, not structure.

    Such a line is followed by an indented key or list item (the section goes
    on after it), is complete on its own (no quote or bracket left open), and
    is not a key whose value follows on the next lines (``name:`` or
    ``name: |``), which starts a section, known or not, for the loader to judge.
    """
    content = [i for i, ln in enumerate(lines) if ln.strip() and not ln.lstrip(" ").startswith("#")]
    return [
        here
        for here, after in zip(content, content[1:], strict=False)
        if _TOP_KEY.match(lines[here])
        and not lines[here].startswith(("...", "%"))
        and not _TOP_KEY.match(lines[after])
        and _ENTRY_LINE.match(lines[after])
        and not _opens_section(lines[here])
        and not _KNOWN_SECTION.match(lines[here])
        and _complete(lines[here])
    ]


_KNOWN_SECTION = re.compile(r"(?:sources|stories|figures)\s*:")
"""A line starting a section the catalogue has is structure, however it is broken (``stories: : :``), never a stray line."""


def _opens_section(line: str) -> bool:
    """Whether ``line`` is a key whose value is on the lines after it: ``name:`` or ``name: |``/``name: >-``."""
    body = re.split(r"\s#", line, maxsplit=1)[0].rstrip()
    found = _OPENER.fullmatch(body)
    return found is not None and ": " not in found.group(1)


def _complete(line: str) -> bool:
    """Whether ``line`` read alone leaves no quote or bracket open."""
    try:
        for _event in yaml.parse(line, Loader=_Loader):
            pass
    except yaml.MarkedYAMLError as err:
        return not (err.context or "").startswith(("while scanning a quoted scalar", "while parsing a flow"))
    except yaml.YAMLError:
        return False
    return True


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _syntax_message(err: yaml.MarkedYAMLError, text: str, line: int) -> str:
    problem = (err.problem or err.context or "syntax error").strip()
    context = (err.context or "").strip()
    lines = _LINE_BREAK.split(text)[0::2]
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in problem or "\t" in here[: len(here) - len(here.lstrip())]:
        return "a tab is used for indentation; YAML needs spaces: replace the tab with spaces"
    if "mapping values are not allowed" in problem:
        return "YAML syntax error: a colon inside a value; put the value in quotes"
    if context.startswith("while scanning a quoted scalar"):
        return _UNCLOSED_QUOTE
    if context.startswith("while parsing a flow"):
        return f"YAML syntax error: a bracket opened here is not closed properly ({problem}); close it, or put the text in quotes"
    if any(k in problem for k in ("expected '-' indicator", "expected <document start>", "expected <block end>")):
        return f"YAML syntax error ({problem}): this line is indented differently from the lines around it; line it up with the fields above, using spaces"
    if "could not find expected ':'" in problem:
        return f"YAML syntax error ({problem}); check the indentation here and on the line above"
    if "did not find expected key" in problem:
        return f"YAML syntax error ({problem}): text after a closing quote, or a line indented wrong; quote the whole value, or line it up with the fields above"
    return f"YAML syntax error ({problem}); fix the line, or put the value in quotes"


class _Builder:
    """Turns the event stream into YMap/YSeq/scalars without recursion.

    A refused node (bad tag, alias, a list as a key) is reported,
    stored as :data:`REFUSED` and its contents skipped; reading goes on.
    """

    def __init__(self) -> None:
        self.root: object = None
        self.problems: list[ReadProblem] = []
        self.fatal = False
        self._stack: list[YMap | YSeq] = []
        self._pending_key: list[object] = []  # per open mapping: key waiting for its value, or _NO_KEY
        self._documents = 0
        self._skip = 0  # depth inside a refused collection whose events are ignored

    def feed(self, event: yaml.Event) -> None:
        line = event.start_mark.line + 1  # the editor's line: see _parse
        kind = type(event)
        if kind is yaml.ScalarEvent:
            if self._skip:
                return
            if event.anchor:
                self._refuse_anchor(line)
            self._add(self._scalar(event, line), line)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if self._skip:
                self._skip += 1
                return
            if event.anchor:
                self._refuse_anchor(line)
            wanted = _STANDARD + ("map" if kind is yaml.MappingStartEvent else "seq")
            refusal = None
            if event.tag not in (None, "!", wanted):
                refusal = _tag_message(event.tag)
            elif len(self._stack) >= MAX_DEPTH:
                # Stop here: reading on would make libyaml scan the whole deep part (quadratic time).
                raise _TooDeep(line, _depth_message())
            elif self._stack and type(self._stack[-1]) is YMap and self._pending_key[-1] is _NO_KEY:
                refusal = "a key is a list or a mapping; keys must be plain names"
            if refusal:
                self._problem(line, refusal)
                self._add(REFUSED, line)
                self._skip = 1
                return
            node: YMap | YSeq = YMap(line) if kind is yaml.MappingStartEvent else YSeq(line)
            self._add(node, line)
            self._stack.append(node)
            self._pending_key.append(_NO_KEY)
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            if self._skip:
                self._skip -= 1
                return
            self._stack.pop()
            self._pending_key.pop()
        elif kind is yaml.AliasEvent:
            if self._skip:
                return
            self._problem(line, f"the alias *{event.anchor} repeats another part of the file; write the value out in full (aliases are not allowed)")
            self._add(REFUSED, line)
        elif kind is yaml.DocumentStartEvent:
            self._documents += 1
            if self._documents > 1:
                self._problem(line, "a second YAML document (---) starts here; keep the whole catalogue in one document")
                self.fatal = True

    def is_fatal(self) -> bool:
        return self.fatal

    def _problem(self, line: int, message: str, code: str = "refused-yaml") -> None:
        self.problems.append(ReadProblem(line, message, code=code))
        if len(self.problems) >= MAX_PROBLEMS:
            self.problems.append(ReadProblem(line, f"more than {MAX_PROBLEMS} problems; fix these first and check again", code="too-many-problems"))
            self.fatal = True

    def _refuse_anchor(self, line: int) -> None:
        self._problem(line, "an anchor (&name) is used; write values out in full (anchors and aliases are not allowed)")

    def _scalar(self, event: yaml.ScalarEvent, line: int) -> object:
        value = event.value
        tag = event.tag
        if tag in (None, "!"):
            if not event.implicit[0]:  # quoted: always text
                return value
            tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
            if tag not in _SCALAR_TAGS:  # the merge key << and the value key =: plain text here
                return value
        elif tag not in _SCALAR_TAGS:
            self._problem(line, _tag_message(tag))
            return REFUSED
        elif tag != _STANDARD + "str" and _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) != tag:
            self._problem(line, f"the tag {_shown(tag)} does not fit the value {value[:40]!r}; remove the tag and write a plain value")
            return REFUSED
        if tag == _STANDARD + "str":
            return value
        if tag == _STANDARD + "timestamp":
            return value  # dates are checked (and refused when impossible) by the loader
        if tag == _STANDARD + "int" and not _PLAIN_INT.match(value):
            return Unreadable(value, "YAML reads it as a number in another base or as minutes:seconds; write a plain decimal number (or quote it if it is text)")
        if tag == _STANDARD + "float" and not _PLAIN_FLOAT.match(value):
            if ":" in value:
                return Unreadable(value, "YAML reads it as minutes:seconds; write a plain decimal number (or quote it if it is text)")
            return Unreadable(value, "not-a-number and infinity are not figures; write a real number")
        if tag == _STANDARD + "int" and len(value) >= _MAX_INT_DIGITS:
            digits = len(value.lstrip("+-").replace("_", ""))
            if digits > _MAX_INT_DIGITS:  # int() itself refuses more than 4,300 digits
                return Unreadable(value, _too_large(f"this number has {digits:,} digits"))
        try:
            number = getattr(_CONSTRUCTOR, "construct_yaml_" + tag[len(_STANDARD):])(yaml.ScalarNode(tag, value))
        except Exception as err:  # noqa: BLE001 - whatever PyYAML raises on a value is a problem at its line
            return Unreadable(value, f"YAML cannot read it as a {tag[len(_STANDARD):]} ({type(err).__name__}); write a plain decimal number (or quote it if it is text)")
        return number

    def _add(self, value: object, line: int) -> None:
        if not self._stack:
            self.root = value
            return
        parent = self._stack[-1]
        if type(parent) is YSeq:
            parent.append(value)
            parent.item_lines.append(line)
            return
        key = self._pending_key[-1]
        if key is _NO_KEY:
            self._pending_key[-1] = value
            if value is REFUSED:  # already reported; its value is dropped
                self._pending_key[-1] = _DUPLICATE
            elif value in parent.key_lines:
                self._problem(line, f"duplicate key {value!r} (first at line {parent.key_lines[value]}); keep one of them", "duplicate-key")
                self._pending_key[-1] = _DUPLICATE
            else:
                parent.key_lines[value] = line
            return
        self._pending_key[-1] = _NO_KEY
        if key is not _DUPLICATE:
            parent[key] = value


class Unreadable(str):
    """A scalar YAML would turn into a surprising number (``010``, ``1:30``, ``.nan``).

    It is kept as its text, with the reason, so the loader can refuse it in
    the context of its field.
    """

    reason: str

    def __new__(cls, text: str, reason: str) -> Unreadable:
        obj = super().__new__(cls, text)
        obj.reason = reason
        return obj


class _TooDeep(Exception):
    """Raised by the builder at the first node nested deeper than :data:`MAX_DEPTH`."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


def _too_large(what: str) -> str:
    return f"{what}, more than a number can have here ({_MAX_INT_DIGITS:,}), and a figure is at most a quadrillion; check the value for extra digits, or quote it if it is text"


def _depth_message() -> str:
    return f"nesting deeper than {MAX_DEPTH} levels; a catalogue needs at most 5, so flatten this part"


def _shown(tag: str) -> str:
    return tag.replace(_STANDARD, "!!")[:60]


def _tag_message(tag: str) -> str:
    return f"the tag {_shown(tag)} is not allowed; remove it and write a plain value"


_NO_KEY = object()
_DUPLICATE = object()
