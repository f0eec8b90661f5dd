"""Use cases of the ring-fenced ledger: allocate, move between parcels, pay, record land-sale income,
repay a bond, reverse an entry. Each is one atomic transaction; a refusal writes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import plausibility
from ..domain.funds import ledger
from ..domain.funds.bonds import BondTerms, schedule
from ..domain.funds.ledger import AccountKind, Category
from ..domain.funds.money import format_yuan, money
from ..domain.lifecycle import STATE_LABELS, State, SupplyMethod
from ..domain.permissions import Permission
from ..domain.register import normalise_code
from ..errors import InputError, NotFoundError, RuleViolation
from ..storage.db import reading
from ..storage.funds_tables import FundEntryRow, FundProjectRow, FundSourceRow
from ..storage.plan_tables import PlanVersionRow
from ..storage.register_tables import ReserveParcelRow
from .authorization import requires
from .clock import today
from .context import Context
from .funds import (
    ENTRY_LABELS,
    bond_terms,
    book,
    get_project,
    get_source,
    load_balances,
    net_total,
    project_bond_codes,
    project_of_parcel,
    project_ref,
    reserve_needs,
    source_ref,
    writing,
)
from .plan_versions import current_version, version_parcels


@dataclass(frozen=True)
class EntryView:
    number: int
    kind: str
    value_date: date
    amount: Decimal
    source: str
    project: str
    parcel: str
    category: str
    document: str
    memo: str
    reverses: int | None

    @property
    def kind_label(self) -> str:
        return ENTRY_LABELS.get(self.kind, self.kind)

    @property
    def category_label(self) -> str:
        return Category(self.category).label if self.category else ""


def entry_view(row: FundEntryRow) -> EntryView:
    return EntryView(
        row.id,
        row.kind,
        row.value_date,
        row.amount,
        row.source_code,
        row.project_code,
        row.parcel_code,
        row.category,
        row.document,
        row.memo,
        row.reverses_id,
    )


def _positive(amount: Decimal, what: str) -> Decimal:
    amount = money(amount)
    if amount <= 0:
        raise InputError(f"{what}金额必须大于零，收到 {amount} 元", code="funds.amount_not_positive")
    return amount


def check_parcel_planned(session: Session, project: FundProjectRow, code: str) -> None:
    """Refuse a parcel that is no longer in the current approved version of the project's plan."""
    plan_id = session.get(PlanVersionRow, project.plan_version_id).plan_id
    current = current_version(session, plan_id)
    if current is None:
        raise RuleViolation(
            f"项目 {project.code} 所依据的计划（计划 {plan_id}）目前没有已批准的版本，不能为地块 {code} 记账；"
            "请先批准计划（landreserve plan approve）",
            code="funds.plan_not_approved",
        )
    if code not in {normalise_code(p.code) for p in version_parcels(session, current.id)}:
        raise RuleViolation(
            f"地块 {code} 已不在计划 {plan_id} 现行的第{current.version}版中（项目 {project.code}），"
            "不能再为其安排资金；请核对计划调整（landreserve plan versions）",
            code="funds.parcel_not_in_plan",
        )


@requires(Permission.FUNDS_LEDGER)
def allocate(
    ctx: Context,
    source_code: str | None,
    project_code: str,
    amount: Decimal,
    document: str,
    *,
    parcel: str | None = None,
    from_parcel: str | None = None,
    on: date | None = None,
    memo: str = "",
) -> EntryView:
    """Allocate money of a source to a project (or one of its parcels); with ``from_parcel``, move unspent
    money from one parcel of the project to another (调剂). The source defaults to the project's bond."""
    amount = _positive(amount, "分配")
    if from_parcel and not parcel:
        raise InputError(
            f"地块间调剂须同时写明调出地块（--from-parcel {from_parcel}）和调入地块（--parcel）",
            code="funds.transfer_target",
        )
    target = normalise_code(parcel) if parcel else None
    with writing(ctx, "分配资金") as session:
        project = get_project(session, project_code)
        source = get_source(session, source_code or _default_bond(project, "分配资金"), lock=True)
        balances = load_balances(session, {source.code})
        refs = source_ref(source), project_ref(project)
        if from_parcel:
            kind, origin = "transfer", normalise_code(from_parcel)
            postings = ledger.transfer(*refs, origin, target, amount, balances)
            memo = memo or f"由地块 {origin} 调入"
        else:
            kind, postings = "allocate", ledger.allocate(*refs, target, amount, balances)
        if target:
            check_parcel_planned(session, project, target)
        entry = book(session, ctx, kind, on, postings, amount=amount, source=source.code, project=project.code,
                     parcel=target or "", document=document, memo=memo, balances=balances)  # fmt: skip
        return entry_view(entry)


