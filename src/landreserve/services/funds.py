"""Use cases of fund projects (parcels of an approved plan, financed by a bond), their expected prices and
budget lines; and what the sources, the ledger and the reports share: loaders, balances, ``book``."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import plausibility
from ..domain.funds import ledger
from ..domain.funds.balance import repayment_order
from ..domain.funds.bonds import (
    BondTerms,
    InterestFrequency,
    Prepayment,
    Repayment,
    debt_service,
    parse_shares,
)
from ..domain.funds.ledger import Account, AccountKind, Category, ProjectRef, SourceKind, SourceRef
from ..domain.funds.money import ZERO, format_yuan, money
from ..domain.permissions import Permission
from ..domain.register import normalise_code
from ..errors import ConflictError, InputError, NotFoundError, RuleViolation
from ..storage.db import reading, transaction
from ..storage.funds_tables import (
    FundAccountRow,
    FundBudgetLineRow,
    FundEntryRow,
    FundPostingRow,
    FundPriceRow,
    FundProjectBondRow,
    FundProjectParcelRow,
    FundProjectRow,
    FundSourceRow,
)
from ..storage.plan_tables import PlanParcelRow, PlanVersionRow
from . import clock, history
from .authorization import requires
from .clock import today, utc_now
from .conflicts import conflicts
from .context import Context
from .plan_versions import approved_version, version_parcels


def record_history(
    session: Session,
    ctx: Context,
    entity_type: str,
    entity_id: str,
    action: str,
    after: dict,
    evidence: str,
    before: dict | None = None,
) -> None:
    """Write one entry of the hash-chained history log for a funds change, in the same transaction."""
    history.record(
        session, ctx.actor, entity_type, entity_id, f"funds.{action}", before, after,
        [{"kind": "document", "ref": evidence}],
    )  # fmt: skip


@contextmanager
def writing(ctx: Context, what: str) -> Iterator[Session]:
    """One atomic funds write (``what``, e.g. 建立项目 PA); a code, account or budget revision taken by
    another user at the same moment is a ``ConflictError`` and nothing is written."""
    message = f"{what} 时有他人同时登记了同一编号或同一笔资金，本次未保存；请查看最新情况后重试"
    with conflicts(message, "funds.concurrent_change"), transaction(ctx.engine) as session:
        yield session


# --- sources --------------------------------------------------------------------------------------


def bond_terms(row: FundSourceRow) -> BondTerms | None:
    """The terms of a stored bond (with its early repayments); ``None`` for fiscal funds."""
    if row.kind != SourceKind.SPECIAL_BOND:
        return None
    return BondTerms(
        row.code,
        row.amount,
        row.issue_date,
        row.term_years,
        row.coupon_percent,
        Repayment(row.repayment),
        InterestFrequency(row.interest_frequency),
        shares=parse_shares(row.repayment_shares) if row.repayment_shares else (),
        call_after_years=row.call_after_years,
        prepayments=tuple(Prepayment(p.due_date, p.amount) for p in row.prepayments),
        issue_cost=row.issue_cost if row.issue_cost is not None else ZERO,
    )


def project_bonds(row: FundProjectRow) -> list[FundProjectBondRow]:
    """The bonds of a project in its order (a project stored before several bonds existed has one)."""
    return list(row.bonds)


def project_bond_codes(row: FundProjectRow) -> list[str]:
    return [link.bond.code for link in project_bonds(row)]


def project_terms(row: FundProjectRow) -> list[BondTerms]:
    """The terms of each bond of a project for the project's part of it, in the project's order."""
    return [bond_terms(link.bond).with_amount(link.financing) for link in project_bonds(row)]


def reserve_needs(session: Session, project: FundProjectRow) -> list[tuple[str, Decimal]]:
    """(bond, what its repayment reserve for this project still needs) in repayment order: the project's
    part of the bond's principal and interest less what income and top-ups already put into that reserve."""
    terms = project_terms(project)
    result = []
    for t in repayment_order(terms):
        principal, interest = debt_service(t)
        result.append((t.code, principal + interest - reserve_received(session, t.code, project.code)))
    return result


