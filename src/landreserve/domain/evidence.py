"""Evidence that satisfies a gate: what kind, which document, when, and who confirmed it."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ..errors import InputError
from . import plausibility


class EvidenceKind(StrEnum):
    TITLE_CLEAR = "title_clear"
    NO_SEIZURE = "no_seizure"
    NO_MORTGAGE = "no_mortgage"
    NO_GUARANTEE = "no_guarantee"
    COMPENSATION_SETTLED = "compensation_settled"
    REGISTRATION = "registration"
    RISK_CHECK = "risk_check"
    OUT_OF_PLAN_APPROVAL = "out_of_plan_approval"
    DEVELOPMENT_PLAN = "development_plan"
    WORK_ACCEPTANCE = "work_acceptance"
    CUSTODY = "custody"
    TEMPORARY_USE = "temporary_use"
    TEMPORARY_USE_ENDED = "temporary_use_ended"
    CLEARANCE = "clearance"
    SUPPLY_PLAN = "supply_plan"
    OTHER = "other"


EVIDENCE_LABELS = {
    EvidenceKind.TITLE_CLEAR: "产权清晰",
    EvidenceKind.NO_SEIZURE: "无查封",
    EvidenceKind.NO_MORTGAGE: "无抵押",
    EvidenceKind.NO_GUARANTEE: "无担保",
    EvidenceKind.COMPENSATION_SETTLED: "补偿安置到位",
    EvidenceKind.REGISTRATION: "不动产登记（不动产权证号）",
    EvidenceKind.RISK_CHECK: "风险排查",
    EvidenceKind.OUT_OF_PLAN_APPROVAL: "计划外收储批准（报批手续）",
    EvidenceKind.DEVELOPMENT_PLAN: "前期开发实施方案",
    EvidenceKind.WORK_ACCEPTANCE: "前期开发工程验收",
    EvidenceKind.CUSTODY: "管护责任落实",
    EvidenceKind.TEMPORARY_USE: "临时利用（租赁）",
    EvidenceKind.TEMPORARY_USE_ENDED: "临时利用终止",
    EvidenceKind.CLEARANCE: "净地清除",
    EvidenceKind.SUPPLY_PLAN: "纳入供应计划",
    EvidenceKind.OTHER: "其他",
}

#: preliminary development works (前期开发), English key → Chinese name
WORKS = {
    "roads": "道路",
    "water": "供水",
    "power": "供电",
    "gas": "供气",
    "drainage": "排水",
    "telecom": "通讯",
    "fencing": "围挡",
    "levelling": "场地平整",
}

#: what must be cleared before supply (净地), English key → Chinese name
CLEARANCE_ITEMS = {
    "buildings": "建筑物",
    "attachments": "附着物",
    "underground": "地下构筑物",
    "obstacles": "障碍物",
}

#: kinds whose ``subject`` names which check, work or item the evidence is for
SUBJECT_KINDS = {
    EvidenceKind.RISK_CHECK: None,  # any name from Settings.risk_checks
    EvidenceKind.WORK_ACCEPTANCE: WORKS,
    EvidenceKind.CLEARANCE: CLEARANCE_ITEMS,
}

_FIELD_NAMES = {"kind": "证据类型", "ref": "文件编号", "date": "日期", "by": "确认人"}


def parse_kind(value: str) -> EvidenceKind:
    """Evidence kind from its English value or Chinese name."""
    text = value.strip()
    for kind, label in EVIDENCE_LABELS.items():
        if text in (kind.value, label) or (label.startswith(text) and len(text) >= 2):
            return kind
    known = "、".join(f"{k.value}（{label}）" for k, label in EVIDENCE_LABELS.items())
    raise InputError(f"证据类型“{value}”无法识别，可选：{known}", code="input.evidence_kind")


def normalise_subject(kind: EvidenceKind, subject: str | None) -> str | None:
    """Subject as stored: works and clearance items by English key; risk checks by their Chinese name."""
    if subject is None or not subject.strip():
        return None
    text = subject.strip()
    table = SUBJECT_KINDS.get(kind)
    if not table:
        return text
    for key, label in table.items():
        if text in (key, label):
            return key
    known = "、".join(f"{label}（{key}）" for key, label in table.items())
    raise InputError(
        f"“{text}”不是{EVIDENCE_LABELS[kind]}的对象，可选：{known}", code="input.evidence_subject"
    )


def works_in_scope(subject: str | None) -> tuple[str, ...]:
    """The works named by a development plan (``道路;供水``, keys or names); all works when none named."""
    if not subject or not subject.strip():
        return tuple(WORKS)
    names = [n.strip() for n in subject.replace("、", ";").replace("；", ";").replace("|", ";").split(";")]
    return tuple(normalise_subject(EvidenceKind.WORK_ACCEPTANCE, n) or "" for n in names if n)


def subject_label(kind: EvidenceKind, subject: str | None) -> str:
    table = SUBJECT_KINDS.get(kind) or {}
    return table.get(subject or "", subject or "")


def parse_date(value: str | date, field: str = "日期") -> date:
    """A date written ``2026-05-01`` (full-width digits accepted); ``InputError`` naming ``field``."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(unicodedata.normalize("NFKC", value).strip())
    except ValueError as exc:
        raise InputError(
            f"{field}“{value}”不是有效日期，请写成 年-月-日，如 2026-05-01", code="input.date"
        ) from exc


