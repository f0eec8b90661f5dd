"""The append-only, hash-chained history log (who, which department, when, before/after, evidence)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import (
    JSON,
    DateTime,
    Integer,
    String,
    event,
    inspect,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..domain.history_digest import Batch
from .base import Base


class HistoryEntryRow(Base):
    """One entry of the history log; ``hash`` chains it to the entry before (``prev_hash``).

    ``seq`` is the position in the chain (1, 2, …; unique); ``id`` is only the row key. Database
    triggers (migration ``0005_append_only``) refuse UPDATE and DELETE; the chain detects what gets past them.
    """

    __tablename__ = "history_entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(100))
    department: Mapped[str] = mapped_column(String(40))
    entity_type: Mapped[str] = mapped_column(String(40), index=True)
    entity_id: Mapped[str] = mapped_column(String(200), index=True)
    action: Mapped[str] = mapped_column(String(60))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    evidence: Mapped[list | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    #: fingerprints of the current-state rows the change wrote (``domain.history_state``; migration 0009)
    rows: Mapped[dict | None] = mapped_column(JSON)
    #: records of the rows the change wrote in bulk (``domain.history_digest``; migration 0010)
    digests: Mapped[dict | None] = mapped_column(JSON)


#: the current-state tables the history accounts for, each with the columns that name a row for a person.
#: Every write to them goes with a history entry that carries the fingerprints of the rows written, so that
#: ``verify-log`` can replay the chain and compare (``services.history.verify``). Not listed: the history
#: itself, accounts, sessions and login attempts, map layers (reference data).
STATE_TABLES: dict[str, tuple[str, ...]] = {
    "plans": ("plan_key",),
    "plan_versions": ("plan_id", "version", "status"),
    "plan_figures": ("version_id", "label"),
    "plan_parcels": ("version_id", "code"),
    "plan_findings": ("version_id", "code"),
    "plan_parcel_facts": (),
    "plan_publications": ("version_id",),
    "plan_adjustments": ("base_version_id", "status"),
    "reserve_parcels": ("code",),
    "reserve_parcel_events": ("parcel_id", "seq", "to_state"),
    "reserve_evidence": ("parcel_id", "kind", "ref"),
    "evidence_files": ("parcel_code", "file_name"),
    "parcel_geometries": ("code", "version"),
    "fund_sources": ("code",),
    "fund_projects": ("code",),
    "fund_project_bonds": ("project_id", "bond_id", "financing"),
    "fund_project_records": ("project_code", "revision"),
    "fund_bond_prepayments": ("bond_id", "due_date", "amount"),
    "fund_project_parcels": ("parcel_code",),
    "fund_prices": ("project_id", "use"),
    "fund_accounts": ("kind", "source_code", "project_code", "parcel_code"),
    "fund_entries": ("kind", "source_code", "amount"),
    "fund_postings": ("entry_id", "amount"),
    "fund_budget_lines": ("project_id", "year", "category", "revision"),
}

#: ``session.info`` key of the rows written in the session since its last history entry
WRITTEN = "landreserve_history_written"
#: ``session.info`` key of the bulk batches written in the session since its last history entry
BATCHES = "landreserve_history_batches"


def note_written(session: Session, table: str, ids: Iterable[object]) -> None:
    """Remember rows of ``table`` written in this session (the next history entry fingerprints them)."""
    if table in STATE_TABLES:
        session.info.setdefault(WRITTEN, {}).setdefault(table, set()).update(str(i) for i in ids)


def take_written(session: Session) -> dict[str, set[str]]:
    """The rows written since the last history entry (and forget them)."""
    return session.info.pop(WRITTEN, None) or {}


def note_batch(session: Session, batch: Batch) -> None:
    """Remember rows written in bulk (the next history entry records their batch digest)."""
    if batch.table in STATE_TABLES and batch.ids:
        session.info.setdefault(BATCHES, []).append(batch)


def take_batches(session: Session) -> list[Batch]:
    """The batches written since the last history entry (and forget them)."""
    return session.info.pop(BATCHES, None) or []


@event.listens_for(Session, "after_flush")
def _note_flushed(session: Session, _context) -> None:
    """Every ORM insert, update and delete of a current-state row is noted for the next history entry."""
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = getattr(obj, "__table__", None)
        if table is None or table.name not in STATE_TABLES:
            continue
        identity = inspect(obj).identity
        if identity is None:
            identity = tuple(getattr(obj, c.key) for c in table.primary_key.columns)
        note_written(session, table.name, [identity[0]])
