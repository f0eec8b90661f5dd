"""Reproducible Office files: a .docx or .xlsx is a zip whose entries carry the time of writing and whose
``docProps/core.xml`` holds creation and modification times. ``reproducible`` rewrites both from the data's
own date, so the same data gives the same bytes."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def reproducible(data: bytes, on: date) -> bytes:
    """``data`` (a zip) with every entry dated ``on`` (00:00), in the same order, and the core properties'
    times set to ``on``."""
    stamp = f"{on.isoformat()}T00:00:00Z".encode()
    when = (max(on.year, 1980), on.month, on.day, 0, 0, 0)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _STAMP.sub(lambda m: m.group(1) + stamp + m.group(2), content)
            entry = zipfile.ZipInfo(info.filename, when)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, content)
    return out.getvalue()
