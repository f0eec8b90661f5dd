"""Rules on the parcel list (地块清单): its sum and count against the total, duplicates, carried-over codes.

Codes: ``parcels.sum_mismatch`` (error), ``parcels.sum_rounding`` and ``parcels.partial`` (warning),
``count.mismatch`` (error), ``parcels.duplicate_code`` and ``parcels.duplicate`` (error),
``parcels.carried_over`` (info), ``landuse.ambiguous`` / ``landuse.unknown`` for parcel uses.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ..findings import Finding, Severity
from ..plans import Dimension, Item, Measure, PlanDocument, PlanParcel, Total
from ..units import Quantity
from .breakdowns import land_use_findings
from .measures import claim, is_bound, measure_interval
from .messages import (
    amount,
    cited,
    difference,
    figure_decimals,
    finding,
    lines_text,
    range_digits,
    range_values,
    written,
)
from .sums import PartsSum, stated_text

#: two areas that overlap are "the same" only when both are written to this relative precision
SAME_AREA_PRECISION = Fraction(1, 1000)
#: a same-location, same-area pair is a certain duplicate (error) only with areas at least this precise
CERTAIN_AREA_PRECISION = Fraction(1, 100)
#: a location naming a street, village, house number … is specific enough to identify a parcel
_SPECIFIC_PLACE = re.compile(r"[路街道巷侧号村组河渠桥]|社区")
_LOCATION_NOISE = re.compile(r"[\s、，,。．.；;：:（）()“”\"'·\-－—]+")
_CODE_NOISE = re.compile(r"[\s]+")
_DASHES = re.compile(r"[－—–‐−]")
_YEAR_IN_CODE = re.compile(r"(?<!\d)(20\d\d)(?=\D|\d{2,4}$|$)")


def parcels_total(doc: PlanDocument) -> Total | None:
    """The total the parcel list should add up to, as the importer determined it (none: no sum check).

    No fallback to the reserve scale: in a supply notice the list may belong to another total.
    """
    return doc.parcels_total


def _area(parcel: PlanParcel) -> Measure | None:
    area = parcel.area
    return area if area is not None and area.primary.quantity is Quantity.AREA else None


def _parts(parcels: list[PlanParcel]) -> PartsSum:
    return PartsSum(tuple(m for m in map(_area, parcels) if m is not None))


def _display(parcels: list[PlanParcel]) -> tuple[str, int]:
    """Unit and decimals in which the list writes its areas."""
    areas = [m.primary for m in map(_area, parcels) if m is not None]
    unit = areas[0].unit if areas else "公顷"
    return unit, max((figure_decimals(f) for f in areas if f.unit == unit), default=4)


def _sum_amount(doc: PlanDocument, parcels: list[PlanParcel]) -> str:
    unit, decimals = _display(doc.parcels)
    return amount(_parts(parcels).base, unit, decimals)


def _total_text(total: Total) -> str:
    figure = total.measure.primary
    if is_bound(total.measure):
        return cited(figure)
    return f"第{figure.line}行“{figure.label}”{stated_text(figure, measure_interval(total.measure))}"


def _claims_complete(doc: PlanDocument, total: Total) -> bool:
    return total.count is not None and int(total.count.base_value) == len(doc.parcels)


def check_sum(doc: PlanDocument) -> list[Finding]:
    """The parcels' areas against the total they should make up."""
    total = parcels_total(doc)
    parts = _parts(doc.parcels)
    if total is None or not parts.measures or total.measure.primary.quantity is not Quantity.AREA:
        return []
    s, t = parts.span, claim(total.measure)
    all_areas = len(parts.measures) == len(doc.parcels)
    if s.lo > t.hi:
        return [_sum_finding(doc, parts, total, "超过")]
    if s.hi < t.lo:
        if all_areas and _claims_complete(doc, total):
            return [_sum_finding(doc, parts, total, "达不到")]
        return [_partial_finding(doc, parts, total)]
    if all_areas and not is_bound(total.measure) and not parts.rounds_to(total.measure.primary):
        return [_rounding_finding(doc, parts, total)]
    return []


def _gap(parts: PartsSum, figure) -> str:
    return difference(parts.in_unit(figure.unit), Decimal(figure.value), figure.unit)


