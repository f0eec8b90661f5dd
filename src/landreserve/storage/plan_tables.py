"""Tables of stored plans: a plan, its versions, and each version's figures, parcels and findings."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .types import ExactDecimal


class PlanRow(Base):
    """A plan: one jurisdiction, year and kind (its versions hold the content)."""

    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_key: Mapped[str] = mapped_column(String(300), unique=True)
    jurisdiction: Mapped[str | None] = mapped_column(String(100))
    year: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    versions: Mapped[list[PlanVersionRow]] = relationship(
        back_populates="plan", order_by="PlanVersionRow.version"
    )


class PlanVersionRow(Base):
    """One version of a plan: an imported document, or an approved adjustment of an earlier version."""

    __tablename__ = "plan_versions"
    __table_args__ = (
        UniqueConstraint("plan_id", "version", name="uq_plan_versions_plan_version"),
        UniqueConstraint("plan_id", "content_sha256", name="uq_plan_versions_plan_content"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    version: Mapped[int] = mapped_column(Integer)
    content_sha256: Mapped[str] = mapped_column(String(64))
    source_name: Mapped[str] = mapped_column(String(500))
    title: Mapped[str | None] = mapped_column(String(300))
    doc_number: Mapped[str | None] = mapped_column(String(200))
    #: imported | approved | superseded
    status: Mapped[str] = mapped_column(String(20), default="imported")
    based_on_version_id: Mapped[int | None] = mapped_column(ForeignKey("plan_versions.id"))
    approval_no: Mapped[str | None] = mapped_column(String(200))  # 批准文号
    approved_on: Mapped[date | None] = mapped_column(Date)
    approving_body: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str | None] = mapped_column(String(100))
    line_count: Mapped[int] = mapped_column(Integer, default=0)
    #: the parsed structure (totals, breakdowns, sections) as JSON, for display and reports
    structure: Mapped[dict] = mapped_column(JSON, default=dict)
    plan: Mapped[PlanRow] = relationship(back_populates="versions")
    figures: Mapped[list[PlanFigureRow]] = relationship(order_by="PlanFigureRow.seq")
    parcels: Mapped[list[PlanParcelRow]] = relationship(order_by="PlanParcelRow.seq")
    findings: Mapped[list[PlanFindingRow]] = relationship(order_by="PlanFindingRow.seq")


class PlanFigureRow(Base):
    __tablename__ = "plan_figures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(300))
    value: Mapped[str] = mapped_column(String(64))
    unit: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[str] = mapped_column(String(10))
    base_value: Mapped[Decimal] = mapped_column(ExactDecimal)
    qualifier: Mapped[str | None] = mapped_column(String(20))
    line: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class PlanParcelRow(Base):
    __tablename__ = "plan_parcels"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(100), index=True)
    code_as_written: Mapped[str] = mapped_column(String(100))
    location: Mapped[str | None] = mapped_column(Text)
    area_m2: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    area_text: Mapped[str | None] = mapped_column(String(64))  # as written, e.g. "4.0254公顷"
    use: Mapped[str | None] = mapped_column(String(100))
    land_use_gb2017: Mapped[str | None] = mapped_column(String(100))
    land_use_gb2023: Mapped[str | None] = mapped_column(String(100))
    carried_over: Mapped[bool] = mapped_column(Boolean, default=False)
    line: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class PlanFindingRow(Base):
    __tablename__ = "plan_findings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(100))
    severity: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text)
    lines: Mapped[list] = mapped_column(JSON, default=list)
    values: Mapped[dict] = mapped_column(JSON, default=dict)
