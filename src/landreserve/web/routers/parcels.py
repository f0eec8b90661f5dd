"""储备地块: the register as a filterable, sortable, paginated list; a parcel's page with its facts, the gates
of each next step, its timeline, evidence and documents (upload, download), its money and its boundary; the
JSON API beside them. Every write goes through the register/documents services, which check permissions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from ...domain.evidence import Evidence, parse_date
from ...domain.funds.money import parse_amount
from ...domain.lifecycle import STATE_LABELS, TRANSITIONS, State, Supply, SupplyMethod, parse_state
from ...domain.permissions import Permission, require
from ...domain.register import ParcelFacts, normalise_code
from ...errors import InputError, NotFoundError
from ...reports import output
from ...services import clock, documents, geometry_export, parcel_money, parcel_search, register
from ..cache import cached, kept
from ..compression import kept_response, page_around
from ..deps import Caller, RowId, caller, writer
from ..errors import ERROR_RESPONSES
from .plans import run

router = APIRouter()
api = APIRouter(prefix="/api/v1", tags=["储备地块"], responses=ERROR_RESPONSES)

ACTION_LABELS = {
    "parcel.create_from_plan": "依已批准计划登记（拟收储）",
    "parcel.add": "登记入储备库（拟收储）",
    "parcel.update": "修改地块属性",
    "parcel.evidence": "登记证据",
    "parcel.document": "上传证明文件",
}
SUPPLY_METHODS = {"出让": SupplyMethod.SALE, "划拨": SupplyMethod.ALLOCATION, "sale": SupplyMethod.SALE,
                  "allocation": SupplyMethod.ALLOCATION}  # fmt: skip


def action_label(action: str) -> str:
    if action.startswith("parcel.transition."):
        try:
            return f"状态变更为“{STATE_LABELS[State(action.rsplit('.', 1)[1])]}”"
        except ValueError:
            return action
    return ACTION_LABELS.get(action, action)


def _see(request: Request, code: str, **query) -> RedirectResponse:
    suffix = f"?{urlencode(query)}" if query else ""
    return RedirectResponse(
        f"{request.app.state.web.root_path}/parcels/{quote(code)}{suffix}", status_code=303
    )


def _amount(value: str | None, field: str) -> Decimal | None:
    """An amount typed into a form (元, or with 万元/亿元), read as the command line reads it
    (``domain.funds.money.parse_amount``: a plain number, exact to the 分); ``None`` when left empty."""
    if value is None or not value.strip():
        return None
    return parse_amount(value, field=field)


def _supply(method: str, on: str, contract_no: str, price: str) -> Supply | None:
    if not any(v.strip() for v in (method, on, contract_no, price)):
        return None
    chosen = SUPPLY_METHODS.get(method.strip()) if method.strip() else None
    if method.strip() and chosen is None:
        raise InputError(f"供应方式“{method}”无效，可选：出让、划拨", code="input.supply_method")
    return Supply(chosen, parse_date(on, "供应日期") if on.strip() else None, contract_no.strip() or None,
                  _amount(price, "价款"))  # fmt: skip


# --- pages -------------------------------------------------------------------------------------------


def _page(request: Request, ctx, where: parcel_search.ParcelFilter, **options) -> parcel_search.ParcelPage:
    """One page of a list; its count, total area and filter values are kept until the data changes (they
    read every matching row)."""
    known, _ = cached(request, ctx, ("parcel-totals", where), lambda: parcel_search.totals(ctx, where))
    return parcel_search.search(ctx, where, known=known, **options)


@router.get("/parcels", include_in_schema=False)
async def parcels_page(
    request: Request,
    q: str = Query("", max_length=200),
    state: str = Query("", max_length=40),
    use: str = Query("", max_length=100),
    zone: str = Query("", max_length=100),
    sort: str = Query("code", max_length=20),
    desc: int = Query(0, ge=0, le=1),
    page: int = Query(1, ge=1, le=100000),
    who: Caller = Depends(caller),
):
    where = parcel_search.ParcelFilter.of(q, state, use, zone)
    filters = {"q": q, "state": state, "use": use, "zone": zone}
    key = ("parcel-list-html", *filters.values(), sort, desc, page)
    listing = kept(request, key)
    if listing is None:
        listing, _ = await run(cached, request, who.ctx, key,
                               lambda: _list_html(request, who.ctx, where, filters, sort, desc, page), store="rendered")  # fmt: skip
    registered = request.query_params.get("registered")
    return page_around(request, key, listing, lambda part: request.app.state.render(
        request, "parcels.html", {"nav": "parcels", "listing": part, "registered": registered},
    ))  # fmt: skip


def _list_html(request: Request, ctx, where: parcel_search.ParcelFilter, filters: dict[str, str], sort: str,
               desc: int, page: int) -> str:  # fmt: skip
    """The list part of the page (filters, summary, rows, pages) for what was typed: the same for every
    account, so it is kept as rendered until the data changes."""
    result = _page(request, ctx, where, sort=sort, descending=bool(desc), page=page)
    base = {k: v for k, v in filters.items() if v}

    def link(**changes) -> str:
        params = {**base, "sort": sort, "desc": desc, **changes}
        return "?" + urlencode({k: v for k, v in params.items() if v not in ("", None)})

    return request.app.state.templates.env.get_template("parcel_list.html").render(
        p=result, f=filters, sort=sort, desc=desc, link=link, root=request.app.state.web.root_path,
    )  # fmt: skip


EXPORT_FORMATS = {"xlsx", "csv"}


@router.get("/parcels/export.{fmt}", include_in_schema=False)
@api.get("/parcels/export.{fmt}", summary="导出当前筛选的地块清单（xlsx 或 csv，全部页）",
         response_class=Response, responses={200: {"content": {"text/csv": {}, "application/octet-stream": {}}}})  # fmt: skip
async def parcels_export(
    fmt: str = PathParam(..., pattern="^(xlsx|csv)$", description="xlsx 或 csv"),
    q: str = Query("", max_length=200),
    state: str = Query("", max_length=40),
    use: str = Query("", max_length=100),
    zone: str = Query("", max_length=100),
    sort: str = Query("code", pattern="^(code|area|state|use|zone|location|since)$"),
    desc: int = Query(0, ge=0, le=1),
    who: Caller = Depends(caller),
) -> Response:
    where = parcel_search.ParcelFilter.of(q, state, use, zone)
    listing = await run(parcel_search.listing, who.ctx, where, sort=sort, descending=bool(desc))
    data = await run(output.parcels_bytes, listing, fmt)
    name = f"储备地块清单-{clock.today().isoformat()}.{fmt}"
    return Response(data, media_type=output.MEDIA_TYPES[fmt],
                    headers={"content-disposition": f"attachment; filename=\"parcels.{fmt}\"; filename*=UTF-8''{quote(name)}"})  # fmt: skip


def _geometry(ctx, code: str) -> dict | None:
    try:
        return geometry_export.parcel_detail(ctx, code)
    except NotFoundError:
        return None


def _parcel_page_data(ctx, code: str) -> tuple:
    """What a parcel's page shows (one trip to the worker threads)."""
    view = register.get_parcel(ctx, code)
    code = view.facts.code
    return view, documents.documents(ctx, code), parcel_money.parcel_money(ctx, code), _geometry(ctx, code)


