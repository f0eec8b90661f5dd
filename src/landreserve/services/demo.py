"""The demonstration set-up of ``make run`` (``landreserve demo``): the Bachu plan with its parcels, and one
demonstration account per department — every invented thing marked 演示 (demonstration).

What is real: the plan text (data/plans/bachu-2026.txt). What is invented for the demonstration, and
says so wherever it shows: the accounts (``demo-…``, shown as 演示账号), the approval number, the parcels'
use/zone/source (chosen to agree with the plan's own structure), the boundaries (rectangles of the stated
areas around Bachu town, named 演示界址), the bond's terms and the money booked. Refused in production.
"""

from __future__ import annotations

import json
import secrets
import string
import tempfile
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from pyproj import Transformer
from sqlalchemy import func, select

from ..domain.actors import DEPARTMENTS, Actor
from ..domain.evidence import Evidence, EvidenceKind
from ..domain.funds.bonds import BondTerms, InterestFrequency, Repayment
from ..domain.funds.ledger import Category
from ..domain.lifecycle import State
from ..errors import RuleViolation
from ..storage.db import reading
from ..storage.web_tables import AccountRow
from . import (
    accounts,
    bonds,
    funds,
    geometry,
    ledger,
    map_layers,
    plan_versions,
    plans,
    publication,
    register,
)
from .context import Context

DEMO_MARK = "演示"
#: department → (user name, display name)
DEMO_ACCOUNTS = {
    "reserve_center": ("demo-reserve", "演示·储备中心"),
    "natural_resources": ("demo-nr", "演示·自然资源局"),
    "finance": ("demo-finance", "演示·财政局"),
    "housing": ("demo-housing", "演示·住建局"),
    "development_reform": ("demo-ndrc", "演示·发改委"),
    "commerce_industry": ("demo-commerce", "演示·商工信局"),
    "government": ("demo-gov", "演示·县政府"),
    "it": ("demo-admin", "演示·系统管理员"),
}
INDUSTRIAL = {"BC-CB2026001", "BC2025CB001"}
COMMERCIAL = {"BC-CB2026008", "BC-CB2026010", "BC-CB2026011"}
IDLE = {"BC-CB2026003", "BC-CB2026004"}
#: Bachu town (巴楚镇), where the demonstration boundaries are drawn
TOWN = (78.548, 39.785)
BOND = BondTerms(
    "BC-ZXZQ-2026-01（演示）", Decimal("75000000.00"), date(2026, 3, 15), 7, Decimal("2.6"),
    Repayment.BULLET, InterestFrequency.YEARLY,
)  # fmt: skip


@dataclass(frozen=True)
class DemoResult:
    created: bool
    passwords: dict[str, tuple[str, str, str]]  # department → (user name, display name, password)
    plan_id: int | None = None
    version_id: int | None = None


def demo_facts(code: str) -> dict[str, str]:
    """Use, zone, source of a Bachu parcel for the demonstration: consistent with the plan's structure
    (工矿仓储 8.05 ha in 工业园区, 商服 7.92 ha, the rest 住宅), not the county's records."""
    industrial = code in INDUSTRIAL
    use = "工矿仓储用地" if industrial else ("商服用地" if code in COMMERCIAL else "住宅用地")
    return {
        "land_use": use,
        "zone": "工业园区" if industrial else "巴楚镇",
        "stock": "新增" if industrial else "存量",
        "source": "已完成农用地转用和征收" if industrial else "收购",
        "condition": "闲置" if code in IDLE else "正常",
    }


def _password() -> str:
    alphabet = string.ascii_letters + string.digits
    while True:
        value = "".join(secrets.choice(alphabet) for _ in range(14))
        if (
            any(c.isdigit() for c in value)
            and any(c.isupper() for c in value)
            and any(c.islower() for c in value)
        ):
            return value


def _as(ctx: Context, department: str) -> Context:
    username, display = DEMO_ACCOUNTS[department]
    return replace(ctx, actor=Actor(f"{display}（{username}）", department))


def _boundaries(parcels: list[dict], folder: Path) -> Path:
    """Rectangles of each parcel's stated area in Gauss-Krüger zone 26, laid out around Bachu town
    (parcels the plan lists twice share their place), written as lon/lat GeoJSON."""
    to_lonlat = Transformer.from_crs(4535, 4490, always_xy=True)
    to_grid = Transformer.from_crs(4490, 4535, always_xy=True)
    x0, y0 = to_grid.transform(*TOWN)
    places: dict[tuple[str, str], tuple[float, float]] = {}
    features = []
    for i, parcel in enumerate(parcels):
        key = (parcel.get("location") or parcel["code"], str(parcel["area_m2"]))
        if key not in places:
            n = len(places)
            east = 1800.0 if parcel["code"] in INDUSTRIAL else 0.0
            places[key] = (x0 + east + (n % 4) * 420.0 - 600.0, y0 + (n // 4) * 380.0 - 500.0)
        cx, cy = places[key]
        area = float(parcel["area_m2"])
        width = (area * 1.5) ** 0.5
        height = area / width
        ring = [(cx, cy), (cx + width, cy), (cx + width, cy + height), (cx, cy + height), (cx, cy)]
        lonlat = [list(to_lonlat.transform(x, y)) for x, y in ring]
        features.append(
            {"type": "Feature", "properties": {"地块编号": parcel["code"], "地块名称": f"{parcel['code']}（演示界址）"},
             "geometry": {"type": "Polygon", "coordinates": [lonlat]}}
        )  # fmt: skip
        del i
    path = folder / "巴楚县储备地块-演示界址（示意，非实测）.geojson"
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False), "utf-8"
    )
    return path


