"""Benchmark ``web_requests``: CPU milliseconds per request of the web application alone, in-process, with and
without gzip — what the server process pays for an answer, without sockets, a server or a load generator.

The county of ``web_load`` (demonstration data plus N registered parcels with boundaries, SQLite) is built in a
temporary folder; the application is made as ``landreserve serve`` makes it, an administrator logs in through
httpx (its ASGI transport: a real HTTP client, no network), and then each URL is asked ``--requests`` times
per round by calling the ASGI application with that session's cookie, once with ``Accept-Encoding: gzip`` and
once with ``identity``. The figure is ``time.process_time`` per request, best of ``--rounds`` rounds (CPU time
of this process: it barely depends on what else the machine runs), with the bytes sent.

``python -m benchmarks web_requests [-- --parcels 10000 --requests 300 --rounds 5]``
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import tempfile
import time
from pathlib import Path

from benchmarks import web_load

URLS = ("/parcels", "/api/v1/parcels", "/")
ENCODINGS = ("gzip, deflate", "identity")


async def _cookie(app) -> bytes:
    import httpx

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1"
    ) as client:
        page = await client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        form = {"username": web_load.USER, "password": web_load.PASSWORD, "csrf_token": token, "next": "/"}
        assert (await client.post("/login", data=form)).status_code == 303
        return "; ".join(f"{k}={v}" for k, v in client.cookies.items()).encode()


async def _measure(
    app, cookie: bytes, path: str, encoding: str, requests: int, rounds: int
) -> tuple[float, int]:
    """(best CPU ms per request, bytes of the last answer's body as sent)."""
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"cookie", cookie), (b"accept-encoding", encoding.encode())],
        "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 80),
    }  # fmt: skip
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    for _ in range(20):  # what is kept is made; the templates are compiled
        await app(dict(scope), receive, send)
    best = float("inf")
    for _ in range(rounds):
        sent.clear()
        started = time.process_time()
        for _ in range(requests):
            await app(dict(scope), receive, send)
        best = min(best, (time.process_time() - started) / requests * 1000)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    assert status == 200, (path, status)
    return best, len([m for m in sent if m["type"] == "http.response.body"][-1]["body"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks web_requests", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--parcels", type=int, default=10_000, help="registered parcels with boundaries (10000)"
    )
    parser.add_argument("--requests", type=int, default=300, help="requests per round (300)")
    parser.add_argument(
        "--rounds", type=int, default=5, help="rounds per URL and encoding, the best counts (5)"
    )
    args, _ = parser.parse_known_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = web_load.build(folder, args.parcels, "sqlite")
        os.environ.update(
            LANDRESERVE_DATABASE_URL=url, LANDRESERVE_SECRET_KEY=web_load.SECRET, LANDRESERVE_COOKIE_SECURE="0",
            LANDRESERVE_FILES_DIR=str(folder / "files"), LANDRESERVE_CACHE_DIR=str(folder / "cache"),
        )  # fmt: skip
        from landreserve.web.app import create_app

        app = create_app()
        print(f"{'URL':<18} {'Accept-Encoding':<16} {'CPU ms/request':>14} {'bytes sent':>10}")

        async def run() -> None:
            cookie = await _cookie(app)
            for path in URLS:
                for encoding in ENCODINGS:
                    cpu, size = await _measure(app, cookie, path, encoding, args.requests, args.rounds)
                    print(f"{path:<18} {encoding:<16} {cpu:>14.3f} {size:>10}", flush=True)

        asyncio.run(run())
        app.state.engine.dispose()
    return 0
