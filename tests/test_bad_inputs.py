"""Scripted bad inputs through the command line, as a user (or an attacker) types them: every one gives a
non-zero exit code, a Chinese message naming the file, option or field, no traceback, and writes nothing
(the row count of every table is unchanged). One case per line of the table in the trust notes."""

from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from actors import acting
from gis_samples import PARCELS, boundary_text
from landreserve.cli import app
from landreserve.domain.funds.bonds import BondTerms
from landreserve.domain.funds.ledger import SourceKind
from landreserve.errors import InputError
from landreserve.services import bonds, funds, register
from landreserve.services.plans import import_plan
from landreserve.storage.all_tables import metadata
from landreserve.storage.db import make_engine, reading
from landreserve.storage.migrate import upgrade
from register_samples import approve, bachu_facts

CODE = "BC-CB2026001"
OTHER = "BC-CB2026002"


@pytest.fixture(scope="module")
def county_db(tmp_path_factory, bachu_plan_path):
    """A SQLite county: Bachu imported and approved (version 1), an adjusted text imported (version 2,
    not approved), parcels registered with facts, a bond and a project."""
    return build_county(tmp_path_factory.mktemp("county"), bachu_plan_path)


def build_county(folder, bachu_plan_path):
    """The county database file of :func:`county_db`, built in ``folder``."""
    from landreserve.services.context import Context
    from landreserve.settings import Settings

    path = folder / "county.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    ctx = Context(engine=engine, settings=Settings(database_url=str(engine.url)), actor=None)
    center = acting(ctx, "reserve_center")
    first = import_plan(center, bachu_plan_path)
    approve(ctx, first.version_id)
    changed = folder / "bachu-2026-调整.txt"
    changed.write_text(bachu_plan_path.read_text(encoding="utf-8") + "\n附：调整说明。\n", encoding="utf-8")
    import_plan(center, changed)
    register.create_from_plan(
        center, first.plan_id, {c: bachu_facts(c) for c in (CODE, OTHER)}, on=date(2026, 2, 1)
    )
    finance = acting(ctx, "finance")
    bonds.add_bond(finance, BondTerms("ZQ-1", D("1000000"), date(2026, 3, 1), 3, D("2.5")), "转贷协议1")
    funds.add_project(finance, "PA", "ZQ-1", first.plan_id, [CODE, OTHER])
    engine.dispose()
    return path


def counts(path) -> dict[str, int]:
    engine = make_engine(f"sqlite:///{path}")
    with reading(engine) as session:
        found = {t.name: session.scalar(select(func.count()).select_from(t)) for t in metadata.sorted_tables}
    engine.dispose()
    return found


def geojson(geometry: dict, crs: str | None = None) -> str:
    document: dict = {"type": "FeatureCollection"}
    if crs:
        document["crs"] = {"type": "name", "properties": {"name": crs}}
    document["features"] = [{"type": "Feature", "properties": {"地块编号": CODE}, "geometry": geometry}]
    return json.dumps(document, ensure_ascii=False)


SQUARE = [[[500000, 4400000], [500100, 4400000], [500100, 4400100], [500000, 4400100], [500000, 4400000]]]
NAN_SQUARE = '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"地块编号":"BC-CB2026001"},"geometry":{"type":"Polygon","coordinates":[[[NaN,4400000],[500100,4400000],[500100,4400100],[500000,4400000]]]}}]}'
FACTS_CHANGED = f"地块编号,用途\r\n{CODE},商服用地\r\n".encode("gbk")


def boundary_with_area(area: str) -> str:
    code, name, use, land_code, _ha, shape = PARCELS[0]
    return boundary_text([(code, name, use, land_code, area, shape)])


def nan_boundary() -> str:
    lines = boundary_with_area("1.0000").splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("J1,1,"))
    point, ring, _x, y = lines[first].split(",")
    lines[first] = ",".join([point, ring, "nan", y])
    return "\n".join(lines) + "\n"


