"""Shared samples for register tests: plans stored directly as rows, Bachu parcel facts, evidence kits
that satisfy each gate, and a walk of one parcel through its whole life."""

from __future__ import annotations

import hashlib
import time
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import text

from actors import acting
from landreserve.domain.evidence import CLEARANCE_ITEMS, WORKS, Evidence, EvidenceKind
from landreserve.domain.lifecycle import State, Supply, SupplyMethod
from landreserve.services import register
from landreserve.services.plan_versions import approve_version
from landreserve.storage.db import transaction
from landreserve.storage.plan_tables import PlanParcelRow, PlanRow, PlanVersionRow

#: the 13 parcels of the Bachu 2026 plan: code → area in ㎡ (4.0254 公顷 = 40254 ㎡)
BACHU_AREAS = {
    "BC-CB2026001": Decimal("40254"),
    "BC-CB2026002": Decimal("10685"),
    "BC-CB2026003": Decimal("22085"),
    "BC-CB2026004": Decimal("27330"),
    "BC-CB2026005": Decimal("12548"),
    "BC-CB2026006": Decimal("91896"),
    "BC-CB2026007": Decimal("98530"),
    "BC-CB2026008": Decimal("70454"),
    "BC-CB2026009": Decimal("26466"),
    "BC-CB2026010": Decimal("5414"),
    "BC-CB2026011": Decimal("3369"),
    "BC2025CB011": Decimal("26466"),
    "BC2025CB001": Decimal("40254"),
}
INDUSTRIAL = {"BC-CB2026001", "BC2025CB001"}  # 8.0508 ha in 工业园区, as the plan's 8.05 ha
COMMERCIAL = {"BC-CB2026008", "BC-CB2026010", "BC-CB2026011"}  # 7.9237 ha, as the plan's 商服用地 7.92 ha


def bachu_facts(code: str) -> dict[str, str]:
    """Facts the plan text does not state, as a county would enter them (Chinese spellings)."""
    industrial = code in INDUSTRIAL
    use = "工矿仓储用地" if industrial else ("商服用地" if code in COMMERCIAL else "住宅用地")
    return {
        "land_use": use,
        "zone": "工业园区" if industrial else "巴楚镇",
        "stock": "新增" if industrial else "存量",
        "source": "已完成农用地转用和征收" if industrial else "收购",
        "condition": "闲置" if code in ("BC-CB2026003", "BC-CB2026004") else "正常",
    }


def store_plan(
    engine, parcels: dict[str, Decimal], year: int = 2026, key: str | None = None, uses=None
) -> int:
    """Store a plan with one imported version holding ``parcels`` (as plan import would); its version id."""
    now = datetime(2026, 1, 5, 9, 0)
    uses = uses or {}
    with transaction(engine) as s:
        plan = PlanRow(plan_key=key or f"巴楚县|{year}|annual_reserve", jurisdiction="巴楚县", year=year,
                       kind="annual_reserve", title=f"巴楚县{year}年土地储备计划", created_at=now)  # fmt: skip
        digest = hashlib.sha256(repr(sorted(parcels.items())).encode()).hexdigest()
        version = PlanVersionRow(plan=plan, version=1, content_sha256=digest, source_name="plan.txt",
                                 status="imported", created_at=now, line_count=47, structure={})  # fmt: skip
        s.add(version)
        s.flush()
        for seq, (code, area) in enumerate(parcels.items()):
            s.add(PlanParcelRow(version_id=version.id, seq=seq, code=code, code_as_written=code,
                                location=f"{code}坐落", area_m2=area, area_text=f"{area}平方米",
                                use=uses.get(code), carried_over=False, line=30 + seq, text=code))  # fmt: skip
        return version.id


def approve(ctx, version_id: int, no: str = "巴政函〔2026〕1号") -> None:
    approve_version(acting(ctx, "government"), version_id, no, date(2026, 2, 1), "巴楚县人民政府")


def ev(kind: EvidenceKind, on: date, subject: str | None = None, **extra) -> Evidence:
    ref = f"{kind.value}-{subject or 'doc'}-{on.isoformat()}"
    return Evidence(kind, extra.pop("ref", ref), on, extra.pop("by", "李四"), subject, **extra)