@router.get("/parcels/{code}", include_in_schema=False)
async def parcel_page(request: Request, code: str, who: Caller = Depends(caller)):
    view, files, money, boundary = await run(_parcel_page_data, who.ctx, code)
    return request.app.state.render(
        request, "parcel.html",
        {"nav": "parcels", "v": view, "files": files, "money": money, "boundary": boundary,
         "action_label": action_label, "risk_checks": who.ctx.settings.risk_checks,
         "next_states": TRANSITIONS[view.state], "done": request.query_params.get("done"),
         "fact_values": fact_form_values(view.facts), "missing_facts": view.facts.missing(),
         "today": clock.today().isoformat()},
    )  # fmt: skip


@router.post("/parcels/{code}/evidence", include_in_schema=False)
async def evidence_submit(
    request: Request, code: str, kind: str = Form(...), ref: str = Form(""), on: str = Form(""),
    confirmed_by: str = Form(""), subject: str = Form(""), start: str = Form(""), end: str = Form(""),
    row_version: int | None = Form(None), file: UploadFile | None = File(None), who: Caller = Depends(writer),
):  # fmt: skip
    evidence = Evidence.from_mapping({"kind": kind, "ref": ref, "date": on, "by": confirmed_by, "subject": subject,
                                      "start": start, "end": end})  # fmt: skip
    data = await file.read() if file is not None and file.filename else b""
    if data:  # the evidence and its file in one transaction: both or nothing
        view = await run(documents.add_evidence_with_file, who.ctx, code, [evidence], file.filename, data,
                         expected_version=row_version)  # fmt: skip
    else:
        view = await run(register.add_evidence, who.ctx, code, [evidence], expected_version=row_version)
    return _see(request, view.facts.code, done="evidence")


