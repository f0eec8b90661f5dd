"""Stated prices per area (单价…万元/亩) recomputed from the amounts and areas of their sentence.

The text does not say which amount over which area a unit price is, so the rate must agree with at least
one pair. Each figure is taken loosely, one unit of its last digit either way (authors truncate prices and
rates as often as they round them); only a rate that no pair can give is inconsistent. Code:
``unit_price.mismatch`` (error).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ..findings import Finding
from ..plans import Figure, PlanDocument, UnitPrice
from ..units import Interval, factor
from .messages import cited, figure_decimals, finding, range_text


def check_unit_prices(doc: PlanDocument) -> list[Finding]:
    """``unit_price.mismatch`` for every stated unit price that no amount and area of its sentence give."""
    return [f for p in doc.unit_prices if (f := _check(p)) is not None]


def loose(figure: Figure) -> Interval:
    """The base-unit values ``figure`` may stand for if rounded, truncated or rounded up: ± one last digit."""
    step = Decimal(1).scaleb(-figure_decimals(figure))
    value, k = Decimal(figure.value), factor(figure.unit)
    return Interval(Fraction(value - step) * k, Fraction(value + step) * k)


def rate_of(amount: Figure, area: Figure, per: str) -> Interval:
    """What ``amount ÷ area`` may be, in base money per ``per`` (亩, 公顷), from the loose figures."""
    money, land = loose(amount), loose(area)
    if land.lo <= 0:
        return Interval(Fraction(0), Fraction(10) ** 30)
    k = factor(per)
    return Interval(max(money.lo, Fraction(0)) / land.hi * k, money.hi / land.lo * k)


def _check(p: UnitPrice) -> Finding | None:
    stated = loose(p.rate)
    pairs = [(a, r, rate_of(a, r, p.per)) for a in p.amounts for r in p.areas]
    if not pairs or any(span.overlaps(stated) for _a, _r, span in pairs):
        return None
    amount, area, span = min(pairs, key=lambda pair: pair[2].gap(stated))
    unit = f"{p.rate.unit}/{p.per}"
    digits = figure_decimals(p.rate) + 2
    shown = range_text(span, p.rate.unit, digits)
    message = (
        f"{cited(p.rate)}/{p.per}与同句的总价、面积不符：{cited(amount)}÷{cited(area)}，"
        f"即使考虑四舍五入（或截尾）也只能是{shown}/{p.per}，而文中写{p.rate.value}{unit}。"
        "请核对总价、面积或单价。"
    )
    values = {
        "stated": f"{p.rate.value}{unit}",
        "amount": amount.value + amount.unit,
        "area": area.value + area.unit,
    }
    lines = (p.rate.line, amount.line, area.line)
    return finding("unit_price.mismatch", message, lines, values, figures=(p.rate, amount, area))
