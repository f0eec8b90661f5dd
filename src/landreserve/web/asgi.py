"""The ASGI application for uvicorn (``landreserve serve``; or ``uvicorn landreserve.web.asgi:app``)."""

from __future__ import annotations

from .app import create_app

app = create_app()
