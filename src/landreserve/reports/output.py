"""Every report in every format that fits it, as bytes, and written atomically: the one entry point of the
command line (``landreserve report``) and of the web downloads.

>>> sorted(FORMATS["parcels"])
['csv', 'json', 'xlsx']
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import InputError

#: report → the formats that fit it
FORMATS = {
    "plan": ("docx", "pdf"),
    "parcels": ("xlsx", "json", "csv"),
    "annual": ("docx", "pdf"),
    "disclosure": ("pdf", "json", "csv", "geojson"),
}
NAMES = {
    "plan": "储备计划",
    "parcels": "储备地块清单",
    "annual": "年度执行情况报告",
    "disclosure": "公开信息",
}
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
}


def check_format(report: str, fmt: str) -> str:
    """``fmt`` normalised, or ``InputError`` (Chinese) naming the formats that fit ``report``."""
    if report not in FORMATS:
        raise InputError(
            f"没有“{report}”这种报告；可选：{'、'.join(f'{k}（{v}）' for k, v in NAMES.items())}",
            code="report.unknown",
        )
    fmt = (fmt or "").lower().lstrip(".")
    if fmt not in FORMATS[report]:
        raise InputError(
            f"{NAMES[report]}不能生成 {fmt or '（未指定）'} 格式；可选格式：{'、'.join(FORMATS[report])}",
            code="report.format",
            details={"report": report, "format": fmt, "formats": list(FORMATS[report])},
        )
    return fmt


@dataclass(frozen=True)
class Rendered:
    data: bytes
    media_type: str
    file_name: str


def file_name(report: str, title: str, fmt: str, version: int | None = None, year: int | None = None) -> str:
    parts = [title, NAMES[report] if report != "plan" else "", f"第{version}版" if version else "",
             f"{year}年度" if year and report == "annual" else ""]  # fmt: skip
    name = "-".join(p for p in parts if p)
    return "".join("_" if c in '/\\:*?"<>|' else c for c in name) + f".{fmt}"


def plan_bytes(report, fmt: str) -> bytes:
    from .plan_text import plan_document

    doc = plan_document(report)
    if fmt == "docx":
        from .word import docx_bytes

        return docx_bytes(doc, report.meta.approved_on or date(report.meta.year or 2000, 1, 1))
    from .pdf import pdf_bytes

    return pdf_bytes(doc)


def parcels_bytes(listing, fmt: str) -> bytes:
    if fmt == "xlsx":
        from .excel import xlsx_bytes

        return xlsx_bytes(listing, listing.meta.approved_on or date(listing.meta.year or 2000, 1, 1))
    rows = [
        {
            "serial": r.serial,
            "code": r.code,
            "location": r.location,
            "area_m2": str(r.area_m2),
            "ha": str(r.ha),
            "mu": str(r.mu),
            "land_use": r.land_use,
            "zone": r.zone,
            "source": r.source,
            "stock": r.stock,
            "state": r.state,
        }  # fmt: skip
        for r in listing.rows
    ]
    if fmt == "json":
        meta = listing.meta
        data = {
            "plan": {"title": meta.title, "version": meta.version, "approval_no": meta.approval_no},
            "history_head": meta.head.as_json() if meta.head else None,
            "parcels": rows,
        }
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    import csv
    import io

    from ..domain.reports.parcel_list import COLUMNS

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS.values())
    for r in listing.rows:
        writer.writerow([r.value(k) for k in COLUMNS])
    if listing.meta.head:  # at the end, after an empty row, as the other formats print it
        writer.writerows([[], [listing.meta.head.text]])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def annual_bytes(report, fmt: str) -> bytes:
    from .annual_text import annual_document

    doc = annual_document(report)
    if fmt == "docx":
        from .word import docx_bytes

        return docx_bytes(doc, date(report.year, 12, 31))
    from .pdf import pdf_bytes

    return pdf_bytes(doc)


def disclosure_bytes(package, fmt: str) -> bytes:
    from . import disclosure_text

    if fmt == "pdf":
        from .pdf import pdf_bytes

        return pdf_bytes(disclosure_text.disclosure_document(package))
    if fmt == "csv":
        return disclosure_text.csv_text(package).encode("utf-8")
    return disclosure_text.json_text(package).encode("utf-8")


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder: never a half-written report."""
    path = Path(path)
    if path.exists() and path.is_dir():
        raise InputError(
            f"输出路径“{path}”是一个文件夹，请给出文件名（如 {path}/报告.pdf）", code="report.output"
        )
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"输出文件夹“{folder}”不存在，请先建立它或换一个路径", code="report.output")
    handle, temporary = tempfile.mkstemp(prefix=".landreserve-", suffix=path.suffix, dir=folder)
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
