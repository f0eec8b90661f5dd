"""Audit findings: a stable code, a severity, a Chinese message, the lines and the values behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"  # a provable inconsistency
    WARNING = "warning"  # a discrepancy rounding could explain, partial coverage, ambiguity
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One audit finding.

    ``code`` is stable (tools and tests match on it, e.g. ``total.parts_mismatch``);
    ``message`` is Chinese and names the figures, their lines, the expected and the stated value;
    ``values`` holds the evidence as strings (decimal values as strings).
    """

    code: str
    severity: Severity
    message: str
    lines: tuple[int, ...] = ()
    values: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "lines": list(self.lines),
            "values": dict(self.values),
        }


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)
