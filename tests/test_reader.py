"""The YAML reader: located values, scalars typed safely, refusals that never stop the rest."""

from __future__ import annotations

import pytest

from figures import reader
from figures.reader import REFUSED, Unreadable, YamlReadError, YMap, YSeq, read_bytes, read_file, read_text


def test_mappings_and_sequences_remember_their_lines():
    root, problems = read_text("# head\na:\n  b: 1\n  c:\n    - x\n    - y\nd: 2\n")

    assert problems == []
    assert isinstance(root, YMap) and isinstance(root["a"], YMap) and isinstance(root["a"]["c"], YSeq)
    assert root.key_lines == {"a": 2, "d": 7}
    assert root["a"].key_lines == {"b": 3, "c": 4}
    assert root["a"]["c"].item_lines == [5, 6]
    assert root["a"]["c"] == ["x", "y"]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("plain text", "plain text"),
        ("'quoted 010'", "quoted 010"),
        ('"1e9"', "1e9"),
        ("42", 42),
        ("-7", -7),
        ("1_000", 1000),
        ("3.5", 3.5),
        ("1.0e+9", 1e9),
        ("true", True),
        ("NO", False),
        ("~", None),
        ("", None),
        ("2022-01-05", "2022-01-05"),  # dates stay text: the loader checks them
        ("2024-13-45", "2024-13-45"),  # safe_load would raise ValueError here
        ("1e9", "1e9"),  # YAML 1.1: a string
        ("<<", "<<"),  # the merge key is plain text here
        ("=", "="),
    ],
)
def test_scalars_are_typed_like_yaml_without_surprises(written, expected):
    root, problems = read_text(f"k: {written}\n")

    assert problems == []
    assert root["k"] == expected
    assert type(root["k"]) is type(expected)


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("010", "another base"),
        ("0o17", None),  # YAML 1.1 has no 0o: plain text, refused later as "not a number"
        ("0x1F", "another base"),
        ("0b101", "another base"),
        ("1:30", "minutes:seconds"),
        ("1:30.5", "minutes:seconds"),
        (".nan", "not-a-number and infinity"),
        (".NaN", "not-a-number and infinity"),
        (".inf", "not-a-number and infinity"),
        ("-.inf", "not-a-number and infinity"),
    ],
)
def test_surprising_numbers_are_kept_as_text_with_a_reason(written, reason):
    root, problems = read_text(f"k: {written}\n")

    assert problems == []
    assert root["k"] == written
    if reason is None:
        assert not isinstance(root["k"], Unreadable)
    else:
        assert isinstance(root["k"], Unreadable) and reason in root["k"].reason


def test_duplicate_key_is_refused_not_last_wins_and_reported_at_the_second_line():
    """PyYAML's safe_load keeps the last value silently; the reader keeps the first and reports the second (the loader then skips its entry)."""
    root, problems = read_text("a: 1\nb: 2\na: 3\n")

    assert root == {"a": 1, "b": 2}
    assert [(p.line, p.code, p.message) for p in problems] == [(3, "duplicate-key", "duplicate key 'a' (first at line 1); keep one of them")]


def test_duplicate_key_of_a_nested_mapping_is_dropped_with_its_contents():
    root, problems = read_text("a:\n  x: 1\na:\n  y: 2\nb: 3\n")

    assert root == {"a": {"x": 1}, "b": 3}
    assert [p.line for p in problems] == [3]


MISSING = object()


@pytest.mark.parametrize(
    ("text", "line", "fragment", "a"),
    [
        ("a: !!binary aGVsbG8=\nb: 2\n", 1, "the tag !!binary is not allowed", REFUSED),
        ("a: !!set {x, y}\nb: 2\n", 1, "the tag !!set is not allowed", REFUSED),
        ("a: !!bool maybe\nb: 2\n", 1, "the tag !!bool does not fit the value 'maybe'", REFUSED),
        ("a: &x 1\nb: 2\n", 1, "an anchor (&name) is used", 1),
        ("a: *x\nb: 2\n", 1, "the alias *x repeats another part of the file", REFUSED),
        ("? [k]\n: 1\nb: 2\n", 1, "a key is a list or a mapping; keys must be plain names", MISSING),
    ],
)
def test_refused_nodes_are_reported_and_reading_goes_on(text, line, fragment, a):
    root, problems = read_text(text)

    assert [p.line for p in problems if fragment in p.message] == [line], problems
    assert root["b"] == 2
    assert root.get("a", MISSING) is a or root.get("a") == a


def test_python_tags_are_refused_at_their_lines_and_never_run(tmp_path):
    marker = tmp_path / "ran"
    tags = [f"!!python/object/apply:os.system ['touch {marker}']", f"!!python/object/new:os.system ['touch {marker}']",
            f"!!python/object:os.system {{a: touch {marker}}}", "!!python/name:os.system ''"]
    text = "".join(f"k{i}: {tag}\n" for i, tag in enumerate(tags)) + "after: 2\n"

    root, problems = read_text(text)

    assert not marker.exists()
    assert root == {"k0": REFUSED, "k1": REFUSED, "k2": REFUSED, "k3": REFUSED, "after": 2}
    assert [(p.line, p.code, p.message) for p in problems] == [
        (line, "refused-yaml", f"the tag !!python/{kind}:os.system is not allowed; remove it and write a plain value")
        for line, kind in enumerate(["object/apply", "object/new", "object", "name"], start=1)
    ]


