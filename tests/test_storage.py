"""Storage basics on both backends: migrations create every table, decimals stay exact."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import inspect, select

from landreserve.storage.all_tables import metadata
from landreserve.storage.db import transaction
from landreserve.storage.plan_tables import PlanFigureRow, PlanRow, PlanVersionRow


def test_migrations_create_every_table(engine):
    assert set(metadata.tables) <= set(inspect(engine).get_table_names())


def test_decimal_values_round_trip_exactly(engine):
    value = Decimal("475753.333333333333333333")
    with transaction(engine) as s:
        plan = PlanRow(plan_key="k", kind="other", created_at=datetime(2026, 1, 1))
        version = PlanVersionRow(
            plan=plan, version=1, content_sha256="0" * 64, source_name="x", created_at=datetime(2026, 1, 1)
        )
        s.add(version)
        s.flush()
        s.add(
            PlanFigureRow(
                version_id=version.id,
                seq=1,
                label="l",
                value="1",
                unit="亩",
                quantity="area",
                base_value=value,
                line=1,
                text="t",
            )
        )
    with transaction(engine) as s:
        stored = s.scalars(select(PlanFigureRow.base_value)).one()
    assert stored == value and isinstance(stored, Decimal)


def test_floats_are_refused_for_exact_columns(engine):
    with pytest.raises(Exception, match="float"):
        with transaction(engine) as s:
            plan = PlanRow(plan_key="k", kind="other", created_at=datetime(2026, 1, 1))
            version = PlanVersionRow(
                plan=plan,
                version=1,
                content_sha256="0" * 64,
                source_name="x",
                created_at=datetime(2026, 1, 1),
            )
            s.add(version)
            s.flush()
            s.add(
                PlanFigureRow(
                    version_id=version.id,
                    seq=1,
                    label="l",
                    value="1",
                    unit="亩",
                    quantity="area",
                    base_value=0.1,
                    line=1,
                    text="t",
                )
            )
