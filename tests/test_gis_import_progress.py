"""``geo import`` reports its steps (reading, checking, writing, saving) for the progress bars: counted,
not timed; and the command line draws nothing off a terminal or with --json."""

from __future__ import annotations

import json

import pytest
import shapely
from tests.gis_samples import E0, N0, write_geojson
from typer.testing import CliRunner

from landreserve.cli import app
from landreserve.errors import RuleViolation
from landreserve.gis.progress import counted
from landreserve.services import geometry as service

N = 250


def _many(tmp_path, n: int = N):
    shapes = {
        f"BC-CB2026{i:03d}": shapely.box(E0 + 200 * i, N0, E0 + 200 * i + 100, N0 + 100) for i in range(n)
    }
    return write_geojson(tmp_path / "多个地块.geojson", shapes, crs="urn:ogc:def:crs:EPSG::4535")


def _by_step(calls):
    steps: dict[str, list[tuple[int, int | None]]] = {}
    for description, done, total in calls:
        steps.setdefault(description, []).append((done, total))
    return steps


def test_counted_reports_start_about_a_hundred_updates_and_end():
    calls = []
    items = list(range(1_000))
    assert list(counted(lambda *a: calls.append(a), "步骤", items)) == items
    done = [d for _, d, _ in calls]
    assert done[0] == 0 and done[-1] == 1_000 and done == sorted(done)
    assert len(calls) == 1 + 99 + 1  # every 10th item but the last, then the end
    assert list(counted(lambda *a: calls.append(a), "空", [])) == []
    assert calls[-2:] == [("空", 0, 0), ("空", 0, 0)]


def test_an_import_reports_each_step_from_start_to_end(ctx, tmp_path):
    calls = []
    report = service.import_boundaries(ctx, _many(tmp_path), progress=lambda *a: calls.append(a))
    assert len(report.imported) == N
    steps = _by_step(calls)
    assert list(steps) == [
        "读取边界文件 多个地块.geojson",
        "检查 多个地块.geojson 的边界图形",
        f"写入 多个地块.geojson 的 {N} 个地块边界",
        "保存 多个地块.geojson 的地块边界到数据库",
    ]
    reading, checking, writing, saving = steps.values()
    assert reading == saving == [(0, 1), (1, 1)]
    for counts in (checking, writing):
        assert counts[0] == (0, N) and counts[-1] == (N, N)
        assert [d for d, _ in counts] == list(range(0, N, N // 100)) + [N]  # every 2nd parcel: 126 reports


def test_a_refused_import_never_reports_the_saving(ctx, tmp_path):
    path = _many(tmp_path, 3)
    text = path.read_text(encoding="utf-8").replace("BC-CB2026001", "BC-CB2026000")  # a duplicate code
    path.write_text(text, encoding="utf-8")
    calls = []
    with pytest.raises(RuleViolation, match="重复"):
        service.import_boundaries(ctx, path, progress=lambda *a: calls.append(a))
    steps = _by_step(calls)
    assert "读取边界文件 多个地块.geojson" in steps and not any(s.startswith("保存") for s in steps)


def test_the_command_draws_no_bar_off_a_terminal_or_with_json(engine, tmp_path):
    url = engine.url.render_as_string(hide_password=False)
    runner = CliRunner(env={"LANDRESERVE_DATABASE_URL": url, "LANDRESERVE_USER": "王五", "COLUMNS": "200"})
    path = _many(tmp_path, 5)
    as_json = runner.invoke(app, ["geo", "import", str(path), "--json"])
    assert as_json.exit_code == 0, as_json.output
    assert len(json.loads(as_json.stdout)["imported"]) == 5 and as_json.stderr == ""
    plain = runner.invoke(app, ["geo", "import", str(path)])
    assert (
        plain.exit_code == 0 and "读取边界文件" not in plain.output and "已导入 0 个地块边界" in plain.output
    )
