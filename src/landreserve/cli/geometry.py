"""``landreserve geo …``: import parcel boundaries, check them, export them, show one parcel."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..domain.findings import Finding, Severity
from . import app
from .common import EXIT_RULE, console, context, handled, print_json
from .lazy import lazy

bars = lazy("landreserve.cli.progress")
constraints = lazy("landreserve.gis.constraints")
service = lazy("landreserve.services.geometry")
checks = lazy("landreserve.services.geometry_checks")
export = lazy("landreserve.services.geometry_export")
map_layers = lazy("landreserve.services.map_layers")

geo_app = typer.Typer(help="地块边界：导入、检查（面积、重叠、约束图层）、导出、查看。", no_args_is_help=True)
app.add_typer(geo_app, name="geo")

JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON（供其他工具读取），不输出表格")]
UserOpt = Annotated[str | None, typer.Option("--user", help="操作人姓名（默认取 LANDRESERVE_USER）")]
DeptOpt = Annotated[str | None, typer.Option("--department", help="操作人所在部门键，如 reserve_center")]
SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}


@geo_app.command("import")
def import_command(
    file: Annotated[
        Path,
        typer.Argument(help="边界文件：.shp、.gpkg、.geojson、.fgb、.dxf 或界址点 .txt", show_default=False),
    ],
    crs: Annotated[
        str | None, typer.Option("--crs", help="坐标系，如 EPSG:4535、EPSG:4514、EPSG:4490")
    ] = None,
    zone: Annotated[int | None, typer.Option("--zone", help="3度带带号（25–45），巴楚县为 26")] = None,
    code_field: Annotated[
        str | None, typer.Option("--code-field", help="存放地块编号的字段（DXF 可用 Text 或 Layer）")
    ] = None,
    repair: Annotated[
        bool, typer.Option("--repair", help="保留无效图形的自动修复结果（make_valid）")
    ] = False,
    region: Annotated[str | None, typer.Option("--region", help="地块须位于的范围：新疆")] = None,
    as_json: JsonOpt = False,
    user: UserOpt = None,
    department: DeptOpt = None,
) -> None:
    """导入地块边界（一个事务）：坐标系取自 --crs/--zone、文件声明或坐标本身，不作猜测；面积在3度带中计算。

    超过一秒的步骤（读取文件、检查图形、写入、保存）在终端上显示进度条；--json 或输出不是终端时不显示。

    退出码：0 已导入（可能有警告）；1 图形无效、编号重复等被拒绝（未写入任何数据）；2 文件或参数无法读取。
    """
    with handled(as_json), bars.progress_bars(quiet=as_json) as progress:
        report = service.import_boundaries(
            context(user, department),
            file,
            crs=crs,
            zone=zone,
            code_field=code_field,
            keep_repaired=repair,
            region=region,
            progress=progress,
        )
    if as_json:
        print_json(report.to_dict())
    else:
        _print_import(report)


def _print_import(report: service.ImportReport) -> None:
    console.print(
        f"坐标系：{report.crs.explanation}；存储于 EPSG:{report.zone.epsg}；编号字段：{report.code_field}"
    )
    for note in report.notes:
        console.print(f"[cyan]说明[/]：{note}", highlight=False)
    table = Table("地块编号", "版本", "计算面积(公顷)", "亩", "申报面积", "备注")
    for p in report.imported:
        note = "未变化" if p.unchanged else "已修复" if p.repaired else ""
        declared = f"{p.declared[0]}{p.declared[1]}" if p.declared else ""
        table.add_row(
            p.code_as_written, str(p.version), f"{p.area.ha:.4f}", f"{p.area.mu:.2f}", declared, note
        )
    console.print(table)
    _print_findings(report.findings)
    if report.parcels_without_geometry:
        console.print(f"[yellow]计划中尚无边界的地块[/]：{'、'.join(report.parcels_without_geometry)}")
    console.print(
        f"已导入 {sum(not p.unchanged for p in report.imported)} 个地块边界，未变化 "
        f"{sum(p.unchanged for p in report.imported)} 个，未匹配要素 {len(report.unmatched_features)} 个。"
    )


@geo_app.command("check")
def check_command(
    layer: Annotated[
        list[str] | None,
        typer.Option(
            "--layer",
            help="约束图层 文件:规则 或 文件:图层名:规则（文件有多个图层时），规则为 must_not_intersect（不得占用）"
            "或 must_lie_within（须位于其内）；可多次给出",
        ),
    ] = None,
    layer_crs: Annotated[
        str | None,
        typer.Option(
            "--layer-crs", help="图层文件没有坐标系时（如缺 .prj 的 Shapefile）所用的坐标系，如 EPSG:4535"
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """检查已导入的边界：面积与计划申报面积、重叠、疑似重复、约束图层（永久基本农田、生态保护红线、城镇开发边界）。

    退出码：0 无错误；1 有错误发现；2 参数或图层文件无法读取。
    """
    with handled(as_json), bars.progress_bars(quiet=as_json) as progress:
        layers = [checks.parse_layer_spec(spec, layer_crs) for spec in layer or []]
        report = checks.check_geometries(context(), layers, progress)
    if as_json:
        print_json(report.to_dict())
    else:
        _print_check(report)
    if any(f.severity is Severity.ERROR for f in report.findings):
        raise typer.Exit(EXIT_RULE)


def _print_check(report: checks.CheckReport) -> None:
    console.print(f"检查了 {report.parcels} 个地块（在 EPSG:{report.epsg} 中比较）。")
    if report.zone_note:
        console.print(f"[cyan]说明[/]：{report.zone_note}", highlight=False)
    if report.engine == "postgis" and report.layers:
        console.print(
            "[cyan]说明[/]：地块存放在 PostGIS 中，约束图层在数据库中以 SQL 检查。", highlight=False
        )
    for label, seconds in report.index_seconds.items():
        done = (
            "已一次性载入 PostGIS 并建立空间索引"
            if report.engine == "postgis"
            else "没有空间索引，已一次性建立并缓存"
        )
        console.print(
            f"[cyan]说明[/]：图层「{label}」{done}（用时 {seconds:.1f} 秒）；文件不变时以后的检查直接使用。",
            highlight=False,
        )
    if report.layers:
        table = Table("地块编号", "图层", "规则", "相交面积(㎡)", "占地块比例", "结论")
        for r in report.layers:
            verdict = "[bold red]违反[/]" if r.violates else "符合"
            table.add_row(
                r.code,
                r.layer,
                f"{constraints.RULE_TEXT[r.rule]}（{r.rule.value}）",
                f"{r.intersect_area_m2:.2f}",
                f"{r.share * 100:.2f}%",
                verdict,
            )
        console.print(table)
    _print_findings(report.findings)
    if not report.findings:
        console.print("[green]未发现问题。[/]")


@geo_app.command("index")
def index_command(
    file: Annotated[
        Path, typer.Argument(help="图层文件：.shp、.geojson、.fgb、.gpkg 等", show_default=False)
    ],
    layer: Annotated[str | None, typer.Option("--layer", help="文件有多个图层时的图层名")] = None,
) -> None:
    """预先为约束图层建立空间索引（一次性；文件改动后自动重建），之后的 geo check 只读取与地块相交的部分。

    自带 R-tree 的 GeoPackage 无需建立。索引保存在 LANDRESERVE_CACHE_DIR（默认 var/cache），可随时删除。
    """
    with handled(), bars.progress_bars() as progress:
        cached = checks.index_layer(file, layer, progress=progress)
    if cached is None:
        console.print(
            f"{file} 自带空间索引（GeoPackage R-tree），检查时直接使用，无需建立。", highlight=False
        )
        return
    what = (
        f"已建立（用时 {cached.built_seconds:.1f} 秒）"
        if cached.built_seconds is not None
        else "已存在且与文件一致"
    )
    console.print(
        f"图层「{cached.layer}」（{cached.features} 个要素）的空间索引{what}：{cached.path}", highlight=False
    )


@geo_app.command("export")
def export_command(
    fmt: Annotated[
        str, typer.Argument(help="格式：gpkg、geojson、shp 或 txt（界址点坐标交换格式）", show_default=False)
    ],
    out: Annotated[Path, typer.Argument(help="输出文件", show_default=False)],
    as_json: JsonOpt = False,
) -> None:
    """导出当前全部地块边界（Shapefile 为 GBK 编码、短字段名，对照表见 README）。

    输出文件没有扩展名时自动加上（如 储备地块 → 储备地块.gpkg）。地块分属不同3度带时统一换算到地块最多的带，并予以说明。
    """
    with handled(as_json):
        result = export.export_boundaries(context(), fmt, out)
    if as_json:
        print_json(result)
        return
    console.print(f"已导出 {result['count']} 个地块到 {result['path']}（EPSG:{result['epsg']}）。")
    if result["zone_note"]:
        console.print(f"[cyan]说明[/]：{result['zone_note']}", highlight=False)
    renamed = {k: v for k, v in result["fields"].items() if k != v}
    if renamed:
        console.print("字段对照：" + "，".join(f"{k} → {v}" for k, v in renamed.items()), highlight=False)


@geo_app.command("layer")
def layer_command(
    file: Annotated[
        Path, typer.Argument(help="图层文件：.shp、.gpkg、.geojson、.fgb 或 .dxf", show_default=False)
    ],
    name: Annotated[str, typer.Option("--name", help="图层名称，如 永久基本农田（同名图层被替换）")],
    rule: Annotated[
        str,
        typer.Option(
            "--rule", help="reference（参考）、must_not_intersect（不得占用）、must_lie_within（须位于其内）"
        ),
    ] = "reference",
    crs: Annotated[str | None, typer.Option("--crs", help="坐标系，如 EPSG:4523（文件未声明时）")] = None,
    as_json: JsonOpt = False,
    user: UserOpt = None,
    department: DeptOpt = None,
) -> None:
    """把约束图层导入“一张图”（换算为经纬度保存，网页上可开关显示）。同名图层整体替换，记入操作记录。"""
    with handled(as_json):
        view = map_layers.import_layer(context(user, department), file, name, rule, crs=crs)
    if as_json:
        print_json({"id": view.id, "name": view.name, "rule": view.rule, "features": view.feature_count})
        return
    console.print(
        f"已导入图层“{view.name}”（{view.rule_label}）：{view.feature_count} 个图斑。", highlight=False
    )


@geo_app.command("show")
def show_command(
    code: Annotated[str, typer.Argument(help="地块编号", show_default=False)], as_json: JsonOpt = False
) -> None:
    """查看一个地块的当前边界：面积、范围、中心经纬度和导入历史。"""
    with handled(as_json):
        detail = export.parcel_detail(context(), code)
    if as_json:
        print_json(detail)
        return
    console.print(
        f"[bold]{detail['code_as_written']}[/] {detail['name'] or ''}（第{detail['version']}版）",
        highlight=False,
    )
    console.print(
        f"面积：{detail['area_ha']} 公顷 = {detail['area_mu']} 亩 = {detail['area_m2']} ㎡；申报：{detail['declared_area'] or '无'}"
    )
    console.print(
        f"坐标系：EPSG:{detail['epsg']}；部件 {detail['parts']} 个，洞 {detail['holes']} 个；中心 {detail['centre_lonlat']}（经度，纬度）"
    )
    console.print(
        f"来源：{detail['source']}；{detail['crs_note']}"
        + ("；[yellow]图形经自动修复[/]" if detail["repaired"] else "")
    )
    table = Table("版本", "导入时间(UTC)", "导入人", "来源", "面积(㎡)", "被取代时间(UTC)")
    for h in detail["history"]:
        table.add_row(
            str(h["version"]),
            h["imported_at"],
            h["imported_by"],
            h["source"],
            h["area_m2"],
            h["superseded_at"] or "",
        )
    console.print(table)


def _print_findings(findings: list[Finding]) -> None:
    for f in findings:
        style = SEVERITY_STYLES[f.severity.value]
        console.print(f"[{style}]{SEVERITY_NAMES[f.severity.value]}[/] {f.message}", highlight=False)
