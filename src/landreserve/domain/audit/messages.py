"""How findings show their evidence: figures as written, base-unit values and intervals in a plan's units."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from functools import lru_cache

from ..findings import Finding, Severity
from ..plans import Figure
from ..units import Interval, factor

#: extra decimals shown for derived ranges, beyond those of the stated figure
RANGE_EXTRA_DIGITS = 2


#: base-unit values from here up stand for "no upper limit" (the interval of a bound such as 以上)
UNBOUNDED_SHOWN = Fraction(10) ** 20


def _decimal(value: Fraction, decimals: int, rounding: str) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 80
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        return exact.quantize(Decimal(1).scaleb(-decimals), rounding=rounding)


def _plain(value: Decimal) -> str:
    """``Decimal`` without exponent notation and without trailing zeros after the point."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def amount(base: Fraction, unit: str, decimals: int) -> str:
    """A base-unit value shown in ``unit`` rounded half-up: ``amount(409031, "公顷", 4)`` → ``"40.9031公顷"``."""
    return f"{format(_decimal(base / factor(unit), decimals, ROUND_HALF_UP), 'f')}{unit}"


def bounds(span: Interval, unit: str, decimals: int) -> tuple[str, str]:
    """The interval in ``unit``, rounded outwards so the shown range still contains the exact one."""
    lo = _decimal(span.lo / factor(unit), decimals, ROUND_FLOOR)
    hi = _decimal(span.hi / factor(unit), decimals, ROUND_CEILING)
    return f"{_plain(lo)}{unit}", f"{_plain(hi)}{unit}"


def amount_floor(base: Fraction, unit: str, decimals: int) -> str:
    """A lower end shown in ``unit``, rounded down: ``"51.995公顷"``."""
    return bounds(Interval(base, base), unit, decimals)[0]


def amount_ceiling(base: Fraction, unit: str, decimals: int) -> str:
    """An upper end shown in ``unit``, rounded up."""
    return bounds(Interval(base, base), unit, decimals)[1]


def difference(a: Decimal, b: Decimal, unit: str) -> str:
    """``"3.00公顷"``: how far two written values are apart."""
    return f"{format(abs(a - b), 'f')}{unit}"


def range_text(span: Interval, unit: str, decimals: int) -> str:
    """``"713.625～713.775亩"`` (or ``"54.99公顷以上"`` without upper limit): an interval for a message."""
    lo, hi = bounds(span, unit, decimals)
    if span.hi >= UNBOUNDED_SHOWN:
        return f"{lo}以上"
    return f"{lo.removesuffix(unit)}～{hi}"


def range_values(span: Interval, unit: str, decimals: int) -> dict[str, str]:
    """``{"expected_min": …, "expected_max": …}`` for ``Finding.values`` (no max without upper limit)."""
    lo, hi = bounds(span, unit, decimals)
    return {"expected_min": lo} if span.hi >= UNBOUNDED_SHOWN else {"expected_min": lo, "expected_max": hi}


def range_digits(figure: Figure) -> int:
    """Decimals to show a range compared with ``figure``: its own plus a little more."""
    return figure_decimals(figure) + RANGE_EXTRA_DIGITS


def figure_decimals(figure: Figure) -> int:
    return decimals_of_value(figure.value)


#: a number of ASCII digits with an optional fraction, as the reader writes values
_PLAIN_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")


@lru_cache(maxsize=65536)
def decimals_of_value(value: str) -> int:
    """Decimals of a value as written (each sum over a long parcel list asks again for every parcel)."""
    if _PLAIN_NUMBER.fullmatch(value):  # ``4.0254``: the digits after the point (no exponent to read)
        point = value.find(".")
        return 0 if point < 0 else len(value) - point - 1
    return max(0, -int(Decimal(value).as_tuple().exponent))


def written(figure: Figure) -> str:
    """The figure as the plan wrote it, with its qualifier: ``"约47.6公顷"``, ``"50公顷以内"``."""
    text = f"{figure.value}{figure.unit}"
    if not figure.qualifier:
        return text
    if figure.bound or figure.qualifier in {"左右", "余", "多"}:
        return text + figure.qualifier
    return figure.qualifier + text


def lines_text(lines: Iterable[int]) -> str:
    """``"第20、21行"``."""
    distinct = sorted(set(lines))
    return "第" + "、".join(str(n) for n in distinct) + "行"


def cited(figure: Figure) -> str:
    """``第16行“计划储备土地”47.58公顷``: a figure with its line and label."""
    label = f"“{figure.label}”" if figure.label else ""
    return f"第{figure.line}行{label}{written(figure)}"


def approximate_note(figures: Iterable[Figure]) -> str:
    """Chinese note naming the approximate figures among ``figures`` (empty when there are none)."""
    approx = [f for f in figures if f.approximate]
    if not approx:
        return ""
    names = "、".join(cited(f) for f in approx)
    return f"{names}是约数，无法确证不一致，请核实准确数值。"


def carrying(figures: Iterable[Figure]) -> tuple[Figure, ...]:
    """The figures a comparison rests on: an approximate figure stated beside an exact one of the same
    quantity (``46.8613公顷（约702.92亩）``) is only its conversion — the exact figure carries the measure."""
    figures = tuple(figures)
    exact = {(f.line, f.label, f.quantity) for f in figures if not f.approximate}
    return tuple(f for f in figures if not (f.approximate and (f.line, f.label, f.quantity) in exact))


def finding(
    code: str,
    message: str,
    lines: Iterable[int],
    values: dict[str, str],
    *,
    severity: Severity = Severity.ERROR,
    figures: Iterable[Figure] = (),
) -> Finding:
    """Build a finding; an error that rests on approximate figures (约/左右) becomes a warning that says so."""
    note = approximate_note(figures) if severity is Severity.ERROR else ""
    if note:
        severity, message = Severity.WARNING, f"{message}{note}"
        values = {**values, "approximate": "true"}
    return Finding(code, severity, message, tuple(sorted(set(lines))), values)
