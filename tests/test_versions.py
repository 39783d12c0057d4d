"""Corrections and versions: the published record, what publishing refuses, archived versions that never change."""

from __future__ import annotations

import datetime
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from frictionless import validate

from figures import versions
from figures.build import FIGURE_FILES, build_site
from figures.exports import EXPORTERS, read_csv
from figures.loader import load
from figures.model import PartialDate
from tests.conftest import files_of

DAY1, DAY2, DAY3 = PartialDate(2026, 1, 10), PartialDate(2026, 2, 1), PartialDate(2026, 3, 1)
CORRECTION = """    corrections:
      - date: 2026-02-01
        note: "The count was entered as 5; the source gives 6."
"""


def publish(path: Path, day: PartialDate) -> tuple[list[versions.Version], list]:
    """``figures publish`` as a function: the new versions (appended to the record) or the problems (nothing appended)."""
    catalogue = load(path)
    assert not [p for p in catalogue.problems if not p.path.endswith(versions.RECORD_SUFFIX)], catalogue.problems
    record = versions.record_path(path)
    found, problems = versions.read_record(record)
    assert problems == []
    new, problems = versions.publish(catalogue, found, day, str(record))
    if not problems:
        versions.append(record, new)
    return new, problems


def with_target(text: str, old: str, new: str) -> str:
    """``text`` with ``old`` replaced once inside the target figure (between its id and the next figure)."""
    start = text.index("  - id: target")
    end = text.index("  - id: good-after")
    assert text[start:end].count(old) == 1, old
    return text[:start] + text[start:end].replace(old, new) + text[end:]


def add_correction(text: str, block: str = CORRECTION) -> str:
    return with_target(text, "    claims:\n", block + "    claims:\n")


def line_of(path: Path, needle: str, after: str = "  - id: target") -> int:
    lines = path.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(after))
    return next(i for i, line in enumerate(lines[start:], start) if needle in line) + 1


@pytest.fixture
def catalogue_file(catalogue_text, tmp_path) -> Path:
    path = tmp_path / "figures.yaml"
    path.write_text(catalogue_text())
    return path


@pytest.fixture
def published(catalogue_file) -> Path:
    """The three-figure catalogue, published once on DAY1."""
    new, problems = publish(catalogue_file, DAY1)
    assert problems == [] and [v.number for v in new] == [1, 1, 1]
    return catalogue_file


# -- the record -----------------------------------------------------------------------------------

def test_publishing_writes_one_line_per_figure_beside_the_catalogue_and_nothing_twice(published):
    record = published.with_name("figures.published.jsonl")

    lines = record.read_text().splitlines()
    again, problems = publish(published, DAY2)

    assert [json.loads(line)["figure"] for line in lines] == ["good-before", "target", "good-after"]
    assert all(json.loads(line)["date"] == "2026-01-10" and json.loads(line)["version"] == 1 for line in lines)
    assert again == [] and problems == []
    assert record.read_text().splitlines() == lines


def test_a_version_holds_the_figure_as_published_with_its_sources_and_story(published):
    catalogue = load(published)
    (version,) = [v for v in versions.read_record(versions.record_path(published))[0] if v.figure == "target"]

    figure, mini = version.published

    assert figure == catalogue.figure("target")
    assert mini.sources == {"src-a": catalogue.sources["src-a"]} and mini.stories == catalogue.stories
    assert mini.published == {"target": (1, DAY1)}


@pytest.mark.parametrize(("line", "problem"), [
    ("{not json", "is not a version of a figure"),
    ('{"figure": "x", "version": 1, "date": "2026-01-10"}', "is not a version of a figure"),
    ('{"figure": "target", "version": 3, "date": "2026-01-10", "withdrawn": {"date": "2026-01-10", "note": "n"}}', "comes out of turn"),
])
def test_a_damaged_record_line_is_a_problem_at_its_line_and_stops_the_build(published, tmp_path, line, problem):
    record = versions.record_path(published)
    record.write_text(record.read_text() + line + "\n")

    found, problems = versions.read_record(record)

    assert [(p.line, problem in p.message) for p in problems] == [(4, True)]
    assert len(found) == 3
    assert any(p.line == 4 for p in load(published).problems)  # figures check reports it too
    with pytest.raises(versions.RecordError):
        build_site(load(published), tmp_path / "site", jobs=1, progress=False)


# -- what publishing refuses ----------------------------------------------------------------------

