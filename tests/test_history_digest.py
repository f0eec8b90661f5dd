"""Rows written in bulk (a plan import's figures, parcels and findings) are recorded in the import's history
entry by a digest per table (``domain.history_digest``), computed from the values as written, on SQLite and
PostgreSQL: ``verify-log`` still names every changed, deleted or inserted row; a row written again later is
checked against the later entry; a forged digest breaks the chain; entries written before, with one
fingerprint per row, still verify and still show the recorded values. The import's work is counted: the
same statements whatever the number of parcels, no row read back but its id, a few bytes per row."""

from __future__ import annotations

import cProfile
import hashlib
import json
import pstats
from decimal import Decimal as D

import pytest
from benchmarks.plan_import import generate_plan
from sqlalchemy import event, insert, select, text
from typer.testing import CliRunner

from actors import acting
from landreserve.cli import app
from landreserve.domain.history_digest import (
    ROW_HASH,
    batch_of_columns,
    canonical,
    check_batch,
    make_batch,
    row_text,
)
from landreserve.domain.history_state import CHANGED, DELETED, UNRECORDED
from landreserve.services import history
from landreserve.services import plans as plans_service
from landreserve.services.plans import import_plan
from landreserve.storage.db import reading, transaction
from landreserve.storage.history_tables import HistoryEntryRow, note_written
from landreserve.storage.plan_tables import PlanParcelRow
from register_samples import tamper

BULK = ("plan_figures", "plan_parcels")  # the synthetic plan holds together: no findings


# --- the digest itself (no database) ----------------------------------------------------------------------


def test_a_batch_names_the_changed_row_and_column():
    rows = [(i, (f"BC-{i:03d}", D("40254.00") + i, None, True)) for i in range(1, 51)]
    batch = make_batch("plan_parcels", ("code", "area_m2", "use", "carried_over"), rows)
    assert len(batch.hashes) == ROW_HASH * 50 and batch.ids[0] == "1"
    as_read = {p: (f"BC-{i:03d}", D("40254") + i, None, True) for p, (i, _) in enumerate(rows)}
    assert check_batch(batch, as_read, whole=True).intact  # 40254.00 and 40254 are the same value
    as_read[6] = ("BC-007", D("1"), None, True)
    check = check_batch(batch, as_read, whole=True)
    assert (check.intact, check.changed, check.columns) == (False, (6,), ("area_m2",))
    partial = {p: v for p, v in as_read.items() if p != 3}  # a row gone: the others row by row
    assert check_batch(batch, partial, whole=False).changed == (6,)


def test_row_texts_keep_rows_and_values_apart():
    assert row_text("1", ["a,b", None]) != row_text("1", ["a", "b"])
    assert row_text("1", ["a\n2"]) != row_text("1", ["a"]) + "\n" + row_text("2", [])
    assert row_text("1", [{"b": 1, "a": [1, 2]}]) == row_text("1", [{"a": [1, 2], "b": 1}])
    assert canonical(D("1.50")) == canonical(D("1.5")) == "1.5" and canonical(D("1E+3")) == "1000"


# --- a plan import on both databases ----------------------------------------------------------------------


@pytest.fixture
def imported(ctx, tmp_path):
    """A synthetic plan of 120 parcels imported; its version id."""
    plan = generate_plan(tmp_path / "plan.txt", 120, seed=3)
    center = acting(ctx, "reserve_center")
    result = import_plan(center, plan.path)
    return center, result


def _entry(ctx, seq: int = 1):
    with reading(ctx.engine) as session:
        return history._entry(
            session.scalars(select(HistoryEntryRow).where(HistoryEntryRow.seq == seq)).one()
        )


def _sql(ctx, *statements: str) -> None:
    with ctx.engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def _ids(ctx, table: str) -> list[int]:
    with ctx.engine.connect() as conn:
        return list(conn.execute(text(f"SELECT id FROM {table} ORDER BY id")).scalars())


def _found(ctx) -> list:
    result = history.verify(ctx)
    assert result.broken is None
    return list(result.differences)