def reserve_received(session: Session, bond: str, project: str) -> Decimal:
    """Money put into the repayment reserve of (bond, project) by income and top-ups, net of reversals."""
    key = Account(AccountKind.REPAYMENT_RESERVE, bond, project).key
    rows = session.execute(
        select(FundEntryRow.kind, FundEntryRow.reverses_id, FundPostingRow.amount)
        .join(FundPostingRow, FundPostingRow.entry_id == FundEntryRow.id)
        .join(FundAccountRow, FundAccountRow.id == FundPostingRow.account_id)
        .where(FundAccountRow.key == key)
    ).all()
    reversed_kinds = dict(
        session.execute(
            select(FundEntryRow.id, FundEntryRow.kind).where(
                FundEntryRow.id.in_([r.reverses_id for r in rows if r.reverses_id is not None])
            )
        ).all()
    )
    total = ZERO
    for kind, reverses, amount in rows:
        effective = reversed_kinds.get(reverses) if kind == "reversal" else kind
        if effective in ("income", "topup"):
            total += amount
    return total


def require_document(document: str, what: str) -> None:
    if not document or not document.strip():
        raise InputError(
            f"{what}缺少依据文件（合同、发票、批复等编号），请用 --doc 提供", code="funds.document_missing"
        )


def source_ref(row: FundSourceRow) -> SourceRef:
    return SourceRef(row.code, SourceKind(row.kind), row.amount)


def get_source(session: Session, code: str, *, lock: bool = False) -> FundSourceRow:
    """The source with this code (locked for update when ``lock``, so concurrent writes on it queue)."""
    query = select(FundSourceRow).where(FundSourceRow.code == code.strip())
    row = session.scalar(query.with_for_update() if lock else query)
    if row is None:
        known = "、".join(session.scalars(select(FundSourceRow.code).order_by(FundSourceRow.code))) or "无"
        raise NotFoundError(f"资金来源 {code} 不存在；已登记的来源：{known}", code="funds.source_not_found")
    return row


# --- projects --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectParcelView:
    code: str
    area_m2: Decimal | None
    use: str | None
    supply_year: int | None


@dataclass(frozen=True)
class ProjectBondView:
    code: str
    financing: Decimal


@dataclass(frozen=True)
class ProjectView:
    """A project; ``bond`` is its first bond and ``financing`` the total over ``bonds``."""

    code: str
    name: str | None
    bond: str
    financing: Decimal
    plan_version_id: int
    parcels: tuple[ProjectParcelView, ...]
    bonds: tuple[ProjectBondView, ...] = ()


def project_view(row: FundProjectRow) -> ProjectView:
    parcels = tuple(ProjectParcelView(p.parcel_code, p.area_m2, p.use, p.supply_year) for p in row.parcels)
    bonds = tuple(ProjectBondView(link.bond.code, link.financing) for link in project_bonds(row))
    return ProjectView(row.code, row.name, row.bond.code, row.financing, row.plan_version_id, parcels, bonds)


def project_ref(row: FundProjectRow) -> ProjectRef:
    bonds = tuple((link.bond.code, link.financing) for link in project_bonds(row))
    return ProjectRef(
        row.code, row.bond.code, row.financing, frozenset(p.parcel_code for p in row.parcels), bonds
    )


