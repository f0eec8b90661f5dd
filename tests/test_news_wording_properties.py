"""News-style supply texts written many ways around the same correct figures: the verb of the total, the
words introducing the parts, the separators, shares rounded from the exact areas, 亩 beside 公顷, a change
against last year, a 分别 list. Whatever the wording, correct figures must never yield an error; a part
moved far beyond rounding in a list the text ties to its total (其中) must. Texts generated here."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from landreserve.domain.audit import audit_plan
from landreserve.domain.findings import Severity
from landreserve.importers import parse_plan_text

USES = [
    "住宅用地",
    "商服用地",
    "工矿仓储用地",
    "公共管理与公共服务用地",
    "交通运输用地",
    "水域及水利设施用地",
]
VERBS = ["计划供应", "计划供地", "拟供应", "安排供应"]
ZONES = ["城关镇", "经济开发区", "高新区", "东城区", "西城区", "滨海新区"]


def _round(value: Decimal, places: int) -> str:
    return format(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), "f")


@st.composite
def news_texts(draw, broken: bool = False):
    n = draw(st.integers(2, 5))
    uses = draw(st.permutations(USES))[:n]
    hundredths = draw(st.lists(st.integers(500, 300000), min_size=n, max_size=n))
    parts = [Decimal(h) / 100 for h in hundredths]
    total = sum(parts)
    if broken:  # one part far beyond any rounding: the parts exceed the total
        k = draw(st.integers(0, n - 1))
        parts[k] += total / 2 + 1
    verb = draw(st.sampled_from(VERBS))
    mu = draw(st.booleans())
    share_places = draw(st.sampled_from([1, 2]))
    with_shares = draw(st.booleans())
    opening = draw(st.sampled_from(["全市{v}国有建设用地{t}", "{v}总量为{t}", "国有建设用地供应总量{t}"]))
    total_text = _round(total, 2) + "公顷" + (f"({_round(total * 15, 0)}亩)" if mu else "")
    text = "某市今年" + opening.format(v=verb, t=total_text)
    if draw(st.booleans()):
        previous = total - (total * draw(st.integers(1, 40)) / 100).quantize(Decimal("0.01"))
        rate = (total / previous - 1) * 100
        text += f",比上年增加{_round(total - previous, 2)}公顷,增长{_round(rate, 1)}%"
    zones = draw(st.booleans())
    if zones:  # districts with their parcel counts instead of land uses
        uses = draw(st.permutations(ZONES))[:n]
        counts = draw(st.lists(st.integers(1, 40), min_size=n, max_size=n))
        text = text.replace("公顷", f"公顷,共{sum(counts)}宗", 1)
    intro = draw(
        st.sampled_from(
            [",其中", ",其中:", "。其中,", "。从区域分布看,其中" if zones else "。从用途结构看,其中"]
        )
    )
    sep = draw(st.sampled_from([",", ";", "、"]))
    if not zones and not mu and not with_shares and draw(st.booleans()):  # 住宅、商服用地分别为a公顷、b公顷
        names = "、".join(u.removesuffix("用地") for u in uses[:-1]) + "和" + uses[-1]
        values = "、".join(f"{_round(p, 2)}公顷" for p in parts)
        return text + intro + f"{names}分别为{values}。\n"
    clauses = []
    for use, part in zip(uses, parts, strict=True):
        clause = f"{use}{draw(st.sampled_from(['', verb]))}{_round(part, 2)}公顷"
        if zones:
            clause = f"{use}{counts[uses.index(use)]}宗、{_round(part, 2)}公顷"
        if mu:
            clause += f"({_round(part * 15, 0)}亩)"
        if with_shares and not broken:
            clause += (
                f",占{draw(st.sampled_from(['', '供地总量的']))}{_round(part / total * 100, share_places)}%"
            )
        if use == "住宅用地" and not zones and draw(st.booleans()):  # kinds of housing inside 住宅用地
            housing = (part * draw(st.integers(10, 90)) / 100).quantize(Decimal("0.01"))
            form = draw(st.sampled_from(["(其中保障性住房用地{h}公顷)", "(含商品住房用地{h}公顷)"]))
            clause += form.format(h=_round(housing, 2))
        clauses.append(clause)
    if not broken and draw(st.booleans()):  # a list presented as its main parts only
        clauses = clauses[:-1] or clauses
        return text + intro.replace("其中", "主要包括") + sep.join(clauses) + "等。\n"
    return text + intro + sep.join(clauses) + "。\n"


def _errors(text: str) -> list:
    return [f for f in audit_plan(parse_plan_text(text, "x.txt")) if f.severity is Severity.ERROR]


@settings(max_examples=60, deadline=None)
@given(news_texts())
def test_correct_news_figures_in_any_wording_yield_no_error(text):
    assert _errors(text) == [], text


@settings(max_examples=30, deadline=None)
@given(news_texts(broken=True))
def test_a_part_beyond_the_total_in_a_tied_list_is_an_error(text):
    assert any(f.code == "breakdown.sum_mismatch" for f in _errors(text)), text
