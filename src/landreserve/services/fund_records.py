"""Use cases of project records as published: import one from a spreadsheet (checked, stored as a new
revision when it changed), check a file without storing it, show the newest record of a project with its
recomputation beside the stated figures."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from ..domain.funds.records import RecordCheck, check_record, record_from_json, record_to_json
from ..domain.permissions import Permission
from ..errors import NotFoundError
from ..importers.fund_records import read_record
from ..storage.db import reading
from ..storage.funds_tables import FundProjectRecordRow
from .authorization import requires
from .clock import utc_now
from .context import Context
from .funds import check_code, record_history, writing


@dataclass(frozen=True)
class StoredRecord:
    check: RecordCheck
    revision: int
    changed: bool


def check_file(ctx: Context, path: Path) -> RecordCheck:
    """Read and check a record file without storing anything."""
    return check_record(read_record(path), ctx.settings.coverage_bound)


@requires(Permission.FUNDS_PROJECT)
def import_record(ctx: Context, path: Path) -> StoredRecord:
    """Read a record file, check it and store it (one transaction) as the project's newest revision; the
    same content again changes nothing (``changed`` is False). The file is read completely before anything
    is written, so a bad cell stores nothing."""
    record = read_record(path)
    check_code(record.project, "项目")
    content = json.dumps(record_to_json(record), ensure_ascii=False, sort_keys=True)
    digest = hashlib.sha256(content.encode()).hexdigest()
    check = check_record(record, ctx.settings.coverage_bound)
    with writing(ctx, f"导入项目 {record.project} 的记录") as session:
        last = session.scalar(
            select(FundProjectRecordRow)
            .where(FundProjectRecordRow.project_code == record.project)
            .order_by(FundProjectRecordRow.revision.desc())
        )
        if last is not None and last.content_sha256 == digest:
            return StoredRecord(check, last.revision, False)
        revision = last.revision + 1 if last else 1
        session.add(
            FundProjectRecordRow(
                project_code=record.project, revision=revision, content=content, content_sha256=digest,
                source_name=record.source_name, created_at=utc_now(), created_by=ctx.actor.name,
            )
        )  # fmt: skip
        record_history(session, ctx, "fund_project_record", record.project, "import",
                       {"revision": revision, "sha256": digest, "findings": len(check.findings)},
                       record.source_name)  # fmt: skip
        return StoredRecord(check, revision, True)


def project_record(ctx: Context, project: str, revision: int | None = None) -> StoredRecord:
    """The newest (or a given) revision of a project's record, recomputed with today's coverage bound."""
    with reading(ctx.engine) as session:
        query = select(FundProjectRecordRow).where(FundProjectRecordRow.project_code == project.strip())
        if revision is not None:
            query = query.where(FundProjectRecordRow.revision == revision)
        row = session.scalar(query.order_by(FundProjectRecordRow.revision.desc()))
        if row is None:
            known = "、".join(sorted(set(session.scalars(select(FundProjectRecordRow.project_code))))) or "无"
            raise NotFoundError(
                f"项目 {project} 没有已导入的记录" + (f"（第 {revision} 版）" if revision else "")
                + f"；已有记录的项目：{known}；请用 landreserve funds project import 文件 导入",
                code="funds.record_not_found",
            )  # fmt: skip
        record = record_from_json(json.loads(row.content))
        return StoredRecord(check_record(record, ctx.settings.coverage_bound), row.revision, False)
