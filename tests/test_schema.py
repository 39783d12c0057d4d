"""The catalogue format as data (:mod:`figures.schema`): one source for the loader, the README and the JSON Schema."""

from __future__ import annotations

import copy
import dataclasses
import json
import re
import subprocess
import sys

import jsonschema
import pytest
import yaml

from figures import loader, schema
from figures.model import Claim, Correction, Figure, LeftOut, Source, Story, Withdrawal
from tests.conftest import REPO

README = REPO / "README.md"
COMMITTED = REPO / "figures" / "catalogue.schema.json"
SEED = REPO / "data" / "figures.yaml"
HOSTILE = REPO / "tests" / "hostile.yaml"
INTERNAL = {"id", "line", "key_lines", "path", "declared_unit", "checked"}


class _AsWritten(yaml.SafeLoader):
    """YAML as the YAML language server reads it (1.2 core schema): dates stay the text they were written as."""


_AsWritten.yaml_implicit_resolvers = copy.deepcopy(yaml.SafeLoader.yaml_implicit_resolvers)
for first, resolvers in _AsWritten.yaml_implicit_resolvers.items():
    _AsWritten.yaml_implicit_resolvers[first] = [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]


def _as_editor_sees(path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_AsWritten)  # noqa: S506 (a SafeLoader subclass)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    document = schema.json_schema()
    jsonschema.Draft202012Validator.check_schema(document)
    return jsonschema.Draft202012Validator(document)


def test_the_committed_schema_is_what_the_command_prints():
    done = subprocess.run([sys.executable, "-m", "figures", "schema"], cwd=REPO, capture_output=True, text=True, timeout=120)

    assert done.returncode == 0
    assert json.loads(done.stdout) == json.loads(COMMITTED.read_text(encoding="utf-8")) == schema.json_schema(), (
        "figures/catalogue.schema.json is stale: run python -m figures schema > figures/catalogue.schema.json")


def test_the_seed_starts_with_the_schema_line_editors_read():
    first = SEED.read_text(encoding="utf-8").split("\n", 1)[0]

    assert first == "# yaml-language-server: $schema=../figures/catalogue.schema.json"
    assert (SEED.parent / "../figures/catalogue.schema.json").resolve() == COMMITTED


@pytest.mark.parametrize("path", [SEED, HOSTILE], ids=["seed", "hostile"])
def test_the_schema_accepts_catalogues_the_checker_accepts(validator, path):
    assert loader.load(path).problems == ()

    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(_as_editor_sees(path))]

    assert errors == []


def test_the_schema_accepts_a_catalogue_with_units_corrections_and_withdrawals(validator, catalogue_text):
    text = catalogue_text("confidence_note: because\n", "confidence_note: because\n    corrections:\n      - date: 2023-02-01\n        note: It was 4.\n",
                          before="sources:", insert="units:\n  truck: {is: vehicle}\n  aircraft: {is: vehicle, plural: aircraft}\n")
    text += "withdrawn:\n  - id: gone\n    date: 2023-03-01\n    note: Retracted.\n"

    assert [e.message for e in validator.iter_errors(yaml.load(text, Loader=_AsWritten))] == []  # noqa: S506


MISTAKES = [
    # (where, the mistake, what the schema says)
    ("top-level", ("soruces", {}), "Additional properties are not allowed ('soruces' was unexpected)"),
    ("figure", ("figures", 0, "topik", "t"), "Additional properties are not allowed ('topik' was unexpected)"),
    ("claim", ("figures", 0, "claims", 0, "qualifer", "exact"), "Additional properties are not allowed ('qualifer' was unexpected)"),
    ("source", ("sources", "firstpost", "url", "www.firstpost.com"), "does not match"),
    ("qualifier", ("figures", 0, "claims", 0, "qualifier", "roughly"), "is not one of"),
    ("source-id", ("sources", "Foreign Policy", {"name": "FP", "kind": "news report"}), "does not match"),
    ("unit", ("units", "truck", {"is": "vehicle", "plurale": "trucks"}), "Additional properties are not allowed ('plurale' was unexpected)"),
]


@pytest.mark.parametrize(("path", "message"), [m[1:] for m in MISTAKES], ids=[m[0] for m in MISTAKES])
def test_the_schema_flags_a_misspelt_key_or_a_wrong_value(validator, path, message):
    data = _as_editor_sees(SEED)
    *parents, key, value = path
    node = data
    for step in parents:
        node = node.setdefault(step, {}) if isinstance(step, str) else node[step]
    node[key] = value

    messages = [e.message for e in validator.iter_errors(data)]

    assert any(message in m for m in messages), messages


def test_the_loader_takes_its_keys_from_the_schema():
    for section, keys in [("catalogue", loader.TOP_KEYS), ("units", loader.UNIT_KEYS), ("sources", loader.SOURCE_KEYS),
                          ("stories", loader.STORY_KEYS), ("figures", loader.FIGURE_KEYS), ("claims", loader.CLAIM_KEYS),
                          ("corrections", loader.CORRECTION_KEYS), ("withdrawn", loader.WITHDRAWN_KEYS),
                          ("left_out", loader.LEFT_OUT_KEYS)]:
        assert keys == schema.keys(section)
    assert schema.keys("units") == ("is", "dimension", "plural")


@pytest.mark.parametrize(
    ("section", "model"),
    [("sources", Source), ("stories", Story), ("figures", Figure), ("claims", Claim), ("corrections", Correction), ("withdrawn", Withdrawal),
     ("left_out", LeftOut)],
)
def test_every_model_field_is_in_the_schema_with_a_good_and_a_bad_example(section, model):
    fields = {f.name for f in dataclasses.fields(model)} - INTERNAL
    documented = schema._data()[section]["fields"]

    assert fields <= set(documented), f"{model.__name__} has fields the format does not document: {fields - set(documented)}"
    for name, entry in documented.items():
        assert entry["good"] and entry["bad"] and entry["meaning"], f"{section}.{name} needs a meaning, a good and a bad example"


@pytest.mark.parametrize("section", schema.SECTIONS)
def test_the_readme_holds_the_tables_the_schema_writes(section):
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^### `{section}`\n(.*?)(?=^##)", text, re.S | re.M)

    assert match, f"README.md has no section ### `{section}`"
    assert schema.markdown_table(section) in match.group(1), (
        f"README's {section} table differs from figures/schema.yaml: paste it from python -m figures schema --format markdown")


def test_each_field_of_the_schema_carries_its_description_and_examples():
    document = schema.json_schema()
    value = document["$defs"]["claim"]["properties"]["value"]
    as_of = document["$defs"]["claim"]["properties"]["as_of"]

    assert value["description"] == "the number, in the figure's unit" and value["examples"] == [7000000000]
    assert as_of["examples"] == ["2022-11"]
    assert document["additionalProperties"] is False
    assert all(d.get("additionalProperties") is False for d in document["$defs"].values())
