"""Two sessions importing boundaries of the same parcel codes at the same moment, on SQLite and PostgreSQL.

The competing import runs, in its own session, at a chosen point of ours: right after ours has read the
current boundaries and before it reads the last version numbers (``last_versions`` — the race of issue 10,
where six simultaneous imports left a parcel with two current boundaries), or after both reads, before
ours writes (``plan_declared_areas``).

- PostgreSQL: the competing import runs in a thread. Imports queue on an advisory lock, so it waits
  until ours has committed (the test waits until it is either finished or waiting for a lock — a state,
  not a time), then runs on what ours wrote: both succeed, versions 1, 2, … follow each other, and every
  code keeps exactly one current boundary, the later one. Without the lock the competing import finishes
  inside ours and leaves two current boundaries (today's code before issue 10) — the partial unique index
  then refuses ours instead.
- SQLite: ours holds the write lock from its first statement (BEGIN IMMEDIATE); the competing import
  cannot start writing, waits its (here shortened) busy timeout and is refused as busy, writing nothing.
"""

from __future__ import annotations

import threading
import time

import pytest
import shapely
from sqlalchemy import event, func, select, text
from sqlalchemy import exc as sa_exc
from tests.gis_samples import E0, N0, PARCELS, boundary_text, write_boundary_file

from landreserve.errors import DatabaseBusyError, LandReserveError
from landreserve.services import geometry as service
from landreserve.services.context import Context
from landreserve.settings import Settings
from landreserve.storage.db import make_engine, transaction
from landreserve.storage.geometry_tables import ParcelGeometryRow

#: the same first code with the parcel 10 m wider: a changed boundary
WIDER = [(c, n, u, k, "1.1000", shapely.box(E0, N0, E0 + 110, N0 + 100)) for c, n, u, k, _, _ in PARCELS[:1]]


def _other_session(ctx: Context) -> Context:
    """A second context on the same database with its own engine (and a short SQLite lock wait)."""
    engine = make_engine(ctx.engine.url.render_as_string(hide_password=False), busy_timeout=0.2)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", lambda dbapi, _: dbapi.execute("PRAGMA busy_timeout=200"))
    return Context(
        engine=engine, settings=Settings(database_url=str(engine.url), busy_timeout=0), actor=ctx.actor
    )


def _versions(engine) -> list[tuple[str, int, bool]]:
    with transaction(engine) as session:
        rows = session.execute(
            select(
                ParcelGeometryRow.code, ParcelGeometryRow.version, ParcelGeometryRow.superseded_at.is_(None)
            ).order_by(ParcelGeometryRow.code, ParcelGeometryRow.version)
        ).all()
    return [tuple(r) for r in rows]


