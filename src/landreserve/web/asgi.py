"""The ASGI application for uvicorn (``landreserve serve``; or ``uvicorn landreserve.web.asgi:app``)."""

from __future__ import annotations

from dataclasses import replace

from ..settings import Settings
from .app import create_app
from .config import WebSettings

_settings = Settings.from_env()
app = create_app(
    _settings, web=replace(WebSettings.from_env(_settings), settle_gc=True, reload_templates=False)
)
