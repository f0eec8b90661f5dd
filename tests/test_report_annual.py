"""The year-end execution report of a scripted year: register transitions and ledger entries made through
the services, and every figure of the report equal to a table computed here by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from funds_samples import BACHU_BOND
from landreserve.domain.funds.ledger import Category
from landreserve.domain.lifecycle import State
from landreserve.reports.annual_text import annual_document
from landreserve.reports.pdf import pdf_bytes
from landreserve.reports.word import docx_bytes
from landreserve.services import bonds, funds, ledger, register, reports
from landreserve.services.context import Context
from register_samples import (
    clearance,
    custody,
    development_plan,
    entry_evidence,
    sale,
    supply_plan,
    works_accepted,
)
from report_samples import as_department, bachu_stored, withdraw_duplicates

D = Decimal
PROJECT = "BC-XM-2026-01"


def _script(ctx: Context, plan_path) -> int:
    """The year 2026 of Bachu, as the departments record it."""
    plan_id = bachu_stored(ctx, plan_path)
    center, finance = as_department(ctx, "reserve_center"), as_department(ctx, "finance")
    risks = ctx.settings.risk_checks

    def move(code, state, evidence, on, **kw):
        return register.transition(center, code, state, evidence, on=on, **kw)

    # BC-CB2026006: in → developing → custody → supplied within the year
    move("BC-CB2026006", State.IN_RESERVE, entry_evidence(date(2026, 3, 1), risks), date(2026, 3, 1))
    move("BC-CB2026006", State.DEVELOPING, development_plan(date(2026, 4, 1)), date(2026, 4, 1))
    done = date(2026, 6, 1)
    move("BC-CB2026006", State.CUSTODY, works_accepted(done) + custody(done), done)
    out = date(2026, 10, 10)
    move("BC-CB2026006", State.SUPPLIED, clearance(out) + supply_plan(out), out,
         supply=sale(out, "55000000.00", "6531302026B00006"))  # fmt: skip
    # BC-CB2026007 taken in; BC-CB2026001 taken in and still being developed at year end
    move("BC-CB2026007", State.IN_RESERVE, entry_evidence(date(2026, 5, 1), risks), date(2026, 5, 1))
    move("BC-CB2026001", State.IN_RESERVE, entry_evidence(date(2026, 7, 1), risks), date(2026, 7, 1))
    move("BC-CB2026001", State.DEVELOPING, development_plan(date(2026, 8, 1)), date(2026, 8, 1))
    # the two duplicates withdrawn by an approved adjustment, then moved out of the register
    withdraw_duplicates(ctx, plan_id)
    for code in ("BC2025CB011", "BC2025CB001"):
        register.transition(
            center, code, State.WITHDRAWN, reason="重复列入，已调出计划", on=date(2026, 6, 20)
        )
    # money: the bond, one project, allocations, payments (one reversed), income, interest; one 2027 payment
    bonds.add_bond(finance, BACHU_BOND, "新财预〔2026〕12号转贷协议", name="土地储备专项债券")
    funds.add_project(finance, PROJECT, BACHU_BOND.code, plan_id, ["BC-CB2026006", "BC-CB2026007", "BC-CB2026001"],
                      supply_year=2027)  # fmt: skip
    funds.set_price(finance, PROJECT, "住宅用地", D("1200"), "评估报告 2026-03")
    funds.set_price(finance, PROJECT, "工矿仓储用地", D("180"), "评估报告 2026-03")
    ledger.allocate(
        finance,
        None,
        PROJECT,
        D("20000000.00"),
        "巴财建〔2026〕3号",
        parcel="BC-CB2026006",
        on=date(2026, 3, 20),
    )
    ledger.allocate(
        finance,
        None,
        PROJECT,
        D("10000000.00"),
        "巴财建〔2026〕9号",
        parcel="BC-CB2026001",
        on=date(2026, 7, 5),
    )
    ledger.pay(
        finance,
        "BC-CB2026006",
        Category.COMPENSATION,
        D("8000000.00"),
        "补偿协议 BC006-1",
        on=date(2026, 3, 25),
    )
    ledger.pay(
        finance,
        "BC-CB2026006",
        Category.DEMOLITION,
        D("1500000.00"),
        "拆除合同 BC006-2",
        on=date(2026, 4, 10),
    )
    wrong = ledger.pay(
        finance,
        "BC-CB2026006",
        Category.COMPENSATION,
        D("500000.00"),
        "补偿协议 BC006-3",
        on=date(2026, 5, 1),
    )
    ledger.reverse(finance, wrong.number, "金额有误", "更正单 1", on=date(2026, 5, 3))
    ledger.pay(
        finance,
        "BC-CB2026001",
        Category.PRELIMINARY_DEVELOPMENT,
        D("1000000.00"),
        "开发合同 BC001-1",
        on=date(2026, 8, 10),
    )
    ledger.record_income(finance, "BC-CB2026006", D("55000000.00"), "6531302026B00006", on=date(2026, 10, 20))
    ledger.repay(finance, BACHU_BOND.code, D("0"), D("2250000.00"), "付息通知 2026", on=date(2026, 12, 20))
    ledger.pay(
        finance,
        "BC-CB2026001",
        Category.PRELIMINARY_DEVELOPMENT,
        D("200000.00"),
        "开发合同 BC001-2",
        on=date(2027, 1, 15),
    )
    return plan_id  # fmt: skip


#: by hand, from the plan's parcel areas (version 2: 11 parcels, 409,031 ㎡):
#: acquired 006 + 007 + 001 = 91,896 + 98,530 + 40,254 = 230,680 ㎡; held at year end 007 + 001 = 138,784 ㎡;
#: developed and supplied 006 = 91,896 ㎡. 亩 = ㎡ × 15 / 10,000; rates = area / 409,031.
MEASURES = {
    "planned": ("11", "40.90", "613.55", None),
    "acquired": ("3", "23.07", "346.02", "56.40"),
    "in_reserve": ("2", "13.88", "208.18", "33.93"),
    "developed": ("1", "9.19", "137.84", "22.47"),
    "supplied": ("1", "9.19", "137.84", "22.47"),
}
#: by use: planned 住宅 289,540 / 商服 79,237 / 工矿 40,254 ㎡ → floors 28.95 + 7.92 + 4.02 = 40.89, the
#: largest remainder (工矿 .54) takes the 0.01 left → 4.03; acquired 住宅 190,426 + 工矿 40,254 → 19.04 + 4.03
BY_USE = {
    "住宅用地": {"planned": "28.95", "acquired": "19.04", "in_reserve": "9.85", "developed": "9.19", "supplied": "9.19"},
    "商服用地": {"planned": "7.92", "acquired": "0.00", "in_reserve": "0.00", "developed": "0.00", "supplied": "0.00"},
    "工矿仓储用地": {"planned": "4.03", "acquired": "4.03", "in_reserve": "4.03", "developed": "0.00", "supplied": "0.00"},
}  # fmt: skip
USE_RATES = {"住宅用地": "65.77", "商服用地": "0.00", "工矿仓储用地": "100.00"}
#: by zone: planned 巴楚镇 368,777 / 工业园区 40,254 ㎡ → floors 36.87 + 4.02, the remainder .77 beats .54, so
#: 巴楚镇 takes the 0.01 (36.88 + 4.02 = 40.90); acquired: 190,426 / 40,254 → 19.04 + 4.03 (.54 beats .26)
BY_ZONE = {
    "巴楚镇": {"planned": "36.88", "acquired": "19.04", "in_reserve": "9.85"},
    "工业园区": {"planned": "4.02", "acquired": "4.03", "in_reserve": "4.03"},
}
#: 万元: raised 7500; allocated 2000 + 1000; spent 800 (50 paid and reversed) + 150 + 100 (the 2027 payment
#: of 20 is not in 2026); income 5500; interest 225, principal 0
FUNDS = {
    "raised_total": "7500.00", "allocated": "3000.00", "spent_total": "1050.00", "income": "5500.00",
    "topup": "0.00", "principal": "0.00", "interest": "225.00", "stated": "7500.00",
}  # fmt: skip
SPENT = [("征地拆迁补偿", "800.00"), ("拆除", "150.00"), ("前期开发", "100.00")]
#: the project: income within the term 91,896 × 1200 + 98,530 × 1200 + 40,254 × 180 = 235,756,920 元;
#: debt service 7,500 万元 + 7 years × 3 % × 7,500 万元 = 9,075 万元; ratio 23,575.692 / 9,075 = 2.5979… → 2.60
COVERAGE = (PROJECT, "23575.69", "9075.00", "2.60")


@pytest.fixture
def report(engine, bachu_plan_path, actor):
    ctx = Context(engine=engine, actor=actor)
    plan_id = _script(ctx, bachu_plan_path)
    return reports.annual(ctx, plan_id, 2026)


def test_every_figure_equals_the_hand_computed_table(report):
    assert report.meta.version == 2 and report.year == 2026
    got = {m.name: (str(m.count), str(m.area.ha), str(m.area.mu), None if m.rate is None else str(m.rate))
           for m in report.measures}  # fmt: skip
    assert got == MEASURES
    uses = report.table("by_use")
    assert uses.groups == tuple(BY_USE)
    assert {g: {c.name: str(c.cells[g].ha) for c in uses.columns} for g in uses.groups} == BY_USE
    assert {g: str(v) for g, v in uses.rates.items()} == USE_RATES
    zones = report.table("by_zone")
    assert {g: {c.name: str(c.cells[g].ha) for c in zones.columns[:3]} for g in zones.groups} == BY_ZONE
    stock = report.table("by_stock")
    assert {g: str(stock.columns[1].cells[g].ha) for g in stock.groups} == {"存量": "19.04", "新增": "4.03"}
    for table in report.tables:  # every column adds up to its total as printed
        for column in table.columns:
            assert sum(column.cells[g].ha for g in table.groups) == column.total.ha
    f = report.funds
    assert {k: str(getattr(f, k).wan) for k in FUNDS} == FUNDS
    assert [(m.label, str(m.wan)) for m in f.spent] == SPENT
    assert [(m.label.split("（")[0], str(m.wan)) for m in f.raised] == [(BACHU_BOND.code, "7500.00")]
    assert str(f.raised_rate) == "100.00"
    (c,) = report.coverage
    assert (c.project, str(c.expected_income.wan), str(c.debt_service.wan), str(c.ratio)) == COVERAGE
    assert not c.below
    assert str(report.planned_stock_share) == "90.16"  # 368,777 / 409,031
    assert str(report.acquired_stock_share) == "82.55"  # 190,426 / 230,680
    (adjustment,) = report.adjustments
    assert (
        adjustment.removed == ("BC2025CB011", "BC2025CB001")
        and adjustment.approval_no == "巴政函〔2026〕35号"
    )
    assert (str(adjustment.before.ha), str(adjustment.after.ha)) == ("47.58", "40.90")
    states = {p.code: (p.state, p.in_plan) for p in report.parcels}
    assert states["BC-CB2026006"] == ("已供应（出库）", True)
    assert states["BC-CB2026001"] == ("前期开发", True)
    assert states["BC2025CB011"] == ("调出", False)
    assert report.not_acquired == tuple(sorted(
        ["BC-CB2026002", "BC-CB2026003", "BC-CB2026004", "BC-CB2026005", "BC-CB2026008", "BC-CB2026009",
         "BC-CB2026010", "BC-CB2026011"]))  # fmt: skip
    assert report.findings == ()  # the version in force has no finding; nothing open in register or funds


def test_word_and_pdf_say_the_same(report, tmp_path):
    doc = annual_document(report)
    text = "\n".join(doc.text_lines())
    assert "全年实际入库23.07公顷（346.02亩），3宗，完成计划的56.40%" in text
    assert "征地拆迁补偿\t800.00" in text.replace("　其中：", "")
    docx = tmp_path / "annual.docx"
    docx.write_bytes(docx_bytes(doc, date(2026, 12, 31)))
    import docx as python_docx

    body = python_docx.Document(str(docx))
    paragraphs = "\n".join(p.text for p in body.paragraphs)
    assert "全年实际入库23.07公顷（346.02亩）" in paragraphs
    assert len(body.inline_shapes) == 3  # the charts by use, by zone and of spending
    pdf = pdf_bytes(doc)
    assert pdf.startswith(b"%PDF")
