"""The dashboard of a plan year: the plan's indicators, plan against reality, open audit findings, the
money, and what each department has waiting. Read-only; computed from the same services as the CLI.

``data_version`` (the head of the history log) changes with every write, so a caller may keep a result
until it changes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.funds.bonds import schedule
from ..domain.funds.ledger import SourceKind
from ..domain.lifecycle import HELD_STATES, State
from ..domain.plan_versions import Indicators, indicators
from ..domain.plan_vs_actual import Report
from ..storage.db import read_connection, reading
from ..storage.funds_tables import FundEntryRow, FundSourceRow
from ..storage.geometry_tables import ParcelGeometryRow
from ..storage.history_tables import HistoryEntryRow
from ..storage.plan_tables import PlanFindingRow, PlanParcelRow, PlanRow, PlanVersionRow
from ..storage.register_tables import ReserveParcelRow
from ..storage.web_tables import AccountRow, PlanAdjustmentRow
from . import clock, funds_reports, plan_vs_actual
from .context import Context
from .funds import bond_terms, net_total
from .plan_versions import APPROVED, version_parcels
from .publication import published_version_ids


def data_version(ctx: Context) -> int:
    """The sequence number of the newest history entry: it changes with every write."""
    with read_connection(ctx.engine) as connection:
        return connection.scalar(_HEAD) or 0


_HEAD = select(func.max(HistoryEntryRow.seq))


@dataclass(frozen=True)
class Waiting:
    """Something a department has to do: a label, how many, and where to do it."""

    department: str
    label: str
    count: int
    link: str


@dataclass(frozen=True)
class FundsSummary:
    bonds: int
    bond_amount: Decimal
    fiscal_amount: Decimal
    allocated: Decimal
    paid: Decimal
    income: Decimal
    stated_need: Decimal | None


@dataclass(frozen=True)
class Dashboard:
    year: int | None
    years: list[int]
    plan_id: int | None
    version_id: int | None
    version: int | None
    version_status: str | None
    title: str | None
    indicators: Indicators | None
    stated_scale_m2: Decimal | None
    #: the plan text's own structure (by use, by zone): name → area in ㎡
    stated_by_use: dict[str, Decimal]
    stated_by_zone: dict[str, Decimal]
    report: Report | None
    report_notes: tuple[str, ...]
    findings: list[dict]
    finding_counts: dict[str, int]
    register_by_state: dict[str, tuple[int, Decimal]]
    funds: FundsSummary
    waiting: list[Waiting] = field(default_factory=list)


def plan_years(session: Session) -> list[int]:
    return sorted({y for y in session.scalars(select(PlanRow.year)) if y is not None}, reverse=True)


def _version_of_year(session: Session, year: int) -> PlanVersionRow | None:
    """The year's annual plan: its current approved version, else its newest version."""
    return session.scalars(
        select(PlanVersionRow)
        .join(PlanRow, PlanVersionRow.plan_id == PlanRow.id)
        .where(PlanRow.year == year)
        .order_by(
            PlanRow.kind != "annual_reserve", PlanVersionRow.status != APPROVED, PlanVersionRow.version.desc()
        )
    ).first()


def _stated_scale(version: PlanVersionRow) -> Decimal | None:
    """The reserve scale the plan text states (㎡), from its parsed structure."""
    total = (version.structure or {}).get("parcels_total") or {}
    measure = total.get("measure") or {}
    figures = measure.get("figures") or []
    for figure in figures:
        if figure.get("quantity") == "area" and figure.get("base_value"):
            return Decimal(figure["base_value"])
    return None


def stated_breakdown(version: PlanVersionRow | None, dimension: str) -> dict[str, Decimal]:
    """Name → area (㎡) of the plan text's breakdown by ``dimension`` (``use``, ``zone``), first one stated."""
    for breakdown in ((version.structure or {}).get("breakdowns") or []) if version else []:
        if breakdown.get("dimension") != dimension:
            continue
        result = {}
        for item in breakdown.get("items") or []:
            figures = (item.get("area") or {}).get("figures") or []
            if figures and figures[0].get("base_value"):
                result[item["name"]] = Decimal(figures[0]["base_value"])
        if result:
            return result
    return {}


