"""Property tests: generated plans whose figures are correctly rounded get no error; one figure
perturbed beyond what rounding can explain gets an error that names it.

A plan is generated from unrounded parcel areas (hundredths of ㎡): the total, stock land, the splits by
use and by zone, the shares (sometimes forced to add up to 100.00 %), the 亩 conversions and a split of
the funds are all derived from the unrounded values and then rounded half-up to 2 or 4 decimals, as a
county would publish them. Every figure is a *slot* (value as written, unit, line); a perturbation moves
one slot by more than one unit of its last digit plus the rounding slack of everything it is compared
with, computed here independently from the written values.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from math import ceil

from hypothesis import given, settings
from hypothesis import strategies as st

from audit_builders import fig, item, parcel, plan
from landreserve.domain.audit import FINDING_CODES, audit_plan
from landreserve.domain.findings import Severity
from landreserve.domain.plans import Breakdown, Dimension, Evidence, Item, Measure, Total, TotalKind
from landreserve.domain.units import factor

USES = ["住宅用地", "商服用地", "工业用地", "公共管理与公共服务用地"]
ZONES = ["城区", "工业园区", "新区"]
PARCEL_UNITS = [("公顷", 4), ("㎡", 0), ("亩", 4), ("公顷", 2)]
FAST = settings(max_examples=200, deadline=None)


@dataclass(frozen=True)
class Slot:
    """One written figure: value as written, unit, decimals, line."""

    value: str
    unit: str
    decimals: int
    line: int

    @property
    def half(self) -> Fraction:
        """Half a unit of the last digit, in base units."""
        return Fraction(1, 2 * 10**self.decimals) * factor(self.unit)


def written(value: Fraction, unit: str, decimals: int) -> str:
    """``value`` (base units) in ``unit``, rounded half-up to ``decimals``, as a county would write it."""
    exact = value / factor(unit)
    d = Decimal(exact.numerator) / Decimal(exact.denominator)
    return str(d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def slot(value: Fraction, unit: str, decimals: int, line: int) -> Slot:
    return Slot(written(value, unit, decimals), unit, decimals, line)


@dataclass(frozen=True)
class Generated:
    """A generated plan as slots, with its structure."""

    slots: dict[str, Slot]
    use_groups: tuple[tuple[int, ...], ...]
    zone_groups: tuple[tuple[int, ...], ...]
    funds_items: int
    has_count: bool
    forced: bool
    mu_first: bool = False
    parcel_uses: bool = False


def _groups(draw, n: int, k: int) -> tuple[tuple[int, ...], ...]:
    labels = list(range(k)) + draw(st.lists(st.integers(0, k - 1), min_size=n - k, max_size=n - k))
    labels = draw(st.permutations(labels))
    return tuple(tuple(i for i in range(n) if labels[i] == g) for g in range(k))


def _shares(values: list[Fraction], whole: Fraction, forced: bool) -> list[str]:
    """Shares of ``whole`` in %, rounded to 2 decimals; when ``forced``, the largest absorbs the residual."""
    shares = [Decimal(written(v * 100 / whole, "%", 2)) for v in values]
    if forced:
        biggest = max(range(len(values)), key=lambda i: values[i])
        shares[biggest] += Decimal(100) - sum(shares)
    return [str(s) for s in shares]


@st.composite
def generated_plans(draw) -> Generated:
    n = draw(st.integers(1, 10))
    areas = [Fraction(a, 100) for a in draw(st.lists(st.integers(1_000, 30_000_000), min_size=n, max_size=n))]
    whole = sum(areas, Fraction(0))
    total_dec = draw(st.sampled_from([2, 4]))
    item_dec = draw(st.sampled_from([2, 4]))
    parcel_unit, parcel_dec = draw(st.sampled_from(PARCEL_UNITS))
    forced = draw(st.booleans())
    slots = {
        "total_ha": slot(whole, "公顷", total_dec, 1),
        "total_mu": slot(whole, "亩", 2, 1),
    }
    has_count = draw(st.booleans())
    if has_count:
        slots["count"] = Slot(str(n), "宗", 0, 1)
    stock_parts = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    stock = sum((a for a, s in zip(areas, stock_parts, strict=True) if s), Fraction(0))
    if stock:
        slots["stock_ha"] = slot(stock, "公顷", 2, 2)
        slots["stock_mu"] = slot(stock, "亩", 2, 2)
    if stock and stock != whole:  # 存量 + 新增 = 总量, with their parcel counts
        slots["new_ha"] = slot(whole - stock, "公顷", 2, 5)
        if has_count:
            slots["stock_count"] = Slot(str(sum(stock_parts)), "宗", 0, 2)
            slots["new_count"] = Slot(str(n - sum(stock_parts)), "宗", 0, 5)
    use_groups = _groups(draw, n, draw(st.integers(1, min(len(USES), n))))
    use_areas = [sum((areas[i] for i in g), Fraction(0)) for g in use_groups]
    for j, (value, share) in enumerate(zip(use_areas, _shares(use_areas, whole, forced), strict=True)):
        slots[f"use{j}_area"] = slot(value, "公顷", item_dec, 10 + j)
        slots[f"use{j}_share"] = Slot(share, "%", 2, 10 + j)
        if has_count:
            slots[f"use{j}_count"] = Slot(str(len(use_groups[j])), "宗", 0, 10 + j)
    zone_groups = _groups(draw, n, draw(st.integers(1, min(len(ZONES), n))))
    for j, g in enumerate(zone_groups):
        slots[f"zone{j}_area"] = slot(sum((areas[i] for i in g), Fraction(0)), "公顷", item_dec, 20 + j)
    funds = [Fraction(f) for f in draw(st.lists(st.integers(1, 10**9), min_size=1, max_size=4))]
    slots["funds_total"] = slot(sum(funds, Fraction(0)), "亿元", 4, 3)
    for j, money in enumerate(funds):
        slots[f"fund{j}"] = slot(money, "万元", 2, 30 + j)
    for i, a in enumerate(areas):
        slots[f"parcel{i}"] = slot(a, parcel_unit, parcel_dec, 40 + i)
    flags = draw(st.booleans()), draw(st.booleans())
    return Generated(slots, use_groups, zone_groups, len(funds), has_count, forced, *flags)


def _measure(*slots: Slot, label: str = "") -> Measure:
    return Measure(tuple(fig(s.value, s.unit, s.line, label) for s in slots))


def build(g: Generated):
    """The PlanDocument an importer would read from the generated figures."""
    s = g.slots
    count = fig(s["count"].value, "宗", 1, "计划储备") if "count" in s else None
    scale = (s["total_mu"], s["total_ha"]) if g.mu_first else (s["total_ha"], s["total_mu"])
    reserve = Total(TotalKind.RESERVE, "计划储备", _measure(*scale, label="计划储备"), count)
    totals = [reserve]
    splits = []
    if "stock_ha" in s:
        stock = _total(TotalKind.STOCK, "存量土地", s, "stock_ha", "stock_mu", count="stock_count")
        totals.append(stock)
    if "new_ha" in s:
        new = _total(TotalKind.NEW, "新增土地", s, "new_ha", count="new_count")
        totals.append(new)
        parts = (Item("存量土地", 2, area=stock.measure), Item("新增土地", 5, area=new.measure))
        splits.append(Breakdown(Dimension.STOCK, "存量与新增", 2, parts, reserve))
    funds = Total(TotalKind.FUNDS, "资金总量", _measure(s["funds_total"], label="资金总量"))
    totals.append(funds)
    uses = []
    for j in range(len(g.use_groups)):
        area, share = s[f"use{j}_area"], s[f"use{j}_share"]
        counted = s[f"use{j}_count"].value if f"use{j}_count" in s else None
        uses.append(item(USES[j], area.line, (area.value, area.unit), share=share.value, count=counted))
    zones = [item(ZONES[j], 20 + j, (s[f"zone{j}_area"].value, "公顷")) for j in range(len(g.zone_groups))]
    spent = [item(f"用途{j}", 30 + j, money=(s[f"fund{j}"].value, "万元")) for j in range(g.funds_items)]
    use_of = {i: USES[j] for j, grp in enumerate(g.use_groups) for i in grp}
    parcels = [
        parcel(
            f"T-{i:04d}",
            s[f"parcel{i}"].line,
            f"第{i}号路东侧",
            s[f"parcel{i}"].value,
            s[f"parcel{i}"].unit,
            use=use_of[i] if g.parcel_uses else None,
        )
        for i in range(len(use_of))
    ]
    return plan(
        totals=totals,
        breakdowns=[
            Breakdown(Dimension.USE, "储备结构", 10, tuple(uses), reserve, evidence=(_SUM,)),
            # every split states its 合计: proven complete even when a perturbed share no longer proves it
            Breakdown(Dimension.ZONE, "空间布局", 20, tuple(zones), reserve, evidence=(_SUM,)),
            Breakdown(Dimension.FUNDS_USE, "资金用途", 30, tuple(spent), funds, evidence=(_SUM,)),
            *splits,
        ],
        parcels=parcels,
        parcels_total=reserve,
    )


_SUM = Evidence("合计", 20, "合计")


def _total(kind: TotalKind, label: str, s: dict[str, Slot], *keys: str, count: str) -> Total:
    counted = fig(s[count].value, "宗", s[count].line, label) if count in s else None
    return Total(kind, label, _measure(*(s[k] for k in keys), label=label), counted)


def _errors(g: Generated):
    return [f for f in audit_plan(build(g)) if f.severity is Severity.ERROR]


@FAST
@given(generated_plans())
def test_correctly_rounded_plans_have_no_error(g):
    assert _errors(g) == []


# --- perturbation ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Span:
    """A stated quantity written in two units: it allows the hull of both figures' intervals."""

    lo: Fraction
    hi: Fraction

    @property
    def half(self) -> Fraction:
        return (self.hi - self.lo) / 2