@pytest.mark.parametrize(("old", "new", "needle", "what"), [
    ("- value: 5", "- value: 6", "- value: 6", "the value of claim 1 (5 → 6)"),
    ("qualifier: exact", "qualifier: approximately", "qualifier: approximately", "the qualifier of claim 1 (exact → approximately)"),
    ("as_of: 2022-01", "as_of: 2022-02", "as_of: 2022-02", "the as-of of claim 1 (2022-01 → 2022-02)"),
    ("unit: vehicle", "unit: missile", "unit: missile", "the unit (vehicle → missile)"),
])
def test_a_changed_number_without_a_new_correction_is_refused_at_its_line(published, old, new, needle, what):
    published.write_text(with_target(published.read_text(), old, new))
    before = versions.record_path(published).read_bytes()

    added, problems = publish(published, DAY2)

    assert added == []
    assert [(p.line, p.message.split(" of this published figure")[0]) for p in problems] == [(line_of(published, needle), what)]
    assert "add an entry under corrections:" in problems[0].message and str(published) == problems[0].path
    assert versions.record_path(published).read_bytes() == before


def test_the_command_refuses_with_file_line_and_exit_1_and_publishes_nothing(published):
    published.write_text(with_target(published.read_text(), "- value: 5", "- value: 6"))

    done = subprocess.run([sys.executable, "-m", "figures", "publish", str(published), "--date", "2026-02-01"],
                          capture_output=True, text=True, timeout=120)

    assert done.returncode == 1
    assert re.match(rf"{re.escape(str(published))}:{line_of(published, '- value: 6')}: the value of claim 1 \(5 → 6\)", done.stderr)
    assert done.stderr.rstrip().endswith("nothing was published; fix them and publish again") and "Traceback" not in done.stderr


def test_a_changed_number_with_a_new_correction_is_published_as_the_next_version(published):
    published.write_text(add_correction(with_target(published.read_text(), "- value: 5", "- value: 6")))

    added, problems = publish(published, DAY2)

    assert problems == [] and [(v.figure, v.number, v.date) for v in added] == [("target", 2, DAY2)]
    assert added[0].published[0].corrections[0].note == "The count was entered as 5; the source gives 6."


@pytest.mark.parametrize(("old", "new"), [
    ("title: Target figure", "title: Target figure, counted"),
    ('confidence_note: because', 'confidence_note: "because, said the report"'),
])
def test_a_wording_change_is_a_new_version_that_needs_no_correction(published, old, new):
    published.write_text(with_target(published.read_text(), old, new))

    added, problems = publish(published, DAY2)

    assert problems == [] and [(v.figure, v.number) for v in added] == [("target", 2)]


def test_a_claim_added_after_the_published_ones_needs_no_correction(published):
    claim = """      - value: 7
        qualifier: exact
        as_of: 2022-06
        claimant: Someone
        source: src-a
        quote: "seven"
        confidence: reported
        confidence_note: because
"""
    text = published.read_text()
    end = text.index("  - id: good-after")
    published.write_text(text[:end] + claim + text[end:])

    added, problems = publish(published, DAY2)

    assert problems == [] and [(v.figure, v.number) for v in added] == [("target", 2)]


@pytest.fixture
def corrected(published) -> Path:
    published.write_text(add_correction(with_target(published.read_text(), "- value: 5", "- value: 6")))
    assert publish(published, DAY2)[1] == []
    return published


@pytest.mark.parametrize(("edit", "message"), [
    (lambda t: t.replace("the source gives 6.", "the source gives six."), "this correction was published in version 2 of 2026-02-01 and cannot be edited"),
    (lambda t: t.replace("date: 2026-02-01", "date: 2026-02-02"), "this correction was published in version 2 of 2026-02-01 and cannot be edited"),
    (lambda t: t.replace(CORRECTION, ""), "the correction of 2026-02-01 (version 2 of 2026-02-01) was removed"),
])
def test_an_edited_or_removed_published_correction_is_refused(corrected, edit, message):
    corrected.write_text(edit(corrected.read_text()))

    added, problems = publish(corrected, DAY3)

    assert added == [] and len(problems) == 1 and problems[0].message.startswith(message)
    expected = line_of(corrected, "- date:") if "edited" in message else line_of(corrected, "  - id: target")  # no corrections: left
    assert problems[0].line == expected


def test_a_later_correction_below_the_published_one_is_accepted(corrected):
    later = CORRECTION + """      - date: 2026-03-01
        note: "The date was entered as January 2022; the source says February."
"""
    text = corrected.read_text().replace(CORRECTION, later)
    corrected.write_text(with_target(text, "as_of: 2022-01", "as_of: 2022-02"))

    added, problems = publish(corrected, DAY3)

    assert problems == [] and [(v.figure, v.number) for v in added] == [("target", 3)]


