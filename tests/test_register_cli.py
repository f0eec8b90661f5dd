"""The register commands as a user runs them, on SQLite and PostgreSQL: Chinese output, exit codes 0/1/2,
every missing gate listed, plan adjustment and diff, plan vs actual, and verify-log catching tampering."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from landreserve.cli import app
from register_samples import BACHU_AREAS, bachu_facts, tamper

RISKS = ("土壤污染", "文物保护", "压覆矿产", "洪涝风险", "地质灾害")
HEADERS = {
    "land_use": "用途",
    "zone": "区域",
    "stock": "存量或新增",
    "source": "来源",
    "condition": "利用状况",
}


#: works accepted, only the buildings cleared, the supply plan, and the sale: not yet net land
SUPPLY_006 = (
    "-e", "kind=work_acceptance,subject=道路,ref=验收1,date=2026-06-01,by=王五",
    "-e", "kind=work_acceptance,subject=场地平整,ref=验收2,date=2026-06-01,by=王五",
    "-e", "kind=clearance,subject=建筑物,ref=拆除1,date=2026-06-01,by=王五",
    "-e", "kind=supply_plan,ref=巴楚县2026年供应计划,date=2026-06-01,by=王五",
    "--method", "出让", "--contract", "HT-2026-01", "--price", "5500万元", "--date", "2026-06-10",
)  # fmt: skip


@pytest.fixture
def run(engine):
    url = engine.url.render_as_string(hide_password=False)
    runner = CliRunner(env={"LANDRESERVE_DATABASE_URL": url, "LANDRESERVE_USER": "李四", "COLUMNS": "220"})

    def invoke(*args: str):
        return runner.invoke(app, [str(a) for a in args])

    return invoke


@pytest.fixture
def registered(run, tmp_path, bachu_plan_path):
    """Bachu imported, approved and registered from a GBK CSV with Chinese headers (as Excel saves it)."""
    assert run("import", bachu_plan_path).exit_code == 0
    approved = run(
        "plan",
        "approve",
        1,
        "--approval-no",
        "巴政函〔2026〕1号",
        "--approved-on",
        "2026-02-01",
        "--department",
        "government",
    )
    assert approved.exit_code == 0 and "第1版已批准" in approved.stdout
    lines = ["地块编号," + ",".join(HEADERS.values())]
    lines += [",".join([code, *(bachu_facts(code)[k] for k in HEADERS)]) for code in BACHU_AREAS]
    facts = tmp_path / "facts.csv"
    facts.write_bytes("\r\n".join(lines).encode("gbk"))
    created = run("parcel", "create-from-plan", 1, "--facts", facts, "--date", "2026-02-01")
    assert created.exit_code == 0 and "已登记 13 宗" in created.stdout
    return run


def entry_options(day: str = "2026-03-01") -> list[str]:
    options = []
    for kind in (
        "title_clear",
        "no_seizure",
        "no_mortgage",
        "no_guarantee",
        "compensation_settled",
        "registration",
    ):
        options += ["-e", f"kind={kind},ref={kind}-001,date={day},by=李四"]
    for risk in RISKS:
        options += ["-e", f"kind=risk_check,subject={risk},ref=排查-{risk},date={day},by=王五"]
    return options


def test_a_refused_transition_lists_every_missing_gate(registered):
    result = registered(
        "parcel",
        "transition",
        "BC-CB2026006",
        "入库储备",
        "-e",
        "kind=产权清晰,ref=证明1,date=2026-03-01,by=李四",
    )
    assert result.exit_code == 1
    assert "10 项条件未满足" in result.stderr
    for label in ("无查封", "无抵押", "无担保", "补偿安置到位", "不动产登记", *RISKS):
        assert label in result.stderr, label
    assert "产权清晰”" not in result.stderr


def test_a_parcel_goes_through_its_life_on_the_command_line(registered):
    run = registered
    assert (
        run(
            "parcel", "transition", "BC-CB2026006", "in_reserve", *entry_options(), "--date", "2026-03-01"
        ).exit_code
        == 0
    )
    dev = run("parcel", "transition", "BC-CB2026006", "前期开发", "-e",
              "kind=development_plan,subject=道路;场地平整,ref=开发方案1,date=2026-04-01,by=王五", "--date", "2026-04-01")  # fmt: skip
    assert dev.exit_code == 0, dev.stderr
    not_net = run("parcel", "transition", "BC-CB2026006", "已供应", *SUPPLY_006)
    assert not_net.exit_code == 1
    assert all(f"净地：{x}已清除" in not_net.stderr for x in ("附着物", "地下构筑物", "障碍物"))
    for item in ("附着物", "地下构筑物", "障碍物"):
        added = run(
            "parcel",
            "evidence",
            "BC-CB2026006",
            "-e",
            f"kind=clearance,subject={item},ref=清除-{item},date=2026-06-05,by=王五",
        )
        assert added.exit_code == 0
    supplied = run("parcel", "transition", "BC-CB2026006", "已供应", *SUPPLY_006)
    assert supplied.exit_code == 0 and "已转为“已供应（出库）”" in supplied.stdout
    shown = run("parcel", "show", "BC－CB2026006")
    assert shown.exit_code == 0
    assert (
        "已供应（出库）" in shown.stdout
        and "HT-2026-01" in shown.stdout
        and "状态变更：已供应（出库）" in shown.stdout
    )
    data = json.loads(run("parcel", "show", "BC-CB2026006", "--json").stdout)
    assert (
        data["state"] == "supplied" and data["supply"]["price"] == "55000000.00" and data["row_version"] == 7
    )
    assert [e["action"] for e in data["timeline"]][-1] == "parcel.transition.supplied"
    listed = run("parcel", "list", "--state", "已供应")
    assert listed.exit_code == 0 and "BC-CB2026006" in listed.stdout and "BC-CB2026007" not in listed.stdout


def test_show_marks_gates_satisfied_and_missing(registered):
    registered(
        "parcel", "evidence", "BC-CB2026002", "-e", "kind=title_clear,ref=产权证明-7,date=2026-03-01,by=李四"
    )
    shown = registered("parcel", "show", "BC-CB2026002")
    assert "产权证明-7" in shown.stdout and "已满足" in shown.stdout and "缺少" in shown.stdout
    data = json.loads(registered("parcel", "show", "BC-CB2026002", "--json").stdout)
    gates = {g["key"]: g["satisfied"] for g in data["gates"]["in_reserve"]}
    assert gates["title_clear"] and not gates["no_seizure"] and not gates["risk_check:土壤污染"]


def test_plan_adjustment_and_diff(registered):
    run = registered
    args = ["plan", "adjust", 1, "--add", "code=BC-CB2026012,area_m2=15000,land_use=商服用地,zone=巴楚镇,stock=存量",
            "--remove", "BC2025CB011", "--change", "code=BC-CB2026007,area_m2=95000", "--reason", "重复地块调出、新增低效用地",
            "--department", "government"]  # fmt: skip
    refused = run(*args)
    assert refused.exit_code == 1 and "批准记录" in refused.stderr
    accepted = run(
        *args,
        "--approval-no",
        "巴政函〔2026〕35号",
        "--approved-on",
        "2026-06-18",
        "--approving-body",
        "巴楚县人民政府",
    )
    assert accepted.exit_code == 0 and "第2版" in accepted.stdout
    diff = json.loads(run("plan", "diff", 1, 2, "--json").stdout)
    assert [p["code"] for p in diff["added"]] == ["BC-CB2026012"]
    assert [p["code"] for p in diff["removed"]] == ["BC2025CB011"]
    assert diff["changed"] == [
        {"code": "BC-CB2026007", "changes": [{"field": "area_m2", "old": "98530", "new": "95000"}]}
    ]
    total = next(m for m in diff["indicators"] if m["name"] == "total_area")
    assert (total["old"], total["new"], total["delta"]) == ("475751", "460755", "-14996")
    table = run("plan", "diff", 1, 2)
    assert "面积（㎡）：98530 → 95000" in table.stdout and "-14996" in table.stdout
    versions = run("plan", "versions", 1)
    assert "已被调整替代" in versions.stdout and "巴政函〔2026〕35号" in versions.stdout


def test_plan_vs_actual_on_the_command_line(registered):
    registered(
        "parcel",
        "transition",
        "BC-CB2026003",
        "入库储备",
        *entry_options("2026-04-01"),
        "--date",
        "2026-04-01",
    )
    data = json.loads(registered("plan-vs-actual", 2026, "--json").stdout)
    assert data["figures"]["planned"]["total"]["area_m2"] == "475751"
    assert data["figures"]["acquired"]["total"] == {"area_m2": "22085", "parcels": ["BC-CB2026003"]}
    assert data["acquired_idle_share"] == "100.00" and data["planned_stock_share"] == "83.08"
    shown = registered("plan-vs-actual", 2026)
    assert shown.exit_code == 0 and "实际入库" in shown.stdout and "22085（1宗）" in shown.stdout


def test_verify_log_catches_tampering(registered, engine):
    ok = registered("verify-log")
    assert ok.exit_code == 0 and "历史记录完整：共 15 条" in ok.stdout
    anchor = ok.stdout.split("核对）：")[1].split()[0]
    tamper(engine, "history_entries", "UPDATE history_entries SET actor = '王五' WHERE seq = 5")
    broken = registered("verify-log")
    assert broken.exit_code == 1 and "第 5 条" in broken.stderr and "被改过" in broken.stderr
    tamper(
        engine,
        "history_entries",
        "UPDATE history_entries SET actor = '李四' WHERE seq = 5",
        "DELETE FROM history_entries WHERE seq = 15",
    )
    # the cut tail's entry wrote rows: replaying the shorter chain no longer accounts for them
    shorter = registered("verify-log")
    assert shorter.exit_code == 1 and "与历史记录不符" in shorter.stderr and "不符：表 " in shorter.stdout
    cut = registered("verify-log", "--anchor", anchor)
    assert cut.exit_code == 1 and "末尾被删除" in cut.stderr


def test_findings_and_bad_input(registered):
    run = registered
    run("parcel", "transition", "BC-CB2026010", "入库储备", *entry_options(), "--date", "2026-03-01")
    lease = "kind=temporary_use,ref=临时用地合同1,date=2026-03-05,by=李四,start=2026-03-05,end=2027-03-04"
    assert (
        run("parcel", "transition", "BC-CB2026010", "管护", "-e", lease, "--date", "2026-03-05").exit_code
        == 0
    )
    found = json.loads(run("register", "findings", "--today", "2027-04-01", "--json").stdout)
    assert [f["code"] for f in found] == ["register.temporary_use_overdue"]
    assert run("register", "findings", "--today", "2027-01-01").stdout.strip() == "未发现问题。"
    bad = run(
        "parcel",
        "transition",
        "BC-CB2026010",
        "已供应",
        "-e",
        "kind=clearance,subject=建筑物,date=2026-03-01",
    )
    assert bad.exit_code == 2 and "缺少文件编号、确认人" in bad.stderr
    unknown = run("parcel", "show", "BC-NOPE")
    assert unknown.exit_code == 1 and "储备库中没有地块 BC-NOPE" in unknown.stderr


def test_a_facts_file_with_an_unknown_column_is_named(run, tmp_path, bachu_plan_path):
    run("import", bachu_plan_path)
    run(
        "plan",
        "approve",
        1,
        "--approval-no",
        "巴政函〔2026〕1号",
        "--approved-on",
        "2026-02-01",
        "--department",
        "government",
    )
    facts = tmp_path / "facts.csv"
    facts.write_text("地块编号,用途,面积（公顷）\nBC-CB2026001,工矿仓储用地,4.0254\n", encoding="utf-8")
    refused = run("parcel", "create-from-plan", 1, "--facts", facts)
    assert refused.exit_code == 2 and "列名“面积（公顷）”无法识别" in refused.stderr
    assert "储备库地块（0 宗）" in run("parcel", "list").stdout


def test_supplied_today_when_no_date_is_given(registered):
    run = registered
    run("parcel", "transition", "BC-CB2026010", "入库储备", *entry_options(), "--date", "2026-03-01")
    supplied = run(
        "parcel", "transition", "BC-CB2026010", "已供应",
        "-e", "kind=supply_plan,ref=巴楚县2026年供应计划,date=2026-03-02,by=王五",
        *[x for item in ("建筑物", "附着物", "地下构筑物", "障碍物")
          for x in ("-e", f"kind=clearance,subject={item},ref=清除-{item},date=2026-03-02,by=王五")],
        "--method", "划拨", "--contract", "HB-2026-01", "--price", "0",
    )  # fmt: skip
    assert supplied.exit_code == 0, supplied.stderr
    shown = json.loads(run("parcel", "show", "BC-CB2026010", "--json").stdout)
    assert shown["supply"]["date"] == shown["state_since"] == date.today().isoformat()
