"""Units of area, money, share and count, conversion to base units, and rounding intervals.

Base units: ㎡ for area, 元 for money, % for shares, 1 for counts.
A figure written with *n* decimals stands for the closed interval value ± half a unit of its
last digit; all comparisons between figures compare such intervals, exactly, with ``Fraction``.

>>> to_base(Decimal("47.58"), "公顷")
Decimal('475800')
>>> interval("47.58", "公顷")
Interval(lo=Fraction(475750, 1), hi=Fraction(475850, 1))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache


class Quantity(StrEnum):
    AREA = "area"
    MONEY = "money"
    SHARE = "share"
    COUNT = "count"


#: unit as written (normalised) → (quantity, factor to the base unit)
UNITS: dict[str, tuple[Quantity, Fraction]] = {
    "公顷": (Quantity.AREA, Fraction(10000)),
    "亩": (Quantity.AREA, Fraction(10000, 15)),
    "万亩": (Quantity.AREA, Fraction(100_000_000, 15)),
    "万公顷": (Quantity.AREA, Fraction(100_000_000)),
    "㎡": (Quantity.AREA, Fraction(1)),
    "平方米": (Quantity.AREA, Fraction(1)),
    "万平方米": (Quantity.AREA, Fraction(10000)),
    "万㎡": (Quantity.AREA, Fraction(10000)),
    "平方公里": (Quantity.AREA, Fraction(1_000_000)),
    "元": (Quantity.MONEY, Fraction(1)),
    "万元": (Quantity.MONEY, Fraction(10000)),
    "亿元": (Quantity.MONEY, Fraction(100_000_000)),
    "%": (Quantity.SHARE, Fraction(1)),
    "宗": (Quantity.COUNT, Fraction(1)),
    "块": (Quantity.COUNT, Fraction(1)),
    "个": (Quantity.COUNT, Fraction(1)),
}

#: every spelling of a unit that plans use → its canonical unit (the one table of units: the readers
#: build their patterns from it, see ``unit_pattern``)
SPELLINGS: dict[str, str] = {
    "万平方米": "万平方米",
    "平方公里": "平方公里",
    "平方千米": "平方公里",
    "平方米": "㎡",
    "万公顷": "万公顷",
    "公顷": "公顷",
    "万亩": "万亩",
    "亩": "亩",
    "万㎡": "万㎡",
    "㎡": "㎡",
    "万m2": "万㎡",
    "万m²": "万㎡",
    "km2": "平方公里",
    "km²": "平方公里",
    "hm2": "公顷",
    "hm²": "公顷",
    "m2": "㎡",
    "m²": "㎡",
    "亿元": "亿元",
    "万元": "万元",
    "元": "元",
    "%": "%",
    "％": "%",
    "宗": "宗",
    "块": "块",
    "个": "个",
}

#: spellings that mean the same unit (as written → as in ``UNITS``)
UNIT_ALIASES = {spelling: unit for spelling, unit in SPELLINGS.items() if spelling != unit}
UNIT_ALIASES["平方米"] = "平方米"  # kept as written where a caller asks for it by this name


def unit_pattern(*quantities: Quantity) -> str:
    """A regular-expression alternation of every spelling of the units of ``quantities`` (all units
    when none is given), longest first: ``unit_pattern(Quantity.AREA)`` matches 公顷, 亩, ㎡, m2 …"""
    wanted = set(quantities)
    spellings = [s for s, u in SPELLINGS.items() if not wanted or UNITS[u][0] in wanted]
    return "|".join(re.escape(s) for s in sorted(spellings, key=len, reverse=True))


BASE_UNIT = {Quantity.AREA: "㎡", Quantity.MONEY: "元", Quantity.SHARE: "%", Quantity.COUNT: "宗"}

_BASE_DIGITS = Decimal("0.0001")


def normalise_unit(unit: str) -> str:
    """Return the canonical spelling of ``unit`` (e.g. ``％`` → ``%``)."""
    unit = unit.strip()
    return UNIT_ALIASES.get(unit, unit)


def quantity_of(unit: str) -> Quantity:
    """Return the kind of quantity a unit measures; ``KeyError`` for an unknown unit."""
    return UNITS[normalise_unit(unit)][0]


def factor(unit: str) -> Fraction:
    """Exact factor from ``unit`` to its base unit."""
    return UNITS[normalise_unit(unit)][1]


@lru_cache(maxsize=256)
def _integer_factor(unit: str) -> int | None:
    """``factor(unit)`` when it is an integer (公顷, ㎡, 万元…), else ``None`` — found once per spelling
    (``to_base`` runs for every figure read); an unknown unit raises ``KeyError`` as ``factor`` does."""
    k = factor(unit)
    return k.numerator if k.denominator == 1 else None


_ONE = Decimal(1)


def fraction_to_decimal(value: Fraction) -> Decimal:
    """Exact decimal when the fraction terminates, else rounded to 0.0001 of the base unit."""
    den = value.denominator
    for p in (2, 5):
        while den % p == 0:
            den //= p
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact if den == 1 else exact.quantize(_BASE_DIGITS)


def to_base(value: Decimal | str, unit: str) -> Decimal:
    """Convert a value written in ``unit`` to the base unit (exact where the result terminates)."""
    times = _integer_factor(unit)
    if times is not None:  # 公顷, ㎡, 万元…: an integer factor, exact in decimals
        base = Decimal(value) * times
    else:
        base = fraction_to_decimal(Fraction(Decimal(value)) * factor(unit))
    return base.quantize(_ONE) if base == base.to_integral() else base.normalize()


def decimals_of(value: str | Decimal) -> int:
    """Number of decimals as written: ``"47.58"`` → 2, ``"47"`` → 0."""
    exponent = Decimal(value).as_tuple().exponent
    return max(0, -int(exponent))


@dataclass(frozen=True)
class Interval:
    """A closed interval of exact rationals (in base units)."""

    lo: Fraction
    hi: Fraction

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: Interval) -> Interval:
        return Interval(self.lo - other.hi, self.hi - other.lo)

    def scale(self, k: Fraction) -> Interval:
        a, b = self.lo * k, self.hi * k
        return Interval(min(a, b), max(a, b))

    def overlaps(self, other: Interval) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def contains(self, value: Fraction) -> bool:
        return self.lo <= value <= self.hi

    def intersect(self, other: Interval) -> Interval | None:
        lo, hi = max(self.lo, other.lo), min(self.hi, other.hi)
        return Interval(lo, hi) if lo <= hi else None

    def gap(self, other: Interval) -> Fraction:
        """Distance between the intervals (0 when they overlap)."""
        return max(Fraction(0), other.lo - self.hi, self.lo - other.hi)

    @property
    def mid(self) -> Fraction:
        return (self.lo + self.hi) / 2

    @classmethod
    def exact(cls, value: Fraction) -> Interval:
        return cls(value, value)


@lru_cache(maxsize=65536)
def interval(value: str | Decimal, unit: str) -> Interval:
    """The interval of base-unit values that ``value`` (as written, in ``unit``) can stand for."""
    written = Fraction(Decimal(value))
    half = Fraction(1, 2 * 10 ** decimals_of(value))
    return Interval(written - half, written + half).scale(factor(unit))
