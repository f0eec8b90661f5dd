"""Use cases of fund sources: land-reserve special bonds (with their terms) and fiscal funds
(land-sale revenue, 国有土地收益基金, other approved funds), each booked as money raised."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.funds import ledger
from ..domain.funds.bonds import BondTerms, Prepayment, format_shares, schedule
from ..domain.funds.ledger import SourceKind
from ..domain.funds.money import money
from ..domain.permissions import Permission
from ..errors import ConflictError, InputError
from ..storage.db import reading
from ..storage.funds_tables import FundBondPrepaymentRow, FundSourceRow
from .authorization import requires
from .clock import utc_now
from .context import Context
from .funds import (
    bond_terms,
    book,
    check_code,
    get_source,
    record_history,
    require_document,
    source_ref,
    writing,
)


@dataclass(frozen=True)
class SourceView:
    code: str
    kind: SourceKind
    name: str | None
    amount: Decimal
    document: str
    terms: BondTerms | None


def source_view(row: FundSourceRow) -> SourceView:
    return SourceView(row.code, SourceKind(row.kind), row.name, row.amount, row.document, bond_terms(row))


@requires(Permission.FUNDS_SOURCE)
def add_bond(ctx: Context, terms: BondTerms, document: str, name: str | None = None) -> SourceView:
    """Register a land-reserve special bond and book its proceeds (资金筹集) on its issue date.

    Parameters
    ----------
    terms : code, amount (元), issue date, term, coupon, repayment (bullet, amortising, stated shares),
        interest frequency, the N of an N+M call, issue costs (early repayments: :func:`add_prepayment`).
    document : the issuance document (e.g. the provincial finance department's 转贷协议).
    """
    if terms.prepayments or terms.called:
        raise InputError(
            f"登记债券 {terms.code} 时只登记发行条款；提前偿还用 funds bond prepay 登记，行权与否是分析情景",
            code="funds.bond_terms",
        )
    with writing(ctx, f"登记专项债券 {terms.code}") as session:
        row = _new_source(session, ctx, terms.code, SourceKind.SPECIAL_BOND, terms.amount, document, name)
        row.issue_date, row.term_years, row.coupon_percent = (
            terms.issue_date,
            terms.term_years,
            terms.coupon_percent,
        )
        row.repayment, row.interest_frequency = terms.repayment.value, terms.interest_frequency.value
        row.repayment_shares = format_shares(terms.shares) if terms.shares else None
        row.call_after_years, row.issue_cost = terms.call_after_years, terms.issue_cost
        session.flush()
        _book_raise(session, ctx, row, terms.issue_date)
        return source_view(row)


@requires(Permission.FUNDS_SOURCE)
def add_fiscal_source(
    ctx: Context,
    code: str,
    kind: SourceKind,
    amount: Decimal,
    document: str,
    received_on: date | None = None,
    name: str | None = None,
) -> SourceView:
    """Register an amount of fiscal funds (land-sale revenue, 国有土地收益基金, other approved funds) and book
    it as received on ``received_on`` (default today)."""
    if kind is SourceKind.SPECIAL_BOND:
        raise InputError(
            "专项债券请用 funds bond add 登记（需要期限、利率和还本方式）", code="funds.source_kind"
        )
    with writing(ctx, f"登记资金来源 {code}") as session:
        row = _new_source(session, ctx, code, kind, amount, document, name)
        session.flush()
        _book_raise(session, ctx, row, received_on)
        return source_view(row)


def _new_source(
    session: Session,
    ctx: Context,
    code: str,
    kind: SourceKind,
    amount: Decimal,
    document: str,
    name: str | None,
) -> FundSourceRow:
    code = check_code(code, "资金来源")
    require_document(document, f"资金来源 {code}")
    money(amount)
    if amount <= 0:
        raise InputError(
            f"资金来源 {code} 的金额必须大于零，收到 {amount} 元", code="funds.amount_not_positive"
        )
    if session.scalar(select(FundSourceRow.id).where(FundSourceRow.code == code)):
        raise ConflictError(f"资金来源编号 {code} 已存在；请换一个编号", code="funds.source_exists")
    row = FundSourceRow(
        code=code,
        kind=kind.value,
        name=name,
        amount=amount,
        document=document.strip(),
        created_at=utc_now(),
        created_by=ctx.actor.name,
    )
    session.add(row)
    return row


def _book_raise(session: Session, ctx: Context, row: FundSourceRow, on: date | None) -> None:
    ref = source_ref(row)
    book(
        session,
        ctx,
        "raise",
        on,
        ledger.raise_funds(ref, row.amount),
        amount=row.amount,
        source=row.code,
        document=row.document,
    )
    record_history(
        session,
        ctx,
        "fund_source",
        row.code,
        "create",
        {"kind": row.kind, "amount": str(row.amount)},
        row.document,
    )


@requires(Permission.FUNDS_SOURCE)
def add_prepayment(ctx: Context, bond_code: str, on: date, amount: Decimal, document: str) -> SourceView:
    """Record a partial early repayment (提前偿还部分本金) of a bond on one of its interest dates; its
    schedule then repays that amount on that date, later interest and later parts are lower (the latest
    part first). Refused: a date that is not an interest date, more than the principal still scheduled
    after it, a document missing."""
    money(amount)
    require_document(document, f"专项债券 {bond_code} 提前偿还")
    with writing(ctx, f"登记专项债券 {bond_code} 提前偿还") as session:
        row = get_source(session, bond_code, lock=True)
        terms = bond_terms(row)
        if terms is None:
            raise InputError(f"{row.code} 不是专项债券，没有本金可提前偿还", code="funds.not_a_bond")
        schedule(
            replace(terms, prepayments=(*terms.prepayments, Prepayment(on, amount)))
        )  # refuses what cannot be
        session.add(
            FundBondPrepaymentRow(
                bond_id=row.id, due_date=on, amount=amount, document=document.strip(),
                created_at=utc_now(), created_by=ctx.actor.name,
            )
        )  # fmt: skip
        session.flush()
        session.refresh(row)
        record_history(session, ctx, "fund_source", row.code, "prepayment",
                       {"date": on.isoformat(), "amount": str(amount)}, document.strip())  # fmt: skip
        return source_view(row)


def list_sources(ctx: Context) -> list[SourceView]:
    with reading(ctx.engine) as session:
        return [source_view(r) for r in session.scalars(select(FundSourceRow).order_by(FundSourceRow.code))]
