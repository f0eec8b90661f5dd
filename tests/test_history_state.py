"""verify-log replays the history and compares every current-state table with it, on SQLite and PostgreSQL:
a direct UPDATE of a state, an area or an amount, an inserted row, a deleted row and an emptied history are
each named (table, row, column) and make ``verify-log`` exit non-zero; a clean history verifies."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from actors import acting
from gis_samples import write_boundary_file
from landreserve.cli import app
from landreserve.domain.funds.bonds import BondTerms
from landreserve.domain.funds.ledger import Category
from landreserve.domain.history import ChainEntry, seal, verify_chain
from landreserve.domain.history_state import CHANGED, DELETED, UNRECORDED
from landreserve.services import (
    adjustments,
    bonds,
    documents,
    funds,
    geometry,
    history,
    ledger,
    publication,
    register,
)
from landreserve.services.plans import import_plan
from landreserve.storage.db import reading
from register_samples import approve, bachu_facts, tamper, walk_to_supply

PARCEL = "BC-CB2026001"
SUPPLIED = "BC-CB2026002"


@pytest.fixture
def county(ctx, tmp_path, bachu_plan_path):
    """A county's register written through every area: plan import and approval, registration from the
    plan with facts, a parcel walked to supply with evidence, a bond, a project, money allocated and paid,
    boundaries imported."""
    ctx = replace(ctx, settings=replace(ctx.settings, files_dir=str(tmp_path / "files")))
    center = acting(ctx, "reserve_center")
    imported = import_plan(center, bachu_plan_path)
    approve(ctx, imported.version_id)
    codes = [PARCEL, SUPPLIED, "BC-CB2026003"]
    register.create_from_plan(
        center, imported.plan_id, {c: bachu_facts(c) for c in codes}, on=date(2026, 2, 1)
    )
    walk_to_supply(center, SUPPLIED)
    finance = acting(ctx, "finance")
    bonds.add_bond(finance, BondTerms("ZQ-1", D("1000000"), date(2026, 3, 1), 3, D("2.5")), "转贷协议1")
    funds.add_project(finance, "PA", "ZQ-1", imported.plan_id, [PARCEL, "BC-CB2026003"])
    ledger.allocate(finance, "ZQ-1", "PA", D("100000"), "分配1")
    ledger.pay(finance, PARCEL, Category.COMPENSATION, D("2500.50"), "补偿协议1")
    funds.set_price(finance, "PA", "住宅用地", D("1200"), "评估报告1")
    funds.set_budget(finance, "PA", 2026, Category.COMPENSATION, D("50000"), "预算批复1")
    geometry.import_boundaries(acting(ctx, "natural_resources"), write_boundary_file(tmp_path / "界址点.txt"))
    register.update_parcel(center, "BC-CB2026003", {"zone": "巴楚镇东"})
    documents.add_document(acting(ctx, "natural_resources"), PARCEL, "权属证明.pdf", b"%PDF-1.4\n%%EOF\n")
    publication.publish(center, imported.version_id)
    proposal = adjustments.propose(center, imported.version_id, remove=["BC-CB2026011"], reason="规划调整")
    adjustments.approve(
        acting(ctx, "government"), proposal.id, "巴政函〔2026〕9号", date(2026, 6, 1), "巴楚县人民政府"
    )
    return ctx


def sql(ctx, *statements: str) -> None:
    with ctx.engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def scalar(ctx, statement: str):
    with ctx.engine.connect() as conn:
        return conn.execute(text(statement)).scalar()


def differences(ctx):
    result = history.verify(ctx)
    assert result.broken is None
    return {(d.table, d.kind): d for d in result.differences}


def test_a_history_written_by_every_area_verifies(county):
    result = history.verify(county)
    assert result.ok, [d.message for d in result.differences]
    assert result.count > 20 and not result.differences
    assert history.head(county)[:2] == (result.head_seq, result.head_hash)


def test_a_direct_update_of_a_state_is_named(county):
    row_id = scalar(county, f"SELECT id FROM reserve_parcels WHERE code = '{PARCEL}'")
    sql(county, f"UPDATE reserve_parcels SET state = 'supplied' WHERE code = '{PARCEL}'")
    found = differences(county)
    [difference] = found.values()
    assert (difference.table, difference.row_id, difference.kind) == ("reserve_parcels", str(row_id), CHANGED)
    assert difference.fields == (("state", "planned", "supplied"),)
    assert (
        PARCEL in difference.message and "state 历史记录为“planned”，表中为“supplied”" in difference.message
    )


def test_a_direct_update_of_a_plan_parcel_area_is_named(county):
    sql(county, f"UPDATE plan_parcels SET area_m2 = 50000 WHERE code = '{PARCEL}'")
    difference = differences(county)[("plan_parcels", CHANGED)]
    assert difference.fields == (("area_m2", "40254", "50000"),) and PARCEL in difference.label


def test_a_direct_update_of_an_amount_is_named_even_with_the_triggers_dropped(county):
    tamper(county.engine, "fund_entries", "UPDATE fund_entries SET amount = 25000.50 WHERE kind = 'pay'")
    difference = differences(county)[("fund_entries", CHANGED)]
    assert difference.fields == (("amount", "2500.5", "25000.5"),)


def test_edits_of_figures_geometries_facts_and_sources_are_named(county):
    sql(
        county,
        "UPDATE plan_figures SET base_value = base_value * 2 WHERE id = (SELECT min(id) FROM plan_figures)",
        f"UPDATE parcel_geometries SET area_m2 = 1 WHERE code = '{PARCEL}'",
        "UPDATE plan_parcel_facts SET land_use = '商服用地' WHERE plan_parcel_id IN "
        f"(SELECT id FROM plan_parcels WHERE code = '{PARCEL}')",
        "UPDATE fund_sources SET amount = 2000000 WHERE code = 'ZQ-1'",
        "UPDATE plan_versions SET approval_no = '伪造〔2026〕9号'",
    )
    found = differences(county)
    assert {table for table, kind in found if kind == CHANGED} == {
        "plan_figures", "parcel_geometries", "plan_parcel_facts", "fund_sources", "plan_versions",
    }  # fmt: skip


def test_a_deleted_row_is_named(county):
    row_id = scalar(county, "SELECT min(id) FROM reserve_evidence")
    tamper(county.engine, "reserve_evidence", f"DELETE FROM reserve_evidence WHERE id = {row_id}")
    difference = differences(county)[("reserve_evidence", DELETED)]
    assert difference.row_id == str(row_id) and "已没有它" in difference.message


def test_an_inserted_row_without_history_is_named(county):
    sql(
        county,
        "INSERT INTO reserve_parcels (code, state, state_since, created_at, created_by, row_version) "
        "VALUES ('BC-FAKE001', 'supplied', '2026-05-01', '2026-05-01 08:00:00', '王五', 1)",
    )
    difference = differences(county)[("reserve_parcels", UNRECORDED)]
    assert "BC-FAKE001" in difference.label and "没有写入这一行的记录" in difference.message


def test_an_emptied_history_is_detected_by_the_rows_it_leaves(county):
    tamper(county.engine, "history_entries", "DELETE FROM history_entries")
    result = history.verify(county)
    assert result.count == 0 and not result.ok
    assert {d.kind for d in result.differences} == {UNRECORDED}
    assert {d.table for d in result.differences} >= {"plans", "reserve_parcels", "fund_entries"}


def test_a_cut_tail_is_detected_without_an_anchor_when_it_wrote_rows(county):
    with reading(county.engine) as session:
        last = list(history._chain(session))[-1]
    tamper(county.engine, "history_entries", f"DELETE FROM history_entries WHERE seq = {last.seq}")
    result = history.verify(county)
    assert result.broken is None and result.differences  # the rows it wrote have no history of that now
    assert {d.table for d in result.differences} == set(last.rows)


def test_a_chain_rewritten_consistently_is_caught_by_the_anchor_file(county, tmp_path, monkeypatch):
    anchors = tmp_path / "历史链头.txt"
    monkeypatch.setenv("LANDRESERVE_DATABASE_URL", county.engine.url.render_as_string(hide_password=False))
    runner = CliRunner()
    first = runner.invoke(app, ["verify-log", "--anchor", str(anchors)])
    assert first.exit_code == 0, first.output
    kept = history.read_anchor_file(anchors)
    assert "各现状表与历史记录一致" in first.output and len(kept) == 1
    # an attacker rewrites the last entry (with a valid hash and prev_hash): only the anchor shows it
    seq, _ = kept[-1]
    with reading(county.engine) as session:
        last = list(history._chain(session))[-1]
    forged = seal(ChainEntry(**{**last.__dict__, "actor": "王五"}))
    tamper(county.engine, "history_entries",
           f"UPDATE history_entries SET actor = '王五', hash = '{forged.hash}' WHERE seq = {seq}")  # fmt: skip
    assert history.verify(county).ok  # consistent: nothing inside the database shows it …
    second = runner.invoke(app, ["verify-log", "--anchor", str(anchors)])
    assert second.exit_code == 1 and "外部保存" in second.output and "Traceback" not in second.output


def test_verify_log_names_the_row_and_exits_non_zero(county, monkeypatch):
    monkeypatch.setenv("LANDRESERVE_DATABASE_URL", county.engine.url.render_as_string(hide_password=False))
    runner = CliRunner()
    assert runner.invoke(app, ["verify-log"]).exit_code == 0
    sql(county, f"UPDATE reserve_parcels SET state = 'supplied' WHERE code = '{PARCEL}'")
    result = runner.invoke(app, ["verify-log"])
    assert result.exit_code == 1
    assert "reserve_parcels" in result.output and PARCEL in result.output and "supplied" in result.output


def test_several_anchors_are_checked(county):
    with reading(county.engine) as session:
        entries = list(history._chain(session))
    anchors = [(e.seq, e.hash) for e in entries[::5]]
    assert verify_chain(entries, anchors).ok
    wrong = [*anchors[:-1], (anchors[-1][0], "0" * 64)]
    assert verify_chain(entries, wrong).broken.seq == anchors[-1][0]


def test_rows_stored_before_the_upgrade_are_recorded_by_a_baseline_entry(tmp_path):
    from alembic import command

    from landreserve.services.context import Context
    from landreserve.settings import Settings
    from landreserve.storage.db import make_engine
    from landreserve.storage.migrate import alembic_config, upgrade

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = make_engine(url)
    config = alembic_config(url)
    command.upgrade(config, "0007_trust_guards")
    command.upgrade(config, "0006_web_accounts")
    command.upgrade(config, "0008_project_bonds")
    sql_ctx = Context(engine=engine, settings=Settings(database_url=url), actor=None)
    sql(sql_ctx, "INSERT INTO plans (plan_key, kind, created_at) VALUES ('巴楚县|2025|annual_reserve', "
                 "'annual_reserve', '2025-01-05 09:00:00')")  # fmt: skip
    upgrade(engine)
    result = history.verify(sql_ctx)
    assert result.ok and result.count == 1
    sql(sql_ctx, "UPDATE plans SET plan_key = '伪造'")
    assert [d.fields for d in history.verify(sql_ctx).differences] == [
        (("plan_key", "巴楚县|2025|annual_reserve", "伪造"),)
    ]
    engine.dispose()


def test_an_entry_deleted_and_written_back_later_is_caught_by_its_row_order(county):
    columns = "seq, at, actor, department, entity_type, entity_id, action, before, after, evidence, prev_hash, hash, rows"
    tamper(
        county.engine,
        "history_entries",
        f"CREATE TEMPORARY TABLE kept AS SELECT {columns} FROM history_entries WHERE seq = 3",
        "DELETE FROM history_entries WHERE seq = 3",
        f"INSERT INTO history_entries ({columns}) SELECT {columns} FROM kept",
    )
    broken = history.verify(county).broken
    assert broken is not None and broken.seq == 4 and "写入顺序" in broken.reason