def _waiting_or_done(engine, thread: threading.Thread, deadline_s: float = 30.0) -> None:
    """Until ``thread`` has finished or another session of this database waits for a lock (bounded)."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    end = time.monotonic() + deadline_s
    with engine.connect() as conn:
        while time.monotonic() < end:
            if not thread.is_alive() or conn.execute(query).scalar():
                return
            conn.rollback()
    raise AssertionError("the competing import neither finished nor waited for the lock")


def _race(ctx, monkeypatch, ours, theirs, point: str) -> tuple[Exception | None, Exception | None]:
    """Run ``ours``; at ``point`` (a look-up of the service) the other session imports ``theirs``."""
    other = _other_session(ctx)
    outcome: dict[str, Exception | None] = {"theirs": None}
    real = getattr(service, point)
    postgresql = ctx.engine.dialect.name == "postgresql"

    def theirs_import() -> None:
        try:
            service.import_boundaries(other, theirs)
        except LandReserveError as exc:
            outcome["theirs"] = exc

    thread = threading.Thread(target=theirs_import)

    def compete_then_look_up(session):
        monkeypatch.setattr(service, point, real)
        if postgresql:
            thread.start()
            _waiting_or_done(ctx.engine, thread)
        else:
            theirs_import()
        return real(session)

    monkeypatch.setattr(service, point, compete_then_look_up)
    try:
        service.import_boundaries(ctx, ours)
        mine = None
    except LandReserveError as exc:
        mine = exc
    finally:
        if thread.is_alive() or thread.ident is not None:
            thread.join(timeout=60)
        other.engine.dispose()
    return mine, outcome["theirs"]


def _one_current_per_code(engine) -> None:
    with transaction(engine) as session:
        counts = session.execute(
            select(ParcelGeometryRow.code, func.count())
            .where(ParcelGeometryRow.superseded_at.is_(None))
            .group_by(ParcelGeometryRow.code)
        ).all()
    assert counts and all(n == 1 for _, n in counts), f"two current boundaries: {counts}"


def _current_declared(engine, code: str = "BC-CB2026001") -> str:
    with transaction(engine) as session:
        return session.scalar(
            select(ParcelGeometryRow.declared_area).where(
                ParcelGeometryRow.code == code, ParcelGeometryRow.superseded_at.is_(None)
            )
        )


@pytest.mark.parametrize("point", ["last_versions", "plan_declared_areas"])
@pytest.mark.parametrize("first_time", [True, False], ids=["new-codes", "changed-boundary"])
def test_concurrent_imports_of_the_same_codes_keep_one_current_boundary(
    ctx, tmp_path, monkeypatch, first_time, point
):
    ours = write_boundary_file(tmp_path / "ours.txt")
    theirs = tmp_path / "theirs.txt"
    theirs.write_text(boundary_text(WIDER), encoding="gbk")
    if not first_time:
        service.import_boundaries(ctx, write_boundary_file(tmp_path / "before.txt", parcels=PARCELS[1:]))
        service.import_boundaries(ctx, ours)
        ours.write_text(boundary_text([*WIDER, *PARCELS[1:]]).replace("1.1000", "1.1001"), encoding="gbk")
    before = _versions(ctx.engine)

    mine, theirs_error = _race(ctx, monkeypatch, ours, theirs, point)

    assert mine is None, f"our import must succeed: {mine}"
    _one_current_per_code(ctx.engine)
    versions = _versions(ctx.engine)
    for code in {c for c, _, _ in versions}:
        numbers = [v for c, v, _ in versions if c == code]
        assert numbers == list(range(1, len(numbers) + 1)), f"versions of {code}: {numbers}"
    ours_declared = "1.0000公顷" if first_time else "1.1001公顷"
    if ctx.engine.dialect.name == "postgresql":
        # the competing import waited for ours and then stored its own boundary over it
        assert theirs_error is None, f"the queued import must succeed: {theirs_error}"
        assert _current_declared(ctx.engine) == "1.1000公顷", "the later import's boundary is current"
        added = sorted(set(versions) - set(before))
        assert [v for c, v, _ in added if c == "BC-CB2026001"][-1] == (2 if first_time else 3)
    else:
        assert isinstance(theirs_error, DatabaseBusyError), theirs_error
        assert theirs_error.code == "geometry.database_busy"
        assert "数据库正忙" in theirs_error.message and "未写入任何数据" in theirs_error.message
        assert _current_declared(ctx.engine) == ours_declared, "nothing of the refused import is stored"
        retried = service.import_boundaries(ctx, theirs)
        assert [p.version for p in retried.imported] == [2 if first_time else 3]
        _one_current_per_code(ctx.engine)
        assert _current_declared(ctx.engine) == "1.1000公顷"


def test_the_database_refuses_a_second_current_boundary(ctx, tmp_path):
    """Enforced by the database itself (partial unique index), whatever code writes the row."""
    service.import_boundaries(ctx, write_boundary_file(tmp_path / "b.txt"))
    columns = [c.name for c in ParcelGeometryRow.__table__.columns if c.name != "id"]

    def copy_of_the_current_row(superseded: bool) -> str:
        values = [
            "version + 1" if c == "version" else "imported_at" if c == "superseded_at" and superseded else c
            for c in columns
        ]
        return (
            f"INSERT INTO parcel_geometries ({', '.join(columns)}) SELECT {', '.join(values)} "
            "FROM parcel_geometries WHERE code = 'BC-CB2026001'"
        )

    with pytest.raises(sa_exc.IntegrityError, match="(?i)unique|duplicate"):
        with ctx.engine.begin() as conn:
            conn.execute(text(copy_of_the_current_row(superseded=False)))
    _one_current_per_code(ctx.engine)
    with ctx.engine.begin() as conn:  # the same row, not current, is an ordinary old version
        conn.execute(text(copy_of_the_current_row(superseded=True)))
    _one_current_per_code(ctx.engine)