@requires(Permission.FUNDS_PROJECT)
def add_project(
    ctx: Context,
    code: str,
    bond_code: str | Sequence[str],
    plan_id: int,
    parcel_codes: list[str],
    *,
    financing: Decimal | Sequence[Decimal | None] | None = None,
    name: str | None = None,
    supply_year: int | None = None,
    version_id: int | None = None,
) -> ProjectView:
    """Create a project over parcels of an approved plan version, financed by one or more special bonds.

    ``bond_code`` is one bond or a list of them (in the order the project lists them); ``financing`` is,
    for each bond, the part of it for this project (default: what no other project has taken); the sum
    over a bond's projects may not exceed the bond amount. ``supply_year`` is the expected year of supply
    of every parcel (editable per parcel later).
    """
    clock.window(ctx.settings).year(supply_year, "预计供应年度")
    codes = [bond_code] if isinstance(bond_code, str) else list(bond_code)
    amounts = _financing_list(code, codes, financing)
    for amount in amounts:
        if amount is not None:
            plausibility.amount(amount, f"项目 {code} 的融资额")
    with writing(ctx, f"建立项目 {code}") as session:
        bonds = [get_source(session, c, lock=True) for c in sorted(codes, key=str.strip)]
        by_code = {b.code: b for b in bonds}
        bonds = [by_code[c.strip()] for c in codes]
        for bond in bonds:
            if bond.kind != SourceKind.SPECIAL_BOND:
                raise RuleViolation(
                    f"{bond.code} 不是专项债券，项目必须由专项债券融资（其他财政资金用 --source 分配）",
                    code="funds.not_a_bond",
                )
        version = approved_version(session, plan_id, version_id, "专项债券项目", "funds.plan_not_approved")
        code = _new_project_code(session, code)
        shares = [_financing(session, b, code, a) for b, a in zip(bonds, amounts, strict=True)]
        row = FundProjectRow(
            code=code, name=name, bond_id=bonds[0].id, plan_version_id=version.id, financing=sum(shares, ZERO),
            created_at=utc_now(), created_by=ctx.actor.name,
        )  # fmt: skip
        session.add(row)
        session.flush()
        for position, (bond, share) in enumerate(zip(bonds, shares, strict=True), start=1):
            session.add(
                FundProjectBondRow(project_id=row.id, bond_id=bond.id, position=position, financing=share)
            )
        _add_parcels(session, row, version, _plan_parcels(session, version, parcel_codes, code), supply_year)
        after = {"bond": bonds[0].code, "financing": str(row.financing), "plan_version": version.id,
                 "bonds": [[b.code, str(a)] for b, a in zip(bonds, shares, strict=True)],
                 "parcels": [p.parcel_code for p in row.parcels]}  # fmt: skip
        record_history(session, ctx, "fund_project", code, "create", after, f"计划版本 {version.id}")
        return project_view(row)


def _financing_list(
    project: str, codes: list[str], financing: Decimal | Sequence[Decimal | None] | None
) -> list[Decimal | None]:
    """One financing amount (or ``None`` for the bond's free part) per bond; refused when they do not pair."""
    if not codes or any(not c.strip() for c in codes):
        raise InputError(f"项目 {project} 至少需要一个专项债券（--bond 编号）", code="funds.no_bond")
    doubled = sorted({c.strip() for c in codes if [x.strip() for x in codes].count(c.strip()) > 1})
    if doubled:
        raise InputError(
            f"项目 {project} 把专项债券 {'、'.join(doubled)} 列了不止一次；每个债券只列一次，"
            "同一债券的额度用一个 --financing 写明",
            code="funds.bond_repeated",
        )
    if financing is None or isinstance(financing, Decimal | int | str):
        amounts = [financing] if financing is not None else [None]
    else:
        amounts = list(financing)
    if len(amounts) == 1 and len(codes) > 1 and amounts[0] is None:
        amounts = [None] * len(codes)
    if len(amounts) != len(codes):
        raise InputError(
            f"项目 {project} 有 {len(codes)} 个专项债券（{'、'.join(codes)}），却写了 {len(amounts)} 个融资额；"
            "请按债券的顺序为每个债券写一个 --financing，或都不写（各取债券未占用部分）",
            code="funds.financing_count",
        )
    return amounts


def _add_parcels(
    session: Session,
    project: FundProjectRow,
    version: PlanVersionRow,
    parcels: list[PlanParcelRow],
    supply_year: int | None,
) -> None:
    """The project's parcels, each with its use as the plan version knows it (the plan text, or the facts
    given when the register took the parcel in), which picks its expected price."""
    uses = {p.code: p.land_use for p in version_parcels(session, version.id)}
    for plan_parcel in parcels:
        session.add(
            FundProjectParcelRow(
                project_id=project.id, parcel_code=plan_parcel.code, plan_parcel_id=plan_parcel.id,
                area_m2=plan_parcel.area_m2, use=uses.get(plan_parcel.code), supply_year=supply_year,
            )
        )  # fmt: skip
    session.flush()
    session.refresh(project)


def check_code(code: str, what: str) -> str:
    """A trimmed code for a source or project: not empty, without ``|`` (it separates account key parts)."""
    code = code.strip()
    if not code or "|" in code:
        raise InputError(f"{what}编号“{code}”无效：不能为空，也不能含有“|”", code="funds.code_invalid")
    return code


