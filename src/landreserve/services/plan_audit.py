"""Audit a plan file without any database: read it, audit it, report (what ``landreserve audit`` does).

Kept apart from :mod:`.plans` (which stores plans) so that auditing loads neither SQLAlchemy nor Alembic.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..domain import plausibility
from ..domain.audit import audit_plan
from ..domain.findings import Finding, Severity
from ..domain.plans import PlanDocument
from ..importers import read_plan
from . import collector


@dataclass(frozen=True)
class AuditReport:
    """A plan document as read from a file, and the auditor's findings on it."""

    document: PlanDocument
    findings: list[Finding]

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)


def audit_file(path: str | Path, max_parcel_area_ha: Decimal | None = None) -> AuditReport:
    """Read a plan file and audit it, without touching any database.

    Parameters
    ----------
    path
        A plan as UTF-8 / GBK / GB18030 text or ``.docx``.
    max_parcel_area_ha
        The largest area of one parcel (公顷; the setting ``LANDRESERVE_MAX_PARCEL_AREA_HA``, which the callers
        pass); ``None`` for the default (``domain.limits.MAX_PARCEL_AREA_HA``).

    Returns
    -------
    AuditReport
        The document as read and the findings (errors, warnings, infos).

    Raises
    ------
    InputError
        The file is missing or cannot be read as a plan (nothing is stored anywhere).
    """
    with collector.paused():  # the document's objects all live until the end: see ``services.collector``
        document = read_plan(path)
        if max_parcel_area_ha is not None:  # the reader checks areas against the default limit
            document.problems[:] = plausibility.with_area_limit(
                document.problems, document.parcels, max_parcel_area_ha
            )
        return AuditReport(document=document, findings=list(audit_plan(document)))


def explain_lines(report: AuditReport) -> list[str]:
    """How the auditor read the document's splits (``landreserve audit --explain``), in Chinese."""
    from ..domain.explain import explain  # for ``--explain`` only

    return explain(report.document)