def _without_duplicates_note(doc: PlanDocument, total: Total) -> str:
    """When the list holds duplicates and adds up without them, say so."""
    kept = _without_duplicates(doc)
    if len(kept) == len(doc.parcels) or not _parts(kept).span.overlaps(claim(total.measure)):
        return ""
    return f"清单中有重复地块，去除重复后合计{_sum_amount(doc, kept)}、{len(kept)}宗，与总规模相符。"


def _without_duplicates(doc: PlanDocument) -> list[PlanParcel]:
    repeated = {id(d.later) for d in find_duplicates(doc)}
    return [p for p in doc.parcels if id(p) not in repeated]


def _values(doc: PlanDocument, parts: PartsSum, total: Total) -> dict[str, str]:
    figure = total.measure.primary
    return {
        "stated": written(figure),
        "parcels_sum": _sum_amount(doc, doc.parcels),
        "difference": _gap(parts, figure),
        **range_values(parts.span, figure.unit, range_digits(figure)),
    }


def _heading(doc: PlanDocument, parts: PartsSum) -> str:
    return f"{lines_text(parts.lines)}地块清单{len(doc.parcels)}宗地块面积合计{_sum_amount(doc, doc.parcels)}"


def _sum_finding(doc: PlanDocument, parts: PartsSum, total: Total, how: str) -> Finding:
    figure = total.measure.primary
    message = (
        f"{_heading(doc, parts)}（按四舍五入为{parts.range_text(figure)}），{how}{_total_text(total)}，"
        f"相差{_gap(parts, figure)}，即使考虑四舍五入也不一致。{_without_duplicates_note(doc, total)}"
        f"请核对地块面积或总规模。"
    )
    lines = (*parts.lines, figure.line)
    figures = (*parts.figures, *total.measure.figures)
    return finding("parcels.sum_mismatch", message, lines, _values(doc, parts, total), figures=figures)


def _partial_finding(doc: PlanDocument, parts: PartsSum, total: Total) -> Finding:
    figure = total.measure.primary
    covered = Fraction(parts.base) / Fraction(figure.base_value) * 100 if figure.base_value else Fraction(0)
    count = ""
    if total.count is not None and int(total.count.base_value) != len(doc.parcels):
        count = f"；{cited(total.count)}，清单只列出{len(doc.parcels)}宗"
    message = (
        f"{_heading(doc, parts)}，只覆盖{_total_text(total)}的约{float(covered):.2f}%{count}。"
        f"地块清单只是部分地块，其余地块未列明。"
    )
    values = {**_values(doc, parts, total), "covered_share": f"{float(covered):.2f}%"}
    lines = tuple(sorted({*parts.lines, figure.line}))
    return Finding("parcels.partial", Severity.WARNING, message, lines, values)


def _rounding_finding(doc: PlanDocument, parts: PartsSum, total: Total) -> Finding:
    figure = total.measure.primary
    message = (
        f"{_heading(doc, parts)}，与{cited(figure)}的写法不同；但按四舍五入，地块面积之和可在"
        f"{parts.range_text(figure)}之间，与总规模相容，差异可由四舍五入解释，不是错误。"
    )
    lines = tuple(sorted({*parts.lines, figure.line}))
    return Finding("parcels.sum_rounding", Severity.WARNING, message, lines, _values(doc, parts, total))


def check_count(doc: PlanDocument) -> list[Finding]:
    """``count.mismatch``: the stated number of parcels (宗) against the list."""
    total = parcels_total(doc)
    if total is None or total.count is None or not doc.parcels:
        return []
    stated, listed = int(total.count.base_value), len(doc.parcels)
    if listed == stated or (listed < stated and _short_of_total(doc, total)):
        return []  # a shorter list that also falls short in area is reported as parcels.partial
    message = (
        f"{cited(total.count)}，而地块清单（{lines_text(p.line for p in doc.parcels)}）列出{listed}宗，不一致。"
        f"请核对宗数或地块清单。"
    )
    values = {"stated": written(total.count), "expected": f"{listed}宗"}
    lines = (total.count.line, doc.parcels[0].line)
    return [finding("count.mismatch", message, lines, values, figures=(total.count,))]


def _short_of_total(doc: PlanDocument, total: Total) -> bool:
    parts = _parts(doc.parcels)
    return bool(parts.measures) and parts.span.hi < claim(total.measure).lo


def normalise_location(text: str | None, jurisdiction: str | None) -> str:
    """Location text for comparison: full-width folded, punctuation and the county name removed."""
    if not text:
        return ""
    plain = _LOCATION_NOISE.sub("", unicodedata.normalize("NFKC", text))
    if jurisdiction:
        plain = plain.removeprefix(_LOCATION_NOISE.sub("", unicodedata.normalize("NFKC", jurisdiction)))
    return plain


