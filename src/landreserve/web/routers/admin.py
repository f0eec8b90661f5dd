"""用户管理 (信息中心): accounts of every department — create (the user sets a new password at the first
login), disable or enable, reset a password. ``services.accounts`` checks ``ACCOUNTS_MANAGE`` on each."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from ...domain.permissions import Permission, require
from ...services import accounts
from ..deps import Caller, caller, writer
from .plans import run

router = APIRouter()


def _back(request: Request, done: str) -> RedirectResponse:
    return RedirectResponse(f"{request.app.state.web.root_path}/admin/accounts?done={done}", status_code=303)


@router.get("/admin/accounts", include_in_schema=False)
async def accounts_page(request: Request, who: Caller = Depends(caller)):
    require(who.ctx.actor, Permission.ACCOUNTS_MANAGE)  # the list names every member of staff
    items = await run(accounts.list_accounts, who.ctx)
    return request.app.state.render(
        request, "accounts.html", {"nav": "admin", "items": items, "done": request.query_params.get("done")}
    )


@router.post("/admin/accounts", include_in_schema=False)
async def create_submit(
    request: Request, username: str = Form(...), display_name: str = Form(...), department: str = Form(...),
    password: str = Form(...), who: Caller = Depends(writer),
):  # fmt: skip
    view = await run(accounts.create_account, who.ctx, username, display_name.strip(), department, password)
    return _back(request, f"created:{view.username}")


@router.post("/admin/accounts/{username}/active", include_in_schema=False)
async def active_submit(
    request: Request, username: str, active: int = Form(..., ge=0, le=1), who: Caller = Depends(writer)
):
    view = await run(accounts.set_active, who.ctx, username, bool(active))
    return _back(request, f"{'enabled' if view.active else 'disabled'}:{view.username}")


@router.post("/admin/accounts/{username}/password", include_in_schema=False)
async def reset_submit(
    request: Request, username: str, password: str = Form(...), who: Caller = Depends(writer)
):
    view = await run(accounts.reset_password, who.ctx, username, password)
    return _back(request, f"reset:{view.username}")
