"""The command line: exit codes 0/1/2, one line per problem, $FIGURES_DATA, and the CSV export."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from figures.cli import main
from figures.exports import read_csv
from figures.loader import load

PROBLEM_LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+): (?P<what>[^\n]+?); (?P<fix>[^\n]+)$")


@pytest.fixture
def runner(monkeypatch):
    monkeypatch.delenv("FIGURES_DATA", raising=False)
    return CliRunner()


@pytest.fixture
def broken(catalogue_text, write):
    """Four problems in three places: a syntax error, a bad date, a source with a typo (and so no name)."""
    text = catalogue_text("title: Target figure", "title: Target: figure", before="stories:", insert="  src-bad:\n    nmae: x\n    kind: news report\n")
    text = text.replace("as_of: 2022-12", "as_of: 2023-02-30")
    return write(text)


def test_check_valid_catalogue_exits_0_with_one_line(runner, repo, monkeypatch):
    monkeypatch.chdir(repo)

    result = runner.invoke(main, ["check", "data/figures.yaml"])

    assert result.exit_code == 0, result.output
    assert result.stdout == "data/figures.yaml: OK: 10 figures, 11 claims, 5 sources, 1 stories\n"
    assert result.stderr == ""


def test_check_invalid_catalogue_exits_1_listing_every_problem_once(runner, broken):
    expected = load(broken).problems

    result = runner.invoke(main, ["check", str(broken)])

    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines == [str(p) for p in expected]
    assert len(lines) == 4
    for line in lines:
        match = PROBLEM_LINE.match(line)
        assert match, line
        assert match["path"] == str(broken)
    assert {int(PROBLEM_LINE.match(x)["line"]) for x in lines} == {p.line for p in expected}
    assert result.stderr == "4 problem(s); 1 figure(s) are valid\n"


@pytest.mark.parametrize(
    ("argument", "fragment"),
    [("absent.yaml", "absent.yaml: no such file; give the path of a catalogue, or set FIGURES_DATA"), (".", "is a directory; give the path of a .yaml catalogue file")],
)
@pytest.mark.parametrize("command", [["check"], ["export", "csv"]])
def test_missing_file_or_directory_exits_2_with_a_clear_message(runner, tmp_path, monkeypatch, command, argument, fragment):
    monkeypatch.chdir(tmp_path)

    result = runner.invoke(main, [*command, argument])

    assert result.exit_code == 2
    assert fragment in result.stderr
    assert result.stdout == ""


def test_path_defaults_to_figures_data(runner, broken, monkeypatch):
    monkeypatch.setenv("FIGURES_DATA", str(broken))

    result = runner.invoke(main, ["check"])

    assert result.exit_code == 1
    assert result.stdout.startswith(f"{broken}:")


def test_argument_wins_over_figures_data(runner, broken, repo, monkeypatch):
    monkeypatch.setenv("FIGURES_DATA", str(broken))

    result = runner.invoke(main, ["check", str(repo / "data" / "figures.yaml")])

    assert result.exit_code == 0


def test_without_path_or_figures_data_it_uses_data_figures_yaml(runner, repo, monkeypatch, tmp_path):
    monkeypatch.chdir(repo)
    assert runner.invoke(main, ["check"]).exit_code == 0
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["check"])
    assert (result.exit_code, "data/figures.yaml: no such file" in result.stderr) == (2, True)


def test_export_csv_writes_the_file(runner, repo, tmp_path):
    out = tmp_path / "claims.csv"

    result = runner.invoke(main, ["export", "csv", str(repo / "data" / "figures.yaml"), "-o", str(out)])

    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == f"wrote 11 claims to {out}\n"
    rows = read_csv(out.read_bytes())
    assert len(rows) == 11 and rows[0]["figure_id"] == "us-equipment-left-value"


def test_export_csv_to_stdout_skips_broken_figures_and_says_so(runner, broken):
    result = runner.invoke(main, ["export", "csv", str(broken)])

    assert result.exit_code == 0
    rows = read_csv(result.stdout_bytes)
    assert [r["figure_id"] for r in rows] == ["good-before"]
    assert result.stderr.count("skipped: ") == 4


def test_export_csv_into_a_missing_folder_exits_2(runner, repo, tmp_path):
    result = runner.invoke(main, ["export", "csv", str(repo / "data" / "figures.yaml"), "-o", str(tmp_path / "nowhere" / "x.csv")])

    assert result.exit_code == 2
    assert "cannot be written (No such file or directory); check that its folder exists" in result.stderr


def test_python_m_figures_check_runs_in_a_real_process(repo):
    done = subprocess.run([sys.executable, "-m", "figures", "check", "data/figures.yaml"], cwd=repo, capture_output=True, text=True, timeout=120)

    assert done.returncode == 0, done.stderr
    assert done.stdout == "data/figures.yaml: OK: 10 figures, 11 claims, 5 sources, 1 stories\n"


def test_python_m_figures_check_reports_problems_in_a_real_process(repo, broken):
    done = subprocess.run([sys.executable, "-m", "figures", "check", str(broken)], cwd=repo, capture_output=True, text=True, timeout=120)

    assert done.returncode == 1
    assert len(done.stdout.splitlines()) == 4
    assert all(PROBLEM_LINE.match(line) for line in done.stdout.splitlines())


def test_python_m_figures_missing_file_exits_2_in_a_real_process(repo, tmp_path):
    done = subprocess.run([sys.executable, "-m", "figures", "check", str(tmp_path / "none.yaml")], cwd=repo, capture_output=True, text=True, timeout=120)

    assert done.returncode == 2
    assert "no such file" in done.stderr
    assert "Traceback" not in done.stderr
