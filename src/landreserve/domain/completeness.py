"""Whether a split lists every part of its total: complete, partial or unknown — each with its evidence.

A shortfall (the parts add up to less than the total) is an inconsistency only when the split is proven
complete; a list that nothing claims complete may simply leave parts out. Evidence, strongest first:

- of the text (set by the importer on ``Breakdown.evidence``): a 合计 of the items (``合计``), a table's sum
  row or column (``table_sum``), 主要/部分/重点/…等 presenting the list as a part (``partial``), a list cut
  off by the end of the text or by an unreadable number (``cut``);
- of the figures (derived here): every item's share stated and the shares adding up to 100 % (``shares``;
  adding up to clearly less proves the list partial), every item's parcel count stated and the counts
  adding up to the total's count (``counts``), the years of a rolling plan covering its period, or all four
  quarters, both halves (``period``), stock and new land both stated (``pair``), a last item 其他/其余 that
  closes the list (``catch_all``).

Evidence of the list itself (a 合计 of the items, a catch-all item) proves completeness only when the
reader placed every amount the text lists among the items (``Breakdown.seen_all``); shares and counts
prove it whatever the reader missed (a missed part would have had a share or a count of its own).
"""

from __future__ import annotations

import re
from fractions import Fraction

from .plans import Breakdown, Completeness, Dimension, Evidence, Figure
from .units import Interval

#: cues of the text that prove the list complete (when every amount was placed) or partial
TEXT_COMPLETE = frozenset({"合计", "table_sum"})
TEXT_PARTIAL = frozenset({"partial"})
TEXT_CUT = frozenset({"cut"})

_QUARTER = re.compile(r"^第?([一二三四1-4])季度$")
_HALF = re.compile(r"^([上下])半年$")
_YEAR = re.compile(r"^(20\d{2})年度?$")
_CATCH_ALL = re.compile(r"^(?:其他|其它|其余|剩余)")
_HUNDRED = Fraction(100)
_UNBOUNDED = Fraction(10) ** 30


def completeness(
    bd: Breakdown, period: tuple[int, int] | None = None
) -> tuple[Completeness, tuple[Evidence, ...]]:
    """The completeness of ``bd`` and the evidence it rests on.

    ``period`` is the plan's span of years (a rolling plan's years prove a split by year complete when
    they cover it). A cut list (the text ends inside it, a number is unreadable) is never complete.
    """
    cues = {e.cue for e in bd.evidence}
    if cues & TEXT_CUT:
        return Completeness.UNKNOWN, tuple(e for e in bd.evidence if e.cue in TEXT_CUT)
    proofs = [e for e in bd.evidence if e.cue in TEXT_COMPLETE and bd.seen_all]
    proofs += [e for e in (_shares(bd), _counts(bd), _period(bd, period), _pair(bd), _catch_all(bd)) if e]
    if proofs:
        return Completeness.COMPLETE, tuple(proofs)
    partial = [e for e in bd.evidence if e.cue in TEXT_PARTIAL]
    short = _shares_short(bd)
    if short:
        partial.append(short)
    if partial:
        return Completeness.PARTIAL, tuple(partial)
    return Completeness.UNKNOWN, ()


def is_complete(bd: Breakdown, period: tuple[int, int] | None = None) -> bool:
    return completeness(bd, period)[0] is Completeness.COMPLETE


def _claim(figure: Figure) -> Interval:
    span = (
        Interval.exact(Fraction(figure.base_value)) if figure.unit in ("宗", "块", "个") else figure.interval
    )
    if figure.bound == "upper":
        return Interval(Fraction(0), span.hi)
    if figure.bound == "lower":
        return Interval(span.lo, _UNBOUNDED)
    return span


def share_span(shares: list[Figure]) -> Interval:
    """What the stated shares can add up to, given their rounding (and bounds)."""
    total = Interval.exact(Fraction(0))
    for s in shares:
        total = total + _claim(s)
    return total


def _all_shares(bd: Breakdown) -> list[Figure] | None:
    shares = [it.share for it in bd.items]
    if not shares or any(s is None or s.approximate or s.bound for s in shares):
        return None
    return [s for s in shares if s is not None]


