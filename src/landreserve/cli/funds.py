"""``landreserve funds …``: the command groups, the options the funds commands share, and the ring-fenced
ledger (allocate, pay, income, repay, topup, reverse, entries). Sources and projects are in
:mod:`.funds_sources`, reports in :mod:`.funds_reports`. Options are parsed here; every rule lives in the
services and the domain."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ..domain.funds.ledger import parse_category
from ..domain.funds.money import format_yuan, parse_amount, parse_positive_amount
from . import app
from .common import console, context, handled, print_json
from .lazy import lazy
from .options import DateOpt, DeptOpt, JsonOpt, UserOpt, option_date

books = lazy("landreserve.services.ledger")

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


from . import funds_reports, funds_sources  # noqa: E402,F401  (register the sources, projects and reports commands)
