"""How a plan is printed as tables: its document, figures, parcels and findings (``audit``, ``show``, ``import``).

No Typer here (``cli.audit`` runs without it); rich's tables are imported when the first table is made, so
``audit --json`` loads none of them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .output import console

if TYPE_CHECKING:
    from rich.table import Table

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


def _table(**options: Any) -> Table:
    from rich.table import Table  # not for ``audit --json``

    return Table(**options)


def print_document(document: dict, *, source: str, lines: int) -> None:
    table = _table(title="计划文件", show_header=False)
    table.add_column("项目", style="bold")
    table.add_column("内容")
    table.add_row("标题", document.get("title") or "（未识别）")
    table.add_row("行政区", document.get("jurisdiction") or "（未识别）")
    table.add_row("年度", str(document.get("year") or "（未识别）"))
    table.add_row("类型", KIND_NAMES.get(document.get("kind") or "other", str(document.get("kind"))))
    table.add_row("来源", f"{source}（{lines} 行）")
    console.print(table)


def print_content(figures: list[dict], parcels: list[dict], findings: list[dict]) -> None:
    _print_figures(figures)
    _print_parcels(parcels)
    print_findings(findings)


def _print_figures(figures: list[dict]) -> None:
    table = _table(title=f"文中数字（{len(figures)} 个）")
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
    table = _table(title=f"地块清单（{len(parcels)} 宗）")
    for name in ("行", "地块编号", "土地坐落", "面积（公顷）", "面积（㎡）", "用途"):
        right = name in ("行", "面积（公顷）", "面积（㎡）")
        table.add_column(name, justify="right" if right else "left", overflow="fold")
    for p in parcels:
        area = p["area_m2"]
        hectares = "" if area is None else str((Decimal(area) / 10000).quantize(Decimal("0.0001")))
        table.add_row(str(p["line"]), p["code"], p["location"] or "", hectares, area or "", p["use"] or "")
    console.print(table)


def print_findings(findings: list[dict]) -> None:
    counts = {s: sum(1 for f in findings if f["severity"] == s) for s in SEVERITY_NAMES}
    summary = "，".join(f"{SEVERITY_NAMES[s]} {n} 个" for s, n in counts.items())
    if not findings:
        console.print("[green]审核结论：未发现问题。[/]")
        return
    table = _table(title=f"审核结果（{summary}）")
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


def status_name(status: str | None) -> str:
    return STATUS_NAMES.get(status or "", status or "")
