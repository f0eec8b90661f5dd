"""Tables of stored plans (a plan, its versions, each version's figures, parcels, findings) and their queries."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from .base import Base
from .bulk import Columns, insert_columns
from .types import ExactDecimal


class PlanRow(Base):
    """A plan: one jurisdiction, year and kind (its versions hold the content)."""

    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_key: Mapped[str] = mapped_column(String(300), unique=True)
    jurisdiction: Mapped[str | None] = mapped_column(String(100))
    year: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str | None] = mapped_column(Text)
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
    source_name: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    doc_number: Mapped[str | None] = mapped_column(Text)
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
    label: Mapped[str] = mapped_column(Text)
    value: Mapped[str] = mapped_column(Text)
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
    code: Mapped[str] = mapped_column(Text, index=True)
    code_as_written: Mapped[str] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(Text)
    area_m2: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    area_text: Mapped[str | None] = mapped_column(Text)  # as written, e.g. "4.0254公顷"
    use: Mapped[str | None] = mapped_column(Text)
    land_use_gb2017: Mapped[str | None] = mapped_column(Text)
    land_use_gb2023: Mapped[str | None] = mapped_column(Text)
    carried_over: Mapped[bool] = mapped_column(Boolean, default=False)
    line: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    #: ``seq`` among the version's figures of the parcel's area as listed, when that figure is what this row
    #: holds (``services.plan_rows``: then it is not stored again in ``plan_figures``; migration 0012)
    area_figure_seq: Mapped[int | None] = mapped_column(Integer)


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


def plan_by_key(session: Session, plan_key: str) -> PlanRow | None:
    """The plan stored under ``plan_key``, or ``None``."""
    return session.scalars(select(PlanRow).where(PlanRow.plan_key == plan_key)).one_or_none()


def version_by_content(session: Session, content_sha256: str) -> PlanVersionRow | None:
    """The first stored version whose document hashes to ``content_sha256``, or ``None``."""
    query = select(PlanVersionRow).where(PlanVersionRow.content_sha256 == content_sha256)
    return session.scalars(query.order_by(PlanVersionRow.id).limit(1)).one_or_none()


def latest_version(session: Session, plan_id: int) -> PlanVersionRow | None:
    """The version of a plan with the highest number, or ``None`` for a plan without versions."""
    query = select(PlanVersionRow).where(PlanVersionRow.plan_id == plan_id)
    return session.scalars(query.order_by(PlanVersionRow.version.desc()).limit(1)).one_or_none()


def insert_figures(session: Session, version_id: int, columns: Columns) -> None:
    """Insert a version's figures, given column by column (without ``version_id``), in order."""
    _insert_many(session, PlanFigureRow, version_id, columns)


def insert_parcels(session: Session, version_id: int, columns: Columns) -> None:
    """Insert a version's parcel list, given column by column (without ``version_id``)."""
    _insert_many(session, PlanParcelRow, version_id, columns)


def insert_findings(session: Session, version_id: int, columns: Columns) -> None:
    """Insert a version's audit findings, given column by column (without ``version_id``)."""
    _insert_many(session, PlanFindingRow, version_id, columns)


def _insert_many(session: Session, table: type[Base], version_id: int, columns: Columns) -> None:
    # One statement for all rows, in the session's transaction: a 10,000-parcel plan must not cost 10,000
    # ORM round trips, nor the ORM's bulk bookkeeping per row. The rows pass by the ORM's flush: the history
    # entry of the import records them by a batch digest computed from the values as written
    # (``storage.bulk``, ``domain.history_digest``); nothing is read back.
    insert_columns(session, table.__table__, columns, same={"version_id": version_id})


def finding_counts(session: Session, version_ids: list[int]) -> dict[int, dict[str, int]]:
    """Number of findings per version and severity: ``{version_id: {"error": 2, "warning": 1}}``."""
    counts: dict[int, dict[str, int]] = {vid: {} for vid in version_ids}
    if not version_ids:
        return counts
    query = (
        select(PlanFindingRow.version_id, PlanFindingRow.severity, func.count())
        .where(PlanFindingRow.version_id.in_(version_ids))
        .group_by(PlanFindingRow.version_id, PlanFindingRow.severity)
    )
    for version_id, severity, n in session.execute(query):
        counts[version_id][severity] = n
    return counts


def table_row_counts(session: Session) -> dict[str, int]:
    """Rows in every plan table (used to prove that a refused import wrote nothing)."""
    tables = (PlanRow, PlanVersionRow, PlanFigureRow, PlanParcelRow, PlanFindingRow)
    return {t.__tablename__: session.scalar(select(func.count()).select_from(t)) for t in tables}