#: the facts the parcel page's form changes, in its order (``domain.register.FACT_LABELS`` names them)
FACT_FORM_FIELDS = ("location", "area_m2", "land_use", "zone", "stock", "source", "condition")


def fact_form_values(facts: ParcelFacts) -> dict[str, str]:
    """Each fact as the form shows it (and as a value the facts' parsers read back unchanged)."""
    return {
        "location": facts.location or "",
        "area_m2": "" if facts.area_m2 is None else str(facts.area_m2),
        "land_use": facts.land_use or "",
        "zone": facts.zone or "",
        "stock": "" if facts.stock is None else ("存量" if facts.stock else "新增"),
        "source": facts.source.value if facts.source else "",
        "condition": facts.condition.value if facts.condition else "",
    }


def _update_facts(
    ctx, code: str, submitted: dict[str, str], expected_version: int | None
) -> register.ParcelView:
    """The facts the form changed (a field the user left as shown is not a change; one emptied is cleared),
    saved by the same use case as ``landreserve parcel update``: its parsers, plausibility and permission."""
    require(ctx.actor, Permission.PARCEL_EDIT)  # before anything is read (a refused user learns nothing)
    shown = fact_form_values(register.get_parcel(ctx, code).facts)
    changes = {k: v.strip() for k, v in submitted.items() if v.strip() != shown[k]}
    if not changes:
        raise InputError(f"地块 {normalise_code(code)} 的属性没有改动（所填与现有的相同），什么也没有保存",
                         code="input.no_change")  # fmt: skip
    return register.update_parcel(ctx, code, changes, expected_version=expected_version)


@router.post("/parcels/{code}/facts", include_in_schema=False)
async def facts_submit(
    request: Request, code: str, location: str = Form("", max_length=500), area_m2: str = Form("", max_length=60),
    land_use: str = Form("", max_length=100), zone: str = Form("", max_length=100), stock: str = Form("", max_length=20),
    source: str = Form("", max_length=40), condition: str = Form("", max_length=40),
    row_version: int | None = Form(None), who: Caller = Depends(writer),
):  # fmt: skip
    fields = {"location": location, "area_m2": area_m2, "land_use": land_use, "zone": zone, "stock": stock,
              "source": source, "condition": condition}  # fmt: skip
    # a field the request does not send is no change (a client posting only ``zone`` clears nothing else); one
    # sent empty is cleared, as the form's emptied field is (FastAPI gives both as "", the form itself tells)
    sent = await request.form()
    submitted = {k: v for k, v in fields.items() if k in sent}
    view = await run(_update_facts, who.ctx, code, submitted, row_version)
    return _see(request, view.facts.code, done="facts")


@router.post("/parcels/{code}/documents", include_in_schema=False)
async def document_submit(
    request: Request, code: str, file: UploadFile = File(...), kind: str = Form(""), ref: str = Form(""),
    who: Caller = Depends(writer),
):  # fmt: skip
    data = await file.read()
    doc = await run(documents.add_document, who.ctx, code, file.filename or "file", data, kind=kind or None,
                    ref=ref or None)  # fmt: skip
    return _see(request, doc.parcel_code, done="document")


@router.post("/parcels/{code}/transition", include_in_schema=False)
async def transition_submit(
    request: Request, code: str, target: str = Form(...), on: str = Form(""), reason: str = Form(""),
    method: str = Form(""), contract_no: str = Form(""), price: str = Form(""), supply_on: str = Form(""),
    row_version: int | None = Form(None), who: Caller = Depends(writer),
):  # fmt: skip
    state = parse_state(target)
    supply = _supply(method, supply_on, contract_no, price) if state is State.SUPPLIED else None
    view = await run(register.transition, who.ctx, code, state, (), reason.strip() or None,
                     parse_date(on, "生效日期") if on.strip() else None, supply,
                     expected_version=row_version)  # fmt: skip
    return _see(request, view.facts.code, done="transition")


