"""How the register and funds commands print findings: severity in Chinese, code, message."""

from __future__ import annotations

from collections.abc import Iterable

from ..domain.findings import Finding, Severity
from .common import console

#: severity → (Chinese name, Rich style)
SEVERITIES = {
    Severity.ERROR: ("错误", "bold red"),
    Severity.WARNING: ("警告", "yellow"),
    Severity.INFO: ("提示", "cyan"),
}


def print_findings(findings: Iterable[Finding]) -> None:
    """One line per finding: ``警告 register.temporary_use_overdue：地块 … 请 …``."""
    for finding in findings:
        name, style = SEVERITIES[Severity(finding.severity)]
        console.print(
            f"[{style}]{name}[/] {finding.code}：{finding.message}", highlight=False, soft_wrap=True
        )