@requires(Permission.FUNDS_LEDGER)
def pay(
    ctx: Context,
    parcel: str,
    category: Category,
    amount: Decimal,
    document: str,
    *,
    source_code: str | None = None,
    project_code: str | None = None,
    on: date | None = None,
    memo: str = "",
) -> EntryView:
    """Pay a permitted cost of a parcel from the money allocated to it (or to its project's pool).

    The source defaults to the bond of the parcel's project. Refused: a category that is not permitted,
    a parcel outside the source's project, a payment beyond what was allocated.
    """
    amount = _positive(amount, "支付")
    plausibility.text(document, "支付凭证", 200)
    plausibility.note(memo, "支付摘要")
    code = normalise_code(parcel)
    with writing(ctx, "支付") as session:
        project = _project_for_payment(session, code, source_code, project_code, category, amount)
        source = get_source(session, source_code or _default_bond(project, "支付"), lock=True)
        balances = load_balances(session, {source.code})
        postings = ledger.pay(source_ref(source), project_ref(project), code, category, amount, balances)
        check_parcel_planned(session, project, code)
        entry = book(
            session,
            ctx,
            "pay",
            on,
            postings,
            amount=amount,
            source=source.code,
            project=project.code,
            parcel=code,
            category=category.value,
            document=document,
            memo=memo,
            balances=balances,
        )
        return entry_view(entry)


def _default_bond(project: FundProjectRow, what: str) -> str:
    """The project's bond when it has one; with several, the source must be named."""
    codes = project_bond_codes(project)
    if len(codes) > 1:
        raise InputError(
            f"项目 {project.code} 由 {len(codes)} 个专项债券融资（{'、'.join(codes)}），{what}时请用 --source 写明"
            "用哪一个债券的资金",
            code="funds.source_ambiguous",
        )
    return codes[0]


def _project_for_payment(session, code, source_code, project_code, category, amount) -> FundProjectRow:
    if project_code:
        return get_project(session, project_code)
    if source_code:
        source = get_source(session, source_code)
        projects = [
            p
            for p in session.scalars(select(FundProjectRow).order_by(FundProjectRow.code))
            if source.code in project_bond_codes(p)
        ]
        for project in projects:
            if code in {p.parcel_code for p in project.parcels}:
                return project
        if source.kind == ledger.SourceKind.SPECIAL_BOND:
            ledger.check_category(
                category, source.code, "、".join(p.code for p in projects) or "无", code, amount
            )
            inside = "、".join(sorted(p.parcel_code for pr in projects for p in pr.parcels)) or "无"
            raise RuleViolation(
                f"地块 {code} 不属于专项债券 {source.code} 的任何项目，不能从该债券支付 {format_yuan(amount)} 元"
                f"（{category.label}）；债券资金封闭管理，只能用于其项目地块：{inside}",
                code="funds.ring_fence",
            )
    project = project_of_parcel(session, code)
    if project is None:
        raise NotFoundError(
            f"地块 {code} 不属于任何项目；请用 --project 指定项目或先把地块加入项目",
            code="funds.parcel_without_project",
        )
    return project


@requires(Permission.FUNDS_LEDGER)
def record_income(
    ctx: Context, parcel: str, amount: Decimal, contract: str, *, on: date | None = None, memo: str = ""
) -> EntryView:
    """Record land-sale revenue (土地出让收入) of a supplied parcel: it goes to its project's repayment reserve."""
    amount = _positive(amount, "出让收入")
    code = normalise_code(parcel)
    with writing(ctx, "登记出让收入") as session:
        project = project_of_parcel(session, code)
        if project is None:
            raise RuleViolation(
                f"地块 {code} 不属于任何专项债券项目，其出让收入 {format_yuan(amount)} 元无法对应偿债资金；"
                "请核对地块编号",
                code="funds.ring_fence",
            )
        for bond in sorted(project_bond_codes(project)):
            get_source(session, bond, lock=True)
        check_supplied(session, code, contract, amount, on or today())
        splits = ledger.split_by_need(amount, reserve_needs(session, project))
        postings = ledger.land_sale_income(project_ref(project), code, amount, splits)
        memo = memo or _split_memo(splits)
        entry = book(
            session,
            ctx,
            "income",
            on,
            postings,
            amount=amount,
            source=splits[0][0],
            project=project.code,
            parcel=code,
            document=contract,
            memo=memo,
        )
        return entry_view(entry)


