"""Rules on shares (占…%): each share against its areas, and the shares of a full split against 100 %.

A share is checked against the ratio interval ``[part.lo / total.hi, part.hi / total.lo]``; in a
complete split it may also have been computed from the sum of the parts, so a share is wrong only when
it fits neither. Plans often force shares to add up to exactly 100.00 %: then one share may carry the
rounding of all others, and each share is allowed that much more.
Codes: ``share.mismatch``, ``share.sum_mismatch`` (errors).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ..completeness import completeness
from ..findings import Finding
from ..plans import Breakdown, Completeness, Figure, Item, Measure
from ..units import Interval, Quantity
from .breakdowns import HUNDRED, item_measure
from .measures import claim, figure_claim, is_bound
from .messages import cited, figure_decimals, finding, lines_text, range_text, range_values, written


def _half_unit(figure: Figure) -> Fraction:
    return Fraction(1, 2 * 10 ** figure_decimals(figure))


def _ratio(part: Interval, whole: Interval) -> Interval | None:
    if whole.lo <= 0:
        return None
    return Interval(part.lo * HUNDRED / whole.hi, part.hi * HUNDRED / whole.lo)


def _ratio_of_sum(part: Interval, rest: Interval) -> Interval | None:
    """``part / (part + rest)`` in %: increasing in ``part``, decreasing in ``rest``."""
    lo_whole, hi_whole = part.lo + rest.hi, part.hi + rest.lo
    if lo_whole <= 0 or hi_whole <= 0:
        return None
    return Interval(part.lo * HUNDRED / lo_whole, part.hi * HUNDRED / hi_whole)


def _quantity(bd: Breakdown) -> Quantity:
    if bd.total is not None:
        return bd.total.measure.primary.quantity
    return Quantity.AREA if any(it.area for it in bd.items) else Quantity.MONEY


def _forced_to_hundred(bd: Breakdown) -> bool:
    shares = [it.share for it in bd.items]
    if any(s is None for s in shares):
        return False
    return sum((Decimal(s.value) for s in shares if s), Decimal(0)) == 100


def _expected(
    bd: Breakdown, item: Item, measures: list[Measure | None], complete: bool, above: tuple[Measure, ...] = ()
) -> list[Interval]:
    """Ratio intervals the item's share may have been computed from: of its total, of the sum of its
    split, or (a part of a part) of a total above."""
    own = item_measure(item, _quantity(bd))
    if own is None:
        return []
    part, candidates = claim(own), []
    if bd.total is not None and not is_bound(bd.total.measure):
        candidates.append(_ratio(part, claim(bd.total.measure)))
    for whole in above:
        if not is_bound(whole) and whole.primary.quantity is own.primary.quantity:
            candidates.append(_ratio(part, claim(whole)))
    if complete and all(m is not None for m in measures):
        rest = Interval.exact(Fraction(0))
        for m in measures:
            if m is not own and m is not None:
                rest = rest + claim(m)
        candidates.append(_ratio_of_sum(part, rest))
    return [c for c in candidates if c is not None]


def check_shares(
    bd: Breakdown, period: tuple[int, int] | None = None, above: tuple[Measure, ...] = ()
) -> list[Finding]:
    """``share.mismatch``: a stated share that no possible ratio of the stated areas gives."""
    quantity = _quantity(bd)
    measures = [item_measure(it, quantity) for it in bd.items]
    forced = _forced_to_hundred(bd)
    complete = completeness(bd, period)[0] is Completeness.COMPLETE
    slack_items = len(bd.items) - 1 if forced else 0
    found = []
    for item in bd.items:
        if item.share is None:
            continue
        expected = _expected(bd, item, measures, complete, above)
        share = item.share
        widen = _half_unit(share) * slack_items
        allowed = figure_claim(share)
        stated = Interval(allowed.lo - widen, allowed.hi + widen)
        if expected and not any(stated.overlaps(e) for e in expected):
            found.append(_share_finding(bd, item, expected[0], forced))
    return found


def _share_finding(bd: Breakdown, item: Item, expected: Interval, forced: bool) -> Finding:
    share = item.share
    assert share is not None
    own = item_measure(item, _quantity(bd))
    assert own is not None
    digits = figure_decimals(share) + 2
    by_total = bd.total is not None and not is_bound(bd.total.measure)
    whole = cited(bd.total.measure.primary) if by_total and bd.total else "各项合计"
    note = "（已考虑各比例被调整为合计100%的情形）" if forced else ""
    message = (
        f"第{item.line}行“{item.name}”{written(own.primary)}占{whole}的比例按四舍五入应在"
        f"{range_text(expected, '%', digits)}之间，而文中写{written(share)}{note}，不一致。请核对面积或比例。"
    )
    lines = (item.line, share.line, own.line, *((bd.total.measure.line,) if bd.total else ()))
    values = {"stated": written(share), **range_values(expected, "%", digits)}
    figures = (share, *own.figures, *(bd.total.measure.figures if bd.total else ()))
    return finding("share.mismatch", message, lines, values, figures=figures)


def check_share_sum(bd: Breakdown, period: tuple[int, int] | None = None) -> list[Finding]:
    """``share.sum_mismatch``: the shares of the items cannot exceed 100 %, and must be able to reach it
    when something other than the shares proves the split complete."""
    shares = [it.share for it in bd.items if it.share is not None]
    if not shares:
        return []
    span = Interval.exact(Fraction(0))
    for s in shares:
        span = span + figure_claim(s)
    state, evidence = completeness(bd, period)
    proven = state is Completeness.COMPLETE and any(e.cue not in ("shares", "shares_short") for e in evidence)
    complete = proven and len(shares) == len(bd.items)
    if span.lo > HUNDRED or (complete and span.hi < HUNDRED):
        return [_share_sum_finding(bd, shares, span)]
    return []


def _share_sum_finding(bd: Breakdown, shares: list[Figure], span: Interval) -> Finding:
    written_sum = sum((Decimal(s.value) for s in shares), Decimal(0))
    terms = "+".join(s.value for s in shares)
    digits = max(figure_decimals(s) for s in shares) + 1
    lines = [s.line for s in shares]
    how = "超过100%" if span.lo > HUNDRED else "达不到100%"
    message = (
        f"{lines_text(lines)}“{bd.title}”各项比例之和{terms}={written_sum}%，按四舍五入在"
        f"{range_text(span, '%', digits)}之间，{how}，不一致。请核对各项比例。"
    )
    values = {"stated": f"{written_sum}%", "expected": "100%", **range_values(span, "%", digits)}
    return finding("share.sum_mismatch", message, lines, values, figures=shares)
