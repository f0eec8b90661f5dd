"""资金与债券: bonds and other sources with their books, projects, coverage ratios and their sensitivity,
the ledger — and a payment form for the finance bureau. Thin pages over ``services.bonds``, ``funds``,
``funds_reports`` and ``ledger`` (which check permissions on every write)."""

from __future__ import annotations

from fractions import Fraction

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse

from ...domain.evidence import parse_date
from ...domain.funds.ledger import CATEGORY_LABELS, Category
from ...errors import InputError
from ...services import bonds, funds, funds_reports, ledger
from .. import charts
from ..deps import Caller, caller, writer
from .parcels import _amount
from .plans import run

router = APIRouter()


def ratio_text(ratio: Fraction | None) -> str:
    return "—（缺少数据）" if ratio is None else f"{float(ratio):.2f}"


def _overview(ctx):
    sources = bonds.list_sources(ctx)
    positions = {s.code: funds_reports.source_position(ctx, s.code) for s in sources}
    projects = funds.list_projects(ctx)
    coverage = {p.code: funds_reports.sensitivity(ctx, p.code) for p in projects}
    findings = funds_reports.coverage_findings(ctx)
    return sources, positions, projects, coverage, findings


@router.get("/funds", include_in_schema=False)
async def funds_page(request: Request, who: Caller = Depends(caller)):
    sources, positions, projects, coverage, findings = await run(_overview, who.ctx)
    flows = {
        code: charts.paired_bars(
            [
                (str(y.year), y.income / 10000, (y.interest + y.principal) / 10000)
                for y in results[0].cash_flow
            ],
            "万元",
            title="预期收入与还本付息（基准情景）",
            names=("预期收入", "还本付息"),
        )  # fmt: skip
        for code, results in coverage.items()
        if results and results[0].cash_flow
    }
    return request.app.state.render(
        request, "funds.html",
        {"nav": "funds", "sources": sources, "positions": positions, "projects": projects, "coverage": coverage,
         "findings": findings, "ratio_text": ratio_text, "flows": flows, "bound": who.ctx.settings.coverage_bound},
    )  # fmt: skip


@router.get("/funds/ledger", include_in_schema=False)
async def ledger_page(
    request: Request, source: str = Query("", max_length=100), project: str = Query("", max_length=100),
    who: Caller = Depends(caller),
):  # fmt: skip
    entries = await run(ledger.list_entries, who.ctx, source=source or None, project=project or None)
    return request.app.state.render(
        request, "ledger.html",
        {"nav": "funds", "entries": list(reversed(entries)), "source": source, "project": project,
         "categories": {c.value: CATEGORY_LABELS[c] for c in Category if c.permitted},
         "done": request.query_params.get("done")},
    )  # fmt: skip


@router.post("/funds/payments", include_in_schema=False)
async def payment_submit(
    request: Request, parcel: str = Form(...), category: str = Form(...), amount: str = Form(...),
    document: str = Form(...), on: str = Form(""), memo: str = Form(""), who: Caller = Depends(writer),
):  # fmt: skip
    try:
        chosen = Category(category)
    except ValueError as exc:
        raise InputError(f"支付类别“{category}”无效", code="input.category") from exc
    value = _amount(amount, "金额")
    if value is None:
        raise InputError("请填写支付金额（元）", code="input.amount")
    entry = await run(ledger.pay, who.ctx, parcel, chosen, value, document.strip(),
                      on=parse_date(on, "支付日期") if on.strip() else None, memo=memo.strip())  # fmt: skip
    return RedirectResponse(
        f"{request.app.state.web.root_path}/funds/ledger?done={entry.number}", status_code=303
    )
