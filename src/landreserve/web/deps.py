"""What every route needs: the request's account (from the session cookie), its ``Context`` for the use
cases, and the CSRF check of every unsafe request (done here, so no write route can forget it)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Path, Request
from starlette.concurrency import run_in_threadpool

from ..domain.actors import Actor
from ..errors import LandReserveError
from ..services import accounts
from ..services.accounts import SessionView
from ..services.context import Context
from .security import CSRF_FIELD, CSRF_HEADER, SAFE_METHODS, SESSION_COOKIE, same_token

ANONYMOUS = Actor("公众（未登录）", "it")
#: a record number in a path: bounded, so no number reaches the database that it cannot hold (a larger
#: one is a 422 in Chinese, not a server error)
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]


class NotLoggedIn(LandReserveError):
    code = "auth.required"


class CsrfRefused(LandReserveError):
    code = "auth.csrf"


class PasswordChangeRequired(LandReserveError):
    code = "auth.password_change_required"


@dataclass(frozen=True)
class Caller:
    """The logged-in account of a request and the context its use cases run in."""

    session: SessionView
    ctx: Context

    @property
    def account(self):
        return self.session.account

    @property
    def csrf_token(self) -> str:
        return self.session.csrf_token


def base_context(request: Request) -> Context:
    return request.app.state.context


def wants_html(request: Request) -> bool:
    return not request.url.path.startswith(f"{request.app.state.web.root_path}/api/")


async def current_session(request: Request) -> SessionView | None:
    if hasattr(request.state, "session_view"):
        return request.state.session_view
    signer = request.app.state.signer
    token = signer.session_token(request.cookies.get(SESSION_COOKIE))
    view = None
    if token:
        view, head = await run_in_threadpool(
            accounts.session_and_head, base_context(request), token, idle=request.app.state.web.session_idle
        )
        if head is not None and request.method in SAFE_METHODS:
            request.state.data_version = head  # read with the session: the version of this request's data
    request.state.session_view = view
    request.state.session_token = token if view else None
    return view


async def _check_csrf(request: Request, expected: str) -> None:
    submitted = request.headers.get(CSRF_HEADER)
    if not submitted and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        submitted = value if isinstance(value, str) else None
    if not same_token(expected, submitted):
        raise CsrfRefused(
            "请求缺少有效的安全令牌（CSRF），已拒绝，什么也没有保存。请刷新页面后重试；"
            "接口调用请在 X-CSRF-Token 请求头中带上登录时返回的 csrf_token。"
        )


async def caller(request: Request, session: SessionView | None = Depends(current_session)) -> Caller:
    """The logged-in caller; unsafe methods must carry the CSRF token. ``NotLoggedIn`` otherwise."""
    if session is None:
        target = quote(str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""))
        login = f"{request.app.state.web.root_path}/login?next={target}"
        if request.cookies.get(SESSION_COOKIE):  # a session that ended (idle, expired, logged out elsewhere)
            raise NotLoggedIn("登录已失效（长时间未操作、已到期或已退出），请重新登录；本次操作没有保存任何内容",
                              code="auth.expired", details={"login": login + "&expired=1"})  # fmt: skip
        raise NotLoggedIn("请先登录", details={"login": login})
    if request.method not in SAFE_METHODS:
        await _check_csrf(request, session.csrf_token)
    return Caller(session, replace(base_context(request), actor=session.account.actor))


async def writer(request: Request, who: Caller = Depends(caller)) -> Caller:
    """A caller who may write: an account that must still set its own password may only do that."""
    if who.account.must_change_password:
        raise PasswordChangeRequired("请先修改初始密码，再办理业务", details={"login": "/account/password"})
    return who