def _download(view: documents.DocumentView, path) -> FileResponse:
    return FileResponse(
        path, media_type=view.media_type, filename=view.file_name, content_disposition_type="attachment",
        headers={"X-Content-SHA256": view.sha256},
    )  # fmt: skip


@router.get("/documents/{document_id}", include_in_schema=False)
async def document_download(document_id: RowId, who: Caller = Depends(caller)):
    view, path = await run(documents.document, who.ctx, document_id)
    return _download(view, path)


# --- JSON API ----------------------------------------------------------------------------------------


class ListedParcelOut(BaseModel):
    code: str
    location: str | None
    area_m2: Decimal | None
    land_use: str | None
    zone: str | None
    state: str
    state_label: str
    state_since: date
    has_boundary: bool


class ParcelPageOut(BaseModel):
    items: list[ListedParcelOut]
    total: int
    total_area_m2: Decimal
    page: int
    per_page: int
    pages: int


class GateOut(BaseModel):
    key: str
    label: str
    satisfied: bool
    note: str


class TimelineOut(BaseModel):
    seq: int
    at: str
    actor: str
    department: str
    action: str
    label: str


class DocumentOut(BaseModel):
    id: int
    parcel_code: str
    file_name: str
    media_type: str
    size: int
    sha256: str
    kind: str | None
    ref: str | None


class ParcelOut(BaseModel):
    code: str
    facts: dict[str, Any]
    state: str
    state_label: str
    state_since: date
    row_version: int
    in_plan: bool
    gates: dict[str, list[GateOut]] = Field(description="下一步各目标状态 → 其条件（是否满足、缺什么）")
    evidence: list[dict[str, Any]]
    timeline: list[TimelineOut]
    documents: list[DocumentOut]


class EvidenceIn(BaseModel):
    kind: str = Field(max_length=60, description="证据类型，如 title_clear 或 产权清晰")
    ref: str = Field(max_length=500)
    date: date
    by: str = Field(max_length=100)
    subject: str | None = Field(None, max_length=100)
    start: date | None = None
    end: date | None = None


class SupplyIn(BaseModel):
    method: str = Field(max_length=20, description="出让 或 划拨")
    on: date | None = None
    contract_no: str = Field(max_length=200)
    price: Decimal = Field(ge=0, max_digits=20, decimal_places=2)


class TransitionIn(BaseModel):
    target: str = Field(max_length=40, description="目标状态：英文值或中文名，如 in_reserve、入库储备")
    on: date | None = None
    reason: str | None = Field(None, max_length=2000)
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=100)
    supply: SupplyIn | None = None
    row_version: int | None = None


def _doc_out(d: documents.DocumentView) -> DocumentOut:
    return DocumentOut(id=d.id, parcel_code=d.parcel_code, file_name=d.file_name, media_type=d.media_type,
                       size=d.size, sha256=d.sha256, kind=d.kind, ref=d.ref)  # fmt: skip


def _parcel_out(view: register.ParcelView, files: list[documents.DocumentView]) -> ParcelOut:
    return ParcelOut(
        code=view.facts.code, facts=view.facts.to_dict(), state=view.state.value, state_label=view.state_label,
        state_since=view.state_since, row_version=view.row_version, in_plan=view.in_plan,
        gates={t.value: [GateOut(key=g.gate.key, label=g.gate.label, satisfied=g.satisfied, note=g.note) for g in gs]
               for t, gs in view.gates.items()},
        evidence=[e.to_dict() for e in view.evidence],
        timeline=[TimelineOut(seq=e.seq, at=e.at, actor=e.actor, department=e.department, action=e.action,
                              label=action_label(e.action)) for e in view.timeline],
        documents=[_doc_out(d) for d in files],
    )  # fmt: skip


