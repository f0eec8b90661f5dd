"""The hash chain of the history log: canonical JSON, entry hashes, and verification of a whole chain.

Each entry's hash is SHA-256 over the canonical JSON of its fields together with the previous entry's
hash, so editing, deleting, reordering or inserting any past entry breaks the chain from that entry on.
A chain rewritten from some point to the end is detected by comparing the head with a hash kept elsewhere
(``verify_chain(..., anchor=(seq, hash))``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

#: ``prev_hash`` of the first entry
GENESIS = "0" * 64

HASHED_FIELDS = (
    "seq",
    "at",
    "actor",
    "department",
    "entity_type",
    "entity_id",
    "action",
    "before",
    "after",
    "evidence",
)


_TEXTS = frozenset({str, type(None)})
_KEYS = frozenset({str})


def plain(value: object) -> object:
    """``value`` made of JSON primitives only: decimals and dates as strings, no floats.

    Stored JSON must hash the same after a round trip through either database, so everything that is
    not a string, integer, boolean or null becomes a string.
    """
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:  # most leaves: a fast path, same result
        return value
    if type(value) is dict:
        if _TEXTS.issuperset(map(type, value.values())) and _KEYS.issuperset(map(type, value)):
            return dict(value)  # a fingerprint (text keys, text or null values): nothing below to make plain
        return {k if type(k) is str else str(k): plain(v) for k, v in value.items()}
    if type(value) is list:
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, float):
        raise TypeError("history refuses float values; use Decimal or str")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def canonical_json(data: Mapping[str, object]) -> str:
    """Sorted keys, no spaces, UTF-8 text: the same data always gives the same text."""
    return json.dumps(plain(data), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class ChainEntry:
    """One history entry: who (``actor``, ``department``), when (``at``, ISO time in UTC), what
    (``entity_type``/``entity_id``, ``action``, ``before``/``after``), on what ``evidence``, and its hashes."""

    seq: int
    at: str  # ISO timestamp
    actor: str
    department: str
    entity_type: str
    entity_id: str
    action: str
    before: object
    after: object
    evidence: object
    prev_hash: str
    hash: str = ""
    #: fingerprints of the current-state rows this change wrote, ``{table: {row id: fingerprint or None}}``
    #: (``domain.history_state``); hashed with the entry when present (older entries have none)
    rows: object = None
    #: records of the rows this change wrote in bulk, ``{table: [batch, …]}`` (``domain.history_digest``);
    #: hashed with the entry when present (entries before migration 0010 have none)
    digests: object = None

    def fields(self) -> dict:
        data = {name: getattr(self, name) for name in HASHED_FIELDS}
        if self.rows is not None:
            data["rows"] = self.rows
        if self.digests is not None:
            data["digests"] = self.digests
        return data

    def to_dict(self) -> dict:
        """Every field, hashes included (JSON-able)."""
        return {**self.fields(), "prev_hash": self.prev_hash, "hash": self.hash}


def entry_hash(fields: Mapping[str, object], prev_hash: str) -> str:
    """SHA-256 (hex) over the canonical JSON of the entry's fields and the previous hash."""
    payload = canonical_json({"entry": dict(fields), "prev_hash": prev_hash})
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def seal(entry: ChainEntry) -> ChainEntry:
    """The entry with its hash filled in."""
    return ChainEntry(**{**entry.__dict__, "hash": entry_hash(entry.fields(), entry.prev_hash)})


@dataclass(frozen=True)
class Break:
    """The first place where the chain is broken."""

    seq: int
    position: int  # 1-based position in seq order
    reason: str  # Chinese


@dataclass(frozen=True)
class Verification:
    """The chain's length and head, its first break, and the rows of the current tables that differ from
    what the chain implies (``domain.history_state.Difference``; filled by ``services.history.verify``)."""

    count: int
    head_seq: int | None
    head_hash: str
    broken: Break | None
    differences: tuple = ()

    @property
    def ok(self) -> bool:
        return self.broken is None and not self.differences


def _check(entry: ChainEntry, position: int, prev: ChainEntry | None) -> str | None:
    expected_prev = prev.hash if prev else GENESIS
    expected_seq = prev.seq + 1 if prev else 1
    if entry.seq != expected_seq:
        return f"序号应为 {expected_seq}，实为 {entry.seq}：之前的记录被删除、插入或调换了顺序"
    if entry.prev_hash != expected_prev:
        return (
            f"前一哈希应为 {expected_prev[:16]}…，实为 {entry.prev_hash[:16]}…：前面的记录被删除、插入或调换"
        )
    recomputed = entry_hash(entry.fields(), entry.prev_hash)
    if recomputed != entry.hash:
        return f"内容与哈希不符（重算 {recomputed[:16]}…，记录 {entry.hash[:16]}…）：这条记录被改过"
    return None


Anchor = tuple[int, str]


def verify_chain(
    entries: Iterable[ChainEntry], anchor: Anchor | Iterable[Anchor] | None = None
) -> Verification:
    """Recompute the chain in ``seq`` order and report the first broken entry.

    ``anchor`` is a ``(seq, hash)`` pair — or several, e.g. every head a county published — kept outside
    the database (printed by an earlier verification, in an annual report); the entry with each seq must
    still have that hash.
    """
    anchors = _anchors(anchor)
    prev: ChainEntry | None = None
    count = 0
    for position, entry in enumerate(entries, start=1):
        count = position
        problem = _check(entry, position, prev)
        if problem:
            return Verification(count, entry.seq, entry.hash, Break(entry.seq, position, problem))
        kept = anchors.pop(entry.seq, None)
        if kept is not None and entry.hash != kept:
            reason = f"与外部保存的第 {entry.seq} 条哈希不符：自该条起的记录被整体重写"
            return Verification(count, entry.seq, entry.hash, Break(entry.seq, position, reason))
        prev = entry
    head_seq, head_hash = (prev.seq, prev.hash) if prev else (None, GENESIS)
    if anchors:
        seq = min(anchors)
        missing = Break(seq, count + 1, f"外部保存的第 {seq} 条记录已不存在：日志末尾被删除")
        return Verification(count, head_seq, head_hash, missing)
    return Verification(count, head_seq, head_hash, None)


def _anchors(anchor: Anchor | Iterable[Anchor] | None) -> dict[int, str]:
    if anchor is None:
        return {}
    if isinstance(anchor, tuple) and len(anchor) == 2 and isinstance(anchor[0], int):
        return {anchor[0]: anchor[1]}
    return {seq: digest for seq, digest in anchor}
