"""``landreserve report plan|parcels|annual|disclosure PLAN``: the reports as the county files them, written
to a file (Word, PDF, Excel, JSON, CSV, GeoJSON — the formats that fit each report)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from . import app
from .common import console, context, handled
from .lazy import lazy

service = lazy("landreserve.services.reports")
output = lazy("landreserve.reports.output")

report_app = typer.Typer(
    help="报告：储备计划文本、储备地块清单、年度执行情况报告、公开信息（写入文件）。", no_args_is_help=True
)
app.add_typer(report_app, name="report")

PlanArg = Annotated[str, typer.Argument(help="计划编号或标识（landreserve plans 查看）")]
VersionOpt = Annotated[
    int | None, typer.Option("--version", help="第几版（默认现行批准版本；公开信息默认已公开的版本）")
]
FormatOpt = Annotated[str | None, typer.Option("--format", help="格式（不写时取输出文件的扩展名）")]
OutOpt = Annotated[Path, typer.Option("-o", "--output", help="输出文件")]


def _write(report: str, plan: str, fmt: str | None, out: Path, **options) -> None:
    with handled():
        fmt = fmt or out.suffix.lstrip(".")
        rendered = service.render(context(), report, plan, fmt, **options)
        output.write_atomically(out, rendered.data)
        console.print(f"已写出 {out}（{len(rendered.data):,} 字节）", highlight=False)


@report_app.command("plan")
def plan_command(
    plan: PlanArg,
    out: OutOpt,
    version: VersionOpt = None,
    fmt: FormatOpt = None,
    texts: Annotated[
        Path | None,
        typer.Option(
            "--texts",
            help="叙述性文字（指导思想、制定原则、保障措施等）取自此文件：导入的原计划，或在 Word 中修改过的生成文本",
        ),
    ] = None,
) -> None:
    """储备计划文本（docx、pdf）：按巴楚县计划的结构，数字全部取自数据库。"""
    with handled():
        narrative = service.narrative_from_file(texts) if texts else None
    _write("plan", plan, fmt, out, version=version, narrative=narrative)


@report_app.command("parcels")
def parcels_command(plan: PlanArg, out: OutOpt, version: VersionOpt = None, fmt: FormatOpt = None) -> None:
    """储备地块清单（xlsx、json、csv）：每宗地块一行，合计为公式，每个区域一张工作表。"""
    _write("parcels", plan, fmt, out, version=version)


@report_app.command("annual")
def annual_command(
    plan: PlanArg,
    out: OutOpt,
    year: Annotated[int | None, typer.Option("--year", help="报告年度（默认计划年度）")] = None,
    version: VersionOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """年度执行情况报告（docx、pdf）：计划与实际、地块状态、资金、调整、未解决问题，附图表。"""
    _write("annual", plan, fmt, out, version=version, year=year)


@report_app.command("disclosure")
def disclosure_command(plan: PlanArg, out: OutOpt, version: VersionOpt = None, fmt: FormatOpt = None) -> None:
    """公开信息（pdf、json、csv、geojson）：已公开版本的指标和地块，不含资金明细、权利人、证明材料、审核意见。"""
    _write("disclosure", plan, fmt, out, version=version)
