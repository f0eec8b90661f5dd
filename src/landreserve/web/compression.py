"""Answers gzipped: the application's middleware compresses every answer of ``MINIMUM_SIZE`` bytes or more for a
client that accepts gzip, at ``LEVEL``, each time it is sent. What is kept as sent (``cache.kept``, the same for
every account until the data changes) is compressed once instead, its compressed bytes kept beside it in the
same store, and the middleware passes an answer that is already encoded as it is:

- an answer kept whole (the JSON of a list page): its gzip bytes, the middleware's own (the same zlib settings);
- a page around a kept part (the parcel list inside the page with the account, menu and CSRF token): the page
  is rendered around a place holder, and its gzip stream is spliced from three raw deflate pieces — the page
  before the part and after it, compressed per request (some 1.7 kB), and the part (some 20 kB), compressed
  once. Each piece but the last ends on a byte boundary (``Z_SYNC_FLUSH``) and refers to nothing before it, so
  the pieces one after the other are one valid deflate stream; the gzip trailer (CRC-32, length) is that of the
  whole page. Decompressed, it is the page byte for byte.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable, Hashable

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

#: the middleware's settings (``app.create_app``): smaller answers are sent as they are
MINIMUM_SIZE, LEVEL = 1024, 5
#: a gzip member's header as zlib writes it: deflate, no name, no time, no extra flags, Unix
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"
#: where the kept part goes in a page rendered around it (two private-use characters around a name)
PLACE = "\ue000kept\ue000"
_PLACE = PLACE.encode()


def gzipped(body: bytes) -> bytes:
    """``body`` as one gzip member, as ``GZipMiddleware`` writes it."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return compressor.compress(body) + compressor.flush()


def accepts_gzip(request: Request) -> bool:
    """Whether the middleware would gzip an answer to ``request`` (its own test of the header)."""
    return "gzip" in request.headers.get("accept-encoding", "")


def kept_response(request: Request, key: Hashable, body: bytes, media_type: str) -> Response:
    """The answer ``body``, kept as sent under ``key`` at the data version read with this request: gzipped
    once per version for clients that accept it, the compressed bytes kept in the same store."""
    version = getattr(request.state, "data_version", None)
    if len(body) < MINIMUM_SIZE or version is None or not accepts_gzip(request):
        return Response(body, media_type=media_type)  # the middleware does what it always does
    packed = request.app.state.rendered.get(("gzip", key), version, lambda: gzipped(body))
    headers = {"Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
    return Response(packed, media_type=media_type, headers=headers)


def page_around(
    request: Request, key: Hashable, part: str, render: Callable[[Markup], HTMLResponse]
) -> HTMLResponse:
    """The page ``render(part)``, where ``part`` is kept as sent under ``key``: rendered around a place holder
    and the part put in its place; gzipped (for a client that accepts it) with the part compressed once per
    data version. A page whose own text has the place holder is rendered with the part, as it is."""
    response = render(Markup(PLACE))
    before, found, after = response.body.partition(_PLACE)
    if not found or _PLACE in after:
        return render(Markup(part))
    body = before + part.encode() + after
    version = getattr(request.state, "data_version", None)
    if len(body) >= MINIMUM_SIZE and version is not None and accepts_gzip(request):
        deflated = request.app.state.rendered.get(
            ("deflate", key), version, lambda: raw_deflate(part.encode())
        )
        trailer = struct.pack("<II", zlib.crc32(body), len(body) & 0xFFFFFFFF)
        response.body = GZIP_HEADER + raw_deflate(before) + deflated + raw_deflate(after, last=True) + trailer
        response.headers["content-encoding"], response.headers["vary"] = "gzip", "Accept-Encoding"
    else:
        response.body = body
    response.headers["content-length"] = str(len(response.body))
    return response


def raw_deflate(data: bytes, last: bool = False) -> bytes:
    """``data`` as raw deflate that refers to nothing before it: ending on a byte boundary (more follows) or
    as the stream's last block. The window is no larger than the data (a match cannot reach further back
    anyway), which makes the compressor of the page's own 1–2 kB a third as costly to set up (28 → 9 µs)."""
    window = min(max(len(data).bit_length(), 9), zlib.MAX_WBITS)
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -window, max(window - 7, 1))
    return compressor.compress(data) + compressor.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)
