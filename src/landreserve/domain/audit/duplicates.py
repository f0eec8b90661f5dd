"""Parcels listed twice: the same code, or a different code with the same location and area.

A finding says what the list (and the total) would be without the duplicate, and names a zone of the
layout whose area also counts it. Codes: ``parcels.duplicate_code``, ``parcels.duplicate`` (errors; a
same-location pair with a vague location or coarse areas is only a warning).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from ..findings import Finding, Severity
from ..plans import Dimension, Item, Measure, PlanDocument, PlanParcel
from ..units import Interval
from .measures import claim, measure_interval
from .messages import amount, cited, figure_decimals, finding, written
from .parcel_list import (
    ParcelList,
    area_of,
    earlier_year_code,
    normalise_location,
    parcel_claim,
    parcels_total,
    parts_of,
    without,
)

#: two areas that overlap are "the same" only when both are written to this relative precision
SAME_AREA_PRECISION = Fraction(1, 1000)
#: a same-location, same-area pair is a certain duplicate (error) only with areas at least this precise
CERTAIN_AREA_PRECISION = Fraction(1, 100)
#: a location naming a street, village, house number … is specific enough to identify a parcel
_SPECIFIC_PLACE = re.compile(r"[路街道巷侧号村组河渠桥]|社区")


def same_area(a: Measure, b: Measure) -> bool:
    """Equal as written in base units, or overlapping intervals that are both precise (≤ 0.1 %)."""
    if a.primary.base_value == b.primary.base_value:
        return True
    return _precise(a, SAME_AREA_PRECISION) and _precise(b, SAME_AREA_PRECISION) and _overlap(a, b)


def _overlap(a: Measure, b: Measure) -> bool:
    return measure_interval(a).overlaps(measure_interval(b))


def _precise(m: Measure, limit: Fraction) -> bool:
    """Whether the area is written precisely enough: its rounding interval is at most ``limit`` of it."""
    span = measure_interval(m)
    return span.hi > 0 and (span.hi - span.lo) <= limit * span.hi


@dataclass(frozen=True)
class Duplicate:
    """``later`` repeats ``first``: by code, or by location and area."""

    first: PlanParcel
    later: PlanParcel
    by_code: bool
    #: False when the location is vague or the areas coarse: perhaps two neighbouring parcels
    certain: bool = True


def find_duplicates(listing: ParcelList) -> list[Duplicate]:
    """Parcels listed twice, each paired with the first listing it repeats."""
    codes, places = listing.codes, listing.places
    kept: list[int] = []  # indices of the parcels kept (no repeat of one before)
    # Only parcels with the same code or the same location can match: index them so that a
    # 10,000-parcel list costs n look-ups, not n² comparisons.
    by_code: dict[str, list[int]] = {}
    by_place: dict[str, list[int]] = {}
    found = []
    for at, (code, place) in enumerate(zip(codes, places, strict=True)):
        same_code = by_code.get(code) if code else None
        same_place = by_place.get(place) if place else None
        if same_code or same_place:  # most parcels share no code or place with another
            candidates = sorted({*(same_code or ()), *(same_place or ())})
            match = next((d for d in (_duplicate(listing, kept[i], at) for i in candidates) if d), None)
            if match:
                found.append(match)
                continue
        if code:
            by_code.setdefault(code, []).append(len(kept))
        if place:
            by_place.setdefault(place, []).append(len(kept))
        kept.append(at)
    return found


def _duplicate(listing: ParcelList, first_at: int, later_at: int) -> Duplicate | None:
    first, later = listing.parcels[first_at], listing.parcels[later_at]
    code = listing.codes[first_at]
    if code and code == listing.codes[later_at]:
        return Duplicate(first, later, by_code=True)
    place = listing.places[first_at]
    same_place = place and place == listing.places[later_at]
    a, b = listing.areas[first_at], listing.areas[later_at]
    if same_place and a is not None and b is not None and same_area(a, b):
        precise = _precise(a, CERTAIN_AREA_PRECISION) and _precise(b, CERTAIN_AREA_PRECISION)
        return Duplicate(first, later, by_code=False, certain=precise and bool(_SPECIFIC_PLACE.search(place)))
    return None


def without_duplicates(listing: ParcelList) -> list[PlanParcel]:
    """The list with every repeated listing removed (the first listing kept)."""
    repeated = {id(d.later) for d in find_duplicates(listing)}
    return [p for p in listing.parcels if id(p) not in repeated]


@dataclass(frozen=True)
class _Zone:
    """A zone of the layout with the parcels located in it (their sum computed once)."""

    item: Item
    inside: frozenset[int]
    base: Fraction
    span: Interval


class _ListSums:
    """The list's sums, with and without all duplicates, computed once for all duplicate findings."""

    def __init__(self, listing: ParcelList, duplicates: list[Duplicate]):
        doc = listing.doc
        self.doc, self.listing, self.count = doc, listing, len(duplicates)
        self.unit = listing.unit
        repeated = {id(d.later) for d in duplicates}
        self.kept = [p for p in doc.parcels if id(p) not in repeated]
        listed, kept = listing.parts, parts_of(self.kept)
        self.base, self.span = listed.base, listed.span
        self.kept_base, self.kept_span = kept.base, kept.span
        total = parcels_total(doc)
        self.total = total
        self.total_claim = claim(total.measure) if total else None
        self.zones = list(self._zones())

    def _zones(self):
        places = self.listing.places
        for bd in self.doc.breakdowns:
            if bd.dimension is not Dimension.ZONE:
                continue
            for zone in bd.items:
                key = normalise_location(zone.name, self.doc.jurisdiction)
                if zone.area is None or not key:
                    continue
                inside = [p for p, place in zip(self.doc.parcels, places, strict=True) if key in place]
                parts = parts_of(inside)
                yield _Zone(zone, frozenset(map(id, inside)), parts.base, parts.span)

    @property
    def total_counts_duplicates(self) -> bool:
        """Whether the stated total agrees with the list only when the duplicates are counted."""
        return self.total_claim is not None and self.span.overlaps(self.total_claim)


