"""The split by use against the uses of the parcels in the list (breakdown.parcels_mismatch)."""

from __future__ import annotations

import pytest

from audit_builders import breakdown, item, parcel, plan, total
from landreserve.domain.audit import audit_plan
from landreserve.domain.findings import Severity
from landreserve.domain.plans import Dimension, TotalKind
from landreserve.importers import parse_plan_text
from plan_samples import SAMPLES

CODE = "breakdown.parcels_mismatch"


def _doc(uses, parcels, exhaustive=True, scale="30.00"):
    of = total(TotalKind.RESERVE, scale, "公顷", 2)
    items = [item(name, 4, (area, "公顷")) for name, area in uses]
    rows = [parcel(f"P-{i}", 10 + i, f"第{i}路北侧", area, use=use) for i, (use, area) in enumerate(parcels)]
    return plan(
        totals=[of],
        breakdowns=[breakdown(Dimension.USE, 4, items, of, exhaustive)],
        parcels=rows,
        parcels_total=of,
    )


def _codes(doc):
    return [(f.code, f.severity) for f in audit_plan(doc) if f.code == CODE]


def test_uses_matching_their_parcels():
    doc = _doc(
        [("住宅用地", "20.00"), ("商服用地", "10.00")],
        [("住宅用地", "12.0000"), ("住宅用地", "8.0000"), ("商服用地", "10.0000")],
    )
    assert _codes(doc) == []


def test_a_use_its_parcels_do_not_make_is_an_error_naming_them():
    doc = _doc(
        [("住宅用地", "18.00"), ("商服用地", "12.00")],
        [("住宅用地", "12.0000"), ("住宅用地", "8.0000"), ("商服用地", "10.0000")],
    )
    found = [f for f in audit_plan(doc) if f.code == CODE]
    assert [(f.lines, f.severity) for f in found] == [
        ((4, 10, 11), Severity.ERROR),
        ((4, 12), Severity.ERROR),
    ]
    housing = found[0]
    assert "第4行“住宅用地”18.00公顷" in housing.message and "合计20.0000公顷" in housing.message
    assert housing.values == {"stated": "18.00公顷", "parcels_sum": "20.0000公顷", "parcels": "2"}


def test_parcel_uses_inside_a_broader_class_are_counted_for_it():
    uses = [("工矿仓储用地", "20.00"), ("住宅用地", "10.00")]
    doc = _doc(uses, [("工业用地", "12.0000"), ("仓储用地", "8.0000"), ("住宅用地", "10.0000")])
    assert _codes(doc) == []
    doc = _doc(uses, [("工业用地", "12.0000"), ("住宅用地", "8.0000"), ("住宅用地", "10.0000")])
    assert [c for c, _ in _codes(doc)] == [CODE, CODE]


@pytest.mark.parametrize(
    "parcels",
    [
        [("住宅用地", "12.0000"), ("商住用地", "8.0000"), ("商服用地", "10.0000")],  # ambiguous use
        [("住宅用地", "12.0000"), (None, "8.0000"), ("商服用地", "10.0000")],  # use not given
        [("住宅用地", "12.0000"), ("公园绿地", "8.0000"), ("商服用地", "10.0000")],  # use not in the split
        [("住宅用地", "12.0000"), ("商服用地", "10.0000")],  # list short of the total
    ],
)
def test_no_verdict_without_complete_evidence(parcels):
    doc = _doc([("住宅用地", "18.00"), ("商服用地", "12.00")], parcels)
    assert _codes(doc) == []


def test_a_partial_split_is_not_compared():
    doc = _doc([("住宅用地", "18.00")], [("住宅用地", "20.0000"), ("商服用地", "10.0000")], exhaustive=False)
    assert _codes(doc) == []


def test_the_mu_only_sample_agrees_and_a_changed_use_is_found():
    doc = parse_plan_text(SAMPLES["mu_only"], "mu_only.txt")
    assert [f for f in audit_plan(doc) if f.code == CODE] == []
    changed = SAMPLES["mu_only"].replace("面积：59.00亩，用途：住宅用地", "面积：59.00亩，用途：商服用地")
    found = [f for f in audit_plan(parse_plan_text(changed, "mu_only.txt")) if f.code == CODE]
    assert [(f.severity, f.values["stated"]) for f in found] == [
        (Severity.ERROR, "312.00亩"),
        (Severity.ERROR, "126.00亩"),
    ]
    # the parcel of line 12 moved from 住宅 to 商服: 住宅 lacks it, 商服 lists it
    assert 12 not in found[0].lines and 12 in found[1].lines
    assert "合计253.00亩" in found[0].message and "合计185.00亩" in found[1].message
