"""Shared fixtures: a small valid catalogue with one figure to break, and file helpers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

HEAD = """\
# A small catalogue: one figure to break between two that must keep loading.
sources:
  src-a:
    name: Source A
    kind: news report
stories:
  story-a:
    title: A story
    publisher: Pub
    published: 2023-01
figures:
  - id: good-before
    title: Good before
    unit: vehicle
    story: story-a
    topic: t
    claims:
      - value: 10
        qualifier: exact
        as_of: 2022-01
        claimant: Someone
        source: src-a
        quote: "ten"
        confidence: reported
        confidence_note: because
"""

TARGET = """\
  - id: target
    title: Target figure
    unit: vehicle
    story: story-a
    topic: t
    claims:
      - value: 5
        qualifier: exact
        as_of: 2022-01
        claimant: Someone
        source: src-a
        quote: "five"
        confidence: reported
        confidence_note: because
"""

TAIL = """\
  - id: good-after
    title: Good after
    unit: missile
    story: story-a
    tags: [missiles]
    claims:
      - low: 2
        high: 3
        qualifier: range
        as_of: 2022-12
        claimant: Someone else
        source: src-a
        quote: "two or three"
        confidence: claimed
        confidence_note: because
"""

@pytest.fixture
def catalogue_text() -> Callable[..., str]:
    """Build the three-figure catalogue, with ``old`` replaced by ``new`` once inside the target figure."""

    def build(old: str = "", new: str = "", *, before: str = "", insert: str = "", tail: str = TAIL) -> str:
        """``insert`` goes into the head just before the line ``before`` (e.g. ``"stories:"``)."""
        target, head = TARGET, HEAD
        if old:
            assert target.count(old) == 1, f"{old!r} must occur once in the target figure"
            target = target.replace(old, new)
        if before:
            assert head.count(before + "\n") == 1, f"{before!r} must be a line of the head"
            head = head.replace(before + "\n", insert + before + "\n")
        return head + target + tail

    return build


@pytest.fixture
def line_of() -> Callable[[str, str], int]:
    """The 1-based line of the only line of ``text`` containing ``needle``."""

    def find(text: str, needle: str) -> int:
        hits = [i for i, line in enumerate(text.split("\n"), start=1) if needle in line]
        assert len(hits) == 1, f"{needle!r} is on lines {hits}, expected exactly one"
        return hits[0]

    return find


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str | bytes, str], Path]:
    """Write text (UTF-8) or bytes to a file in tmp_path and return its path."""

    def put(content: str | bytes, name: str = "figures.yaml") -> Path:
        path = tmp_path / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return put


@pytest.fixture(scope="session")
def repo() -> Path:
    """The repository root (holds data/figures.yaml)."""
    return REPO


def run_app(monkeypatch: pytest.MonkeyPatch, data: Path, **params: str):
    """Run ``app.py`` once through Streamlit's AppTest on the catalogue ``data``, with these URL parameters.

    Fails the test if the script raised; returns the AppTest to inspect.
    """
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("FIGURES_DATA", str(data))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _nodes(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def all_text(at) -> str:
    """Every string of every element and block an AppTest run sent (bodies, labels, help, code, chart specs)."""
    from google.protobuf.json_format import MessageToDict

    out = []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.extend(_strings(MessageToDict(proto)))
    return "\n".join(out)
