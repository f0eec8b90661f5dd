"""Plan use cases: audit a plan file, import it as a new plan or version, list and show stored plans."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import exc as sa_exc
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import plausibility
from ..domain.findings import Finding, Severity
from ..domain.permissions import Permission
from ..domain.plans import PlanDocument
from ..errors import ConflictError, InputError, NotFoundError
from ..storage import plan_tables as store
from ..storage.db import reading, transaction
from ..storage.plan_tables import PlanRow, PlanVersionRow
from . import collector, history, plan_rows
from .authorization import requires
from .context import Context
from .plan_audit import AuditReport, audit_file  # noqa: F401  (part of this module's API)
from .plan_json import (  # noqa: F401  (the JSON shapes are part of this module's API too)
    DOCUMENT_KEYS,
    FIGURE_KEYS,
    FINDING_KEYS,
    PARCEL_KEYS,
    figure_json,
    finding_json,
    parcel_json,
    plain,
    report_json,
    structure_json,
)

#: longest plan key kept (the column is ``String(300)``; a key is an identity, not a text to show)
PLAN_KEY_LENGTH = 300


@dataclass(frozen=True)
class ImportResult:
    """Outcome of ``import_plan``: where the document is stored and whether this call stored it."""

    plan_id: int
    plan_key: str
    version_id: int
    version: int
    #: False when the same document (same content hash) was already stored: nothing was written
    created: bool
    #: True when this call created the plan itself (its first version)
    new_plan: bool
    report: AuditReport

    @property
    def findings(self) -> list[Finding]:
        return self.report.findings


@dataclass(frozen=True)
class PlanSummary:
    """One line of ``list_plans``: a stored plan and the state of its latest version."""

    id: int
    plan_key: str
    title: str | None
    jurisdiction: str | None
    year: int | None
    kind: str
    versions: int
    latest_version: int | None
    latest_status: str | None
    errors: int
    warnings: int

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class VersionInfo:
    """Metadata of one stored version of a plan."""

    id: int
    version: int
    status: str
    content_sha256: str
    source_name: str
    title: str | None
    doc_number: str | None
    created_at: datetime
    created_by: str | None
    line_count: int

    def to_dict(self) -> dict:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["created_at"] = self.created_at.isoformat(timespec="seconds")
        return data


@dataclass(frozen=True)
class PlanView:
    """A stored plan with one of its versions in full: figures, parcels, findings, structure.

    ``figures``, ``parcels`` and ``findings`` have the same keys as ``audit --json``.
    """

    plan_id: int
    plan_key: str
    document: dict
    versions: list[VersionInfo]
    version: VersionInfo
    figures: list[dict] = field(default_factory=list)
    parcels: list[dict] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)
    structure: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "plan": {
                "id": self.plan_id,
                "key": self.plan_key,
                "versions": [v.to_dict() for v in self.versions],
            },
            "version": self.version.to_dict(),
            "document": self.document,
            "figures": self.figures,
            "parcels": self.parcels,
            "findings": self.findings,
            "structure": self.structure,
        }


# --- import ------------------------------------------------------------------------------------------


def plan_key(document: PlanDocument, source_name: str) -> str:
    """The identity of a plan: ``jurisdiction|year|kind``, else its title, else the file name.

    Two documents with the same key are versions of one plan.
    """
    if document.jurisdiction and document.year:
        key = f"{document.jurisdiction}|{document.year}|{plain(document.kind)}"
    else:
        key = (document.title or "").strip() or source_name
    return key[:PLAN_KEY_LENGTH]


@requires(Permission.PLAN_IMPORT)
def import_plan(ctx: Context, path: str | Path) -> ImportResult:
    """Read, audit and store a plan document in one transaction.

    The same document again (same ``content_sha256``, whatever its encoding or file name) changes
    nothing and returns ``created=False``; a changed document becomes version N+1 of the plan with the
    same key (status ``imported``). Error findings do not block storing: a county stores its plan as
    published, with the findings next to it.

    Raises
    ------
    InputError
        The file cannot be read as a plan, or states what no plan can (a parcel of 0 公顷, a code that is
        no code: ``domain.plausibility.REFUSING_CODES``); nothing is stored.
    ConflictError
        Someone imported the same plan at the same moment; nothing is stored, try again.
    """
    with collector.paused():  # the document's objects live until the end: see ``services.collector``
        return _import(ctx, path)


def _import(ctx: Context, path: str | Path) -> ImportResult:
    report = audit_file(path, ctx.settings.max_parcel_area_ha)
    document = report.document
    if not document.content_sha256:
        raise InputError(f"计划文件“{path}”没有内容摘要，无法判断是否已导入。", code="plan.no_hash")
    refused = plausibility.refusal(report.findings, Path(path).name)
    if refused is not None:
        raise refused
    try:
        with transaction(ctx.engine) as session:
            return _store(session, ctx, report, Path(path).name)
    except sa_exc.IntegrityError as error:
        raise ConflictError(
            f"导入“{Path(path).name}”时，同一计划正被他人同时导入，本次未保存任何内容。请稍后重试。",
            code="plan.concurrent_import",
        ) from error


def _store(session: Session, ctx: Context, report: AuditReport, source_name: str) -> ImportResult:
    document = report.document
    existing = store.version_by_content(session, document.content_sha256)
    if existing is not None:
        plan = existing.plan
        return ImportResult(plan.id, plan.plan_key, existing.id, existing.version, False, False, report)
    key = plan_key(document, source_name)
    plan = store.plan_by_key(session, key)
    new_plan = plan is None
    if plan is None:
        plan = _new_plan(session, document, key)
    previous = None if new_plan else store.latest_version(session, plan.id)
    version = _new_version(session, ctx, plan, previous, document, source_name)
    figure_rows, parcel_rows = plan_rows.rows_of(document.figures, document.parcels)
    store.insert_figures(session, version.id, figure_rows)
    store.insert_parcels(session, version.id, parcel_rows)
    store.insert_findings(session, version.id, plan_rows.finding_columns(report.findings))
    history.record(
        session, ctx.actor, "plan_version", version.id, "plan.import", None,
        {"plan_id": plan.id, "plan_key": key, "version": version.version, "source_name": source_name,
         "content_sha256": document.content_sha256, "parcels": len(document.parcels),
         "errors": report.count(Severity.ERROR), "warnings": report.count(Severity.WARNING)},
    )  # fmt: skip
    return ImportResult(plan.id, plan.plan_key, version.id, version.version, True, new_plan, report)


def _new_plan(session: Session, document: PlanDocument, key: str) -> PlanRow:
    plan = PlanRow(
        plan_key=key,
        jurisdiction=document.jurisdiction,
        year=document.year,
        kind=plain(document.kind),
        title=document.title,
        created_at=_now(),
    )
    session.add(plan)
    session.flush()
    return plan


def _new_version(
    session: Session,
    ctx: Context,
    plan: PlanRow,
    previous: PlanVersionRow | None,
    document: PlanDocument,
    source_name: str,
) -> PlanVersionRow:
    version = PlanVersionRow(
        plan_id=plan.id,
        version=(previous.version + 1) if previous else 1,
        content_sha256=document.content_sha256,
        source_name=source_name,
        title=document.title,
        doc_number=document.doc_number,
        status="imported",
        based_on_version_id=previous.id if previous else None,
        created_at=_now(),
        created_by=f"{ctx.actor.name}（{ctx.actor.department_name}）",
        line_count=document.line_count,
        structure=structure_json(document),
    )
    session.add(version)
    session.flush()
    return version


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# --- read --------------------------------------------------------------------------------------------


def list_plans(ctx: Context) -> list[PlanSummary]:
    """Every stored plan, by id, with its number of versions and its latest version's findings."""
    with reading(ctx.engine) as session:
        plans = session.scalars(select(PlanRow).order_by(PlanRow.id)).all()
        versions = session.scalars(select(PlanVersionRow).order_by(PlanVersionRow.version)).all()
        latest: dict[int, PlanVersionRow] = {}
        per_plan: dict[int, int] = {}
        for v in versions:
            latest[v.plan_id] = v
            per_plan[v.plan_id] = per_plan.get(v.plan_id, 0) + 1
        counts = store.finding_counts(session, [v.id for v in latest.values()])
        return [_summary(p, latest.get(p.id), per_plan.get(p.id, 0), counts) for p in plans]