def normalise_code(code: str) -> str:
    """``BC－CB2026001`` and ``bc-cb 2026001`` are the same code."""
    return _CODE_NOISE.sub("", _DASHES.sub("-", unicodedata.normalize("NFKC", code))).upper()


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


def find_duplicates(doc: PlanDocument) -> list[Duplicate]:
    """Parcels listed twice, each paired with the first listing it repeats."""
    kept: list[PlanParcel] = []
    # Only parcels with the same code or the same location can match: index them so that a
    # 10,000-parcel list costs n look-ups, not n² comparisons.
    by_key: dict[tuple[str, str], list[int]] = {}
    found = []
    for parcel in doc.parcels:
        keys = _duplicate_keys(doc, parcel)
        candidates = sorted({i for key in keys for i in by_key.get(key, ())})
        match = next((d for d in (_duplicate(doc, kept[i], parcel) for i in candidates) if d), None)
        if match:
            found.append(match)
            continue
        for key in keys:
            by_key.setdefault(key, []).append(len(kept))
        kept.append(parcel)
    return found


def _duplicate_keys(doc: PlanDocument, parcel: PlanParcel) -> list[tuple[str, str]]:
    place = normalise_location(parcel.location, doc.jurisdiction)
    return [("code", normalise_code(parcel.code))] + ([("place", place)] if place else [])


def _duplicate(doc: PlanDocument, first: PlanParcel, later: PlanParcel) -> Duplicate | None:
    if normalise_code(first.code) == normalise_code(later.code):
        return Duplicate(first, later, by_code=True)
    place = normalise_location(first.location, doc.jurisdiction)
    same_place = place and place == normalise_location(later.location, doc.jurisdiction)
    a, b = _area(first), _area(later)
    if same_place and a is not None and b is not None and same_area(a, b):
        precise = _precise(a, CERTAIN_AREA_PRECISION) and _precise(b, CERTAIN_AREA_PRECISION)
        return Duplicate(first, later, by_code=False, certain=precise and bool(_SPECIFIC_PLACE.search(place)))
    return None


def earlier_year_code(parcel: PlanParcel, year: int | None) -> int | None:
    """The year in the parcel's code when it is before the plan's year (a code from an earlier plan)."""
    found = _YEAR_IN_CODE.search(normalise_code(parcel.code))
    code_year = int(found.group(1)) if found else None
    return code_year if year and code_year and code_year < year else None


def check_duplicates(doc: PlanDocument) -> list[Finding]:
    """``parcels.duplicate_code`` / ``parcels.duplicate``: a parcel listed twice, with the total without it."""
    duplicates = find_duplicates(doc)
    if not duplicates:
        return []
    repeated = {id(d.later) for d in duplicates}
    without_all = [p for p in doc.parcels if id(p) not in repeated]
    return [_duplicate_finding(doc, d, len(duplicates), without_all) for d in duplicates]


def _why(doc: PlanDocument, d: Duplicate) -> str:
    a, b = d.first, d.later
    if d.by_code:
        return f"编号相同（{a.code}）"
    area = _area(b)
    area_text = written(area.primary) if area else ""
    return f"坐落相同（{b.location}）、面积相同（{area_text}）"


def _hint(doc: PlanDocument, d: Duplicate) -> str:
    old = earlier_year_code(d.later, doc.year)
    return f"（{d.later.code}似为{old}年度计划的编号）" if old else ""


def _total_counts_duplicates(doc: PlanDocument) -> bool:
    """Whether the stated total agrees with the list only when the duplicates are counted."""
    total = parcels_total(doc)
    return total is not None and _parts(doc.parcels).span.overlaps(claim(total.measure))


def _against_total(doc: PlanDocument, without_all: list[PlanParcel]) -> str:
    """How the list, with and without the duplicates, compares with the stated total."""
    total = parcels_total(doc)
    if total is None:
        return ""
    listed, stated = _sum_amount(doc, doc.parcels), claim(total.measure)
    if _parts(doc.parcels).span.overlaps(stated):
        return f"，而{cited(total.measure.primary)}与含重复地块的清单合计{listed}相符，说明总规模也计入了重复面积"
    if _parts(without_all).span.overlaps(stated):
        return f"，与{cited(total.measure.primary)}相符（含重复地块时清单合计{listed}）"
    return f"，而{cited(total.measure.primary)}，清单合计{listed}"


