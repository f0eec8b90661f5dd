"""Optimistic locking of register parcels: two writers of one parcel through two connections, interleaved
deterministically, on SQLite and PostgreSQL — one wins, the other gets a conflict, nothing is lost."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from landreserve.domain.lifecycle import State
from landreserve.errors import ConflictError
from landreserve.services import history, register
from landreserve.storage.db import session_factory, transaction
from landreserve.storage.history_tables import HistoryEntryRow
from register_samples import BACHU_AREAS, approve, bachu_facts, entry_evidence, store_plan

CODE = "BC-CB2026006"


@pytest.fixture
def registered(ctx):
    version_id = store_plan(ctx.engine, {CODE: BACHU_AREAS[CODE]})
    approve(ctx, version_id)
    register.create_from_plan(ctx, 1, {CODE: bachu_facts(CODE)})
    return ctx


def parcel_entries(ctx) -> list[str]:
    with transaction(ctx.engine) as s:
        return list(s.scalars(select(HistoryEntryRow.action).where(HistoryEntryRow.entity_id == CODE)))


def test_the_second_writer_with_a_stale_version_gets_a_conflict(registered):
    ctx = registered
    seen_by_a = register.get_parcel(ctx, CODE).row_version
    seen_by_b = register.get_parcel(ctx, CODE).row_version
    register.update_parcel(ctx, CODE, {"zone": "巴楚镇城南片区"}, expected_version=seen_by_a)
    with pytest.raises(ConflictError, match="已被他人修改") as conflict:
        register.update_parcel(ctx, CODE, {"land_use": "商服用地"}, expected_version=seen_by_b)
    assert "第 1 版" in conflict.value.message and "第 2 版" in conflict.value.message
    view = register.get_parcel(ctx, CODE)
    assert (view.facts.zone, view.facts.land_use, view.row_version) == ("巴楚镇城南片区", "住宅用地", 2)
    # B re-reads and tries again: both changes are kept
    register.update_parcel(ctx, CODE, {"land_use": "商服用地"}, expected_version=view.row_version)
    view = register.get_parcel(ctx, CODE)
    assert (view.facts.zone, view.facts.land_use, view.row_version) == ("巴楚镇城南片区", "商服用地", 3)
    assert parcel_entries(ctx) == ["parcel.create_from_plan", "parcel.update", "parcel.update"]


def test_a_transition_on_a_stale_version_is_refused(registered):
    ctx = registered
    seen = register.get_parcel(ctx, CODE).row_version
    register.add_evidence(
        ctx, CODE, entry_evidence(date(2026, 3, 1), ctx.settings.risk_checks), expected_version=seen
    )
    with pytest.raises(ConflictError):
        register.transition(ctx, CODE, State.WITHDRAWN, reason="规划调整", expected_version=seen)
    assert register.get_parcel(ctx, CODE).state is State.PLANNED


def _two_sessions(engine):
    make = session_factory(engine)
    return make(), make()


def test_two_connections_updating_one_parcel(registered):
    """Both read version 1 on their own connection; A writes and commits; B's write finds the row changed."""
    ctx = registered
    a, b = _two_sessions(ctx.engine)
    try:
        pg = ctx.engine.dialect.name == "postgresql"
        # PostgreSQL: both transactions are open at once. SQLite allows one writer at a time (BEGIN
        # IMMEDIATE), so there B reads in a transaction of its own and writes in the next one.
        tx_a = a.begin()
        row_a = register.parcel_row(a, CODE)
        if not pg:
            tx_a.commit()
        tx_b = b.begin()
        row_b = register.parcel_row(b, CODE)
        if not pg:
            tx_b.commit()
            tx_a = a.begin()
        assert (row_a.row_version, row_b.row_version) == (1, 1)
        row_a.zone = "A：巴楚镇城南片区"
        with register.conflict_guard(CODE):
            history.record(
                a, ctx.actor, "parcel", CODE, "parcel.update", {"zone": "巴楚镇"}, {"zone": row_a.zone}
            )
            tx_a.commit()
        if not pg:
            tx_b = b.begin()
        row_b.zone = "B：巴楚镇城北片区"
        with pytest.raises(ConflictError, match=f"地块 {CODE} 已被他人修改"):
            with register.conflict_guard(CODE):
                b.flush()
        tx_b.rollback()
    finally:
        a.close()
        b.close()
    view = register.get_parcel(ctx, CODE)
    assert (view.facts.zone, view.row_version) == ("A：巴楚镇城南片区", 2)
    with transaction(ctx.engine) as s:
        assert (
            s.scalar(select(func.count()).select_from(HistoryEntryRow)) == 3
        )  # approval, creation, A's update
    assert history.verify(ctx).broken is None  # (the sample plan was stored as rows, outside the history)
