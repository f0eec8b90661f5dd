"""The history log: append an entry inside the caller's transaction, read an entity's timeline, verify the chain.

Any area (register, plans, funds) logs its changes with ``record(session, actor, ...)`` in the same
transaction as the change itself, so a change and its history entry commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from ..domain.actors import Actor
from ..domain.history import GENESIS, ChainEntry, Verification, plain, seal, verify_chain
from ..domain.permissions import require_for_history
from ..errors import InputError
from ..storage.db import reading
from ..storage.history_tables import HistoryEntryRow
from .clock import utc_now
from .context import Context

#: key of the PostgreSQL advisory lock that serialises appends to the chain (held until commit)
CHAIN_LOCK_KEY = 0x4C52_4849_5354  # "LRHIST"


def _lock_chain(session: Session) -> None:
    """Serialise appenders: a transaction-scoped advisory lock on PostgreSQL (it does not block
    TRUNCATE or readers); on SQLite every write transaction already starts with BEGIN IMMEDIATE."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})


def _entry(row: HistoryEntryRow) -> ChainEntry:
    return ChainEntry(
        row.seq, row.at.isoformat(), row.actor, row.department, row.entity_type, row.entity_id, row.action,
        row.before, row.after, row.evidence, row.prev_hash, row.hash,
    )  # fmt: skip


def record(
    session: Session,
    actor: Actor,
    entity_type: str,
    entity_id: str | int,
    action: str,
    before: object = None,
    after: object = None,
    evidence: object = None,
) -> ChainEntry:
    """Append one entry to the history log, in the caller's transaction.

    Parameters
    ----------
    session
        The session of the change being logged (the entry commits or rolls back with it).
    actor
        Who acts, and for which department.
    entity_type, entity_id
        What changed, e.g. ``"parcel"``, ``"BC-CB2026001"``; ``"fund_payment"``, ``17``.
    action
        What happened, e.g. ``"parcel.transition"``.
    before, after, evidence
        JSON-able values (decimals and dates are stored as strings; floats are refused).

    Returns
    -------
    ChainEntry
        The entry with its ``seq`` and ``hash``.

    Raises
    ------
    PermissionDenied
        The actor's department may not do ``action`` (``domain.permissions``); the caller's transaction
        rolls back, so the refused change writes nothing.
    """
    require_for_history(actor, entity_type, action)
    _lock_chain(session)
    head = session.execute(
        select(HistoryEntryRow.seq, HistoryEntryRow.hash).order_by(HistoryEntryRow.seq.desc()).limit(1)
    ).first()
    at = utc_now()
    sealed = seal(
        ChainEntry(
            seq=head.seq + 1 if head else 1, at=at.isoformat(), actor=actor.name, department=actor.department,
            entity_type=entity_type, entity_id=str(entity_id), action=action, before=plain(before),
            after=plain(after), evidence=plain(evidence if evidence is not None else []),
            prev_hash=head.hash if head else GENESIS,
        )
    )  # fmt: skip
    fields = {**sealed.to_dict(), "at": at}  # the row keeps the time as a timestamp
    session.add(HistoryEntryRow(**fields))
    session.flush()
    return sealed


def timeline(session: Session, entity_type: str, entity_id: str | int) -> list[ChainEntry]:
    """Every entry about one entity, oldest first."""
    rows = session.scalars(
        select(HistoryEntryRow)
        .where(HistoryEntryRow.entity_type == entity_type, HistoryEntryRow.entity_id == str(entity_id))
        .order_by(HistoryEntryRow.seq)
    )
    return [_entry(r) for r in rows]


def _chain(session: Session) -> Iterator[ChainEntry]:
    rows = session.scalars(
        select(HistoryEntryRow).order_by(HistoryEntryRow.seq, HistoryEntryRow.id)
    ).yield_per(1000)
    return map(_entry, rows)


def parse_anchor(value: str | None) -> tuple[int, str] | None:
    """Read an anchor ``SEQ:HASH`` (as printed by ``verify-log``)."""
    if not value:
        return None
    seq, sep, digest = value.partition(":")
    if not sep or not seq.strip().isdigit() or len(digest.strip()) != 64:
        raise InputError(
            f"锚点“{value}”格式不对，应为“序号:64位哈希”，即 verify-log 上次输出的末条记录",
            code="input.anchor",
        )
    return int(seq), digest.strip().lower()


def verify(ctx: Context, anchor: tuple[int, str] | None = None) -> Verification:
    """Recompute the whole chain; the result names the first broken entry, if any.

    ``anchor`` — ``(seq, hash)`` of an entry noted earlier outside the database — also detects a log
    whose tail was deleted or rewritten from some point on.
    """
    with reading(ctx.engine) as session:
        return verify_chain(_chain(session), anchor)