def _zone_notes(doc: PlanDocument, d: Duplicate) -> str:
    """Zones (空间布局) whose stated area matches their parcels only when the duplicate is counted."""
    notes = []
    for bd in doc.breakdowns:
        if bd.dimension is not Dimension.ZONE:
            continue
        for zone in bd.items:
            note = _zone_note(doc, d, zone)
            if note:
                notes.append(note)
    return "".join(notes)


def _zone_note(doc: PlanDocument, d: Duplicate, zone: Item) -> str:
    key = normalise_location(zone.name, doc.jurisdiction)
    if zone.area is None or not key or key not in normalise_location(d.later.location, doc.jurisdiction):
        return ""
    inside = [p for p in doc.parcels if key in normalise_location(p.location, doc.jurisdiction)]
    without = [p for p in inside if p is not d.later]
    stated = measure_interval(zone.area)
    if not (_parts(inside).span.overlaps(stated) and not _parts(without).span.overlaps(stated)):
        return ""
    return (
        f"第{zone.line}行“{zone.name}”{written(zone.area.primary)}与坐落在该区域的地块合计"
        f"{_sum_amount(doc, inside)}相符，也计入了重复面积（去除后为{_sum_amount(doc, without)}）。"
    )


def _duplicate_finding(doc: PlanDocument, d: Duplicate, n: int, without_all: list[PlanParcel]) -> Finding:
    a, b = d.first, d.later
    without_one = [p for p in doc.parcels if p is not b]
    sums = f"去除该重复地块后地块合计{_sum_amount(doc, without_one)}"
    if n > 1:
        sums += f"；去除全部{n}处重复后地块合计{_sum_amount(doc, without_all)}、{len(without_all)}宗"
    verdict = (
        "是同一地块重复列出"
        if d.certain
        else "可能是同一地块重复列出（坐落描述笼统或面积精度不足，也可能是相邻的两宗地块）"
    )
    advice = "请删除重复地块" if d.certain else "请核实；如确属重复，请删除"
    if _total_counts_duplicates(doc):
        advice += "，并相应修正储备规模、结构和布局中的数值"
    message = (
        f"第{b.line}行地块{b.code}与第{a.line}行地块{a.code}{_why(doc, d)}，{verdict}{_hint(doc, d)}。"
        f"{sums}{_against_total(doc, without_all)}。{_zone_notes(doc, d)}{advice}。"
    )
    code = "parcels.duplicate_code" if d.by_code else "parcels.duplicate"
    values = _duplicate_values(doc, d, without_one, without_all)
    if not d.certain:
        return Finding(code, Severity.WARNING, message, (a.line, b.line), {**values, "certain": "false"})
    return finding(code, message, (a.line, b.line), values)


def _duplicate_values(
    doc: PlanDocument, d: Duplicate, without_one: list[PlanParcel], without_all: list[PlanParcel]
) -> dict[str, str]:
    values = {
        "code": d.later.code,
        "duplicate_of": d.first.code,
        "list_total": _sum_amount(doc, doc.parcels),
        "without_duplicate": _sum_amount(doc, without_one),
        "without_all_duplicates": _sum_amount(doc, without_all),
    }
    area, total = _area(d.later), parcels_total(doc)
    if area:
        values["stated"] = written(area.primary)
    if total:
        values["stated_total"] = written(total.measure.primary)
    return values


def check_carried_over(doc: PlanDocument) -> list[Finding]:
    """``parcels.carried_over`` (info): parcels marked as carried over or coded in an earlier year."""
    carried = [p for p in doc.parcels if p.carried_over or earlier_year_code(p, doc.year)]
    if not carried:
        return []
    codes = "、".join(p.code for p in carried)
    message = (
        f"{lines_text(p.line for p in carried)}地块{codes}为以前年度计划结转的地块（或沿用以前年度的编号）；"
        f"请确认它们未在本年度清单中以新编号重复列出。"
    )
    values = {"codes": ",".join(p.code for p in carried)}
    return [Finding("parcels.carried_over", Severity.INFO, message, tuple(p.line for p in carried), values)]


def check_land_uses(doc: PlanDocument) -> list[Finding]:
    """Land-use labels given for parcels."""
    return [f for p in doc.parcels if p.use for f in land_use_findings(p.use, p.line, p.land_use)]
