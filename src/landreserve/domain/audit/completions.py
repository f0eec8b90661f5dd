"""Stated completion rates (完成率…%) recomputed from what was done and the plan it is measured against.

The true rate is ``done ÷ planned`` over the intervals both figures allow as written; the stated rate must
lie in it as rounded. Code: ``completion.mismatch`` (error; a warning when a figure is approximate).
"""

from __future__ import annotations

from fractions import Fraction

from ..findings import Finding
from ..plans import Completion, PlanDocument
from ..units import Interval
from .measures import figure_claim
from .messages import cited, figure_decimals, finding, range_text

HUNDRED = Fraction(100)


def check_completions(doc: PlanDocument) -> list[Finding]:
    """``completion.mismatch`` for every stated completion rate the two figures contradict."""
    return [f for c in doc.completions if (f := _check(c)) is not None]


def _check(c: Completion) -> Finding | None:
    done, planned, stated = figure_claim(c.done), figure_claim(c.planned), figure_claim(c.rate)
    if planned.lo <= 0 or c.done.quantity is not c.planned.quantity:
        return None
    rate = Interval(done.lo / planned.hi * HUNDRED, done.hi / planned.lo * HUNDRED)
    if rate.overlaps(stated):
        return None
    digits = figure_decimals(c.rate) + 2
    message = (
        f"{cited(c.done)}÷{cited(c.planned)}，完成率按四舍五入应为{range_text(rate, '%', digits)}，"
        f"而第{c.rate.line}行写作{c.rate.value}%，即使考虑四舍五入也不一致。请核对完成数、计划数或完成率。"
    )
    values = {"stated": f"{c.rate.value}%", "done": c.done.value, "planned": c.planned.value}
    lines = tuple(sorted({c.done.line, c.planned.line, c.rate.line}))
    return finding("completion.mismatch", message, lines, values, figures=(c.done, c.planned, c.rate))
