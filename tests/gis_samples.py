"""Canonical sample geometries and golden-file builders shared by all GIS tests.

All shapes lie near Bachu (巴楚县, about 78.5°E, 39.8°N) in EPSG:4535 (CGCS2000 3-degree zone 26,
central meridian 78°E, eastings without zone prefix); ``E0, N0`` is their south-west corner.
Files are written here by hand (text, raw bytes), independently of the code under test.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import shapely

E0, N0 = 542_800.0, 4_406_000.0
ZONE26_PLAIN, ZONE26_PREFIXED = 4535, 4514
PREFIX = 26_000_000.0

#: 100 m × 100 m: exactly 1 公顷 = 15 亩
SQUARE = shapely.box(E0, N0, E0 + 100, N0 + 100)
#: 200 m × 200 m with a 50 m × 50 m hole: 37 500 ㎡
HOLED = shapely.Polygon(
    [(E0 + 300, N0), (E0 + 500, N0), (E0 + 500, N0 + 200), (E0 + 300, N0 + 200)],
    [[(E0 + 375, N0 + 75), (E0 + 375, N0 + 125), (E0 + 425, N0 + 125), (E0 + 425, N0 + 75)]],
)
#: two 100 m × 50 m parts: 10 000 ㎡
MULTI = shapely.MultiPolygon(
    [shapely.box(E0 + 700, N0, E0 + 800, N0 + 50), shapely.box(E0 + 700, N0 + 100, E0 + 800, N0 + 150)]
)
#: a bow-tie: self-intersecting at its centre (E0 + 50, N0 + 1050)
BOWTIE = shapely.Polygon([(E0, N0 + 1000), (E0 + 100, N0 + 1100), (E0 + 100, N0 + 1000), (E0, N0 + 1100)])

#: code (as written, with a full-width dash in the first), name, use, land-use code, declared ha, shape
PARCELS = [
    ("BC－CB2026001", "巴楚镇城北地块", "住宅用地", "0701", "1.0000", SQUARE),
    ("BC-CB2026002", "工业园区带洞地块", "工矿仓储及物流用地", "0601", "3.7500", HOLED),
    ("BC-CB2026003", "迎宾路两块地", "商服用地", "05", "1.0000", MULTI),
]


def attributes(code: str, name: str, use: str, land_code: str, ha: str) -> dict:
    return {"地块编号": code, "地块名称": name, "用途": use, "地类编码": land_code, "面积(公顷)": ha}


def rings_as_written(geometry) -> list[list[tuple[float, float]]]:
    """Each part's shell then its holes, as closed coordinate lists."""
    rings = []
    for polygon in shapely.get_parts(geometry):
        rings.append([tuple(map(float, c)) for c in polygon.exterior.coords])
        rings.extend([tuple(map(float, c)) for c in hole.coords] for hole in polygon.interiors)
    return rings


def boundary_text(
    parcels=PARCELS, *, prefixed: bool = True, closed: bool = True, swap: bool = False, zone: int | None = 26
) -> str:
    """A 界址点坐标交换格式 file written by hand: X = northing, Y = easting (prefixed with 26 if asked)."""
    lines = [
        "[属性描述]",
        "格式版本号=1.01版本",
        "数据产生单位=巴楚县自然资源局",
        "坐标系=2000国家大地坐标系",
        "几度分带=3",
        "投影类型=高斯克吕格",
        "计量单位=米",
    ]
    lines += [f"带号={zone}"] if zone else []
    lines += ["精度=0.001", "[地块坐标]"]
    for code, name, use, land_code, ha, geometry in parcels:
        points = []
        for number, ring in enumerate(rings_as_written(geometry), start=1):
            ring = ring if closed else ring[:-1]
            for k, (x, y) in enumerate(ring, start=1):
                east = x + PREFIX if prefixed else x
                first, second = (east, y) if swap else (y, east)
                points.append(f"J{k},{number},{first:.3f},{second:.3f}")
        lines.append(f"{len(points)},{ha},{code},{name},面,,{use},{land_code},@")
        lines.extend(points)
    return "\n".join(lines) + "\n"


def write_boundary_file(path: Path, encoding: str = "gbk", **kwargs) -> Path:
    path.write_bytes(boundary_text(**kwargs).encode(encoding))
    return path


def dxf_bytes(
    polygons: list[tuple[object, list[tuple[float, float, str]]]], codepage: str = "ANSI_936"
) -> bytes:
    """A minimal DXF (R12 header + ENTITIES): closed LWPOLYLINEs and TEXTs, GBK-encoded."""
    out = [
        "0",
        "SECTION",
        "2",
        "HEADER",
        "9",
        "$DWGCODEPAGE",
        "3",
        codepage,
        "0",
        "ENDSEC",
        "0",
        "SECTION",
        "2",
        "ENTITIES",
    ]
    for geometry, texts in polygons:
        coords = list(geometry.exterior.coords)[:-1]
        out += ["0", "LWPOLYLINE", "8", "地块", "90", str(len(coords)), "70", "1"]
        for x, y in coords:
            out += ["10", f"{x:.3f}", "20", f"{y:.3f}"]
        for x, y, text in texts:
            out += ["0", "TEXT", "8", "注记", "10", f"{x:.3f}", "20", f"{y:.3f}", "40", "2.5", "1", text]
    out += ["0", "ENDSEC", "0", "EOF"]
    return ("\n".join(out) + "\n").encode("gbk")


def add_plan_parcels(engine, parcels: list[tuple[str, str]]) -> None:
    """Store a minimal plan listing ``(code as written, area text)`` parcels, as the plan importer would."""
    from landreserve.importers.normalise import normalise_code
    from landreserve.storage.db import transaction
    from landreserve.storage.plan_tables import PlanParcelRow, PlanRow, PlanVersionRow

    with transaction(engine) as session:
        plan = PlanRow(plan_key="巴楚县/2026/annual", kind="annual_reserve", created_at=datetime(2026, 1, 1))
        version = PlanVersionRow(
            plan=plan,
            version=1,
            content_sha256="0" * 64,
            source_name="plan.txt",
            created_at=datetime(2026, 1, 1),
        )
        session.add(version)
        session.flush()
        for seq, (code, area) in enumerate(parcels, start=1):
            session.add(
                PlanParcelRow(
                    version_id=version.id,
                    seq=seq,
                    code=normalise_code(code),
                    code_as_written=code,
                    area_m2=Decimal(area.removesuffix("公顷")) * 10000,
                    area_text=area,
                    line=seq,
                    text=code,
                )
            )


def write_geojson(path: Path, shapes: dict[str, object], crs: str | None = None) -> Path:
    """A GeoJSON file of ``{code: geometry}`` (coordinates as given, code in ``地块编号``), written by hand;
    ``crs`` (e.g. ``"urn:ogc:def:crs:EPSG::4514"``) adds the old-style ``crs`` member that QGIS still writes."""
    document: dict = {"type": "FeatureCollection"}
    if crs:
        document["crs"] = {"type": "name", "properties": {"name": crs}}
    document["features"] = [
        {"type": "Feature", "properties": {"地块编号": code}, "geometry": shapely.geometry.mapping(shape)}
        for code, shape in shapes.items()
    ]
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path
