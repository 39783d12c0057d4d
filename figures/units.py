"""Units: one pint registry, built once from ``units.txt``, and the checks around it.

Numbers and units are stored apart; only the unit string is ever parsed, and
only after it has passed a strict shape check, so ``"5 $"``, ``"2-3 vehicle"``
or ``"m**9**9**9"`` never reach pint's expression parser.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import pint

DEFINITIONS = Path(__file__).with_name("units.txt")
MAX_UNIT_LENGTH = 40
_NAME = r"[A-Za-z_][A-Za-z_]*"
_FACTOR = rf"{_NAME}(?:\s*(?:\*\*|\^)\s*[1-3])?"
_UNIT_SHAPE = re.compile(rf"\s*{_FACTOR}(?:\s*[*/]\s*{_FACTOR}|\s+{_FACTOR})*\s*\Z")

CANONICAL = {
    "[time]": "day",
    "[count]": "item",
    "[person]": "person",
    "[event]": "event",
    "dimensionless": "percent",
    "[length]": "kilometer",
    "[mass]": "tonne",
}
"""The unit each dimension is converted to for comparison; currencies stay themselves."""

SHARES = ("percent",)
"""The only dimensionless unit the catalogue takes: a share of a whole, written with ``%``; other dimensionless units are refused."""

COUNTED = frozenset({"[count]", "[person]", "[event]"})
"""Dimensions of counted things: equipment, people, events. Each is its own axis."""

CURRENCY_SYMBOLS = {"USD": "$", "GBP": "£", "EUR": "€"}


class UnitError(ValueError):
    """A unit string that is malformed, unknown, or incompatible; ``code`` names which (``unknown-unit``, ``bad-unit``)."""

    def __init__(self, message: str, code: str = "bad-unit") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class UnitInfo:
    """What the rest of the code needs to know about one unit string."""

    text: str
    """The unit as written in the catalogue, e.g. ``"vehicle"``."""
    name: str
    """pint's canonical spelling, e.g. ``"vehicle"`` or ``"USD"``."""
    dimension: str
    """e.g. ``"[count]"``, ``"[currency_USD]"``, ``"[time]"``, ``"dimensionless"``."""
    canonical: str
    """The unit values of this dimension are converted to for comparison."""
    factor: float
    """Multiply a value in this unit by ``factor`` to get the canonical unit."""
    plurals: tuple[tuple[str, str], ...] = ()
    """The plural of each unit name in ``name`` that a catalogue declared (``("aircraft", "aircraft")``)."""
    declared_dimension: bool = False
    """True when the dimension is one a catalogue declared (``refugee: {dimension: refugees}``): a counted thing."""

    @property
    def is_currency(self) -> bool:
        return self.dimension.startswith("[currency_")

    @property
    def is_count(self) -> bool:
        """Things counted in whole numbers: equipment, people, events, or a kind a catalogue declared."""
        return self.dimension in COUNTED or self.declared_dimension

    def plural_of(self, word: str) -> str | None:
        """The declared plural of one unit name, or None when its catalogue gave none."""
        return dict(self.plurals).get(word)


@functools.cache
def registry() -> pint.UnitRegistry:
    """Return the one unit registry, built on first use.

    Returns
    -------
    pint.UnitRegistry
        pint's default units plus ``units.txt``; redefinitions raise.
    """
    ureg = pint.UnitRegistry(on_redefinition="raise", autoconvert_offset_to_baseunit=False)
    ureg.load_definitions(str(DEFINITIONS))
    return ureg


def unit_info(text: str | UnitInfo) -> UnitInfo:
    """Check a unit string against the built-in units and describe it; each distinct string is parsed once.

    Parameters
    ----------
    text : str or UnitInfo
        A plain unit expression such as ``"USD"``, ``"vehicle"``, ``"km / h"``;
        a :class:`UnitInfo` (a unit already resolved, maybe by a catalogue's
        own :class:`UnitSystem`) is returned as it is.

    Returns
    -------
    UnitInfo

    Raises
    ------
    UnitError
        If the string is too long, is not a plain unit expression, or is unknown;
        if it is an offset or logarithmic unit (degC, degF, dB), which cannot be
        drawn as a length from zero; if it is dimensionless but not a share
        (count, radian, degree, pi, ppm: only percent is a share).
    """
    if isinstance(text, UnitInfo):
        return text
    return _builtin_info(text)


@functools.lru_cache(maxsize=4096)
def _builtin_info(text: str) -> UnitInfo:
    return _parse(registry(), text, {})


