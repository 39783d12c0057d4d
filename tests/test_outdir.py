"""Publishing into a folder: what a build refuses to replace, the swap into place, and interrupted builds."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from figures.build import build_site
from figures.loader import load_text
from figures.outdir import Staging, UnsafeOutput, check, foreign_files

ROOT = Path(__file__).resolve().parents[1]


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and modification time, and every link's target."""
    out = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out[key] = (os.readlink(path).encode(), 0)
        elif path.is_file():
            out[key] = (path.read_bytes(), path.stat().st_mtime_ns)
    return out


@pytest.fixture
def site(catalogue_text, tmp_path) -> Path:
    out = tmp_path / "site"
    build_site(load_text(catalogue_text()), out, jobs=1, progress=False)
    return out


# -- what is refused ------------------------------------------------------------------------------

def _symlinked_site(site: Path, tmp_path: Path) -> Path:
    link = tmp_path / "link"
    link.symlink_to(site, target_is_directory=True)
    return link


def _foreign_top_file(site: Path, tmp_path: Path) -> Path:
    (site / "README.txt").write_text("the newsroom's notes")
    return site


def _foreign_index(site: Path, tmp_path: Path) -> Path:
    (site / "index.html").write_text("<!DOCTYPE html><title>Our homepage</title>")
    return site


def _foreign_page_in_a_figure_folder(site: Path, tmp_path: Path) -> Path:
    (site / "target" / "embed.html").write_text("<!DOCTYPE html><p>hand-made</p>")
    return site


def _extra_file_in_a_figure_folder(site: Path, tmp_path: Path) -> Path:
    (site / "target" / "notes.txt").write_text("mine")
    return site


def _symlinked_figure_folder(site: Path, tmp_path: Path) -> Path:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("keep me")
    (site / "target").rename(tmp_path / "moved-target")
    (site / "target").symlink_to(elsewhere, target_is_directory=True)
    return site


def _symlinked_file(site: Path, tmp_path: Path) -> Path:
    (site / "target" / "data.csv").unlink()
    (site / "target" / "data.csv").symlink_to(tmp_path / "elsewhere.csv")
    return site


def _unknown_folder(site: Path, tmp_path: Path) -> Path:
    (site / "Photos").mkdir()
    return site


FOREIGN = {
    "a file the build does not write": (_foreign_top_file, "README.txt"),
    "an index.html the build did not write": (_foreign_index, "index.html"),
    "a hand-made page in a figure's folder": (_foreign_page_in_a_figure_folder, "embed.html"),
    "an extra file in a figure's folder": (_extra_file_in_a_figure_folder, "notes.txt"),
    "a symbolic link to a folder": (_symlinked_figure_folder, "target"),
    "a symbolic link to a file": (_symlinked_file, "data.csv"),
    "a folder that is not a figure's": (_unknown_folder, "Photos"),
}


@pytest.mark.parametrize("case", list(FOREIGN))
def test_a_folder_holding_what_a_build_did_not_write_is_refused_and_left_as_it_was(site, tmp_path, catalogue_text, case):
    make, named = FOREIGN[case]
    out = make(site, tmp_path)
    before = snapshot(out)

    with pytest.raises(UnsafeOutput, match=rf"holds files a build did not write \(.*{named}.*--force"):
        build_site(load_text(catalogue_text("- value: 5", "- value: 6")), out, jobs=1, progress=False)

    assert snapshot(out) == before
    assert not [p for p in out.parent.iterdir() if ".building-" in p.name]


@pytest.mark.parametrize("case", ["a symbolic link to a folder", "an index.html the build did not write"])
def test_force_replaces_such_a_folder_and_never_writes_through_a_link(site, tmp_path, catalogue_text, case):
    make, _ = FOREIGN[case]
    out = make(site, tmp_path)

    build_site(load_text(catalogue_text()), out, jobs=1, progress=False, force=True)

    assert foreign_files(out) == []
    assert not (out / "target").is_symlink() and (out / "target" / "index.html").is_file()
    if (tmp_path / "elsewhere").exists():
        assert [p.name for p in (tmp_path / "elsewhere").iterdir()] == ["precious.txt"]


def test_the_output_folder_itself_a_symbolic_link_is_refused(site, tmp_path, catalogue_text):
    link = _symlinked_site(site, tmp_path)

    with pytest.raises(UnsafeOutput, match="is a symbolic link"):
        build_site(load_text(catalogue_text()), link, jobs=1, progress=False, force=True)