def _split_memo(splits: list[tuple[str, Decimal]]) -> str:
    if len(splits) < 2:
        return ""
    return "按偿债顺序记入偿债资金：" + "；".join(f"{b} {format_yuan(v)} 元" for b, v in splits)


def check_supplied(session: Session, code: str, contract: str, amount: Decimal, on: date) -> None:
    """When the parcel is in the reserve register, its income needs a sale (出让) supply under this contract,
    received on or after the supply date, and all its income together may not exceed the supply price.
    A parcel not in the register is accepted (the register is optional for funds)."""
    row = session.scalar(select(ReserveParcelRow).where(ReserveParcelRow.code == code))
    if row is None:
        return
    if row.state != State.SUPPLIED or row.supply_method != SupplyMethod.SALE:
        raise RuleViolation(
            f"地块 {code} 在储备库中的状态为“{STATE_LABELS.get(State(row.state), row.state)}”，尚未以出让方式供应，"
            f"不能登记出让收入 {format_yuan(amount)} 元；请先在储备库办理供应",
            code="funds.parcel_not_supplied",
        )
    if row.supply_contract_no and row.supply_contract_no.strip() != contract.strip():
        raise RuleViolation(
            f"出让合同“{contract}”与储备库中地块 {code} 的供应合同“{row.supply_contract_no}”不一致；请核对合同编号",
            code="funds.contract_mismatch",
        )
    if row.supply_date is not None and on < row.supply_date:
        raise RuleViolation(
            f"出让收入的日期 {on} 早于地块 {code} 在储备库中的供应日期 {row.supply_date}；请核对 --date",
            code="funds.income_before_supply",
        )
    if row.supply_price is not None:
        booked = net_total(session, "income", FundEntryRow.parcel_code == code)
        if booked + amount > row.supply_price:
            raise RuleViolation(
                f"地块 {code} 出让价款 {format_yuan(row.supply_price)} 元，已登记收入 {format_yuan(booked)} 元，"
                f"再登记 {format_yuan(amount)} 元将超出；请核对金额",
                code="funds.income_exceeds_price",
            )


@requires(Permission.FUNDS_LEDGER)
def repay(
    ctx: Context,
    bond_code: str,
    principal: Decimal,
    interest: Decimal,
    document: str,
    *,
    on: date | None = None,
    instalment: int | None = None,
) -> EntryView:
    """Repay principal and pay interest of a bond from its projects' repayment reserves.

    With ``instalment`` (1-based), principal and interest are those of that instalment of the bond's
    schedule (the given amounts are ignored) and the date defaults to its due date. Interest paid in
    total may never exceed the interest of the whole schedule.
    """
    with writing(ctx, "还本付息") as session:
        bond = get_source(session, bond_code, lock=True)
        terms = bond_terms(bond)
        if instalment is not None and terms is not None:
            principal, interest, on = _instalment(terms, instalment, on)
        principal, interest = _repayment_amounts(principal, interest)
        balances = load_balances(session, {bond.code})
        reserves = {a.project: v for a, v in balances.items() if a.kind is AccountKind.REPAYMENT_RESERVE}
        postings = ledger.repay(source_ref(bond), principal, interest, reserves, balances)
        _check_interest_total(bond.code, terms, interest, balances)
        memo = (f"第{instalment}期，" if instalment else "") + (
            f"本金 {format_yuan(principal)} 元，利息 {format_yuan(interest)} 元"
        )
        entry = book(session, ctx, "repay", on, postings, amount=principal + interest,
                     source=bond.code, document=document, memo=memo, balances=balances)  # fmt: skip
        return entry_view(entry)


def _repayment_amounts(principal: Decimal, interest: Decimal) -> tuple[Decimal, Decimal]:
    principal, interest = money(principal), money(interest)
    if principal < 0 or interest < 0 or principal + interest == 0:
        raise InputError(
            f"还本付息金额无效：本金 {principal} 元，利息 {interest} 元", code="funds.amount_not_positive"
        )
    return principal, interest


def _instalment(terms: BondTerms, number: int, on: date | None) -> tuple[Decimal, Decimal, date]:
    rows = schedule(terms)
    if not 1 <= number <= len(rows):
        raise InputError(
            f"专项债券 {terms.code} 共 {len(rows)} 期，没有第 {number} 期", code="funds.instalment"
        )
    row = rows[number - 1]
    return row.principal, row.interest, on or row.due_date


