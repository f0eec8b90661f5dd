"""Tables of the reserve register: parcels (optimistically locked), their state changes and evidence,
and the facts of plan parcels that a plan text does not state (use, zone, stock …)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .types import ExactDecimal


class ReserveParcelRow(Base):
    """A parcel in the reserve register. ``row_version`` is checked on every UPDATE (optimistic lock)."""

    __tablename__ = "reserve_parcels"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    location: Mapped[str | None] = mapped_column(Text)
    area_m2: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    land_use: Mapped[str | None] = mapped_column(String(100))
    zone: Mapped[str | None] = mapped_column(String(100))
    source: Mapped[str | None] = mapped_column(String(30))
    stock: Mapped[bool | None] = mapped_column(Boolean)
    condition: Mapped[str | None] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), index=True)
    state_since: Mapped[date] = mapped_column(Date)
    #: the plan version and plan parcel the parcel was created from (none for a parcel added one by one)
    plan_version_id: Mapped[int | None] = mapped_column(ForeignKey("plan_versions.id"))
    plan_parcel_id: Mapped[int | None] = mapped_column(ForeignKey("plan_parcels.id"))
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    supply_method: Mapped[str | None] = mapped_column(String(20))
    supply_date: Mapped[date | None] = mapped_column(Date)
    supply_contract_no: Mapped[str | None] = mapped_column(String(200))
    supply_price: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    row_version: Mapped[int] = mapped_column(Integer, nullable=False)
    events: Mapped[list[ParcelEventRow]] = relationship(
        order_by="ParcelEventRow.seq", back_populates="parcel"
    )
    evidence: Mapped[list[EvidenceRow]] = relationship(order_by="EvidenceRow.id", back_populates="parcel")

    __mapper_args__ = {"version_id_col": row_version}


class ParcelEventRow(Base):
    """A change of state of a register parcel, effective on ``on``."""

    __tablename__ = "reserve_parcel_events"
    __table_args__ = (UniqueConstraint("parcel_id", "seq", name="uq_reserve_parcel_events_parcel_seq"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parcel_id: Mapped[int] = mapped_column(ForeignKey("reserve_parcels.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    on: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(100))
    department: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    parcel: Mapped[ReserveParcelRow] = relationship(back_populates="events")


class EvidenceRow(Base):
    """A piece of evidence recorded for a register parcel."""

    __tablename__ = "reserve_evidence"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parcel_id: Mapped[int] = mapped_column(ForeignKey("reserve_parcels.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("reserve_parcel_events.id"))
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str | None] = mapped_column(String(200))
    ref: Mapped[str] = mapped_column(Text)
    on: Mapped[date] = mapped_column(Date)
    confirmed_by: Mapped[str] = mapped_column(String(100))
    start: Mapped[date | None] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    recorded_by: Mapped[str] = mapped_column(String(100))
    parcel: Mapped[ReserveParcelRow] = relationship(back_populates="evidence")


class PlanParcelFactsRow(Base):
    """What a plan version says (or was told) of one of its parcels beyond the text: use, zone, stock …"""

    __tablename__ = "plan_parcel_facts"
    plan_parcel_id: Mapped[int] = mapped_column(ForeignKey("plan_parcels.id"), primary_key=True)
    land_use: Mapped[str | None] = mapped_column(String(100))
    zone: Mapped[str | None] = mapped_column(String(100))
    stock: Mapped[bool | None] = mapped_column(Boolean)
    condition: Mapped[str | None] = mapped_column(String(20))
    source: Mapped[str | None] = mapped_column(String(30))
