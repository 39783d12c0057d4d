"""A folder of catalogue files as one catalogue: one file per story, shared sources, stories and units.

Mirrors the folder part of :mod:`figures.loader` (with the app's reload in
:mod:`figures.store` and the command line on a folder).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from figures.loader import load
from figures.store import CatalogueStore
from tests.conftest import HEAD, REPO, TAIL, TARGET

SHARED = HEAD  # sources, stories and the figure good-before
SECOND = (
    "# The second story's file: its own units, the sources of the first file.\nunits:\n  truck: {is: vehicle}\nfigures:\n"
    + TARGET.replace("unit: vehicle", "unit: truck") + TAIL
)


@pytest.fixture
def folder(tmp_path) -> Path:
    path = tmp_path / "stories"
    path.mkdir()
    (path / "a-first.yaml").write_text(SHARED, encoding="utf-8")
    (path / "b-second.yaml").write_text(SECOND, encoding="utf-8")
    (path / "notes.txt").write_text("not part of the catalogue", encoding="utf-8")
    return path


def _line(path: Path, needle: str) -> int:
    hits = [i for i, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if needle in line]
    assert len(hits) == 1, hits
    return hits[0]


def test_every_yaml_file_of_a_folder_is_one_catalogue_sharing_sources_and_units(folder):
    catalogue = load(folder)

    assert catalogue.problems == ()
    assert [f.id for f in catalogue.figures] == ["good-before", "target", "good-after"]  # files sorted by name
    assert {f.id: Path(f.path).name for f in catalogue.figures} == {"good-before": "a-first.yaml", "target": "b-second.yaml", "good-after": "b-second.yaml"}
    assert catalogue.figure("target").unit_info.plural_of("truck") is None and catalogue.figure("target").declared_unit is not None
    assert catalogue.path == str(folder)


def test_a_duplicate_id_across_files_names_both_files_and_lines(folder):
    second = folder / "b-second.yaml"
    second.write_text(SECOND.replace("- id: good-after", "- id: good-before"), encoding="utf-8")

    catalogue = load(folder)

    duplicates = sorted((Path(p.path).name, p.line, p.message) for p in catalogue.problems if p.code == "duplicate-id")
    first_line, second_line = _line(folder / "a-first.yaml", "- id: good-before"), _line(second, "- id: good-before")
    assert [(name, line) for name, line, _ in duplicates] == [("a-first.yaml", first_line), ("b-second.yaml", second_line)]
    assert f"used again at b-second.yaml:{second_line}" in duplicates[0][2]
    assert f"also used at a-first.yaml:{first_line}" in duplicates[1][2]
    assert [f.id for f in catalogue.figures] == ["good-before", "target"]


def test_a_source_defined_in_two_files_is_one_problem_naming_the_other(folder):
    (folder / "c-third.yaml").write_text("sources:\n  src-a:\n    name: Source A again\n    kind: news report\n", encoding="utf-8")

    catalogue = load(folder)

    (problem,) = catalogue.problems
    assert (Path(problem.path).name, problem.line, problem.code) == ("c-third.yaml", 2, "duplicate-id")
    assert "also defined at a-first.yaml:3" in problem.message
    assert catalogue.sources["src-a"].name == "Source A"


def test_a_problem_names_the_file_it_is_in_and_the_other_files_keep_loading(folder):
    second = folder / "b-second.yaml"
    second.write_text(SECOND.replace("source: src-a\n        quote: \"five\"", "source: src-b\n        quote: \"five\""), encoding="utf-8")
    (folder / "c-broken.yaml").write_text("figures: [unclosed\n", encoding="utf-8")

    catalogue = load(folder)

    where = sorted((Path(p.path).name, p.line, p.code) for p in catalogue.problems)
    assert where == [("b-second.yaml", _line(second, "source: src-b"), "unknown-source"), ("c-broken.yaml", 1, "yaml-syntax")]
    assert [f.id for f in catalogue.figures] == ["good-before", "good-after"]


def test_the_command_line_checks_and_exports_a_folder(folder):
    check = subprocess.run([sys.executable, "-m", "figures", "check", str(folder)], cwd=REPO, capture_output=True, text=True, timeout=120)
    (folder / "b-second.yaml").write_text(SECOND.replace("unit: truck", "unit: trukc"), encoding="utf-8")
    broken = subprocess.run([sys.executable, "-m", "figures", "check", str(folder), "--format", "json"], cwd=REPO, capture_output=True, text=True, timeout=120)

    assert check.returncode == 0 and "OK: 3 figures" in check.stdout, check.stderr
    assert broken.returncode == 1
    (problem,) = [p for p in json.loads(broken.stdout)["problems"] if p["severity"] == "error"]
    assert problem["path"] == str(folder / "b-second.yaml") and problem["code"] == "unknown-unit" and problem["field"] == "unit"
    assert "did you mean 'truck'?" in problem["message"]


def test_publishing_a_folder_keeps_its_record_beside_it_and_refuses_at_the_figures_file(folder):
    first = _publish(folder, "2026-01-01")
    second = folder / "b-second.yaml"
    second.write_text(SECOND.replace("- value: 5", "- value: 6"), encoding="utf-8")
    refused = _publish(folder, "2026-01-02")

    record = folder.parent / "stories.published.jsonl"
    assert first.returncode == 0, first.stderr
    assert [json.loads(line)["figure"] for line in record.read_text(encoding="utf-8").splitlines()] == ["good-before", "target", "good-after"]
    assert refused.returncode == 1
    assert refused.stderr.startswith(f"{second}:{_line(second, '- value: 6')}: the value of claim 1 (5 → 6)")


def _publish(folder: Path, day: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "figures", "publish", str(folder), "--date", day], cwd=REPO, capture_output=True, text=True, timeout=120)


def test_the_app_reloads_when_any_file_of_the_folder_changes_and_keeps_the_last_good_whole(folder):
    store = CatalogueStore(folder)
    first = store.status().snapshot
    second = folder / "b-second.yaml"

    _save(second, SECOND.replace("title: Target figure", "title: Edited in the second file"), 2)
    edited = store.status()
    _save(folder / "c-new.yaml", TAIL.replace("good-after", "a-third-figure").replace("  - id", "figures:\n  - id", 1), 3)
    added = store.status()
    _save(second, "figures: [unclosed\n", 4)
    broken = store.status()

    assert edited.snapshot is not first and edited.snapshot.catalogue.figure("target").title == "Edited in the second file"
    assert added.snapshot.catalogue.figure("a-third-figure") is not None
    assert broken.snapshot.catalogue.figure("a-third-figure") is not None  # some files still load: served, with their problems
    assert [p.code for p in broken.snapshot.catalogue.problems] == ["yaml-syntax"]


def _save(path: Path, text: str, second: int) -> None:
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(second * 1_000_000_000, second * 1_000_000_000))