def test_the_import_records_a_batch_per_table_and_verifies(imported):
    ctx, _ = imported
    entry = _entry(ctx)
    assert sorted(entry.digests) == list(BULK)
    assert not set(entry.rows or {}) & set(BULK)  # no fingerprint per row for the bulk rows
    [parcels] = entry.digests["plan_parcels"]
    assert parcels["ids"] == [[1, 120]] and len(parcels["rows"]) == 120 * ROW_HASH
    result = history.verify(ctx)
    assert result.ok, [d.message for d in result.differences]


def test_a_changed_parcel_area_is_named_with_its_column(imported, monkeypatch):
    ctx, _ = imported
    row_id = _ids(ctx, "plan_parcels")[40]
    _sql(ctx, f"UPDATE plan_parcels SET area_m2 = 1 WHERE id = {row_id}")
    [difference] = _found(ctx)
    assert (difference.table, difference.row_id, difference.kind) == ("plan_parcels", str(row_id), CHANGED)
    assert difference.fields == (("area_m2", None, "1"),) and difference.seq == 1
    assert "code=" in difference.label and "area_m2 表中为“1”" in difference.message
    monkeypatch.setenv("LANDRESERVE_DATABASE_URL", ctx.engine.url.render_as_string(hide_password=False))
    output = CliRunner().invoke(app, ["verify-log"])
    assert output.exit_code == 1 and f"第 {row_id} 行" in output.output and "plan_parcels" in output.output


def test_two_changed_rows_of_a_batch_are_both_named(imported):
    ctx, _ = imported
    first, second = _ids(ctx, "plan_figures")[:2]
    _sql(ctx, f"UPDATE plan_figures SET text = '改过' WHERE id IN ({first}, {second})")
    found = _found(ctx)
    assert [(d.table, d.row_id, d.kind) for d in found] == [
        ("plan_figures", str(first), CHANGED), ("plan_figures", str(second), CHANGED),
    ]  # fmt: skip
    assert all(d.batch_columns == ("text",) for d in found)


def test_a_deleted_parcel_is_named(imported):
    ctx, _ = imported
    row_id = _ids(ctx, "plan_parcels")[7]
    _sql(ctx, f"DELETE FROM plan_parcels WHERE id = {row_id}")
    [difference] = _found(ctx)
    assert (difference.table, difference.row_id, difference.kind) == ("plan_parcels", str(row_id), DELETED)


def test_an_inserted_parcel_is_named(imported):
    ctx, result = imported
    _sql(
        ctx,
        "INSERT INTO plan_parcels (version_id, seq, code, code_as_written, carried_over, line, text) "
        f"VALUES ({result.version_id}, 999, 'BC-FAKE', 'BC-FAKE', false, 1, '伪造')",
    )
    [difference] = _found(ctx)
    assert (difference.table, difference.kind) == (
        "plan_parcels",
        UNRECORDED,
    ) and "BC-FAKE" in difference.label


def test_a_changed_finding_json_is_named(ctx, bachu_plan_path):
    import_plan(acting(ctx, "reserve_center"), bachu_plan_path)
    assert "plan_findings" in _entry(ctx).digests
    row_id = _ids(ctx, "plan_findings")[0]
    _sql(ctx, f"""UPDATE plan_findings SET "values" = '{{"x": "1"}}' WHERE id = {row_id}""")
    [difference] = _found(ctx)
    assert (difference.table, difference.row_id, difference.fields[0][0]) == (
        "plan_findings",
        str(row_id),
        "values",
    )


def test_a_row_written_again_is_checked_against_the_later_entry(imported):
    ctx, _ = imported
    ids = _ids(ctx, "plan_parcels")
    with transaction(ctx.engine) as session:
        session.get(PlanParcelRow, ids[0]).location = "新坐落"
        history.record(session, ctx.actor, "plan_version", 1, "plan.import", None, {"location": "新坐落"})
    assert history.verify(ctx).ok
    _sql(ctx, f"UPDATE plan_parcels SET use = '商服用地' WHERE id IN ({ids[0]}, {ids[5]})")
    found = {d.row_id: d for d in _found(ctx)}
    assert set(found) == {str(ids[0]), str(ids[5])}
    rewritten = found[str(ids[0])]  # a fingerprint of entry 2: the recorded value is shown
    assert rewritten.seq == 2 and not rewritten.digest and rewritten.fields[0][0] == "use"
    assert rewritten.fields[0][2] == "商服用地" and rewritten.fields[0][1] != "商服用地"
    assert found[str(ids[5])].seq == 1 and found[str(ids[5])].digest


