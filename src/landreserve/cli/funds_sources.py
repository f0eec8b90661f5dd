"""``landreserve funds bond / source / project``: special bonds and fiscal funds as sources, and the projects
that bonds finance (parcels of an approved plan, their uses, supply years and expected prices)."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..domain.funds.bonds import BondTerms, InterestFrequency, Repayment, parse_shares, parse_term, schedule
from ..domain.funds.ledger import SOURCE_LABELS, SourceKind
from ..domain.funds.money import (
    ZERO,
    format_ratio,
    format_yuan,
    parse_amount,
    parse_percent,
    parse_positive_amount,
    parse_price,
    round_fen,
)
from ..domain.funds.records import check_json
from ..domain.funds.serialise import schedule_json
from ..errors import InputError, NotFoundError
from .common import console, context, handled, print_json
from .findings import print_findings
from .funds import AmountOpt, DocOpt, bond_app, project_app, source_app
from .lazy import lazy
from .options import DateOpt, DeptOpt, JsonOpt, UserOpt, option_date

sources = lazy("landreserve.services.bonds")
service = lazy("landreserve.services.funds")
records = lazy("landreserve.services.fund_records")


# --- bonds and sources -------------------------------------------------------------------------------


def parse_issue_cost(text: str | None, amount: Decimal) -> Decimal:
    """``0.1%`` of the amount (rounded half-up to the 分) or an amount such as ``7.5万元``."""
    if not text:
        return ZERO
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if cleaned.endswith("%"):
        return round_fen(Fraction(amount) * Fraction(parse_percent(cleaned, "--issue-cost")) / 100)
    return parse_amount(cleaned, field="--issue-cost")


@bond_app.command("add")
def bond_add(
    code: Annotated[str, typer.Argument(help="债券编号，如 2026-XJ-BC-01")],
    amount: AmountOpt,
    issue_date: Annotated[str, typer.Option("--issue-date", help="发行日 YYYY-MM-DD", show_default=False)],
    term: Annotated[
        str, typer.Option("--term", help="期限（年），如 7；可提前赎回的写 N+M，如 5+2", show_default=False)
    ],
    rate: Annotated[str, typer.Option("--rate", help="票面年利率（%），如 3 或 3.25%", show_default=False)],
    doc: DocOpt,
    repayment: Annotated[
        Repayment,
        typer.Option(
            "--repayment",
            help="还本方式：bullet 到期一次还本；amortising 分年等额还本；shares 按约定比例分年还本（配 --shares）",
        ),
    ] = Repayment.BULLET,
    shares: Annotated[
        str | None, typer.Option("--shares", help="各年还本比例 年度:比例，如 3:20,4:20,5:60")
    ] = None,
    interest: Annotated[
        InterestFrequency, typer.Option("--interest", help="付息：yearly 按年；half_yearly 按半年")
    ] = InterestFrequency.YEARLY,
    issue_cost: Annotated[
        str | None,
        typer.Option("--issue-cost", help="发行费用：金额（如 7.5万元）或占发行额的比例（如 0.1%）"),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="债券名称")] = None,
    user: UserOpt = None,
    department: DeptOpt = None,
) -> None:
    """登记土地储备专项债券并记录募集资金。"""
    with handled():
        years, call = parse_term(term)
        principal = parse_positive_amount(amount, field="--amount")
        terms = BondTerms(
            code.strip(),
            principal,
            option_date(issue_date, "--issue-date"),
            years,
            parse_percent(rate),
            repayment,
            interest,
            shares=parse_shares(shares) if shares else (),
            call_after_years=call,
            issue_cost=parse_issue_cost(issue_cost, principal),
        )
        view = sources.add_bond(context(user, department), terms, doc, name)
    console.print(
        f"[green]已登记[/]专项债券 {view.code}：{format_yuan(view.amount)} 元，{terms.term_text}，"
        f"年利率 {terms.coupon_percent}%，{repayment.label}，{interest.label}"
        + (f"，发行费用 {format_yuan(terms.issue_cost)} 元" if terms.issue_cost else "")
        + "。",
        highlight=False,
    )


@bond_app.command("prepay")
def bond_prepay(
    code: Annotated[str, typer.Argument(help="债券编号")],
    on: Annotated[str, typer.Option("--date", help="提前偿还日（须为付息日）YYYY-MM-DD", show_default=False)],
    amount: AmountOpt,
    doc: DocOpt,
    user: UserOpt = None,
    department: DeptOpt = None,
) -> None:
    """登记提前偿还部分本金（在付息日；此后利息和最晚到期的本金相应减少）。"""
    with handled():
        value = parse_positive_amount(amount, field="--amount")
        sources.add_prepayment(context(user, department), code, option_date(on, "--date"), value, doc)
    console.print(
        f"[green]已登记[/]专项债券 {code.strip()} 于 {on} 提前偿还本金 {format_yuan(value)} 元。",
        highlight=False,
    )


@bond_app.command("schedule")
def bond_schedule(
    code: Annotated[str, typer.Argument(help="债券编号")],
    called: Annotated[
        bool, typer.Option("--called", help="按提前赎回行权计算（N+M 债券第 N 年末偿还全部本金）")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """显示债券的还本付息计划。"""
    with handled(as_json):
        view = next((s for s in sources.list_sources(context()) if s.code == code.strip()), None)
        if view is None or view.terms is None:
            raise NotFoundError(
                f"专项债券 {code} 不存在；请用 landreserve funds bond list 查看已登记的资金来源",
                code="funds.source_not_found",
            )
        if called and not view.terms.call_after_years:
            raise InputError(
                f"专项债券 {view.code} 期限 {view.terms.term_text}，没有提前赎回条款，不能用 --called",
                code="funds.bond_call",
            )
        terms = view.terms.with_call(called)
        rows = schedule(terms)
    if as_json:
        print_json(schedule_json(terms))
        return
    suffix = "，提前赎回行权" if called else ""
    table = Table(title=f"专项债券 {view.code} 还本付息计划（{terms.term_text}{suffix}，元）")
    for col in ("期次", "日期", "利息", "本金", "其中提前偿还", "合计", "剩余本金"):
        table.add_column(col, justify="right")
    for row in rows:
        table.add_row(
            str(row.number),
            row.due_date.isoformat(),
            format_yuan(row.interest),
            format_yuan(row.principal),
            format_yuan(row.early) if row.early else "",
            format_yuan(row.total),
            format_yuan(row.outstanding_after),
        )
    console.print(table)
    if terms.issue_cost:
        console.print(f"发行费用 {format_yuan(terms.issue_cost)} 元（发行当年支付）", highlight=False)


@bond_app.command("list")
def bond_list() -> None:
    """列出全部资金来源（专项债券和其他财政资金）。"""
    with handled():
        views = sources.list_sources(context())
    table = Table(title="资金来源")
    for col in ("编号", "类型", "金额（元）", "期限/利率", "依据"):
        table.add_column(col)
    for v in views:
        terms = (
            f"{v.terms.term_text} / {v.terms.coupon_percent}% / {v.terms.repayment.label}" if v.terms else ""
        )
        table.add_row(v.code, v.kind.label, format_yuan(v.amount), terms, v.document)
    console.print(table)


@source_app.command("add")
def source_add(
    code: Annotated[str, typer.Argument(help="资金来源编号")],
    kind: Annotated[
        SourceKind,
        typer.Option(
            "--kind",
            help="land_sale_revenue 土地出让收入；land_revenue_fund 国有土地收益基金；other_fiscal 其他财政资金",
        ),
    ],
    amount: AmountOpt,
    doc: DocOpt,
    on: DateOpt = None,
    name: Annotated[str | None, typer.Option("--name", help="名称")] = None,
    user: UserOpt = None,
    department: DeptOpt = None,
) -> None:
    """登记其他经批准的资金来源（土地出让收入、国有土地收益基金、其他财政资金）。"""
    with handled():
        view = sources.add_fiscal_source(
            context(user, department),
            code,
            kind,
            parse_positive_amount(amount, field="--amount"),
            doc,
            option_date(on),
            name,
        )
    console.print(
        f"[green]已登记[/]{SOURCE_LABELS[view.kind]} {view.code}：{format_yuan(view.amount)} 元。",
        highlight=False,
    )


# --- projects ----------------------------------------------------------------------------------------


@project_app.command("add")
def project_add(
    code: Annotated[str, typer.Argument(help="项目编号")],
    bond: Annotated[
        list[str],
        typer.Option(
            "--bond", help="融资的专项债券编号；多个债券时重复写 --bond A --bond B", show_default=False
        ),
    ],
    plan: Annotated[int, typer.Option("--plan", help="计划编号（取其最新已批准版本）", show_default=False)],
    parcels: Annotated[str, typer.Option("--parcels", help="地块编号，逗号分隔", show_default=False)],
    financing: Annotated[
        list[str] | None,
        typer.Option(
            "--financing",
            help="本项目使用的债券额度，按 --bond 的顺序每个债券一个（默认为各债券未占用部分）",
        ),
    ] = None,
    supply_year: Annotated[
        int | None, typer.Option("--supply-year", help="预计供地年度（各地块默认值）")
    ] = None,
    version: Annotated[int | None, typer.Option("--version-id", help="指定计划版本编号（须已批准）")] = None,
    name: Annotated[str | None, typer.Option("--name", help="项目名称")] = None,
    user: UserOpt = None,
    department: DeptOpt = None,
) -> None:
    """建立专项债券项目：已批准计划中的一个或多个地块。"""
    with handled():
        codes = [c for c in unicodedata.normalize("NFKC", parcels).split(",") if c.strip()]
        amounts = [parse_positive_amount(f, field="--financing") for f in financing] if financing else None
        view = service.add_project(
            context(user, department),
            code,
            bond,
            plan,
            codes,
            financing=amounts,
            name=name,
            supply_year=supply_year,
            version_id=version,
        )
    bonds = "、".join(f"{b.code} {format_yuan(b.financing)} 元" for b in view.bonds)
    console.print(
        f"[green]已建立[/]项目 {view.code}：专项债券 {bonds}，融资额合计 {format_yuan(view.financing)} 元，"
        f"地块 {len(view.parcels)} 宗（计划版本 {view.plan_version_id}）。",
        highlight=False,
    )


@project_app.command("list")
def project_list() -> None:
    """列出项目及其地块。"""
    with handled():
        views = service.list_projects(context())
    table = Table(title="专项债券项目")
    for col in ("项目", "债券", "融资额（元）", "地块", "面积（㎡）", "用途", "预计供地年度"):
        table.add_column(col)
    for v in views:
        for i, p in enumerate(v.parcels):
            first = i == 0
            table.add_row(
                v.code if first else "",
                "、".join(b.code for b in v.bonds) if first else "",
                format_yuan(v.financing) if first else "",
                p.code,
                str(p.area_m2 or "—"),
                p.use or "—",
                str(p.supply_year or "—"),
            )
    console.print(table)


@project_app.command("parcel")
def project_parcel(
    project: Annotated[str, typer.Argument(help="项目编号")],
    parcel: Annotated[str, typer.Argument(help="地块编号")],
    use: Annotated[str | None, typer.Option("--use", help="用途（用于取预期单价），如 住宅用地")] = None,
    supply_year: Annotated[int | None, typer.Option("--supply-year", help="预计供地年度")] = None,
    user: UserOpt = None,
    department: DeptOpt = None,
) -> None:
    """设置项目地块的用途和预计供地年度。"""
    with handled():
        view = service.set_parcel(
            context(user, department), project, parcel, use=use, supply_year=supply_year
        )
    console.print(
        f"地块 {view.code}：用途 {view.use or '—'}，预计供地 {view.supply_year or '—'} 年。", highlight=False
    )


@project_app.command("price")
def project_price(
    project: Annotated[str, typer.Argument(help="项目编号")],
    use: Annotated[str, typer.Option("--use", help="用途，如 住宅用地", show_default=False)],
    price: Annotated[
        str, typer.Option("--price", help="预期单价，如 1200（元/㎡）或 80万元/亩", show_default=False)
    ],
    basis: Annotated[str, typer.Option("--basis", help="单价依据（评估报告、近期成交）", show_default=False)],
    user: UserOpt = None,
    department: DeptOpt = None,
) -> None:
    """设置项目某用途的预期出让单价（可修改，保留历史）。"""
    with handled():
        value = parse_price(price)
        service.set_price(context(user, department), project, use, value, basis)
    console.print(f"项目 {project} {use} 预期单价 {value} 元/㎡（依据：{basis}）。", highlight=False)


# --- project records as published --------------------------------------------------------------------


def _print_check(check, title: str) -> None:
    record = check.record
    table = Table(title=title)
    for col in ("项目", "记录所写", "重算"):
        table.add_column(col)

    def stated(s):
        return f"{s.shown()}（{format_yuan(s.value)} 元）" if s is not None else "未写"

    table.add_row(
        "项目总投资 / 融资计划合计", stated(record.stated_investment), format_yuan(check.financing_total)
    )
    for f in record.financing:
        terms = (
            f"{f.terms.term_text}，{f.terms.coupon_percent}%，{f.terms.repayment.label}，{f.terms.interest_frequency.label}"
            if f.terms
            else "其他资金"
        )
        table.add_row(f"  {f.name}", terms, format_yuan(f.amount))
    table.add_row("成本估算合计", stated(record.stated_cost_total), format_yuan(check.cost_total))
    for item in record.income:
        if item.rule is not None:
            basis = f"{item.rule.text} = {format_ratio(item.rule.price(), 2)} 元/㎡"
        else:
            basis = f"{item.price_per_m2} 元/㎡" if item.price_per_m2 is not None else "直接给出"
        shown = format_yuan(item.computed()) if item.computed() is not None else "—"
        table.add_row(f"  收入 {item.name}（{basis}）", stated(item.stated), shown)
    table.add_row("预期收入合计", stated(record.stated_income), format_yuan(check.income_total))
    table.add_row(
        "期内收入 ÷ 本息合计",
        "",
        f"{format_yuan(check.income_within_term)} ÷ {format_yuan(check.debt_service)}",
    )
    table.add_row(
        "本息覆盖倍数",
        record.stated_ratio.shown() if record.stated_ratio else "未写",
        f"{format_ratio(check.ratio, 6) if check.ratio is not None else '—'}（要求 ≥ {check.bound}）",
    )
    console.print(table)
    if not check.findings:
        console.print("[green]记录所写各数与重算相符。[/]")
    print_findings(list(check.findings))


@project_app.command("import")
def project_import(
    path: Annotated[Path, typer.Argument(help="项目记录表：.xlsx、.csv 或 .json（格式见 README）")],
    check_only: Annotated[bool, typer.Option("--check", help="只核对，不保存")] = False,
    as_json: JsonOpt = False,
    user: UserOpt = None,
    department: DeptOpt = None,
) -> None:
    """导入项目记录（融资计划、成本估算、预期收入及其依据、所写覆盖倍数），并与重算结果逐项核对。有错误时退出码为 1。"""
    with handled(as_json):
        ctx = context(user, department)
        if check_only:
            check, note = records.check_file(ctx, path), "（只核对，未保存）"
        else:
            stored = records.import_record(ctx, path)
            check = stored.check
            note = f"（第 {stored.revision} 版，{'已保存' if stored.changed else '与已保存的相同，未改动'}）"
    if as_json:
        print_json(check_json(check))
    else:
        _print_check(check, f"项目 {check.record.project} 记录核对{note}")
    if any(f.severity == "error" for f in check.findings):
        raise typer.Exit(1)


@project_app.command("record")
def project_record(
    project: Annotated[str, typer.Argument(help="项目编号")],
    revision: Annotated[int | None, typer.Option("--revision", help="第几版（默认最新）")] = None,
    as_json: JsonOpt = False,
) -> None:
    """显示项目已导入的记录及重算核对结果。"""
    with handled(as_json):
        stored = records.project_record(context(), project, revision)
    if as_json:
        print_json(check_json(stored.check))
    else:
        _print_check(stored.check, f"项目 {stored.check.record.project} 记录核对（第 {stored.revision} 版）")
    if any(f.severity == "error" for f in stored.check.findings):
        raise typer.Exit(1)
