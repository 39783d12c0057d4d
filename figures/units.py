"""Units: one pint registry, built once from ``units.txt``, and the checks around it.

Numbers and units are stored apart; only the unit string is ever parsed, and
only after it has passed a strict shape check, so ``"5 $"``, ``"2-3 vehicle"``
or ``"m**9**9**9"`` never reach pint's expression parser.
"""

from __future__ import annotations

import functools
import math
import re
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
    """A unit string that is malformed, unknown, or incompatible."""


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

    @property
    def is_currency(self) -> bool:
        return self.dimension.startswith("[currency_")

    @property
    def is_count(self) -> bool:
        """Things counted in whole numbers: equipment, people or events."""
        return self.dimension in COUNTED


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


@functools.lru_cache(maxsize=4096)
def unit_info(text: str) -> UnitInfo:
    """Check a unit string and describe it; each distinct string is parsed once.

    Parameters
    ----------
    text : str
        A plain unit expression such as ``"USD"``, ``"vehicle"``, ``"km / h"``.

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
    if not isinstance(text, str) or not text.strip():
        raise UnitError("the unit is empty; write a unit such as USD, vehicle, percent or day")
    if len(text) > MAX_UNIT_LENGTH:
        raise UnitError(f"the unit is {len(text)} characters long (limit {MAX_UNIT_LENGTH}); write a plain unit such as USD or vehicle")
    if not _UNIT_SHAPE.match(text):
        raise UnitError(f"{text!r} is not a plain unit; write only unit names, e.g. USD, vehicle, percent, km / h (no numbers or symbols)")
    ureg = registry()
    try:
        unit = ureg.parse_units(text)
    except _PINT_FAILURES as err:
        raise UnitError(f"unknown unit {text!r}; use a unit pint knows or add it to figures/units.txt ({_short(err)})") from None
    try:
        return _describe(ureg, text, unit)
    except UnitError:
        raise
    except _PINT_FAILURES as err:  # whatever pint raises while measuring or converting
        raise UnitError(f"{text!r} cannot be used as a unit ({type(err).__name__}: {_short(err)}); write a plain unit such as USD, vehicle, percent or day") from None


_PINT_FAILURES = (pint.errors.PintError, ArithmeticError, LookupError, AttributeError, ValueError, TypeError, RecursionError)
"""Every kind of exception pint has been seen to raise on a unit string (UndefinedUnitError is an AttributeError too)."""


def _describe(ureg: pint.UnitRegistry, text: str, unit: pint.Unit) -> UnitInfo:
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
            "item, vehicle, person or event (add others to figures/units.txt), for a share use percent"
        )
    canonical = CANONICAL.get(dimension) or _base_name(ureg, unit)
    factor = float(ureg.Quantity(1.0, unit).to(canonical).magnitude)
    if not (math.isfinite(factor) and factor > 0):
        raise UnitError(f"{text!r} is too large or too small a unit to convert to {canonical}; write the figure in a plainer unit, e.g. {canonical}")
    return UnitInfo(text=text, name=str(unit), dimension=dimension, canonical=canonical, factor=factor)


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


def to_canonical(value: float | None, text: str) -> float | None:
    """Convert a value in unit ``text`` to its dimension's canonical unit."""
    if value is None:
        return None
    return value * unit_info(text).factor


def convert(value: float, source: str, target: str) -> float:
    """Convert a value between two units of the same dimension.

    Raises
    ------
    UnitError
        If the dimensions differ (counts against money, dollars against pounds).
    """
    a, b = unit_info(source), unit_info(target)
    if a.dimension != b.dimension:
        raise UnitError(
            f"cannot convert {a.text} ({_dimension_label(a)}) to {b.text} ({_dimension_label(b)}); "
            "compare only figures of one dimension, and never two currencies (there are no exchange rates)"
        )
    return value * a.factor / b.factor


def same_dimension(units: list[str]) -> bool:
    """True when every unit string shares one dimension (and one currency)."""
    return len({unit_info(u).dimension for u in units}) <= 1


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