def _new_project_code(session: Session, code: str) -> str:
    code = check_code(code, "项目")
    if session.scalar(select(FundProjectRow.id).where(FundProjectRow.code == code)):
        raise ConflictError(f"项目编号 {code} 已存在；请换一个编号", code="funds.project_exists")
    return code


def _financing(session: Session, bond: FundSourceRow, project: str, financing: Decimal | None) -> Decimal:
    taken = sum(
        session.scalars(select(FundProjectBondRow.financing).where(FundProjectBondRow.bond_id == bond.id)),
        ZERO,
    )
    free = bond.amount - taken
    value = free if financing is None else money(financing)
    if value <= 0 or value > free:
        raise RuleViolation(
            f"项目 {project} 的融资额 {format_yuan(value)} 元无效：专项债券 {bond.code} 金额 "
            f"{format_yuan(bond.amount)} 元，其他项目已占用 {format_yuan(taken)} 元，尚余 {format_yuan(free)} 元；"
            "请把该债券的 --financing 改为不超过尚余额度的正数",
            code="funds.financing_exceeds_bond",
        )
    return value


def _plan_parcels(
    session: Session, version: PlanVersionRow, codes: list[str], project: str
) -> list[PlanParcelRow]:
    wanted = [normalise_code(c) for c in codes if c.strip()]
    if not wanted:
        raise InputError(f"项目 {project} 至少需要一个地块（--parcels 编号,编号）", code="funds.no_parcels")
    rows = {
        normalise_code(p.code): p
        for p in session.scalars(select(PlanParcelRow).where(PlanParcelRow.version_id == version.id))
    }
    missing = [c for c in wanted if c not in rows]
    if missing:
        raise RuleViolation(
            f"地块 {'、'.join(missing)} 不在已批准的计划版本 {version.id}（第{version.version}版）中；"
            f"该版本的地块：{'、'.join(rows) or '无'}；请核对 --parcels 的编号",
            code="funds.parcel_not_in_plan",
        )
    taken = session.execute(
        select(FundProjectParcelRow.parcel_code, FundProjectRow.code)
        .join(FundProjectRow, FundProjectRow.id == FundProjectParcelRow.project_id)
        .where(FundProjectParcelRow.parcel_code.in_(wanted))
    ).all()
    if taken or len(set(wanted)) != len(wanted):
        owners = "、".join(f"{c}（项目 {p}）" for c, p in taken) or "编号重复：" + "、".join(wanted)
        raise ConflictError(
            f"地块已属于其他项目或重复列出：{owners}；一个地块只能属于一个项目", code="funds.parcel_taken"
        )
    return [rows[c] for c in wanted]


def get_project(session: Session, code: str) -> FundProjectRow:
    row = session.scalar(select(FundProjectRow).where(FundProjectRow.code == code.strip()))
    if row is None:
        known = "、".join(session.scalars(select(FundProjectRow.code).order_by(FundProjectRow.code))) or "无"
        raise NotFoundError(f"项目 {code} 不存在；已有项目：{known}", code="funds.project_not_found")
    return row


def project_of_parcel(session: Session, code: str) -> FundProjectRow | None:
    return session.scalar(
        select(FundProjectRow)
        .join(FundProjectParcelRow, FundProjectParcelRow.project_id == FundProjectRow.id)
        .where(FundProjectParcelRow.parcel_code == normalise_code(code))
    )


def list_projects(ctx: Context) -> list[ProjectView]:
    with reading(ctx.engine) as session:
        return [
            project_view(r) for r in session.scalars(select(FundProjectRow).order_by(FundProjectRow.code))
        ]


@requires(Permission.FUNDS_PROJECT)
def set_parcel(
    ctx: Context, project_code: str, code: str, *, use: str | None = None, supply_year: int | None = None
) -> ProjectParcelView:
    """Set the use (for the expected price) and the expected supply year of a project's parcel."""
    clock.window(ctx.settings).year(supply_year, "预计供应年度")
    with writing(ctx, f"修改项目 {project_code} 的地块 {code}") as session:
        project = get_project(session, project_code)
        row = next((p for p in project.parcels if p.parcel_code == normalise_code(code)), None)
        if row is None:
            raise NotFoundError(f"地块 {code} 不属于项目 {project.code}", code="funds.parcel_not_in_project")
        before = {"use": row.use, "supply_year": row.supply_year}
        row.use = use.strip() if use else row.use
        row.supply_year = supply_year if supply_year is not None else row.supply_year
        after = {"use": row.use, "supply_year": row.supply_year}
        record_history(session, ctx, "fund_project_parcel", row.parcel_code, "update", after,
                       f"项目 {project.code}", before)  # fmt: skip
        return ProjectParcelView(row.parcel_code, row.area_m2, row.use, row.supply_year)