def test_a_correction_dated_after_the_day_of_publication_is_refused(published):
    published.write_text(add_correction(with_target(published.read_text(), "- value: 5", "- value: 6")))

    added, problems = publish(published, PartialDate(2026, 1, 31))

    assert added == [] and [p.line for p in problems] == [line_of(published, "- date:")]
    assert "after the day of publication (2026-01-31)" in problems[0].message


def test_a_published_figure_removed_without_a_withdrawn_entry_is_refused_at_its_record_line(published, catalogue_text):
    text = published.read_text()
    published.write_text(text[:text.index("  - id: target")] + text[text.index("  - id: good-after"):])

    added, problems = publish(published, DAY2)

    record = versions.record_path(published)
    assert added == [] and [(p.path, p.line) for p in problems] == [(str(record), 2)]
    assert "figure 'target' was published (version 1, 2026-01-10) and is no longer in the catalogue" in problems[0].message


WITHDRAWN = """withdrawn:
  - id: target
    date: 2026-02-01
    note: "The source retracted the count."
"""


@pytest.fixture
def withdrawn(published) -> Path:
    text = published.read_text()
    published.write_text(text[:text.index("  - id: target")] + text[text.index("  - id: good-after"):] + WITHDRAWN)
    added, problems = publish(published, DAY2)
    assert problems == [] and [(v.figure, v.number, v.withdrawn.note) for v in added] == [("target", 2, "The source retracted the count.")]
    return published


def test_a_withdrawal_is_recorded_once_and_cannot_be_edited_or_dropped(withdrawn):
    assert publish(withdrawn, DAY3) == ([], [])

    withdrawn.write_text(withdrawn.read_text().replace("retracted the count", "withdrew the count"))
    assert "cannot be edited" in publish(withdrawn, DAY3)[1][0].message
    withdrawn.write_text(withdrawn.read_text().replace(WITHDRAWN.replace("retracted", "withdrew"), ""))
    assert "its withdrawn: entry is gone" in publish(withdrawn, DAY3)[1][0].message


def test_withdrawing_a_figure_never_published_is_refused(catalogue_file):
    catalogue_file.write_text(catalogue_file.read_text() + WITHDRAWN.replace("id: target", "id: never-seen"))

    added, problems = publish(catalogue_file, DAY1)

    assert added == [] and [p.line for p in problems] == [line_of(catalogue_file, "- id: never-seen", after="withdrawn:")]
    assert "was never published" in problems[0].message


# -- the site -------------------------------------------------------------------------------------

def test_archived_versions_never_change_and_the_live_page_shows_the_correction_and_every_version(published, tmp_path):
    first = tmp_path / "first"
    build_site(load(published), first, jobs=2, progress=False, base_url="https://news.example/f/")
    published.write_text(add_correction(with_target(published.read_text(), "- value: 5", "- value: 6")))
    assert publish(published, DAY2)[1] == []
    published.write_text(published.read_text().replace("title: Good before", "title: Good before, edited later"))

    second = tmp_path / "second"  # an empty folder and an empty cache: everything rebuilt from the record
    build_site(load(published), second, jobs=2, progress=False, base_url="https://news.example/f/")

    a, b = files_of(first), files_of(second)
    v1 = [name for name in a if "/v1/" in name]
    assert v1 and {name: b[name] for name in v1} == {name: a[name] for name in v1}
    assert {f"target/v2/{name}" for name in FIGURE_FILES} <= b.keys()
    live = b["target/index.html"].decode()
    assert "Corrected 1 February 2026:</strong> The count was entered as 5; the source gives 6." in live
    assert "Last updated 1 February 2026 (version 2)." in live
    assert 'href="v1/index.html">Version 1, 10 January 2026' in live and 'href="v2/index.html">Version 2, 1 February 2026' in live
    assert "https://news.example/f/target/v2/embed.html" in live  # the embed code keeps today's figure
    oembed = json.loads(b["target/oembed.json"])
    assert "https://news.example/f/target/v2/embed.html" in oembed["html"]
    archived = b["target/v1/index.html"].decode()
    assert "Version 1 of 10 January 2026, as published then." in archived and 'href="../index.html">See the current version' in archived
    assert "Corrected" not in archived and "5 vehicles" in archived
    assert "6 vehicles" in b["target/v2/index.html"].decode()
    assert b["good-before/index.html"] == a["good-before/index.html"]  # the unpublished edit is not on the site


