"""Parts against their total: the interval of a sum of rounded figures, and how to show it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from functools import cached_property

from ..plans import Figure, Measure
from ..units import Interval, Quantity, factor
from .measures import claim
from .messages import decimals_of_value, figure_decimals, range_digits, range_text, written


@dataclass(frozen=True)
class PartsSum:
    """The sum of several stated measures (breakdown items, parcels)."""

    measures: tuple[Measure, ...]

    @cached_property
    def span(self) -> Interval:
        """All values the parts' true sum can take, given how each part was rounded (and bounded).

        Plain figures are added per unit as decimals and converted once (a 10,000-parcel list costs
        milliseconds); measures in several units or with bounds are added as intervals.
        """
        lo = hi = Fraction(0)
        # per unit: the values as written, then their sum and how many have each number of decimals
        by_unit: dict[str, list[str]] = {}
        with localcontext() as ctx:
            ctx.prec = 60
            for m in self.measures:
                f = m.figures[0]
                if len(m.figures) > 1 or f.qualifier or f.quantity is Quantity.COUNT:
                    span = claim(m)
                    lo, hi = lo + span.lo, hi + span.hi
                    continue
                values = by_unit.get(f.unit)
                if values is None:
                    values = by_unit[f.unit] = []
                values.append(f.value)
            for unit, values in by_unit.items():
                value = sum(map(Decimal, values), Decimal(0))
                counts = Counter(map(decimals_of_value, values))
                half = sum((Decimal(5).scaleb(-d - 1) * n for d, n in counts.items()), Decimal(0))
                lo += Fraction(value - half) * factor(unit)
                hi += Fraction(value + half) * factor(unit)
        return Interval(lo, hi)

    @cached_property
    def bounded(self) -> bool:
        """Whether a part is only a bound (以内/以上): its written sum then proves nothing about rounding."""
        # a figure without a qualifier is no bound: only the few with one are asked
        return any(f.qualifier is not None and f.bound for m in self.measures for f in m.figures)

    @cached_property
    def base(self) -> Fraction:
        """Sum of the values as written, in base units."""
        with localcontext() as ctx:
            ctx.prec = 60
            return Fraction(sum((m.primary.base_value for m in self.measures), Decimal(0)))

    @property
    def lines(self) -> tuple[int, ...]:
        return tuple(m.line for m in self.measures)

    @property
    def figures(self) -> tuple[Figure, ...]:
        return tuple(f for m in self.measures for f in m.figures)

    @cached_property
    def _primaries(self) -> tuple[list[str], list[str]]:
        """The unit and the value of each part's primary figure."""
        figures = [m.figures[0] for m in self.measures]
        return [f.unit for f in figures], [f.value for f in figures]

    def in_unit(self, unit: str) -> Decimal:
        """Sum of the written values expressed in ``unit`` (exact when all parts use ``unit``)."""
        units, values = self._primaries
        if units.count(unit) == len(units):  # every part in ``unit``
            return sum(map(Decimal, values), Decimal(0))
        digits = max(figure_decimals(m.primary) for m in self.measures) + 2
        value = self.base / factor(unit)
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        rounded = exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP).normalize()
        return Decimal(format(rounded, "f"))  # 60, never 6E+1, in a message

    def rounds_to(self, total: Figure) -> bool:
        """Whether the written parts add up to the total as written (after rounding to its decimals)."""
        if self.bounded:
            return True
        step = Decimal(1).scaleb(-figure_decimals(total))
        return self.in_unit(total.unit).quantize(step, rounding=ROUND_HALF_UP) == Decimal(total.value)

    def text(self, unit: str, *, max_terms: int = 8) -> str:
        """``"39.52+8.05=47.57公顷"``, ``"5000万元+2500万元，合计0.75亿元"``, or ``"13项合计…"`` for long lists."""
        value = format(self.in_unit(unit), "f")
        if len(self.measures) > max_terms:
            return f"{len(self.measures)}项合计{value}{unit}"
        if all(m.primary.unit == unit for m in self.measures):
            return "+".join(m.primary.value for m in self.measures) + f"={value}{unit}"
        return "+".join(written(m.primary) for m in self.measures) + f"，合计{value}{unit}"

    def range_text(self, total: Figure) -> str:
        """The sum's interval in the total's unit, e.g. ``"47.56～47.58公顷"``."""
        return range_text(self.span, total.unit, range_digits(total))


def stated_text(total: Figure, span: Interval) -> str:
    """``"47.58公顷（47.575～47.585公顷）"``: a total as written with the interval it stands for."""
    return f"{written(total)}（{range_text(span, total.unit, range_digits(total))}）"
