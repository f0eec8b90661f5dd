"""Audit a plan file without any database: read it, audit it, report (what ``landreserve audit`` does).

Kept apart from :mod:`.plans` (which stores plans) so that auditing loads neither SQLAlchemy nor Alembic.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..domain.audit import audit_plan
from ..domain.explain import explain
from ..domain.findings import Finding, Severity
from ..domain.plans import PlanDocument
from ..importers import read_plan


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


def audit_file(path: str | Path) -> AuditReport:
    """Read a plan file and audit it, without touching any database.

    Parameters
    ----------
    path
        A plan as UTF-8 / GBK / GB18030 text or ``.docx``.

    Returns
    -------
    AuditReport
        The document as read and the findings (errors, warnings, infos).

    Raises
    ------
    InputError
        The file is missing or cannot be read as a plan (nothing is stored anywhere).
    """
    document = read_plan(path)
    return AuditReport(document=document, findings=list(audit_plan(document)))


def explain_lines(report: AuditReport) -> list[str]:
    """How the auditor read the document's splits (``landreserve audit --explain``), in Chinese."""
    return explain(report.document)
