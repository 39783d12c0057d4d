"""The tests' one shared place: a small valid catalogue with one figure to break, file helpers, the app's
constants the tests rely on, running the app through AppTest, and the one HTML parser every page test reads with."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "data" / "figures.yaml"
"""The seed catalogue: the figures of one real story, checked against its archived text."""


def app_constant(name: str) -> object:
    """The value ``app.py`` assigns to ``name`` at its top level, read from its source (importing it would run the app)."""
    tree = ast.parse((REPO / "app.py").read_text(encoding="utf-8"))
    (value,) = [node.value for node in tree.body if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == [name]]
    return ast.literal_eval(value)


STORY_PAGE_SIZE = app_constant("STORY_PAGE_SIZE")
"""Figures (each with its chart) on one page of a story, as the app defines it."""

SHAPES = ["us-equipment-left-value", "russia-iskander-stock", "russia-cruise-missile-mass-strikes", "us-weapons-share-left"]
"""Figures of the seed catalogue, one of each chart shape: a hedged single value, a series over time, a range, a percentage."""
HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(1)> </script><script>alert(2)</script>"
"""HTML that would run wherever catalogue text is not escaped."""
SVG_NS = "{http://www.w3.org/2000/svg}"

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
def hostile(catalogue_text):
    """The small catalogue and its target figure, whose title, claimant and quote, and its source's name, all hold :data:`HOSTILE`."""
    from figures.loader import load_text

    text = catalogue_text("title: Target figure", f'title: "T {HOSTILE}"')
    text = text.replace('quote: "five"', f'quote: "Q {HOSTILE}"').replace("claimant: Someone\n        source: src-a\n        quote: \"Q",
                                                                       f'claimant: "C {HOSTILE}"\n        source: src-a\n        quote: "Q')
    text = text.replace("    name: Source A\n", f'    name: "S {HOSTILE}"\n')
    catalogue = load_text(text)
    assert catalogue.ok, [str(p) for p in catalogue.problems]
    figure = catalogue.figure("target")
    assert HOSTILE in figure.title and HOSTILE in figure.claims[0].claimant and HOSTILE in figure.claims[0].quote
    return catalogue, figure


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
def real():
    """The seed catalogue, loaded once (its catalogue is immutable); tests/test_catalogue_data.py checks it has no problems."""
    from figures.loader import load

    catalogue = load(SEED)
    assert catalogue.ok, [str(p) for p in catalogue.problems]  # what the tests using it assume
    return catalogue


@pytest.fixture
def runner(monkeypatch):
    """A click runner for ``figures`` commands, with no catalogue or public address set by the environment."""
    from click.testing import CliRunner

    monkeypatch.delenv("FIGURES_DATA", raising=False)
    monkeypatch.delenv("FIGURES_PUBLIC_URL", raising=False)
    return CliRunner()


@pytest.fixture(scope="session")
def repo() -> Path:
    """The repository root (holds data/figures.yaml)."""
    return REPO


def run_app(monkeypatch: pytest.MonkeyPatch, data: Path = SEED, **params: str):
    """Run ``app.py`` once through Streamlit's AppTest on the catalogue ``data`` (the seed's by default), with these URL parameters.

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


def texts(at) -> str:
    """The markdown and captions an AppTest run showed, in order: what a reader reads."""
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def claim_records(at) -> list[dict[str, str]]:
    """The figure page's claims as a reader reads them: each claim's two-column table as ``{field: value}``, unescaped.

    A field the claim has nothing for is absent, as the page leaves its row out.
    """
    def plain(cell: str) -> str:
        return re.sub(r"\\(.)", r"\1", cell).removeprefix("**").removesuffix("**").replace("\u2060", "")

    return [{plain(f): plain(v) for f, v in zip(t.value["Field"], t.value["Value"], strict=True)}
            for t in at.table if list(t.value.columns) == ["Field", "Value"]]


def flat(text: str) -> str:
    """``text`` with each run of blanks one space, as a page or a drawing shows it."""
    return re.sub(r"\s+", " ", text)


def svg_text(root) -> str:
    """Every text drawn in an SVG (an ElementTree element), wrapped lines joined with spaces."""
    drawn = [" ".join(t.itertext()) for t in root.iter(f"{SVG_NS}text")]
    return flat(" ".join(drawn))


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (by its path relative to it, with ``/``) and its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class Page(HTMLParser):
    """An HTML page as a reader's browser has it, for the tests that read pages.

    ``tags``: every start tag with its attributes, in order; ``script_elements``: each script's attributes
    and text (``scripts``: just the texts); ``textareas``: each textarea's text; ``text``: the visible text
    (not scripts, styles, the title or textareas), blanks collapsed. An end tag that closes another element
    than the one open fails the test: the page must nest sanely.
    """

    VOID = frozenset({"meta", "link", "br", "img", "input", "hr", "source", "area", "base", "col", "embed", "track", "wbr"})
    HIDDEN = frozenset({"script", "style", "title", "textarea"})

    def __init__(self, page: bytes | str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_elements: list[tuple[dict[str, str | None], str]] = []
        self.textareas: list[str] = []
        self.open: list[str] = []
        self._chunks: list[str] = []
        self.feed(page.decode("utf-8") if isinstance(page, bytes) else page)
        self.close()
        self.text = re.sub(r"\s+", " ", " ".join(self._chunks))

    @property
    def scripts(self) -> list[str]:
        """The text of each script element, in order."""
        return [text for _, text in self.script_elements]

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self.script_elements.append((dict(attrs), ""))
        elif tag == "textarea":
            self.textareas.append("")
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):  # <path .../> in an inline SVG: opened and closed at once
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()

    def handle_data(self, data):
        inside = self.open[-1] if self.open else None
        if inside == "script":
            attrs, text = self.script_elements[-1]
            self.script_elements[-1] = (attrs, text + data)
        elif inside == "textarea":
            self.textareas[-1] += data
        elif not self.HIDDEN & set(self.open):
            self._chunks.append(data)

    def script_of(self, kind: str) -> str:
        """The text of the one script of this type (``application/ld+json``)."""
        (text,) = [text for attrs, text in self.script_elements if attrs.get("type") == kind]
        return text

    def attributes(self, tag: str, **match: str) -> list[dict]:
        """The attributes of every ``tag`` whose attributes include ``match``."""
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in match.items())]
