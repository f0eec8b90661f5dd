"""The history log: append an entry inside the caller's transaction, read an entity's timeline, verify the
chain and the current tables against it.

Any area (register, plans, funds) logs its changes with ``record(session, actor, ...)`` in the same
transaction as the change itself, so a change and its history entry commit together or not at all. Each
entry carries the fingerprints of the current-state rows written since the previous entry of the session
(``storage.history_tables.STATE_TABLES``: noted on every ORM flush), and a digest per table of the rows the
bulk inserts wrote (``domain.history_digest``, computed from the values as written), so that ``verify`` can
replay the chain and name every row edited, added or deleted outside the program.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, insert, inspect, select, text
from sqlalchemy.orm import Session

from ..domain.actors import Actor
from ..domain.history import GENESIS, Break, ChainEntry, Verification, plain, seal, verify_chain
from ..domain.history_state import (
    Fingerprint,
    Recorded,
    TableRows,
    apply,
    compare,
    fingerprint,
    fingerprint_of,
)
from ..domain.permissions import require_for_history
from ..errors import InputError
from ..storage.all_tables import metadata
from ..storage.db import reading
from ..storage.history_tables import STATE_TABLES, HistoryEntryRow, take_batches, take_written
from .clock import utc_now
from .context import Context

#: key of the PostgreSQL advisory lock that serialises appends to the chain (held until commit)
CHAIN_LOCK_KEY = 0x4C52_4849_5354  # "LRHIST"


def _lock_chain(session: Session) -> None:
    """Serialise appenders: a transaction-scoped advisory lock on PostgreSQL (it does not block
    TRUNCATE or readers); on SQLite every write transaction already starts with BEGIN IMMEDIATE."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})


def _entry(row) -> ChainEntry:
    """The chain entry of a stored row (an ORM ``HistoryEntryRow`` or a plain row of its table)."""
    return ChainEntry(
        row.seq, row.at.isoformat(), row.actor, row.department, row.entity_type, row.entity_id, row.action,
        row.before, row.after, row.evidence, row.prev_hash, row.hash, row.rows, row.digests,
    )  # fmt: skip


def _key_column(table: str):
    [column] = metadata.tables[table].primary_key.columns
    return column


def _fingerprints(
    connection: Connection, table: str, ids: Iterable[str] | None = None
) -> Iterator[tuple[str, Fingerprint]]:
    """(row id, fingerprint) of the named rows of ``table`` (all rows when ``ids`` is None)."""
    columns = metadata.tables[table]
    key = _key_column(table)
    if ids is None:  # the baseline of migration 0009: only the columns the table has at that revision
        present = {c["name"] for c in inspect(connection).get_columns(table)}
        query = select(*(c for c in columns.columns if c.name in present)).order_by(key)
        for row in connection.execute(query).mappings():
            yield str(row[key.name]), fingerprint(row, key.name)
        return
    wanted = sorted(ids, key=lambda v: (len(v), v))
    for start in range(0, len(wanted), 500):
        chunk = [key.type.python_type(v) for v in wanted[start : start + 500]]
        result = connection.execute(select(columns).where(key.in_(chunk)))
        names = list(result.keys())
        at = names.index(key.name)
        for values in result:  # plain tuples: a mapping per row costs more than its fingerprint
            yield str(values[at]), fingerprint_of(names, values, key.name)


def _written_rows(session: Session) -> dict | None:
    """Fingerprints of the rows written since the last entry of this session (``None`` for a deleted row)."""
    written = take_written(session)
    if not written:
        return None
    connection = session.connection()
    rows: dict[str, dict[str, Fingerprint | None]] = {}
    for table in sorted(written):
        found = dict(_fingerprints(connection, table, written[table]))
        rows[table] = {
            row_id: found.get(row_id) for row_id in sorted(written[table], key=lambda v: (len(v), v))
        }
    return rows


def _written_batches(session: Session) -> dict | None:
    """The records of the rows written in bulk since the last entry, ``{table: [batch, …]}``."""
    batches = take_batches(session)
    if not batches:
        return None
    digests: dict[str, list[dict]] = {}
    for batch in batches:
        digests.setdefault(batch.table, []).append(batch.to_dict())
    return dict(sorted(digests.items()))


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
    session.flush()
    rows = _written_rows(session)
    digests = _written_batches(session)
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
            prev_hash=head.hash if head else GENESIS, rows=rows, digests=digests,
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
    seq, sep, digest = value.strip().partition(":")
    digest = digest.strip().split()[0] if digest.strip() else ""
    if (
        not sep
        or not seq.strip().isdigit()
        or len(digest) != 64
        or any(c not in "0123456789abcdefABCDEF" for c in digest)
    ):
        raise InputError(
            f"锚点“{value}”格式不对，应为“序号:64位哈希”，即 verify-log 上次输出的末条记录",
            code="input.anchor",
        )
    return int(seq), digest.lower()


