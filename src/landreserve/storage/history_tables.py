"""The append-only, hash-chained history log (who, which department, when, before/after, evidence)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

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
