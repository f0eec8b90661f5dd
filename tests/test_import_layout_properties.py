"""Generated plans in the layouts of ``test_import_layouts``: correctly rounded ones get no error, one
perturbed figure gets an error on its line.

Areas are drawn in ㎡ (two decimals), every written figure is rounded from them half-up, so the
documents are consistent by construction; years tables are written with tabs, aligned with spaces,
or copied one cell per line.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from landreserve.domain.audit import audit_plan
from landreserve.importers import parse_plan_text

USES = ("住宅用地", "商服用地", "工业用地", "公共管理与公共服务用地")


def _ha(m2: Decimal) -> str:
    return str((m2 / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


_AREA = st.integers(5_000_00, 90_000_000).map(lambda cents: Decimal(cents) / 100)


@st.composite
def years_tables(draw) -> tuple[list[int], list[str], dict[int, dict[str, Decimal]], str]:
    first = draw(st.integers(2024, 2027))
    years = list(range(first, first + draw(st.integers(2, 3))))
    uses = list(USES[: draw(st.integers(2, 4))])
    areas = {y: {u: draw(_AREA) for u in uses} for y in years}
    return years, uses, areas, draw(st.sampled_from(["tab", "wide", "cells"]))


def _render(years, uses, areas, layout: str, bump: tuple[int, Decimal] | None = None) -> tuple[str, int]:
    """The plan text, and the line of the 储备面积 row."""
    totals = {y: sum(areas[y].values()) for y in years}
    cells = [["项目", *(f"{y}年" for y in years), "合计"]]
    reserve = [_ha(totals[y]) for y in years]
    if bump is not None:
        i, delta = bump
        reserve[i] = str(Decimal(reserve[i]) + delta)
    cells.append(["储备面积（公顷）", *reserve, _ha(sum(totals.values()))])
    for u in uses:
        cells.append(
            [f"{u}（公顷）", *(_ha(areas[y][u]) for y in years), _ha(sum(areas[y][u] for y in years))]
        )
    head = [f"某县{years[0]}—{years[-1]}年土地储备三年滚动计划", "二、分年度安排"]
    if layout == "cells":
        return "\n".join(head + [c for row in cells for c in row]), len(head) + len(cells[0]) + 1
    separator = "\t" if layout == "tab" else "    "
    return "\n".join(head + [separator.join(row) for row in cells]), len(head) + 2


def _errors(text: str) -> list:
    return [f for f in audit_plan(parse_plan_text(text, "x.txt")) if f.severity.value == "error"]


@settings(max_examples=60, deadline=None)
@given(years_tables())
def test_consistent_years_tables_get_no_error(table):
    text, _line = _render(*table)
    assert [(f.code, f.message) for f in _errors(text)] == []


@settings(max_examples=60, deadline=None)
@given(years_tables(), st.data())
def test_a_perturbed_year_gets_an_error_on_its_row(table, data):
    years = table[0]
    i = data.draw(st.integers(0, len(years) - 1))
    # beyond what rounding can explain: 0.005 公顷 for each of at most 4 years (or uses) and the total
    delta = Decimal(data.draw(st.integers(5, 500))) / 100
    text, line = _render(*table, bump=(i, delta))
    errors = _errors(text)
    assert any(f.code == "breakdown.sum_mismatch" and line in f.lines for f in errors), text


@settings(max_examples=60, deadline=None)
@given(st.lists(_AREA, min_size=2, max_size=4))
def test_respectively_lists_of_correctly_rounded_uses_get_no_error(areas):
    uses = USES[: len(areas)]
    names = "、".join(u.removesuffix("用地") for u in uses[:-1]) + f"、{uses[-1]}"
    values = "、".join(_ha(a) for a in areas)
    text = f"某县2026年土地储备计划\n计划储备土地{_ha(sum(areas))}公顷。{names}分别为{values}公顷。"
    doc = parse_plan_text(text, "x.txt")
    assert [i.name for b in doc.breakdowns for i in b.items] == list(uses)
    assert [(f.code, f.message) for f in audit_plan(doc) if f.severity.value == "error"] == []


def _mu(m2: Decimal) -> str:
    return str((m2 * Decimal("0.0015")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _pct(part: Decimal, whole: Decimal) -> str:
    return str((part * 100 / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


_TOTALS = (
    "计划储备土地{ha}公顷。",
    "全县共计划储备国有建设用地{n}宗，面积{ha}公顷（{mu}亩）。",
    "本年度土地储备规模为{ha}公顷。",
    "2026年全县计划储备土地{n}宗、面积{mu}亩。",
)


def _use_split(form: int, uses: list[str], areas: list[Decimal], total: Decimal) -> str:
    if form == 0:
        return "其中" + "、".join(f"{u}{_ha(a)}公顷" for u, a in zip(uses, areas, strict=True)) + "。"
    if form == 1:
        return (
            "按用途分："
            + "；".join(f"{u}{_ha(a)}公顷，占{_pct(a, total)}%" for u, a in zip(uses, areas, strict=True))
            + "。"
        )
    if form == 2:
        names = "、".join(u.removesuffix("用地") for u in uses[:-1]) + f"、{uses[-1]}"
        return f"{names}分别为" + "、".join(_ha(a) for a in areas) + "公顷。"
    return (
        "\n用途\t面积（公顷）\t占比（%）\n"
        + "\n".join(f"{u}\t{_ha(a)}\t{_pct(a, total)}" for u, a in zip(uses, areas, strict=True))
        + f"\n合计\t{_ha(total)}\t\n"
    )


@settings(max_examples=80, deadline=None)
@given(st.lists(_AREA, min_size=2, max_size=4), st.integers(0, 3), st.integers(0, 3), st.integers(1, 60))
def test_plans_phrased_in_many_ways_get_no_error_when_correctly_rounded(areas, total_form, split_form, n):
    uses = list(USES[: len(areas)])
    total = sum(areas)
    head = _TOTALS[total_form].format(ha=_ha(total), mu=_mu(total), n=n)
    text = f"某县2026年度土地储备计划\n一、储备规模\n{head}\n二、储备结构\n{_use_split(split_form, uses, areas, total)}"
    assert [(f.code, f.message) for f in _errors(text)] == [], text
