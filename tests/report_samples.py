"""The Bachu plan stored, approved and registered with the demonstration facts (use, zone, stock agree with
the plan's structure), as the report tests start from; and the version adjusted to withdraw the duplicates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from landreserve.domain.actors import Actor
from landreserve.domain.plan_versions import Approval
from landreserve.domain.reports.narrative import Narrative
from landreserve.services import plan_versions, plans, register
from landreserve.services.context import Context
from landreserve.services.demo import demo_facts

DUPLICATES = ("BC2025CB011", "BC2025CB001")


def as_department(ctx: Context, department: str, name: str = "测试") -> Context:
    return replace(ctx, actor=Actor(name, department))


def bachu_stored(ctx: Context, plan_path) -> int:
    """Import, approve and register the Bachu plan; returns the plan id."""
    reserve, government = as_department(ctx, "reserve_center"), as_department(ctx, "government")
    imported = plans.import_plan(reserve, plan_path)
    plan_versions.approve_version(
        government, imported.version_id, "巴政函〔2026〕1号", date(2026, 2, 1), "巴楚县人民政府"
    )
    codes = [p["code"] for p in plans.get_plan(reserve, imported.plan_id).parcels]
    register.create_from_plan(
        reserve, imported.plan_id, {c: demo_facts(c) for c in codes}, on=date(2026, 2, 1)
    )
    return imported.plan_id


def withdraw_duplicates(ctx: Context, plan_id: int) -> int:
    """The approved adjustment taking the two duplicate parcels out; returns the new version id."""
    government = as_department(ctx, "government")
    current = plan_versions.list_versions(ctx, plan_id)[-1]
    adjusted = plan_versions.adjust_plan(
        government, current.id, remove=list(DUPLICATES),
        approval=Approval("巴政函〔2026〕35号", date(2026, 6, 18), "巴楚县人民政府"), reason="重复列入，调出计划",
    )  # fmt: skip
    return adjusted.id


def bachu_narrative(plan_path) -> Narrative:
    return Narrative.from_lines(plan_path.read_text(encoding="utf-8").splitlines())
