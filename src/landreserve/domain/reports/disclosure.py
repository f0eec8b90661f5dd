"""The disclosure package (信息公开): what the public may see of a published plan version — its approval, its
indicators (scale, stock/new, structure by use, layout by zone, the funds in total) and its parcels with
their location, area, use, zone and stage. Never money per parcel, owners, evidence, findings or staff.

``PUBLIC_FIELDS`` is the one list of what a public parcel row holds; the tests check that nothing else
leaves through any of the formats.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .parcel_list import ParcelList
from .plan_document import PlanReport
from .rounding import money_text

#: a public parcel row: key → Chinese header (CSV, PDF, GeoJSON properties)
PUBLIC_FIELDS = {
    "code": "地块编号",
    "location": "土地坐落",
    "ha": "面积（公顷）",
    "mu": "面积（亩）",
    "land_use": "用途",
    "zone": "区域",
    "stock": "存量/新增",
    "state": "进展",
}


@dataclass(frozen=True)
class PublicParcel:
    code: str
    location: str
    ha: Decimal
    mu: Decimal
    land_use: str
    zone: str
    stock: str
    state: str

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in PUBLIC_FIELDS}


@dataclass(frozen=True)
class Disclosure:
    plan: PlanReport
    published_on: date | None
    parcels: tuple[PublicParcel, ...]

    def as_json(self) -> dict:
        """The machine-readable package (decimal values as strings, stable keys)."""
        p, m = self.plan, self.plan.meta
        area = lambda a: {"ha": str(a.ha), "mu": str(a.mu)}  # noqa: E731
        return {
            "plan": {
                "title": m.title, "jurisdiction": m.jurisdiction, "year": m.year, "version": m.version,
                "approval_no": m.approval_no, "approved_on": m.approved_on.isoformat() if m.approved_on else None,
                "approving_body": m.approving_body,
                "published_on": self.published_on.isoformat() if self.published_on else None,
            },
            "history_head": m.head.as_json() if m.head else None,
            "scale": {**area(p.total), "parcels": p.count,
                      "stock": area(p.stock) if p.stock else None, "new": area(p.new) if p.new else None},
            "by_use": [{"name": u.name, **area(u.area), "share": str(u.share), "parcels": u.count} for u in p.by_use],
            "by_zone": [{"name": z.name, **area(z.area), "share": str(z.share), "parcels": z.count} for z in p.by_zone],
            "funds": {"total_yuan": str(p.funds), "text": money_text(p.funds)} if p.funds is not None else None,
            "parcels": [{k: str(v) if isinstance(v, Decimal) else v for k, v in x.as_dict().items()}
                        for x in self.parcels],
        }  # fmt: skip

    def geo_properties(self) -> dict[str, dict[str, object]]:
        """Code → the GeoJSON properties of its feature (Chinese names, public fields only)."""
        return {
            x.code: {
                PUBLIC_FIELDS[k]: float(v) if isinstance(v, Decimal) else v for k, v in x.as_dict().items()
            }
            for x in self.parcels
        }


def disclosure(plan: PlanReport, parcels: ParcelList, published_on: date | None) -> Disclosure:
    """The public package of a published version: its indicators and parcels (public fields only)."""
    rows = tuple(
        PublicParcel(r.code, r.location, r.ha, r.mu, r.land_use, r.zone, r.stock, r.state)
        for r in parcels.rows
    )
    return Disclosure(plan, published_on, rows)