def _parse(ureg: pint.UnitRegistry, text: str, declared: dict[str, Declaration]) -> UnitInfo:
    if not isinstance(text, str) or not text.strip():
        raise UnitError("the unit is empty; write a unit such as USD, vehicle, percent or day")
    if len(text) > MAX_UNIT_LENGTH:
        raise UnitError(f"the unit is {len(text)} characters long (limit {MAX_UNIT_LENGTH}); write a plain unit such as USD or vehicle")
    if not _UNIT_SHAPE.match(text):
        raise UnitError(f"{text!r} is not a plain unit; write only unit names, e.g. USD, vehicle, percent, km / h (no numbers or symbols)")
    try:
        unit = ureg.parse_units(text)
    except _PINT_FAILURES as err:
        raise UnitError(_unknown(text, err, declared), "unknown-unit") from None
    try:
        return _describe(ureg, text, unit, declared)
    except UnitError:
        raise
    except _PINT_FAILURES as err:  # whatever pint raises while measuring or converting
        raise UnitError(f"{text!r} cannot be used as a unit ({type(err).__name__}: {_short(err)}); write a plain unit such as USD, vehicle, percent or day") from None


_PINT_FAILURES = (pint.errors.PintError, ArithmeticError, LookupError, AttributeError, ValueError, TypeError, RecursionError)
"""Every kind of exception pint has been seen to raise on a unit string (UndefinedUnitError is an AttributeError too)."""


def _unknown(text: str, err: Exception, declared: dict[str, Declaration]) -> str:
    names = re.findall(_NAME, text)
    known = [*declared, *BUILTIN_NAMES]
    for name in names:
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
        if close and close[0] != name:
            return f"unknown unit {text!r}: did you mean {close[0]!r}? ({_short(err)})"
    return (
        f"unknown unit {text!r}; use a unit pint knows, or declare it under units: at the top of the catalogue, "
        f"e.g. `units: {{{(names or ['truck'])[0]}: {{is: vehicle}}}}` ({_short(err)})"
    )


def _describe(ureg: pint.UnitRegistry, text: str, unit: pint.Unit, declared: dict[str, Declaration]) -> UnitInfo:
    _refuse_non_multiplicative(ureg, text)
    dims = ureg.get_dimensionality(unit)
    dimension = str(dims) if dims else "dimensionless"
    if dimension == "dimensionless" and dict(unit._units) not in ({name: 1} for name in SHARES):
        if "radian" in str(ureg.get_root_units(unit)[1]):
            raise UnitError(
                f"{text!r} is an angle, and angles are not figures the dashboard charts (it would draw them as shares of "
                "a whole); give the figure in another unit, or mention the angle in the figure's description:"
            )
        raise UnitError(
            f"{text!r} is a pure number without a dimension, and the dashboard draws such values as shares of a whole "
            f"(5 {text} would read as {_as_percent(ureg, unit, 5)}); for a number of things use a counted unit such as "
            "item, vehicle, person or event (declare others under units: in the catalogue), for a share use percent"
        )
    canonical = CANONICAL.get(dimension) or _base_name(ureg, unit)
    factor = float(ureg.Quantity(1.0, unit).to(canonical).magnitude)
    if not (math.isfinite(factor) and factor > 0):
        raise UnitError(f"{text!r} is too large or too small a unit to convert to {canonical}; write the figure in a plainer unit, e.g. {canonical}")
    names = dict(unit._units)
    plurals = tuple((name, declared[name].plural) for name in names if name in declared and declared[name].plural)
    own = any(name in declared and declared[name].dimension for name in names) or any(
        d.dimension and f"[{d.dimension}]" == dimension for d in declared.values())
    return UnitInfo(text=text, name=str(unit), dimension=dimension, canonical=canonical, factor=factor,
                    plurals=plurals, declared_dimension=own)


def _refuse_non_multiplicative(ureg: pint.UnitRegistry, text: str) -> None:
    """Refuse offset (degC) and logarithmic (dB) units, each name on its own: pint cannot even measure ``degC / dB``."""
    for word in re.findall(_NAME, text):
        for name in ureg.parse_units(word)._units:
            definition = ureg._units[name]
            if getattr(definition, "is_logarithmic", False):
                raise UnitError(
                    f"{text!r} is a logarithmic unit ({name}): its values are levels on a logarithmic scale, and the "
                    f"dashboard draws every value as a length from zero, so 20 {word} would be drawn twice as long as "
                    f"10 {word} though it stands for many times as much; give the amount itself in a linear unit "
                    "(e.g. watt), or a share in percent"
                )
            if not definition.is_multiplicative:
                raise UnitError(
                    f"{text!r} is an offset scale ({name}), whose zero is not an absence of anything, and the dashboard "
                    f"draws every value as a length from zero, so 20 {word} would be drawn twice as long as 10 {word}; "
                    "give a temperature change in delta_degC (or delta_degF), or a temperature in kelvin"
                )


def _as_percent(ureg: pint.UnitRegistry, unit: pint.Unit, value: float) -> str:
    share = float(ureg.Quantity(value, unit).to("percent").magnitude)
    return f"{share:,.6g}%"


