"""The history log: a hash chain that detects editing, deleting, reordering and inserting entries directly
in SQL, on SQLite and PostgreSQL; appends from concurrent transactions stay one chain."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from landreserve.domain.actors import Actor
from landreserve.domain.history import GENESIS, ChainEntry, canonical_json, entry_hash, seal, verify_chain
from landreserve.errors import InputError
from landreserve.services import history
from landreserve.storage.db import transaction
from register_samples import tamper, wait_for_lock_waiter

CLERK = Actor("张三", "reserve_center")
SURVEYOR = Actor("李四", "natural_resources")  # records evidence; only the center changes facts


def fill(ctx, n: int = 5) -> None:
    """``n`` entries, each in its own transaction, with decimals, dates and Chinese text."""
    for i in range(1, n + 1):
        with transaction(ctx.engine) as s:
            history.record(
                s, CLERK if i % 2 else SURVEYOR, "parcel", f"BC-CB202600{i}",
                "parcel.update" if i % 2 else "parcel.evidence",
                {"area_m2": Decimal("40254.00"), "state": "planned"},
                {"area_m2": Decimal(40254 + i), "since": date(2026, 3, i)},
                [{"kind": "title_clear", "ref": f"证明{i}", "date": "2026-03-01", "by": "李四"}],
            )  # fmt: skip


def sql(ctx, statement: str, **params) -> None:
    with ctx.engine.begin() as conn:
        conn.execute(text(statement), params)


def forge(ctx, *statements: str, **params) -> None:
    """Tamper with the log as an attacker with database rights: the refusing triggers switched off first."""
    tamper(ctx.engine, "history_entries", *statements, **params)


def test_an_untouched_chain_verifies(ctx):
    fill(ctx)
    result = history.verify(ctx)
    assert result.ok and result.count == 5 and result.head_seq == 5 and len(result.head_hash) == 64


def test_entries_record_who_what_before_after_and_evidence(ctx):
    fill(ctx, 2)
    with transaction(ctx.engine) as s:
        [entry] = history.timeline(s, "parcel", "BC-CB2026002")
    assert (entry.seq, entry.actor, entry.department) == (2, "李四", "natural_resources")
    assert entry.before == {"area_m2": "40254.00", "state": "planned"}
    assert entry.after == {"area_m2": "40256", "since": "2026-03-02"}
    assert entry.evidence[0]["ref"] == "证明2"


def test_an_empty_log_verifies(ctx):
    result = history.verify(ctx)
    assert result.ok and result.count == 0 and result.head_hash == GENESIS


def test_edited_entry_is_detected(ctx):
    fill(ctx)
    forge(ctx, "UPDATE history_entries SET actor = '王五' WHERE seq = 3")
    broken = history.verify(ctx).broken
    assert broken and broken.seq == 3 and "被改过" in broken.reason


def test_edited_json_is_detected(ctx):
    fill(ctx)
    forge(ctx, "UPDATE history_entries SET entity_id = 'BC-CB2026999' WHERE seq = 2")
    assert history.verify(ctx).broken.seq == 2


def test_edit_with_its_own_hash_recomputed_is_detected_at_the_next_entry(ctx):
    fill(ctx)
    with transaction(ctx.engine) as s:
        [entry] = history.timeline(s, "parcel", "BC-CB2026003")
    forged = ChainEntry(**{**entry.to_dict(), "actor": "王五"})
    forge(ctx, "UPDATE history_entries SET actor = '王五', hash = :h WHERE seq = 3", h=seal(forged).hash)
    broken = history.verify(ctx).broken
    assert broken and broken.seq == 4 and "前一哈希" in broken.reason


def test_deleted_entry_is_detected(ctx):
    fill(ctx)
    forge(ctx, "DELETE FROM history_entries WHERE seq = 2")
    broken = history.verify(ctx).broken
    assert broken and broken.seq == 3 and "删除" in broken.reason


def test_reordered_entries_are_detected(ctx):
    fill(ctx)
    forge(ctx, "UPDATE history_entries SET seq = -2 WHERE seq = 2")
    forge(ctx, "UPDATE history_entries SET seq = 2 WHERE seq = 3")
    forge(ctx, "UPDATE history_entries SET seq = 3 WHERE seq = -2")
    broken = history.verify(ctx).broken
    assert broken and broken.seq == 2


def test_inserted_entry_is_detected_even_with_a_valid_hash(ctx):
    fill(ctx)
    with transaction(ctx.engine) as s:
        [second] = history.timeline(s, "parcel", "BC-CB2026002")
    forge(ctx, "UPDATE history_entries SET seq = seq + 100 WHERE seq >= 3")
    forge(ctx, "UPDATE history_entries SET seq = seq - 99 WHERE seq >= 100")
    forged = seal(
        ChainEntry(
            3,
            "2026-03-01T08:00:00",
            "王五",
            "finance",
            "parcel",
            "BC-CB2026001",
            "parcel.update",
            None,
            {"state": "supplied"},
            [],
            second.hash,
        )  # fmt: skip
    )
    sql(
        ctx,
        "INSERT INTO history_entries (seq, at, actor, department, entity_type, entity_id, action, before, after,"
        " evidence, prev_hash, hash) VALUES (3, :at, '王五', 'finance', 'parcel', 'BC-CB2026001', 'parcel.update',"
        " NULL, NULL, NULL, :prev, :hash)",
        at="2026-03-01 08:00:00", prev=second.hash, hash=forged.hash,
    )  # fmt: skip
    broken = history.verify(ctx).broken
    assert broken and broken.seq in (3, 4)


def test_deleting_the_tail_is_detected_with_an_anchor(ctx):
    fill(ctx)
    head = history.verify(ctx)
    anchor = (head.head_seq, head.head_hash)
    assert history.verify(ctx, anchor).ok
    forge(ctx, "DELETE FROM history_entries WHERE seq = 5")
    assert history.verify(ctx).ok  # without an anchor a cut tail looks like a shorter log …
    broken = history.verify(ctx, anchor).broken  # … the anchor kept outside shows it
    assert broken and broken.seq == 5 and "末尾被删除" in broken.reason


def test_anchor_is_read_from_its_printed_form():
    assert history.parse_anchor("12:" + "a" * 64) == (12, "a" * 64)
    with pytest.raises(InputError, match="锚点"):
        history.parse_anchor("12:abc")


def test_concurrent_appends_form_one_chain(ctx):
    errors: list[BaseException] = []

    def append(i: int) -> None:
        try:
            with transaction(ctx.engine) as s:
                history.record(s, CLERK, "parcel", f"P{i}", "parcel.update", None, {"i": i})
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=append, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    result = history.verify(ctx)
    assert result.ok and result.count == 6


def test_a_second_appender_waits_for_the_first_to_commit(ctx):
    if ctx.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers with BEGIN IMMEDIATE; the advisory lock is PostgreSQL's")
    results = []
    second = threading.Thread(
        target=lambda: results.append(_append_alone(ctx, "P2")),
    )
    with transaction(ctx.engine) as s:
        history.record(s, CLERK, "parcel", "P1", "parcel.update", None, {"i": 1})
        second.start()
        wait_for_lock_waiter(ctx.engine, "the second appender")
    second.join()
    assert results == [2]
    assert history.verify(ctx).ok


def _append_alone(ctx, entity: str) -> int:
    with transaction(ctx.engine) as s:
        return history.record(s, CLERK, "parcel", entity, "parcel.update", None, {"x": 1}).seq


def test_truncate_of_the_history_is_refused(ctx):
    if ctx.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE (DELETE is refused by the row triggers)")
    fill(ctx, 2)
    with pytest.raises(sa_exc.DBAPIError, match="不能整表清空"):
        sql(ctx, "TRUNCATE history_entries RESTART IDENTITY")
    result = history.verify(ctx)
    assert result.ok and result.count == 2


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE history_entries SET actor = '王五' WHERE seq = 3",
        "UPDATE history_entries SET seq = seq + 100",
        "DELETE FROM history_entries WHERE seq = 5",
        "DELETE FROM history_entries",
    ],
)
def test_plain_update_or_delete_is_refused_by_the_database(ctx, statement):
    fill(ctx)
    with pytest.raises(sa_exc.DBAPIError, match="只能追加"):
        sql(ctx, statement)
    with transaction(ctx.engine) as s:
        entries = history.timeline(s, "parcel", "BC-CB2026003")
    assert [e.actor for e in entries] == ["张三"]
    result = history.verify(ctx)
    assert result.ok and result.count == 5


def test_tampering_puts_the_triggers_back(ctx):
    """The attacker of these tests leaves the schema as it was: the refusal still works afterwards."""
    fill(ctx)
    forge(ctx, "UPDATE history_entries SET actor = '王五' WHERE seq = 3")
    with pytest.raises(sa_exc.DBAPIError, match="只能追加"):
        sql(ctx, "DELETE FROM history_entries WHERE seq = 1")
    assert history.verify(ctx).broken.seq == 3


# --- the chain itself (pure) --------------------------------------------------------------------------


def test_canonical_json_does_not_depend_on_key_order_and_refuses_floats():
    assert canonical_json({"b": 1, "a": Decimal("1.50")}) == canonical_json({"a": Decimal("1.50"), "b": 1})
    assert canonical_json({"a": "巴楚"}) == '{"a":"巴楚"}'
    with pytest.raises(TypeError, match="float"):
        canonical_json({"a": 0.1})


def test_hash_covers_every_field_and_the_previous_hash():
    entry = ChainEntry(
        1, "2026-03-01T08:00:00", "张三", "reserve_center", "parcel", "A", "x", None, {}, [], GENESIS
    )
    base = entry_hash(entry.fields(), GENESIS)
    for name in ("seq", "at", "actor", "department", "entity_type", "entity_id", "action", "before", "after"):
        changed = {**entry.fields(), name: "other"}
        assert entry_hash(changed, GENESIS) != base, name
    assert entry_hash(entry.fields(), "1" * 64) != base


def test_verify_chain_reports_the_first_break_only():
    a = seal(ChainEntry(1, "t", "a", "d", "e", "1", "x", None, None, [], GENESIS))
    b = seal(ChainEntry(2, "t", "a", "d", "e", "2", "x", None, None, [], a.hash))
    c = seal(ChainEntry(3, "t", "a", "d", "e", "3", "x", None, None, [], b.hash))
    assert verify_chain([a, b, c]).ok
    tampered_b = ChainEntry(**{**b.__dict__, "actor": "z"})
    tampered_c = ChainEntry(**{**c.__dict__, "actor": "z"})
    assert verify_chain([a, tampered_b, tampered_c]).broken.seq == 2


# --- property: any single tampering is found right at (or just after) the tampered entry ------------


def _chain(n: int) -> list[ChainEntry]:
    entries, prev = [], GENESIS
    for i in range(1, n + 1):
        entry = seal(ChainEntry(i, f"2026-03-{i:02d}T08:00:00", "张三", "reserve_center", "parcel", f"P{i}",
                                "parcel.update", {"v": i}, {"v": i + 1}, [], prev))  # fmt: skip
        entries.append(entry)
        prev = entry.hash
    return entries


@settings(max_examples=200, deadline=None)
@given(n=st.integers(2, 12), data=st.data())
def test_every_single_tampering_is_detected(n, data):
    chain = _chain(n)
    i = data.draw(st.integers(0, n - 1), label="position")
    how = data.draw(st.sampled_from(["edit", "delete", "swap", "insert", "reseal"]), label="how")
    tampered = list(chain)
    if how == "edit":
        tampered[i] = ChainEntry(**{**chain[i].__dict__, "after": {"v": -1}})
    elif how == "reseal":  # edited and its own hash recomputed
        tampered[i] = seal(ChainEntry(**{**chain[i].__dict__, "actor": "王五"}))
    elif how == "delete":
        del tampered[i]
    elif how == "swap":
        j = (i + 1) % n
        tampered[i], tampered[j] = chain[j], chain[i]
    else:
        forged = seal(ChainEntry(i + 1, "t", "王五", "finance", "parcel", "X", "x", None, None, [],
                                 chain[i - 1].hash if i else GENESIS))  # fmt: skip
        tampered.insert(i, forged)
    anchor = (n, chain[-1].hash)  # the head noted outside the database: it also guards the tail
    broken = verify_chain(tampered, anchor).broken
    assert broken is not None and broken.position <= i + 2