def _summary(plan: PlanRow, latest: PlanVersionRow | None, n: int, counts: dict) -> PlanSummary:
    severities = counts.get(latest.id, {}) if latest else {}
    return PlanSummary(
        id=plan.id,
        plan_key=plan.plan_key,
        title=plan.title,
        jurisdiction=plan.jurisdiction,
        year=plan.year,
        kind=plan.kind,
        versions=n,
        latest_version=latest.version if latest else None,
        latest_status=latest.status if latest else None,
        errors=severities.get(Severity.ERROR.value, 0),
        warnings=severities.get(Severity.WARNING.value, 0),
    )


def get_plan(ctx: Context, plan_id_or_key: int | str, version: int | None = None) -> PlanView:
    """A stored plan (by id or key) with one version in full (the latest unless ``version`` is given).

    Raises
    ------
    NotFoundError
        No such plan, or no such version of it.
    """
    with reading(ctx.engine) as session:
        plan = _find_plan(session, plan_id_or_key)
        chosen = _find_version(plan, version)
        return PlanView(
            plan_id=plan.id,
            plan_key=plan.plan_key,
            document={
                "title": chosen.title,
                "jurisdiction": plan.jurisdiction,
                "year": plan.year,
                "kind": plan.kind,
            },
            versions=[_version_info(v) for v in plan.versions],
            version=_version_info(chosen),
            figures=[figure_json(f) for _seq, f in plan_rows.version_figures(chosen)],
            parcels=[parcel_json(p) for p in chosen.parcels],
            findings=[finding_json(f) for f in chosen.findings],
            structure=dict(chosen.structure or {}),
        )


def _find_plan(session: Session, plan_id_or_key: int | str) -> PlanRow:
    text = str(plan_id_or_key).strip()
    plan = session.get(PlanRow, int(text)) if text.isdigit() else None
    plan = plan or store.plan_by_key(session, text)
    if plan is None:
        raise NotFoundError(
            f"找不到储备计划“{text}”。请用 `landreserve plans` 查看已保存计划的编号和标识。",
            details={"plan": text},
        )
    return plan


def _find_version(plan: PlanRow, number: int | None) -> PlanVersionRow:
    if not plan.versions:
        raise NotFoundError(
            f"储备计划“{plan.plan_key}”（编号 {plan.id}）还没有任何版本。", details={"plan": plan.id}
        )
    if number is None:
        return plan.versions[-1]
    for v in plan.versions:
        if v.version == number:
            return v
    known = "、".join(str(v.version) for v in plan.versions)
    raise NotFoundError(
        f"储备计划“{plan.plan_key}”（编号 {plan.id}）没有第 {number} 版；现有版本：{known}。",
        details={"plan": plan.id, "version": number},
    )


def _version_info(v: PlanVersionRow) -> VersionInfo:
    return VersionInfo(
        id=v.id,
        version=v.version,
        status=v.status,
        content_sha256=v.content_sha256,
        source_name=v.source_name,
        title=v.title,
        doc_number=v.doc_number,
        created_at=v.created_at,
        created_by=v.created_by,
        line_count=v.line_count,
    )
