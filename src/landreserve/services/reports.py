"""Report use cases: the figures of each report read from the database (plan version, register, ledger),
handed to the pure report models of ``domain.reports``. Rendering is ``landreserve.reports``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import shapely
from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from ..domain.funds.ledger import AccountKind, SourceKind
from ..domain.lifecycle import STATE_LABELS, State
from ..domain.plan_versions import UNKNOWN, diff
from ..domain.register import stock_label
from ..domain.reports.annual import (
    Adjustment,
    AnnualReport,
    Coverage,
    FundEntry,
    OpenFinding,
    ParcelStatus,
    annual_report,
    funds_year,
    money,
)
from ..domain.reports.chain_head import ChainHead
from ..domain.reports.disclosure import Disclosure
from ..domain.reports.disclosure import disclosure as build_disclosure
from ..domain.reports.narrative import Narrative
from ..domain.reports.parcel_list import NOT_REGISTERED, ParcelList
from ..domain.reports.parcel_list import parcel_list as build_parcel_list
from ..domain.reports.plan_document import PlanMeta, PlanReport, plan_report
from ..domain.reports.rounding import parcel_ha, round_half_up, split
from ..errors import InputError, NotFoundError, RuleViolation
from ..gis.features import Feature
from ..reports import output
from ..storage.db import reading
from ..storage.funds_tables import FundAccountRow, FundEntryRow, FundPostingRow, FundProjectRow, FundSourceRow
from ..storage.geometry_tables import current_rows
from ..storage.plan_tables import PlanFindingRow, PlanRow, PlanVersionRow
from ..storage.register_tables import ReserveParcelRow
from ..storage.web_tables import PlanPublicationRow
from . import funds_reports, history, plan_vs_actual, publication, register
from .context import Context
from .plan_versions import APPROVED, STATUS_LABELS, version_parcels
from .plans import _find_plan
from .register import facts_of


def choose_version(session: Session, plan_id_or_key: int | str, number: int | None) -> PlanVersionRow:
    """The version numbered ``number`` (版次) of the plan, else its current approved one, else its latest."""
    plan: PlanRow = _find_plan(session, plan_id_or_key)
    if not plan.versions:
        raise NotFoundError(f"储备计划“{plan.plan_key}”还没有任何版本", code="report.no_version")
    if number is not None:
        for v in plan.versions:
            if v.version == number:
                return v
        known = "、".join(str(v.version) for v in plan.versions)
        raise NotFoundError(
            f"储备计划“{plan.plan_key}”（编号 {plan.id}）没有第 {number} 版；现有版本：{known}",
            code="report.version_not_found",
        )
    approved = [v for v in plan.versions if v.status == APPROVED]
    return (approved or plan.versions)[-1]


def stated_funds(version: PlanVersionRow) -> Decimal | None:
    """The funds the plan text states (元), e.g. 资金总量0.75亿元 (kept through adjustments)."""
    for total in (version.structure or {}).get("totals") or []:
        if total.get("kind") == "funds":
            for figure in (total.get("measure") or {}).get("figures") or []:
                if figure.get("quantity") == "money" and figure.get("base_value"):
                    return Decimal(figure["base_value"])
    return None


def plan_meta(version: PlanVersionRow) -> PlanMeta:
    """What identifies ``version`` in a report, with the history chain's head now (printed at its end)."""
    plan = version.plan
    jurisdiction = plan.jurisdiction or ""
    title = version.title or plan.title or f"{jurisdiction}{plan.year or ''}年土地储备计划"
    return PlanMeta(
        title=title, jurisdiction=jurisdiction, year=plan.year, version=version.version,
        status=STATUS_LABELS.get(version.status, version.status), approval_no=version.approval_no,
        approved_on=version.approved_on, approving_body=version.approving_body, reason=version.reason,
        doc_number=version.doc_number, head=chain_head(object_session(version)),
    )  # fmt: skip


def chain_head(session: Session | None) -> ChainHead | None:
    """The last history entry, read in the report's own session (the same snapshot as its figures)."""
    found = history.head_in(session) if session is not None else None
    return ChainHead(*found) if found else None


def plan_document(
    ctx: Context, plan: int | str, version: int | None = None, narrative: Narrative | None = None
) -> PlanReport:
    """The plan document's figures for a stored plan version (default: the current approved one).

    ``narrative`` gives the texts of the narrative sections (``Narrative.from_lines`` of the imported
    document, or of an edited text file); sections it lacks get neutral default texts.
    """
    with reading(ctx.engine) as session:
        row = choose_version(session, plan, version)
        parcels = version_parcels(session, row.id)
        return plan_report(plan_meta(row), parcels, stated_funds(row), narrative)


def versions_of(session: Session, plan_id: int) -> list[PlanVersionRow]:
    return list(
        session.scalars(
            select(PlanVersionRow).where(PlanVersionRow.plan_id == plan_id).order_by(PlanVersionRow.version)
        )
    )