@pytest.mark.parametrize("depth", [24, 25])
def test_depth_limit_is_exactly_max_depth(depth):
    nested = "[" * (depth - 1) + "]" * (depth - 1)  # the root mapping is the first level

    if depth <= reader.MAX_DEPTH:
        root, problems = read_text(f"k: {nested}\n")
        assert problems == []
    else:
        with pytest.raises(YamlReadError) as err:
            read_text(f"k: {nested}\n")
        assert [p.line for p in err.value.problems] == [1]


def test_deep_nesting_outside_any_entry_refuses_the_text():
    with pytest.raises(YamlReadError) as err:
        read_text("k: " + "[" * 100_000 + "]" * 100_000 + "\n")

    (problem,) = err.value.problems
    assert (problem.line, "nesting deeper than 24 levels" in problem.message) == (1, True)


def test_syntax_error_removes_only_its_entry_and_keeps_line_numbers():
    text = "items:\n  - a: 1\n  - b: x: y\n  - c: 3\nafter: 4\n"

    root, problems = read_text(text)

    assert [(p.line, p.removed) for p in problems] == [(3, True)]
    assert root["items"] == [{"a": 1}, {"c": 3}]
    assert root["items"].item_lines == [2, 4]
    assert root.key_lines["after"] == 5


def test_unclosed_quote_is_blamed_on_its_own_entry_not_the_next():
    text = 'items:\n  - a: "open\n    b: 2\n  - c: "closed"\n  - d: 4\n'

    root, problems = read_text(text)

    assert [p.line for p in problems] == [2]
    assert "a quote opened here is never closed" in problems[0].message
    assert root["items"] == [{"c": "closed"}, {"d": 4}]


@pytest.mark.parametrize(
    ("data", "line", "fragment"),
    [
        (b"a: 1\nb: \xff\n", 2, "byte 0xff is not UTF-8; save the file as UTF-8"),
        (b"a: 1\nb: 2\nc: caf\xe9\n", 3, "byte 0xe9 is not UTF-8"),
    ],
)
def test_non_utf8_bytes_are_reported_at_their_line(data, line, fragment):
    root, problems = read_bytes(data)

    assert [(p.line, fragment in p.message) for p in problems] == [(line, True)]
    assert root["a"] == 1


@pytest.mark.parametrize(
    ("data", "line", "fragment"),
    [
        (b"a: 1\n\x00\x01", 2, "this is a binary file, not YAML text"),
        (b"", 1, "the file is empty"),
        (b"   \n\t\n", 1, "the file is empty"),
        (b"# just a comment\n", 1, "the file is empty"),
        (b"a: 1\n---\nb: 2\n", 2, "a second YAML document (---) starts here"),
    ],
)
def test_unreadable_bytes_raise_with_the_line(data, line, fragment):
    with pytest.raises(YamlReadError) as err:
        read_bytes(data)

    assert [(p.line, fragment in p.message) for p in err.value.problems] == [(line, True)]
    assert fragment in str(err.value)


def test_size_is_checked_before_the_file_is_read(monkeypatch, tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 200 + "\n", encoding="utf-8")
    monkeypatch.setattr(reader, "MAX_BYTES", 100)

    with pytest.raises(YamlReadError) as err:
        read_file(path)

    assert err.value.problems[0].message.startswith("the file is 204 bytes, more than the limit of 100;")


def test_too_many_problems_stop_reading(monkeypatch):
    monkeypatch.setattr(reader, "MAX_PROBLEMS", 10)
    text = "".join(f"k{i}: *a\n" for i in range(50))

    with pytest.raises(YamlReadError) as err:
        read_text(text)

    assert len(err.value.problems) == 11
    assert "more than 10 problems; fix these first" in err.value.problems[-1].message


SPECIAL_FILES = ["/dev/zero", "fifo"]


@pytest.mark.parametrize("kind", SPECIAL_FILES)
def test_a_device_or_named_pipe_is_refused_at_once_without_reading_it(tmp_path, kind):
    """``figures check /dev/zero`` ended in MemoryError, a named pipe hung; run in a process of its own so a regression cannot hang the suite."""
    import os
    import subprocess
    import sys

    path = "/dev/zero" if kind == "/dev/zero" else str(tmp_path / "pipe.yaml")
    if kind == "fifo":
        os.mkfifo(path)
    done = subprocess.run([sys.executable, "-m", "figures", "check", path], capture_output=True, text=True, timeout=60)
    output = done.stdout + done.stderr
    assert done.returncode in (1, 2) and "Traceback" not in output, output[-2000:]
    assert ("is a device" in output or "named pipe" in output) and "not a catalogue file" in output, output[-2000:]
