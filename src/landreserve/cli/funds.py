"""``landreserve funds …``: special bonds and fiscal funds, projects, the ring-fenced ledger, balance, budget,
reconciliation. Options are parsed here; every rule lives in the services and the domain."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Annotated

import typer
from rich.table import Table

from ..domain.funds.bonds import BondTerms, InterestFrequency, Repayment, schedule
from ..domain.funds.ledger import SOURCE_LABELS, SourceKind, parse_category
from ..domain.funds.money import (
    format_yuan,
    parse_amount,
    parse_positive_amount,
)
from ..errors import InputError, NotFoundError
from ..services import bonds as sources
from ..services import funds as service
from ..services import ledger as books
from . import app
from .common import console, context, handled, print_json
from .options import DateOpt, DeptOpt, JsonOpt, UserOpt, option_date

funds_app = typer.Typer(
    help="资金与专项债券：来源、项目、专款专用台账、收支平衡、预算与对账。", no_args_is_help=True
)
bond_app = typer.Typer(help="土地储备专项债券。", no_args_is_help=True)
source_app = typer.Typer(
    help="其他资金来源（土地出让收入、国有土地收益基金、其他财政资金）。", no_args_is_help=True
)
project_app = typer.Typer(help="专项债券项目（已批准计划中的地块）。", no_args_is_help=True)
budget_app = typer.Typer(help="政府性基金预算：项目年度预算与执行。", no_args_is_help=True)
app.add_typer(funds_app, name="funds")
funds_app.add_typer(bond_app, name="bond")
funds_app.add_typer(source_app, name="source")
funds_app.add_typer(project_app, name="project")
funds_app.add_typer(budget_app, name="budget")

DocOpt = Annotated[
    str, typer.Option("--doc", help="依据文件编号（合同、发票、批复、协议）", show_default=False)
]
MemoOpt = Annotated[str, typer.Option("--memo", help="摘要（写入台账，便于查账）")]
ProjectOpt = Annotated[str, typer.Option("--project", help="项目编号", show_default=False)]
AmountOpt = Annotated[
    str, typer.Option("--amount", help="金额，如 7500万元、0.75亿元、1234.56（元）", show_default=False)
]


def parse_percent(text: str, field: str = "--rate") -> Decimal:
    """``"3"``, ``"3%"``, ``"3.25％"`` → percent as Decimal."""
    cleaned = unicodedata.normalize("NFKC", text).strip().rstrip("%")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise InputError(
            f"{field} 的利率“{text}”无法识别，请写成百分数，如 3 或 3.25%", code="input.rate"
        ) from None


_PRICE = re.compile(r"^(\d+(?:\.\d+)?)(万元/亩|元/亩|万元/平方米|万元/㎡|元/平方米|元/㎡|元/m2)?$")
_PRICE_FACTORS = {
    None: Fraction(1), "元/㎡": Fraction(1), "元/平方米": Fraction(1), "元/m2": Fraction(1),
    "万元/㎡": Fraction(10000), "万元/平方米": Fraction(10000),
    "元/亩": Fraction(15, 10000), "万元/亩": Fraction(15),
}  # fmt: skip


def parse_price(text: str) -> Decimal:
    """An expected price per area → 元/㎡ (exact; 1 亩 = 10000/15 ㎡)."""
    cleaned = unicodedata.normalize("NFKC", text).replace(",", "").replace(" ", "")
    match = _PRICE.match(cleaned)
    if not match:
        raise InputError(f"单价“{text}”无法识别，请写成如 1200（元/㎡）或 80万元/亩", code="input.price")
    value = Fraction(Decimal(match.group(1))) * _PRICE_FACTORS[match.group(2)]
    return Decimal(value.numerator) / Decimal(value.denominator)


# --- bonds and sources -------------------------------------------------------------------------------


@bond_app.command("add")
def bond_add(
    code: Annotated[str, typer.Argument(help="债券编号，如 2026-XJ-BC-01")],
    amount: AmountOpt,
    issue_date: Annotated[str, typer.Option("--issue-date", help="发行日 YYYY-MM-DD", show_default=False)],
    term: Annotated[int, typer.Option("--term", help="期限（年）", show_default=False)],
    rate: Annotated[str, typer.Option("--rate", help="票面年利率（%），如 3 或 3.25%", show_default=False)],
    doc: DocOpt,
    repayment: Annotated[
        Repayment, typer.Option("--repayment", help="还本方式：bullet 到期一次还本；amortising 分年等额还本")
    ] = Repayment.BULLET,
    interest: Annotated[
        InterestFrequency, typer.Option("--interest", help="付息：yearly 按年；half_yearly 按半年")
    ] = InterestFrequency.YEARLY,
    name: Annotated[str | None, typer.Option("--name", help="债券名称")] = None,
    user: UserOpt = None,
    department: DeptOpt = None,
) -> None:
    """登记土地储备专项债券并记录募集资金。"""
    with handled():
        terms = BondTerms(
            code.strip(),
            parse_positive_amount(amount, field="--amount"),
            option_date(issue_date, "--issue-date"),
            term,
            parse_percent(rate),
            repayment,
            interest,
        )
        view = sources.add_bond(context(user, department), terms, doc, name)
    console.print(
        f"[green]已登记[/]专项债券 {view.code}：{format_yuan(view.amount)} 元，{term} 年，"
        f"年利率 {terms.coupon_percent}%，{repayment.label}，{interest.label}。",
        highlight=False,
    )


@bond_app.command("schedule")
def bond_schedule(code: Annotated[str, typer.Argument(help="债券编号")]) -> None:
    """显示债券的还本付息计划。"""
    with handled():
        view = next((s for s in sources.list_sources(context()) if s.code == code.strip()), None)
        if view is None or view.terms is None:
            raise NotFoundError(
                f"专项债券 {code} 不存在；请用 landreserve funds bond list 查看已登记的资金来源",
                code="funds.source_not_found",
            )
    table = Table(title=f"专项债券 {view.code} 还本付息计划（元）")
    for col in ("期次", "日期", "利息", "本金", "合计", "剩余本金"):
        table.add_column(col, justify="right")
    for row in schedule(view.terms):
        table.add_row(
            str(row.number),
            row.due_date.isoformat(),
            format_yuan(row.interest),
            format_yuan(row.principal),
            format_yuan(row.total),
            format_yuan(row.outstanding_after),
        )
    console.print(table)


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
            f"{v.terms.term_years}年 / {v.terms.coupon_percent}% / {v.terms.repayment.label}"
            if v.terms
            else ""
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
    bond: Annotated[str, typer.Option("--bond", help="融资的专项债券编号", show_default=False)],
    plan: Annotated[int, typer.Option("--plan", help="计划编号（取其最新已批准版本）", show_default=False)],
    parcels: Annotated[str, typer.Option("--parcels", help="地块编号，逗号分隔", show_default=False)],
    financing: Annotated[
        str | None, typer.Option("--financing", help="本项目使用的债券额度（默认为债券未占用部分）")
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
        amount = parse_positive_amount(financing, field="--financing") if financing else None
        view = service.add_project(
            context(user, department),
            code,
            bond,
            plan,
            codes,
            financing=amount,
            name=name,
            supply_year=supply_year,
            version_id=version,
        )
    console.print(
        f"[green]已建立[/]项目 {view.code}：专项债券 {view.bond}，融资额 {format_yuan(view.financing)} 元，"
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
                v.bond if first else "",
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


# --- ledger ------------------------------------------------------------------------------------------


def _print_entry(view: books.EntryView) -> None:
    where = " ".join(
        x
        for x in (
            view.source,
            view.project and f"项目 {view.project}",
            view.parcel and f"地块 {view.parcel}",
            view.category_label,
        )
        if x
    )
    console.print(
        f"[green]已记账[/] 分录 #{view.number} {view.kind_label}：{format_yuan(view.amount)} 元（{where}，"
        f"依据 {view.document}）。",
        highlight=False,
    )


@funds_app.command("allocate")
def allocate_command(
    project: ProjectOpt,
    amount: AmountOpt,
    doc: DocOpt,
    source: Annotated[
        str | None, typer.Option("--source", "--bond", help="资金来源（默认为项目的专项债券）")
    ] = None,
    parcel: Annotated[
        str | None, typer.Option("--parcel", help="分配到的地块（不填则为项目待分配资金）")
    ] = None,
    from_parcel: Annotated[str | None, typer.Option("--from-parcel", help="从本项目另一地块调剂")] = None,
    on: DateOpt = None,
    memo: MemoOpt = "",
    user: UserOpt = None,
    department: DeptOpt = None,
) -> None:
    """把资金分配给项目或其地块；带 --from-parcel 时在本项目地块之间调剂。"""
    with handled():
        view = books.allocate(
            context(user, department),
            source,
            project,
            parse_positive_amount(amount, field="--amount"),
            doc,
            parcel=parcel,
            from_parcel=from_parcel,
            on=option_date(on),
            memo=memo,
        )
    _print_entry(view)


@funds_app.command("pay")
def pay_command(
    parcel: Annotated[str, typer.Option("--parcel", help="地块编号", show_default=False)],
    category: Annotated[
        str,
        typer.Option(
            "--category",
            help="支出类别：征地拆迁补偿、拆除、前期开发、以前年度土地储备贷款利息和本金、测绘/登记/评估/管护、其他经批准的支出",
            show_default=False,
        ),
    ],
    amount: AmountOpt,
    doc: DocOpt,
    source: Annotated[
        str | None, typer.Option("--source", "--bond", help="资金来源（默认为地块所在项目的专项债券）")
    ] = None,
    project: Annotated[str | None, typer.Option("--project", help="项目编号（默认为地块所在项目）")] = None,
    on: DateOpt = None,
    memo: MemoOpt = "",
    user: UserOpt = None,
    department: DeptOpt = None,
) -> None:
    """支付地块的允许用途支出（从地块可用资金，不足部分从项目待分配资金）。"""
    with handled():
        view = books.pay(
            context(user, department),
            parcel,
            parse_category(category),
            parse_positive_amount(amount, field="--amount"),
            doc,
            source_code=source,
            project_code=project,
            on=option_date(on),
            memo=memo,
        )
    _print_entry(view)


@funds_app.command("income")
def income_command(
    parcel: Annotated[str, typer.Option("--parcel", help="已供应的地块编号", show_default=False)],
    amount: AmountOpt,
    contract: Annotated[str, typer.Option("--contract", help="出让合同编号", show_default=False)],
    on: DateOpt = None,
    user: UserOpt = None,
    department: DeptOpt = None,
) -> None:
    """登记地块的土地出让收入（进入项目偿债资金）。"""
    with handled():
        view = books.record_income(
            context(user, department),
            parcel,
            parse_positive_amount(amount, field="--amount"),
            contract,
            on=option_date(on),
        )
    _print_entry(view)


@funds_app.command("repay")
def repay_command(
    bond: Annotated[str, typer.Argument(help="专项债券编号")],
    doc: DocOpt,
    principal: Annotated[str, typer.Option("--principal", help="偿还本金")] = "0",
    interest: Annotated[str, typer.Option("--interest", help="支付利息")] = "0",
    instalment: Annotated[
        int | None,
        typer.Option("--instalment", help="按还本付息计划的第几期偿还（本金、利息、日期取自计划）"),
    ] = None,
    on: DateOpt = None,
    user: UserOpt = None,
    department: DeptOpt = None,
) -> None:
    """从项目偿债资金偿还专项债券本金、支付利息（可按计划期次 --instalment）。"""
    with handled():
        view = books.repay(
            context(user, department),
            bond,
            parse_amount(principal, field="--principal"),
            parse_amount(interest, field="--interest"),
            doc,
            on=option_date(on),
            instalment=instalment,
        )
    _print_entry(view)


@funds_app.command("topup")
def topup_command(
    project: ProjectOpt,
    source: Annotated[
        str,
        typer.Option(
            "--source",
            help="财政资金来源编号（国有土地收益基金、其他财政资金；不能是专项债券）",
            show_default=False,
        ),
    ],
    amount: AmountOpt,
    doc: DocOpt,
    on: DateOpt = None,
    memo: MemoOpt = "",
    user: UserOpt = None,
    department: DeptOpt = None,
) -> None:
    """用国有土地收益基金或其他经批准的财政资金补充项目偿债资金（出让收入不足或推迟时还本付息）。"""
    with handled():
        view = books.top_up(
            context(user, department),
            source,
            project,
            parse_positive_amount(amount, field="--amount"),
            doc,
            on=option_date(on),
            memo=memo,
        )
    _print_entry(view)


@funds_app.command("reverse")
def reverse_command(
    entry: Annotated[int, typer.Argument(help="要冲销的分录号")],
    reason: Annotated[str, typer.Option("--reason", help="冲销原因", show_default=False)],
    doc: DocOpt,
    on: DateOpt = None,
    user: UserOpt = None,
    department: DeptOpt = None,
) -> None:
    """冲销一笔分录（原分录保留，新增方向相反的分录）。"""
    with handled():
        view = books.reverse(context(user, department), entry, reason, doc, on=option_date(on))
    _print_entry(view)


@funds_app.command("entries")
def entries_command(
    source: Annotated[str | None, typer.Option("--source", "--bond", help="只看某资金来源")] = None,
    project: Annotated[str | None, typer.Option("--project", help="只看某项目")] = None,
    as_json: JsonOpt = False,
) -> None:
    """列出台账分录。"""
    with handled(as_json):
        views = books.list_entries(context(), source=source, project=project)
    if as_json:
        print_json([v.__dict__ for v in views])
        return
    table = Table(title="资金台账")
    for col in ("#", "日期", "业务", "金额（元）", "来源", "项目", "地块", "类别", "依据", "冲销", "摘要"):
        table.add_column(col)
    for v in views:
        table.add_row(
            str(v.number),
            v.value_date.isoformat(),
            v.kind_label,
            format_yuan(v.amount),
            v.source,
            v.project,
            v.parcel,
            v.category_label,
            v.document,
            f"#{v.reverses}" if v.reverses else "",
            v.memo,
        )
    console.print(table)


from . import funds_reports  # noqa: E402,F401  (registers balance, cashflow, sensitivity, coverage, budget, reconcile)