def _stated_funds(session: Session, version_id: int) -> Decimal | None:
    """The funds the plan text states (元), e.g. 资金总量0.75亿元."""
    version = session.get(PlanVersionRow, version_id)
    for total in (version.structure or {}).get("totals") or []:
        if total.get("kind") == "funds":
            for figure in (total.get("measure") or {}).get("figures") or []:
                if figure.get("quantity") == "money" and figure.get("base_value"):
                    return Decimal(figure["base_value"])
    return None


def _register_by_state(session: Session) -> dict[str, tuple[int, Decimal]]:
    result: dict[str, tuple[int, Decimal]] = {}
    for state, area in session.execute(select(ReserveParcelRow.state, ReserveParcelRow.area_m2)):
        count, total = result.get(state, (0, Decimal(0)))
        result[state] = (count + 1, total + (area or Decimal(0)))
    return result


def _funds(session: Session, stated: Decimal | None) -> FundsSummary:
    sources = list(session.scalars(select(FundSourceRow)))
    bonds = [s for s in sources if s.kind == SourceKind.SPECIAL_BOND]
    return FundsSummary(
        bonds=len(bonds),
        bond_amount=sum((s.amount for s in bonds), Decimal(0)),
        fiscal_amount=sum((s.amount for s in sources if s.kind != SourceKind.SPECIAL_BOND), Decimal(0)),
        allocated=net_total(session, "allocate"),
        paid=net_total(session, "pay"),
        income=net_total(session, "income"),
        stated_need=stated,
    )


def dashboard(ctx: Context, year: int | None = None) -> Dashboard:
    """Everything the dashboard shows for ``year`` (default: the newest plan year)."""
    with reading(ctx.engine) as session:
        years = plan_years(session)
        year = year if year is not None else (years[0] if years else None)
        version = _version_of_year(session, year) if year is not None else None
        parcels = version_parcels(session, version.id) if version else []
        findings, counts = _findings(session, version.id) if version else ([], {})
        stated_funds = _stated_funds(session, version.id) if version else None
        result = dict(
            year=year, years=years, plan_id=version.plan_id if version else None,
            version_id=version.id if version else None, version=version.version if version else None,
            version_status=version.status if version else None, title=version.title if version else None,
            indicators=indicators(parcels) if version else None,
            stated_scale_m2=_stated_scale(version) if version else None,
            stated_by_use=stated_breakdown(version, "use"), stated_by_zone=stated_breakdown(version, "zone"),
            findings=findings, finding_counts=counts, register_by_state=_register_by_state(session),
            funds=_funds(session, stated_funds),
        )  # fmt: skip
        waiting = _waiting(session, ctx)
    report, notes = None, ()
    if version is not None and year is not None:
        report, _ = plan_vs_actual.plan_vs_actual(ctx, year, version.id)
        notes = (
            ()
            if version.status == APPROVED
            else (f"{year} 年度计划尚未批准，按第{version.version}版（未批准）比较",)
        )
    waiting += _finance_waiting(ctx)
    return Dashboard(**result, report=report, report_notes=notes, waiting=waiting)


def _findings(session: Session, version_id: int) -> tuple[list[dict], dict[str, int]]:
    rows = list(
        session.scalars(
            select(PlanFindingRow).where(PlanFindingRow.version_id == version_id).order_by(PlanFindingRow.seq)
        )
    )
    counts = Counter(r.severity for r in rows)
    shown = [
        {"code": r.code, "severity": r.severity, "message": r.message, "lines": list(r.lines or [])}
        for r in rows
        if r.severity in ("error", "warning")
    ]
    return shown, dict(counts)