def _layers(folder: Path) -> list[tuple[str, str, Path]]:
    """Two demonstration constraint layers for the map (rectangles, marked 演示): a town development
    boundary around the town's parcels and a patch of basic farmland south-west of it."""
    to_lonlat = Transformer.from_crs(4535, 4490, always_xy=True)
    to_grid = Transformer.from_crs(4490, 4535, always_xy=True)
    x0, y0 = to_grid.transform(*TOWN)
    boxes = {
        "城镇开发边界（演示）": ("must_lie_within", (x0 - 900, y0 - 800, x0 + 3600, y0 + 1400)),
        "永久基本农田（演示）": ("must_not_intersect", (x0 - 2600, y0 - 2400, x0 - 1100, y0 - 900)),
    }
    result = []
    for i, (name, (rule, (a, b, c, d))) in enumerate(boxes.items()):
        ring = [list(to_lonlat.transform(x, y)) for x, y in ((a, b), (c, b), (c, d), (a, d), (a, b))]
        path = folder / f"layer-{i}.geojson"
        feature = {
            "type": "Feature",
            "properties": {"名称": name},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }
        path.write_text(
            json.dumps({"type": "FeatureCollection", "features": [feature]}, ensure_ascii=False), "utf-8"
        )
        result.append((name, rule, path))
    return result


def has_demo(ctx: Context) -> bool:
    with reading(ctx.engine) as session:
        return bool(session.scalar(select(func.count()).select_from(AccountRow).where(AccountRow.is_demo)))


def setup(ctx: Context, plan_path: Path, *, today: date | None = None) -> DemoResult:
    """Create the demonstration (once): accounts, the plan approved and published, its parcels registered
    with boundaries, a bond with a project, and one parcel taken into the reserve. Each step goes through
    the same services (and permissions) as the departments' own work, as the department's demo account."""
    if ctx.settings.environment == "production":
        raise RuleViolation("生产环境不能建立演示数据和演示账号", code="demo.production")
    if has_demo(ctx):
        return DemoResult(False, {})
    setup_ctx = replace(ctx, actor=Actor("landreserve demo（演示数据）", "it"))
    passwords = {}
    for department, (username, display) in DEMO_ACCOUNTS.items():
        password = _password()
        accounts.create_account(
            setup_ctx, username, display, department, password, is_demo=True, must_change=False
        )
        passwords[department] = (username, display, password)
    reserve, government, nr, finance = (
        _as(ctx, d) for d in ("reserve_center", "government", "natural_resources", "finance")
    )
    imported = plans.import_plan(reserve, plan_path)
    plan_versions.approve_version(
        government, imported.version_id, "演示批准（非真实文号）", date(2026, 2, 1), "巴楚县人民政府（演示）"
    )
    view = plans.get_plan(reserve, imported.plan_id)
    codes = [p["code"] for p in view.parcels]
    register.create_from_plan(
        reserve, imported.plan_id, {c: demo_facts(c) for c in codes}, on=date(2026, 2, 1)
    )
    with tempfile.TemporaryDirectory() as folder:
        geometry.import_boundaries(nr, _boundaries(view.parcels, Path(folder)))
        for name, rule, path in _layers(Path(folder)):
            map_layers.import_layer(nr, path, name, rule)
    publication.publish(nr, imported.version_id, date(2026, 2, 10), "演示：计划经批准后向社会公开")
    _funds(finance, reserve, imported.plan_id, codes)
    _walk(reserve, "BC-CB2026006", today or date(2026, 3, 1))
    return DemoResult(True, passwords, imported.plan_id, imported.version_id)


def _funds(finance: Context, reserve: Context, plan_id: int, codes: list[str]) -> None:
    bonds.add_bond(finance, BOND, "演示：专项债券转贷协议（非真实文件）", name="土地储备专项债券（演示）")
    project = "BC-XM-2026-01（演示）"
    funds.add_project(
        finance, project, BOND.code, plan_id, codes, supply_year=2028, name="巴楚县2026年土地储备项目（演示）"
    )
    for use, price in (("住宅用地", "1200"), ("商服用地", "1500"), ("工矿仓储用地", "180")):
        funds.set_price(reserve, project, use, Decimal(price), "演示：预期单价（非评估结果）")
    ledger.allocate(
        finance, None, project, Decimal("20000000.00"), "演示：资金分配通知", parcel="BC-CB2026006"
    )
    ledger.pay(
        finance, "BC-CB2026006", Category.COMPENSATION, Decimal("8000000.00"), "演示：补偿协议 BC006-1"
    )


def _walk(reserve: Context, code: str, on: date) -> None:
    """Take one parcel into the reserve with demonstration evidence (all refs say 演示)."""
    day = min(on, date(2026, 3, 1))
    kinds = (EvidenceKind.TITLE_CLEAR, EvidenceKind.NO_SEIZURE, EvidenceKind.NO_MORTGAGE, EvidenceKind.NO_GUARANTEE,
             EvidenceKind.COMPENSATION_SETTLED, EvidenceKind.REGISTRATION)  # fmt: skip
    evidence = [Evidence(k, f"演示-{k.value}-006", day, "演示·储备中心") for k in kinds]
    evidence += [
        Evidence(EvidenceKind.RISK_CHECK, f"演示-风险排查-{risk}", day, "演示·储备中心", subject=risk)
        for risk in reserve.settings.risk_checks
    ]
    register.transition(reserve, code, State.IN_RESERVE, evidence, on=day)


def department_names() -> dict[str, str]:
    return dict(DEPARTMENTS)
