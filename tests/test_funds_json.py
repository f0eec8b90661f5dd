"""`--json` of every funds report: keys pinned here and each documented in the README (资金与专项债券);
every amount is a string (never a JSON number that a reader would take as a float)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from funds_samples import BACHU_PARCELS, approve, insert_plan
from landreserve.cli import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
SECTION = README[README.index("### `--json` of the funds reports") :]
SECTION = SECTION[: SECTION.index("\n## ")]
DOCUMENTED = set(re.findall(r"`([^`]+)`", SECTION))
EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "funds" / "project-record-example.csv"

BALANCE_KEYS = {
    "subject", "scenario", "expected_income", "income_within_term", "principal", "interest", "debt_service",
    "issue_costs", "ratio", "ratio_shown", "bound", "below_bound", "surplus", "bonds", "cash_flow", "findings",
}  # fmt: skip
TOP_KEYS = {
    "balance": {"subject", "kind", "source", "positions", "balance"},
    "cashflow": BALANCE_KEYS,
    "sensitivity": {"subject", "bound", "scenarios", "break_even"},
    "coverage": {"bound", "projects", "findings"},
    "schedule": {"bond", "amount", "issue_date", "term", "called", "maturity", "coupon_percent", "repayment",
                 "interest_frequency", "issue_cost", "instalments", "totals"},
    "record": {"project", "record", "computed", "bound", "coupon_range_percent", "coupon_points_percent",
               "income_range", "self_contradictory", "findings"},
}  # fmt: skip
#: keys whose values are free maps (category keys, a finding's evidence) or the record as read
OPEN = {"paid_by_category", "values", "record"}


@pytest.fixture
def outputs(ctx):
    version = insert_plan(ctx, BACHU_PARCELS)
    approve(ctx, version)
    url = ctx.engine.url.render_as_string(hide_password=False)
    runner = CliRunner(env={"LANDRESERVE_DATABASE_URL": url, "LANDRESERVE_USER": "王五",
                            "LANDRESERVE_DEPARTMENT": "finance", "COLUMNS": "300"})  # fmt: skip

    def run(*args, code=0):
        result = runner.invoke(app, ["funds", *args])
        assert result.exit_code == code, (args, result.output)
        return result.output

    run("bond", "add", "A", "--amount", "3000万元", "--issue-date", "2026-06-01", "--term", "5+2", "--rate", "3",
        "--doc", "d")  # fmt: skip
    run("source", "add", "JJ", "--kind", "land_revenue_fund", "--amount", "100万元", "--doc", "d")
    run(
        "project",
        "add",
        "P",
        "--bond",
        "A",
        "--plan",
        "1",
        "--parcels",
        "BC-CB2026001",
        "--supply-year",
        "2029",
    )
    run("project", "parcel", "P", "BC-CB2026001", "--use", "住宅用地")
    run("project", "price", "P", "--use", "住宅用地", "--price", "1500", "--basis", "评估")
    run("allocate", "--project", "P", "--amount", "100万元", "--doc", "d")
    run("pay", "--parcel", "BC-CB2026001", "--category", "拆除", "--amount", "10万元", "--doc", "d")
    return {
        "balance": json.loads(run("balance", "P", "--json")),
        "balance_bond": json.loads(run("balance", "A", "--json")),
        "balance_fiscal": json.loads(run("balance", "JJ", "--json")),
        "cashflow": json.loads(run("cashflow", "P", "--scenario", "called", "--json")),
        "sensitivity": json.loads(run("sensitivity", "P", "--json")),
        "coverage": json.loads(run("coverage", "--json")),
        "schedule": json.loads(run("bond", "schedule", "A", "--called", "--json")),
        "record": json.loads(run("project", "import", str(EXAMPLE), "--json")),
    }


def keys(value, found: set[str]) -> set[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            found.add(key)
            if key not in OPEN:
                keys(item, found)
    elif isinstance(value, list):
        for item in value:
            keys(item, found)
    return found


def numbers(value) -> list:
    if isinstance(value, dict):
        return [
            n
            for k, v in value.items()
            if k not in ("year", "number", "lines", "row", "term_years", "call_after_years", "shares")
            for n in numbers(v)
        ]
    if isinstance(value, list):
        return [n for v in value for n in numbers(v)]
    return [value] if isinstance(value, int | float) and not isinstance(value, bool) else []


def test_every_report_has_its_pinned_keys_all_documented(outputs):
    for name, expected in TOP_KEYS.items():
        assert set(outputs[name]) == expected, name
    assert set(outputs["balance"]["balance"]) == set(outputs["cashflow"]) == BALANCE_KEYS
    assert all(set(s) == BALANCE_KEYS for s in outputs["sensitivity"]["scenarios"])
    assert [s["scenario"]["key"] for s in outputs["sensitivity"]["scenarios"]][-1] == "called"
    assert (
        outputs["balance_fiscal"]["balance"] is None
        and outputs["balance_fiscal"]["kind"] == "land_revenue_fund"
    )
    assert outputs["balance"]["positions"][0]["parcels"][0]["paid_by_category"] == {"demolition": "100000.00"}
    found = set()
    for data in outputs.values():
        keys(data, found)
    assert sorted(found - DOCUMENTED - {"demolition"}) == []


def test_amounts_are_strings(outputs):
    for name, data in outputs.items():
        assert numbers(data) == [], name
    assert outputs["schedule"]["instalments"][-1]["principal"] == "30000000.00"
    assert outputs["cashflow"]["ratio"] is not None and "." in outputs["cashflow"]["ratio"]
