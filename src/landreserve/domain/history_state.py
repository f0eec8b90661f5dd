"""What the history says the current tables hold, and where the tables say otherwise.

Every history entry carries the fingerprints of the current-state rows its change wrote
(``ChainEntry.rows``: ``{table: {row id: fingerprint}}``, ``None`` for a row the change deleted). Replaying
the chain in order gives, for every row, the fingerprint of its last recorded write; comparing that with
the fingerprints of the rows as they are now names every row changed, added or deleted outside the
program (a direct ``UPDATE … SET state=…``, an edited area or amount, an inserted row, a deleted one).

A fingerprint maps each column (the row id excluded) to a short canonical text: numbers and decimals by
value, dates in ISO form, booleans as ``true``/``false``; long texts, binary values and JSON documents by a
SHA-256 prefix, so that an entry stays small but any change of them is still seen.

Rows written in bulk (a plan's figures, parcels and findings) are recorded by a digest per table and batch
instead (``ChainEntry.digests``, ``domain.history_digest``): they are compared by that digest, and row by row
only when it differs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from .history import ChainEntry
from .history_digest import Batch, check_batch

#: texts up to this length are kept as they are in a fingerprint (longer ones by their hash)
SHORT_TEXT = 48

Fingerprint = dict[str, str | None]


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()[:32]


def canonical_value(value: object) -> str | None:
    """One column value as fingerprint text (the same value read from either database gives the same text)."""
    if type(value) is str:  # the common cases first (exact types: a subclass takes the general way)
        return value if len(value) <= SHORT_TEXT else _digest(value.encode("utf-8"))
    if type(value) is int:
        return str(value)
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return _digest(bytes(value))
    if isinstance(value, dict | list | tuple):
        text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
        return "json:" + _digest(text.encode("utf-8"))
    text = str(value)
    return text if len(text) <= SHORT_TEXT else _digest(text.encode("utf-8"))


def fingerprint(row: Mapping[str, object], key: str = "id") -> Fingerprint:
    """The fingerprint of one row (column → canonical text), its key column ``key`` left out."""
    return {name: canonical_value(value) for name, value in row.items() if name != key}


def fingerprint_of(names: Sequence[str], values: Sequence[object], key: str = "id") -> Fingerprint:
    """``fingerprint`` of a row given as its column names and its values (a database row as a tuple)."""
    return {name: canonical_value(value) for name, value in zip(names, values, strict=True) if name != key}


@dataclass(frozen=True)
class Expected:
    """What the chain last recorded for one row: its fingerprint and the entry that wrote it."""

    fingerprint: Fingerprint
    seq: int


@dataclass(frozen=True, slots=True)
class Digested:
    """A row the chain last recorded in a bulk :class:`~landreserve.domain.history_digest.Batch`."""

    batch: Batch
    position: int

    @property
    def seq(self) -> int:
        return self.batch.seq


Recorded = Expected | Digested


def apply(state: dict[tuple[str, str], Recorded], entry: ChainEntry) -> None:
    """Replay one entry: the rows it recorded now hold its fingerprints (a deleted row is dropped); rows it
    wrote in bulk are held by its batches (applied first: a fingerprint of the same entry is newer)."""
    if isinstance(entry.digests, Mapping):
        for table, batches in entry.digests.items():
            for data in batches if isinstance(batches, list) else ():
                try:
                    batch = Batch.from_dict(str(table), data, entry.seq)
                except (KeyError, TypeError, ValueError):
                    continue  # a mangled record: its rows show as unrecorded (and the entry's hash breaks)
                for position, row_id in enumerate(batch.ids):
                    state[(batch.table, row_id)] = Digested(batch, position)
    if not isinstance(entry.rows, Mapping):
        return
    for table, rows in entry.rows.items():
        if not isinstance(rows, Mapping):
            continue
        for row_id, value in rows.items():
            if value is None:
                state.pop((table, str(row_id)), None)
            else:
                state[(table, str(row_id))] = Expected(dict(value), entry.seq)


def replay(entries: Iterable[ChainEntry]) -> dict[tuple[str, str], Recorded]:
    """(table, row id) → the last record of the row, over the chain in order (deleted rows dropped)."""
    state: dict[tuple[str, str], Recorded] = {}
    for entry in entries:
        apply(state, entry)
    return state


@dataclass(frozen=True)
class TableRows:
    """The rows of one current-state table as read: column names, the key column, row id → values."""

    names: tuple[str, ...]
    key: str
    rows: Mapping[str, Sequence[object]]

    def fingerprint(self, row_id: str) -> Fingerprint:
        return fingerprint_of(self.names, self.rows[row_id], self.key)


#: kinds of difference
CHANGED = "changed"
UNRECORDED = "unrecorded"
DELETED = "deleted"


@dataclass(frozen=True)
class Difference:
    """One row of a current-state table that is not what the history implies."""

    table: str
    row_id: str
    kind: str  # changed | unrecorded | deleted
    label: str  # what identifies the row for a person (e.g. ``code=BC-CB2026001``)
    fields: tuple[tuple[str, str | None, str | None], ...] = ()  # (column, recorded, now)
    seq: int | None = None  # the entry that last recorded the row
    #: recorded by a bulk batch's digest (``domain.history_digest``): ``fields`` name the changed columns,
    #: with their current values only (the recorded values are not kept)
    digest: bool = False
    #: the rows of a batch whose digest differs though no row's short hash does (the batch is named)
    batch_rows: int = 0
    #: the columns changed in the row's batch, when several of its rows differ (not told apart per row)
    batch_columns: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        """Chinese, naming the table, the row and each differing column."""
        row = f"表 {self.table} 第 {self.row_id} 行" + (f"（{self.label}）" if self.label else "")
        if self.batch_rows:
            return (
                f"表 {self.table} 自第 {self.row_id} 行起批量写入的 {self.batch_rows} 行与历史记录第 {self.seq} 条"
                "记下的摘要不符（在本系统之外被修改）"
            )
        if self.digest:
            if self.batch_columns:
                changes = "：本批被改的列为 " + "、".join(self.batch_columns)
            elif self.fields:
                changes = "：被改的列 " + "；".join(
                    f"{name} 表中为“{_shown(now)}”" for name, _, now in self.fields
                )
            else:
                changes = ""
            return f"{row}：与历史记录第 {self.seq} 条记下的摘要不符（在本系统之外被修改）{changes}" + (
                "（批量写入的行只记摘要，不记原值）" if changes else ""
            )
        if self.kind == UNRECORDED:
            return f"{row}：历史记录中没有写入这一行的记录（在本系统之外插入，或其历史记录被删除）"
        if self.kind == DELETED:
            return f"{row}：历史记录第 {self.seq} 条写入了这一行，但表中已没有它（在本系统之外被删除）"
        changes = "；".join(
            f"{name} 历史记录为“{_shown(recorded)}”，表中为“{_shown(now)}”"
            for name, recorded, now in self.fields
        )
        return f"{row}：与历史记录第 {self.seq} 条不符（在本系统之外被修改）：{changes}"


def _shown(value: str | None) -> str:
    return "空" if value is None else value


def compare(
    expected: Mapping[tuple[str, str], Recorded],
    actual: Mapping[str, TableRows],
    label_columns: Mapping[str, tuple[str, ...]] | None = None,
) -> list[Difference]:
    """Every row whose table content differs from the replayed history, by table and row id.

    ``actual`` holds the current rows of each current-state table; ``label_columns`` name, per table, the
    columns that identify a row for a person (e.g. ``code``).
    """
    label_columns = label_columns or {}

    def label(table: str, fp: Mapping[str, str | None]) -> str:
        return "，".join(f"{c}={fp[c]}" for c in label_columns.get(table, ()) if fp.get(c) is not None)

    found: list[Difference] = []
    digested: dict[int, tuple[Batch, dict[int, str]]] = {}  # id(batch) → (batch, position → row id)
    for table, current in actual.items():
        for row_id in current.rows:
            recorded = expected.get((table, row_id))
            if recorded is None:
                found.append(Difference(table, row_id, UNRECORDED, label(table, current.fingerprint(row_id))))
            elif type(recorded) is Digested:
                digested.setdefault(id(recorded.batch), (recorded.batch, {}))[1][recorded.position] = row_id
            else:
                assert isinstance(recorded, Expected)
                now = current.fingerprint(row_id)
                fields = tuple(
                    (name, recorded.fingerprint.get(name), now.get(name))
                    for name in sorted(set(recorded.fingerprint) | set(now))
                    if recorded.fingerprint.get(name) != now.get(name)
                )
                if fields:
                    found.append(Difference(table, row_id, CHANGED, label(table, now), fields, recorded.seq))
    for batch, present in digested.values():
        found += _batch_differences(batch, present, actual[batch.table], label)
    for (table, row_id), recorded in expected.items():
        current_rows = actual.get(table)
        if current_rows is None or row_id not in current_rows.rows:
            fp = recorded.fingerprint if isinstance(recorded, Expected) else {}
            found.append(Difference(table, row_id, DELETED, label(table, fp), (), recorded.seq))
    return sorted(found, key=lambda d: (d.table, _numeric(d.row_id), d.kind))


def _batch_differences(
    batch: Batch, present: Mapping[int, str], current: TableRows, label: Callable[[str, Fingerprint], str]
) -> list[Difference]:
    """The rows of ``batch`` (position → row id of the rows still recorded last by it) that differ."""
    at = {name: i for i, name in enumerate(current.names)}
    wanted = [at.get(c) for c in batch.columns]
    extra = [i for name, i in at.items() if name != current.key and name not in batch.columns]
    values: dict[int, list[object]] = {}
    added: dict[int, tuple[str, ...]] = {}  # columns the batch did not have, filled since
    for position, row_id in present.items():
        row = current.rows[row_id]
        values[position] = [None if i is None else row[i] for i in wanted]
        filled = tuple(current.names[i] for i in extra if row[i] is not None)
        if filled:
            added[position] = filled
    check = check_batch(batch, values, whole=len(present) == len(batch.ids))
    changed = set(check.changed) | set(added)
    if not check.intact and not changed:  # the digest differs, yet no row hash does: name the batch
        first = min(present)
        return [Difference(batch.table, present[first], CHANGED, "", (), batch.seq, True, len(batch.ids))]
    found = []
    single = len(check.changed) == 1
    for position in sorted(changed):
        row_id = present[position]
        now = current.fingerprint(row_id)
        columns = (*(check.columns if single else ()), *added.get(position, ()))
        fields = tuple((c, None, now.get(c)) for c in dict.fromkeys(columns))
        found.append(Difference(
            batch.table, row_id, CHANGED, label(batch.table, now), fields, batch.seq, digest=True,
            batch_columns=() if single else check.columns,
        ))  # fmt: skip
    return found


def _numeric(row_id: str) -> tuple[int, str]:
    return (int(row_id), "") if row_id.isdigit() else (0, row_id)
