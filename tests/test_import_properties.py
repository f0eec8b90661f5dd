"""Property tests: generated plans written in several styles read back to exactly what was written."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from landreserve.domain.plans import Dimension, TotalKind
from landreserve.domain.units import to_base
from landreserve.importers import parse_plan_text

_STREETS = ["人民路", "解放路", "建设街", "文化路", "迎宾大道", "滨河路", "胜利路", "团结路"]
_SIDES = ["东侧", "西侧", "南侧", "北侧"]
_USES = ["住宅用地", "商服用地", "工业用地", "公共管理与公共服务用地"]


@st.composite
def parcels(draw):
    n = draw(st.integers(min_value=1, max_value=12))
    decimals = draw(st.sampled_from([2, 4]))
    rows = []
    for i in range(1, n + 1):
        area = Decimal(draw(st.integers(min_value=1, max_value=999_999))).scaleb(-decimals)
        place = f"{draw(st.sampled_from(_STREETS))}{draw(st.sampled_from(_SIDES))}、{draw(st.sampled_from(_STREETS))}{draw(st.sampled_from(_SIDES))}"
        rows.append((i, f"QX-2026-{i:03d}", place, f"{area:.{decimals}f}", draw(st.sampled_from(_USES))))
    return rows


def _key_value(rows):
    return [
        f"{i}.地块编号：{code.replace('-', '－')}，土地坐落：{place}，面积：{area}公顷，用途：{use}；"
        for i, code, place, area, use in rows
    ]


def _table(rows, separator):
    header = separator.join(["序号", "地块编号", "土地坐落", "面积（公顷）", "用途"])
    return [header] + [separator.join([str(i), code, place, area, use]) for i, code, place, area, use in rows]


@settings(max_examples=60, deadline=None)
@given(parcels(), st.sampled_from(["key_value", "tab", "wide", "bar"]))
def test_parcel_lists_read_back_exactly(rows, style):
    total = sum(Decimal(r[3]) for r in rows)
    head = [
        "清溪县2026年土地储备计划",
        "一、年度储备规模",
        f"本年度计划储备土地{total}公顷。",
        "二、储备地块明细",
    ]
    body = {
        "key_value": _key_value,
        "tab": lambda r: _table(r, "\t"),
        "wide": lambda r: _table(r, "  "),
        "bar": lambda r: _table(r, " | "),
    }[style](rows)
    doc = parse_plan_text("\n".join(head + body), "p.txt")
    first = 5 if style == "key_value" else 6
    got = [(p.serial, p.code, p.location, p.area.primary.value, p.use, p.line) for p in doc.parcels]
    assert got == [
        (i, code, place, area, use, first + k) for k, (i, code, place, area, use) in enumerate(rows)
    ]
    assert doc.parcels_total is doc.total(TotalKind.RESERVE)
    assert sum(p.area_m2 for p in doc.parcels) == to_base(total, "公顷")
    # reading problems: none; the generated areas span 0.0001–9,999.99 公顷, so a parcel a thousand times off
    # the list's median is (rightly) warned about by domain.plausibility — nothing else
    assert [p for p in doc.problems if not p.code.startswith("plausibility.")] == []
    assert {p.code for p in doc.problems} <= {"plausibility.area_outlier"}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=99_999), min_size=2, max_size=4),
    st.sampled_from(["，", "；", "、"]),
    st.booleans(),
)
def test_use_splits_read_back_exactly(hundredths, separator, ascii_punctuation):
    areas = [Decimal(h).scaleb(-2) for h in hundredths]
    total = sum(areas)
    parts = separator.join(f"{use}{area}公顷" for use, area in zip(_USES, areas, strict=False))
    text = f"清溪县2026年土地储备计划\n本年度计划储备土地{total}公顷。\n（二）储备结构\n{parts}。"
    if ascii_punctuation:
        text = text.translate(str.maketrans("，；（）", ",;()"))
    doc = parse_plan_text(text, "p.txt")
    (use,) = doc.breakdowns
    assert use.dimension is Dimension.USE and use.exhaustive and use.total is doc.total(TotalKind.RESERVE)
    assert [(i.name, i.area.primary.value, i.line) for i in use.items] == [
        (u, str(a), 4) for u, a in zip(_USES, areas, strict=False)
    ]
