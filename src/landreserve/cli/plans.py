"""``landreserve audit / import / plans / show``: audit a plan file, store it, list and show stored plans."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer

from . import app
from .common import EXIT_RULE, console, context, handled, print_json
from .lazy import lazy

auditing = lazy("landreserve.services.plan_audit")
tables = lazy("rich.table")  # not for ``audit --json``
plan_json = lazy("landreserve.services.plan_json")
service = lazy("landreserve.services.plans")

KIND_NAMES = {
    "annual_reserve": "年度土地储备计划",
    "rolling_three_year": "三年滚动计划",
    "supply": "国有建设用地供应计划",
    "other": "其他",
}
QUANTITY_NAMES = {"area": "面积", "money": "金额", "share": "比例", "count": "数量"}
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}
BASE_UNITS = {"area": "㎡", "money": "元", "share": "%", "count": ""}
STATUS_NAMES = {"imported": "已导入", "approved": "已批准", "superseded": "已被取代"}

FileArg = Annotated[Path, typer.Argument(help="计划文件：UTF-8/GBK/GB18030 文本或 .docx", show_default=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON（供其他工具读取），不输出表格")]
UserOpt = Annotated[str | None, typer.Option("--user", help="操作人姓名（默认取 LANDRESERVE_USER）")]
DeptOpt = Annotated[str | None, typer.Option("--department", help="操作人所在部门键，如 reserve_center")]


ExplainOpt = Annotated[
    bool, typer.Option("--explain", help="列出每组分项的对应关系、完整性、证据和其他可能的读法")
]


@app.command("audit")
def audit_command(file: FileArg, as_json: JsonOpt = False, explain: ExplainOpt = False) -> None:
    """审核计划文件（不保存）。退出码：0 无错误；1 有错误；2 文件无法作为计划读取。"""
    with handled(as_json):
        from ..settings import Settings  # the limits of this installation (LANDRESERVE_MAX_PARCEL_AREA_HA)

        report = auditing.audit_file(file, Settings.from_env().max_parcel_area_ha)
    if as_json:
        data = plan_json.report_json(report)
        if explain:
            data["explain"] = auditing.explain_lines(report)
        print_json(data)
    else:
        data = plan_json.report_json(report)
        _print_document(data["document"], source=str(file), lines=report.document.line_count)
        _print_content(data["figures"], data["parcels"], data["findings"])
        if explain:
            console.print("[bold]分项结构（为何这样读）[/]")
            for line in auditing.explain_lines(report):
                console.print(line, highlight=False, markup=False)
    if report.has_errors:
        raise typer.Exit(EXIT_RULE)


@app.command("import")
def import_command(file: FileArg, user: UserOpt = None, department: DeptOpt = None) -> None:
    """审核并保存计划（一个事务）。同一文件重复导入不作改动；内容变化的文件保存为该计划的新版本。

    审核发现的错误不阻止保存（按公布原样保存，审核结果一并保存）。退出码：0 已保存或无需改动；2 文件无法读取。
    """
    with handled():
        result = service.import_plan(context(user, department), file)
    _print_findings([plan_json.finding_json(f) for f in result.findings])
    if result.created:
        what = "新计划" if result.new_plan else "已有计划的新版本"
        console.print(
            f"[green]已保存[/]（{what}）：计划编号 {result.plan_id}，标识 {result.plan_key}，第 {result.version} 版。",
            highlight=False,
        )
    else:
        console.print(
            f"[cyan]未改动[/]：同一文件已保存为计划编号 {result.plan_id}（{result.plan_key}）第 {result.version} 版。",
            highlight=False,
        )


@app.command("plans")
def plans_command(as_json: JsonOpt = False) -> None:
    """列出已保存的储备计划（编号、标识、版本数、最新版本的状态与审核结果）。"""
    with handled(as_json):
        summaries = service.list_plans(context())
    if as_json:
        print_json([s.to_dict() for s in summaries])
        return
    if not summaries:
        console.print("还没有保存任何计划。用 `landreserve import 文件` 导入。")
        return
    table = tables.Table(title="已保存的储备计划")
    for name in ("编号", "标识", "标题", "行政区", "年度", "类型", "版本数", "最新状态", "错误", "警告"):
        right = name in ("编号", "年度", "版本数", "错误", "警告")
        table.add_column(name, justify="right" if right else "left", overflow="fold")
    for s in summaries:
        table.add_row(
            str(s.id),
            s.plan_key,
            s.title or "",
            s.jurisdiction or "",
            str(s.year or ""),
            KIND_NAMES.get(s.kind, s.kind),
            str(s.versions),
            f"第{s.latest_version}版 {_status(s.latest_status)}" if s.latest_version else "",
            _count_cell(s.errors, "error"),
            _count_cell(s.warnings, "warning"),
        )
    console.print(table)


@app.command("show")
def show_command(
    plan: Annotated[str, typer.Argument(help="计划编号或标识（见 `landreserve plans`）", show_default=False)],
    version: Annotated[int | None, typer.Option("--version", "-v", help="版本号（默认最新版本）")] = None,
    as_json: JsonOpt = False,
) -> None:
    """显示一个已保存的计划：数字、地块和审核结果。"""
    with handled(as_json):
        view = service.get_plan(context(), plan, version)
    if as_json:
        print_json(view.to_dict())
        return
    v = view.version
    _print_document(view.document, source=v.source_name, lines=v.line_count)
    versions = "、".join(f"第{x.version}版（{_status(x.status)}）" for x in view.versions)
    console.print(
        f"计划编号 {view.plan_id}，标识 {view.plan_key}；显示第 {v.version} 版（{_status(v.status)}），"
        f"{v.created_at:%Y-%m-%d %H:%M} UTC 由 {v.created_by or '未知'} 导入；全部版本：{versions}",
        highlight=False,
    )
    _print_content(view.figures, view.parcels, view.findings)


def _print_document(document: dict, *, source: str, lines: int) -> None:
    table = tables.Table(title="计划文件", show_header=False)
    table.add_column("项目", style="bold")
    table.add_column("内容")
    table.add_row("标题", document.get("title") or "（未识别）")
    table.add_row("行政区", document.get("jurisdiction") or "（未识别）")
    table.add_row("年度", str(document.get("year") or "（未识别）"))
    table.add_row("类型", KIND_NAMES.get(document.get("kind") or "other", str(document.get("kind"))))
    table.add_row("来源", f"{source}（{lines} 行）")
    console.print(table)


def _print_content(figures: list[dict], parcels: list[dict], findings: list[dict]) -> None:
    _print_figures(figures)
    _print_parcels(parcels)
    _print_findings(findings)


def _print_figures(figures: list[dict]) -> None:
    table = tables.Table(title=f"文中数字（{len(figures)} 个）")
    for name in ("行", "项目", "原文数值", "限定词", "折合基本单位", "类别"):
        right = name in ("行", "原文数值", "折合基本单位")
        table.add_column(name, justify="right" if right else "left", overflow="fold")
    for f in figures:
        table.add_row(
            str(f["line"]),
            f["label"],
            f"{f['value']}{f['unit']}",
            f["qualifier"] or "",
            f"{f['base_value']}{BASE_UNITS.get(f['quantity'], '')}",
            QUANTITY_NAMES.get(f["quantity"], f["quantity"]),
        )
    console.print(table)


def _print_parcels(parcels: list[dict]) -> None:
    if not parcels:
        console.print("地块清单：未列出地块。")
        return
    table = tables.Table(title=f"地块清单（{len(parcels)} 宗）")
    for name in ("行", "地块编号", "土地坐落", "面积（公顷）", "面积（㎡）", "用途"):
        right = name in ("行", "面积（公顷）", "面积（㎡）")
        table.add_column(name, justify="right" if right else "left", overflow="fold")
    for p in parcels:
        area = p["area_m2"]
        hectares = "" if area is None else str((Decimal(area) / 10000).quantize(Decimal("0.0001")))
        table.add_row(str(p["line"]), p["code"], p["location"] or "", hectares, area or "", p["use"] or "")
    console.print(table)


def _print_findings(findings: list[dict]) -> None:
    counts = {s: sum(1 for f in findings if f["severity"] == s) for s in SEVERITY_NAMES}
    summary = "，".join(f"{SEVERITY_NAMES[s]} {n} 个" for s, n in counts.items())
    if not findings:
        console.print("[green]审核结论：未发现问题。[/]")
        return
    table = tables.Table(title=f"审核结果（{summary}）")
    table.add_column("级别", no_wrap=True)
    table.add_column("代码", overflow="fold")
    table.add_column("行", overflow="fold")
    table.add_column("说明", overflow="fold", ratio=1)
    for f in findings:
        style = SEVERITY_STYLES.get(f["severity"], "")
        table.add_row(
            SEVERITY_NAMES.get(f["severity"], f["severity"]),
            f["code"],
            "、".join(str(n) for n in f["lines"]),
            f["message"],
            style=style,
        )
    console.print(table)
    verdict = "[bold red]有错误[/]" if counts["error"] else "[green]无错误[/]"
    console.print(f"审核结论：{verdict}（{summary}）", highlight=False)


def _count_cell(n: int, severity: str) -> str:
    return f"[{SEVERITY_STYLES[severity]}]{n}[/]" if n else "0"


def _status(status: str | None) -> str:
    return STATUS_NAMES.get(status or "", status or "")
