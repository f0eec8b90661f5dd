"""Evidence files of register parcels: scans of certificates, agreements, acceptance reports.

A file is checked before anything is kept: its size (``LANDRESERVE_UPLOAD_MAX_MB``), its type sniffed from
its bytes (PDF, JPEG, PNG, TIFF, OFD, Word/Excel documents) and agreeing with its name's suffix — a renamed
executable or a script called ``.pdf`` is refused. It is stored under its SHA-256 (never under the name it
came with, so no path in a name reaches the disk), written to a temporary file and renamed, and its row and
history entry are committed together; the same bytes uploaded again are stored once.

The file and its row are one unit: the file is written first, inside the unit, and removed again when
anything after it fails (the row refused, the commit failing) unless a committed row already holds the same
bytes; a file that cannot be written (a full or read-only disk) writes no row. Evidence given with its file
(:func:`add_evidence_with_file`, the web form) is the same single transaction.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath, PureWindowsPath

import filetype
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain import plausibility
from ..domain.evidence import EVIDENCE_LABELS, Evidence, parse_kind
from ..domain.permissions import Permission
from ..errors import InputError, IntegrityError, NotFoundError
from ..storage.db import reading, transaction
from ..storage.web_tables import EvidenceFileRow
from . import history, register
from .authorization import requires
from .clock import utc_now
from .context import Context
from .register import ParcelView, parcel_row

#: accepted types: sniffed MIME type → the suffixes a file of that type may carry
ACCEPTED = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "image/tiff": (".tif", ".tiff"),
    "application/ofd": (".ofd",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
}
TYPE_NAMES = "PDF、JPEG、PNG、TIFF、OFD、Word（.docx）、Excel（.xlsx）"


@dataclass(frozen=True)
class DocumentView:
    id: int
    parcel_code: str
    file_name: str
    media_type: str
    size: int
    sha256: str
    kind: str | None
    ref: str | None
    uploaded_at: datetime
    uploaded_by: str
    department: str

    @property
    def kind_label(self) -> str:
        return EVIDENCE_LABELS.get(self.kind, "") if self.kind else ""  # type: ignore[call-overload]


def _view(row: EvidenceFileRow) -> DocumentView:
    return DocumentView(
        row.id, row.parcel_code, row.file_name, row.media_type, row.size, row.sha256, row.kind, row.ref,
        row.uploaded_at, row.uploaded_by, row.department,
    )  # fmt: skip


def safe_name(name: str) -> str:
    """The base name of an uploaded file without any folder (``../../etc/passwd`` → ``passwd``; Windows
    paths too), control characters or reserved characters; at most 120 characters, suffix kept."""
    text = unicodedata.normalize("NFKC", name or "")
    base = PureWindowsPath(PurePosixPath(text.replace("\x00", "")).name).name
    base = re.sub(r'[\x00-\x1f\x7f<>:"/\\|?*]', "_", base).strip(" .")
    stem, dot, suffix = base.rpartition(".")
    if dot and len(suffix) <= 10:
        return f"{stem[: 120 - len(suffix) - 1]}.{suffix}" if stem else f"file.{suffix}"
    return base[:120] or "file"


def sniff(data: bytes) -> str | None:
    """The MIME type read from the bytes (``None`` when not one of the accepted types)."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_type(data)
    kind = filetype.guess(data)
    mime = kind.mime if kind else None
    return mime if mime in ACCEPTED and not mime.startswith("application/vnd") else None


