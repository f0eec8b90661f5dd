"""A plan document uploaded through the web: kept aside, audited and shown with its findings beside the
text, and imported only when the user accepts it (``plans.import_plan``, one transaction as always).

The upload waits in ``<files dir>/staging/<token>/`` under a random token, for the account that uploaded
it only, and is removed once imported or after a day.
"""

from __future__ import annotations

import json
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from ..domain.findings import Finding
from ..domain.permissions import Permission
from ..errors import InputError, NotFoundError
from ..importers import MAX_PLAN_BYTES
from ..importers.sources import read_source
from . import plans
from .authorization import requires
from .context import Context
from .documents import safe_name

ACCEPTED_SUFFIXES = (".txt", ".docx", ".html", ".htm")
KEEP_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Preview:
    token: str
    file_name: str
    report: plans.AuditReport
    lines: list[str]

    def cited(self) -> dict[int, str]:
        """Line number → the worst severity of a finding citing it (for highlighting)."""
        rank = {"error": 3, "warning": 2, "info": 1}
        marks: dict[int, str] = {}
        for finding in self.report.findings:
            severity = finding.severity.value
            for line in finding.lines:
                if rank[severity] > rank.get(marks.get(line, ""), 0):
                    marks[line] = severity
        return marks


def _staging(ctx: Context) -> Path:
    return Path(ctx.settings.files_dir) / "staging"


def _folder(ctx: Context, token: str) -> Path:
    if not token or not all(c.isalnum() or c in "-_" for c in token):
        raise NotFoundError("上传的计划文件已失效，请重新上传", code="plan.upload_expired")
    return _staging(ctx) / token


def _sweep(ctx: Context) -> None:
    root = _staging(ctx)
    if not root.is_dir():
        return
    for folder in root.iterdir():
        if folder.is_dir() and time.time() - folder.stat().st_mtime > KEEP_SECONDS:
            shutil.rmtree(folder, ignore_errors=True)


@requires(Permission.PLAN_IMPORT)
def stage(ctx: Context, file_name: str, data: bytes) -> Preview:
    """Keep an uploaded plan aside and audit it (nothing is stored in the database)."""
    name = safe_name(file_name)
    suffix = Path(name).suffix.lower()
    if suffix not in ACCEPTED_SUFFIXES:
        raise InputError(
            f"文件“{name}”不是可读取的计划文件：请上传 .txt、.docx 或网页另存的 .html（PDF 请先另存为文本或 Word）",
            code="plan.upload_type",
            details={"field": "file"},
        )
    if len(data) > MAX_PLAN_BYTES:
        raise InputError(f"文件“{name}”超过 {MAX_PLAN_BYTES // 1048576} MB", code="plan.too_large")
    _sweep(ctx)
    token = secrets.token_urlsafe(18)
    folder = _staging(ctx) / token
    folder.mkdir(parents=True)
    (folder / name).write_bytes(data)
    (folder / "owner.json").write_text(json.dumps({"actor": ctx.actor.name}), encoding="utf-8")
    try:
        return _preview(ctx, token)
    except InputError:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _file(ctx: Context, token: str) -> Path:
    folder = _folder(ctx, token)
    owner = folder / "owner.json"
    if not owner.is_file() or json.loads(owner.read_text(encoding="utf-8")).get("actor") != ctx.actor.name:
        raise NotFoundError("上传的计划文件已失效或不是您上传的，请重新上传", code="plan.upload_expired")
    files = [p for p in folder.iterdir() if p.name != "owner.json"]
    if len(files) != 1:
        raise NotFoundError("上传的计划文件已失效，请重新上传", code="plan.upload_expired")
    return files[0]


def _preview(ctx: Context, token: str) -> Preview:
    path = _file(ctx, token)
    report = plans.audit_file(path, ctx.settings.max_parcel_area_ha)
    lines, _ = read_source(path)
    return Preview(token, path.name, report, list(lines))


@requires(Permission.PLAN_IMPORT)
def preview(ctx: Context, token: str) -> Preview:
    return _preview(ctx, token)


@requires(Permission.PLAN_IMPORT)
def accept(ctx: Context, token: str) -> plans.ImportResult:
    """Import the staged plan (after the user saw its findings) and remove it from staging."""
    path = _file(ctx, token)
    result = plans.import_plan(ctx, path)
    shutil.rmtree(path.parent, ignore_errors=True)
    return result


def finding_lines(findings: list[Finding]) -> set[int]:
    return {line for f in findings for line in f.lines}