def parcel_list(ctx: Context, plan: int | str, version: int | None = None) -> ParcelList:
    """The version's parcels with their state in the register (储备地块清单)."""
    with reading(ctx.engine) as session:
        row = choose_version(session, plan, version)
        parcels = version_parcels(session, row.id)
        states = dict(session.execute(select(ReserveParcelRow.code, ReserveParcelRow.state)).all())
        return build_parcel_list(plan_meta(row), parcels, {c: State(s) for c, s in states.items()})


# --- the year-end execution report --------------------------------------------------------------------


def _statuses(session: Session, plan_codes: set[str], planned: list) -> list[ParcelStatus]:
    rows = {r.code: r for r in session.scalars(select(ReserveParcelRow).order_by(ReserveParcelRow.code))}
    out = []
    for p in planned:
        r = rows.get(p.code)
        out.append(_status(p, r, True))
    for code, r in rows.items():
        if code not in plan_codes:
            out.append(_status(facts_of(r), r, False))
    return out


def _status(facts, row: ReserveParcelRow | None, in_plan: bool) -> ParcelStatus:
    state = STATE_LABELS[State(row.state)] if row is not None else NOT_REGISTERED
    return ParcelStatus(
        code=facts.code, location=facts.location or "", ha=parcel_ha(facts.area_m2 or Decimal(0)),
        land_use=facts.land_use or UNKNOWN, zone=facts.zone or UNKNOWN, stock=stock_label(facts.stock),
        in_plan=in_plan, state=state, since=row.state_since if row is not None else None,
        area_m2=facts.area_m2 or Decimal(0),
    )  # fmt: skip


def _entries(session: Session) -> list[FundEntry]:
    entries = session.scalars(select(FundEntryRow).order_by(FundEntryRow.id)).all()
    interest: dict[int, Decimal] = {}
    query = (
        select(FundPostingRow.entry_id, FundPostingRow.amount)
        .join(FundAccountRow, FundPostingRow.account_id == FundAccountRow.id)
        .where(FundAccountRow.kind == AccountKind.INTEREST.value)
    )
    for entry_id, amount in session.execute(query):
        interest[entry_id] = interest.get(entry_id, Decimal(0)) + amount
    return [
        FundEntry(
            e.id,
            e.kind,
            e.value_date,
            e.amount,
            e.source_code,
            e.category,
            e.reverses_id,
            interest.get(e.id, Decimal(0)),
        )  # fmt: skip
        for e in entries
    ]


def _adjustments(session: Session, row: PlanVersionRow, year: int) -> list[Adjustment]:
    out = []
    for v in versions_of(session, row.plan_id):
        if v.based_on_version_id is None or v.approved_on is None or v.approved_on.year != year:
            continue
        if v.reason is None:  # an imported revision approved later is not an adjustment
            continue
        old, new = version_parcels(session, v.based_on_version_id), version_parcels(session, v.id)
        change = diff(old, new)
        total = lambda ps: sum((p.area_m2 or Decimal(0) for p in ps), Decimal(0))  # noqa: E731
        out.append(
            Adjustment(
                v.version,
                v.approval_no or "",
                v.approved_on,
                v.reason or "",
                tuple(p.code for p in change.added),
                tuple(p.code for p in change.removed),
                split(total(old), [])[0],
                split(total(new), [])[0],
            )  # fmt: skip
        )
    return out


def _plan_findings(session: Session, row: PlanVersionRow) -> list[OpenFinding]:
    query = select(PlanFindingRow).where(PlanFindingRow.version_id == row.id).order_by(PlanFindingRow.seq)
    return [
        OpenFinding("计划审核", f.severity, f.code, f.message)
        for f in session.scalars(query)
        if f.severity in ("error", "warning")
    ]


def _coverage(ctx: Context, session: Session) -> list[Coverage]:
    out = []
    for code in session.scalars(select(FundProjectRow.code).order_by(FundProjectRow.code)):
        b = funds_reports.balance(ctx, code)
        ratio = None if b.ratio is None else round_half_up(b.ratio, 2)
        out.append(
            Coverage(
                code,
                money("期内预期收入", b.income_within_term),
                money("本息", b.debt_service),
                ratio,
                b.bound,
            )
        )
    return out


