"""Rules on stated changes against another year (比上年增加…公顷，增长…%): recomputed from the figures.

The other year's value is the stated figure of that year, or this year's figure less (or plus) the stated
difference. A stated difference must be what the two years' figures allow; a stated rate must lie in
the interval of the true ratio ``difference ÷ other year``. When it lies instead in ``difference ÷ this
year``, the message names the mistake: the rate was computed on the wrong base.
Code: ``change.mismatch`` (error; a warning when a figure is approximate).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ..findings import Finding
from ..plans import Change, Figure, PlanDocument
from ..units import Interval, factor
from .measures import figure_claim
from .messages import cited, figure_decimals, finding, range_text, written

HUNDRED = Fraction(100)


def check_changes(doc: PlanDocument) -> list[Finding]:
    """``change.mismatch`` for every stated change the figures contradict."""
    found: list[Finding] = []
    for change in doc.changes:
        found.extend(_check(change))
    return found


def _check(c: Change) -> list[Finding]:
    s = figure_claim(c.subject)
    if c.previous is not None:
        p = figure_claim(c.previous)
        if c.delta is not None:
            d = figure_claim(c.delta)
            implied = (s - p) if c.direction > 0 else (p - s)
            if not implied.overlaps(d):
                return [_delta_finding(c, implied)]
    elif c.delta is not None:
        d = figure_claim(c.delta)
        p = Interval(s.lo - d.hi, s.hi - d.lo) if c.direction > 0 else Interval(s.lo + d.lo, s.hi + d.hi)
    else:
        return []
    if c.rate is None or p.lo <= 0:
        return []
    rate = _rate(c, s, p)
    stated = figure_claim(c.rate)
    if rate.overlaps(stated):
        return []
    return [_rate_finding(c, rate, p)]


def _rate(c: Change, s: Interval, p: Interval) -> Interval:
    """The true rate in %: (this − other) ÷ other for an increase, (other − this) ÷ other for a decrease."""
    if c.delta is not None and c.previous is None:
        d = figure_claim(c.delta)
        # other = this ∓ difference: the rate is difference ÷ (this ∓ difference)
        if c.direction > 0:
            return Interval(
                d.lo * HUNDRED / (s.hi - d.lo), d.hi * HUNDRED / max(s.lo - d.hi, Fraction(1, 10**9))
            )
        return Interval(d.lo * HUNDRED / (s.hi + d.hi), d.hi * HUNDRED / (s.lo + d.lo))
    if c.direction > 0:
        return Interval((s.lo / p.hi - 1) * HUNDRED, (s.hi / p.lo - 1) * HUNDRED)
    return Interval((1 - s.hi / p.lo) * HUNDRED, (1 - s.lo / p.hi) * HUNDRED)


def _delta_finding(c: Change, implied: Interval) -> Finding:
    assert c.previous is not None and c.delta is not None
    unit = c.delta.unit
    digits = figure_decimals(c.delta) + 2
    how = "增加" if c.direction > 0 else "减少"
    message = (
        f"{cited(c.subject)}与{cited(c.previous)}相比应{how}{range_text(implied, unit, digits)}，"
        f"而第{c.delta.line}行写{how}{written(c.delta)}，即使考虑四舍五入也不一致。请核对两年的数值或增减量。"
    )
    values = {"stated": written(c.delta), "expected": range_text(implied, unit, digits)}
    figures = (c.subject, c.previous, c.delta)
    return finding(
        "change.mismatch", message, (c.subject.line, c.previous.line, c.delta.line), values, figures=figures
    )


def _rate_finding(c: Change, rate: Interval, p: Interval) -> Finding:
    assert c.rate is not None
    digits = figure_decimals(c.rate) + 2
    other = written(c.previous) if c.previous is not None else _amount(p.mid, c.subject)
    how = "增长" if c.direction > 0 else "下降"
    if c.previous is not None:
        base = f"上一年为{cited(c.previous)}"
    else:
        assert c.delta is not None  # without the other year's figure, the rate rests on the stated delta
        base = f"上一年应为{written(c.subject)}{'－' if c.direction > 0 else '＋'}{written(c.delta)}＝{other}"
    message = (
        f"{cited(c.subject)}，{base}，{how}率应为{range_text(rate, '%', digits)}，而文中写{written(c.rate)}，"
        f"即使考虑四舍五入也不一致。{_wrong_base(c)}请核对{how}率。"
    )
    values = {"stated": written(c.rate), "expected": range_text(rate, "%", digits), "other_year": other}
    lines = tuple(f.line for f in (c.subject, c.previous, c.delta, c.rate) if f is not None)
    figures = tuple(f for f in (c.subject, c.previous, c.delta, c.rate) if f is not None)
    return finding("change.mismatch", message, lines, values, figures=figures)


def _wrong_base(c: Change) -> str:
    """When the stated rate is the difference divided by this year's figure: say so."""
    assert c.rate is not None
    s = figure_claim(c.subject)
    if c.delta is not None:
        d = figure_claim(c.delta)
        difference = written(c.delta)
    elif c.previous is not None:
        p = figure_claim(c.previous)
        d = (s - p) if c.direction > 0 else (p - s)
        difference = _amount(d.mid, c.subject)
    else:
        return ""
    if s.lo <= 0 or d.hi <= 0:
        return ""
    wrong = Interval(max(d.lo, Fraction(0)) * HUNDRED / s.hi, d.hi * HUNDRED / s.lo)
    if not wrong.overlaps(figure_claim(c.rate)):
        return ""
    return (
        f"文中的{written(c.rate)}等于{difference}÷{written(c.subject)}，即用本年数值而不是上一年数值作了"
        f"分母（计算基数错误）。"
    )


def _amount(base: Fraction, like: Figure) -> str:
    value = base / factor(like.unit)
    decimals = figure_decimals(like)
    shown = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal(1).scaleb(-decimals))
    return f"{shown}{like.unit}"
