"""The auditor: every figure of a plan checked against the others, rounding-aware, with evidence.

``audit_plan`` returns the reading problems of the importer plus the findings of every rule, sorted by
line then code. Each rule is a pure function of the document; see the modules for the codes:
``measures`` (units, parts of the scale), ``breakdowns`` and ``shares`` (splits), ``parcels`` and
``duplicates`` (the list), ``parcel_uses`` (uses against the list), ``land_uses`` (labels). ``FINDING_CODES`` lists every code with its meaning.
"""

from __future__ import annotations

from collections.abc import Callable

from ..findings import Finding, Severity
from ..plans import Breakdown, PlanDocument
from . import (
    breakdowns,
    changes,
    completions,
    duplicates,
    land_uses,
    measures,
    parcel_uses,
    parcels,
    unit_prices,
)

__all__ = ["audit_plan", "DOCUMENT_RULES", "BREAKDOWN_RULES", "FINDING_CODES"]

DocumentRule = Callable[[PlanDocument], list[Finding]]
BreakdownRule = Callable[[Breakdown], list[Finding]]

DOCUMENT_RULES: tuple[DocumentRule, ...] = (
    measures.check_units,
    measures.check_parts_of_scale,
    measures.check_part_counts,
    measures.check_repeated_totals,
    measures.check_repeated_counts,
    breakdowns.check_sums,
    changes.check_changes,
    completions.check_completions,
    unit_prices.check_unit_prices,
    parcels.check_sum,
    parcels.check_count,
    duplicates.check_duplicates,
    parcel_uses.check_uses_against_parcels,
    parcels.check_carried_over,
    land_uses.check_parcels,
)

#: rules on each split on its own (sums, counts and shares are checked by ``breakdowns.check_sums``,
#: level by level under every reading)
BREAKDOWN_RULES: tuple[BreakdownRule, ...] = (land_uses.check_breakdown,)

#: every code the rules emit, with its usual severity and meaning (approximate figures lower errors to warnings)
FINDING_CODES: dict[str, tuple[Severity, str]] = {
    "units.mismatch": (Severity.ERROR, "同一数量的公顷、亩等数值超出四舍五入误差"),
    "breakdown.sum_mismatch": (Severity.ERROR, "分项之和与总量不符（超过总量，或完整分项达不到总量）"),
    "breakdown.sum_rounding": (Severity.WARNING, "分项之和的写法与总量不同，但可由四舍五入解释"),
    "breakdown.partial": (Severity.WARNING, "分项只覆盖总量的一部分"),
    "breakdown.tie_uncertain": (
        Severity.WARNING,
        "分项与总量不符，但原文未写明分项属于该总量（按位置推断），不能确证",
    ),
    "structure.ambiguous": (
        Severity.WARNING,
        "按原文的一种读法各数不符，按另一种可接受的读法相符；写明所作假设",
    ),
    "breakdown.parcels_mismatch": (Severity.ERROR, "某用途的面积与清单中该用途地块的面积之和不符"),
    "share.mismatch": (Severity.ERROR, "比例与面积不符"),
    "completion.mismatch": (Severity.ERROR, "完成率与完成数、计划（任务）数不符"),
    "change.mismatch": (
        Severity.ERROR,
        "所写的比上年增减量或增减率与两年的数值不符（写明是否用错了计算基数）",
    ),
    "unit_price.mismatch": (Severity.ERROR, "单价（每亩、每公顷）与同句的总价、面积不符"),
    "share.sum_mismatch": (Severity.ERROR, "完整分项的比例之和不能等于100%"),
    "count.mismatch": (Severity.ERROR, "宗数与地块清单或分项宗数不符"),
    "parcels.sum_mismatch": (Severity.ERROR, "地块面积之和超过总规模，或完整清单达不到总规模"),
    "parcels.sum_rounding": (Severity.WARNING, "地块面积之和的写法与总规模不同，但可由四舍五入解释"),
    "parcels.partial": (Severity.WARNING, "地块清单只覆盖总规模的一部分"),
    "parcels.duplicate_code": (Severity.ERROR, "同一地块编号列出两次"),
    "parcels.duplicate": (Severity.ERROR, "不同编号但坐落和面积相同的地块，即重复列出"),
    "parcels.carried_over": (Severity.INFO, "以前年度结转或沿用以前年度编号的地块"),
    "stock.exceeds_total": (Severity.ERROR, "存量土地大于储备总规模"),
    "new.exceeds_total": (Severity.ERROR, "新增土地大于储备总规模"),
    "total.conflict": (Severity.WARNING, "同一总量两处数值不一致"),
    "landuse.ambiguous": (Severity.WARNING, "用途名称可对应多个地类"),
    "landuse.unknown": (Severity.INFO, "用途名称不能对应到国家分类"),
    "audit.rule_failed": (Severity.WARNING, "某条审核规则未能执行（程序问题）"),
}


def _run(rule: Callable, subject: object) -> list[Finding]:
    """Run one rule; a rule that fails on an odd document reports itself instead of stopping the audit."""
    try:
        return rule(subject)
    except Exception as exc:  # noqa: BLE001 - one broken rule must not hide the others' findings
        name = getattr(rule, "__qualname__", str(rule))
        message = f"审核规则{name}未能执行（{type(exc).__name__}: {exc}），其结论缺失；请报告此问题。"
        return [Finding("audit.rule_failed", Severity.WARNING, message, (), {"rule": name})]


def _sort_key(f: Finding) -> tuple:
    return (f.lines[0] if f.lines else 0, f.code, f.lines, f.message)


def audit_plan(doc: PlanDocument) -> list[Finding]:
    """Audit every figure of a plan document.

    Parameters
    ----------
    doc
        The document as read by an importer (its ``problems`` are reading problems).

    Returns
    -------
    list[Finding]
        ``doc.problems`` plus the findings of every rule, sorted by first line, then code.
        Errors are provable inconsistencies; a correctly rounded plan gets none.
    """
    found = list(doc.problems)
    for rule in DOCUMENT_RULES:
        found.extend(_run(rule, doc))
    for bd in doc.all_breakdowns():
        for split_rule in BREAKDOWN_RULES:
            found.extend(_run(split_rule, bd))
    return sorted(found, key=_sort_key)