def read_anchor_file(path: Path) -> list[tuple[int, str]]:
    """The heads kept in an anchor file: one ``序号:哈希`` per line (anything after it on the line, such as
    the date it was published, is ignored; empty lines and lines starting with ``#`` too)."""
    try:
        text_ = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"锚点文件“{path}”不是 UTF-8 文本", code="input.anchor") from None
    anchors = []
    for number, line in enumerate(text_.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            anchor = parse_anchor(line.split()[0])
        except InputError:
            raise InputError(
                f"锚点文件“{path}”第 {number} 行“{line[:80]}”格式不对，应为“序号:64位哈希 日期”",
                code="input.anchor",
            ) from None
        if anchor:
            anchors.append(anchor)
    return anchors


def append_anchor(path: Path, result: Verification) -> bool:
    """Add the chain's head (with today's date) to an anchor file unless it is already its last line."""
    if result.head_seq is None:
        return False
    kept = read_anchor_file(path) if path.exists() else []
    if kept and kept[-1] == (result.head_seq, result.head_hash):
        return False
    with path.open("a", encoding="utf-8") as out:
        if not kept and path.stat().st_size == 0:
            out.write("# landreserve 历史记录链头：序号:哈希 日期（每行一条，请勿修改；可打印在年报中）\n")
        out.write(f"{result.head_seq}:{result.head_hash} {datetime.now(UTC).date().isoformat()}\n")
    return True


class _Replay:
    """Feeds the chain to ``verify_chain`` and, on the way, replays the rows each entry recorded and checks
    that row ids grow with ``seq`` (an entry put back into the middle of the chain later has a larger id)."""

    def __init__(self, session: Session):
        table = HistoryEntryRow.__table__  # plain rows, not ORM objects: the replay only reads them
        self.rows = session.execute(select(table).order_by(table.c.seq, table.c.id)).yield_per(1000)
        self.state: dict[tuple[str, str], Recorded] = {}
        self.out_of_order: Break | None = None

    def __iter__(self) -> Iterator[ChainEntry]:
        last_id = None
        for position, row in enumerate(self.rows, start=1):
            entry, row_id = _entry(row), row.id
            if last_id is not None and row_id < last_id and self.out_of_order is None:
                self.out_of_order = Break(
                    entry.seq, position, "写入顺序与序号不符（该条之前的记录是后来写入的）：日志被改写过"
                )
            last_id = row_id
            apply(self.state, entry)
            yield entry


def state_tables(connection: Connection) -> list[str]:
    """The current-state tables present in this database."""
    present = set(inspect(connection).get_table_names())
    return [t for t in STATE_TABLES if t in present and t in metadata.tables]


def current_rows(connection: Connection) -> dict[str, TableRows]:
    """Every row of every current-state table, as read (fingerprints are made only where compared)."""
    found = {}
    for table in state_tables(connection):
        key = _key_column(table)
        result = connection.execute(select(metadata.tables[table]).order_by(key))
        names = tuple(result.keys())
        at = names.index(key.name)
        found[table] = TableRows(names, key.name, {str(values[at]): tuple(values) for values in result})
    return found


def verify(ctx: Context, anchor: tuple[int, str] | Iterable[tuple[int, str]] | None = None) -> Verification:
    """Recompute the whole chain, replay it, and compare what it implies with every current-state table.

    The result names the first broken entry, if any, and every row that differs from its last recorded
    write (changed, added or deleted outside the program). ``anchor`` — ``(seq, hash)`` of entries noted
    earlier outside the database, one or several — also detects a log whose tail was deleted or rewritten.
    """
    with reading(ctx.engine) as session:
        replay = _Replay(session)
        entries = iter(replay)
        result = verify_chain(entries, anchor)
        for _ in entries:  # a broken chain is still replayed to the end: every differing row is named
            pass
        if result.broken is None and replay.out_of_order is not None:
            result = replace(result, broken=replay.out_of_order)
        differences = compare(replay.state, current_rows(session.connection()), STATE_TABLES)
        return replace(result, differences=tuple(differences))


def head(ctx: Context) -> tuple[int, str, datetime] | None:
    """The chain's last entry (seq, hash, time in UTC), for printing in reports and on the public page:
    a published head is an anchor that a later rewrite of the log contradicts. ``None`` for an empty log."""
    with reading(ctx.engine) as session:
        return head_in(session)


def head_in(session: Session) -> tuple[int, str, datetime] | None:
    """:func:`head`, read in ``session``."""
    row = session.execute(
        select(HistoryEntryRow.seq, HistoryEntryRow.hash, HistoryEntryRow.at)
        .order_by(HistoryEntryRow.seq.desc())
        .limit(1)
    ).first()
    return (row.seq, row.hash, row.at) if row else None


BASELINE_ACTOR = ("landreserve", "system")


def append_baseline(connection: Connection) -> bool:
    """Record the rows already in the current-state tables as one history entry (used by migration 0009:
    rows written before entries carried fingerprints). False when there is nothing to record."""
    rows: dict[str, dict[str, Fingerprint]] = {}
    for table in state_tables(connection):
        found = dict(_fingerprints(connection, table))
        if found:
            rows[table] = found
    if not rows:
        return False
    head = connection.execute(
        select(HistoryEntryRow.seq, HistoryEntryRow.hash).order_by(HistoryEntryRow.seq.desc()).limit(1)
    ).first()
    at = datetime.now(UTC).replace(tzinfo=None)
    sealed = seal(
        ChainEntry(
            seq=head.seq + 1 if head else 1, at=at.isoformat(), actor=BASELINE_ACTOR[0],
            department=BASELINE_ACTOR[1], entity_type="history", entity_id="baseline", action="history.baseline",
            before=None, after={"tables": {t: len(r) for t, r in rows.items()}}, evidence=[],
            prev_hash=head.hash if head else GENESIS, rows=rows,
        )
    )  # fmt: skip
    connection.execute(insert(HistoryEntryRow.__table__), [{**sealed.to_dict(), "at": at}])
    return True
