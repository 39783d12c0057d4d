"""The command line: exit codes 0/1/2, one line per problem, $FIGURES_DATA, and the CSV export."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from figures.cli import main
from figures.exports import EXPORTERS, read_csv
from figures.loader import load
from figures.render import TIMEOUT_ENV

PROBLEM_LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+): (?P<what>[^\n]+?); (?P<fix>[^\n]+)$")


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
    assert result.stdout == "data/figures.yaml: OK: 10 figures, 11 claims (11 quotes checked against archived texts), 5 sources, 1 stories\n"
    assert result.stderr == ""


def test_check_invalid_catalogue_exits_1_listing_every_problem_once(runner, broken):
    expected = load(broken).problems

    result = runner.invoke(main, ["check", str(broken)])

    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if ": warning: " not in line]  # the story names no archived text
    assert lines == [str(p) for p in expected]
    assert len(lines) == 4
    for line in lines:
        match = PROBLEM_LINE.match(line)
        assert match, line
        assert match["path"] == str(broken)
    assert {int(PROBLEM_LINE.match(x)["line"]) for x in lines} == {p.line for p in expected}
    assert result.stderr == "4 problem(s), 1 warning(s); 1 figure(s) are valid\n"


@pytest.mark.parametrize("command", [["check"], ["export", "csv"]])
def test_a_missing_file_exits_2_with_a_clear_message(runner, tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)

    result = runner.invoke(main, [*command, "absent.yaml"])

    assert result.exit_code == 2
    assert "absent.yaml: no such file; give the path of a catalogue, or set FIGURES_DATA" in result.stderr
    assert result.stdout == ""


def test_a_folder_without_catalogue_files_is_one_problem_and_exit_1(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    result = runner.invoke(main, ["check", "."])

    assert result.exit_code == 1
    assert result.stdout == ".:1: the folder . holds no .yaml file; put one catalogue file per story in it, e.g. russia-taliban.yaml\n"


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
    assert done.stdout == "data/figures.yaml: OK: 10 figures, 11 claims (11 quotes checked against archived texts), 5 sources, 1 stories\n"


def test_python_m_figures_check_reports_problems_in_a_real_process(repo, broken):
    done = subprocess.run([sys.executable, "-m", "figures", "check", str(broken)], cwd=repo, capture_output=True, text=True, timeout=120)

    assert done.returncode == 1
    assert len([line for line in done.stdout.splitlines() if ": warning: " not in line]) == 4
    assert all(PROBLEM_LINE.match(line) for line in done.stdout.splitlines())


def test_python_m_figures_missing_file_exits_2_in_a_real_process(repo, tmp_path):
    done = subprocess.run([sys.executable, "-m", "figures", "check", str(tmp_path / "none.yaml")], cwd=repo, capture_output=True, text=True, timeout=120)

    assert done.returncode == 2
    assert "no such file" in done.stderr
    assert "Traceback" not in done.stderr


# -- one figure in one format -----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["png", "svg", "html", "vl.json"])
def test_export_of_one_figure_writes_the_same_bytes_as_the_app_download(runner, repo, tmp_path, fmt):
    catalogue = load(repo / "data" / "figures.yaml")
    out = tmp_path / f"chart.{fmt}"

    result = runner.invoke(main, ["export", fmt, "humvees-left", str(repo / "data" / "figures.yaml"), "-o", str(out)])

    assert result.exit_code == 0, result.output
    assert out.read_bytes() == EXPORTERS[fmt].render(catalogue, catalogue.figure("humvees-left"))
    assert result.stderr == f"wrote the {fmt} file of humvees-left to {out}\n"
    assert result.stdout == ""


def test_export_of_one_figure_to_standard_output_reads_figures_data(runner, repo, monkeypatch):
    monkeypatch.setenv("FIGURES_DATA", str(repo / "data" / "figures.yaml"))
    catalogue = load(repo / "data" / "figures.yaml")

    result = runner.invoke(main, ["export", "svg", "humvees-left"])

    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == EXPORTERS["svg"].render(catalogue, catalogue.figure("humvees-left"))


@pytest.mark.parametrize(("figure_id", "code", "message"), [
    ("no-such-figure", 2, "no figure 'no-such-figure'; give the id of one of its figures"),
    ("target", 1, "no valid figure 'target'; the problems above may concern it"),
])
def test_export_of_a_figure_that_is_not_a_valid_one_says_so(runner, catalogue_text, write, figure_id, code, message):
    text = catalogue_text("unit: vehicle", "unit: humvee") if code == 1 else catalogue_text()
    path = write(text)

    result = runner.invoke(main, ["export", "png", figure_id, str(path)])

    assert result.exit_code == code
    assert f"{path}: {message}" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_python_m_figures_export_of_an_image_the_renderer_fails_on_prints_one_calm_line_and_exits_1(repo, tmp_path, fmt):
    """A renderer that never answers in time (a file cannot carry a title vl-convert crashes on: the checker refuses it)."""
    out = tmp_path / f"chart.{fmt}"

    done = subprocess.run([sys.executable, "-m", "figures", "export", fmt, "humvees-left", "data/figures.yaml", "-o", str(out)],
                          cwd=repo, capture_output=True, text=True, timeout=120, env={**os.environ, TIMEOUT_ENV: "0.001"})

    assert done.returncode == 1
    assert done.stderr == f"Error: humvees-left: its {fmt} file could not be drawn: the drawing process did not start within 0.001 s\n"
    assert done.stdout == "" and not out.exists()


def test_check_never_loads_altair_or_pandas_so_an_editors_hook_starts_fast(repo):
    """`figures check` runs on every commit (the pre-commit hook): the charting and table libraries cost it 0.4 s for nothing."""
    probe = ("import sys\nfrom figures.cli import main\ntry:\n    main(['check', 'data/figures.yaml'])\nexcept SystemExit as done:\n"
             "    code = done.code\nprint(code, sorted(m for m in ('altair', 'pandas', 'streamlit') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=repo, capture_output=True, text=True, timeout=120, check=False)

    assert result.stdout.strip().splitlines()[-1] == "0 []", result.stdout + result.stderr
