"""Tables of funds: sources (special bonds and fiscal funds), projects and their parcels, expected prices,
the append-only double-entry ledger (accounts, entries, postings) and budget lines.

Ledger rows are never updated or deleted: a session that tries is stopped before it flushes
(see :func:`_refuse_ledger_changes`), and plain SQL is refused by database triggers (migration
``0005_append_only``); a correction is a new reversing entry.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from ..errors import IntegrityError
from .base import Base
from .types import ExactDecimal


class FundSourceRow(Base):
    """A source of funds: a land-reserve special bond (with its terms) or an amount of fiscal funds."""

    __tablename__ = "fund_sources"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    name: Mapped[str | None] = mapped_column(Text)
    amount: Mapped[Decimal] = mapped_column(ExactDecimal)
    issue_date: Mapped[date | None] = mapped_column(Date)
    term_years: Mapped[int | None] = mapped_column(Integer)
    coupon_percent: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    repayment: Mapped[str | None] = mapped_column(String(20))
    interest_frequency: Mapped[str | None] = mapped_column(String(20))
    #: "3:20,4:20,5:60" — year of the term : percent of principal (repayment "shares")
    repayment_shares: Mapped[str | None] = mapped_column(Text)
    #: the N of an N+M callable bond (term_years = N + M)
    call_after_years: Mapped[int | None] = mapped_column(Integer)
    issue_cost: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    document: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    prepayments: Mapped[list[FundBondPrepaymentRow]] = relationship(
        order_by="FundBondPrepaymentRow.due_date", viewonly=True
    )


class FundProjectRow(Base):
    """A project: parcels of one approved plan version, financed by one or more special bonds.

    ``bond_id`` is the project's first bond and ``financing`` the total over all its bonds; each bond with
    its own share is a :class:`FundProjectBondRow` (``bonds``, in the order the project lists them).
    """

    __tablename__ = "fund_projects"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str | None] = mapped_column(Text)
    bond_id: Mapped[int] = mapped_column(ForeignKey("fund_sources.id"), index=True)
    plan_version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id"))
    financing: Mapped[Decimal] = mapped_column(ExactDecimal)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    bond: Mapped[FundSourceRow] = relationship()
    parcels: Mapped[list[FundProjectParcelRow]] = relationship(order_by="FundProjectParcelRow.id")
    bonds: Mapped[list[FundProjectBondRow]] = relationship(order_by="FundProjectBondRow.position")


class FundProjectBondRow(Base):
    """One bond financing a project, with the part of the bond that is the project's (``financing``)."""

    __tablename__ = "fund_project_bonds"
    __table_args__ = (UniqueConstraint("project_id", "bond_id", name="uq_fund_project_bonds_pair"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("fund_projects.id"), index=True)
    bond_id: Mapped[int] = mapped_column(ForeignKey("fund_sources.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    financing: Mapped[Decimal] = mapped_column(ExactDecimal)
    bond: Mapped[FundSourceRow] = relationship()


class FundBondPrepaymentRow(Base):
    """A partial early repayment (提前偿还部分本金) of a bond on one of its interest dates."""

    __tablename__ = "fund_bond_prepayments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bond_id: Mapped[int] = mapped_column(ForeignKey("fund_sources.id"), index=True)
    due_date: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(ExactDecimal)
    document: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(100))


class FundProjectRecordRow(Base):
    """A project record as published (实施方案 / 融资平衡方案), kept as read: its financing plan, cost
    estimate, expected income with its basis and the stated coverage ratio (``content`` is its canonical
    JSON, decimals as strings). A changed record is a new revision; the newest counts."""

    __tablename__ = "fund_project_records"
    __table_args__ = (UniqueConstraint("project_code", "revision", name="uq_fund_project_records_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_code: Mapped[str] = mapped_column(String(100), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    content_sha256: Mapped[str] = mapped_column(String(64))
    source_name: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(100))


class FundProjectParcelRow(Base):
    """A parcel of a project (a parcel belongs to one project at most), with its use and expected supply year."""

    __tablename__ = "fund_project_parcels"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("fund_projects.id"), index=True)
    parcel_code: Mapped[str] = mapped_column(String(100), unique=True)
    plan_parcel_id: Mapped[int] = mapped_column(ForeignKey("plan_parcels.id"))
    area_m2: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    use: Mapped[str | None] = mapped_column(String(100))
    supply_year: Mapped[int | None] = mapped_column(Integer)


class FundPriceRow(Base):
    """An expected land price per use of a project (元/㎡) with its basis; the newest row of a use counts."""

    __tablename__ = "fund_prices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("fund_projects.id"), index=True)
    use: Mapped[str] = mapped_column(String(100))
    price_per_m2: Mapped[Decimal] = mapped_column(ExactDecimal)
    basis: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(100))


class FundAccountRow(Base):
    """A ledger account (see ``domain.funds.ledger.Account``); ``key`` is its canonical identity."""

    __tablename__ = "fund_accounts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    source_code: Mapped[str] = mapped_column(String(100), index=True)
    project_code: Mapped[str] = mapped_column(String(100))
    parcel_code: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(40))


class FundEntryRow(Base):
    """One transaction of the ledger, with what it is about and the document that supports it."""

    __tablename__ = "fund_entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    value_date: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(ExactDecimal)
    source_code: Mapped[str] = mapped_column(String(100), index=True)
    project_code: Mapped[str] = mapped_column(String(100))
    parcel_code: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(40))
    document: Mapped[str] = mapped_column(Text)
    memo: Mapped[str] = mapped_column(Text)
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("fund_entries.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    postings: Mapped[list[FundPostingRow]] = relationship(order_by="FundPostingRow.id")


class FundPostingRow(Base):
    """One line of an entry: an amount (debit positive, credit negative) on an account."""

    __tablename__ = "fund_postings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("fund_entries.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("fund_accounts.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(ExactDecimal)
    account: Mapped[FundAccountRow] = relationship()


class FundBudgetLineRow(Base):
    """A budget line (政府性基金预算) of a project for a year and category; the newest row of a key counts."""

    __tablename__ = "fund_budget_lines"
    __table_args__ = (
        UniqueConstraint("project_id", "year", "category", "revision", name="uq_fund_budget_lines_key"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("fund_projects.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(40))  # "" = all categories
    revision: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(ExactDecimal)
    document: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(100))


APPEND_ONLY = (FundEntryRow, FundPostingRow, FundAccountRow)


@event.listens_for(Session, "before_flush")
def _refuse_ledger_changes(session: Session, _context, _instances) -> None:
    """The ledger is append-only: stop any update or delete of an entry, posting or account."""
    changed = [o for o in session.dirty if isinstance(o, APPEND_ONLY) and session.is_modified(o)]
    removed = [o for o in session.deleted if isinstance(o, APPEND_ONLY)]
    if changed or removed:
        raise IntegrityError(
            "资金台账只能追加，不能修改或删除已记账的分录；更正请录入冲销分录（landreserve funds reverse）",
            code="funds.ledger_append_only",
        )