@pytest.mark.parametrize(("where", "message"), [
    ("root", "is the root folder"),
    ("home", "is your home folder"),
    ("current folder", "holds the folder the build runs in"),
    ("parent of the current folder", "holds the folder the build runs in"),
    ("folder of the catalogue", "holds the catalogue"),
])
def test_folders_a_build_must_never_replace_are_refused_even_with_force(tmp_path, monkeypatch, catalogue_text, where, message):
    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    catalogue_file = project / "data" / "figures.yaml"
    catalogue_file.write_text(catalogue_text())
    monkeypatch.chdir(project)
    out = {"root": Path("/"), "home": Path.home(), "current folder": Path("."), "parent of the current folder": tmp_path,
           "folder of the catalogue": project / "data"}[where]
    if where == "folder of the catalogue":
        monkeypatch.chdir(tmp_path)
    protected = {"the folder the build runs in": Path.cwd(), "the catalogue": catalogue_file}

    with pytest.raises(UnsafeOutput, match=message):
        check(out, protected, force=True)


def test_the_cli_refuses_the_project_folder_with_a_message_and_exit_2(repo):
    done = subprocess.run([sys.executable, "-m", "figures", "build", "data/figures.yaml", "-o", ".", "--no-progress"],
                          cwd=repo, capture_output=True, text=True, timeout=60)

    assert done.returncode == 2
    assert "holds the folder the build runs in" in done.stderr and "Traceback" not in done.stderr


# -- the swap ----------------------------------------------------------------------------------

def test_a_staging_folder_is_removed_when_the_build_fails_and_the_site_stays(site):
    before = snapshot(site)

    with pytest.raises(RuntimeError), Staging(site) as staging:
        (staging.path / "index.html").write_text("half a site")
        raise RuntimeError("the build failed")

    assert snapshot(site) == before
    assert sorted(p.name for p in site.parent.iterdir()) == ["site", "site.cache"]


def test_publishing_swaps_the_whole_folder_in_at_once(site):
    with Staging(site) as staging:
        (staging.path / "index.html").write_text("the new site")
        staging.publish()

    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert sorted(p.name for p in site.parent.iterdir()) == ["site", "site.cache"]


def test_a_killed_builds_staging_folder_is_removed_by_the_next_build(site, catalogue_text):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    abandoned = site.parent / f".site.building-{dead.pid}"
    abandoned.mkdir()
    (abandoned / "index.html").write_text("half a site")

    build_site(load_text(catalogue_text()), site, jobs=1, progress=False)

    assert not abandoned.exists()


# -- interrupted builds ------------------------------------------------------------------------

def _generated(n: int) -> str:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate(n, 0)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def big_site(tmp_path_factory) -> tuple[Path, Path]:
    """A 40-figure catalogue, built once: (the catalogue file, the site)."""
    folder = tmp_path_factory.mktemp("interrupted")
    catalogue = folder / "figures.yaml"
    catalogue.write_text(_generated(40))
    out = folder / "site"
    done = subprocess.run([sys.executable, "-m", "figures", "build", str(catalogue), "-o", str(out), "-j", "2", "--no-progress"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return catalogue, out


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_rebuild_leaves_the_previous_site_byte_identical_and_no_process_behind(big_site, tmp_path, signum, code):
    catalogue, out = big_site
    before = snapshot(out)
    staging = out.parent / ".site.building-"
    # A fresh cache, so that every figure is drawn again and the build is mid-way when the signal comes.
    build = subprocess.Popen([sys.executable, "-m", "figures", "build", str(catalogue), "-o", str(out), "-j", "2",
                              "--no-progress", "--cache", str(tmp_path / "cache")], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and build.poll() is None:
        folders = [p for p in out.parent.iterdir() if p.name.startswith(staging.name)]
        if folders and sum(1 for p in folders[0].iterdir() if p.is_dir()) >= 3 and len(_children(build.pid)) >= 2:
            break
        time.sleep(0.05)
    assert build.poll() is None, "the build ended before it could be interrupted"
    workers = _children(build.pid)

    build.send_signal(signum)
    _, stderr = build.communicate(timeout=60)

    assert build.returncode == code, stderr
    assert "interrupted: nothing was published" in stderr and "Traceback" not in stderr
    assert snapshot(out) == before
    assert not [p for p in out.parent.iterdir() if p.name.startswith(staging.name)]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_running(pid) for pid in workers):
        time.sleep(0.1)
    assert workers and not [pid for pid in workers if _running(pid)]
