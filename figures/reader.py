"""Read hand-written YAML into plain values that remember their line numbers.

PyYAML's ``safe_load`` silently keeps the last of two duplicate keys, expands
aliases without bound, and libyaml's recursive composer can crash the whole
process on very deep nesting. This reader walks libyaml's *event* stream
(iterative, fast) and builds the values itself, so it can:

* refuse duplicate keys, aliases, anchors and non-standard tags;
* cap the file size and the nesting depth before anything is built;
* keep the line of every mapping key and sequence item for error messages.
"""

from __future__ import annotations

import re
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

_STANDARD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_STANDARD + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9_]*)\Z")
_PLAIN_FLOAT = re.compile(r"[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?\Z")
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


@dataclass(frozen=True)
class ReadProblem:
    """One thing wrong with the YAML itself, at a 1-based line."""

    line: int
    message: str


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
        The file to read. Its size is checked before it is opened.

    Returns
    -------
    tuple
        The root value (``YMap``, ``YSeq``, scalar or None) and the problems
        that did not stop reading (duplicate keys, refused numbers, ...).

    Raises
    ------
    YamlReadError
        When the file is too large, binary, not UTF-8, empty or not YAML.
    OSError
        When the file cannot be opened (missing, a directory, no permission).
    """
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise YamlReadError([ReadProblem(1, f"the file is {size:,} bytes, more than the limit of {MAX_BYTES:,}; split the catalogue into several files")])
    return read_bytes(path.read_bytes())


def read_bytes(data: bytes) -> tuple[object, list[ReadProblem]]:
    """Decode and read YAML bytes; see :func:`read_file`."""
    if len(data) > MAX_BYTES:
        raise YamlReadError([ReadProblem(1, f"the text is {len(data):,} bytes, more than the limit of {MAX_BYTES:,}; split the catalogue into several files")])
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise YamlReadError([ReadProblem(line, "this is a binary file, not YAML text; save the catalogue as plain UTF-8 text")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise YamlReadError([ReadProblem(line, f"byte 0x{data[err.start]:02x} is not UTF-8; save the file as UTF-8")]) from None
    return read_text(text)


def read_text(text: str) -> tuple[object, list[ReadProblem]]:
    """Read YAML text into located values; see :func:`read_file`."""
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise YamlReadError([ReadProblem(1, "the file is empty; a catalogue starts with the keys sources:, stories: and figures:")])
    builder = _Builder()
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
            if builder.fatal:
                break
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlReadError([*builder.problems, ReadProblem(line, _syntax_message(err, text, line))]) from None
    except yaml.YAMLError as err:  # reader errors without a mark
        raise YamlReadError([ReadProblem(1, f"this is not valid YAML ({err}); check the file with a YAML linter")]) from None
    if builder.fatal:
        raise YamlReadError(builder.problems)
    return builder.root, builder.problems


def _syntax_message(err: yaml.MarkedYAMLError, text: str, line: int) -> str:
    problem = (err.problem or err.context or "syntax error").strip()
    lines = text.splitlines()
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in problem or "\t" in here[: len(here) - len(here.lstrip())]:
        return "a tab is used for indentation; YAML needs spaces: replace the tab with spaces"
    if "mapping values are not allowed" in problem:
        return "YAML syntax error: a colon inside a value; put the value in quotes"
    if "could not find expected ':'" in problem or "expected <block end>" in problem:
        return f"YAML syntax error ({problem}); check the indentation here and on the line above"
    return f"YAML syntax error ({problem}); fix the line, or put the value in quotes"


class _Builder:
    """Turns the event stream into YMap/YSeq/scalars without recursion."""

    def __init__(self) -> None:
        self.root: object = None
        self.problems: list[ReadProblem] = []
        self.fatal = False
        self._stack: list[YMap | YSeq] = []
        self._pending_key: list[object] = []  # per open mapping: key waiting for its value, or _NO_KEY
        self._documents = 0

    def feed(self, event: yaml.Event) -> None:
        line = event.start_mark.line + 1
        kind = type(event)
        if kind is yaml.ScalarEvent:
            if event.anchor:
                self._refuse_anchor(line)
            self._add(self._scalar(event, line), line)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if event.anchor:
                self._refuse_anchor(line)
            wanted = _STANDARD + ("map" if kind is yaml.MappingStartEvent else "seq")
            if event.tag not in (None, "!", wanted):
                self._refuse_tag(event.tag, line)
                return
            if len(self._stack) >= MAX_DEPTH:
                self.problems.append(ReadProblem(line, f"nesting deeper than {MAX_DEPTH} levels; a catalogue needs at most 5, so flatten this part"))
                self.fatal = True
                return
            node: YMap | YSeq = YMap(line) if kind is yaml.MappingStartEvent else YSeq(line)
            self._add(node, line)
            self._stack.append(node)
            self._pending_key.append(_NO_KEY)
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            self._stack.pop()
            self._pending_key.pop()
        elif kind is yaml.AliasEvent:
            self.problems.append(ReadProblem(line, f"the alias *{event.anchor} repeats another part of the file; write the value out in full (aliases are not allowed)"))
            self.fatal = True
        elif kind is yaml.DocumentStartEvent:
            self._documents += 1
            if self._documents > 1:
                self.problems.append(ReadProblem(line, "a second YAML document (---) starts here; keep the whole catalogue in one document"))
                self.fatal = True

    def _refuse_anchor(self, line: int) -> None:
        self.problems.append(ReadProblem(line, "an anchor (&name) is used; write values out in full (anchors and aliases are not allowed)"))
        self.fatal = True

    def _refuse_tag(self, tag: str, line: int) -> None:
        shown = tag.replace(_STANDARD, "!!")
        self.problems.append(ReadProblem(line, f"the tag {shown} is not allowed; remove it and write a plain value"))
        self.fatal = True

    def _scalar(self, event: yaml.ScalarEvent, line: int) -> object:
        value = event.value
        tag = event.tag
        if tag in (None, "!"):
            if not event.implicit[0]:  # quoted: always text
                return value
            tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
        elif tag not in _SCALAR_TAGS:
            self._refuse_tag(tag, line)
            return None
        if tag == _STANDARD + "str":
            return value
        if tag == _STANDARD + "timestamp":
            return value  # dates are checked (and refused when impossible) by the loader
        if tag == _STANDARD + "int" and not _PLAIN_INT.match(value):
            return Unreadable(value, "YAML reads it as a number in another base or as minutes:seconds; write a plain decimal number (or quote it if it is text)")
        if tag == _STANDARD + "float" and not _PLAIN_FLOAT.match(value):
            return Unreadable(value, "not-a-number and infinity are not figures; write a real number")
        return getattr(_CONSTRUCTOR, "construct_yaml_" + tag[len(_STANDARD):])(yaml.ScalarNode(tag, value))

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
            if isinstance(value, (YMap, YSeq)):
                self.problems.append(ReadProblem(line, "a key is a list or a mapping; keys must be plain names"))
                self.fatal = True
                return
            self._pending_key[-1] = value
            if value in parent.key_lines:
                self.problems.append(ReadProblem(line, f"duplicate key {value!r} (first at line {parent.key_lines[value]}); keep one of them"))
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


_NO_KEY = object()
_DUPLICATE = object()
