"""A project financed by two bonds with different terms, at the command line on SQLite and PostgreSQL:
`--bond A --bond B` honours both (the defect of issue 13 kept only the last one), the balance covers both
and allocates the income in repayment order, the ledger splits land-sale income between the bonds'
repayment reserves in that order, and a repeated single-value option is refused instead of silently
taking the last value."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from funds_samples import BACHU_PARCELS, approve, insert_plan, row_counts
from landreserve.cli import app


@pytest.fixture
def run(ctx):
    version = insert_plan(ctx, BACHU_PARCELS)
    approve(ctx, version)
    url = ctx.engine.url.render_as_string(hide_password=False)
    env = {"LANDRESERVE_DATABASE_URL": url, "LANDRESERVE_USER": "王五", "LANDRESERVE_DEPARTMENT": "finance",
           "COLUMNS": "500"}  # fmt: skip
    runner = CliRunner(env=env)

    def invoke(*args: str, code: int = 0):
        result = runner.invoke(app, ["funds", *[str(a) for a in args]])
        assert result.exit_code == code, (args, result.output)
        return result.output

    return invoke


def two_bonds(run) -> None:
    run("bond", "add", "A", "--amount", "3000万元", "--issue-date", "2026-06-01", "--term", "5", "--rate", "3",
        "--issue-cost", "0.1%", "--doc", "转贷协议A")  # fmt: skip
    run("bond", "add", "B", "--amount", "2000万元", "--issue-date", "2027-03-15", "--term", "5+2", "--rate", "3.5",
        "--repayment", "shares", "--shares", "6:50,7:50", "--interest", "half_yearly", "--doc", "转贷协议B")  # fmt: skip
    out = run("project", "add", "P", "--bond", "A", "--bond", "B", "--plan", "1",
              "--parcels", "BC-CB2026001,BC-CB2026002", "--supply-year", "2029")  # fmt: skip
    assert "A 30,000,000.00 元、B 20,000,000.00 元" in out and "50,000,000.00" in out
    for parcel in ("BC-CB2026001", "BC-CB2026002"):
        run("project", "parcel", "P", parcel, "--use", "住宅用地")
    run("project", "price", "P", "--use", "住宅用地", "--price", "1500", "--basis", "评估报告")


def test_both_bonds_are_honoured_and_the_balance_covers_them(run):
    two_bonds(run)
    out = run("balance", "P")
    # 40,254 × 1,500 + 10,685 × 1,500 = 76,408,500 in 2029; A: 5 × 900,000 + 30,000,000 = 34,500,000;
    # B: 12 × 350,000 + 2 × 175,000 + 20,000,000 = 24,550,000; 76,408,500 ÷ 59,050,000 = 1.2939…
    assert "本金 50,000,000.00 元" in out and "利息 9,050,000.00 元" in out
    assert "发行费用 30,000.00 元" in out and "本息覆盖倍数 1.29" in out
    assert "34,500,000.00" in out and "24,550,000.00" in out and "结余 17,358,500.00 元" in out
    data = json.loads(run("balance", "P", "--json"))
    assert [b["bond"] for b in data["balance"]["bonds"]] == ["A", "B"]
    assert data["balance"]["principal"] == "50000000.00"
    out = run("cashflow", "P", "--scenario", "called")  # B redeemed in 2032: 20,000,000 + 10 × 350,000
    assert "提前赎回行权" in out and "23,500,000.00" in out
    out = run("sensitivity", "P")
    assert "提前赎回行权" in out and "盈亏平衡单价" in out
    # ratio 1.0: 59,050,000 ÷ 50,939 ㎡ = 1,159.2296… → 1,159.23 元/㎡; the bound 1.2: 70,860,000 ÷ 50,939 = 1,391.0756… → 1,391.08
    assert "1,159.23" in out and "1,391.08" in out
    out = run("bond", "schedule", "B", "--called")
    assert "2032-03-15" in out and "2034-03-15" not in out


def test_income_fills_the_reserves_in_repayment_order(run):
    two_bonds(run)
    out = run("allocate", "--project", "P", "--amount", "100万元", "--doc", "分配", code=2)
    assert "--source" in out  # two bonds: which one must be said
    run("allocate", "--project", "P", "--source", "A", "--amount", "100万元", "--doc", "分配A")
    run("allocate", "--project", "P", "--source", "B", "--amount", "100万元", "--doc", "分配B")
    run(
        "income",
        "--parcel",
        "BC-CB2026001",
        "--amount",
        "4000万元",
        "--contract",
        "合同1",
        "--date",
        "2027-05-01",
    )
    entries = json.loads(run("entries", "--json"))
    income = next(e for e in entries if e["kind"] == "income")
    assert income["memo"] == "按偿债顺序记入偿债资金：A 34,500,000.00 元；B 5,500,000.00 元"
    run("repay", "A", "--instalment", "1", "--doc", "付息A")  # 900,000 from A's reserve
    run("repay", "B", "--instalment", "1", "--doc", "付息B")  # 350,000 from B's reserve
    out = run("balance", "B")
    assert "已付利息 350,000.00 元" in out
    run("reconcile")


def test_a_repeated_option_that_cannot_be_honoured_is_refused(run, ctx):
    two_bonds(run)
    before = row_counts(ctx)
    out = run(
        "allocate", "--project", "P", "--source", "A", "--amount", "1", "--amount", "2", "--doc", "x", code=2
    )
    assert "选项 --amount 只能写一次" in out
    out = run(
        "project",
        "add",
        "Q",
        "--bond",
        "A",
        "--bond",
        "A",
        "--plan",
        "1",
        "--parcels",
        "BC-CB2026003",
        code=2,
    )
    assert "列了不止一次" in out
    out = run("project", "add", "Q", "--bond", "A", "--bond", "B", "--financing", "1万元", "--plan", "1",
              "--parcels", "BC-CB2026003", code=2)  # fmt: skip
    assert "2 个专项债券" in out and "1 个融资额" in out
    assert row_counts(ctx) == before
