"""``landreserve audit / import / plans / show``: audit a plan file, store it, list and show stored plans."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from . import app
from .audit import audit
from .common import console, context, handled, print_json
from .lazy import lazy
from .plan_tables import (
    KIND_NAMES,
    SEVERITY_STYLES,
    print_content,
    print_document,
    print_findings,
    status_name,
)

tables = lazy("rich.table")  # not for ``audit --json``
plan_json = lazy("landreserve.services.plan_json")
service = lazy("landreserve.services.plans")

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
    code = audit(file, as_json, explain)
    if code:
        raise typer.Exit(code)


@app.command("import")
def import_command(file: FileArg, user: UserOpt = None, department: DeptOpt = None) -> None:
    """审核并保存计划（一个事务）。同一文件重复导入不作改动；内容变化的文件保存为该计划的新版本。

    审核发现的错误不阻止保存（按公布原样保存，审核结果一并保存）。退出码：0 已保存或无需改动；2 文件无法读取。
    """
    with handled():
        result = service.import_plan(context(user, department), file)
    print_findings([plan_json.finding_json(f) for f in result.findings])
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
            f"第{s.latest_version}版 {status_name(s.latest_status)}" if s.latest_version else "",
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
    print_document(view.document, source=v.source_name, lines=v.line_count)
    versions = "、".join(f"第{x.version}版（{status_name(x.status)}）" for x in view.versions)
    console.print(
        f"计划编号 {view.plan_id}，标识 {view.plan_key}；显示第 {v.version} 版（{status_name(v.status)}），"
        f"{v.created_at:%Y-%m-%d %H:%M} UTC 由 {v.created_by or '未知'} 导入；全部版本：{versions}",
        highlight=False,
    )
    print_content(view.figures, view.parcels, view.findings)


def _count_cell(n: int, severity: str) -> str:
    return f"[{SEVERITY_STYLES[severity]}]{n}[/]" if n else "0"