def test_an_unpublished_change_is_not_built_and_the_build_says_so(published, tmp_path):
    published.write_text(published.read_text().replace("title: Good before", "title: Good before, edited"))
    said: list[str] = []

    build_site(load(published), tmp_path / "site", jobs=1, progress=False, warn=said.append)

    assert said == ["unpublished: good-before differs from its latest published version, which is what is built; "
                    "run `figures publish` to publish the change"]
    assert "Good before, edited" not in (tmp_path / "site" / "good-before" / "index.html").read_text()


def test_a_withdrawn_figure_keeps_its_versions_and_its_page_says_why(withdrawn, tmp_path):
    out = tmp_path / "site"

    build_site(load(withdrawn), out, jobs=1, progress=False)

    page = (out / "target" / "index.html").read_text()
    assert "Withdrawn 1 February 2026:</strong> The source retracted the count." in page
    assert 'href="v1/index.html">Version 1, 10 January 2026' in page
    assert (out / "target" / "v1" / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    index = (out / "index.html").read_text()
    assert 'href="target/index.html">Target figure</a>: withdrawn 1 February 2026. The source retracted the count.' in index
    assert "target" not in {row["figure_id"] for row in read_csv((out / "figures.csv").read_bytes())}


def test_the_csv_carries_each_figures_corrections_and_version_and_reads_back(corrected, tmp_path):
    out = tmp_path / "site"
    build_site(load(corrected), out, jobs=1, progress=False)

    rows = read_csv((out / "figures.csv").read_bytes())

    by_id = {row["figure_id"]: row for row in rows}
    assert by_id["target"]["version"] == 2 and by_id["good-before"]["version"] == 1
    assert by_id["target"]["corrections"] == "2026-02-01: The count was entered as 5; the source gives 6."
    assert by_id["good-before"]["corrections"] is None
    assert (out / "target" / "data.csv").read_bytes() == EXPORTERS["csv"].render(load(corrected), load(corrected).figure("target"))
    report = validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])


def test_without_any_publish_a_site_has_no_versions(catalogue_file, tmp_path):
    out = tmp_path / "site"

    build_site(load(catalogue_file), out, jobs=1, progress=False)

    assert not [p for p in out.rglob("v1")]
    assert "Last updated" not in (out / "target" / "index.html").read_text()


# -- the command line -----------------------------------------------------------------------------

def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "figures", *args], capture_output=True, text=True, timeout=120)


def test_a_dry_run_says_what_it_would_publish_and_writes_nothing(catalogue_file):
    done = run_cli("publish", str(catalogue_file), "--date", "2026-01-10", "--dry-run")

    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [f"would publish: {fid} version 1 (2026-01-10)" for fid in ("good-before", "target", "good-after")]
    assert not versions.record_path(catalogue_file).exists()


def test_publishing_without_a_date_records_today(catalogue_file):
    today = datetime.datetime.now(datetime.UTC).date().isoformat()

    done = run_cli("publish", str(catalogue_file))

    assert done.returncode == 0, done.stderr
    assert {json.loads(line)["date"] for line in versions.record_path(catalogue_file).read_text().splitlines()} == {today}
    assert done.stderr.rstrip().endswith("3 version(s) added to " + str(versions.record_path(catalogue_file)) + "; commit it with the catalogue")


@pytest.mark.parametrize("bad", ["2026-02-30", "February", "2026-02"])
def test_a_date_that_is_not_a_day_is_a_usage_error(catalogue_file, bad):
    done = run_cli("publish", str(catalogue_file), "--date", bad)

    assert done.returncode == 2 and "is not a day; write it as 2023-02-01" in done.stderr


def test_a_catalogue_with_a_problem_is_not_published(catalogue_file):
    catalogue_file.write_text(catalogue_file.read_text().replace("unit: vehicle", "unit: humvee", 1))

    done = run_cli("publish", str(catalogue_file), "--date", "2026-01-10")

    assert done.returncode == 1 and "unit" in done.stderr and "nothing was published" in done.stderr
    assert not versions.record_path(catalogue_file).exists()


@pytest.mark.parametrize(("given", "expected"), [
    ("data/figures.yaml", "data/figures.published.jsonl"),
    ("data/stories", "data/stories.published.jsonl"),
    ("/", "/catalogue.published.jsonl"),
])
def test_the_record_sits_beside_a_file_or_a_folder(given, expected):
    assert versions.record_path(given) == Path(expected)


def test_the_record_of_the_working_folder_is_named_after_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    assert versions.record_path(".") == tmp_path.parent / f"{tmp_path.name}.published.jsonl"