def _shares(bd: Breakdown) -> Evidence | None:
    shares = _all_shares(bd)
    if shares is None or not share_span(shares).contains(_HUNDRED):
        return None
    terms = "+".join(s.value for s in shares)
    return Evidence("shares", shares[0].line, f"各项比例之和{terms}%可为100%")


def _shares_short(bd: Breakdown) -> Evidence | None:
    shares = _all_shares(bd)
    if shares is None or share_span(shares).hi >= _HUNDRED:
        return None
    terms = "+".join(s.value for s in shares)
    return Evidence("shares_short", shares[0].line, f"各项比例之和{terms}%不足100%，所列只是一部分")


def _counts(bd: Breakdown) -> Evidence | None:
    """Every item's parcel count stated, and the counts add up exactly to the total's count."""
    total = bd.total.count if bd.total is not None else None
    if total is None and bd.stated_sum is not None:
        total = bd.stated_sum.count
    counts = [it.count for it in bd.items]
    if total is None or total.bound or total.approximate or len(counts) < 2:
        return None
    if any(c is None or c.bound or c.approximate for c in counts):
        return None
    added = sum(int(c.base_value) for c in counts if c is not None)
    if added != int(total.base_value):
        return None
    return Evidence("counts", total.line, f"各项宗数之和{added}宗等于总宗数{total.value}宗")


def _period(bd: Breakdown, period: tuple[int, int] | None) -> Evidence | None:
    names = [it.name for it in bd.items]
    quarters = {m.group(1) for n in names if (m := _QUARTER.match(n))}
    if len(quarters) == 4 and len(names) == 4:
        return Evidence("period", bd.line, "四个季度齐全")
    halves = {m.group(1) for n in names if (m := _HALF.match(n))}
    if len(halves) == 2 and len(names) == 2:
        return Evidence("period", bd.line, "上、下半年齐全")
    if bd.dimension is not Dimension.YEAR or period is None or period[0] == period[1]:
        return None
    years = {int(m.group(1)) for n in names if (m := _YEAR.match(n))}
    if len(years) == len(names) and years == set(range(period[0], period[1] + 1)):
        return Evidence("period", bd.line, f"各年度覆盖计划期{period[0]}—{period[1]}年")
    return None


def areas_cover(bd: Breakdown) -> Evidence | None:
    """Every item's area stated and together they leave no room for another part: what the total allows
    beyond the parts is under 1 % of it (a missing part with parcels of its own would be larger).
    Evidence for the parcel counts of the split (宗), never for its areas."""
    from .audit.measures import claim  # the claim of a measure, bounds included

    total = bd.total.measure if bd.total is not None else None
    if total is None or any(f.bound or f.approximate for f in total.figures) or len(bd.items) < 2:
        return None
    quantity = total.primary.quantity
    parts = [
        m for it in bd.items for m in (it.area, it.money) if m is not None and m.primary.quantity is quantity
    ]
    if len(parts) != len(bd.items) or any(f.bound or f.approximate for m in parts for f in m.figures):
        return None
    lo = sum((claim(m).lo for m in parts), Fraction(0))
    hi = sum((claim(m).hi for m in parts), Fraction(0))
    whole = claim(total)
    if not Interval(lo, hi).overlaps(whole) or (whole.hi - lo) * 100 > whole.lo:
        return None
    return Evidence("areas", bd.line, "各项面积之和已达总量，没有余地再容纳其他分项")


def _pair(bd: Breakdown) -> Evidence | None:
    if bd.dimension is Dimension.STOCK and {i.name for i in bd.items} == {"存量土地", "新增土地"}:
        return Evidence("pair", bd.line, "存量土地与新增土地合为全部")
    return None


def _catch_all(bd: Breakdown) -> Evidence | None:
    """A last item named 其他…/其余… closes the list — provided every listed amount was read."""
    if len(bd.items) < 2 or not bd.seen_all or not bd.exhaustive:
        return None
    last = bd.items[-1]
    if not _CATCH_ALL.match(last.name):
        return None
    return Evidence("catch_all", last.line, f"最后一项“{last.name}”包括其余部分")