def test_a_forged_digest_breaks_the_chain(imported):
    ctx, _ = imported
    entry = _entry(ctx)
    digests = json.loads(json.dumps(entry.digests))
    hashes = digests["plan_parcels"][0]["rows"]
    digests["plan_parcels"][0]["rows"] = ("0" if hashes[0] != "0" else "1") + hashes[1:]
    tamper(
        ctx.engine, "history_entries", "UPDATE history_entries SET digests = :d WHERE seq = 1",
        d=json.dumps(digests),
    )  # fmt: skip
    broken = history.verify(ctx).broken
    assert broken is not None and broken.seq == 1 and "被改过" in broken.reason


def test_entries_with_a_fingerprint_per_row_still_verify(ctx):
    """Before the batch digests, bulk rows were noted one by one and fingerprinted in the entry (as the ORM
    rows still are): such an entry verifies, and a change is shown with the value it recorded."""
    center = acting(ctx, "reserve_center")
    with transaction(ctx.engine) as session:
        session.execute(
            text("INSERT INTO plans (id, plan_key, kind, created_at) VALUES (1, 'k', 'other', '2026-01-01')")
        )
        session.execute(
            text(
                "INSERT INTO plan_versions (id, plan_id, version, content_sha256, source_name, status, created_at, "
                "line_count, structure) VALUES (1, 1, 1, 'x', 'a.txt', 'imported', '2026-01-01', 1, '{}')"
            )
        )
        session.connection().execute(
            insert(PlanParcelRow.__table__),
            [{"version_id": 1, "seq": i, "code": f"C{i}", "code_as_written": f"C{i}", "area_m2": D("100.50"),
              "carried_over": False, "line": i, "text": "t"} for i in range(30)],
        )  # fmt: skip
        note_written(session, "plans", [1])
        note_written(session, "plan_versions", [1])
        note_written(session, "plan_parcels", session.scalars(select(PlanParcelRow.id)))
        history.record(session, center.actor, "plan_version", 1, "plan.import", None, {})
    entry = _entry(ctx)
    assert entry.digests is None and len(entry.rows["plan_parcels"]) == 30
    assert history.verify(ctx).ok
    _sql(ctx, "UPDATE plan_parcels SET area_m2 = 7 WHERE code = 'C3'")
    [difference] = _found(ctx)
    assert difference.fields == (("area_m2", "100.5", "7"),) and not difference.digest


# --- the work of an import, counted ----------------------------------------------------------------------

#: Python calls (cProfile: functions and built-ins) per row the storage half of an import writes (a
#: synthetic parcel stores one row: itself — its area as listed is held by that row, not stored again as a
#: figure row, ``services.plan_rows``), by backend. Measured 2026-12-07 (second session): 1.0 on SQLite, 4.0
#: on PostgreSQL (COPY's ``write_row`` per row), after the columns went through ``map`` (decimals, booleans,
#: texts with nulls, the row digests) and the parcels' area figures into their rows (before: 7.7 and 9.7
#: per row, two rows per parcel; before that 24.2 and 53.3). A dict, a conversion or a function per value,
#: a figure row per parcel, or a row read back, exceeds it.
STORAGE_CALLS_PER_ROW = {"sqlite": 1.5, "postgresql": 4.5}