@requires(Permission.FUNDS_PROJECT)
def set_price(ctx: Context, project_code: str, use: str, price_per_m2: Decimal, basis: str) -> None:
    """Record the expected land price of a use in a project (元/㎡) and its basis (valuation report …)."""
    if not isinstance(price_per_m2, float):
        plausibility.amount(price_per_m2, "预期单价")
    if isinstance(price_per_m2, float) or price_per_m2 <= 0:
        raise InputError(f"预期单价必须是大于零的精确数，收到 {price_per_m2}", code="funds.price_invalid")
    plausibility.price_per_m2(price_per_m2, "预期单价")
    if not basis or not basis.strip():
        raise InputError(
            "预期单价缺少依据（如评估报告编号、近期成交价），请用 --basis 提供", code="funds.price_basis"
        )
    with writing(ctx, f"设置项目 {project_code} 的预期单价") as session:
        project = get_project(session, project_code)
        previous = current_prices(session, project.id).get(use.strip())
        session.add(
            FundPriceRow(
                project_id=project.id,
                use=use.strip(),
                price_per_m2=price_per_m2,
                basis=basis.strip(),
                created_at=utc_now(),
                created_by=ctx.actor.name,
            )
        )
        record_history(
            session,
            ctx,
            "fund_price",
            f"{project.code}/{use.strip()}",
            "set",
            {"price_per_m2": str(price_per_m2), "basis": basis.strip()},
            basis.strip(),
            {"price_per_m2": str(previous.price_per_m2), "basis": previous.basis} if previous else None,
        )


def current_prices(session: Session, project_id: int) -> dict[str, FundPriceRow]:
    """Use → its newest expected price row."""
    rows = session.scalars(
        select(FundPriceRow).where(FundPriceRow.project_id == project_id).order_by(FundPriceRow.id)
    )
    return {r.use: r for r in rows}


# --- budget lines ----------------------------------------------------------------------------------


def _check_budget(
    project_code: str, year: int, category: Category | None, amount: Decimal, document: str
) -> None:
    require_document(document, f"项目 {project_code} {year} 年预算")
    plausibility.amount(amount, f"项目 {project_code} {year} 年预算金额")
    money(amount)
    if amount < 0:
        raise InputError(
            f"项目 {project_code} {year} 年预算金额不能为负，收到 {amount} 元；请填写零或正数",
            code="funds.amount_negative",
        )
    if category is not None and not category.permitted:
        raise RuleViolation(
            f"“{category.label}”不是土地储备资金的允许用途，不能列入项目 {project_code} {year} 年预算",
            code="funds.category_not_permitted",
        )


def _last_budget_line(session: Session, project_id: int, year: int, key: str) -> FundBudgetLineRow | None:
    return session.scalar(
        select(FundBudgetLineRow)
        .where(
            FundBudgetLineRow.project_id == project_id,
            FundBudgetLineRow.year == year,
            FundBudgetLineRow.category == key,
        )
        .order_by(FundBudgetLineRow.revision.desc())
    )


@requires(Permission.FUNDS_BUDGET)
def set_budget(
    ctx: Context, project_code: str, year: int, category: Category | None, amount: Decimal, document: str
) -> int:
    """Set (or revise) a budget line of a project for a year and category; returns the revision number.

    A revision adds a row (the newest counts); the history entry keeps the amount before and after.
    """
    clock.window(ctx.settings).year(year, "预算年度")
    _check_budget(project_code, year, category, amount, document)
    with writing(ctx, f"设置项目 {project_code} {year} 年预算") as session:
        project = get_project(session, project_code)
        key = category.value if category else ""
        last = _last_budget_line(session, project.id, year, key)
        revision = last.revision + 1 if last else 1
        session.add(
            FundBudgetLineRow(
                project_id=project.id, year=year, category=key, revision=revision, amount=amount,
                document=document.strip(), created_at=utc_now(), created_by=ctx.actor.name,
            )
        )  # fmt: skip
        before = {"amount": str(last.amount), "revision": last.revision} if last else None
        record_history(session, ctx, "fund_budget_line", f"{project.code}/{year}/{key}", "set",
                       {"amount": str(amount), "revision": revision}, document.strip(), before)  # fmt: skip
        return revision