#: id → (department, arguments, files {name: text or bytes}, environment, words the message must contain)
CASES = {
    "approval dated 1800": (
        "government", ["plan", "approve", "2", "--approval-no", "巴政函〔2026〕2号", "--approved-on", "1800-01-01"],
        {}, {}, ["批准日期", "1800-01-01"],
    ),
    "evidence dated 2099": (
        "natural_resources", ["parcel", "evidence", CODE, "-e", "kind=title_clear,ref=权属证明1,date=2099-01-01,by=李四"],
        {}, {}, ["证据", "2099-01-01"],
    ),
    "transition dated 2099": (
        "reserve_center", ["parcel", "transition", OTHER, "调出", "--reason", "不再收储", "--date", "2099-01-01"],
        {}, {}, ["变更生效日期", "2099-01-01"],
    ),
    "area of 10^30 m2": (
        "reserve_center", ["parcel", "update", CODE, "area_m2=1e30"], {}, {}, ["面积", CODE],
    ),
    "area of 0.0001 m2": (
        "reserve_center", ["parcel", "update", CODE, "area_m2=0.0001"], {}, {}, ["面积", CODE, "至少 1 平方米"],
    ),
    "unknown use 火星用地": (
        "reserve_center", ["parcel", "update", CODE, "land_use=火星用地"], {}, {}, ["用途", "火星用地"],
    ),
    "control character in a use": (
        "reserve_center", ["parcel", "update", CODE, "land_use=住宅\x07用地"], {}, {}, ["用途", "控制字符"],
    ),
    "control character in a zone": (
        "reserve_center", ["parcel", "update", CODE, "zone=巴楚\x1b镇"], {}, {}, ["区域", "控制字符"],
    ),
    "declared CRS EPSG::9999": (
        "natural_resources", ["geo", "import", "{dir}/crs.geojson"],
        {"crs.geojson": geojson({"type": "Polygon", "coordinates": SQUARE}, "urn:ogc:def:crs:EPSG::9999")},
        {}, ["crs.geojson", "9999", "--crs"],
    ),
    "declared area -3.1": (
        "natural_resources", ["geo", "import", "{dir}/负面积.txt"], {"负面积.txt": boundary_with_area("-3.1")},
        {}, ["负面积.txt", "面积", "-3.1", "大于零"],
    ),
    "facts for registered parcels": (
        "reserve_center", ["parcel", "create-from-plan", "1", "--facts", "{dir}/facts.csv"],
        {"facts.csv": FACTS_CHANGED}, {}, [CODE, "已经登记", "parcel update"],
    ),
    "budget year 0": (
        "finance", ["funds", "budget", "set", "PA", "--year", "0", "--amount", "100万元", "--doc", "预算1"],
        {}, {}, ["预算年度", "0"],
    ),
    "unknown project": ("finance", ["funds", "entries", "--project", "NOPE"], {}, {}, ["项目", "NOPE"]),
    "export to a folder": ("natural_resources", ["geo", "export", "geojson", "{dir}"], {}, {}, ["文件夹"]),
    "GeoJSON Point": (
        "natural_resources", ["geo", "import", "{dir}/point.geojson"],
        {"point.geojson": geojson({"type": "Point", "coordinates": [500000, 4400000]})}, {},
        ["point.geojson", "Point", "Polygon"],
    ),
    "NaN coordinates in GeoJSON": (
        "natural_resources", ["geo", "import", "{dir}/nan.geojson"], {"nan.geojson": NAN_SQUARE}, {},
        ["nan.geojson", "NaN"],
    ),
    "NaN coordinates in a boundary file": (
        "natural_resources", ["geo", "import", "{dir}/nan.txt"],
        {"nan.txt": nan_boundary()},
        {}, ["nan.txt", "坐标"],
    ),
    "damaged GeoPackage": (
        "natural_resources", ["geo", "import", "{dir}/坏.gpkg"], {"坏.gpkg": b"SQLite format 3\x00" + b"\x13" * 900},
        {}, ["坏.gpkg"],
    ),
    "amount of 10^20 亿元": (
        "finance", ["funds", "allocate", "--project", "PA", "--amount", "100000000000000000000亿元", "--doc", "分配1"],
        {}, {}, ["金额", "十万亿元"],
    ),
    "non-numeric setting": (
        "reserve_center", ["plans"], {}, {"LANDRESERVE_BUSY_TIMEOUT": "abc"}, ["LANDRESERVE_BUSY_TIMEOUT", "abc"],
    ),
    "setting out of range": (
        "reserve_center", ["plans"], {}, {"LANDRESERVE_DATE_PAST_YEARS": "0"}, ["LANDRESERVE_DATE_PAST_YEARS"],
    ),
    "bond rate NaN": (  # found by fuzzing: decimal.InvalidOperation, exit 4
        "finance", ["funds", "bond", "add", "ZQ-9", "--amount", "1000万元", "--issue-date", "2026-03-01", "--term", "5",
                    "--rate", "NaN", "--doc", "文1"],
        {}, {}, ["--rate", "利率", "NaN"],
    ),
    "bond code longer than its column": (
        "finance", ["funds", "source", "add", "X" * 150, "--kind", "other_fiscal", "--amount", "100万元", "--doc", "文1"],
        {}, {}, ["编号", "100"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_refused_in_chinese_without_traceback_and_writes_nothing(case, county_db, tmp_path):
    department, args, files, env, words = CASES[case]
    db = tmp_path / "county.sqlite3"
    shutil.copy(county_db, db)
    for name, content in files.items():
        target = tmp_path / name
        target.write_bytes(
            content
            if isinstance(content, bytes)
            else content.encode("gbk" if name.endswith(".txt") else "utf-8")
        )
    before = counts(db)
    runner = CliRunner(
        env={"LANDRESERVE_DATABASE_URL": f"sqlite:///{db}", "LANDRESERVE_USER": "张三",
             "LANDRESERVE_DEPARTMENT": department, "COLUMNS": "300", **env}
    )  # fmt: skip
    result = runner.invoke(app, [a.replace("{dir}", str(tmp_path)) for a in args])
    output = result.output
    assert result.exit_code not in (0, None), output
    assert "Traceback" not in output and isinstance(result.exception, SystemExit), (result.exception, output)
    assert any("\u4e00" <= c <= "\u9fff" for c in output), output
    for word in words:
        assert word in output, (word, output)
    assert counts(db) == before


def test_a_placeholder_in_the_optional_area_field_is_read_with_a_warning(county_db, tmp_path):
    db = tmp_path / "county.sqlite3"
    shutil.copy(county_db, db)
    (tmp_path / "界址点.txt").write_bytes(boundary_with_area("DKMC").encode("gbk"))
    runner = CliRunner(
        env={"LANDRESERVE_DATABASE_URL": f"sqlite:///{db}", "LANDRESERVE_USER": "李四",
             "LANDRESERVE_DEPARTMENT": "natural_resources", "COLUMNS": "300"}
    )  # fmt: skip
    result = runner.invoke(app, ["geo", "import", str(tmp_path / "界址点.txt")])
    assert result.exit_code == 0, result.output
    assert "DKMC" in result.output and "面积" in result.output and "忽略" in result.output
    assert counts(db)["parcel_geometries"] == 1


def test_text_longer_than_its_column_is_named_on_both_databases(ctx):
    finance = acting(ctx, "finance")
    with pytest.raises(InputError, match=r"编号（fund_sources.code）过长：最多 100 个字符，收到 150 个"):
        bonds.add_fiscal_source(finance, "X" * 150, SourceKind.OTHER_FISCAL, D("100"), "文1")
    with reading(ctx.engine) as session:
        assert session.scalar(select(func.count()).select_from(metadata.tables["fund_sources"])) == 0
