"""The FastAPI application: pages (Jinja2 + htmx) and the JSON API over the same services as the CLI.

``create_app()`` reads the settings from the environment (``landreserve serve`` runs it with uvicorn);
tests pass their own settings and engine.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import TypeVar

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from sqlalchemy import Engine
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..domain.actors import Actor
from ..services import map_data
from ..services.context import Context
from ..settings import Settings
from ..storage.db import make_engine
from ..storage.migrate import upgrade
from . import assets, compression, errors
from .cache import RENDERED_LIMIT, RENDERED_MAX_SIZE, Kept
from .config import WebSettings
from .security import Signer, content_security_policy
from .templating import make_templates, renderer

T = TypeVar("T")
TIANDITU_HOSTS = tuple(f"https://t{i}.tianditu.gov.cn" for i in range(8))


class BodyLimit:
    """Refuse a request body larger than the upload limit (413, Chinese) before it is read into memory."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            return await self._refuse(scope, send)
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except TooLarge:
            await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        mb = self.max_bytes // (1024 * 1024)
        body = f'{{"error":{{"code":"upload.too_large","message":"上传内容超过上限 {mb} MB（LANDRESERVE_UPLOAD_MAX_MB），未保存","details":{{}}}}}}'
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json; charset=utf-8")]})  # fmt: skip
        await send({"type": "http.response.body", "body": body.encode("utf-8")})


class TooLarge(Exception):
    pass


class CatchAll:
    """An unexpected error becomes a Chinese 500 (logged) and the connection stays usable."""

    def __init__(self, app: ASGIApp, api_prefix: str):
        self.app, self.api_prefix = app, api_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking)
        except Exception:
            errors.log.exception("unexpected error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            message = "服务器内部错误，本次操作未完成（已记录日志，请联系信息中心）"
            if scope["path"].startswith(self.api_prefix):
                body = ('{"error":{"code":"server.error","message":"' + message + '","details":{}}}').encode()
                kind = b"application/json; charset=utf-8"
            else:
                body = f'<!doctype html><meta charset="utf-8"><title>系统出错</title><p>{message}</p><p><a href="/">回到工作台</a></p>'.encode()
                kind = b"text/html; charset=utf-8"
            await send({"type": "http.response.start", "status": 500, "headers": [(b"content-type", kind)]})
            await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """CSP, no framing, no sniffing, no caching of internal pages."""

    def __init__(self, app: ASGIApp, web: WebSettings):
        self.app = app
        extra = TIANDITU_HOSTS if web.basemap == "tianditu" else ()
        self.csp = content_security_policy(extra).encode()
        self.docs_csp = content_security_policy(extra, docs=True).encode()
        self.docs = (f"{web.root_path}/docs", f"{web.root_path}/redoc")
        self.static = f"{web.root_path}/static/"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope["path"]
        csp = self.docs_csp if path.startswith(self.docs) else self.csp

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                headers += [
                    (b"content-security-policy", csp),
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"same-origin"),
                ]
                if b"cache-control" not in names and not path.startswith(self.static):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def settle() -> None:
    """Move what the process keeps (modules, templates, kept maps) out of the garbage collector's sight: a
    full collection walks every object, and with a county's map kept (some 250,000 objects) one took 0.3 s —
    a request that met it waited as long. Kept objects are still freed when no longer referenced."""
    gc.collect()
    gc.freeze()


def settled(build: Callable[[Context], T], web: WebSettings) -> Callable[[Context], T]:
    """``build``, then :func:`settle` where the process is a server (a map is built once, then kept until
    its boundaries change); a test process, which makes and drops many applications, leaves the collector be."""

    def run(ctx: Context) -> T:
        value = build(ctx)
        if web.settle_gc:
            settle()
        return value

    return run


def create_app(settings: Settings | None = None, engine: Engine | None = None, web: WebSettings | None = None,
               *, migrate: bool = True) -> FastAPI:  # fmt: skip
    settings = settings or Settings.from_env()
    web = web or WebSettings.from_env(settings)
    engine = engine or make_engine(settings.database_url)
    if migrate:
        upgrade(engine)
    app = FastAPIOffline(
        title="landreserve 县级土地储备管理系统 API",
        version="1",
        description=(
            "储备计划、储备库、资金与地块空间数据的 JSON 接口，与网页和命令行调用同一服务层，权限相同。"
            "登录：POST /api/v1/login（JSON），返回 csrf_token；之后每个写请求须带请求头 X-CSRF-Token。"
            '错误统一为 {"error": {"code", "message", "details"}}，message 为中文说明。'
        ),
        openapi_url="/api/v1/openapi.json",
        root_path=web.root_path,
        static_url="/static/docs",
    )
    app.state.settings, app.state.web, app.state.engine = settings, web, engine
    app.state.context = Context(engine=engine, settings=settings, actor=Actor("system", "it"))
    app.state.signer = Signer(web.secret_key, int(web.session_lifetime.total_seconds()))
    app.state.templates = make_templates(reload=web.reload_templates)
    app.state.render = renderer(app.state.templates)
    app.state.cache, app.state.rendered = Kept(), Kept(RENDERED_LIMIT, RENDERED_MAX_SIZE)
    app.state.maps = {"parcels": map_data.KeptMap(settled(map_data.parcel_map, web), staff=True),
                      "public": map_data.KeptMap(settled(map_data.public_map, web), staff=False)}  # fmt: skip
    errors.install(app)
    app.mount("/static/app", StaticFiles(directory=assets.OWN), name="static-app")
    for prefix in assets.PACKAGED:
        app.mount(
            f"/static/{prefix}",
            StaticFiles(directory=assets.packaged_folder(prefix)),
            name=f"static-{prefix}",
        )
    _routers(app)
    app.add_middleware(GZipMiddleware, minimum_size=compression.MINIMUM_SIZE, compresslevel=compression.LEVEL)
    app.add_middleware(SecurityHeaders, web=web)
    app.add_middleware(BodyLimit, max_bytes=(settings.upload_max_mb + 1) * 1024 * 1024)
    app.add_middleware(CatchAll, api_prefix=f"{web.root_path}/api/")
    if web.settle_gc:
        settle()
    return app


def _routers(app: FastAPI) -> None:
    from .routers import ROUTERS

    for router in ROUTERS:
        app.include_router(router)
