"""Login, logout and one's own password — as pages and as JSON API."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ...services import accounts
from ...services.accounts import SessionView, Throttle
from ..deps import Caller, CsrfRefused, base_context, caller, current_session
from ..errors import ERROR_RESPONSES
from ..security import LOGIN_CSRF_COOKIE, SESSION_COOKIE

router = APIRouter()
api = APIRouter(prefix="/api/v1", tags=["登录与账号"], responses=ERROR_RESPONSES)


def _remote(request: Request) -> str | None:
    return request.client.host if request.client else None


def _throttle(request: Request) -> Throttle:
    return Throttle(per_user=request.app.state.web.login_max_failures)


def _safe_next(target: str | None, root: str) -> str:
    """Only a path of this site (no scheme, host or ``//``): an open redirect would help phishing."""
    if not target:
        return f"{root}/"
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
    ):
        return f"{root}/"
    return target


def _set_session_cookie(request: Request, response: Response, token: str) -> None:
    web = request.app.state.web
    response.set_cookie(
        SESSION_COOKIE, request.app.state.signer.sign_session(token), httponly=True, samesite="lax",
        secure=web.cookie_secure, path=f"{web.root_path}/" if web.root_path else "/",
        max_age=int(web.session_lifetime.total_seconds()),
    )  # fmt: skip


async def _login(request: Request, username: str, password: str) -> tuple[str, SessionView]:
    ctx = base_context(request)
    account = await run_in_threadpool(
        accounts.authenticate, ctx, username, password, _remote(request), _throttle(request)
    )
    old = request.app.state.signer.session_token(request.cookies.get(SESSION_COOKIE))
    return await run_in_threadpool(
        lambda: accounts.start_session(
            ctx, account, lifetime=request.app.state.web.session_lifetime, remote_addr=_remote(request),
            user_agent=request.headers.get("user-agent"), replaces=old,
        )
    )  # fmt: skip


@router.get("/login", include_in_schema=False)
async def login_page(request: Request, next: str | None = None, session=Depends(current_session)):
    root = request.app.state.web.root_path
    if session is not None:
        return RedirectResponse(_safe_next(next, root), status_code=303)
    form_token, cookie = request.app.state.signer.new_login_token()
    response = request.app.state.render(
        request, "login.html", {"next": _safe_next(next, root), "form_token": form_token}
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        cookie,
        httponly=True,
        samesite="strict",
        secure=request.app.state.web.cookie_secure,
        max_age=3600,
    )
    return response


@router.post("/login", include_in_schema=False)
async def login_submit(
    request: Request,
    username: str = Form(""),
    password: str = Form(""),
    csrf_token: str = Form(""),
    next: str = Form("/"),
):
    if not request.app.state.signer.login_token_ok(request.cookies.get(LOGIN_CSRF_COOKIE), csrf_token):
        raise CsrfRefused("登录页已过期或缺少安全令牌，请刷新登录页后重新输入")
    try:
        token, view = await _login(request, username, password)
    except (accounts.LoginRefused, accounts.LoginThrottled) as error:
        form_token, cookie = request.app.state.signer.new_login_token()
        status = 429 if isinstance(error, accounts.LoginThrottled) else 401
        response = request.app.state.render(
            request, "login.html",
            {"next": _safe_next(next, request.app.state.web.root_path), "form_token": form_token,
             "error": error.message, "username": username}, status=status,
        )  # fmt: skip
        response.set_cookie(
            LOGIN_CSRF_COOKIE,
            cookie,
            httponly=True,
            samesite="strict",
            secure=request.app.state.web.cookie_secure,
            max_age=3600,
        )
        return response
    root = request.app.state.web.root_path
    target = f"{root}/account/password" if view.account.must_change_password else _safe_next(next, root)
    response = RedirectResponse(target, status_code=303)
    _set_session_cookie(request, response, token)
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout", include_in_schema=False)
async def logout(request: Request, who: Caller = Depends(caller)):
    await run_in_threadpool(accounts.end_session, base_context(request), request.state.session_token)
    response = RedirectResponse(f"{request.app.state.web.root_path}/login", status_code=303)
    response.delete_cookie(
        SESSION_COOKIE, path=f"{request.app.state.web.root_path}/" if request.app.state.web.root_path else "/"
    )
    return response


@router.get("/account/password", include_in_schema=False)
async def password_page(request: Request, who: Caller = Depends(caller)):
    return request.app.state.render(request, "password.html", {})


@router.post("/account/password", include_in_schema=False)
async def password_submit(
    request: Request, who: Caller = Depends(caller), old_password: str = Form(""), password: str = Form(""),
    password_again: str = Form(""),
):  # fmt: skip
    if password != password_again:
        return request.app.state.render(
            request, "password.html", {"error": "两次输入的新密码不一致"}, status=422
        )
    try:
        await run_in_threadpool(
            accounts.change_own_password, who.ctx, who.account.username, old_password, password
        )
    except accounts.InputError as error:
        return request.app.state.render(request, "password.html", {"error": error.message}, status=422)
    # every session of the account ended with the change: log in again with the new password
    response = RedirectResponse(f"{request.app.state.web.root_path}/login?changed=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


# --- JSON API ----------------------------------------------------------------------------------------


class LoginRequest(BaseModel):
    username: str = Field(max_length=200)
    password: str = Field(max_length=1000)


class AccountOut(BaseModel):
    username: str
    display_name: str
    department: str
    department_name: str
    is_demo: bool
    active: bool
    must_change_password: bool


class SessionOut(BaseModel):
    account: AccountOut
    csrf_token: str = Field(description="每个写请求都须在 X-CSRF-Token 请求头中带上它")


def account_out(a) -> AccountOut:
    return AccountOut(
        username=a.username, display_name=a.display_name, department=a.department,
        department_name=a.department_name, is_demo=a.is_demo, active=a.active,
        must_change_password=a.must_change_password,
    )  # fmt: skip


@api.post("/login", response_model=SessionOut, summary="登录（返回 csrf_token，并设置会话 Cookie）")
async def api_login(request: Request, body: LoginRequest):
    token, view = await _login(request, body.username, body.password)
    response = Response(
        SessionOut(account=account_out(view.account), csrf_token=view.csrf_token).model_dump_json(),
        media_type="application/json",
    )
    _set_session_cookie(request, response, token)
    return response


@api.post("/logout", status_code=204, summary="退出登录", response_class=Response)
async def api_logout(request: Request, who: Caller = Depends(caller)):
    await run_in_threadpool(accounts.end_session, base_context(request), request.state.session_token)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE)
    return response


@api.get("/me", response_model=SessionOut, summary="当前登录的账号")
async def api_me(who: Caller = Depends(caller)):
    return SessionOut(account=account_out(who.account), csrf_token=who.csrf_token)


class PasswordChange(BaseModel):
    old_password: str = Field(max_length=1000)
    new_password: str = Field(max_length=1000)


@api.post(
    "/me/password",
    status_code=204,
    summary="修改本人密码（其他会话随之失效，需重新登录）",
    response_class=Response,
)
async def api_password(body: PasswordChange, who: Caller = Depends(caller)):
    await run_in_threadpool(
        accounts.change_own_password, who.ctx, who.account.username, body.old_password, body.new_password
    )
    return Response(status_code=204)
