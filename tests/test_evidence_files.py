"""Evidence and its file are one unit (``services.documents``): the file written and the rows committed
together, or neither. Failures are real: a path in the files folder that is not a folder (the disk refuses
the write), a parcel changed meanwhile (a stale ``expected_version``), a reference the length check refuses
— each leaves no row, no history entry and no file behind, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from landreserve.domain.actors import Actor
from landreserve.domain.evidence import Evidence, EvidenceKind
from landreserve.domain.register import ParcelFacts
from landreserve.errors import ConflictError, InputError, NotFoundError
from landreserve.services import documents, register
from landreserve.storage.db import reading
from landreserve.storage.history_tables import HistoryEntryRow
from landreserve.storage.register_tables import EvidenceRow
from landreserve.storage.web_tables import EvidenceFileRow

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CODE = "BC-T001"


@pytest.fixture
def center(ctx, tmp_path):
    ctx = replace(ctx, actor=Actor("张三", "reserve_center"),
                  settings=replace(ctx.settings, files_dir=str(tmp_path / "files")))  # fmt: skip
    register.add_parcel(ctx, ParcelFacts(CODE, "测试路北侧", Decimal("10000")))
    return ctx


def counts(ctx) -> tuple[int, int, int]:
    with reading(ctx.engine) as s:
        return tuple(
            s.scalar(select(func.count()).select_from(t))
            for t in (EvidenceRow, EvidenceFileRow, HistoryEntryRow)
        )


def files(ctx) -> list[Path]:
    root = Path(ctx.settings.files_dir)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def title(ref: str = "产权调查表-001", by: str = "李四") -> Evidence:
    return Evidence(EvidenceKind.TITLE_CLEAR, ref, date(2026, 2, 20), by)


def test_evidence_and_its_file_are_kept_together(center):
    before = counts(center)
    view = documents.add_evidence_with_file(
        center, CODE, [title()], "产权调查表.pdf", PDF, expected_version=1
    )
    assert counts(center) == (before[0] + 1, before[1] + 1, before[2] + 2)
    assert files(center) == [documents.stored_path(center, hashlib.sha256(PDF).hexdigest())]
    assert view.row_version == 2
    [kept] = documents.documents(center, CODE)
    assert (kept.kind, kept.ref) == ("title_clear", "产权调查表-001")


def test_a_file_the_disk_refuses_writes_no_row(center):
    digest = hashlib.sha256(PDF).hexdigest()
    blocked = Path(center.settings.files_dir) / digest[:2]
    blocked.parent.mkdir(parents=True)
    blocked.write_text(
        "不是文件夹"
    )  # where the file's folder must go: the operating system refuses the write
    before = counts(center)
    for attempt in (
        lambda: documents.add_evidence_with_file(center, CODE, [title()], "a.pdf", PDF),
        lambda: documents.add_document(center, CODE, "a.pdf", PDF),
    ):
        with pytest.raises(InputError, match="证明文件无法保存到文件目录.*LANDRESERVE_FILES_DIR") as refused:
            attempt()
        assert refused.value.code == "document.not_stored"
    assert counts(center) == before and files(center) == [blocked]


def test_a_stale_version_leaves_no_row_and_no_file(center):
    register.add_evidence(center, CODE, [title("其他-1")])  # someone else wrote meanwhile: version 2
    before = counts(center)
    with pytest.raises(ConflictError):
        documents.add_evidence_with_file(center, CODE, [title()], "a.pdf", PDF, expected_version=1)
    assert counts(center) == before and files(center) == []


def test_a_row_refused_at_the_database_leaves_no_file(center):
    before = counts(center)
    with pytest.raises(
        InputError, match="确认人.*过长"
    ):  # the column's length, checked when the rows are flushed
        documents.add_evidence_with_file(center, CODE, [title(by="长" * 101)], "a.pdf", PDF)
    with pytest.raises(NotFoundError):
        documents.add_document(center, "NO-SUCH-PARCEL", "a.pdf", PDF)
    assert counts(center) == before and files(center) == []


def test_a_failure_keeps_a_file_a_committed_row_holds(center):
    documents.add_document(center, CODE, "a.pdf", PDF)
    register.add_evidence(center, CODE, [title("其他-1")])  # version 2
    kept = files(center)
    with pytest.raises(ConflictError):
        documents.add_evidence_with_file(center, CODE, [title()], "b.pdf", PDF, expected_version=1)
    assert files(center) == kept and len(kept) == 1
