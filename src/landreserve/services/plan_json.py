"""The JSON shapes of plans: ``audit --json`` (stable keys, see issue #2), stored figures, parcels, findings,
and a version's parsed structure. Decimal values are strings.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING

from ..domain.findings import Finding
from ..domain.plans import Figure, PlanDocument, PlanParcel

if TYPE_CHECKING:
    from ..storage.plan_tables import PlanFigureRow, PlanFindingRow, PlanParcelRow
    from .plan_audit import AuditReport

#: the keys of ``audit --json`` that other tools rely on (see issue #2); do not rename
DOCUMENT_KEYS = ("title", "jurisdiction", "year", "kind")
FIGURE_KEYS = ("label", "value", "unit", "quantity", "base_value", "qualifier", "line", "text")
PARCEL_KEYS = ("code", "location", "area_m2", "use", "line")
FINDING_KEYS = ("code", "severity", "message", "lines", "values")


def report_json(report: AuditReport) -> dict:
    """The stable JSON object of ``landreserve audit --json`` (decimal values as strings).

    >>> sorted(report_json(report))  # doctest: +SKIP
    ['document', 'figures', 'findings', 'parcels']
    """
    doc = report.document
    return {
        "document": {key: plain(getattr(doc, key)) for key in DOCUMENT_KEYS},
        "figures": [figure_json(f) for f in doc.figures],
        "parcels": [parcel_json(p) for p in doc.parcels],
        "findings": [finding_json(f) for f in report.findings],
    }


def figure_json(figure: Figure | PlanFigureRow) -> dict:
    """A figure (read or stored) with exactly the stable keys."""
    return {key: plain(getattr(figure, key)) for key in FIGURE_KEYS}


def parcel_json(parcel: PlanParcel | PlanParcelRow) -> dict:
    """A parcel (read or stored) with exactly the stable keys."""
    return {key: plain(getattr(parcel, key)) for key in PARCEL_KEYS}


def finding_json(finding: Finding | PlanFindingRow) -> dict:
    """A finding (from the auditor or stored) with exactly the stable keys."""
    return {
        "code": finding.code,
        "severity": plain(finding.severity),
        "message": finding.message,
        "lines": [int(n) for n in finding.lines],
        "values": {str(k): plain(v) for k, v in dict(finding.values).items()},
    }


def structure_json(document: PlanDocument) -> dict:
    """The parsed structure (headings, totals, breakdowns, the parcel list's totals) as plain JSON.

    ``parcels_total`` is the total the list should add up to (usually the reserve scale);
    ``parcels_list_total`` the sum the list states for itself (its 合计 row), ``None`` when it states none.
    """
    return {
        "sections": plain(document.sections),
        "totals": plain(document.totals),
        "breakdowns": plain(document.breakdowns),
        "parcels_total": plain(document.parcels_total),
        "parcels_list_total": plain(document.parcels_list_total),
        "doc_number": document.doc_number,
        "line_count": document.line_count,
    }


def plain(value: object) -> object:
    """Dataclasses, enums, decimals and tuples turned into JSON values (decimals as strings)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value
