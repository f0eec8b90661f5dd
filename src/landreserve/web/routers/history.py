"""操作记录: the hash-chained history, newest first, with its verification (every department reads it)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool

from ...services import history, history_log
from ..deps import Caller, caller
from .parcels import action_label

router = APIRouter()

ACTION_LABELS = {
    "plan.import": "导入计划", "plan.approve": "批准计划版本", "plan.adjust": "批准计划调整（新版本）",
    "plan.publish": "向社会公开", "plan.unpublish": "从公开页撤下", "plan.adjustment.propose": "提出计划调整",
    "plan.adjustment.withdraw": "撤回计划调整", "plan.adjustment.reject": "退回计划调整",
    "map_layer.import": "导入约束图层", "account.password": "修改本人密码",
}  # fmt: skip


def label(action: str) -> str:
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    if action.startswith("parcel."):
        return action_label(action)
    return action


@router.get("/history", include_in_schema=False)
async def history_page(
    request: Request, kind: str = Query("", max_length=40), department: str = Query("", max_length=40),
    before: int | None = Query(None, ge=1), who: Caller = Depends(caller),
):  # fmt: skip
    log = await run_in_threadpool(
        lambda: history_log.entries(
            who.ctx, entity_type=kind or None, department=department or None, before=before
        )
    )
    check = await run_in_threadpool(history.verify, who.ctx) if before is None else None
    return request.app.state.render(
        request, "history.html",
        {"nav": "history", "log": log, "check": check, "kind": kind, "department": department, "label": label,
         "kinds": history_log.ENTITY_LABELS},
    )  # fmt: skip
