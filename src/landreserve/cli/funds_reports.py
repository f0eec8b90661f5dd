"""``landreserve funds balance / cashflow / sensitivity / coverage / budget / reconcile``: the read side of
funds — book positions, project balance, budget against actual and the reconciliation of the books."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ..domain.funds.balance import ALL_SCENARIOS, Balance, ratio_text
from ..domain.funds.ledger import Category, SourceKind, parse_category
from ..domain.funds.money import format_percent, format_yuan, parse_amount
from ..domain.funds.serialise import balance_json, sensitivity_json
from .common import EXIT_RULE, console, context, handled, print_json
from .findings import print_findings
from .funds import AmountOpt, DocOpt, budget_app, funds_app
from .lazy import lazy
from .options import DeptOpt, JsonOpt, UserOpt

service = lazy("landreserve.services.funds")
reports = lazy("landreserve.services.funds_reports")

SCENARIO_HELP = "情景：" + "、".join(f"{s.key}（{s.label}）" for s in ALL_SCENARIOS)


# --- balance -----------------------------------------------------------------------------------------


def _print_position(position: reports.ProjectPosition) -> None:
    table = Table(title=f"项目 {position.project} · 资金来源 {position.source}（元）")
    for col in ("地块", "已安排", "已支出", "可用", "出让收入", "支出明细"):
        table.add_column(col)
    for p in position.parcels:
        detail = "；".join(f"{c.label} {format_yuan(v)}" for c, v in p.paid.items())
        table.add_row(
            p.parcel,
            format_yuan(p.placed),
            format_yuan(p.paid_total),
            format_yuan(p.available),
            format_yuan(p.income),
            detail,
        )
    table.add_row("项目待分配", format_yuan(position.pool), "", format_yuan(position.pool), "", "")
    table.add_row(
        "[bold]合计[/]",
        format_yuan(position.allocated),
        format_yuan(position.paid),
        format_yuan(position.available),
        format_yuan(position.income),
        f"偿债资金 {format_yuan(position.reserve)}"
        if not position.to_reserve
        else f"补充偿债资金 {format_yuan(position.to_reserve)}",
    )
    console.print(table)


def _print_balance(result: Balance) -> None:
    costs = f"，发行费用 {format_yuan(result.issue_costs)} 元" if result.issue_costs else ""
    console.print(
        f"{result.subject}：预期出让收入 {format_yuan(result.expected_income)} 元（期内 "
        f"{format_yuan(result.income_within_term)} 元）；本金 {format_yuan(result.principal)} 元，利息 "
        f"{format_yuan(result.interest)} 元{costs}；本息覆盖倍数 [bold]{ratio_text(result.ratio, result.bound)}[/]"
        f"（要求 ≥ {result.bound}）",
        highlight=False,
    )
    if len(result.bonds) > 1:
        table = Table(title="偿债顺序：期内收入按到期先后分配给各债券（元）")
        for col in ("债券", "到期日", "本金", "利息", "本息合计", "分配收入", "缺口"):
            table.add_column(col, justify="right")
        for a in result.bonds:
            table.add_row(
                a.code, a.maturity.isoformat(), format_yuan(a.principal), format_yuan(a.interest),
                format_yuan(a.debt_service), format_yuan(a.allocated), format_yuan(a.shortfall),
            )  # fmt: skip
        console.print(table)
        console.print(f"结余 {format_yuan(result.surplus)} 元", highlight=False)
    print_findings(list(result.findings))


def _print_source(source: reports.SourcePosition) -> None:
    text = (
        f"{source.kind.label} {source.code}：金额 {format_yuan(source.amount)} 元，未分配 "
        f"{format_yuan(source.unallocated)} 元，已分配 {format_yuan(source.allocated)} 元，已支出 "
        f"{format_yuan(source.paid)} 元"
    )
    if source.kind is SourceKind.SPECIAL_BOND:
        text += (
            f"；出让收入 {format_yuan(source.income)} 元，偿债资金 {format_yuan(source.reserve)} 元；"
            f"已还本金 {format_yuan(source.principal_repaid)} 元，未偿本金 {format_yuan(source.outstanding)} 元，"
            f"已付利息 {format_yuan(source.interest_paid)} 元"
        )
    else:
        text += f"，补充偿债资金 {format_yuan(source.to_reserve)} 元"
    console.print(text, highlight=False)


def position_json(position: reports.ProjectPosition) -> dict:
    return {
        "project": position.project,
        "source": position.source,
        "financing": str(position.financing),
        "allocated": str(position.allocated),
        "paid": str(position.paid),
        "available": str(position.available),
        "pool": str(position.pool),
        "income": str(position.income),
        "reserve": str(position.reserve),
        "to_reserve": str(position.to_reserve),
        "parcels": [
            {
                "parcel": p.parcel,
                "placed": str(p.placed),
                "paid": str(p.paid_total),
                "available": str(p.available),
                "income": str(p.income),
                "paid_by_category": {c.value: str(v) for c, v in p.paid.items()},
            }
            for p in position.parcels
        ],
    }


def source_json(source: reports.SourcePosition) -> dict:
    return {
        "code": source.code,
        "kind": source.kind.value,
        "amount": str(source.amount),
        "unallocated": str(source.unallocated),
        "allocated": str(source.allocated),
        "paid": str(source.paid),
        "income": str(source.income),
        "reserve": str(source.reserve),
        "to_reserve": str(source.to_reserve),
        "principal_repaid": str(source.principal_repaid),
        "outstanding": str(source.outstanding),
        "interest_paid": str(source.interest_paid),
    }


@funds_app.command("balance")
def balance_command(
    subject: Annotated[str, typer.Argument(help="项目编号或资金来源（专项债券）编号")],
    as_json: JsonOpt = False,
) -> None:
    """项目或资金来源的账面情况；项目和专项债券另列收支平衡（本息覆盖倍数），低于要求时退出码为 1。"""
    source = None
    with handled(as_json):
        ctx = context()
        is_project = subject.strip() in {p.code for p in service.list_projects(ctx)}
        bond_or_project = is_project
        if is_project:
            positions = reports.project_positions(ctx, subject)
        else:
            source = reports.source_position(ctx, subject)
            positions = list(source.projects)
            bond_or_project = source.kind is SourceKind.SPECIAL_BOND
        result = reports.balance(ctx, subject) if bond_or_project else None
    if as_json:
        print_json(
            {
                "subject": subject.strip(),
                "kind": "project" if is_project else source.kind.value,
                "source": source_json(source) if source is not None else None,
                "positions": [position_json(p) for p in positions],
                "balance": balance_json(result) if result is not None else None,
            }
        )
    else:
        if source is not None:
            _print_source(source)
        for position in positions:
            _print_position(position)
        if result is not None:
            _print_balance(result)
    if result is not None and result.below_bound:
        raise typer.Exit(EXIT_RULE)


@funds_app.command("cashflow")
def cashflow_command(
    subject: Annotated[str, typer.Argument(help="项目编号或专项债券编号")],
    scenario: Annotated[str, typer.Option("--scenario", help=SCENARIO_HELP)] = "base",
    as_json: JsonOpt = False,
) -> None:
    """逐年现金流：利息、本金、发行费用、出让收入、净额、累计。"""
    with handled(as_json):
        result = reports.balance(context(), subject, scenario)
    if as_json:
        print_json(balance_json(result))
        return
    table = Table(title=f"{result.subject} 逐年现金流（{result.scenario.label}，元）")
    costs = bool(result.issue_costs)
    for col in ("年度", "利息", "本金", *(["发行费用"] if costs else []), "出让收入", "净额", "累计"):
        table.add_column(col, justify="right")
    for row in result.cash_flow:
        table.add_row(
            str(row.year),
            format_yuan(row.interest),
            format_yuan(row.principal),
            *([format_yuan(row.issue_costs)] if costs else []),
            format_yuan(row.income),
            format_yuan(row.net),
            format_yuan(row.cumulative),
        )
    console.print(table)
    _print_balance(result)


@funds_app.command("sensitivity")
def sensitivity_command(
    subject: Annotated[str, typer.Argument(help="项目编号或专项债券编号")], as_json: JsonOpt = False
) -> None:
    """敏感性分析：收入下降10/20/30%、供地推迟1/2年、利率上升1个百分点；有可提前赎回债券时另列行权情景。"""
    with handled(as_json):
        ctx = context()
        results = reports.sensitivity(ctx, subject)
        prices = reports.break_even(ctx, subject)
    if as_json:
        print_json(sensitivity_json(results, prices))
        return
    table = Table(title=f"{results[0].subject} 敏感性分析（元）")
    for col in ("情景", "期内收入", "本息合计", "覆盖倍数", "累计最低", "结论"):
        table.add_column(col, justify="right")
    for r in results:
        verdict = "[red]低于要求[/]" if r.below_bound else "[green]达到要求[/]"
        table.add_row(
            r.scenario.label,
            format_yuan(r.income_within_term),
            format_yuan(r.debt_service),
            ratio_text(r.ratio, r.bound),
            format_yuan(r.lowest_cumulative),
            verdict,
        )
    console.print(table)
    console.print(f"覆盖倍数要求 ≥ {results[0].bound}（LANDRESERVE_COVERAGE_BOUND）", highlight=False)
    if prices:
        bound = results[0].bound
        table = Table(
            title="盈亏平衡单价：其他用途单价不变，本用途单价降至多少时覆盖倍数为 1.0 / 要求值（元/㎡）"
        )
        for col in ("用途", "期内面积（㎡）", "现预期单价", "覆盖倍数 1.0", f"覆盖倍数 {bound}"):
            table.add_column(col, justify="right")
        for b in prices:
            table.add_row(
                b.use,
                str(b.area_within_term),
                str(b.current_price) if b.current_price is not None else "—",
                _price_text(b.price_for_one),
                _price_text(b.price_for_bound),
            )
        console.print(table)


def _price_text(price) -> str:
    if price is None:
        return "期内无该用途地块"
    return "不需要（其他用途已达到）" if price == 0 else format_yuan(price)


@funds_app.command("coverage")
def coverage_command(as_json: JsonOpt = False) -> None:
    """检查全部项目的本息覆盖倍数；有项目低于要求或缺少数据时列出，低于 1 时退出码为 1。"""
    with handled(as_json):
        ctx = context()
        results = reports.coverage(ctx)
        bound = ctx.settings.coverage_bound
    findings = [f for r in results for f in r.findings]
    if as_json:
        print_json(
            {
                "bound": str(bound),
                "projects": [
                    {
                        "project": r.subject.removeprefix("项目 "),
                        "ratio": balance_json(r)["ratio"],
                        "ratio_shown": ratio_text(r.ratio, r.bound),
                        "below_bound": r.below_bound,
                        "income_within_term": str(r.income_within_term),
                        "debt_service": str(r.debt_service),
                    }
                    for r in results
                ],
                "findings": [f.to_dict() for f in findings],
            }
        )
        if any(f.severity == "error" for f in findings):
            raise typer.Exit(EXIT_RULE)
        return
    if not findings:
        console.print("[green]全部项目的本息覆盖倍数达到要求。[/]")
    print_findings(findings)
    if any(f.severity == "error" for f in findings):
        raise typer.Exit(EXIT_RULE)


# --- budget and reconciliation ------------------------------------------------------------------------


@budget_app.command("set")
def budget_set(
    project: Annotated[str, typer.Argument(help="项目编号")],
    year: Annotated[int, typer.Option("--year", help="预算年度", show_default=False)],
    amount: AmountOpt,
    doc: DocOpt,
    category: Annotated[str | None, typer.Option("--category", help="支出类别（不填为项目合计）")] = None,
    user: UserOpt = None,
    department: DeptOpt = None,
) -> None:
    """设置（或调整）项目年度预算（政府性基金预算）。"""
    with handled():
        cat: Category | None = parse_category(category) if category else None
        revision = service.set_budget(
            context(user, department),
            project,
            year,
            cat,
            value := parse_amount(amount, field="--amount"),
            doc,
        )
    console.print(
        f"项目 {project} {year} 年预算（{cat.label if cat else '合计'}）已设为 {format_yuan(value)} 元（第 {revision} 次）。",
        highlight=False,
    )


@budget_app.command("show")
def budget_show(
    project: Annotated[str | None, typer.Option("--project", help="项目编号")] = None,
    year: Annotated[int | None, typer.Option("--year", help="年度")] = None,
) -> None:
    """预算与实际支出对比（执行率）。"""
    with handled():
        rows, findings = reports.budget_vs_actual(context(), project=project, year=year)
    table = Table(title="预算执行（元）")
    for col in ("项目", "年度", "类别", "预算", "实际", "差额", "执行率"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r.project,
            str(r.year),
            r.category_label,
            format_yuan(r.budget),
            format_yuan(r.actual),
            format_yuan(r.difference),
            format_percent(r.execution),
        )
    console.print(table)
    print_findings(findings)


@funds_app.command("reconcile")
def reconcile_command(as_json: JsonOpt = False) -> None:
    """对账：每笔分录借贷平衡、分配不超过来源金额、支付不超过分配、地块/项目/来源支出逐级相符。有不符时退出码为 1。"""
    with handled(as_json):
        checks = reports.reconcile(context())
    if as_json:
        print_json([{"name": c.name, "ok": c.ok, "details": list(c.details)} for c in checks])
    else:
        for check in checks:
            mark = "[green]通过[/]" if check.ok else "[bold red]不符[/]"
            console.print(f"{mark} {check.name}", highlight=False)
            for line in check.details:
                console.print(f"    {line}", highlight=False)
    if not all(c.ok for c in checks):
        raise typer.Exit(EXIT_RULE)
