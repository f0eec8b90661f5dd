"""Rounding for display that keeps a report consistent: parts add up to the rounded total, shares to
100.00 %, and the 公顷 and 亩 of one quantity agree (both within the rounding of the other).

The unrounded values stay the source of truth (㎡ and 元 as ``Decimal``); only what is printed is rounded,
once, here. Unit factors come from ``domain.units``, the one unit table.

>>> largest_remainder([Decimal("80508"), Decimal("79237"), Decimal("316006")], Decimal("10000"), 2)
[Decimal('8.05'), Decimal('7.93'), Decimal('31.60')]
>>> shares([Decimal(1), Decimal(1), Decimal(1)])
[Decimal('33.34'), Decimal('33.33'), Decimal('33.33')]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from ..units import factor, interval

HA = "公顷"
MU = "亩"
#: decimals printed: headline areas, parcel areas (as the published lists), 亩, shares
AREA_DECIMALS = 2
PARCEL_DECIMALS = 4
MU_DECIMALS = 2
SHARE_DECIMALS = 2


def _quantum(decimals: int) -> Decimal:
    return Decimal(1).scaleb(-decimals)


def round_half_up(value: Fraction, decimals: int) -> Decimal:
    """``value`` rounded to ``decimals`` places, halves away from zero (as a county rounds by hand)."""
    scaled = Fraction(value) * 10**decimals
    units = math.floor(scaled + Fraction(1, 2)) if scaled >= 0 else -math.floor(-scaled + Fraction(1, 2))
    return Decimal(units).scaleb(-decimals).quantize(_quantum(decimals))


def largest_remainder(
    values: Sequence[Decimal | Fraction],
    per_unit: Decimal | Fraction,
    decimals: int,
    total: Decimal | None = None,
) -> list[Decimal]:
    """Each of ``values`` (base units) divided by ``per_unit`` and rounded to ``decimals`` places so that
    the rounded parts add up to the rounded sum (or to ``total`` when given): every part is floored, and
    the units left over go to the parts with the largest remainders (the earlier part on a tie).

    Non-negative values only (areas, money, shares).
    """
    scale = Fraction(10**decimals) / Fraction(per_unit)
    scaled = [Fraction(v) * scale for v in values]
    floors = [math.floor(s) for s in scaled]
    if total is None:
        target = math.floor(sum(scaled, Fraction(0)) + Fraction(1, 2))
    else:
        target = int(Decimal(total).scaleb(decimals).to_integral_value(ROUND_HALF_UP))
    missing = target - sum(floors)
    order = sorted(range(len(values)), key=lambda i: (-(scaled[i] - floors[i]), i))
    for i in order[: max(0, missing)]:
        floors[i] += 1
    return [Decimal(n).scaleb(-decimals).quantize(_quantum(decimals)) for n in floors]


def shares(parts: Sequence[Decimal | Fraction], whole: Decimal | Fraction | None = None) -> list[Decimal]:
    """Percentages of ``parts`` in ``whole`` (default their sum), to 0.01, adding up to 100.00 when the
    parts make the whole; all zero when the whole is zero."""
    whole = Fraction(sum((Fraction(p) for p in parts), Fraction(0)) if whole is None else whole)
    if whole == 0:
        return [Decimal("0.00") for _ in parts]
    percent = [Fraction(p) * 100 / whole for p in parts]
    target = None if sum(percent, Fraction(0)) != 100 else Decimal(100)
    return largest_remainder(percent, Fraction(1), SHARE_DECIMALS, target)


@dataclass(frozen=True)
class Area:
    """An area as a report prints it: the unrounded ㎡ and the rounded 公顷 and 亩, which agree."""

    m2: Decimal
    ha: Decimal
    mu: Decimal

    @property
    def ha_text(self) -> str:
        return f"{self.ha}"

    @property
    def mu_text(self) -> str:
        return f"{self.mu}"


def mu_for(m2: Decimal | Fraction, ha: Decimal) -> Decimal:
    """The 亩 of ``m2`` to 0.01, kept within what the printed ``ha`` stands for (so the two agree even when
    ``ha`` was moved by a unit to make parts add up)."""
    mu = round_half_up(Fraction(m2) / factor(MU), MU_DECIMALS)
    ha_span = interval(str(ha), HA)
    lo, hi = ha_span.lo / factor(MU), ha_span.hi / factor(MU)
    step = Fraction(1, 10**MU_DECIMALS)
    if Fraction(mu) < lo:
        mu = Decimal(math.ceil(lo / step)).scaleb(-MU_DECIMALS).quantize(_quantum(MU_DECIMALS))
    elif Fraction(mu) > hi:
        mu = Decimal(math.floor(hi / step)).scaleb(-MU_DECIMALS).quantize(_quantum(MU_DECIMALS))
    return mu


def area(m2: Decimal, ha: Decimal | None = None, decimals: int = AREA_DECIMALS) -> Area:
    """``m2`` as an ``Area``; ``ha`` is the already rounded 公顷 when a split fixed it."""
    if ha is None:
        ha = round_half_up(Fraction(m2) / factor(HA), decimals)
    return Area(m2, ha, mu_for(m2, ha))


def split(
    total_m2: Decimal, parts_m2: Sequence[Decimal], decimals: int = AREA_DECIMALS
) -> tuple[Area, list[Area]]:
    """A total and its parts rounded together: the parts' 公顷 add up to the total's when they make the
    total, each 亩 agrees with its 公顷."""
    total = area(total_m2, decimals=decimals)
    complete = sum(parts_m2, Decimal(0)) == total_m2
    per_ha = factor(HA)
    rounded = largest_remainder(parts_m2, per_ha, decimals, total.ha if complete else None)
    if not complete:
        rounded = [round_half_up(Fraction(p) / per_ha, decimals) for p in parts_m2]
    return total, [area(m2, ha) for m2, ha in zip(parts_m2, rounded, strict=True)]


def parcel_ha(m2: Decimal) -> Decimal:
    """A parcel's area in 公顷 as parcel lists print it (4 decimals)."""
    return round_half_up(Fraction(m2) / factor(HA), PARCEL_DECIMALS)


def ratio_percent(part: Decimal | Fraction, whole: Decimal | Fraction) -> Decimal | None:
    """``part`` ÷ ``whole`` as a percentage to 0.01 (``None`` when ``whole`` is zero)."""
    return None if whole == 0 else round_half_up(Fraction(part) * 100 / Fraction(whole), SHARE_DECIMALS)


def money_text(yuan: Decimal) -> str:
    """An amount as a plan writes it, exactly: 亿元 when exact to 0.0001 亿, else 万元 to 0.01, else 元.

    >>> money_text(Decimal("75000000")), money_text(Decimal("1234567.5")), money_text(Decimal("12.34"))
    ('0.75亿元', '123.45675万元', '12.34元')
    """
    for unit, places in (("亿元", 4), ("万元", 6)):
        value = Fraction(yuan) / factor(unit)
        if (value * 10**places).denominator == 1 and abs(value) >= Fraction(1, 100):
            text = f"{Decimal(value.numerator) / Decimal(value.denominator):f}"
            return (text.rstrip("0").rstrip(".") if "." in text else text) + unit
    return f"{Decimal(yuan).quantize(Decimal('0.01'))}元"