def dimension_label(text: str) -> str:
    """A reader's word for the dimension of a unit: "money (USD)", "count", "time"."""
    return _dimension_label(unit_info(text))


def _dimension_label(info: UnitInfo) -> str:
    if info.is_currency:
        return f"money ({info.dimension[len('[currency_'):-1]})"
    return {"[count]": "count", "[person]": "count of people", "[event]": "count of events", "[time]": "time",
            "dimensionless": "share"}.get(info.dimension, info.dimension.strip("[]"))


def _base_name(ureg: pint.UnitRegistry, unit: pint.Unit) -> str:
    return str(ureg.Quantity(1.0, unit).to_base_units().units)


def _short(err: Exception) -> str:
    return str(err).splitlines()[0][:120]


# -- units a catalogue declares ----------------------------------------------------------------

DECLARED_NAME = re.compile(r"[a-z](?:[a-z_]{0,38}[a-z])?\Z")
"""A declared unit's name: lower-case letters and underscores (pint reads a hyphen as a minus)."""
_PLURAL = re.compile(r"[A-Za-z](?:[A-Za-z' -]{0,38}[A-Za-z])?\Z")

BUILTIN_NAMES: tuple[str, ...] = tuple(
    name.strip()
    for line in DEFINITIONS.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.lstrip().startswith("#")
    for name in line.split("=")
    if name.strip() and not name.strip().startswith("[")
) + ("day", "week", "month", "year", "hour", "minute", "kilometer", "mile", "tonne", "kilogram", "percent")
"""Unit names an editor most likely meant: those in ``units.txt`` and the common ones pint brings."""

BUILTIN_PLURALS = {
    "item": "items", "vehicle": "vehicles", "weapon": "weapons", "missile": "missiles", "piece": "pieces",
    "shell": "shells", "drone": "drones", "person": "people", "troop": "troops", "event": "events",
    "strike": "strikes", "day": "days", "week": "weeks", "month": "months", "year": "years", "hour": "hours",
    "minute": "minutes", "second": "seconds", "kilometer": "kilometers", "meter": "meters", "mile": "miles",
    "tonne": "tonnes", "kilogram": "kilograms",
}
"""The plural of each built-in unit a figure is likely to use; other pint units follow English rules."""


@dataclass(frozen=True)
class Declaration:
    """One counted thing a catalogue declares under ``units:``: ``truck: {is: vehicle}``."""

    name: str
    counts_as: str | None = None
    """``is:``: the unit it counts alongside (a built-in one or another declared one)."""
    dimension: str | None = None
    """``dimension:``: a new kind of thing, never drawn against anything else."""
    plural: str | None = None


@dataclass(frozen=True)
class DeclarationProblem:
    """What is wrong with one declaration: its name, the key concerned, a stable code and the message."""

    name: str
    key: str | None
    code: str
    message: str


class UnitSystem:
    """The built-in units plus one catalogue's declarations, in one pint registry built once per set of declarations.

    Use :func:`system` to get one; its :meth:`info` is :func:`unit_info` for that catalogue.
    """

    def __init__(self, declarations: tuple[Declaration, ...]) -> None:
        self.declarations = declarations
        self.problems: tuple[DeclarationProblem, ...] = ()
        self._infos: dict[str, UnitInfo] = {}
        self._lock = threading.Lock()
        if not declarations:
            self._ureg, self._declared, self._broken = None, {}, set()
            return
        problems: list[DeclarationProblem] = []
        good = _check_declarations(declarations, problems)
        self.problems = tuple(problems)
        self._declared = {d.name: d for d in good}
        self._broken = {d.name for d in declarations if not _is_builtin(d.name)} - set(self._declared)
        self._ureg = _extended_registry(tuple(good)) if good else None

    def declares(self, text: str) -> bool:
        """True when ``text`` names a unit these declarations add."""
        return any(name in self._declared for name in re.findall(_NAME, text))

    def info(self, text: str) -> UnitInfo:
        """Check a unit string against these units and describe it (each distinct string parsed once).

        Raises
        ------
        UnitError
            As :func:`unit_info` does; naming a declaration that has a problem is one too.
        """
        if self._ureg is None and not self._broken:
            return unit_info(text)
        with self._lock:
            found = self._infos.get(text)
        if found is not None:
            return found
        for name in re.findall(_NAME, text) if isinstance(text, str) else ():
            if name in self._broken:
                raise UnitError(f"the unit {name!r} is declared under units: with a problem (reported there); fix its declaration", "unknown-unit")
        found = _parse(self._ureg or registry(), text, self._declared)
        with self._lock:
            self._infos[text] = found
        return found


