"""Tables of the web application's work: accounts and their sessions, login attempts (throttling),
evidence files (stored by hash), plan publication, adjustment proposals, and map layers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class AccountRow(Base):
    """A person's login, acting for one department. Passwords are argon2id hashes only."""

    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    department: Mapped[str] = mapped_column(String(40))
    password_hash: Mapped[str] = mapped_column(String(200))
    #: a demonstration account (created by ``landreserve demo``), shown as such in the interface
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    password_changed_at: Mapped[datetime] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)


class WebSessionRow(Base):
    """A logged-in browser. ``id`` is the SHA-256 of the secret token in the (signed) cookie."""

    __tablename__ = "web_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    remote_addr: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(300))


class LoginAttemptRow(Base):
    """One login attempt (for throttling and for the administrator to see who tried)."""

    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(60), index=True)
    remote_addr: Mapped[str | None] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    success: Mapped[bool] = mapped_column(Boolean)


class EvidenceFileRow(Base):
    """A file kept as evidence for a register parcel: stored once by its SHA-256, never changed."""

    __tablename__ = "evidence_files"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parcel_code: Mapped[str] = mapped_column(String(100), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(100))
    #: the file name as uploaded, reduced to a safe base name (shown and offered on download only)
    file_name: Mapped[str] = mapped_column(String(255))
    #: what it proves: an evidence kind (``title_clear`` …) or empty, and the document's number
    kind: Mapped[str | None] = mapped_column(String(40))
    ref: Mapped[str | None] = mapped_column(Text)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime)
    uploaded_by: Mapped[str] = mapped_column(String(100))
    department: Mapped[str] = mapped_column(String(40))


class PlanPublicationRow(Base):
    """A plan version made public (or withdrawn from the public page); the newest row of a version counts."""

    __tablename__ = "plan_publications"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id"), index=True)
    published: Mapped[bool] = mapped_column(Boolean)
    on: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(DateTime)
    by: Mapped[str] = mapped_column(String(100))
    department: Mapped[str] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)


class PlanAdjustmentRow(Base):
    """A proposed adjustment of a plan's current version, waiting for (or decided by) the government."""

    __tablename__ = "plan_adjustments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    base_version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id"), index=True)
    #: pending | approved | rejected | withdrawn
    status: Mapped[str] = mapped_column(String(20), index=True)
    #: {"add": [...], "remove": [...], "change": [...]} as ``plan_versions.adjust_plan`` takes them
    changes: Mapped[dict] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    proposed_at: Mapped[datetime] = mapped_column(DateTime)
    proposed_by: Mapped[str] = mapped_column(String(100))
    proposed_department: Mapped[str] = mapped_column(String(40))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decision_note: Mapped[str | None] = mapped_column(Text)
    result_version_id: Mapped[int | None] = mapped_column(ForeignKey("plan_versions.id"))
    row_version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": row_version}


class MapLayerRow(Base):
    """A constraint or reference layer shown on the map (永久基本农田, 生态保护红线, 城镇开发边界 …)."""

    __tablename__ = "map_layers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    #: must_not_intersect | must_lie_within | reference
    rule: Mapped[str] = mapped_column(String(30))
    source_name: Mapped[str] = mapped_column(Text)
    feature_count: Mapped[int] = mapped_column(Integer)
    min_lon: Mapped[float] = mapped_column(Double)
    min_lat: Mapped[float] = mapped_column(Double)
    max_lon: Mapped[float] = mapped_column(Double)
    max_lat: Mapped[float] = mapped_column(Double)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(100))


class MapLayerFeatureRow(Base):
    """One feature of a map layer, in lon/lat (CGCS2000), with its box for the bbox filter."""

    __tablename__ = "map_layer_features"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    layer_id: Mapped[int] = mapped_column(ForeignKey("map_layers.id"), index=True)
    min_lon: Mapped[float] = mapped_column(Double)
    min_lat: Mapped[float] = mapped_column(Double)
    max_lon: Mapped[float] = mapped_column(Double)
    max_lat: Mapped[float] = mapped_column(Double)
    wkb: Mapped[bytes] = mapped_column(LargeBinary)
    label: Mapped[str | None] = mapped_column(Text)
    properties: Mapped[dict] = mapped_column(JSON, default=dict)