def _waiting(session: Session, ctx: Context) -> list[Waiting]:
    items: list[Waiting] = []
    imported = session.scalar(
        select(func.count()).select_from(PlanVersionRow).where(PlanVersionRow.status == "imported")
    )
    pending = session.scalar(
        select(func.count()).select_from(PlanAdjustmentRow).where(PlanAdjustmentRow.status == "pending")
    )
    items += [
        Waiting("government", "已导入、待批准的计划版本", imported, "/plans"),
        Waiting("government", "待审批的计划调整", pending, "/plans/adjustments"),
    ]
    approved = list(session.scalars(select(PlanVersionRow.id).where(PlanVersionRow.status == APPROVED)))
    unpublished = len(set(approved) - published_version_ids(session))
    registered = set(session.scalars(select(ReserveParcelRow.code)))
    planned = set(
        session.scalars(select(PlanParcelRow.code).where(PlanParcelRow.version_id.in_(approved)))
    ) if approved else set()  # fmt: skip
    states = Counter(session.scalars(select(ReserveParcelRow.state)))
    with_geometry = set(
        session.scalars(select(ParcelGeometryRow.code).where(ParcelGeometryRow.superseded_at.is_(None)))
    )
    rejected = session.scalar(
        select(func.count()).select_from(PlanAdjustmentRow).where(PlanAdjustmentRow.status == "rejected")
    )
    items += [
        Waiting("reserve_center", "现行计划中尚未登记入储备库的地块", len(planned - registered), "/plans"),
        Waiting("reserve_center", "拟收储、待办理入库的地块", states.get(State.PLANNED.value, 0), "/parcels?state=planned"),
        Waiting("reserve_center", "被县政府退回的计划调整", rejected, "/plans/adjustments"),
        Waiting("natural_resources", "已批准、尚未向社会公开的计划版本", unpublished, "/plans"),
        Waiting("natural_resources", "现行计划中还没有界址的地块", len(planned - with_geometry), "/map"),
        Waiting("housing", "前期开发中、待工程验收的地块", states.get(State.DEVELOPING.value, 0),
                "/parcels?state=developing"),
    ]  # fmt: skip
    industrial = session.scalar(
        select(func.count())
        .select_from(ReserveParcelRow)
        .where(
            ReserveParcelRow.state.in_([s.value for s in HELD_STATES]), ReserveParcelRow.land_use.like("%工%")
        )
    )
    items.append(
        Waiting("commerce_industry", "库中可供招商的工矿仓储用地", industrial, "/parcels?use=工矿仓储用地")
    )
    must_change = session.scalar(
        select(func.count()).select_from(AccountRow).where(AccountRow.must_change_password, AccountRow.active)
    )
    items.append(Waiting("it", "尚未修改初始密码的账号", must_change, "/admin/accounts"))
    return items


def _finance_waiting(ctx: Context) -> list[Waiting]:
    below = [f for f in funds_reports.coverage_findings(ctx) if f.severity.value in ("error", "warning")]
    soon = clock.today() + timedelta(days=90)
    due = 0
    with reading(ctx.engine) as session:
        for row in session.scalars(
            select(FundSourceRow).where(FundSourceRow.kind == SourceKind.SPECIAL_BOND)
        ):
            terms = bond_terms(row)
            if terms is not None:
                due += sum(1 for r in schedule(terms) if clock.today() <= r.due_date <= soon)
        supplied = set(
            session.scalars(
                select(ReserveParcelRow.code).where(
                    ReserveParcelRow.state == State.SUPPLIED.value, ReserveParcelRow.supply_method == "sale"
                )
            )
        )
        with_income = set(
            session.scalars(select(FundEntryRow.parcel_code).where(FundEntryRow.kind == "income"))
        )
    return [
        Waiting("finance", "本息覆盖倍数低于要求或缺少数据的项目", len(below), "/funds"),
        Waiting("finance", "90 天内到期的还本付息", due, "/funds"),
        Waiting(
            "finance", "已出让供应、尚未登记出让收入的地块", len(supplied - with_income), "/funds/ledger"
        ),
        Waiting("development_reform", "覆盖倍数需关注的专项债券项目", len(below), "/funds"),
    ]
