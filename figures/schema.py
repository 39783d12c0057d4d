"""The catalogue format as data: one source for the loader's keys, the README's field tables and the JSON Schema.

``schema.yaml`` lists every section's fields, in order, with whether each is
required, what it means, a good and a bad example, and a type. The loader
takes its accepted keys from here (:func:`keys`), ``README.md`` holds the
tables :func:`markdown_table` writes (a test keeps them equal), and
:func:`json_schema` turns the types into a JSON Schema (draft 2020-12) for
editors: VS Code and any editor using the YAML language server autocomplete
fields and underline mistakes while typing. The loader stays the authority
for messages (``file:line``, "did you mean").
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from importlib import resources

import yaml

from figures.model import CREDIBILITY_GRADES, RELIABILITY_GRADES, SOURCE_KINDS, Confidence, Qualifier

SCHEMA_ID = "https://figures.invalid/catalogue.schema.json"
"""The schema's ``$id``: a name, never fetched (``.invalid`` is reserved); editors find the file by its path."""
SECTIONS = ("catalogue", "units", "sources", "stories", "figures", "corrections", "withdrawn", "claims", "left_out")
KEY = "(key)"
"""The row of a mapping's key (a source's id), not a field inside the entry."""
SLUG = r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$"
UNIT_NAME = r"^[a-z](?:[a-z_]{0,38}[a-z])?$"


@functools.cache
def _data() -> dict:
    text = resources.files("figures").joinpath("schema.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert tuple(data) == SECTIONS, f"schema.yaml sections {tuple(data)} are not {SECTIONS}"
    return data


def keys(section: str) -> tuple[str, ...]:
    """The keys a section's entries accept, in the documented order (a mapping's own key left out).

    Parameters
    ----------
    section : str
        One of :data:`SECTIONS`, e.g. ``"claims"``.
    """
    return tuple(name for name in _data()[section]["fields"] if name != KEY)


def required(section: str) -> tuple[str, ...]:
    """The keys whose ``required`` cell is exactly "yes"."""
    return tuple(name for name, f in _data()[section]["fields"].items() if name != KEY and f["required"] == "yes")


def markdown_table(section: str) -> str:
    """The README's table of one section: field, required, meaning, good, bad."""
    lines = ["| field | required | meaning | good | bad |", "|---|---|---|---|---|"]
    for name, f in _data()[section]["fields"].items():
        label = "id (the key)" if name == KEY else f"`{name}`"
        lines.append(f"| {label} | {f['required']} | {f['meaning']} | {f['good']} | {f['bad']} |")
    return "\n".join(lines)


def json_schema() -> dict:
    """The catalogue format as a JSON Schema (draft 2020-12); every object refuses keys it does not list."""
    defs = {section: _object(section) for section in SECTIONS if section != "catalogue"}
    defs["units"] = _object("units")
    top = _object("catalogue")
    top.pop("required", None)  # in a folder, each file holds only some sections
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "figures catalogue",
        "description": _data()["catalogue"]["intro"],
        **top,
        "$defs": {_def_name(s): v for s, v in defs.items()},
    }


def _def_name(section: str) -> str:
    return {"units": "unit", "sources": "source", "stories": "story", "figures": "figure", "corrections": "correction",
            "withdrawn": "withdrawal", "claims": "claim", "left_out": "left_out_figure"}[section]


def _object(section: str) -> dict:
    fields = _data()[section]["fields"]
    properties = {name: _property(name, f) for name, f in fields.items() if name != KEY}
    out = {"type": "object", "additionalProperties": False, "properties": properties}
    needed = [name for name in required(section)]
    if needed:
        out["required"] = needed
    return out


_TEXT = {"type": "string", "minLength": 1, "maxLength": 300}
_LONG_TEXT = {"type": "string", "minLength": 1, "maxLength": 4000}
_DATE = {"anyOf": [{"type": "string", "pattern": r"^\d{4}(-\d{1,2}(-\d{1,2})?)?$"}, {"type": "integer", "minimum": 1800, "maximum": 2200}]}


def _ref(section: str) -> dict:
    return {"$ref": f"#/$defs/{_def_name(section)}"}


def _keyed(section: str, pattern: str) -> dict:
    return {"type": "object", "propertyNames": {"pattern": pattern}, "additionalProperties": _ref(section)}


def _type(kind: str) -> dict:
    types = {
        "text": _TEXT,
        "long_text": _LONG_TEXT,
        "slug": {"type": "string", "pattern": SLUG},
        "name": {"type": "string", "pattern": UNIT_NAME},
        "unit": {"type": "string", "minLength": 1, "maxLength": 40},
        "date": _DATE,
        "day": {"type": "string", "pattern": r"^\d{4}-\d{1,2}-\d{1,2}$"},
        "url": {"type": "string", "pattern": r"^https?://\S+$", "maxLength": 2048},
        "number": {"type": "number", "minimum": -1e15, "maximum": 1e15},
        "kind": {"enum": list(SOURCE_KINDS)},
        "qualifier": {"enum": [q.value for q in Qualifier]},
        "confidence": {"enum": [c.value for c in Confidence]},
        "reliability": {"enum": list(RELIABILITY_GRADES)},
        "credibility": {"enum": list(CREDIBILITY_GRADES)},
        "text_list": {"anyOf": [_TEXT, {"type": "array", "items": _TEXT}]},
        "slug_list": {"anyOf": [{"type": "string", "pattern": SLUG}, {"type": "array", "items": {"type": "string", "pattern": SLUG}}]},
        "claims": {"type": "array", "minItems": 1, "items": _ref("claims")},
        "corrections": {"type": "array", "minItems": 1, "items": _ref("corrections")},
        "withdrawn": {"type": "array", "minItems": 1, "items": _ref("withdrawn")},
        "left_out": {"type": "array", "minItems": 1, "items": _ref("left_out")},
        "path": {"type": "string", "minLength": 1, "maxLength": 300, "not": {"pattern": r"^(/|[A-Za-z]:|[a-z][a-z0-9+.-]*://)"}},
        "figures": {"type": "array", "items": _ref("figures")},
        "sources": _keyed("sources", SLUG),
        "stories": _keyed("stories", SLUG),
        "units": _keyed("units", UNIT_NAME),
    }
    return dict(types[kind])


def _property(name: str, f: dict) -> dict:
    out = _type(f["type"])
    out["description"] = _plain(f["meaning"])
    out["markdownDescription"] = f"{f['meaning']}\n\nGood: {f['good']}\n\nBad: {f['bad']}"
    examples = _examples(name, f["good"])
    if examples:
        out["examples"] = examples
    return out


def _plain(markdown: str) -> str:
    return markdown.replace("`", "")


def _examples(name: str, good: str) -> list:
    """The values of the good example's ``name: value`` snippets, as YAML reads them (dates as written)."""
    out = []
    for snippet in re.findall(r"`([^`]+)`", good):
        if not snippet.startswith(f"{name}: "):
            continue
        try:
            value = yaml.safe_load(snippet)[name]
        except (yaml.YAMLError, TypeError, KeyError):
            continue
        out.append(_jsonable(value))
    return out


def _jsonable(value: object) -> object:
    """YAML's dates as the text they were written as (what the YAML language server sees), all the way down."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value