@api.get("/parcels", response_model=ParcelPageOut, summary="储备地块列表（检索、筛选、排序、分页）")
async def api_parcels(
    request: Request,
    q: str = Query("", max_length=200, description="编号或坐落中的文字"),
    state: str = Query("", max_length=40),
    use: str = Query("", max_length=100),
    zone: str = Query("", max_length=100),
    sort: str = Query("code", pattern="^(code|area|state|use|zone|location|since)$"),
    desc: bool = False,
    page: int = Query(1, ge=1, le=100000),
    per_page: int = Query(50, ge=1, le=parcel_search.MAX_PER_PAGE),
    who: Caller = Depends(caller),
) -> Response:
    where = parcel_search.ParcelFilter.of(q, state, use, zone)
    key = ("parcel-list-json", where, sort, desc, page, per_page)
    body = kept(request, key)
    if body is None:
        body, _ = await run(cached, request, who.ctx, key,
                            lambda: _list_json(request, who.ctx, where, sort, desc, page, per_page), store="rendered")  # fmt: skip
    return kept_response(request, key, body, "application/json")


def _list_json(request: Request, ctx, where: parcel_search.ParcelFilter, sort: str, desc: bool, page: int,
               per_page: int) -> bytes:  # fmt: skip
    """One page of the list as the JSON of :class:`ParcelPageOut` (validated and written by its own schema,
    in one call each): the same for every account, so it is kept as sent until the data changes."""
    p = _page(request, ctx, where, sort=sort, descending=desc, page=page, per_page=per_page)
    items = [{"code": i.code, "location": i.location, "area_m2": i.area_m2, "land_use": i.land_use, "zone": i.zone,
              "state": i.state.value, "state_label": i.state_label, "state_since": i.state_since,
              "has_boundary": i.has_boundary} for i in p.items]  # fmt: skip
    out = ParcelPageOut.model_validate({"items": items, "total": p.total, "total_area_m2": p.total_area_m2,
                                        "page": p.page, "per_page": p.per_page, "pages": p.pages})  # fmt: skip
    return out.model_dump_json().encode()


@api.get(
    "/parcels/{code}", response_model=ParcelOut, summary="一宗地块：属性、下一步条件、证据、时间线、证明文件"
)
async def api_parcel(code: str, who: Caller = Depends(caller)):
    view = await run(register.get_parcel, who.ctx, code)
    return _parcel_out(view, await run(documents.documents, who.ctx, view.facts.code))


@api.post("/parcels/{code}/transition", response_model=ParcelOut,
          summary="办理状态变更（条件不满足时 422，reasons 列出每一项）")  # fmt: skip
async def api_transition(code: str, body: TransitionIn, who: Caller = Depends(writer)):
    evidence = [Evidence.from_mapping({k: (v.isoformat() if isinstance(v, date) else v) for k, v in
                                       e.model_dump().items() if v is not None}) for e in body.evidence]  # fmt: skip
    supply = None
    if body.supply is not None:
        supply = _supply(body.supply.method, body.supply.on.isoformat() if body.supply.on else "",
                         body.supply.contract_no, str(body.supply.price))  # fmt: skip
    view = await run(register.transition, who.ctx, code, parse_state(body.target), evidence, body.reason, body.on,
                     supply, expected_version=body.row_version)  # fmt: skip
    return _parcel_out(view, await run(documents.documents, who.ctx, view.facts.code))


@api.post("/parcels/{code}/documents", response_model=DocumentOut, status_code=201,
          summary="上传证明文件（按内容判断类型，按 SHA-256 保存）")  # fmt: skip
async def api_document(code: str, file: UploadFile = File(...), kind: str | None = Form(None),
                       ref: str | None = Form(None), who: Caller = Depends(writer)):  # fmt: skip
    data = await file.read()
    doc = await run(documents.add_document, who.ctx, code, file.filename or "file", data, kind=kind, ref=ref)
    return _doc_out(doc)


@api.get("/documents/{document_id}", summary="下载证明文件（内容与上传时的 SHA-256 核对后才提供）",
         response_class=FileResponse, responses={200: {"content": {"application/octet-stream": {}}}})  # fmt: skip
async def api_document_download(document_id: RowId, who: Caller = Depends(caller)):
    view, path = await run(documents.document, who.ctx, document_id)
    return _download(view, path)
