"""Progress bars: drawn on a terminal for steps that run long, never when standard error is not a
terminal or the command answers in --json (no timing: the delay is 0 or an hour)."""

from __future__ import annotations

import io

from rich.console import Console

from landreserve.cli.progress import DelayedBars


def _console(terminal: bool) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=terminal, width=100), out


def _run(bars: DelayedBars) -> None:
    bars("检查图层 农田.gpkg", 0, 3)
    for done in (1, 2, 3):
        bars("检查图层 农田.gpkg", done, 3)
    bars.close()


def test_a_long_step_draws_its_bar_on_a_terminal():
    console, out = _console(terminal=True)
    _run(DelayedBars(console, delay=0))
    text = out.getvalue()
    assert "检查图层 农田.gpkg" in text and "3/3" in text


def test_nothing_is_drawn_when_standard_error_is_not_a_terminal():
    console, out = _console(terminal=False)
    bars = DelayedBars(console, delay=0)
    assert bars.quiet
    _run(bars)
    assert out.getvalue() == ""


def test_nothing_is_drawn_in_json_mode_even_on_a_terminal():
    console, out = _console(terminal=True)
    _run(DelayedBars(console, delay=0, quiet=True))
    assert out.getvalue() == ""


def test_a_step_over_before_its_delay_draws_nothing():
    console, out = _console(terminal=True)
    bars = DelayedBars(console, delay=3600)
    _run(bars)
    bars("建立空间索引", 5, 5)  # a step that ends at its first report
    bars.close()
    assert out.getvalue() == ""


def test_a_step_that_reports_only_its_start_and_end_is_shown_while_it_runs():
    """One long operation (GDAL counting a GeoJSON's features) reports 0 then 1: the bar is up in between."""
    console, out = _console(terminal=True)
    bars = DelayedBars(console, delay=0)
    bars("读取图层 农田.geojson 的要素数和坐标系", 0, 1)
    assert "读取图层" in "".join(str(t.description) for t in bars._bars.tasks)  # shown, not yet finished
    bars("读取图层 农田.geojson 的要素数和坐标系", 1, 1)
    bars.close()
    assert "1/1" in out.getvalue()