def _hull(*slots: Slot) -> _Span:
    lows = [Fraction(Decimal(x.value)) * factor(x.unit) - x.half for x in slots]
    highs = [Fraction(Decimal(x.value)) * factor(x.unit) + x.half for x in slots]
    return _Span(min(lows), max(highs))


def _scale(s: dict[str, Slot]) -> _Span:
    return _hull(s["total_ha"], s["total_mu"])


def _peers(g: Generated, key: str) -> list[Slot | _Span]:
    """What ``key`` is compared with: the slots whose rounding slack can hide a change of ``key``."""
    s = {**g.slots}
    if "stock_ha" in s:
        s["stock"] = _hull(s["stock_ha"], s["stock_mu"])
    s["total_ha"] = _scale(s)
    if key in ("total_ha", "total_mu", "stock_ha", "stock_mu"):
        s = g.slots  # a unit mismatch: the two figures' own intervals
    for prefix, count in (("use", len(g.use_groups)), ("zone", len(g.zone_groups))):
        if key.startswith(prefix) and key.endswith("_area"):
            return [
                s["total_ha"],
                *(s[f"{prefix}{j}_area"] for j in range(count) if f"{prefix}{j}_area" != key),
            ]
    if key.startswith("parcel"):
        return [s["total_ha"], *(v for k, v in s.items() if k.startswith("parcel") and k != key)]
    if key.startswith("fund"):
        return [s["funds_total"], *(v for k, v in s.items() if k.startswith("fund") and k != key)]
    if key == "new_ha":
        return [s["total_ha"], s["stock"]]
    partner = {"total_ha": "total_mu", "total_mu": "total_ha", "stock_mu": "stock_ha", "stock_ha": "stock_mu"}
    if key in partner:
        return [s[partner[key]]]
    return []


