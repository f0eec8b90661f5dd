"""``landreserve plan approve / adjust / diff / versions``: approved plan versions, adjustments and their diff."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ..domain.evidence import key_values
from ..domain.plan_versions import PARCEL_FIELDS, Approval, VersionDiff
from . import app
from .common import console, context, handled, print_json
from .lazy import lazy
from .options import DeptOpt, JsonOpt, UserOpt, option_date

plan_versions = lazy("landreserve.services.plan_versions")

plan_app = typer.Typer(help="计划版本：批准、调整、比较。", no_args_is_help=True)
app.add_typer(plan_app, name="plan")


@plan_app.command("approve")
def plan_approve(
    version: Annotated[
        int, typer.Argument(help="要批准的版本编号（导入时显示；或见 plan versions 计划编号）")
    ],
    approval_no: Annotated[str, typer.Option("--approval-no", help="批准文号")],
    approved_on: Annotated[str, typer.Option("--approved-on", help="批准日期 YYYY-MM-DD")],
    approving_body: Annotated[str, typer.Option("--approving-body", help="批准机关")] = "县人民政府",
    user: UserOpt = None,
    department: DeptOpt = None,
) -> None:
    """记录计划版本的批准（批准文号、日期、机关），使其成为现行版本。"""
    with handled():
        ctx = context(user, department)
        summary = plan_versions.approve_version(
            ctx, version, approval_no, option_date(approved_on, "--approved-on"), approving_body
        )
        console.print(
            f"计划 {summary.plan_id} 第{summary.version}版已批准（{summary.approval_no}），为现行版本"
        )


def _items(options: list[str] | None) -> list[dict[str, str]]:
    return [key_values(text, "code=BC-CB2026012,area_m2=15000") for text in options or []]


@plan_app.command("adjust")
def plan_adjust(
    version: Annotated[
        int, typer.Argument(help="现行（已批准）版本的版本编号，见 landreserve plan versions 计划编号")
    ],
    add: Annotated[
        list[str] | None,
        typer.Option(
            "--add",
            help="新增地块（计划外地块），可重复：code=编号,area_m2=面积㎡,land_use=用途,zone=区域,stock=存量/新增[,location=坐落,source=来源,condition=闲置/低效]",
        ),
    ] = None,
    remove: Annotated[list[str] | None, typer.Option("--remove", help="调出地块编号，可重复")] = None,
    change: Annotated[
        list[str] | None,
        typer.Option("--change", help="变更地块，可重复：code=编号,字段=新值（字段同 --add）"),
    ] = None,
    approval_no: Annotated[str | None, typer.Option("--approval-no", help="调整的批准文号")] = None,
    approved_on: Annotated[str | None, typer.Option("--approved-on", help="批准日期 YYYY-MM-DD")] = None,
    approving_body: Annotated[str | None, typer.Option("--approving-body", help="批准机关")] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="调整原因")] = None,
    user: UserOpt = None,
    department: DeptOpt = None,
) -> None:
    """调整现行计划：生成经批准的新版本，旧版本保留可查。计划外地块须有批准记录。"""
    with handled():
        approval = None
        if approval_no or approved_on or approving_body:
            approval = Approval.checked(
                approval_no, option_date(approved_on, "--approved-on"), approving_body
            )
        summary = plan_versions.adjust_plan(
            context(user, department), version, _items(add), remove or [], _items(change), approval, reason
        )
        console.print(
            f"已生成计划 {summary.plan_id} 第{summary.version}版（版本编号 {summary.id}，{summary.approval_no}）"
        )


def _diff_json(result: VersionDiff) -> dict:
    parcel = lambda p: {k: getattr(p, k) for k in ("code", *PARCEL_FIELDS)}  # noqa: E731
    return {
        "added": [parcel(p) for p in result.added],
        "removed": [parcel(p) for p in result.removed],
        "changed": [{"code": c.code, "changes": [{"field": f.field, "old": f.old, "new": f.new} for f in c.changes]}
                    for c in result.changed],
        "indicators": [{"name": m.name, "group": m.group, "old": m.old, "new": m.new, "delta": m.delta}
                       for m in result.indicators],
    }  # fmt: skip


@plan_app.command("diff")
def plan_diff(
    v1: Annotated[int, typer.Argument(help="旧版本的版本编号（见 plan versions）")],
    v2: Annotated[int, typer.Argument(help="新版本的版本编号")],
    as_json: JsonOpt = False,
) -> None:
    """比较两个计划版本：新增、调出、变更的地块（逐字段）及各项指标的变化。"""
    with handled(as_json):
        result = plan_versions.diff_versions(context(), v1, v2)
        if as_json:
            print_json(_diff_json(result))
            return
        parcels = Table(title=f"版本 {v1} → {v2}：地块变化")
        for column in ("变化", "编号", "内容"):
            parcels.add_column(column)
        for p in result.added:
            parcels.add_row("新增", p.code, f"{p.area_m2} ㎡ {p.land_use or ''} {p.zone or ''}")
        for p in result.removed:
            parcels.add_row("调出", p.code, f"{p.area_m2} ㎡")
        for c in result.changed:
            parcels.add_row("变更", c.code, "；".join(f"{f.label}：{f.old} → {f.new}" for f in c.changes))
        console.print(parcels)
        indicators = Table(title="指标变化")
        for column in ("指标", "分组", "原", "新", "增减"):
            indicators.add_column(column)
        for m in result.indicators:
            indicators.add_row(m.label, m.group or "", str(m.old), str(m.new), f"{m.delta:+}")
        console.print(indicators)


@plan_app.command("versions")
def plan_versions_command(plan: Annotated[int, typer.Argument(help="计划编号")]) -> None:
    """列出计划的全部版本（含已被调整替代的旧版本）。"""
    with handled():
        table = Table(title=f"计划 {plan} 的版本")
        for column in ("版本编号", "版次", "状态", "批准文号", "批准日期", "批准机关", "原因"):
            table.add_column(column)
        for v in plan_versions.list_versions(context(), plan):
            table.add_row(str(v.id), str(v.version), plan_versions.STATUS_LABELS.get(v.status, v.status),
                          v.approval_no or "", str(v.approved_on or ""), v.approving_body or "", v.reason or "")  # fmt: skip
        console.print(table)
