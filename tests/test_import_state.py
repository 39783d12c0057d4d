"""Importing figures changes nothing of its host's Altair: no theme enabled or registered, validation left as it was.

Each check runs in a fresh interpreter, so nothing another test imported or
enabled first can hide a change.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import figures

ROOT = Path(__file__).resolve().parents[1]
SKIPPED = {"figures.ui", "figures.__main__"}
"""figures.ui imports Streamlit (the app's own host); figures.__main__ runs the command line."""
MODULES = sorted(f"figures.{m.name}" for m in pkgutil.iter_modules(figures.__path__) if f"figures.{m.name}" not in SKIPPED)

STATE = """
import altair as alt
from altair.utils import schemapi

def state():
    return {
        "theme": alt.theme.active,
        "themes": sorted(alt.theme.names()),
        "debug_mode": schemapi.DEBUG_MODE,
        "renderer": alt.renderers.active,
        "data_transformer": alt.data_transformers.active,
    }
"""


def run(code: str) -> dict:
    """Run ``code`` (after :data:`STATE`) in a fresh interpreter at the repository's root; it prints one JSON object."""
    done = subprocess.run([sys.executable, "-c", STATE + code], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_modules_under_test_include_the_charts_and_the_exports():
    assert {"figures.charts", "figures.exports", "figures.theme", "figures.textfit", "figures.labels"} <= set(MODULES)


def test_importing_every_figures_module_and_building_charts_leaves_altair_as_it_was():
    result = run(f"""
import importlib, json
before = state()
for name in {MODULES!r}:
    importlib.import_module(name)
imported = state()
from pathlib import Path
from figures import charts, loader
catalogue = loader.load(Path("data") / "figures.yaml")
for figure in catalogue.figures:
    charts.figure_chart(figure, catalogue).to_dict(validate=False)
    charts.figure_chart(figure, catalogue, width=640).to_dict(validate=False)
for story in catalogue.stories:
    for group in charts.comparison_groups(catalogue, story):
        charts.comparison_chart(group, catalogue).to_dict(validate=False)
built = state()
print(json.dumps({{"before": before, "imported": imported, "built": built}}))
""")
    before = result["before"]
    assert before["theme"] == "default" and before["debug_mode"] is True, "a fresh Altair, as a host gets it"
    assert result["imported"] == before, "importing changed Altair's global state"
    assert result["built"] == before, "building and drawing charts left Altair's global state changed"


def test_a_chart_carries_the_house_theme_with_no_theme_enabled():
    result = run("""
import json
from pathlib import Path
from figures import charts, loader, theme
catalogue = loader.load(Path("data") / "figures.yaml")
figure = catalogue.figure("humvees-left")
specs = [charts.figure_chart(figure, catalogue, width=width).to_dict() for width in (None, 640)]
print(json.dumps({"state": state(), "specs": specs, "house": theme.house_theme()}))
""")
    assert result["state"]["theme"] == "default"
    house = result["house"]
    for spec in result["specs"]:
        assert spec["background"] == house["background"] == "#FFFFFF"
        assert spec["padding"] == house["padding"]
        assert spec["config"]["font"] == house["config"]["font"]
        assert spec["config"]["font"].startswith("DejaVu Sans")
        assert spec["config"] == house["config"], "the host's default theme adds nothing the house theme does not say"


def test_overlapping_unvalidated_blocks_put_back_what_the_host_had():
    """Builders in several threads overlap: the last to leave restores the host's switch, whichever entered first."""
    from altair.utils import schemapi

    from figures.theme import unvalidated

    for host in (True, False):
        with schemapi.debug_mode(host):
            first, second = unvalidated(), unvalidated()
            first.__enter__()
            second.__enter__()
            first.__exit__(None, None, None)  # the first to enter leaves first
            assert schemapi.DEBUG_MODE is False, "still off while a block runs"
            second.__exit__(None, None, None)
            assert schemapi.DEBUG_MODE is host
