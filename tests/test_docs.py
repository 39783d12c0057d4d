"""The README documents every field of the catalogue, so docs cannot drift from the model."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from figures import loader
from figures.model import Claim, Correction, Figure, Source, Story, Withdrawal

README = Path(__file__).parents[1] / "README.md"
INTERNAL = {"id", "line", "key_lines"}


def _section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^### `{title}`\n(.*?)(?=^### |\Z)", text, re.S | re.M)
    assert match, f"README.md has no section ### `{title}`"
    return match.group(1)


@pytest.mark.parametrize(
    ("section", "model", "keys"),
    [
        ("sources", Source, loader.SOURCE_KEYS),
        ("stories", Story, loader.STORY_KEYS),
        ("figures", Figure, loader.FIGURE_KEYS),
        ("claims", Claim, loader.CLAIM_KEYS),
        ("corrections", Correction, loader.CORRECTION_KEYS),
        ("withdrawn", Withdrawal, loader.WITHDRAWN_KEYS),
    ],
)
def test_every_model_field_is_documented_with_good_and_bad_example(section, model, keys):
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `(\w+)` \|.*$", _section(section), re.M)}
    model_fields = {f.name for f in dataclasses.fields(model)} - INTERNAL
    assert model_fields <= set(keys) | {"id"}, f"{model.__name__} has fields the loader does not read: {model_fields - set(keys)}"
    for key in keys:
        assert key in rows, f"README section {section!r} does not document the field {key!r}"
        cells = [c.strip() for c in rows[key].strip("|").split("|")]
        assert len(cells) == 5 and cells[3] and cells[4], f"field {key!r} needs a good and a bad example in README.md"


def test_readme_gives_the_two_commands():
    text = README.read_text(encoding="utf-8")
    assert "python -m pip install -e . && python -m streamlit run app.py" in text
    assert "bash scripts/test.sh" in text
    assert (README.parent / "scripts" / "test.sh").exists()
