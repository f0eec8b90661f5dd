"""``landreserve plan-vs-actual``: the year's plan against the register, in total, by use, by zone, stock/new."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from . import app
from .common import console, context, handled, print_json
from .lazy import lazy
from .options import JsonOpt

service = lazy("landreserve.services.plan_vs_actual")


@app.command("plan-vs-actual")
def plan_vs_actual_command(
    year: Annotated[int, typer.Argument(help="计划年度")],
    version: Annotated[
        int | None, typer.Option("--version", help="计划版本编号（默认该年度现行版本）")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """计划执行情况：计划 vs 入库、年末在库、完成前期开发、供应（合计、按用途、按区域、存量/新增）。"""
    with handled(as_json):
        report, used = service.plan_vs_actual(context(), year, version)
        if as_json:
            print_json(_report_json(report, used))
            return
        console.print(
            f"{year} 年度：对照计划 {used.plan_id} 第{used.version}版（{used.approval_no or '未批准'}）"
        )
        for note in report.notes:
            console.print(f"[yellow]注意[/]：{note}")
        for title, pick in (
            ("合计", None),
            ("按用途", "by_use"),
            ("按区域", "by_zone"),
            ("存量/新增", "by_stock"),
        ):
            console.print(_report_table(report, title, pick))
        console.print(
            f"计划存量占比 {report.planned_stock_share}%；实际入库存量占比 {report.acquired_stock_share}%；"
            f"入库闲置/低效土地占比 {report.acquired_idle_share}%"
        )
        console.print(
            f"计划外入库：{'、'.join(report.out_of_plan) or '无'}；计划内未入库：{'、'.join(report.not_acquired) or '无'}",
            soft_wrap=True,
        )


def _report_table(report, title: str, pick: str | None) -> Table:
    table = Table(title=f"计划与实际（{title}，㎡）")
    table.add_column("分组")
    for figure in report.figures.values():
        table.add_column(figure.label)
    groups = sorted({g for f in report.figures.values() for g in getattr(f, pick)}) if pick else ["合计"]
    for group in groups:
        cells = [(f.total if not pick else getattr(f, pick).get(group)) for f in report.figures.values()]
        table.add_row(group, *[f"{c.area}（{len(c.codes)}宗）" if c else "0" for c in cells])
    return table


def _report_json(report, used) -> dict:
    cell = lambda c: {"area_m2": c.area, "parcels": list(c.codes)}  # noqa: E731
    return {
        "year": report.year, "plan_version": used.to_dict(), "notes": list(report.notes),
        "figures": {name: {"total": cell(f.total), "by_use": {k: cell(v) for k, v in f.by_use.items()},
                           "by_zone": {k: cell(v) for k, v in f.by_zone.items()},
                           "by_stock": {k: cell(v) for k, v in f.by_stock.items()}}
                    for name, f in report.figures.items()},
        "planned_stock_share": report.planned_stock_share, "acquired_stock_share": report.acquired_stock_share,
        "acquired_idle_share": report.acquired_idle_share, "out_of_plan": list(report.out_of_plan),
        "not_acquired": list(report.not_acquired),
    }  # fmt: skip
