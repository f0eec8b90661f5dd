"""Digests of rows written in bulk: one record per table and batch instead of one fingerprint per row.

A plan import writes tens of thousands of rows (its figures, parcels, findings). A fingerprint per row
(``domain.history_state``) means reading every row back and storing a JSON object per row in the history
entry. Rows written in bulk are recorded instead by a :class:`Batch` per table: the row ids (as runs of
consecutive ids), the columns, one SHA-256 over the canonical text of every row in id order (the batch
digest), one SHA-256 per column, and a short hash (:data:`ROW_HASH` hex digits) per row — all computed
from the values as written, without reading them back.

``verify-log`` recomputes the texts of the current rows. An equal batch digest proves every row of the batch
unchanged; otherwise the short hashes name each changed row, and the column digests the changed columns
(when one row differs). A deleted row is missing among the batch's ids; an inserted row has an id that no
entry recorded. A row written again by a later entry is checked against that entry; the rest of its batch
is then checked row by row (by the short hashes).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import repeat
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from operator import methodcaller

#: hex digits of the short hash kept per row (64 bits: a change that keeps it would take ~2⁶⁴ tries)
ROW_HASH = 16


def canonical(value: object) -> object:
    """A column value in the JSON form of the row texts (the same value read from either database gives the
    same form): decimals by value (``40254.00`` → ``"40254"``), dates in ISO form, binary values in hex; texts,
    integers, booleans, null and JSON documents as they are."""
    if isinstance(value, Decimal):
        return canonical_decimals((value,))[0]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return "bytes:" + bytes(value).hex()
    return value if value is None or isinstance(value, str | int | float | list | dict) else str(value)


def canonical_decimals(values: Iterable[Decimal | None]) -> list[str | None]:
    """:func:`canonical` of each decimal of a column (``None`` stays ``None``), in one pass: the value
    without exponent or trailing zeros. A column of finite decimals only (the usual one) is converted by
    ``map`` alone, without a Python step per value."""
    values = list(values)
    if set(map(type, values)) == {Decimal} and all(map(Decimal.is_finite, values)):  # type: ignore[arg-type]
        return list(map(format, map(Decimal.normalize, values), repeat("f")))  # type: ignore[arg-type]
    return [None if d is None else format(d.normalize(), "f") if d.is_finite() else str(d) for d in values]


def _json_default(value: object) -> object:
    return canonical(value)


_ENCODER = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=_json_default, allow_nan=False
)
#: the C encoder built once (``JSONEncoder.encode`` builds one per call); ``None`` without the accelerator
_C_ENCODE = (
    c_make_encoder(None, _json_default, encode_basestring, None, ":", ",", True, False, False)
    if c_make_encoder is not None
    else None
)


def _encode(value: object) -> str:
    if _C_ENCODE is not None:
        return "".join(_C_ENCODE(value, 0))
    return _ENCODER.encode(value)  # pragma: no cover - Python without the C accelerator


def row_text(row_id: str, values: Sequence[object]) -> str:
    """The canonical text of one row: its id and its values, in the batch's column order (full values:
    long texts and JSON documents as they are; other values by :func:`canonical`). JSON escapes line
    breaks, so rows joined by line breaks stay apart."""
    return _encode([row_id, *values])


_NULL = type(None)


def _json_values(column: Sequence[object]) -> list[str]:
    """The JSON text of each value of a column, as :func:`row_text` writes it inside a row: texts by the
    encoder's own string function and integers by ``int.__repr__`` (no Python call per value), other values
    one by one by the encoder."""
    kinds = set(map(type, column))
    if kinds <= {str}:
        return list(map(encode_basestring, column))  # type: ignore[arg-type]
    if kinds == {_NULL}:
        return ["null"] * len(column)
    if kinds <= {str, _NULL}:  # the texts by ``map``, the nulls put back
        texts = map(encode_basestring, ["" if v is None else v for v in column])  # type: ignore[arg-type]
        return ["null" if v is None else t for v, t in zip(column, texts, strict=True)]
    if kinds <= {int}:
        return list(map(int.__repr__, column))
    if kinds <= {bool, _NULL}:
        return ["null" if v is None else "true" if v else "false" for v in column]
    return list(map(_encode, column))


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _runs(ids: Sequence[int]) -> list[list[int]]:
    """``ids`` (ascending, distinct) as runs ``[first, last]`` of consecutive ids."""
    if ids and list(range(ids[0], ids[-1] + 1)) == ids:  # one run (the usual batch): nothing to split
        return [[ids[0], ids[-1]]]
    runs: list[list[int]] = []
    for i in ids:
        if runs and i == runs[-1][1] + 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    return runs


@dataclass(frozen=True)
class Batch:
    """The rows of one table written in bulk by one change, as recorded in its history entry."""

    table: str
    columns: tuple[str, ...]  # the columns of the texts (the row id left out), in order
    ids: tuple[str, ...]  # row ids in canonical (ascending) order
    hashes: str  # ROW_HASH hex digits per row, in the order of ``ids``
    digest: str  # SHA-256 of the row texts joined by line breaks
    column_digests: tuple[str, ...]  # per column, SHA-256 of its values in the order of ``ids``
    seq: int = 0  # the entry that recorded it (filled when the chain is replayed)

    def row_hash(self, position: int) -> str:
        return self.hashes[position * ROW_HASH : (position + 1) * ROW_HASH]

    def to_dict(self) -> dict:
        """The JSON form kept in the entry (``ChainEntry.digests[table]`` is a list of these)."""
        return {
            "columns": list(self.columns),
            "ids": _runs(list(map(int, self.ids))),
            "rows": self.hashes,
            "digest": self.digest,
            "column_digests": list(self.column_digests),
        }

    @classmethod
    def from_dict(cls, table: str, data: Mapping, seq: int = 0) -> Batch:
        ids = tuple(str(i) for first, last in data["ids"] for i in range(int(first), int(last) + 1))
        return cls(
            table, tuple(data["columns"]), ids, str(data["rows"]), str(data["digest"]),
            tuple(data["column_digests"]), seq,
        )  # fmt: skip


def _column_digests(columns: Sequence[str], values: Sequence[Sequence[object]]) -> tuple[str, ...]:
    """Per column, the SHA-256 of its values (``values``: the columns' values, column by column)."""
    return tuple(_sha(_encode(list(column))) for column in values) or tuple(_sha("[]") for _ in columns)


def make_batch(table: str, columns: Sequence[str], rows: Iterable[tuple[int, Sequence[object]]]) -> Batch:
    """The record of ``rows`` — ``(row id, values in the order of columns)`` — written to ``table``.

    Values already in their :func:`canonical` form are taken as they are (the fast way for many rows)."""
    ordered = sorted(rows, key=lambda r: r[0])
    values = [v for _, v in ordered]
    by_column = list(zip(*values, strict=True)) if values and values[0] else [() for _ in columns]
    return batch_of_columns(table, columns, [i for i, _ in ordered], by_column)


def batch_of_columns(
    table: str, columns: Sequence[str], ids: Sequence[int], values: Sequence[Sequence[object]]
) -> Batch:
    """:func:`make_batch` of rows given column by column: ``ids`` ascending, ``values[c][r]`` the value of
    column ``columns[c]`` in row ``r`` (in :func:`canonical` form, or one the encoder turns into it).

    The same record, made with a pass per column rather than per value: each value's JSON text is made
    once (:func:`_json_values`) and serves both its row's text and its column's digest."""
    row_ids = tuple(map(str, ids))
    parts = [_json_values(column) for column in values]
    rows = map(",".join, zip(map(encode_basestring, row_ids), *parts, strict=True))
    texts = list(map(str.encode, [f"[{row}]" for row in rows]))  # UTF-8
    hashes = "".join([h[:ROW_HASH] for h in map(_HEX, map(hashlib.sha256, texts))])
    column_digests = tuple(_sha(f"[{','.join(column)}]") for column in parts)
    digest = hashlib.sha256(b"\n".join(texts)).hexdigest()
    return Batch(table, tuple(columns), row_ids, hashes, digest, column_digests)


#: a hash's hex digest, applied by ``map``
_HEX = methodcaller("hexdigest")


@dataclass(frozen=True)
class BatchCheck:
    """What :func:`check_batch` found: the positions of the rows that differ, the columns that differ
    (known when the whole batch was compared), and whether the batch digest held."""

    intact: bool
    changed: tuple[int, ...] = ()
    columns: tuple[str, ...] = ()


def check_batch(batch: Batch, current: Mapping[int, Sequence[object]], whole: bool) -> BatchCheck:
    """Compare the current rows of a batch (position → values in the batch's column order) with it.

    ``whole``: every row of the batch is still present and recorded last by it — then the batch digest is
    compared first (one hash), and the column digests name the changed columns; otherwise each present row
    is compared by its short hash.
    """
    if whole:
        values = [current[p] for p in range(len(batch.ids))]
        texts = list(map(row_text, batch.ids, values))
        if _sha("\n".join(texts)) == batch.digest:
            return BatchCheck(True)
        changed = tuple(p for p, t in enumerate(texts) if _sha(t)[:ROW_HASH] != batch.row_hash(p))
        digests = _column_digests(batch.columns, list(zip(*values, strict=True)) if values else ())
        columns = tuple(
            c for c, d, r in zip(batch.columns, digests, batch.column_digests, strict=False) if d != r
        )
        return BatchCheck(False, changed, columns)
    changed = tuple(
        p
        for p, v in sorted(current.items())
        if _sha(row_text(batch.ids[p], v))[:ROW_HASH] != batch.row_hash(p)
    )
    return BatchCheck(not changed, changed)