def check_duplicates(listing: ParcelList) -> list[Finding]:
    """``parcels.duplicate_code`` / ``parcels.duplicate``: a parcel listed twice, with the total without it."""
    duplicates = find_duplicates(listing)
    if not duplicates:
        return []
    sums = _ListSums(listing, duplicates)
    return [_duplicate_finding(sums, d) for d in duplicates]


def _why(doc: PlanDocument, d: Duplicate) -> str:
    a, b = d.first, d.later
    if d.by_code:
        return f"编号相同（{a.code}）"
    area = area_of(b)
    area_text = written(area.primary) if area else ""
    return f"坐落相同（{b.location}）、面积相同（{area_text}）"


def _hint(doc: PlanDocument, d: Duplicate) -> str:
    old = earlier_year_code(d.later, doc.year)
    return f"（{d.later.code}似为{old}年度计划的编号）" if old else ""


def _against_total(sums: _ListSums) -> str:
    """How the list, with and without the duplicates, compares with the stated total."""
    if sums.total is None or sums.total_claim is None:
        return ""
    stated, listed = cited(sums.total.measure.primary), sums.unit.show(sums.base)
    if sums.total_counts_duplicates:
        return (
            f"，而{stated}与含重复地块的清单合计{listed}相符，说明总规模也计入了重复面积，"
            f"去除全部重复后应为{corrected_total(sums)}"
        )
    if sums.kept_span.overlaps(sums.total_claim):
        return f"，与{stated}相符（含重复地块时清单合计{listed}）"
    return f"，而{stated}，清单合计{listed}"


def corrected_total(sums: _ListSums) -> str:
    """The stated total without the duplicates, written as the plan writes it: ``"40.90公顷（613.55亩）"``."""
    assert sums.total is not None
    shown = [amount(sums.kept_base, f.unit, figure_decimals(f)) for f in sums.total.measure.figures]
    return shown[0] + "".join(f"（{more}）" for more in shown[1:])


def _zone_notes(sums: _ListSums, d: Duplicate) -> str:
    """Zones (空间布局) whose stated area matches their parcels only when the duplicate is counted."""
    return "".join(_zone_note(sums, d, zone) for zone in sums.zones if id(d.later) in zone.inside)


def _zone_note(sums: _ListSums, d: Duplicate, zone: _Zone) -> str:
    base, span = parcel_claim(d.later)
    if zone.item.area is None:
        return ""
    stated = measure_interval(zone.item.area)
    if not (zone.span.overlaps(stated) and not without(zone.span, span).overlaps(stated)):
        return ""
    return (
        f"第{zone.item.line}行“{zone.item.name}”{written(zone.item.area.primary)}与坐落在该区域的地块合计"
        f"{sums.unit.show(zone.base)}相符，也计入了重复面积（去除后为{sums.unit.show(zone.base - base)}）。"
    )


def _duplicate_finding(sums: _ListSums, d: Duplicate) -> Finding:
    doc, (a, b) = sums.doc, (d.first, d.later)
    without_one = sums.unit.show(sums.base - parcel_claim(b)[0])
    text = f"去除该重复地块后地块合计{without_one}"
    if sums.count > 1:
        text += f"；去除全部{sums.count}处重复后地块合计{sums.unit.show(sums.kept_base)}、{len(sums.kept)}宗"
    verdict = (
        "是同一地块重复列出"
        if d.certain
        else "可能是同一地块重复列出（坐落描述笼统或面积精度不足，也可能是相邻的两宗地块）"
    )
    advice = "请删除重复地块" if d.certain else "请核实；如确属重复，请删除"
    if sums.total_counts_duplicates:
        advice += "，并相应修正储备规模、结构和布局中的数值"
    message = (
        f"第{b.line}行地块{b.code}与第{a.line}行地块{a.code}{_why(doc, d)}，{verdict}{_hint(doc, d)}。"
        f"{text}{_against_total(sums)}。{_zone_notes(sums, d)}{advice}。"
    )
    code = "parcels.duplicate_code" if d.by_code else "parcels.duplicate"
    values = _duplicate_values(sums, d, without_one)
    if not d.certain:
        return Finding(code, Severity.WARNING, message, (a.line, b.line), {**values, "certain": "false"})
    return finding(code, message, (a.line, b.line), values)


def _duplicate_values(sums: _ListSums, d: Duplicate, without_one: str) -> dict[str, str]:
    values = {
        "code": d.later.code,
        "duplicate_of": d.first.code,
        "list_total": sums.unit.show(sums.base),
        "without_duplicate": without_one,
        "without_all_duplicates": sums.unit.show(sums.kept_base),
    }
    area = area_of(d.later)
    if area:
        values["stated"] = written(area.primary)
    if sums.total:
        values["stated_total"] = written(sums.total.measure.primary)
    if sums.total_counts_duplicates:
        values["corrected_total"] = corrected_total(sums)
    return values
