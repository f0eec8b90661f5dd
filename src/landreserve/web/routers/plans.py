"""储备计划: upload and audit (findings beside the text), import, versions and their diff, approval,
publication, registration of the parcels, adjustments (proposed by the center, approved by the government)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ...domain.evidence import parse_date
from ...services import adjustments, plan_upload, plan_versions, plans, publication, register
from ...services.plan_json import report_json
from ..deps import Caller, RowId, caller, writer
from ..errors import ERROR_RESPONSES

router = APIRouter()
api = APIRouter(prefix="/api/v1", tags=["储备计划"], responses=ERROR_RESPONSES)


async def run(function, *args, **kwargs):
    return await run_in_threadpool(lambda: function(*args, **kwargs))


def _date(value: str | None, field: str) -> date | None:
    return parse_date(value, field) if value and value.strip() else None


def _see(request: Request, path: str) -> RedirectResponse:
    return RedirectResponse(f"{request.app.state.web.root_path}{path}", status_code=303)


# --- pages -------------------------------------------------------------------------------------------


@router.get("/plans", include_in_schema=False)
async def plans_page(request: Request, who: Caller = Depends(caller)):
    summaries = await run(plans.list_plans, who.ctx)
    versions = {s.id: await run(plan_versions.list_versions, who.ctx, s.id) for s in summaries}
    published = await run(publication.publications, who.ctx)
    pending = await run(adjustments.list_adjustments, who.ctx, status=adjustments.PENDING)
    return request.app.state.render(
        request, "plans.html",
        {"nav": "plans", "plans": summaries, "versions": versions, "published": published, "pending": pending},
    )  # fmt: skip


@router.get("/plans/upload", include_in_schema=False)
async def upload_page(request: Request, who: Caller = Depends(caller)):
    return request.app.state.render(request, "plan_upload.html", {"nav": "plans"})


@router.post("/plans/upload", include_in_schema=False)
async def upload_submit(request: Request, file: UploadFile = File(...), who: Caller = Depends(writer)):
    data = await file.read()
    preview = await run(plan_upload.stage, who.ctx, file.filename or "plan.txt", data)
    return _preview_page(request, preview)


@router.get("/plans/upload/{token}", include_in_schema=False)
async def upload_preview(request: Request, token: str, who: Caller = Depends(caller)):
    return _preview_page(request, await run(plan_upload.preview, who.ctx, token))


def _preview_page(request: Request, preview: plan_upload.Preview):
    report = preview.report
    return request.app.state.render(
        request, "plan_preview.html",
        {"nav": "plans", "p": preview, "doc": report.document, "findings": report.findings, "marks": preview.cited(),
         "errors": report.count(plans.Severity.ERROR), "warnings": report.count(plans.Severity.WARNING)},
    )  # fmt: skip


@router.post("/plans/upload/{token}/accept", include_in_schema=False)
async def upload_accept(request: Request, token: str, who: Caller = Depends(writer)):
    result = await run(plan_upload.accept, who.ctx, token)
    return _see(request, f"/plans/{result.plan_id}?version={result.version}&imported={int(result.created)}")


@router.get("/plans/adjustments", include_in_schema=False)
async def adjustments_page(request: Request, who: Caller = Depends(caller)):
    items = await run(adjustments.list_adjustments, who.ctx)
    return request.app.state.render(request, "adjustments.html", {"nav": "plans", "items": items})


@router.get("/plans/{plan_id}", include_in_schema=False)
async def plan_page(
    request: Request,
    plan_id: RowId,
    version: int | None = Query(None, ge=1, le=100000),
    who: Caller = Depends(caller),
):
    view = await run(plans.get_plan, who.ctx, plan_id, version)
    summaries = await run(plan_versions.list_versions, who.ctx, plan_id)
    current = next(s for s in summaries if s.id == view.version.id)
    published = await run(publication.publications, who.ctx)
    sentences = {f["line"]: f["text"] for f in view.figures} | {p["line"]: p["text"] for p in _texts(view)}
    registered = {c for c, _s, _v in await run(register.list_parcels, who.ctx)}
    pending = [
        a
        for a in await run(adjustments.list_adjustments, who.ctx, plan_id=plan_id)
        if a.status == adjustments.PENDING
    ]
    return request.app.state.render(
        request, "plan.html",
        {"nav": "plans", "v": view, "summary": current, "summaries": summaries, "published": published,
         "sentences": sentences, "registered": {f.code for f in registered}, "pending": pending,
         "imported": request.query_params.get("imported")},
    )  # fmt: skip


def _texts(view) -> list[dict]:
    return [{"line": p["line"], "text": p.get("text") or p["code"]} for p in view.parcels]


@router.get("/plans/{plan_id}/diff", include_in_schema=False)
async def diff_page(request: Request, plan_id: RowId, old: int = Query(..., ge=1, le=2**31 - 1), new: int = Query(..., ge=1, le=2**31 - 1),
                    who: Caller = Depends(caller)):  # fmt: skip
    result = await run(plan_versions.diff_versions, who.ctx, old, new)
    summaries = await run(plan_versions.list_versions, who.ctx, plan_id)
    return request.app.state.render(
        request, "plan_diff.html", {"nav": "plans", "d": result, "plan_id": plan_id, "old": old, "new": new,
                                    "summaries": {s.id: s for s in summaries}},
    )  # fmt: skip


@router.post("/plan-versions/{version_id}/approve", include_in_schema=False)
async def approve_submit(
    request: Request, version_id: RowId, approval_no: str = Form(""), approved_on: str = Form(""),
    approving_body: str = Form(""), who: Caller = Depends(writer),
):  # fmt: skip
    result = await run(plan_versions.approve_version, who.ctx, version_id, approval_no,
                       _date(approved_on, "批准日期"), approving_body)  # fmt: skip
    return _see(request, f"/plans/{result.plan_id}?version={result.version}")


@router.post("/plan-versions/{version_id}/publish", include_in_schema=False)
async def publish_submit(
    request: Request, version_id: RowId, note: str = Form(""), who: Caller = Depends(writer)
):
    await run(publication.publish, who.ctx, version_id, None, note)
    return _see(request, f"/plans/version/{version_id}")


@router.post("/plan-versions/{version_id}/unpublish", include_in_schema=False)
async def unpublish_submit(
    request: Request, version_id: RowId, note: str = Form(""), who: Caller = Depends(writer)
):
    await run(publication.unpublish, who.ctx, version_id, note)
    return _see(request, f"/plans/version/{version_id}")


@router.get("/plans/version/{version_id}", include_in_schema=False)
async def version_redirect(request: Request, version_id: RowId, who: Caller = Depends(caller)):
    summary = await run(_summary, who.ctx, version_id)
    return _see(request, f"/plans/{summary.plan_id}?version={summary.version}")


def _summary(ctx, version_id: int) -> plan_versions.VersionSummary:
    from ...storage.db import reading

    with reading(ctx.engine) as session:
        return plan_versions.summary(plan_versions.version_row(session, version_id))


@router.post("/plan-versions/{version_id}/register", include_in_schema=False)
async def register_submit(
    request: Request, version_id: RowId, on: str = Form(""), who: Caller = Depends(writer)
):
    summary = await run(_summary, who.ctx, version_id)
    result = await run(
        register.create_from_plan, who.ctx, summary.plan_id, None, _date(on, "登记日期"), version_id
    )
    return _see(request, f"/parcels?registered={len(result.created)}")


@router.get("/plan-versions/{version_id}/adjust", include_in_schema=False)
async def adjust_page(request: Request, version_id: RowId, who: Caller = Depends(caller)):
    summary = await run(_summary, who.ctx, version_id)
    view = await run(plans.get_plan, who.ctx, summary.plan_id, summary.version)
    parcels = await run(_version_parcels, who.ctx, version_id)
    return request.app.state.render(request, "plan_adjust.html", {"nav": "plans", "s": summary, "v": view,
                                                                  "parcels": parcels})  # fmt: skip


def _version_parcels(ctx, version_id: int):
    from ...storage.db import reading

    with reading(ctx.engine) as session:
        return plan_versions.version_parcels(session, version_id)


def _form_adjustment(form) -> dict:
    """The adjustment form: ticked parcels to remove, changed areas, and up to five new parcels."""
    remove = [str(c) for c in form.getlist("remove")]
    change = []
    for key, value in form.multi_items():
        if key.startswith("area:") and str(value).strip():
            change.append({"code": key[5:], "area_m2": str(value).strip()})
    add = []
    for i in range(5):
        code = str(form.get(f"add_code_{i}", "")).strip()
        if not code:
            continue
        item = {"code": code}
        for field in ("area_m2", "land_use", "zone", "stock", "location"):
            value = str(form.get(f"add_{field}_{i}", "")).strip()
            if value:
                item[field] = value
        add.append(item)
    return {"add": add, "remove": remove, "change": change, "reason": str(form.get("reason", ""))}


@router.post("/plan-versions/{version_id}/adjust", include_in_schema=False)
async def adjust_submit(request: Request, version_id: RowId, who: Caller = Depends(writer)):
    values = _form_adjustment(await request.form())
    await run(adjustments.propose, who.ctx, version_id, **values)
    return _see(request, "/plans/adjustments")


@router.post("/adjustments/{adjustment_id}/approve", include_in_schema=False)
async def adjustment_approve_submit(
    request: Request, adjustment_id: RowId, approval_no: str = Form(""), approved_on: str = Form(""),
    approving_body: str = Form(""), row_version: int | None = Form(None), who: Caller = Depends(writer),
):  # fmt: skip
    result = await run(adjustments.approve, who.ctx, adjustment_id, approval_no, _date(approved_on, "批准日期"),
                       approving_body, expected_version=row_version)  # fmt: skip
    return _see(request, f"/plans/{result.plan_id}?version={result.version}")


@router.post("/adjustments/{adjustment_id}/reject", include_in_schema=False)
async def adjustment_reject_submit(request: Request, adjustment_id: RowId, note: str = Form(""),
                                   row_version: int | None = Form(None), who: Caller = Depends(writer)):  # fmt: skip
    await run(adjustments.reject, who.ctx, adjustment_id, note, expected_version=row_version)
    return _see(request, "/plans/adjustments")


@router.post("/adjustments/{adjustment_id}/withdraw", include_in_schema=False)
async def adjustment_withdraw_submit(request: Request, adjustment_id: RowId, row_version: int | None = Form(None),
                                     who: Caller = Depends(writer)):  # fmt: skip
    await run(adjustments.withdraw, who.ctx, adjustment_id, expected_version=row_version)
    return _see(request, "/plans/adjustments")


# --- JSON API ----------------------------------------------------------------------------------------


class PlanSummaryOut(BaseModel):
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


class VersionOut(BaseModel):
    id: int
    plan_id: int
    version: int
    status: str
    year: int | None
    approval_no: str | None
    approved_on: date | None
    approving_body: str | None
    reason: str | None
    based_on_version_id: int | None
    published: bool = False


class FindingOut(BaseModel):
    code: str
    severity: str
    message: str
    lines: list[int]
    values: dict[str, Any]


class AuditOut(BaseModel):
    document: dict[str, Any]
    figures: list[dict[str, Any]]
    parcels: list[dict[str, Any]]
    findings: list[FindingOut]


class PlanOut(AuditOut):
    plan: dict[str, Any]
    version: dict[str, Any]
    structure: dict[str, Any]


class ImportOut(BaseModel):
    plan_id: int
    plan_key: str
    version_id: int
    version: int
    created: bool = Field(description="false：同一文件已导入过，什么也没有改动")
    new_plan: bool
    errors: int
    warnings: int
    findings: list[FindingOut]


class ApprovalIn(BaseModel):
    approval_no: str = Field(max_length=200, description="批准文号，如 巴政函〔2026〕1号")
    approved_on: date
    approving_body: str = Field(max_length=200, description="批准机关，如 巴楚县人民政府")


class PublishIn(BaseModel):
    on: date | None = None
    note: str | None = Field(None, max_length=2000)


class PublicationOut(BaseModel):
    version_id: int
    published: bool
    on: date
    by: str
    department: str


class RegisterIn(BaseModel):
    on: date | None = Field(None, description="登记日期（默认今天）")


class RegisterOut(BaseModel):
    created: list[str]
    skipped: list[str]


class ParcelValues(BaseModel):
    code: str = Field(max_length=100)
    area_m2: Decimal | None = None
    land_use: str | None = Field(None, max_length=100)
    zone: str | None = Field(None, max_length=100)
    stock: str | None = Field(None, max_length=10, description="存量 或 新增")
    location: str | None = Field(None, max_length=500)
    source: str | None = Field(None, max_length=40)
    condition: str | None = Field(None, max_length=20)


class AdjustmentIn(BaseModel):
    add: list[ParcelValues] = Field(default_factory=list, max_length=500)
    remove: list[str] = Field(default_factory=list, max_length=500)
    change: list[ParcelValues] = Field(default_factory=list, max_length=500)
    reason: str = Field(max_length=2000)


class AdjustmentOut(BaseModel):
    id: int
    base_version_id: int
    plan_id: int
    status: str
    status_label: str
    add: list[dict[str, Any]]
    remove: list[str]
    change: list[dict[str, Any]]
    reason: str
    proposed_by: str
    proposed_department: str
    decided_by: str | None
    decision_note: str | None
    result_version_id: int | None
    row_version: int


class DecisionIn(ApprovalIn):
    row_version: int | None = Field(None, description="看到的版本号（乐观锁）")


class RejectIn(BaseModel):
    note: str = Field(max_length=2000)
    row_version: int | None = None


class WithdrawIn(BaseModel):
    row_version: int | None = None


class DiffOut(BaseModel):
    added: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    changed: list[dict[str, Any]]
    indicators: list[dict[str, Any]]


def _values(items: list[ParcelValues]) -> list[dict]:
    return [
        {k: (str(v) if isinstance(v, Decimal) else v) for k, v in i.model_dump().items() if v is not None}
        for i in items
    ]


def adjustment_out(a: adjustments.AdjustmentView) -> AdjustmentOut:
    return AdjustmentOut(
        id=a.id, base_version_id=a.base_version_id, plan_id=a.plan_id, status=a.status, status_label=a.status_label,
        add=a.add, remove=a.remove, change=a.change, reason=a.reason, proposed_by=a.proposed_by,
        proposed_department=a.proposed_department, decided_by=a.decided_by, decision_note=a.decision_note,
        result_version_id=a.result_version_id, row_version=a.row_version,
    )  # fmt: skip


def _version_out(s: plan_versions.VersionSummary, published: dict) -> VersionOut:
    pub = published.get(s.id)
    return VersionOut(**s.to_dict(), published=bool(pub and pub.published))


@api.get("/plans", response_model=list[PlanSummaryOut], summary="已保存的储备计划")
async def api_plans(who: Caller = Depends(caller)):
    return [PlanSummaryOut(**s.to_dict()) for s in await run(plans.list_plans, who.ctx)]


@api.get("/plans/{plan_id}", response_model=PlanOut, summary="一个计划的某一版：数字、地块、审核结果、结构")
async def api_plan(
    plan_id: RowId, version: int | None = Query(None, ge=1, le=100000), who: Caller = Depends(caller)
):
    return (await run(plans.get_plan, who.ctx, plan_id, version)).to_dict()


@api.get(
    "/plans/{plan_id}/versions", response_model=list[VersionOut], summary="计划的各版本（批准、调整、公开）"
)
async def api_versions(plan_id: RowId, who: Caller = Depends(caller)):
    published = await run(publication.publications, who.ctx)
    return [_version_out(s, published) for s in await run(plan_versions.list_versions, who.ctx, plan_id)]


async def _upload(file: UploadFile) -> tuple[str, bytes]:
    return file.filename or "plan.txt", await file.read()


@api.post("/plans/audit", response_model=AuditOut, summary="只审核上传的计划文件，不保存")
async def api_audit(file: UploadFile = File(...), who: Caller = Depends(writer)):
    name, data = await _upload(file)
    preview = await run(plan_upload.stage, who.ctx, name, data)
    return report_json(preview.report)


@api.post("/plans", response_model=ImportOut, status_code=201, summary="审核并导入计划文件（一个事务）")
async def api_import(file: UploadFile = File(...), who: Caller = Depends(writer)):
    name, data = await _upload(file)
    preview = await run(plan_upload.stage, who.ctx, name, data)
    result = await run(plan_upload.accept, who.ctx, preview.token)
    report = result.report
    return ImportOut(
        plan_id=result.plan_id, plan_key=result.plan_key, version_id=result.version_id, version=result.version,
        created=result.created, new_plan=result.new_plan, errors=report.count(plans.Severity.ERROR),
        warnings=report.count(plans.Severity.WARNING), findings=report_json(report)["findings"],
    )  # fmt: skip


@api.post(
    "/plan-versions/{version_id}/approve", response_model=VersionOut, summary="县人民政府批准一个已导入的版本"
)
async def api_approve(version_id: RowId, body: ApprovalIn, who: Caller = Depends(writer)):
    result = await run(plan_versions.approve_version, who.ctx, version_id, body.approval_no, body.approved_on,
                       body.approving_body)  # fmt: skip
    return _version_out(result, await run(publication.publications, who.ctx))


def _publication_out(p: publication.Publication) -> PublicationOut:
    return PublicationOut(
        version_id=p.version_id, published=p.published, on=p.on, by=p.by, department=p.department
    )


@api.post(
    "/plan-versions/{version_id}/publish", response_model=PublicationOut, summary="向社会公开已批准的版本"
)
async def api_publish(version_id: RowId, body: PublishIn, who: Caller = Depends(writer)):
    return _publication_out(await run(publication.publish, who.ctx, version_id, body.on, body.note))


@api.post("/plan-versions/{version_id}/unpublish", response_model=PublicationOut, summary="从公开页撤下")
async def api_unpublish(version_id: RowId, body: PublishIn, who: Caller = Depends(writer)):
    return _publication_out(await run(publication.unpublish, who.ctx, version_id, body.note))


@api.post(
    "/plan-versions/{version_id}/register",
    response_model=RegisterOut,
    summary="把已批准版本的地块登记入储备库（拟收储）",
)
async def api_register(version_id: RowId, body: RegisterIn, who: Caller = Depends(writer)):
    summary = await run(_summary, who.ctx, version_id)
    result = await run(register.create_from_plan, who.ctx, summary.plan_id, None, body.on, version_id)
    return RegisterOut(created=result.created, skipped=result.skipped)


@api.get(
    "/plan-versions/{old_id}/diff/{new_id}", response_model=DiffOut, summary="两个版本的差异（地块与指标）"
)
async def api_diff(old_id: RowId, new_id: RowId, who: Caller = Depends(caller)):
    d = await run(plan_versions.diff_versions, who.ctx, old_id, new_id)
    plain = plans.plain
    return DiffOut(
        added=[plain(p) for p in d.added], removed=[plain(p) for p in d.removed],
        changed=[plain(c) for c in d.changed],
        indicators=[{**plain(m), "delta": str(m.delta)} for m in d.moved],
    )  # fmt: skip


@api.post("/plan-versions/{version_id}/adjustments", response_model=AdjustmentOut, status_code=201,
          summary="提出计划调整（由县人民政府审批）")  # fmt: skip
async def api_propose(version_id: RowId, body: AdjustmentIn, who: Caller = Depends(writer)):
    view = await run(adjustments.propose, who.ctx, version_id, add=_values(body.add), remove=body.remove,
                     change=_values(body.change), reason=body.reason)  # fmt: skip
    return adjustment_out(view)


@api.get("/adjustments", response_model=list[AdjustmentOut], summary="计划调整（待审批、已批准、已退回）")
async def api_adjustments(status: str | None = Query(None, pattern="^(pending|approved|rejected|withdrawn)$"),
                          who: Caller = Depends(caller)):  # fmt: skip
    return [adjustment_out(a) for a in await run(adjustments.list_adjustments, who.ctx, status=status)]


@api.post("/adjustments/{adjustment_id}/approve", response_model=VersionOut, summary="县人民政府批准计划调整")
async def api_adjustment_approve(adjustment_id: RowId, body: DecisionIn, who: Caller = Depends(writer)):
    result = await run(adjustments.approve, who.ctx, adjustment_id, body.approval_no, body.approved_on,
                       body.approving_body, expected_version=body.row_version)  # fmt: skip
    return _version_out(result, await run(publication.publications, who.ctx))


@api.post("/adjustments/{adjustment_id}/reject", response_model=AdjustmentOut, summary="退回计划调整")
async def api_adjustment_reject(adjustment_id: RowId, body: RejectIn, who: Caller = Depends(writer)):
    return adjustment_out(await run(adjustments.reject, who.ctx, adjustment_id, body.note,
                                    expected_version=body.row_version))  # fmt: skip


@api.post(
    "/adjustments/{adjustment_id}/withdraw", response_model=AdjustmentOut, summary="撤回本部门提出的计划调整"
)
async def api_adjustment_withdraw(adjustment_id: RowId, body: WithdrawIn, who: Caller = Depends(writer)):
    return adjustment_out(
        await run(adjustments.withdraw, who.ctx, adjustment_id, expected_version=body.row_version)
    )
