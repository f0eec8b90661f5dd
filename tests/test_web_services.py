"""The use cases behind the new pages, checked in the service layer: evidence files and map layers are
written only by the departments whose work they are (a refused write stores nothing — no row, no file, no
history), the parcel search binds its text, the money of a parcel nets reversals, the public view holds
only public fields."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from landreserve.domain.actors import Actor
from landreserve.domain.register import ParcelFacts
from landreserve.errors import PermissionDenied
from landreserve.services import disclosure, documents, map_layers, parcel_search, register
from landreserve.storage.db import reading
from landreserve.storage.history_tables import HistoryEntryRow
from landreserve.storage.web_tables import EvidenceFileRow, MapLayerFeatureRow, MapLayerRow

PDF = b"%PDF-1.4\n%%EOF\n"


def rows(ctx, table) -> int:
    with reading(ctx.engine) as s:
        return s.scalar(select(func.count()).select_from(table))


def as_(ctx, department: str):
    return replace(ctx, actor=Actor(f"{department}经办人", department))


@pytest.fixture
def files_ctx(ctx, tmp_path):
    ctx = replace(ctx, settings=replace(ctx.settings, files_dir=str(tmp_path / "files")))
    register.add_parcel(as_(ctx, "reserve_center"), ParcelFacts("BC-T001", "测试路北侧", Decimal("10000")))
    return ctx


def test_only_the_register_departments_keep_evidence_files(files_ctx):
    before = (rows(files_ctx, EvidenceFileRow), rows(files_ctx, HistoryEntryRow))
    for department in ("finance", "housing", "government", "development_reform", "commerce_industry", "it"):
        with pytest.raises(PermissionDenied, match="无权登记地块证据和证明文件"):
            documents.add_document(as_(files_ctx, department), "BC-T001", "a.pdf", PDF)
    assert (rows(files_ctx, EvidenceFileRow), rows(files_ctx, HistoryEntryRow)) == before
    assert not Path(files_ctx.settings.files_dir).exists()
    kept = documents.add_document(as_(files_ctx, "reserve_center"), "BC-T001", "a.pdf", PDF, kind="产权清晰")
    assert kept.kind == "title_clear" and rows(files_ctx, EvidenceFileRow) == 1


def _layer_file(tmp_path: Path) -> Path:
    ring = [[78.5, 39.7], [78.6, 39.7], [78.6, 39.8], [78.5, 39.8], [78.5, 39.7]]
    feature = {
        "type": "Feature",
        "properties": {"名称": "城镇开发边界"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    path = tmp_path / "boundary.geojson"
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": [feature]}, ensure_ascii=False), "utf-8"
    )
    return path


def test_map_layers_are_imported_by_the_geometry_departments_only_and_replace_by_name(ctx, tmp_path):
    path = _layer_file(tmp_path)
    with pytest.raises(PermissionDenied):
        map_layers.import_layer(as_(ctx, "finance"), path, "城镇开发边界", "must_lie_within")
    assert rows(ctx, MapLayerRow) == 0 and rows(ctx, HistoryEntryRow) == 0
    bureau = as_(ctx, "natural_resources")
    first = map_layers.import_layer(bureau, path, "城镇开发边界", "must_lie_within")
    again = map_layers.import_layer(bureau, path, "城镇开发边界", "must_lie_within")
    assert [v.name for v in map_layers.layers(ctx)] == ["城镇开发边界"] and rows(ctx, MapLayerFeatureRow) == 1
    assert first.bounds == pytest.approx((78.5, 39.7, 78.6, 39.8), abs=1e-5)
    shapes = json.loads(map_layers.layer_geojson(ctx, again.id))["features"]
    assert shapes[0]["properties"]["label"] == "城镇开发边界"
    with reading(ctx.engine) as s:
        actions = list(
            s.scalars(select(HistoryEntryRow.action).where(HistoryEntryRow.entity_type == "map_layer"))
        )
    assert actions == ["map_layer.import", "map_layer.import"]
    with pytest.raises(Exception, match="图层规则"):
        map_layers.import_layer(bureau, path, "x", "nonsense")


def test_the_search_binds_its_text_and_sorts_areas_as_numbers(ctx):
    center = as_(ctx, "reserve_center")
    for code, area in (("BC-A1", "9000"), ("BC-A2", "10000"), ("BC_A3", "800")):
        register.add_parcel(center, ParcelFacts(code, f"{code} 旁", Decimal(area)))
    found = parcel_search.search(ctx, sort="area", descending=True)
    assert [p.code for p in found.items] == ["BC-A2", "BC-A1", "BC_A3"] and found.total_area_m2 == Decimal(
        "19800"
    )
    assert [p.code for p in parcel_search.search(ctx, parcel_search.ParcelFilter.of("_")).items] == [
        "BC_A3"
    ]  # _ is a character, not a wildcard
    assert parcel_search.search(ctx, parcel_search.ParcelFilter.of("%")).total == 0
    assert parcel_search.search(ctx, parcel_search.ParcelFilter.of("x' OR '1'='1")).total == 0
    page = parcel_search.search(ctx, per_page=2, page=2)
    assert [p.code for p in page.items] == ["BC_A3"] and page.pages == 2


def test_the_public_view_holds_only_public_fields():
    assert [f.name for f in dataclasses.fields(disclosure.PublicParcel)] == [
        "code", "location", "area_m2", "land_use", "state"
    ]  # fmt: skip
    plan_fields = {f.name for f in dataclasses.fields(disclosure.PublicPlan)}
    assert not plan_fields & {"findings", "created_by", "by", "department", "note", "funds", "evidence"}


def test_geo_layer_command_loads_a_layer_for_the_map(engine, tmp_path):
    from typer.testing import CliRunner

    from landreserve.cli import app

    url = engine.url.render_as_string(hide_password=False)
    runner = CliRunner(env={"LANDRESERVE_DATABASE_URL": url, "COLUMNS": "200", "LANDRESERVE_USER": "李工"})
    args = [
        "geo",
        "layer",
        str(_layer_file(tmp_path)),
        "--name",
        "生态保护红线",
        "--rule",
        "must_not_intersect",
    ]
    refused = runner.invoke(app, [*args, "--department", "finance"])
    assert refused.exit_code == 1 and "无权导入地块边界和约束图层" in refused.output
    done = runner.invoke(app, [*args, "--department", "natural_resources"])
    assert done.exit_code == 0 and "已导入图层“生态保护红线”（不得占用）：1 个图斑" in done.output