def _import_counted(
    ctx, tmp_path, parcels: int, seed: int, monkeypatch
) -> tuple[list[str], dict[str, int], int, int]:
    """(SQL statements, Python calls per function name in the storage half — reading and auditing the file
    not counted —, rows in the entry's batches, size of the entry's row records in JSON) of importing a
    synthetic plan of ``parcels`` parcels."""
    plan = generate_plan(tmp_path / f"plan-{parcels}.txt", parcels, seed=seed)
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(ctx.engine, "before_cursor_execute", listener)
    profile = cProfile.Profile()
    audit_file = plans_service.audit_file

    def audit_not_counted(*args, **kwargs):
        profile.disable()
        try:
            return audit_file(*args, **kwargs)
        finally:
            profile.enable()

    monkeypatch.setattr(plans_service, "audit_file", audit_not_counted)
    try:
        result = profile.runcall(import_plan, acting(ctx, "reserve_center"), plan.path)
    finally:
        event.remove(ctx.engine, "before_cursor_execute", listener)
    assert result.created and result.version > 1 and not result.report.findings  # same tables written
    calls: dict[str, int] = {"": pstats.Stats(profile).total_calls}  # type: ignore[attr-defined]
    for (_file, _line, name), (_primitive, n, *_rest) in pstats.Stats(profile).stats.items():  # type: ignore[attr-defined]
        calls[name] = calls.get(name, 0) + n
    entry = _entry(ctx, history.head(ctx)[0])
    rows = sum(
        last - first + 1 for batches in entry.digests.values() for b in batches for first, last in b["ids"]
    )
    return statements, calls, rows, len(json.dumps(entry.digests)) + len(json.dumps(entry.rows))


def test_an_import_reads_nothing_back_and_its_work_per_row_is_bounded(ctx, tmp_path, monkeypatch):
    import_plan(acting(ctx, "reserve_center"), generate_plan(tmp_path / "first.txt", 10, seed=1).path)
    _import_counted(ctx, tmp_path, 50, 7, monkeypatch)  # a new version once: its statements compiled
    small, small_calls, small_rows, small_size = _import_counted(ctx, tmp_path, 100, 100, monkeypatch)
    large, large_calls, large_rows, large_size = _import_counted(ctx, tmp_path, 400, 5, monkeypatch)
    assert large_rows == small_rows + 300  # one row per parcel: its area as listed is in that row
    assert len(large) == len(small)  # one statement per table, whatever the number of rows
    for statements in small, large:  # the rows written are not read back, nor their ids
        reads = [s for s in statements if s.lstrip().upper().startswith("SELECT") and "plan_parcels" in s]
        assert all(s.split("FROM")[0].count("plan_parcels.") <= 1 and "max(" in s for s in reads), reads
    for calls in small_calls, large_calls:
        # the version row (written by the ORM) is fingerprinted, none of the bulk rows
        assert calls.get("fingerprint_of", 0) + calls.get("fingerprint", 0) <= 2
    per_row = (large_calls[""] - small_calls[""]) / (large_rows - small_rows)
    assert per_row <= STORAGE_CALLS_PER_ROW[ctx.engine.dialect.name], f"{per_row:.1f} calls per row stored"
    assert large_size - small_size <= (large_rows - small_rows) * (ROW_HASH + 1)


def test_a_batch_made_column_by_column_is_the_batch_made_row_by_row():
    rows = [
        (i, (
            f"BC-{i}", canonical(D("40254.00") + i), None if i % 3 else "商服\"用地\\", i % 2 == 0,
            None if i % 5 == 0 else i % 2 == 1, {"b": [i], "a": "说明\n第二行"}, "x\ty\u2028", i, i if i % 4 else None,
            D("1.50") if i % 7 else 2.5,
        ))
        for i in range(1, 40)
    ]  # fmt: skip
    columns = ("code", "area_m2", "use", "carried_over", "flag", "values", "text", "line", "serial", "mixed")
    by_rows = make_batch("plan_parcels", columns, reversed(rows))  # any order: sorted by id
    by_column = list(zip(*(v for _, v in rows), strict=True))
    by_columns = batch_of_columns("plan_parcels", columns, [i for i, _ in rows], by_column)
    assert by_columns == by_rows
    assert by_columns.row_hash(3) == hashlib.sha256(row_text("4", rows[3][1]).encode()).hexdigest()[:ROW_HASH]
    assert make_batch("t", ("a",), []) == batch_of_columns("t", ("a",), [], [()])
