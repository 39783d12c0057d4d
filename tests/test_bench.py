"""The benchmark cannot rot: its generator makes valid catalogues, and its quick run completes.

Speed is measured by ``bench/run.py``, never asserted here: these tests only
check that the benchmark still runs against the current code and prints a
ratio for every measure.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from figures import formatting
from figures.loader import load_text

ROOT = Path(__file__).resolve().parents[1]
RATIO = re.compile(r"^(?P<name>\S.*?)\s+N=(?P<n>\d+)\s+floor .* ratio\s+>?\s*(?P<ratio>\d+\.\d+)x\s+target (?:<= \d+\.\d+x|-)\s+(?:OK|OVER|info)\b")


def _generate_module():
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_catalogue_is_valid_deterministic_and_mixed():
    generate = _generate_module().generate
    text = generate(400, seed=3)
    assert text == generate(400, seed=3)
    assert text != generate(400, seed=4)
    catalogue = load_text(text)
    assert catalogue.problems == ()
    assert len(catalogue.figures) == 400 and len(catalogue.stories) == 40 and len(catalogue.sources) == 50
    claims = [c for f in catalogue.figures for c in f.claims]
    assert {c.qualifier.value for c in claims} == {"exact", "approximately", "more_than", "at_least", "less_than", "at_most", "range"}
    assert {c.confidence.value for c in claims} == {"confirmed", "reported", "claimed", "unverified"}
    assert {f.unit for f in catalogue.figures} == {"USD", "GBP", "vehicle", "missile", "percent", "day", "piece"}
    shapes = Counter("one" if len(f.claims) == 1 else "competing" if formatting.is_competing(f) else "series" for f in catalogue.figures)
    assert shapes["one"] and shapes["series"] and shapes["competing"]
    assert any(c.via for c in claims) and any(c.reliability for c in claims)
    assert re.search(r"^    tags: \[", text, re.M) and re.search(r"^    tags:\n      - ", text, re.M)
    assert re.search(r"^        via: \[", text, re.M) and re.search(r"^        via:\n          - ", text, re.M)


@pytest.mark.browser  # its first-chart rows drive Chromium
def test_quick_benchmark_completes_and_prints_every_ratio():
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick"], cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, f"bench/run.py --quick failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
    summary = done.stdout.split("summary (", 1)[-1]
    measured = {m["name"] for line in summary.splitlines() if (m := RATIO.match(line))}
    expected = {"load and validate", "first chart, home", "whole home page drawn", "rerun after search, catalogue view",
                "peak memory, server", "peak memory, figures check"}
    assert expected <= measured, f"missing ratio lines for {expected - measured}:\n{done.stdout}"
    build = [line for line in summary.splitlines() if line.startswith("figures build, per figure")]
    assert len(build) == 1 and RATIO.match(build[0]), build
