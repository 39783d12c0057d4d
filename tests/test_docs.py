"""The README documents every field of the catalogue, so docs cannot drift from the model."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).parents[1] / "README.md"
INTERNAL = {"id", "line", "key_lines"}


def _section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^### `{title}`\n(.*?)(?=^### |\Z)", text, re.S | re.M)
    assert match, f"README.md has no section ### `{title}`"
    return match.group(1)


def test_readme_gives_the_two_commands():
    text = README.read_text(encoding="utf-8")
    assert "python -m pip install -e . && python -m streamlit run app.py" in text
    assert "bash scripts/test.sh" in text
    assert (README.parent / "scripts" / "test.sh").exists()


def test_every_file_the_readme_links_or_shows_is_in_the_repository():
    text = README.read_text(encoding="utf-8")
    targets = re.findall(r"\]\(((?!https?:|#|mailto:)[^)\s]+)\)", text)

    assert any(t.startswith("docs/") and t.endswith(".png") for t in targets)
    missing = [t for t in targets if not (README.parent / t.split("#")[0]).exists()]
    assert missing == []