def _share_width(g: Generated, key: str) -> Fraction:
    """Width (in %) of the widest ratio interval the written areas allow for the share ``key``."""
    s = g.slots
    j = int(key.removeprefix("use").removesuffix("_share"))
    area = s[f"use{j}_area"]
    a, ha = Fraction(Decimal(area.value)), Fraction(area.half, 10000)
    scale = _scale(s)
    t_lo, t_hi = scale.lo / 10000, scale.hi / 10000
    others = [s[f"use{i}_area"] for i in range(len(g.use_groups)) if i != j]
    rest = sum((Fraction(Decimal(o.value)) for o in others), Fraction(0))
    hr = sum((Fraction(o.half, 10000) for o in others), Fraction(0))
    width_total = (a + ha) / t_lo - (a - ha) / t_hi
    lo_sum = a - ha + rest + hr
    width_sum = (a + ha) / (a + ha + max(rest - hr, Fraction(0))) - ((a - ha) / lo_sum if lo_sum > 0 else 0)
    return 100 * max(width_total, width_sum)


def delta(g: Generated, key: str) -> Decimal:
    """A change of ``key`` (in its unit, a multiple of its last digit) that rounding cannot explain."""
    target = g.slots[key]
    unit = Fraction(1, 10**target.decimals)
    if target.unit == "宗":
        return Decimal(1)
    if key.endswith("_share"):
        needed = 2 * Fraction(1, 200) + _share_width(g, key) + unit
    else:
        slack = target.half + sum((p.half for p in _peers(g, key)), Fraction(0))
        needed = (2 * slack) / factor(target.unit) + unit
    steps = ceil(needed / unit)
    return Decimal(steps) * Decimal(1).scaleb(-target.decimals)


PERTURBABLE = ("total_ha", "total_mu", "count", "stock", "new", "use", "zone", "fund", "parcel")