def _check_interest_total(code: str, terms: BondTerms | None, interest: Decimal, balances) -> None:
    if terms is None:
        return
    total = sum((row.interest for row in schedule(terms)), Decimal(0))
    paid = balances.get(ledger.Account(AccountKind.INTEREST, code), Decimal(0))
    if paid + interest > total:
        raise RuleViolation(
            f"专项债券 {code} 已付利息 {format_yuan(paid)} 元，再付 {format_yuan(interest)} 元将超过还本付息计划的"
            f"利息总额 {format_yuan(total)} 元；请核对是否重复付息",
            code="funds.interest_exceeds_schedule",
        )


@requires(Permission.FUNDS_LEDGER)
def top_up(
    ctx: Context,
    source_code: str,
    project_code: str,
    amount: Decimal,
    document: str,
    *,
    on: date | None = None,
    memo: str = "",
) -> EntryView:
    """Put fiscal funds (国有土地收益基金 or other approved fiscal funds) into a project's repayment reserve,
    so that its bond can be repaid when land-sale income falls short or comes late.

    Refused: a special bond as the source (no new bond repays a bond), more than the source's
    unallocated money, a document missing.
    """
    amount = _positive(amount, "补充偿债资金")
    with writing(ctx, "补充偿债资金") as session:
        project = get_project(session, project_code)
        codes = sorted({source_code.strip(), *project_bond_codes(project)})
        rows = {code: get_source(session, code, lock=True) for code in codes}
        source = rows[source_code.strip()]
        balances = load_balances(session, set(codes))
        splits = ledger.split_by_need(amount, reserve_needs(session, project))
        postings = ledger.top_up_reserve(source_ref(source), project_ref(project), amount, balances, splits)
        memo = memo or _split_memo(splits)
        entry = book(session, ctx, "topup", on, postings, amount=amount, source=source.code,
                     project=project.code, document=document, memo=memo, balances=balances)  # fmt: skip
        return entry_view(entry)


@requires(Permission.FUNDS_LEDGER)
def reverse(ctx: Context, number: int, reason: str, document: str, *, on: date | None = None) -> EntryView:
    """Reverse an entry: a new entry with the same postings negated, naming the original and the reason."""
    if not reason or not reason.strip():
        raise InputError("冲销需要说明原因（--reason）", code="funds.reason_missing")
    with writing(ctx, "冲销分录") as session:
        original = session.get(FundEntryRow, number)
        if original is None:
            raise NotFoundError(f"分录 #{number} 不存在", code="funds.entry_not_found")
        _check_reversible(session, original)
        sources = sorted({p.account.source_code for p in original.postings} | {original.source_code})
        for code in sources:  # in code order, as every writer locks them, so two never wait on each other
            get_source(session, code, lock=True)
        balances = load_balances(session, set(sources))
        postings = ledger.reverse(
            ledger.Posting(ledger.Account.from_key(p.account.key), p.amount) for p in original.postings
        )
        entry = book(
            session,
            ctx,
            "reversal",
            on,
            postings,
            amount=original.amount,
            source=original.source_code,
            project=original.project_code,
            parcel=original.parcel_code,
            category=original.category,
            document=document,
            memo=reason.strip(),
            reverses=original.id,
            balances=balances,
        )
        return entry_view(entry)


def _check_reversible(session: Session, original: FundEntryRow) -> None:
    if original.kind == "reversal":
        raise RuleViolation(
            f"分录 #{original.id} 本身是冲销分录，不能再冲销；如需恢复请重新录入原业务",
            code="funds.reverse_reversal",
        )
    if original.kind == "raise":
        raise RuleViolation(
            f"分录 #{original.id} 是资金来源 {original.source_code} 的筹集分录，不能冲销；"
            "来源登记有误时请登记一笔更正后的资金来源，并在摘要中说明",
            code="funds.reverse_raise",
        )
    done = session.scalar(select(FundEntryRow.id).where(FundEntryRow.reverses_id == original.id))
    if done is not None:
        raise RuleViolation(
            f"分录 #{original.id} 已被分录 #{done} 冲销，不能重复冲销", code="funds.already_reversed"
        )


def list_entries(ctx: Context, *, source: str | None = None, project: str | None = None) -> list[EntryView]:
    """All entries (oldest first), optionally of one source or project."""
    with reading(ctx.engine) as session:
        query = select(FundEntryRow).order_by(FundEntryRow.id)
        if source:
            get_source(session, source)
        if project:
            get_project(session, project)
        if source:
            query = query.where(FundEntryRow.source_code == source)
        if project:
            query = query.where(FundEntryRow.project_code == project)
        return [entry_view(r) for r in session.scalars(query)]


def source_amounts(session: Session) -> dict[str, ledger.SourceRef]:
    return {r.code: source_ref(r) for r in session.scalars(select(FundSourceRow))}