def key_values(text: str, example: str) -> dict[str, str]:
    """``"code=BC-CB2026012,area_m2=15000"`` (ASCII or full-width commas) → a dict.

    Every part must be ``键=值``; otherwise ``InputError`` quoting the part and ``example``.
    """
    values: dict[str, str] = {}
    for part in text.replace("，", ",").split(","):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        if not sep:
            raise InputError(
                f"“{text}”中的“{part}”不是 键=值 形式，请写成例如 {example}", code="input.key_value"
            )
        values[key.strip()] = value.strip()
    return values


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence. ``kind``, ``ref``, ``on`` and ``confirmed_by`` are all required.

    ``subject`` names the risk check, work or clearance item; ``start``/``end`` bound a temporary use.
    """

    kind: EvidenceKind
    ref: str
    on: date
    confirmed_by: str
    subject: str | None = None
    start: date | None = None
    end: date | None = None

    @property
    def label(self) -> str:
        name = EVIDENCE_LABELS[self.kind]
        return f"{name}：{subject_label(self.kind, self.subject)}" if self.subject else name

    def to_dict(self) -> dict:
        return {
            "kind": self.kind.value,
            "subject": self.subject,
            "ref": self.ref,
            "date": self.on.isoformat(),
            "by": self.confirmed_by,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
        }

    @classmethod
    def from_mapping(cls, values: Mapping[str, str]) -> Evidence:
        """Read ``{"kind", "ref", "date", "by", "subject"?, "start"?, "end"?}``; every problem is named."""
        missing = [label for key, label in _FIELD_NAMES.items() if not str(values.get(key) or "").strip()]
        if missing:
            given = "，".join(f"{k}={v}" for k, v in values.items())
            raise InputError(
                f"证据不完整（{given}）：缺少{'、'.join(missing)}。每条证据须写明 kind=类型,ref=文件编号,date=日期,by=确认人",
                code="input.evidence",
            )
        kind = parse_kind(values["kind"])
        evidence = cls(
            kind=kind,
            ref=plausibility.text(values["ref"].strip(), "证据的文件编号", 500) or "",
            on=parse_date(values["date"]),
            confirmed_by=plausibility.text(values["by"].strip(), "证据的确认人", 100) or "",
            subject=plausibility.text(
                normalise_subject(kind, values.get("subject") or values.get("item")), "证据的对象", 100
            ),
            start=parse_date(values["start"], "开始日期") if values.get("start") else None,
            end=parse_date(values["end"], "结束日期") if values.get("end") else None,
        )
        evidence.check()
        return evidence

    def check(self) -> None:
        """Refuse evidence that cannot satisfy any gate (no subject where one is needed, bad period)."""
        if self.kind in SUBJECT_KINDS and not self.subject:
            table = SUBJECT_KINDS[self.kind]
            known = (
                "、".join(f"{label}（{key}）" for key, label in table.items())
                if table
                else "土壤污染 等风险排查项"
            )
            raise InputError(
                f"{EVIDENCE_LABELS[self.kind]}证据“{self.ref}”须写明对象 subject=…，可选：{known}",
                code="input.evidence",
            )
        if self.kind is EvidenceKind.DEVELOPMENT_PLAN and self.subject:
            works_in_scope(self.subject)
        if self.kind is EvidenceKind.TEMPORARY_USE:
            if not (self.start and self.end):
                raise InputError(
                    f"临时利用证据“{self.ref}”须写明起止日期，如 start=2026-03-05,end=2027-03-04",
                    code="input.evidence",
                )
            if self.end <= self.start:
                raise InputError(
                    f"临时利用证据“{self.ref}”的结束日期 {self.end} 不晚于开始日期 {self.start}，请核对起止日期",
                    code="input.evidence",
                )


def parse_evidence_option(text: str) -> Evidence:
    """Read the CLI form ``kind=registration,ref=新(2026)巴楚县不动产权第0001号,date=2026-03-01,by=李四``."""
    values = key_values(text, "kind=title_clear,ref=产权调查表-006,date=2026-02-20,by=李四")
    return Evidence.from_mapping({key.lower(): value for key, value in values.items()})


def evidence_from_dict(data: Mapping[str, object]) -> Evidence:
    """Inverse of ``Evidence.to_dict`` (for stored evidence)."""
    return Evidence.from_mapping({k: str(v) for k, v in data.items() if v is not None})
