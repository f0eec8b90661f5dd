"""Every error as a Chinese message: the JSON API answers ``{"error": {code, message, details}}`` with a
4xx status; pages show the message (a whole page, or an htmx fragment). Never a traceback."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..domain.permissions import PERMISSION_LABELS  # noqa: F401  (labels used by templates)
from ..domain.register import FACT_LABELS
from ..errors import (
    ConflictError,
    InputError,
    IntegrityError,
    LandReserveError,
    NotFoundError,
    PermissionDenied,
    RuleViolation,
)
from ..services.accounts import LoginRefused, LoginThrottled
from .deps import CsrfRefused, NotLoggedIn, PasswordChangeRequired, wants_html

log = logging.getLogger("landreserve.web")


class ErrorBody(BaseModel):
    code: str
    message: str
    details: dict = {}


class ErrorResponse(BaseModel):
    """The one error shape of the API (the same as the command line's ``--json`` errors)."""

    error: ErrorBody


STATUS = (
    (NotLoggedIn, 401),
    (LoginRefused, 401),
    (CsrfRefused, 403),
    (PasswordChangeRequired, 403),
    (PermissionDenied, 403),
    (NotFoundError, 404),
    (ConflictError, 409),
    (IntegrityError, 409),
    (LoginThrottled, 429),
    (InputError, 422),
    (RuleViolation, 422),
)
#: the error statuses every API route documents
ERROR_RESPONSES = {
    status: {"model": ErrorResponse, "description": text}
    for status, text in (
        (400, "请求格式无效"),
        (401, "未登录或登录已失效"),
        (403, "无权办理，或缺少 CSRF 令牌"),
        (404, "不存在"),
        (409, "与他人同时修改，或数据校验不符"),
        (413, "上传文件过大"),
        (422, "输入无效或业务规则不允许（消息说明原因）"),
        (429, "登录失败次数过多"),
    )
}

HTTP_MESSAGES = {
    400: "请求格式无效",
    401: "请先登录",
    403: "无权访问",
    404: "页面或数据不存在，请检查地址",
    405: "不支持这种请求方式",
    406: "不支持请求的格式",
    413: "上传内容过大",
    415: "不支持的内容类型",
}

PYDANTIC_MESSAGES = {
    "missing": "缺少此项",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "decimal_parsing": "应为数字",
    "string_type": "应为文字",
    "date_from_datetime_parsing": "应为日期，如 2026-05-01",
    "date_parsing": "应为日期，如 2026-05-01",
    "date_type": "应为日期，如 2026-05-01",
    "bool_parsing": "应为 true 或 false",
    "json_invalid": "不是有效的 JSON",
    "model_attributes_type": "应为 JSON 对象",
    "dict_type": "应为 JSON 对象",
    "list_type": "应为列表",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "greater_than": "数值过小",
    "string_too_long": "文字过长",
    "string_too_short": "不能为空",
    "too_long": "项数过多",
    "extra_forbidden": "不认识的字段",
    "value_error": "取值无效",
    "string_pattern_mismatch": "格式不对",
    "int_from_float": "应为整数",
    "finite_number": "应为有限数字",
    "decimal_max_digits": "位数过多",
    "decimal_max_places": "小数位过多",
    "uuid_parsing": "格式不对",
}


#: the Chinese names of the fields of the forms and the API, shown beside the key in a validation message
FIELD_LABELS = {
    **FACT_LABELS,
    "on": "日期", "approved_on": "批准日期", "approval_no": "批准文号", "approving_body": "批准机关",
    "supply_on": "供应日期", "price": "价款", "amount": "金额", "reason": "原因", "note": "说明",
    "target": "目标状态", "kind": "证据类型", "ref": "文件编号", "by": "确认人", "date": "日期",
    "start": "开始日期", "end": "结束日期", "code": "地块编号", "row_version": "版本号", "active": "启用/停用",
    "file": "文件", "username": "用户名", "display_name": "姓名", "password": "密码", "method": "供应方式",
    "contract_no": "合同编号", "document": "凭证", "memo": "摘要", "category": "支付类别", "parcel": "地块编号",
}  # fmt: skip


def _field_name(location: tuple) -> str:
    """``supply.price`` → ``价款（supply.price）``: the Chinese name of the last key, then the path."""
    keys = [str(p) for p in location if p not in ("body", "query", "path", "form")]
    if not keys:
        return "请求"
    label = next((FIELD_LABELS[k] for k in reversed(keys) if k in FIELD_LABELS), None)
    path = ".".join(keys)
    return f"{label}（{path}）" if label else path


def status_of(error: LandReserveError) -> int:
    for kind, status in STATUS:
        if isinstance(error, kind):
            return status
    return 422


def _json(status: int, code: str, message: str, details: dict | None = None, headers=None) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "details": details or {}}}
    return JSONResponse(body, status_code=status, headers=headers)


def _back(request: Request) -> str | None:
    """The page a refused form was sent from (same site only), to go back to it and correct the entry."""
    referer = urlsplit(request.headers.get("referer", ""))
    if (
        request.method in ("GET", "HEAD")
        or referer.netloc != request.url.netloc
        or not referer.path.startswith("/")
    ):
        return None
    return referer.path + (f"?{referer.query}" if referer.query else "")


def _page(request: Request, status: int, message: str, reasons: list[str] | None = None) -> Response:
    render = request.app.state.render
    template = "_error_fragment.html" if request.headers.get("hx-request") else "error.html"
    context = {"message": message, "reasons": reasons or [], "status": status, "back": _back(request)}
    return render(request, template, context, status=status)


def _validation_message(error: RequestValidationError) -> tuple[str, list[dict]]:
    items = []
    for problem in error.errors():
        text = PYDANTIC_MESSAGES.get(problem.get("type", ""), "取值无效")
        items.append({"field": _field_name(tuple(problem.get("loc", ()))), "problem": text})
    shown = "；".join(f"{i['field']}：{i['problem']}" for i in items[:8])
    return f"输入无效，请核对后重试：{shown}", items


def install(app: FastAPI) -> None:
    @app.exception_handler(LandReserveError)
    async def landreserve_error(request: Request, error: LandReserveError):
        status = status_of(error)
        if isinstance(error, NotLoggedIn | PasswordChangeRequired) and wants_html(request):
            target = error.details.get("login", "/login")
            if request.headers.get("hx-request"):
                return Response(status_code=204, headers={"HX-Redirect": target})
            return RedirectResponse(target, status_code=303)
        headers = {}
        if isinstance(error, LoginThrottled):
            headers["Retry-After"] = str(error.details.get("retry_after_seconds", 900))
        if wants_html(request):
            response = _page(request, status, error.message, list(error.details.get("reasons", [])))
            response.headers.update(headers)
            return response
        return _json(status, error.code, error.message, error.details, headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError):
        message, items = _validation_message(error)
        if wants_html(request):
            return _page(request, 422, message)
        return _json(422, "input.invalid", message, {"problems": items})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException):
        message = HTTP_MESSAGES.get(error.status_code, "请求无法处理")
        if isinstance(error.detail, str) and any("\u4e00" <= c <= "\u9fff" for c in error.detail):
            message = error.detail
        if wants_html(request):
            return _page(request, error.status_code, message)
        return _json(
            error.status_code, f"http.{error.status_code}", message, headers=getattr(error, "headers", None)
        )
