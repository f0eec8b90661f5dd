"""What the stored plans say about parcels with boundaries: the codes expected, their declared areas, and
the finding when a computed area is beyond the tolerance of a declared one.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.findings import Finding
from ..gis.measurement import Area, compare_declared, declared_text
from ..importers.normalise import normalise_code
from ..storage.plan_tables import PlanParcelRow, PlanVersionRow
from ..storage.register_tables import ReserveParcelRow
from .context import Context


def area_findings(
    ctx: Context,
    code: str,
    area: Area,
    in_file: tuple[str, str] | None,
    in_plan: tuple[str, str] | None,
    source: str,
) -> list[Finding]:
    """Computed vs declared area, for the file's declaration and the plan's."""
    tolerance = ctx.settings.area_tolerance
    found = []
    if in_file:
        found.append(compare_declared(code, area, in_file[0], in_file[1], tolerance, source))
    if in_plan:
        found.append(compare_declared(code, area, in_plan[0], in_plan[1], tolerance, "储备计划地块清单"))
    return [f for f in found if f is not None]


# --- queries --------------------------------------------------------------------------------------------


def known_codes(session: Session) -> set[str]:
    """Canonical codes of every parcel in the newest version of any stored plan, or in the reserve register.

    A parcel an adjustment took out of a plan (listed only by an older version) is no longer expected to
    have a boundary.
    """
    newest = (
        select(PlanVersionRow.plan_id, func.max(PlanVersionRow.version).label("version"))
        .group_by(PlanVersionRow.plan_id)
        .subquery()
    )
    query = (
        select(PlanParcelRow.code)
        .join(PlanVersionRow, PlanParcelRow.version_id == PlanVersionRow.id)
        .join(
            newest,
            (PlanVersionRow.plan_id == newest.c.plan_id) & (PlanVersionRow.version == newest.c.version),
        )
        .distinct()
    )
    codes = set(session.scalars(query))
    codes |= set(session.scalars(select(ReserveParcelRow.code)))
    return {normalise_code(c) for c in codes if c}


def plan_declared_areas(session: Session) -> dict[str, tuple[str, str]]:
    """code → (area as written, unit) from the newest plan version that lists the parcel."""
    rows = session.execute(
        select(PlanParcelRow.code, PlanParcelRow.area_text, PlanParcelRow.area_m2).order_by(
            PlanParcelRow.version_id
        )
    )
    result: dict[str, tuple[str, str]] = {}
    for code, text, m2 in rows:
        parsed = declared_text(text) if text else None
        if parsed is None and m2 is not None:
            parsed = (format(m2, "f"), "㎡")
        if parsed is not None:
            result[normalise_code(code)] = parsed
    return result
