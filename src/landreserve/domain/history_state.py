"""What the history says the current tables hold, and where the tables say otherwise.

Every history entry carries the fingerprints of the current-state rows its change wrote
(``ChainEntry.rows``: ``{table: {row id: fingerprint}}``, ``None`` for a row the change deleted). Replaying
the chain in order gives, for every row, the fingerprint of its last recorded write; comparing that with
the fingerprints of the rows as they are now names every row changed, added or deleted outside the
program (a direct ``UPDATE … SET state=…``, an edited area or amount, an inserted row, a deleted one).

A fingerprint maps each column (the row id excluded) to a short canonical text: numbers and decimals by
value, dates in ISO form, booleans as ``true``/``false``; long texts, binary values and JSON documents by a
SHA-256 prefix, so that an entry stays small but any change of them is still seen.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from .history import ChainEntry

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


def apply(state: dict[tuple[str, str], Expected], entry: ChainEntry) -> None:
    """Replay one entry: the rows it recorded now hold its fingerprints (a deleted row is dropped)."""
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


def replay(entries: Iterable[ChainEntry]) -> dict[tuple[str, str], Expected]:
    """(table, row id) → the last recorded fingerprint, over the chain in order (deleted rows dropped)."""
    state: dict[tuple[str, str], Expected] = {}
    for entry in entries:
        apply(state, entry)
    return state


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

    @property
    def message(self) -> str:
        """Chinese, naming the table, the row and each differing column."""
        row = f"表 {self.table} 第 {self.row_id} 行" + (f"（{self.label}）" if self.label else "")
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
    expected: Mapping[tuple[str, str], Expected],
    actual: Mapping[tuple[str, str], Fingerprint],
    label_columns: Mapping[str, tuple[str, ...]] | None = None,
) -> list[Difference]:
    """Every row whose table content differs from the replayed history, by table and row id.

    ``label_columns`` name, per table, the columns that identify a row for a person (e.g. ``code``).
    """
    label_columns = label_columns or {}

    def label(key: tuple[str, str], fp: Mapping[str, str | None]) -> str:
        return "，".join(f"{c}={fp[c]}" for c in label_columns.get(key[0], ()) if fp.get(c) is not None)

    found: list[Difference] = []
    for key, now in actual.items():
        recorded = expected.get(key)
        if recorded is None:
            found.append(Difference(key[0], key[1], UNRECORDED, label(key, now)))
            continue
        fields = tuple(
            (name, recorded.fingerprint.get(name), now.get(name))
            for name in sorted(set(recorded.fingerprint) | set(now))
            if recorded.fingerprint.get(name) != now.get(name)
        )
        if fields:
            found.append(Difference(key[0], key[1], CHANGED, label(key, now), fields, recorded.seq))
    for key, recorded in expected.items():
        if key not in actual:
            found.append(
                Difference(key[0], key[1], DELETED, label(key, recorded.fingerprint), (), recorded.seq)
            )
    return sorted(found, key=lambda d: (d.table, _numeric(d.row_id), d.kind))


def _numeric(row_id: str) -> tuple[int, str]:
    return (int(row_id), "") if row_id.isdigit() else (0, row_id)
