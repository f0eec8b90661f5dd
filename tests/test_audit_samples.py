"""The sample plans of other counties (tests/plan_samples.py), read by the importer and audited.

Consistent samples get no error; the deliberately inconsistent one gets exactly the documented errors;
truncated and corrupted texts get only the importer's reading problems as errors, never a rule error.
"""

from __future__ import annotations

import pytest

from landreserve.domain.audit import FINDING_CODES, audit_plan
from landreserve.domain.findings import Severity
from landreserve.importers import parse_plan_text
from plan_samples import CONSISTENT, SAMPLES


def _audit(name: str):
    doc = parse_plan_text(SAMPLES[name], f"{name}.txt")
    return doc, audit_plan(doc)


def _rule_findings(doc, findings):
    return [f for f in findings if f not in doc.problems]


@pytest.mark.parametrize("name", CONSISTENT)
def test_consistent_samples_get_no_error(name):
    doc, findings = _audit(name)
    assert [f for f in findings if f.severity is Severity.ERROR] == []
    assert not [f for f in findings if f.code == "audit.rule_failed"]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_sample_is_audited_by_documented_rules(name):
    doc, findings = _audit(name)
    for f in _rule_findings(doc, findings):
        assert f.code in FINDING_CODES, f.code
        assert f.lines and all(1 <= n <= SAMPLES[name].count("\n") + 1 for n in f.lines)


def test_the_inconsistent_sample_gets_exactly_the_documented_errors():
    _, findings = _audit("inconsistent")
    errors = sorted((f.code, f.lines) for f in findings if f.severity is Severity.ERROR)
    assert errors == [
        ("breakdown.sum_mismatch", (4, 6)),  # 20.00 + 12.00 + 15.00 = 47.00 of 50.00
        ("parcels.duplicate_code", (9, 12)),  # XA2026－02 listed again
        ("parcels.sum_mismatch", (4, 8, 9, 10, 11, 12)),  # 62.00 > 50.00 because of it
        ("share.mismatch", (4, 6)),  # 工业用地 36.00 % instead of 30.00 %
        ("stock.exceeds_total", (4,)),  # 存量 52.00 > 50.00
        ("units.mismatch", (6,)),  # 12.00 公顷 ≠ 190.00 亩
    ]


def test_the_inconsistent_sample_messages_carry_the_evidence():
    _, findings = _audit("inconsistent")
    by_code = {f.code: f for f in findings}
    assert "相差3.00公顷" in by_code["breakdown.sum_mismatch"].message
    assert "去除该重复地块后地块合计50.00公顷，与第4行" in by_code["parcels.duplicate_code"].message
    assert "去除重复后合计50.00公顷、4宗，与总规模相符" in by_code["parcels.sum_mismatch"].message
    share = by_code["share.mismatch"]
    assert "工业用地" in share.message and share.values["stated"] == "36.00%"
    assert by_code["units.mismatch"].values["stated"] == "190.00亩"
    assert by_code["stock.exceeds_total"].values["stated"] == "52.00公顷"


def test_a_truncated_list_is_partial_not_an_error():
    doc, findings = _audit("truncated")
    assert [f for f in _rule_findings(doc, findings) if f.severity is Severity.ERROR] == []
    (partial,) = [f for f in findings if f.code == "parcels.partial"]
    assert "3.5000公顷" in partial.message and "10.5000公顷" in partial.message


def test_corrupted_numbers_are_reading_errors_and_no_rule_error():
    doc, findings = _audit("corrupted_number")
    assert doc.problems and all(p in findings for p in doc.problems)
    assert [f for f in _rule_findings(doc, findings) if f.severity is Severity.ERROR] == []
