"""The funds commands as a user runs them, on SQLite and PostgreSQL: Chinese output, exit codes 0/1/2,
refusals that store nothing, and a reconciliation that fails (exit 1) on books altered behind its back."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest
from sqlalchemy import insert, select
from typer.testing import CliRunner

from funds_samples import BACHU_PARCELS, approve, insert_plan, row_counts
from landreserve.cli import app
from landreserve.storage.db import transaction
from landreserve.storage.funds_tables import FundAccountRow, FundPostingRow


@pytest.fixture
def run(ctx):
    version = insert_plan(ctx, BACHU_PARCELS)
    approve(ctx, version)
    url = ctx.engine.url.render_as_string(hide_password=False)
    runner = CliRunner(
        env={
            "LANDRESERVE_DATABASE_URL": url,
            "LANDRESERVE_USER": "王五",
            "LANDRESERVE_DEPARTMENT": "finance",
            "COLUMNS": "500",
        }
    )

    def invoke(*args: str, code: int = 0):
        result = runner.invoke(app, ["funds", *[str(a) for a in args]])
        assert result.exit_code == code, (args, result.output, getattr(result, "stderr", ""))
        return result.output

    return invoke


def setup_books(run) -> None:
    run("bond", "add", "B1", "--amount", "0.75亿元", "--issue-date", "2026-03-15", "--term", "7", "--rate", "3%",
        "--doc", "转贷协议")  # fmt: skip
    run("project", "add", "P1", "--bond", "B1", "--plan", "1", "--parcels", "BC－CB2026001,BC-CB2026002",
        "--supply-year", "2028")  # fmt: skip
    run("allocate", "--project", "P1", "--amount", "1000万元", "--doc", "分配通知")


def test_a_session_at_the_command_line(run):
    setup_books(run)
    out = run(
        "pay", "--parcel", "BC-CB2026001", "--category", "拆除", "--amount", "200万元", "--doc", "拆除合同"
    )
    assert "分录 #3" in out and "2,000,000.00" in out
    run(
        "income",
        "--parcel",
        "BC-CB2026001",
        "--amount",
        "300万元",
        "--contract",
        "出让合同1",
        "--date",
        "2027-01-05",
    )
    out = run("repay", "B1", "--interest", "2250000", "--doc", "付息", "--date", "2027-03-15")
    assert "还本付息" in out
    out = run("reverse", "3", "--reason", "金额有误", "--doc", "更正单")
    assert "冲销" in out
    out = run("entries")
    assert "冲销" in out and "#3" in out
    out = run("bond", "schedule", "B1")
    assert "2,250,000.00" in out and "75,000,000.00" in out
    run("project", "parcel", "P1", "BC-CB2026001", "--use", "住宅用地")
    out = run("project", "price", "P1", "--use", "住宅用地", "--price", "100万元/亩", "--basis", "评估报告")
    assert "1500 元/㎡" in out
    out = run("balance", "P1", code=1)  # 40,254 ㎡ × 1,500 = 60,381,000 against 90,750,000: below 1.2
    assert "60,381,000.00" in out and "90,750,000.00" not in out or "本息覆盖倍数" in out
    assert "0.67" in out and "BC-CB2026002" in out  # ratio 0.665…, and the parcel without a use is named
    out = run("balance", "B1", code=1)
    assert "未偿本金 75,000,000.00" in out and "已付利息 2,250,000.00" in out
    out = run("cashflow", "P1")
    assert "2033" in out and "75,000,000.00" in out
    out = run("sensitivity", "P1")
    assert "收入下降30%" in out and "利率上升1个百分点" in out
    run("coverage", code=1)
    run(
        "budget",
        "set",
        "P1",
        "--year",
        "2026",
        "--category",
        "拆除",
        "--amount",
        "150万元",
        "--doc",
        "预算批复",
    )
    out = run("budget", "show", "--project", "P1")
    assert "1,500,000.00" in out
    out = run("reconcile")
    assert out.count("通过") == 5


def test_refusals_exit_1_and_bad_input_exits_2_storing_nothing(run, ctx):
    setup_books(run)
    before = row_counts(ctx)
    out = run("pay", "--parcel", "BC-CB2026001", "--category", "机构日常运行经费", "--amount", "5000",
              "--doc", "发票", code=1)  # fmt: skip
    assert "机构日常运行经费" in out and "不是土地储备资金的允许用途" in out
    out = run("pay", "--parcel", "BC-CB2026003", "--category", "拆除", "--amount", "5000", "--bond", "B1",
              "--doc", "发票", code=1)  # fmt: skip
    run("pay", "--parcel", "BC-CB2026001", "--category", "拆除", "--amount", "0.001", "--doc", "发票", code=2)
    run("pay", "--parcel", "BC-CB2026001", "--category", "吃饭", "--amount", "5", "--doc", "发票", code=2)
    assert "BC-CB2026003" in out and "B1" in out and "封闭管理" in out
    run("allocate", "--project", "P1", "--amount", "0.66亿元", "--doc", "分配", code=1)
    assert row_counts(ctx) == before


def test_reconcile_finds_books_altered_outside_the_service(run, ctx):
    setup_books(run)
    with transaction(ctx.engine) as session:  # a posting slipped into entry #2 by hand, bypassing every rule
        account = session.scalar(select(FundAccountRow.id).where(FundAccountRow.kind == "project_pool"))
        session.execute(insert(FundPostingRow).values(entry_id=2, account_id=account, amount=D("0.01")))
    result = json.loads(run("reconcile", "--json", code=1))
    failed = {c["name"]: c["details"] for c in result if not c["ok"]}
    assert "每笔分录借贷平衡" in failed and any("#2" in d and "0.01" in d for d in failed["每笔分录借贷平衡"])
    assert "总账试算平衡、资金账户无负数" in failed


def test_fiscal_funds_top_up_the_repayment_reserve(run):
    setup_books(run)
    run("source", "add", "JJ1", "--kind", "land_revenue_fund", "--amount", "300万元", "--doc", "巴财预7号")
    run("repay", "B1", "--instalment", "1", "--doc", "付息", code=1)
    out = run("topup", "--project", "P1", "--source", "JJ1", "--amount", "225万元", "--doc", "巴政办2号")
    assert "补充偿债资金" in out and "2,250,000.00" in out
    assert "还本付息" in run("repay", "B1", "--instalment", "1", "--doc", "付息")
    assert "补充偿债资金 2,250,000.00 元" in run("balance", "JJ1")
    out = run("topup", "--project", "P1", "--source", "B1", "--amount", "1", "--doc", "x", code=1)
    assert "借新还旧" in out
    assert run("reconcile").count("通过") == 5