def _zip_type(data: bytes) -> str | None:
    """OOXML (.docx/.xlsx) and OFD are zip packages: told apart by their parts, not their name."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    if "OFD.xml" in names:
        return "application/ofd"
    return None


def check_upload(data: bytes, name: str, max_mb: int) -> tuple[str, str]:
    """(safe file name, media type) of an acceptable upload; ``InputError`` naming the file otherwise."""
    shown = safe_name(name)
    if not data:
        raise InputError(f"文件“{shown}”是空的，请重新选择", code="upload.empty", details={"field": "file"})
    if len(data) > max_mb * 1024 * 1024:
        raise InputError(
            f"文件“{shown}”有 {len(data) / 1048576:.1f} MB，超过上限 {max_mb} MB（LANDRESERVE_UPLOAD_MAX_MB）；"
            "请压缩或分成几份上传",
            code="upload.too_large",
            details={"field": "file", "max_mb": max_mb},
        )
    media_type = sniff(data)
    if media_type is None:
        raise InputError(
            f"文件“{shown}”的内容不是可接受的证明文件类型（按文件内容判断，不看扩展名）；可上传：{TYPE_NAMES}",
            code="upload.type",
            details={"field": "file"},
        )
    suffix = Path(shown).suffix.lower()
    if suffix not in ACCEPTED[media_type]:
        raise InputError(
            f"文件“{shown}”的扩展名“{suffix or '无'}”与内容（{ACCEPTED[media_type][0]}）不符，已拒绝："
            f"请核对是否选错了文件，或把扩展名改为 {ACCEPTED[media_type][0]}",
            code="upload.type_mismatch",
            details={"field": "file"},
        )
    return shown, media_type


def stored_path(ctx: Context, sha256: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise NotFoundError("文件不存在", code="document.not_found")
    return Path(ctx.settings.files_dir) / sha256[:2] / sha256


def _write_once(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` unless a file is already there (same hash, same bytes): a temporary
    file in the same folder, flushed and renamed, so a crash never leaves half a file under the hash."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@requires(Permission.PARCEL_EVIDENCE)
def add_document(
    ctx: Context, code: str, file_name: str, data: bytes, *, kind: str | None = None, ref: str | None = None
) -> DocumentView:
    """Keep an evidence file for a register parcel (size and type checked, stored by hash, logged)."""
    checked = check_upload(data, file_name, ctx.settings.upload_max_mb)
    evidence_kind = parse_kind(kind).value if kind and kind.strip() else None
    plausibility.text(ref, "证明文件的文件编号", 500)
    digest = hashlib.sha256(data).hexdigest()
    with kept_file(ctx, digest, data), transaction(ctx.engine) as session:
        parcel = parcel_row(session, code)
        return _view(_document_row(session, ctx, parcel.code, checked, data, digest, evidence_kind, ref))


@requires(Permission.PARCEL_EVIDENCE)
def add_evidence_with_file(
    ctx: Context, code: str, evidence: Sequence[Evidence], file_name: str, data: bytes,
    expected_version: int | None = None,
) -> ParcelView:  # fmt: skip
    """Record evidence and keep its file (``evidence[0]``'s kind and ref) in one transaction: both or nothing."""
    checked = check_upload(data, file_name, ctx.settings.upload_max_mb)
    register.check_evidence(ctx, code, evidence)
    digest = hashlib.sha256(data).hexdigest()
    with kept_file(ctx, digest, data), register.conflict_guard(code), transaction(ctx.engine) as session:
        row = register.record_evidence(session, ctx, code, evidence, expected_version)
        _document_row(session, ctx, row.code, checked, data, digest, evidence[0].kind.value, evidence[0].ref)
        return register.parcel_view(session, ctx, row)


def _document_row(
    session: Session, ctx: Context, code: str, checked: tuple[str, str], data: bytes, digest: str,
    kind: str | None, ref: str | None,
) -> EvidenceFileRow:  # fmt: skip
    shown, media_type = checked
    row = EvidenceFileRow(
        parcel_code=code, sha256=digest, size=len(data), media_type=media_type, file_name=shown,
        kind=kind, ref=(ref or "").strip()[:500] or None, uploaded_at=utc_now(),
        uploaded_by=ctx.actor.name, department=ctx.actor.department,
    )  # fmt: skip
    session.add(row)
    session.flush()
    history.record(
        session, ctx.actor, "parcel", code, "parcel.document", None,
        {"document": row.id, "file_name": shown, "sha256": digest, "size": len(data), "media_type": media_type,
         "kind": kind, "ref": row.ref},
    )  # fmt: skip
    return row


@contextmanager
def kept_file(ctx: Context, digest: str, data: bytes) -> Iterator[Path]:
    """The file stored under its hash for the duration of a unit of work: written on entry, removed again if
    the unit fails — unless the file was there before or a committed row holds the same bytes meanwhile."""
    path = stored_path(ctx, digest)
    existed = path.exists()
    try:
        _write_once(path, data)
    except OSError as error:
        raise InputError(
            f"证明文件无法保存到文件目录“{Path(ctx.settings.files_dir)}”（设置 LANDRESERVE_FILES_DIR）："
            f"{error.strerror or error}。请检查磁盘空间和目录权限；未写入任何内容",
            code="document.not_stored",
            details={"setting": "LANDRESERVE_FILES_DIR"},
        ) from None
    try:
        yield path
    except BaseException:
        if not existed and not _referenced(ctx, digest):
            path.unlink(missing_ok=True)
        raise


def _referenced(ctx: Context, digest: str) -> bool:
    """Whether a committed row holds the file; when the database cannot say (it is down), keep the file."""
    query = select(func.count()).select_from(EvidenceFileRow).where(EvidenceFileRow.sha256 == digest)
    try:
        with reading(ctx.engine) as session:
            return bool(session.scalar(query))
    except Exception:  # noqa: BLE001 - the original failure is what the caller must see
        return True


def documents(ctx: Context, code: str) -> list[DocumentView]:
    with reading(ctx.engine) as session:
        rows = session.scalars(
            select(EvidenceFileRow).where(EvidenceFileRow.parcel_code == code).order_by(EvidenceFileRow.id)
        )
        return [_view(r) for r in rows]


def document(ctx: Context, document_id: int) -> tuple[DocumentView, Path]:
    """A stored file and where its bytes are; ``NotFoundError`` when the row or the file is missing,
    ``IntegrityError`` when the bytes on disk no longer match the hash recorded at upload."""
    with reading(ctx.engine) as session:
        row = session.get(EvidenceFileRow, document_id)
        if row is None:
            raise NotFoundError(f"证明文件 {document_id} 不存在", code="document.not_found")
        view = _view(row)
    path = stored_path(ctx, view.sha256)
    if not path.is_file():
        raise NotFoundError(
            f"证明文件“{view.file_name}”的内容不在文件目录中（LANDRESERVE_FILES_DIR）：请从备份恢复",
            code="document.missing",
        )
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    if digest.hexdigest() != view.sha256:
        raise IntegrityError(
            f"证明文件“{view.file_name}”的内容与上传时记录的 SHA-256 不符（文件被改动或损坏），已拒绝提供：请从备份恢复",
            code="document.tampered",
        )
    return view, path
