"""``landreserve parcel …``: register parcels from a plan or one by one, change their facts, record evidence,
move them through the lifecycle, show them with their gates and timeline."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..domain.evidence import EVIDENCE_LABELS, parse_evidence_option
from ..domain.funds.money import parse_amount
from ..domain.lifecycle import STATE_LABELS, SUPPLY_METHOD_LABELS, State, Supply, SupplyMethod, parse_state
from ..domain.register import FACT_FIELDS, facts_from, stock_label
from ..errors import InputError
from . import app
from .common import console, context, handled, print_json
from .lazy import lazy
from .options import DateOpt, DeptOpt, JsonOpt, UserOpt, option_date
from .parcel_views import facts_table, gates_table, heading, timeline_table, view_json

register = lazy("landreserve.services.register")

parcel_app = typer.Typer(help="储备库地块：登记、补证据、状态变更、查看。", no_args_is_help=True)
app.add_typer(parcel_app, name="parcel")

EVIDENCE_KINDS_HELP = "、".join(f"{k.value}（{v}）" for k, v in EVIDENCE_LABELS.items())
EvidenceOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--evidence",
        "-e",
        help=f"证据 kind=类型,ref=文件编号,date=日期,by=确认人[,subject=对象][,start=,end=]，可重复。类型：{EVIDENCE_KINDS_HELP}",
    ),
]
VersionOpt = Annotated[int | None, typer.Option("--expected-version", help="您看到的地块版本号（乐观锁）")]

FACT_ALIASES = {
    "编号": "code", "地块编号": "code", "坐落": "location", "土地坐落": "location", "面积": "area_m2",
    "面积（㎡）": "area_m2", "用途": "land_use", "区域": "zone", "存量或新增": "stock", "存量/新增": "stock",
    "来源": "source", "土地来源": "source", "利用状况": "condition", "闲置/低效": "condition",
}  # fmt: skip


def _evidence(options: list[str] | None) -> list:
    return [parse_evidence_option(text) for text in options or []]


def _decoded(path: Path) -> str:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(
        f"地块属性文件 {path} 既不是 UTF-8 也不是 GBK 编码，请另存为 CSV（UTF-8）", code="input.file"
    )


def _column(path: Path, header: str) -> str:
    name = FACT_ALIASES.get(header.strip(), header.strip())
    if name != "code" and name not in FACT_FIELDS:
        known = "、".join(sorted({k for k, v in FACT_ALIASES.items() if v in (*FACT_FIELDS, "code")}))
        raise InputError(
            f"地块属性文件 {path} 的列名“{header}”无法识别，请改用：{known}（或英文 code、{'、'.join(FACT_FIELDS)}）",
            code="input.facts",
        )
    return name


def read_facts_file(path: Path) -> dict[str, dict[str, str]]:
    """Code → facts from a CSV file (UTF-8 or GBK; headers in English or Chinese, e.g. 地块编号, 用途)."""
    if not path.is_file():
        raise InputError(f"找不到地块属性文件“{path}”，请检查 --facts 的路径", code="input.file")
    reader = csv.DictReader(io.StringIO(_decoded(path)))
    columns = {
        header: _column(path, header) for header in reader.fieldnames or [] if header and header.strip()
    }
    facts: dict[str, dict[str, str]] = {}
    for line, row in enumerate(reader, start=2):
        values = {columns[k]: (v or "").strip() for k, v in row.items() if k in columns}
        code = values.pop("code", "")
        if not code:
            raise InputError(
                f"地块属性文件 {path} 第 {line} 行缺少地块编号：请在“地块编号”（或 code）列填写",
                code="input.facts",
            )
        facts[code] = {k: v for k, v in values.items() if v}
    return facts


@parcel_app.command("create-from-plan")
def parcel_create_from_plan(
    plan: Annotated[int, typer.Argument(help="计划编号（landreserve plans 中的编号）")],
    facts: Annotated[
        Path | None, typer.Option("--facts", help="地块属性 CSV：地块编号,用途,区域,存量或新增,来源,利用状况")
    ] = None,
    version: Annotated[
        int | None, typer.Option("--version", help="指定已批准的版本号（默认现行版本）")
    ] = None,
    day: DateOpt = None,
    user: UserOpt = None,
    department: DeptOpt = None,
) -> None:
    """按已批准计划的地块清单登记储备地块（拟收储）；已登记的跳过。"""
    with handled():
        given = read_facts_file(facts) if facts else None
        result = register.create_from_plan(context(user, department), plan, given, option_date(day), version)
        console.print(
            f"已登记 {len(result.created)} 宗（拟收储）：{'、'.join(result.created) or '无'}", soft_wrap=True
        )
        if result.skipped:
            console.print(
                f"已在储备库中、跳过 {len(result.skipped)} 宗：{'、'.join(result.skipped)}", soft_wrap=True
            )


@parcel_app.command("add")
def parcel_add(
    code: Annotated[str, typer.Argument(help="地块编号")],
    location: Annotated[str | None, typer.Option("--location", help="土地坐落")] = None,
    area_m2: Annotated[str | None, typer.Option("--area-m2", help="面积（平方米）")] = None,
    land_use: Annotated[str | None, typer.Option("--use", help="用途，如 住宅用地")] = None,
    zone: Annotated[str | None, typer.Option("--zone", help="区域，如 巴楚镇")] = None,
    stock: Annotated[str | None, typer.Option("--stock", help="存量 或 新增")] = None,
    source: Annotated[
        str | None,
        typer.Option("--source", help="来源：依法收回/收购/优先购买权/已完成农用地转用和征收/其他依法取得"),
    ] = None,
    condition: Annotated[str | None, typer.Option("--condition", help="闲置 / 低效 / 正常")] = None,
    day: DateOpt = None,
    user: UserOpt = None,
    department: DeptOpt = None,
) -> None:
    """逐宗登记一个储备地块（拟收储）。不在现行计划中的地块，入库须有计划外收储批准。"""
    with handled():
        values = {"location": location, "area_m2": area_m2, "land_use": land_use, "zone": zone,
                  "stock": stock, "source": source, "condition": condition}  # fmt: skip
        facts = facts_from(code, {k: v for k, v in values.items() if v is not None})
        view = register.add_parcel(context(user, department), facts, option_date(day))
        note = "" if view.in_plan else "（不在现行已批准计划中：入库前须取得计划外收储批准）"
        console.print(f"已登记地块 {view.facts.code}，状态：{view.state_label}{note}")


@parcel_app.command("update")
def parcel_update(
    code: Annotated[str, typer.Argument(help="地块编号")],
    values: Annotated[
        list[str],
        typer.Argument(
            help="属性=值，可多个：如 用途=住宅用地 区域=巴楚镇 存量/新增=存量；英文键 land_use、zone、stock、source、condition、area_m2、location"
        ),
    ],
    expected_version: VersionOpt = None,
    user: UserOpt = None,
    department: DeptOpt = None,
) -> None:
    """修改地块属性（用途、区域、存量/新增、来源、面积、坐落、利用状况）。"""
    with handled():
        changes = {}
        for item in values:
            key, sep, value = item.partition("=")
            if not sep:
                raise InputError(
                    f"“{item}”不是 属性=值 形式，请写成例如 land_use=住宅用地 zone=巴楚镇 stock=存量",
                    code="input.field",
                )
            changes[FACT_ALIASES.get(key.strip(), key.strip())] = value.strip()
        view = register.update_parcel(context(user, department), code, changes, expected_version)
        console.print(f"地块 {view.facts.code} 已更新（版本 {view.row_version}）")


@parcel_app.command("evidence")
def parcel_evidence(
    code: Annotated[str, typer.Argument(help="地块编号")],
    evidence: EvidenceOpt = None,
    expected_version: VersionOpt = None,
    user: UserOpt = None,
    department: DeptOpt = None,
) -> None:
    """为地块登记证据（不改变状态）；状态变更时会读取已登记的全部证据。"""
    with handled():
        view = register.add_evidence(context(user, department), code, _evidence(evidence), expected_version)
        console.print(
            f"地块 {view.facts.code} 已登记 {len(evidence or [])} 条证据（版本 {view.row_version}）"
        )


def _supply(method: str | None, contract: str | None, price: str | None, day: date | None) -> Supply | None:
    if not (method or contract or price):
        return None
    chosen = None
    if method:
        matches = [m for m, label in SUPPLY_METHOD_LABELS.items() if method.strip() in (m.value, label)]
        if not matches:
            raise InputError(
                f"--method 供应方式“{method}”无法识别，请填 出让（sale）或 划拨（allocation）",
                code="input.supply_method",
            )
        chosen = matches[0]
    amount = parse_amount(price, field="--price 价款") if price else None
    return Supply(SupplyMethod(chosen) if chosen else None, day, contract, amount)


@parcel_app.command("transition")
def parcel_transition(
    code: Annotated[str, typer.Argument(help="地块编号")],
    state: Annotated[
        str, typer.Argument(help="目标状态：入库储备/前期开发/管护/已供应/调出 或 in_reserve 等")
    ],
    evidence: EvidenceOpt = None,
    reason: Annotated[str | None, typer.Option("--reason", help="原因（调出时必填）")] = None,
    day: DateOpt = None,
    method: Annotated[str | None, typer.Option("--method", help="供应方式：出让 / 划拨")] = None,
    contract: Annotated[
        str | None, typer.Option("--contract", help="供应合同（出让合同或划拨决定书）编号")
    ] = None,
    price: Annotated[
        str | None, typer.Option("--price", help="价款，如 55000000（元）、5500万元；划拨可填 0")
    ] = None,
    expected_version: VersionOpt = None,
    user: UserOpt = None,
    department: DeptOpt = None,
) -> None:
    """变更地块状态；任何一项条件缺证据即拒绝，并列出全部缺少的条件。"""
    with handled():
        target = parse_state(state)
        on = option_date(day)
        supply = _supply(method, contract, price, on) if target is State.SUPPLIED else None
        if target is State.SUPPLIED and supply is None:
            supply = Supply(None, on, None, None)
        view = register.transition(
            context(user, department), code, target, _evidence(evidence), reason, on, supply, expected_version
        )
        console.print(
            f"地块 {view.facts.code} 已转为“{view.state_label}”（{view.state_since}，版本 {view.row_version}）"
        )


@parcel_app.command("show")
def parcel_show(code: Annotated[str, typer.Argument(help="地块编号")], as_json: JsonOpt = False) -> None:
    """查看地块：属性、各下一状态的条件（已满足/缺少）、时间线。"""
    with handled(as_json):
        view = register.get_parcel(context(), code)
        if as_json:
            print_json(view_json(view))
            return
        console.print(heading(view), style="bold", highlight=False)
        console.print(facts_table(view))
        if view.gates:
            console.print(gates_table(view))
        console.print(timeline_table(view))


@parcel_app.command("list")
def parcel_list(
    state: Annotated[str | None, typer.Option("--state", help="只列出该状态的地块")] = None,
) -> None:
    """列出储备库中的地块。"""
    with handled():
        rows = register.list_parcels(context(), parse_state(state) if state else None)
        table = Table(title=f"储备库地块（{len(rows)} 宗）")
        for column in ("编号", "状态", "面积（㎡）", "用途", "区域", "存量/新增", "版本"):
            table.add_column(column)
        for facts, st, version in rows:
            table.add_row(facts.code, STATE_LABELS[st], str(facts.area_m2 or ""), facts.land_use or "",
                          facts.zone or "", stock_label(facts.stock), str(version))  # fmt: skip
        console.print(table)