def annual(
    ctx: Context, plan: int | str, year: int | None = None, version: int | None = None
) -> AnnualReport:
    """The year-end execution report of a plan (default year: the plan's year; version: the current one)."""
    with reading(ctx.engine) as session:
        row = choose_version(session, plan, version)
        year = year or row.plan.year
        if year is None:
            raise InputError("该计划没有年度，请用 --year 指定报告年度", code="report.year_missing")
        meta, version_id = plan_meta(row), row.id
        planned = version_parcels(session, row.id)
        parcels = _statuses(session, {p.code for p in planned}, planned)
        labels = {s.code: SourceKind(s.kind).label for s in session.scalars(select(FundSourceRow))}
        funds = funds_year(_entries(session), year, labels, stated_funds(row))
        adjustments = _adjustments(session, row, year)
        findings = _plan_findings(session, row)
        coverage = _coverage(ctx, session)
    report, _ = plan_vs_actual.plan_vs_actual(ctx, year, version_id)
    day = date(year, 12, 31)
    findings += [
        OpenFinding("储备库", f.severity.value, f.code, f.message) for f in register.findings(ctx, day)
    ]
    findings += [
        OpenFinding("资金", f.severity.value, f.code, f.message) for f in funds_reports.coverage_findings(ctx)
    ]
    return annual_report(meta, report, parcels, funds, coverage, adjustments, findings)


# --- the disclosure package ------------------------------------------------------------------------------


def _published(session: Session, plan: int | str, version: int | None) -> tuple[PlanVersionRow, date | None]:
    published = publication.published_version_ids(session)
    if version is None:
        rows = [v for v in _find_plan(session, plan).versions if v.id in published]
        if not rows:
            raise RuleViolation(
                "该计划还没有公开的版本，不能生成公开材料：请先公开（网页“计划”页面的“公开”，须经批准）",
                code="report.not_published",
            )
        row = rows[-1]
    else:
        row = choose_version(session, plan, version)
        if row.id not in published:
            raise RuleViolation(
                f"第{row.version}版尚未公开，不能生成公开材料；请先公开该版本，或不指定 --version（用已公开的版本）",
                code="report.not_published",
            )
    on = session.scalar(
        select(PlanPublicationRow.on)
        .where(PlanPublicationRow.version_id == row.id, PlanPublicationRow.published.is_(True))
        .order_by(PlanPublicationRow.id.desc())
        .limit(1)
    )
    return row, on


def disclosure(ctx: Context, plan: int | str, version: int | None = None) -> Disclosure:
    """What the public may see of the plan's published version (default: its latest published one)."""
    with reading(ctx.engine) as session:
        row, on = _published(session, plan, version)
        number = row.version
    return build_disclosure(plan_document(ctx, plan, number), parcel_list(ctx, plan, number), on)


def write_disclosure_geojson(ctx: Context, package: Disclosure, path: Path) -> int:
    """The public parcels' current boundaries as RFC 7946 GeoJSON (public properties only); the number of
    features written (parcels without a boundary have none)."""
    from ..gis.geojson import write_geojson
    from ..gis.measurement import project
    from .geometry_export import stored_zone

    properties = package.geo_properties()
    with reading(ctx.engine) as session:
        rows = [r for r in current_rows(session) if r.code in properties]
    if not rows:
        raise NotFoundError("该计划的地块还没有边界数据，不能生成公开地图文件；请先用 landreserve geo import 导入",
                            code="report.no_boundaries")  # fmt: skip
    zone = stored_zone(rows).zone
    features = [
        Feature(project(shapely.from_wkb(r.wkb), r.epsg, zone.epsg), properties[r.code], r.code) for r in rows
    ]
    write_geojson(path, features, zone.epsg)
    return len(features)


# --- every report in every format ------------------------------------------------------------------------


def render(
    ctx: Context,
    report: str,
    plan: int | str,
    fmt: str,
    *,
    version: int | None = None,
    year: int | None = None,
    narrative: Narrative | None = None,
) -> output.Rendered:
    """``report`` (plan | parcels | annual | disclosure) of ``plan`` as ``fmt`` bytes with a file name.

    Raises ``InputError`` (Chinese, naming the formats that fit) for a format that does not fit the report.
    """
    fmt = output.check_format(report, fmt)
    if report == "plan":
        model = plan_document(ctx, plan, version, narrative)
        data, meta = output.plan_bytes(model, fmt), model.meta
    elif report == "parcels":
        listing = parcel_list(ctx, plan, version)
        data, meta = output.parcels_bytes(listing, fmt), listing.meta
    elif report == "annual":
        model = annual(ctx, plan, year, version)
        data, meta, year = output.annual_bytes(model, fmt), model.meta, model.year
    else:
        package = disclosure(ctx, plan, version)
        meta = package.plan.meta
        data = _geojson_bytes(ctx, package) if fmt == "geojson" else output.disclosure_bytes(package, fmt)
    name = output.file_name(report, meta.title, fmt, meta.version, year)
    return output.Rendered(data, output.MEDIA_TYPES[fmt], name)


def _geojson_bytes(ctx: Context, package: Disclosure) -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "disclosure.geojson"
        write_disclosure_geojson(ctx, package, path)
        return path.read_bytes()


def narrative_from_file(path: str | Path) -> Narrative:
    """The narrative sections of a plan document (.txt/.docx/.html: the imported plan, a generated one edited
    in Word, or the ``【指导思想】`` text layout)."""
    from ..importers.sources import read_source

    lines, _ = read_source(path)
    return Narrative.from_lines(lines)
