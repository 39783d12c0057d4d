"""Input the checker refuses: ``tests/refused.yaml``, one class of bad input to a figure.

Each class once took the checker, an exporter or the app down, showed a
traceback or misled a reader (issue 11). The file marks every line that must
get a problem with ``# refused: WORDS``; these tests check that each gets one
there, that every ``ok-`` figure around them still loads, and that the app and
every exporter run over what loads, in processes that survive.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap

import pytest

from figures.exports import EXPORTERS
from figures.loader import load
from tests import conftest

REFUSED = conftest.REPO / "tests" / "refused.yaml"
HOSTILE = conftest.REPO / "tests" / "hostile.yaml"
CATALOGUE = load(REFUSED)
LINES = REFUSED.read_text(encoding="utf-8").split("\n")  # editors count \n only; a raw U+2028 is no line end
MARKED = [(i, m.group(1).strip()) for i, line in enumerate(LINES, start=1) if not line.startswith("#") and (m := re.search(r"# refused: (.+)$", line))]
OK_IDS = [m.group(1) for line in LINES if (m := re.match(r"  - id: (ok-[a-z-]+)$", line))]


def test_the_file_holds_every_class_and_a_raw_line_separator():
    assert len(MARKED) >= 19 and len(OK_IDS) >= 6
    first = next(i for i, line in enumerate(LINES) if "id: ok-first" in line)
    assert any("\u2028" in line for line in LINES[first:first + 14]), "the raw line separator is in the first figure"
    assert sum(line > first for line, _ in MARKED) >= 15, "most marked lines come after the line separator"


@pytest.mark.parametrize(("line", "words"), MARKED, ids=[w for _, w in MARKED])
def test_each_marked_line_gets_a_problem_at_that_line_naming_what_is_wrong(line, words):
    here = [p.message for p in CATALOGUE.problems if p.line == line]
    assert any(words.lower() in message.lower() for message in here), (line, words, here or [str(p) for p in CATALOGUE.problems])


def test_a_homoglyph_in_an_id_is_named_with_its_code_point_and_position():
    line = next(i for i, text in enumerate(LINES, start=1) if "humvees-l\u0435ft" in text)
    (message,) = [p.message for p in CATALOGUE.problems if p.line == line]
    assert "U+0435" in message and "10" in message, message


def test_every_figure_around_the_refused_ones_still_loads_and_nothing_refused_does():
    assert [f.id for f in CATALOGUE.figures] == OK_IDS


def test_problems_are_only_at_marked_lines():
    marked = {line for line, _ in MARKED} | {next(i for i, text in enumerate(LINES, start=1) if "humvees-l\u0435ft" in text)}
    stray = [str(p) for p in CATALOGUE.problems if p.line not in marked]
    assert not stray, "false problems, or problems at the wrong line"


def test_check_reports_every_problem_with_file_and_line_and_no_traceback():
    result = subprocess.run([sys.executable, "-m", "figures", "check", str(REFUSED)], capture_output=True, text=True, timeout=120, cwd=conftest.REPO)
    assert result.returncode == 1, result.stderr[-2000:]
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    for line, _ in MARKED:
        assert f"refused.yaml:{line}: " in output


@pytest.mark.parametrize("params", [{}, {"page": "2"}, {"view": "catalogue"}, {"view": "compare"}, *({"figure": i} for i in OK_IDS)],
                         ids=lambda p: "-".join(p.values()) or "home")
def test_the_app_serves_what_loads_and_tells_editors_the_rest(monkeypatch, params):
    at = conftest.run_app(monkeypatch, REFUSED, **params)
    shown = conftest.all_text(at)
    assert "Traceback" not in shown and str(conftest.REPO) not in shown
    if "figure" not in params and params.get("view") != "compare":
        assert any("problem(s) in the catalogue file" in w.value for w in at.warning)


SURVIVOR = textwrap.dedent("""
    import sys
    from figures.exports import EXPORTERS
    from figures.loader import load
    drawn = 0
    for path in sys.argv[1:]:
        catalogue = load(path)
        EXPORTERS["csv"].render(catalogue, None)
        for figure in catalogue.figures:
            for name, fmt in EXPORTERS.items():
                assert fmt.render(catalogue, figure), (figure.id, name)
                drawn += 1
    print("survived", drawn)
""")


def test_one_process_renders_every_export_of_the_hostile_and_refused_catalogues_and_survives():
    result = subprocess.run([sys.executable, "-c", SURVIVOR, str(HOSTILE), str(REFUSED)], capture_output=True, text=True, timeout=600, cwd=conftest.REPO)
    assert result.returncode == 0, result.stderr[-3000:]
    expected = (len(load(HOSTILE).figures) + len(CATALOGUE.figures)) * len(EXPORTERS)
    assert f"survived {expected}" in result.stdout