@FAST
@given(generated_plans(), st.data())
def test_one_perturbed_figure_gets_an_error_naming_it(g, data):
    keys = [k for k in sorted(g.slots) if k.startswith(PERTURBABLE)]
    if not g.has_count:
        keys = [k for k in keys if not k.endswith("_count")]
    key = data.draw(st.sampled_from(keys), label="perturbed")
    target = g.slots[key]
    d = delta(g, key)
    value = Decimal(target.value)
    # without a stated count the parcel list may be partial: only a parcel made larger is provable
    up = (
        data.draw(st.booleans(), label="up")
        or value - d <= 0
        or (key.startswith("parcel") and not g.has_count)
    )
    moved = replace(target, value=str(value + d if up else value - d))
    changed = replace(g, slots={**g.slots, key: moved})
    naming = [f for f in _errors(changed) if target.line in f.lines]
    assert naming, (
        f"{key}: {target.value} → {moved.value} gave {[f.code for f in audit_plan(build(changed))]}"
    )
    if not key.startswith("parcel"):
        # as written ("713.90亩") or as a term of a sum in the total's unit ("0.0134+0.0010=…公顷")
        assert any(moved.value in f.message for f in naming), (moved.value, [f.message for f in naming])


# --- any document: the auditor never fails -----------------------------------------------------------

QUALIFIERS = [None, None, None, "约", "左右", "以内", "以上", "不超过"]
AREA_UNITS = ["公顷", "亩", "㎡", "万平方米", "平方公里"]


@st.composite
def any_measures(draw, units=(*AREA_UNITS, "万元", "亿元")):
    count = draw(st.integers(1, 2))
    qualifier = draw(st.sampled_from(QUALIFIERS))
    figures = []
    for _ in range(count):
        value = draw(
            st.decimals(min_value=0, max_value=10**7, places=draw(st.integers(0, 4)), allow_nan=False)
        )
        figures.append(
            fig(str(value), draw(st.sampled_from(units)), draw(st.integers(1, 60)), "量", qualifier)
        )
    return Measure(tuple(figures))


@st.composite
def any_plans(draw):
    kinds = [TotalKind.RESERVE, TotalKind.STOCK, TotalKind.NEW, TotalKind.SUPPLY]
    totals = [
        Total(
            draw(st.sampled_from(kinds)),
            "总量",
            draw(any_measures()),
            fig(str(draw(st.integers(0, 30))), "宗", 1, "宗数") if draw(st.booleans()) else None,
            draw(st.sampled_from([None, 2026, 2027])),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    breakdowns = []
    for _ in range(draw(st.integers(0, 2))):
        items = []
        for j in range(draw(st.integers(0, 4))):
            share = draw(st.one_of(st.none(), st.decimals(0, 120, places=2, allow_nan=False)))
            items.append(
                replace(
                    item(draw(st.sampled_from(USES + ZONES + ["商住用地", "月球用地"])), 10 + j),
                    area=draw(st.one_of(st.none(), any_measures(tuple(AREA_UNITS)))),
                    money=draw(st.one_of(st.none(), any_measures(("元", "万元", "亿元")))),
                    share=fig(str(share), "%", 10 + j) if share is not None else None,
                    count=fig(str(draw(st.integers(0, 9))), "宗", 10 + j) if draw(st.booleans()) else None,
                )
            )
        of = draw(st.one_of(st.none(), st.sampled_from(totals))) if totals else None
        breakdowns.append(
            Breakdown(
                draw(st.sampled_from(list(Dimension))), "分项", 10, tuple(items), of, draw(st.booleans())
            )
        )
    places = ["甲路北侧", "乙路南侧", "工业园区", None]
    parcels = [
        parcel(
            draw(st.sampled_from(["A-1", "A－1", "B-2", "BC2025CB011", f"X-{i}"])),
            40 + i,
            draw(st.sampled_from(places)),
            str(draw(st.decimals(0, 100, places=draw(st.integers(0, 4)), allow_nan=False))),
            draw(st.sampled_from(AREA_UNITS)),
            carried_over=draw(st.booleans()),
            use=draw(st.sampled_from([None, "住宅用地", "综合用地"])),
        )
        for i in range(draw(st.integers(0, 6)))
    ]
    parcels_total = draw(st.one_of(st.none(), st.sampled_from(totals))) if totals else None
    return plan(year=2026, totals=totals, breakdowns=breakdowns, parcels=parcels, parcels_total=parcels_total)


@FAST
@given(any_plans())
def test_the_auditor_never_fails_on_any_document(doc):
    findings = audit_plan(doc)
    assert not [f for f in findings if f.code == "audit.rule_failed"], [f.message for f in findings]
    for f in findings:
        assert f.code in FINDING_CODES and f.message and all(isinstance(v, str) for v in f.values.values())
    assert findings == audit_plan(doc)
