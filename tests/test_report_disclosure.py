"""The disclosure package shows what the public may see — and nothing else: no money per parcel, owners,
evidence, findings or staff — as PDF, JSON, CSV and GeoJSON; an unpublished version is refused."""

from __future__ import annotations

import csv
import io
import json
import subprocess

import pytest

from landreserve.domain.actors import Actor
from landreserve.domain.reports.disclosure import PUBLIC_FIELDS
from landreserve.errors import RuleViolation
from landreserve.services import demo, publication, reports
from landreserve.services.context import Context

#: what must never leave through the package: the demonstration's staff, evidence refs, the payment on
#: BC-CB2026006 (800 万元), the bond's code, the findings' codes
PRIVATE = ("演示·", "演示-", "8000000", "800.00", "BC-ZXZQ", "parcels.duplicate", "补偿协议", "资金分配通知")


@pytest.fixture
def published(engine, bachu_plan_path):
    ctx = Context(engine=engine, actor=Actor("测试", "reserve_center"))
    result = demo.setup(ctx, bachu_plan_path)
    return ctx, result.plan_id, result.version_id


def _no_private(text: str) -> None:
    leaked = [word for word in PRIVATE if word in text]
    assert not leaked, f"private data in the disclosure: {leaked}"


def test_json_and_csv_hold_public_fields_only(published):
    ctx, plan_id, _ = published
    data = json.loads(reports.render(ctx, "disclosure", plan_id, "json").data)
    assert data["plan"]["published_on"] == "2026-02-10"
    assert data["scale"] == {"ha": "47.58", "mu": "713.63", "parcels": 13,
                             "stock": {"ha": "39.53", "mu": "592.88"}, "new": {"ha": "8.05", "mu": "120.76"}}  # fmt: skip
    assert data["funds"] == {"total_yuan": "75000000", "text": "0.75亿元"}
    assert len(data["parcels"]) == 13 and all(set(p) == set(PUBLIC_FIELDS) for p in data["parcels"])
    assert {p["code"]: p["state"] for p in data["parcels"]}["BC-CB2026006"] == "入库储备"
    _no_private(json.dumps(data, ensure_ascii=False))
    text = reports.render(ctx, "disclosure", plan_id, "csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(PUBLIC_FIELDS.values()) and len(rows) == 16  # 13 parcels, an empty row, the head
    assert rows[14] == [] and "历史记录链头" in rows[15][0]
    assert rows[1][:4] == ["BC-CB2026001", "巴楚县工业园区体育路北侧、锦业路东侧", "4.0254", "60.38"]
    _no_private(text)


def test_geojson_has_the_boundaries_with_public_properties(published):
    ctx, plan_id, _ = published
    data = json.loads(reports.render(ctx, "disclosure", plan_id, "geojson").data)
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 13
    for feature in data["features"]:
        assert set(feature["properties"]) == set(PUBLIC_FIELDS.values())
        lon, lat = feature["geometry"]["coordinates"][0][0]
        assert 78 < lon < 79 and 39 < lat < 40  # lon/lat around Bachu, RFC 7946 order
    _no_private(json.dumps(data, ensure_ascii=False))


def test_pdf_says_the_same_and_nothing_private(published, tmp_path):
    ctx, plan_id, _ = published
    pdf = tmp_path / "公开.pdf"
    pdf.write_bytes(reports.render(ctx, "disclosure", plan_id, "pdf").data)
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "巴楚县2026年土地储备计划（公开信息）" in text and "BC2025CB011" in text
    _no_private(text)


def test_an_unpublished_version_is_refused(published):
    ctx, plan_id, version_id = published
    publication.unpublish(
        Context(engine=ctx.engine, actor=Actor("测试", "natural_resources")), version_id, "撤回"
    )
    with pytest.raises(RuleViolation) as refused:
        reports.render(ctx, "disclosure", plan_id, "json")
    assert refused.value.code == "report.not_published" and "还没有公开的版本" in refused.value.message
