"""The ``figures-check`` pre-commit hook (``.pre-commit-hooks.yaml``), run by pre-commit in a temporary git repository.

pre-commit installs this project into its own environment, as it would for a
newsroom's repository, and runs the hook on the catalogue there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

HOOKS = REPO / ".pre-commit-hooks.yaml"


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    """pre-commit's cache, shared by this module's runs so the hook's environment is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def newsroom(tmp_path, catalogue_text) -> Path:
    """A newsroom's repository: its catalogue in data/, committed."""
    repo = tmp_path / "newsroom"
    (repo / "data").mkdir(parents=True)
    (repo / "data" / "figures.yaml").write_text(catalogue_text(), encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    return repo


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=_env(repo))


def _env(repo: Path, home: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(GIT_AUTHOR_NAME="Test", GIT_AUTHOR_EMAIL="test@example.invalid", GIT_COMMITTER_NAME="Test",
               GIT_COMMITTER_EMAIL="test@example.invalid", GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    if home is not None:
        env["PRE_COMMIT_HOME"] = str(home)
    return env


def _run_hook(repo: Path, home: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "figures-check", "--all-files", "--color", "never"],
                          cwd=repo, capture_output=True, text=True, timeout=600, env=_env(repo, home))


def test_the_hook_file_offers_figures_check():
    (hook,) = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))

    assert hook["id"] == "figures-check" and hook["entry"] == "python -m figures check"
    assert hook["language"] == "python" and hook["pass_filenames"] is False


@pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")
def test_the_hook_passes_a_good_catalogue_and_refuses_a_broken_one_with_its_lines(newsroom, home):
    good = _run_hook(newsroom, home)
    catalogue = newsroom / "data" / "figures.yaml"
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(text.replace("unit: missile", "unit: missle"), encoding="utf-8")
    _git(newsroom, "add", ".")
    broken = _run_hook(newsroom, home)

    assert good.returncode == 0, good.stdout + good.stderr
    assert "figures check" in good.stdout and "Passed" in good.stdout
    assert broken.returncode == 1, broken.stdout + broken.stderr
    line = text.split("\n").index("    unit: missile") + 1
    assert f"data/figures.yaml:{line}: unit: unknown unit 'missle': did you mean 'missile'?" in broken.stdout
    assert "Failed" in broken.stdout and "Traceback" not in broken.stdout