@functools.lru_cache(maxsize=32)
def system(declarations: tuple[Declaration, ...] = ()) -> UnitSystem:
    """The unit system of a catalogue declaring ``declarations`` (the built-in one for none); built once per set."""
    return UnitSystem(declarations)


def _check_declarations(declarations: tuple[Declaration, ...], problems: list[DeclarationProblem]) -> list[Declaration]:
    """The declarations that can be defined, in an order where each comes after what it counts as."""
    base = registry()
    names = [d.name for d in declarations]
    builtin_dimensions = {str(d).strip("[]") for d in base._dimensions} | {"count", "person", "event"}
    shaped: dict[str, Declaration] = {}
    for d in declarations:
        before = len(problems)

        def bad(key: str | None, code: str, message: str, d: Declaration = d) -> None:
            problems.append(DeclarationProblem(d.name, key, code, message))

        if not DECLARED_NAME.match(d.name):
            bad(None, "bad-unit-name", f"the unit name {d.name[:40]!r} is not a plain name; write lower-case letters and underscores, e.g. truck or night_vision_goggle")
        elif _is_builtin(d.name):
            bad(None, "unit-redefined", f"{d.name!r} is a built-in unit already; use it as it is (unit: {d.name}) and remove this declaration")
        if (d.counts_as is None) == (d.dimension is None):
            bad(None, "bad-unit-declaration",
                f"unit {d.name!r} needs exactly one of is: (the unit it counts alongside, e.g. is: vehicle) or dimension: (a new kind of thing, e.g. dimension: refugees)")
        if d.dimension is not None:
            if not DECLARED_NAME.match(d.dimension):
                bad("dimension", "bad-unit-declaration", f"the dimension {d.dimension[:40]!r} is not a plain name; write lower-case letters and underscores, e.g. refugees")
            elif d.dimension in builtin_dimensions or d.dimension.startswith("currency"):
                bad("dimension", "dimension-redefined", f"{d.dimension!r} is a built-in kind of thing; count alongside its unit with is: instead")
        if d.plural is not None and not _PLURAL.match(d.plural):
            bad("plural", "bad-unit-declaration", f"the plural {d.plural[:40]!r} must be a word or words (letters, spaces, hyphens), e.g. aircraft")
        if len(problems) == before:
            shaped[d.name] = d

    ordered: list[Declaration] = []
    state: dict[str, str] = {}

    def visit(d: Declaration, path: tuple[str, ...]) -> bool:
        if state.get(d.name) == "done":
            return True
        if d.name in path:
            cycle = " → ".join((*path[path.index(d.name):], d.name))
            problems.append(DeclarationProblem(d.name, "is", "unit-cycle",
                f"the units {cycle} count as each other in a circle; make one of them is: a built-in unit such as vehicle or item"))
            return False
        if d.counts_as is not None:
            target = d.counts_as
            if target in shaped:
                if not visit(shaped[target], (*path, d.name)):
                    return False
            elif target in names and not _is_builtin(target):
                problems.append(DeclarationProblem(d.name, "is", "unknown-unit", f"{d.name!r} counts as {target!r}, whose declaration has a problem; fix that one first"))
                return False
            else:
                try:
                    info = unit_info(target)
                except UnitError:
                    close = difflib.get_close_matches(target, [n for n in (*shaped, *BUILTIN_NAMES) if n != d.name], n=1, cutoff=0.7)
                    hint = f"did you mean {close[0]!r}? " if close else ""
                    problems.append(DeclarationProblem(d.name, "is", "unknown-unit",
                        f"is: {target[:40]!r} is not a unit; {hint}name a built-in counted unit (item, vehicle, weapon, person, event) or another declared unit"))
                    return False
                if not info.is_count:
                    problems.append(DeclarationProblem(d.name, "is", "bad-unit-declaration",
                        f"is: {target!r} is {_dimension_label(info)}, not a counted thing; units: declares things counted one "
                        "by one, so name a counted unit such as vehicle, item or person"))
                    return False
        state[d.name] = "done"
        ordered.append(d)
        return True

    for d in shaped.values():
        visit(d, ())
    return [d for d in ordered if state.get(d.name) == "done"]


def _is_builtin(name: str) -> bool:
    """True when ``name`` is a unit of the built-in registry (a plain name only: pint evaluates anything else)."""
    if not re.fullmatch(_NAME, name):
        return False
    try:
        return name in registry()
    except _PINT_FAILURES:
        return False


def _extended_registry(declarations: tuple[Declaration, ...]) -> pint.UnitRegistry:
    ureg = pint.UnitRegistry(on_redefinition="raise", autoconvert_offset_to_baseunit=False)
    ureg.load_definitions(str(DEFINITIONS))
    for d in declarations:
        ureg.define(f"{d.name} = {d.counts_as}" if d.counts_as else f"{d.name} = [{d.dimension}]")
    return ureg
