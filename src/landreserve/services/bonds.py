"""Use cases of fund sources: land-reserve special bonds (with their terms) and fiscal funds
(land-sale revenue, 国有土地收益基金, other approved funds), each booked as money raised."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import plausibility
from ..domain.funds import ledger
from ..domain.funds.bonds import BondTerms
from ..domain.funds.ledger import SourceKind
from ..domain.funds.money import money
from ..domain.permissions import Permission
from ..errors import ConflictError, InputError
from ..storage.db import reading
from ..storage.funds_tables import FundSourceRow
from .authorization import requires
from .clock import utc_now
from .context import Context
from .funds import bond_terms, book, check_code, record_history, require_document, source_ref, writing


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
    terms : code, amount (元), issue date, term, coupon, repayment and interest frequency.
    document : the issuance document (e.g. the provincial finance department's 转贷协议).
    """
    with writing(ctx, f"登记专项债券 {terms.code}") as session:
        row = _new_source(session, ctx, terms.code, SourceKind.SPECIAL_BOND, terms.amount, document, name)
        row.issue_date, row.term_years, row.coupon_percent = (
            terms.issue_date,
            terms.term_years,
            terms.coupon_percent,
        )
        row.repayment, row.interest_frequency = terms.repayment.value, terms.interest_frequency.value
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
    plausibility.amount(amount, f"资金来源 {code} 的金额")
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


def list_sources(ctx: Context) -> list[SourceView]:
    with reading(ctx.engine) as session:
        return [source_view(r) for r in session.scalars(select(FundSourceRow).order_by(FundSourceRow.code))]