# --- balances --------------------------------------------------------------------------------------


def load_balances(session: Session, source_codes: set[str] | None = None) -> dict[Account, Decimal]:
    """Account → balance, summed in Python from the postings (never through a database float)."""
    query = select(FundAccountRow.key, FundPostingRow.amount).join(
        FundAccountRow, FundAccountRow.id == FundPostingRow.account_id
    )
    if source_codes is not None:
        query = query.where(FundAccountRow.source_code.in_(sorted(source_codes)))
    balances: dict[Account, Decimal] = {}
    for key, amount in session.execute(query):
        account = Account.from_key(key)
        balances[account] = balances.get(account, ZERO) + amount
    return balances


def net_total(session: Session, kind: str, *where) -> Decimal:
    """The amounts of the entries of ``kind`` that match ``where``, less their reversals (a reversal
    carries the source, project and parcel of the entry it reverses, so the same filter finds it)."""
    rows = list(session.scalars(select(FundEntryRow).where(*where)))
    kinds = {r.id: r.kind for r in rows}
    total = ZERO
    for row in rows:
        if row.kind == kind:
            total += row.amount
        elif row.kind == "reversal" and kinds.get(row.reverses_id) == kind:
            total -= row.amount
    return total


def book(
    session: Session,
    ctx: Context,
    kind: str,
    on: date | None,
    postings: list[ledger.Posting],
    *,
    amount: Decimal,
    source: str,
    document: str,
    project: str = "",
    parcel: str = "",
    category: str = "",
    memo: str = "",
    reverses: int | None = None,
    balances: ledger.Balances | None = None,
) -> FundEntryRow:
    """Write one balanced entry and its postings (refused if unbalanced or if money would go negative)."""
    clock.window(ctx.settings).date(on, f"{ENTRY_LABELS.get(kind, kind)}日期")
    plausibility.amount(amount, f"{ENTRY_LABELS.get(kind, kind)}金额")
    ledger.check_balanced(postings, f"{ENTRY_LABELS.get(kind, kind)}分录")
    if balances is not None:
        ledger.check_non_negative(postings, balances)
    require_document(document, f"{ENTRY_LABELS.get(kind, kind)}分录")
    entry = FundEntryRow(
        kind=kind, value_date=on or today(), amount=amount, source_code=source, project_code=project,
        parcel_code=parcel, category=category, document=document.strip(), memo=memo, reverses_id=reverses,
        created_at=utc_now(), created_by=ctx.actor.name,
    )  # fmt: skip
    session.add(entry)
    session.flush()
    for posting in postings:
        account = _account_id(session, posting.account)
        session.add(FundPostingRow(entry_id=entry.id, account_id=account, amount=posting.amount))
    session.flush()
    after = {"amount": str(amount), "source": source, "project": project, "parcel": parcel,
             "category": category, "reverses": reverses,
             "postings": [[p.account.key, str(p.amount)] for p in postings]}  # fmt: skip
    record_history(session, ctx, "fund_entry", str(entry.id), kind, after, document.strip())
    return entry


ENTRY_LABELS = {
    "raise": "资金筹集",
    "allocate": "资金分配",
    "transfer": "地块间调剂",
    "pay": "支付",
    "income": "土地出让收入",
    "repay": "还本付息",
    "topup": "补充偿债资金",
    "reversal": "冲销",
}


def _account_id(session: Session, account: Account) -> int:
    found = session.scalar(select(FundAccountRow.id).where(FundAccountRow.key == account.key))
    if found is not None:
        return found
    row = FundAccountRow(
        key=account.key,
        kind=account.kind.value,
        source_code=account.source,
        project_code=account.project,
        parcel_code=account.parcel,
        category=account.category,
    )
    session.add(row)
    session.flush()
    return row.id