def entry_evidence(on: date, risk_checks) -> list[Evidence]:
    """Everything the gate into the reserve asks for (except an out-of-plan approval)."""
    kinds = (
        EvidenceKind.TITLE_CLEAR,
        EvidenceKind.NO_SEIZURE,
        EvidenceKind.NO_MORTGAGE,
        EvidenceKind.NO_GUARANTEE,
        EvidenceKind.COMPENSATION_SETTLED,
        EvidenceKind.REGISTRATION,
    )
    return [ev(k, on) for k in kinds] + [ev(EvidenceKind.RISK_CHECK, on, name) for name in risk_checks]


def development_plan(on: date, works: str | None = None) -> list[Evidence]:
    return [ev(EvidenceKind.DEVELOPMENT_PLAN, on, works)]


def works_accepted(on: date, works=tuple(WORKS)) -> list[Evidence]:
    return [ev(EvidenceKind.WORK_ACCEPTANCE, on, w) for w in works]


def custody(on: date) -> list[Evidence]:
    return [ev(EvidenceKind.CUSTODY, on)]


def clearance(on: date, items=tuple(CLEARANCE_ITEMS)) -> list[Evidence]:
    return [ev(EvidenceKind.CLEARANCE, on, item) for item in items]


def supply_plan(on: date) -> list[Evidence]:
    return [ev(EvidenceKind.SUPPLY_PLAN, on, ref="巴楚县2026年国有建设用地供应计划")]


def sale(on: date, price: str = "12000000.00", contract: str = "6531302026B00001") -> Supply:
    return Supply(SupplyMethod.SALE, on, contract, Decimal(price))


def walk_to_supply(ctx, code: str, start: date = date(2026, 3, 1)) -> None:
    """Take a registered parcel through 入库 → 前期开发 → 管护 → 供应, with exactly the evidence needed."""
    risks = ctx.settings.risk_checks
    register.transition(ctx, code, State.IN_RESERVE, entry_evidence(start, risks), on=start)
    dev = date(start.year, start.month + 1, 1)
    register.transition(ctx, code, State.DEVELOPING, development_plan(dev), on=dev)
    done = date(start.year, start.month + 3, 1)
    register.transition(ctx, code, State.CUSTODY, works_accepted(done) + custody(done), on=done)
    out = date(start.year, start.month + 5, 1)
    register.transition(ctx, code, State.SUPPLIED, clearance(out) + supply_plan(out), supply=sale(out))


def import_bachu(ctx, path) -> int:
    """Import the Bachu 2026 plan through plan import (issue #2) and approve it; the version id."""
    from landreserve.services.plans import import_plan

    result = import_plan(ctx, path)
    approve(ctx, result.version_id)
    return result.version_id


def tamper(engine, table: str, *statements: str, **params) -> None:
    """Edit an append-only table the way someone with database rights would: switch its refusing
    triggers off (PostgreSQL: ``DISABLE TRIGGER``; SQLite: drop them), run ``statements``, and put the
    triggers back so that the schema shows no trace."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
            for statement in statements:
                conn.execute(text(statement), params)
            conn.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))
            return
        triggers = conn.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"), {"t": table}
        ).all()
        assert triggers, f"{table} has no triggers to switch off"
        for name, _sql in triggers:
            conn.execute(text(f'DROP TRIGGER "{name}"'))
        for statement in statements:
            conn.execute(text(statement), params)
        for _name, sql in triggers:
            conn.execute(text(sql))


def wait_for_lock_waiter(engine, what: str, deadline_s: float = 20.0) -> None:
    """Until another PostgreSQL session of this database waits for a lock (a row lock or an advisory
    lock); bounded, without sleeping. ``what`` names the waiter in the failure message."""
    end = time.monotonic() + deadline_s
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    with engine.connect() as conn:
        while time.monotonic() < end:
            if conn.execute(query).scalar():
                return
            conn.rollback()
    raise AssertionError(f"{what} never waited for the lock")
