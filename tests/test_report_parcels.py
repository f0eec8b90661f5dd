"""The parcel list attachment (储备地块清单) as Excel: one row per parcel, Chinese headers, totals that are
formulas and compute the stated totals (evaluated independently with the ``formulas`` package), a sheet per
zone, printable set-up, and the same bytes for the same data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import formulas
import openpyxl
import pytest

from landreserve.domain.reports.parcel_list import COLUMNS
from landreserve.reports.excel import MAIN, SUMMARY, xlsx_bytes
from landreserve.services import reports
from landreserve.services.context import Context
from report_samples import bachu_stored


@pytest.fixture
def workbook(engine, bachu_plan_path, actor, tmp_path):
    ctx = Context(engine=engine, actor=actor)
    plan_id = bachu_stored(ctx, bachu_plan_path)
    listing = reports.parcel_list(ctx, plan_id)
    path = tmp_path / "清单.xlsx"
    path.write_bytes(xlsx_bytes(listing, date(2026, 2, 1)))
    return ctx, plan_id, listing, path


def _computed(path) -> dict[str, object]:
    """Every cell's value as the formulas engine computes it: ``"sheet!A1"`` → value."""
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    out = {}
    for key, value in solution.items():
        if "!" not in key or ":" in key:
            continue
        sheet, cell = key.split("]", 1)[1].rsplit("!", 1)
        out[f"{sheet.strip(chr(39)).upper()}!{cell}"] = value.value[0][0]
    return out


def test_rows_headers_and_formulas(workbook):
    _, _, listing, path = workbook
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [MAIN, SUMMARY, "工业园区", "巴楚镇"]
    ws = wb[MAIN]
    assert [c.value for c in ws[3]] == list(COLUMNS.values())
    assert ws["B4"].value == "BC-CB2026001" and ws["D4"].value == pytest.approx(4.0254)
    assert ws["J4"].value == "拟收储"
    assert ws.max_row == 3 + 13 + 1 + 2  # the history chain's head two rows below the total
    assert ws["A19"].value.startswith("本报告生成时历史记录链头") and "verify-log --anchor" in ws["A19"].value
    assert ws["D17"].value == "=SUM(D4:D16)" and ws["E17"].value == "=SUM(E4:E16)"
    assert ws.print_title_rows == "$3:$3" and ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and "&P" in ws.oddFooter.center.text


def test_formulas_compute_the_stated_totals(workbook):
    _, _, listing, path = workbook
    values = _computed(path)
    assert values[f"{MAIN}!B17".upper()] == 13
    assert Decimal(str(values[f"{MAIN}!D17".upper()])).quantize(Decimal("0.0001")) == Decimal("47.5751")
    assert Decimal(str(values[f"{MAIN}!E17".upper()])).quantize(Decimal("0.01")) == Decimal("713.63")
    wb = openpyxl.load_workbook(path)
    summary = {
        (row[0].value, row[1].value): row[0].row for row in wb[SUMMARY].iter_rows(min_row=4) if row[0].value
    }
    by = lambda label, name, col: values[f"{SUMMARY}!{col}{summary[(label, name)]}".upper()]  # noqa: E731
    expected = {p.name: p for p in reports.plan_document(workbook[0], workbook[1]).by_use}
    for name, part in expected.items():
        assert by("用途", name, "C") == part.count
        assert round(by("用途", name, "D"), 4) == pytest.approx(float(part.area.m2 / 10000))
    assert round(by("区域", "工业园区", "D"), 4) == pytest.approx(8.0508)
    assert round(by("存量/新增", "存量", "E"), 4) == pytest.approx(float(Decimal("395243") * 15 / 10000))
    assert by("合计", "全部地块", "C") == 13
    shares = sum(by("用途", n, "F") for n in expected)
    assert shares == pytest.approx(100.0)
    zone_sheet = values["工业园区!D6"]
    assert zone_sheet == pytest.approx(8.0508)


def test_same_data_same_bytes(workbook):
    ctx, plan_id, listing, path = workbook
    again = xlsx_bytes(reports.parcel_list(ctx, plan_id), date(2026, 2, 1))
    assert again == path.read_bytes()
