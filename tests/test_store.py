"""The app's catalogue store: reload on change, keep the last good version on faults."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyarrow as pa
import pytest

from figures import charts
from figures.loader import load
from figures.store import CatalogueStore, Snapshot, display_path

DATA = Path(__file__).parents[1] / "data" / "figures.yaml"


@pytest.fixture
def catalogue_file(tmp_path: Path) -> Path:
    path = tmp_path / "figures.yaml"
    shutil.copy(DATA, path)
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    return path


def _touch(path: Path, text: str, when_ns: int) -> None:
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(when_ns, when_ns))


def test_same_file_version_is_loaded_once(catalogue_file):
    store = CatalogueStore(catalogue_file)
    first = store.status().snapshot
    assert store.status().snapshot is first
    assert len(first.catalogue.figures) == 10


def test_an_edit_shows_on_the_next_request(catalogue_file):
    store = CatalogueStore(catalogue_file)
    before = store.status().snapshot
    text = catalogue_file.read_text(encoding="utf-8").replace("title: Humvees left in Afghanistan", "title: Humvees abandoned in Afghanistan")
    _touch(catalogue_file, text, 2_000_000_000)
    after = store.status().snapshot
    assert after is not before
    assert after.catalogue.figure("humvees-left").title == "Humvees abandoned in Afghanistan"


def test_missing_file_serves_last_good_version_with_a_notice(catalogue_file):
    store = CatalogueStore(catalogue_file)
    good = store.status().snapshot
    catalogue_file.unlink()
    status = store.status()
    assert status.snapshot is good
    assert "is missing" in status.notice and "last good version" in status.notice


def test_broken_file_serves_last_good_version_and_says_it_is_broken(catalogue_file):
    store = CatalogueStore(catalogue_file)
    good = store.status().snapshot
    _touch(catalogue_file, "sources: [\n", 3_000_000_000)
    status = store.status()
    assert status.snapshot is good
    assert "is broken" in status.notice


@pytest.mark.parametrize("fault", ["missing", "unreadable", "broken"])
def test_notices_name_the_file_but_never_the_servers_absolute_path(catalogue_file, fault):
    store = CatalogueStore(catalogue_file)
    store.status()
    if fault == "missing":
        catalogue_file.unlink()
    elif fault == "unreadable":
        catalogue_file.unlink()
        catalogue_file.mkdir()  # a folder where the file was: reading it is an OSError
    else:
        _touch(catalogue_file, "sources: [\n", 3_000_000_000)
    notice = store.status().notice
    assert "figures.yaml" in notice
    assert str(catalogue_file.parent) not in notice, notice


@pytest.mark.parametrize(("inside", "shown"), [(True, "data/figures.yaml"), (False, "figures.yaml")])
def test_display_path_is_relative_inside_the_working_folder_and_the_bare_name_outside(tmp_path, monkeypatch, inside, shown):
    (tmp_path / "data").mkdir()
    path = tmp_path / "data" / "figures.yaml"
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path if inside else tmp_path / "elsewhere")
    assert display_path(path) == shown


RAISED_ON_E986850 = {
    "bracketed host": ("    url: https://example.org/x", "    url: http://[cnn.com]/x"),
    "full-width slash in the host": ("    url: https://example.org/x", "    url: http://cnn.com\uff0fx/y"),
    "401 digits": ("      - value: 23825", "      - value: " + "9" * 401),
    "5,000 digits": ("      - value: 23825", "      - value: " + "9" * 5000),
    "an undefined pint unit inside a product": ("    unit: vehicle", '    unit: "degC / dB"'),
}
"""Inputs that made the loader itself raise (and every page of the app go down) at e986850."""


@pytest.mark.parametrize(("old", "new"), list(RAISED_ON_E986850.values()), ids=list(RAISED_ON_E986850))
def test_an_input_that_once_made_the_loader_raise_serves_the_valid_rest(tmp_path, old, new):
    text = DATA.read_text(encoding="utf-8")
    if "url:" in old:  # give the first source a link to break
        text = text.replace("    kind: news report\n", "    kind: news report\n" + old + "\n", 1)
    assert text.count(old + "\n") >= 1, old
    path = tmp_path / "figures.yaml"
    path.write_text(text.replace(old + "\n", new + "\n", 1), encoding="utf-8")
    status = CatalogueStore(path).status()
    assert status.snapshot is not None and status.notice is None
    catalogue = status.snapshot.catalogue
    assert catalogue.problems, "the bad input was accepted"
    assert all(p.line > 1 for p in catalogue.problems), [str(p) for p in catalogue.problems]
    assert len(catalogue.figures) >= 9, "more than the entry holding the bad input was dropped"


TRUNCATED_AT = {
    # where the cut falls: (the text the file ends in, the needle on the reported line, the problems' codes there)
    "inside a title": ("title: Russia's stock of Isk", "- id: russia-iskander-stock", ["missing-field", "missing-field", "missing-field", "no-topic"]),
    "inside a quote": ('quote: "According to Ukr', 'quote: "According to Ukr', ["yaml-syntax"]),
}


@pytest.mark.parametrize(("ends", "needle", "codes"), list(TRUNCATED_AT.values()), ids=list(TRUNCATED_AT))
def test_truncated_file_is_served_with_the_problems_of_its_cut_figure_never_as_complete(catalogue_file, ends, needle, codes):
    """A save cut short: the figures before the cut are served, the cut one is reported at its line, none after it pretends to be there."""
    store = CatalogueStore(catalogue_file)
    whole = store.status().snapshot.catalogue
    text = catalogue_file.read_text(encoding="utf-8")
    cut = text[: text.index(ends) + len(ends)]
    line = next(number for number, row in enumerate(cut.split("\n"), start=1) if needle in row)
    _touch(catalogue_file, cut, 4_000_000_000)

    status = store.status()

    served = status.snapshot.catalogue
    assert status.notice is None  # a catalogue with problems is what the file holds; the app lists them for editors
    assert [f.id for f in served.figures] == [f.id for f in whole.figures[: [f.id for f in whole.figures].index("russia-iskander-stock")]]
    assert sorted((p.line, p.code) for p in served.problems) == [(line, code) for code in codes]
    assert not served.ok


def test_a_file_cut_just_after_figures_keeps_the_last_good_catalogue_with_a_notice(catalogue_file):
    """Cut right after ``figures:``, a file reads as no figures at all: an empty-section problem, never an empty catalogue served as whole."""
    store = CatalogueStore(catalogue_file)
    whole = store.status().snapshot.catalogue
    text = catalogue_file.read_text(encoding="utf-8")
    cut = text[: text.index("\nfigures:\n") + len("\nfigures:\n")]
    _touch(catalogue_file, cut, 4_000_000_000)

    status = store.status()

    assert status.snapshot.catalogue is whole
    assert status.notice is not None and "broken (1 problem(s)); showing the last good version" in status.notice
    (problem,) = store._current.catalogue.problems
    assert (problem.code, problem.line) == ("empty-section", cut.count("\n"))


def test_partial_failure_serves_every_good_figure(catalogue_file):
    store = CatalogueStore(catalogue_file)
    text = catalogue_file.read_text(encoding="utf-8").replace("unit: piece", "unit: pieces of eight $")
    _touch(catalogue_file, text, 5_000_000_000)
    status = store.status()
    catalogue = status.snapshot.catalogue
    assert len(catalogue.figures) == 9
    assert catalogue.figure("night-vision-equipment-left") is None
    assert any("unit" in p.message for p in catalogue.problems)


def test_no_file_and_no_earlier_version_has_nothing_to_serve(tmp_path):
    status = CatalogueStore(tmp_path / "absent.yaml").status()
    assert status.snapshot is None
    assert "no earlier version" in status.notice


@pytest.mark.parametrize("figure_id", [f.id for f in load(DATA).figures])
def test_app_specs_carry_every_row_of_every_dataset_as_arrow(figure_id):
    """The cached specs hold Arrow bytes; a dataset that lost rows (the one-row ``[{}]`` of the text layers) drew no title lines."""
    catalogue = load(DATA)
    spec = Snapshot(catalogue, (0, 0)).figure_spec(figure_id)
    plain = charts.figure_chart(catalogue.figure(figure_id), catalogue).to_dict(validate=False)
    assert set(spec["datasets"]) == set(plain["datasets"])
    for name, rows in plain["datasets"].items():
        table = pa.ipc.open_stream(spec["datasets"][name]).read_all()
        assert table.num_rows == len(rows), name
        for column in table.column_names:
            assert table.column(column).to_pylist() == [row.get(column) for row in rows], (name, column)
