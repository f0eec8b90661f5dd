"""Two sessions importing boundaries of the same parcel codes at the same moment, on SQLite and PostgreSQL.

The competing import runs, in its own session, right after ours has read the stored versions and before
it writes (a hook on the service's next look-up). Whatever the backend, exactly one import wins, the other
is refused with ``ConflictError`` and writes nothing, every code keeps one current boundary, and the
refused import succeeds when run again. PostgreSQL lets the other session commit and refuses ours at the
unique (code, version) key; SQLite takes the write lock when our transaction begins, so the other import
cannot start writing and is refused as busy (its lock wait is cut short here; it is 10 s in use).
"""

from __future__ import annotations

import pytest
import shapely
from sqlalchemy import event, func, select
from tests.gis_samples import E0, N0, PARCELS, boundary_text, write_boundary_file

from landreserve.errors import ConflictError
from landreserve.services import geometry as service
from landreserve.services.context import Context
from landreserve.storage.db import make_engine, transaction
from landreserve.storage.geometry_tables import ParcelGeometryRow

#: the same three codes with the first parcel 10 m wider: a changed boundary
WIDER = [(c, n, u, k, "1.1000", shapely.box(E0, N0, E0 + 110, N0 + 100)) for c, n, u, k, _, _ in PARCELS[:1]]


def _other_session(ctx: Context) -> Context:
    """A second context on the same database with its own engine (and a short SQLite lock wait)."""
    engine = make_engine(ctx.engine.url.render_as_string(hide_password=False))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", lambda dbapi, _: dbapi.execute("PRAGMA busy_timeout=200"))
    return Context(engine=engine, settings=ctx.settings, actor=ctx.actor)


def _versions(engine) -> list[tuple[str, int, bool]]:
    with transaction(engine) as session:
        rows = session.execute(
            select(
                ParcelGeometryRow.code, ParcelGeometryRow.version, ParcelGeometryRow.superseded_at.is_(None)
            ).order_by(ParcelGeometryRow.code, ParcelGeometryRow.version)
        ).all()
    return [tuple(r) for r in rows]


def _race(ctx, monkeypatch, ours, theirs) -> tuple[Exception | None, Exception | None]:
    """Run ``ours``; between its reads and its writes the other session runs ``theirs`` to the end."""
    other = _other_session(ctx)
    outcome: dict[str, Exception | None] = {"theirs": None}
    real = service.plan_declared_areas

    def compete_then_look_up(session):
        monkeypatch.setattr(service, "plan_declared_areas", real)
        try:
            service.import_boundaries(other, theirs)
        except ConflictError as exc:
            outcome["theirs"] = exc
        return real(session)

    monkeypatch.setattr(service, "plan_declared_areas", compete_then_look_up)
    try:
        service.import_boundaries(ctx, ours)
        mine = None
    except ConflictError as exc:
        mine = exc
    finally:
        other.engine.dispose()
    return mine, outcome["theirs"]


def _one_current_per_code(engine) -> None:
    with transaction(engine) as session:
        counts = session.execute(
            select(ParcelGeometryRow.code, func.count())
            .where(ParcelGeometryRow.superseded_at.is_(None))
            .group_by(ParcelGeometryRow.code)
        ).all()
    assert counts and all(n == 1 for _, n in counts)


@pytest.mark.parametrize("first_time", [True, False], ids=["new-codes", "changed-boundary"])
def test_concurrent_imports_of_the_same_codes_one_wins_the_other_writes_nothing(
    ctx, tmp_path, monkeypatch, first_time
):
    ours = write_boundary_file(tmp_path / "ours.txt")
    theirs = tmp_path / "theirs.txt"
    theirs.write_text(boundary_text(WIDER), encoding="gbk")
    if not first_time:
        service.import_boundaries(ctx, write_boundary_file(tmp_path / "before.txt", parcels=PARCELS[1:]))
        service.import_boundaries(ctx, ours)
        ours.write_text(boundary_text([*WIDER, *PARCELS[1:]]).replace("1.1000", "1.1001"), encoding="gbk")
    before = _versions(ctx.engine)

    mine, theirs_error = _race(ctx, monkeypatch, ours, theirs)

    assert (mine is None) != (theirs_error is None), "exactly one of the two imports must be refused"
    loser = mine or theirs_error
    assert "未写入任何数据" in loser.message and loser.code in {
        "geometry.concurrent_import",
        "geometry.database_busy",
    }
    sqlite = ctx.engine.dialect.name == "sqlite"
    assert (mine is None) is sqlite, "SQLite refuses the other session, PostgreSQL refuses the later writer"
    winner, loser_file = (ours, theirs) if sqlite else (theirs, ours)
    _one_current_per_code(ctx.engine)
    added = sorted(set(_versions(ctx.engine)) - set(before))
    with transaction(ctx.engine) as session:
        declared = session.scalar(
            select(ParcelGeometryRow.declared_area).where(
                ParcelGeometryRow.code == "BC-CB2026001", ParcelGeometryRow.superseded_at.is_(None)
            )
        )
    written_by_winner = (
        "1.0000公顷" if winner == ours and first_time else "1.1001公顷" if winner == ours else "1.1000公顷"
    )
    assert declared == written_by_winner, "the current boundary is the winner's"
    if not sqlite and first_time:
        assert [code for code, _, _ in added] == ["BC-CB2026001"], "nothing of the refused import is stored"

    retried = service.import_boundaries(ctx, loser_file)
    assert retried.imported and all(p.version >= 1 for p in retried.imported)
    _one_current_per_code(ctx.engine)
