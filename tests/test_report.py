"""Problems for tools (:mod:`figures.report`): ``check --format json`` and ``--format github``, as real processes."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from figures import report
from figures.loader import load, load_text
from figures.model import Catalogue, Problem
from tests.conftest import REPO

ANNOTATION = re.compile(r"::(?P<level>error|warning) file=(?P<file>[^,]+),line=(?P<line>\d+),title=(?P<title>[^:]+)::(?P<message>.*)\Z")


def _check(path, *options) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "figures", "check", str(path), *options], cwd=REPO, capture_output=True, text=True, timeout=120)


@pytest.fixture
def broken(tmp_path, catalogue_text):
    path = tmp_path / "broken.yaml"
    path.write_text(catalogue_text("unit: vehicle", "unit: vehicel").replace("source: src-a\n        quote: \"ten\"", "source: src-x\n        quote: \"ten\""), encoding="utf-8")
    return path


def test_json_lists_every_problem_with_code_field_file_and_line(broken):
    done = _check(broken, "--format", "json")

    assert done.returncode == 1 and done.stderr == ""
    data = json.loads(done.stdout)
    assert (data["ok"], data["figures"]) == (False, 1)
    assert [(p["code"], p["field"], p["path"]) for p in data["problems"] if p["severity"] == "error"] == [
        ("unknown-source", "claims.source", str(broken)), ("unknown-unit", "unit", str(broken))]
    assert [(p["line"], p["severity"]) for p in data["problems"]] == [(p.line, p.severity) for p in report.reported(load(broken))]
    assert "did you mean 'vehicle'?" in data["problems"][1]["message"]


def test_json_of_a_valid_catalogue_says_ok_and_exits_0():
    done = _check(REPO / "data" / "figures.yaml", "--format", "json")

    assert done.returncode == 0
    assert json.loads(done.stdout) | {"path": None} == {"path": None, "ok": True, "strict": False, "figures": 10, "claims": 11,
                                                                  "problems": []}


def test_github_writes_one_error_annotation_per_problem_at_its_file_and_line(broken):
    done = _check(broken, "--format", "github")

    assert done.returncode == 1
    lines = done.stdout.splitlines()
    matches = [ANNOTATION.match(line) for line in lines]
    assert all(matches), lines
    assert [(m["level"], m["file"], int(m["line"]), m["title"]) for m in matches] == [
        (p.severity, str(broken), p.line, p.code) for p in report.reported(load(broken))]
    assert [m["level"] for m in matches].count("error") == 2


def test_github_annotations_escape_what_would_end_or_start_a_command():
    catalogue = Catalogue(path="x", problems=(Problem("dir,1/a:b.yaml", 3, "50% off\n::error file=evil::injected\r", "bad-text"),))

    (line,) = report.github_annotations(catalogue)

    assert line == "::error file=dir%2C1/a%3Ab.yaml,line=3,title=bad-text::50%25 off%0A::error file=evil::injected%0D"
    assert "\n" not in line


def test_a_valid_catalogue_gives_no_annotation():
    assert report.github_annotations(load_text("sources: {}\nstories: {}\nfigures: []\n")) == []


@pytest.mark.parametrize(("options", "code", "levels"), [
    ((), 0, {"warning"}),
    (("--strict",), 1, {"error"}),
], ids=["warnings-pass", "strict-fails"])
def test_warnings_annotate_as_warnings_and_fail_only_with_strict(tmp_path, catalogue_text, options, code, levels):
    path = tmp_path / "untexted.yaml"
    path.write_text(catalogue_text(), encoding="utf-8")  # a valid catalogue whose story names no archived text

    done = _check(path, "--format", "github", *options)

    matches = [ANNOTATION.match(line) for line in done.stdout.splitlines()]
    assert done.returncode == code
    assert matches and all(matches)
    assert {m["level"] for m in matches} == levels
    assert [m["title"] for m in matches] == ["no-text"]


def test_text_output_marks_warnings_and_says_ok_without_strict(tmp_path, catalogue_text):
    path = tmp_path / "untexted.yaml"
    path.write_text(catalogue_text(), encoding="utf-8")

    done = _check(path)
    strict = _check(path, "--strict")

    assert done.returncode == 0 and ": warning: story 'story-a' names no archived text" in done.stdout and "OK:" in done.stdout
    assert strict.returncode == 1 and "1 warning(s) (--strict)" in strict.stderr
