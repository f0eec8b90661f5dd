"""Plan vs actual for a scripted 2026 on the Bachu plan, against a table computed by hand (areas in ㎡)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from landreserve.domain.evidence import EvidenceKind
from landreserve.domain.lifecycle import State
from landreserve.domain.register import facts_from
from landreserve.services import register
from landreserve.services.plan_vs_actual import plan_vs_actual
from register_samples import (
    BACHU_AREAS,
    bachu_facts,
    clearance,
    custody,
    development_plan,
    entry_evidence,
    ev,
    import_bachu,
    sale,
    supply_plan,
    works_accepted,
)

OUT_OF_PLAN = "BC-CB2026012"


def enter(ctx, code, on, extra=()):
    register.transition(
        ctx, code, State.IN_RESERVE, entry_evidence(on, ctx.settings.risk_checks) + list(extra), on=on
    )


def develop(ctx, code, start, done, to=State.CUSTODY):
    register.transition(ctx, code, State.DEVELOPING, development_plan(start), on=start)
    if to is State.CUSTODY:
        register.transition(ctx, code, State.CUSTODY, works_accepted(done) + custody(done), on=done)
    else:
        register.transition(ctx, code, State.SUPPLIED, works_accepted(done) + clearance(done) + supply_plan(done),
                            supply=sale(done))  # fmt: skip


def supply(ctx, code, on):
    register.transition(ctx, code, State.SUPPLIED, clearance(on) + supply_plan(on), supply=sale(on))


@pytest.fixture
def scripted_2026(ctx, bachu_plan_path):
    """What happened to the Bachu parcels (see the table in the test)."""
    import_bachu(ctx, bachu_plan_path)
    register.create_from_plan(ctx, 1, {c: bachu_facts(c) for c in BACHU_AREAS}, on=date(2025, 12, 1))
    enter(ctx, "BC-CB2026005", date(2025, 12, 20))  # carried over: entered last year, still held
    enter(ctx, "BC-CB2026001", date(2026, 3, 1))
    develop(ctx, "BC-CB2026001", date(2026, 4, 1), date(2026, 6, 1))
    enter(ctx, "BC-CB2026002", date(2026, 3, 1))
    supply(ctx, "BC-CB2026002", date(2026, 10, 1))
    enter(ctx, "BC-CB2026003", date(2026, 4, 1))
    enter(ctx, "BC-CB2026006", date(2026, 5, 1))
    develop(ctx, "BC-CB2026006", date(2026, 5, 15), date(2026, 9, 1), to=State.SUPPLIED)
    enter(ctx, "BC-CB2026008", date(2026, 6, 1))
    supply(ctx, "BC-CB2026008", date(2027, 3, 1))  # next year: not supplied in 2026
    for code in ("BC2025CB011", "BC2025CB001"):
        register.transition(ctx, code, State.WITHDRAWN, reason="重复列入", on=date(2026, 2, 15))
    facts = {"location": "巴楚县团结路东侧", "area_m2": "15000", "land_use": "商服用地", "zone": "巴楚镇",
             "stock": "存量", "source": "依法收回", "condition": "低效"}  # fmt: skip
    register.add_parcel(ctx, facts_from(OUT_OF_PLAN, facts), on=date(2026, 6, 20))
    approval = ev(EvidenceKind.OUT_OF_PLAN_APPROVAL, date(2026, 6, 25), ref="巴政函〔2026〕21号")
    enter(ctx, OUT_OF_PLAN, date(2026, 7, 1), [approval])
    return ctx


# Hand-computed. Facts: 工矿仓储用地/工业园区/新增 = 001, BC2025CB001; 商服用地 = 008, 010, 011 (+ 012);
# 住宅用地 = the rest; 巴楚镇 and 存量 = all but the two industrial parcels; 003 闲置, 012 低效.
EXPECTED = {
    "planned": (
        "475751",
        sorted(BACHU_AREAS),
        {"住宅用地": "316006", "商服用地": "79237", "工矿仓储用地": "80508"},
        {"巴楚镇": "395243", "工业园区": "80508"},
        {"存量": "395243", "新增": "80508"},
    ),
    "acquired": (  # 001 40254 + 002 10685 + 003 22085 + 006 91896 + 008 70454 + 012 15000
        "250374",
        ["BC-CB2026001", "BC-CB2026002", "BC-CB2026003", "BC-CB2026006", "BC-CB2026008", "BC-CB2026012"],
        {"住宅用地": "124666", "商服用地": "85454", "工矿仓储用地": "40254"},
        {"巴楚镇": "210120", "工业园区": "40254"},
        {"存量": "210120", "新增": "40254"},
    ),
    "in_reserve": (  # 31 Dec: 001 (custody) 40254, 003 22085, 005 12548, 008 70454, 012 15000
        "160341",
        ["BC-CB2026001", "BC-CB2026003", "BC-CB2026005", "BC-CB2026008", "BC-CB2026012"],
        {"住宅用地": "34633", "商服用地": "85454", "工矿仓储用地": "40254"},
        {"巴楚镇": "120087", "工业园区": "40254"},
        {"存量": "120087", "新增": "40254"},
    ),
    "developed": (  # 001 → custody, 006 → supplied
        "132150",
        ["BC-CB2026001", "BC-CB2026006"],
        {"住宅用地": "91896", "工矿仓储用地": "40254"},
        {"巴楚镇": "91896", "工业园区": "40254"},
        {"存量": "91896", "新增": "40254"},
    ),
    "supplied": (  # 002 on 1 Oct, 006 on 1 Sep (008 only in 2027)
        "102581",
        ["BC-CB2026002", "BC-CB2026006"],
        {"住宅用地": "102581"},
        {"巴楚镇": "102581"},
        {"存量": "102581"},
    ),
}


def areas(cells) -> dict[str, str]:
    return {name: str(cell.area) for name, cell in cells.items()}


def test_every_figure_agrees_with_the_hand_computed_table(scripted_2026):
    report, version = plan_vs_actual(scripted_2026, 2026)
    assert version.status == "approved" and version.year == 2026
    for measure, (total, codes, by_use, by_zone, by_stock) in EXPECTED.items():
        figure = report.figures[measure]
        assert (str(figure.total.area), list(figure.total.codes)) == (total, codes), measure
        assert areas(figure.by_use) == by_use, measure
        assert (areas(figure.by_zone), areas(figure.by_stock)) == (by_zone, by_stock), measure


def test_shares_of_stock_and_idle_land_taken_in(scripted_2026):
    report, _ = plan_vs_actual(scripted_2026, 2026)
    assert report.planned_stock_share == Decimal("83.08")  # 395243 / 475751
    assert report.acquired_stock_share == Decimal("83.92")  # 210120 / 250374
    assert report.acquired_idle_share == Decimal("14.81")  # (22085 + 15000) / 250374
    assert report.out_of_plan == (OUT_OF_PLAN,)
    assert report.not_acquired == (
        "BC-CB2026004", "BC-CB2026007", "BC-CB2026009", "BC-CB2026010", "BC-CB2026011", "BC2025CB001", "BC2025CB011",
    )  # fmt: skip


def test_the_parcels_behind_a_breakdown_cell(scripted_2026):
    report, _ = plan_vs_actual(scripted_2026, 2026)
    assert report.figures["acquired"].by_use["商服用地"].codes == ("BC-CB2026008", OUT_OF_PLAN)
    assert report.figures["in_reserve"].by_zone["工业园区"].codes == ("BC-CB2026001",)


def test_the_next_year_sees_its_own_events(scripted_2026):
    report, _ = plan_vs_actual(scripted_2026, 2027, version_id=1)
    assert report.figures["supplied"].total.codes == ("BC-CB2026008",)
    assert report.figures["acquired"].total.codes == ()
    assert report.acquired_stock_share is None
