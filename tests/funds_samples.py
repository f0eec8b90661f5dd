"""Shared samples for the funds tests: the Bachu plan's parcels, an approved plan in the database,
sample bonds, and row counts of the funds tables (to prove a refusal wrote nothing)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select

from actors import acting
from landreserve.domain.funds.bonds import BondTerms, InterestFrequency, Repayment
from landreserve.services import plan_versions
from landreserve.services.context import Context
from landreserve.storage.db import transaction
from landreserve.storage.funds_tables import (
    FundAccountRow,
    FundBondPrepaymentRow,
    FundBudgetLineRow,
    FundEntryRow,
    FundPostingRow,
    FundPriceRow,
    FundProjectBondRow,
    FundProjectParcelRow,
    FundProjectRecordRow,
    FundProjectRow,
    FundSourceRow,
)
from landreserve.storage.history_tables import HistoryEntryRow
from landreserve.storage.plan_tables import PlanParcelRow, PlanRow, PlanVersionRow
from register_samples import BACHU_AREAS

#: the 13 parcels of the Bachu 2026 plan (data/plans/bachu-2026.txt, 储备地块明细): code → area in ㎡
BACHU_PARCELS = BACHU_AREAS

BACHU_BOND = BondTerms(
    "BC-ZXZQ-2026-01", Decimal("75000000.00"), date(2026, 3, 15), 7, Decimal("3"),
    Repayment.BULLET, InterestFrequency.YEARLY,
)  # fmt: skip

FUND_TABLES = (
    FundSourceRow, FundProjectRow, FundProjectParcelRow, FundPriceRow, FundAccountRow, FundEntryRow,
    FundPostingRow, FundBudgetLineRow, HistoryEntryRow, FundProjectBondRow, FundBondPrepaymentRow,
    FundProjectRecordRow,
)  # fmt: skip


def insert_plan(ctx: Context, parcels: dict[str, Decimal], key: str = "巴楚县/2026/annual_reserve") -> int:
    """Store a plan with one imported version holding ``parcels``; returns the version id.

    (A stand-in for ``services.plans.import_plan`` so that the funds tests depend only on the tables.)
    """
    now = datetime(2026, 1, 5, 9, 0)
    with transaction(ctx.engine) as session:
        plan = PlanRow(plan_key=key, jurisdiction="巴楚县", year=2026, kind="annual_reserve", created_at=now)
        version = PlanVersionRow(
            plan=plan, version=1, content_sha256=key.encode().hex()[:64].ljust(64, "0"), source_name="bachu-2026.txt",
            created_at=now, status="imported",
        )  # fmt: skip
        session.add(version)
        session.flush()
        for seq, (code, area) in enumerate(parcels.items(), start=1):
            session.add(PlanParcelRow(
                version_id=version.id, seq=seq, code=code, code_as_written=code.replace("-", "－"), area_m2=area,
                area_text=f"{area / 10000}公顷", carried_over=code.startswith("BC2025"), line=30 + seq, text=code,
            ))  # fmt: skip
        return version.id


def approve(ctx: Context, version_id: int) -> None:
    """Approve a plan version through the plan-versions service (批准文号 and body are samples)."""
    plan_versions.approve_version(
        acting(ctx, "government"), version_id, "巴政发〔2026〕1号", date(2026, 1, 20), "巴楚县人民政府"
    )


def approved_bachu(ctx: Context) -> tuple[int, int]:
    """(plan id, version id) of an approved Bachu plan."""
    version_id = insert_plan(ctx, BACHU_PARCELS)
    approve(ctx, version_id)
    with transaction(ctx.engine) as session:
        return session.get(PlanVersionRow, version_id).plan_id, version_id


def row_counts(ctx: Context) -> dict[str, int]:
    """Rows in every funds table (and the history log): a refused operation must leave them unchanged."""
    with transaction(ctx.engine) as session:
        return {t.__tablename__: session.scalar(select(func.count()).select_from(t)) for t in FUND_TABLES}
