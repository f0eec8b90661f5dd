"""The parcel list (储备地块清单) as Excel (openpyxl): the list with its 合计 row as formulas, one sheet per
zone, and a summary sheet (汇总) whose figures by use, zone and stock/new are SUMIF/COUNTIF formulas over the
list; Chinese headers; A4 landscape, fitted to the page width, header row repeated, page numbers.
Reproducible: the same list gives the same bytes."""

from __future__ import annotations

import io
from copy import copy
from datetime import date, datetime

from ..domain.reports.parcel_list import COLUMNS, ListRow, ParcelList
from .archive import reproducible

MAIN = "储备地块清单"
SUMMARY = "汇总"
HEADER_ROW = 3
WIDTHS = {"serial": 6, "code": 18, "location": 44, "ha": 13, "mu": 13, "land_use": 16, "zone": 12,
          "source": 20, "stock": 10, "state": 14}  # fmt: skip
FORMATS = {"ha": "0.0000", "mu": "0.00"}
KEYS = list(COLUMNS)


def _letter(key: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(KEYS.index(key) + 1)


def _styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="555555")
    return {
        "title": Font(name="黑体", size=15, bold=True),
        "header": Font(name="黑体", size=10.5, bold=True),
        "body": Font(name="宋体", size=10.5),
        "bold": Font(name="宋体", size=10.5, bold=True),
        "fill": PatternFill("solid", fgColor="E8EDF3"),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "wrap": Alignment(vertical="center", wrap_text=True),
    }


def _print_setup(ws, last_row: int, columns: int) -> None:
    from openpyxl.utils import get_column_letter

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_area = f"A1:{get_column_letter(columns)}{last_row}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.freeze_panes = f"A{HEADER_ROW + 1}"


def _head(ws, title: str, subtitle: str, header: list[str], s) -> None:
    from openpyxl.utils import get_column_letter

    last = get_column_letter(len(header))
    ws.append([title])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font, ws["A1"].alignment = s["title"], s["center"]
    ws.row_dimensions[1].height = 28
    ws.append([subtitle])
    ws.merge_cells(f"A2:{last}2")
    ws["A2"].font = s["body"]
    ws.append(header)
    for cell in ws[HEADER_ROW]:
        cell.font, cell.fill, cell.border, cell.alignment = s["header"], s["fill"], s["border"], s["center"]


def _list_sheet(ws, title: str, subtitle: str, rows: tuple[ListRow, ...], s, note: str = "") -> None:
    _head(ws, title, subtitle, list(COLUMNS.values()), s)
    for key, width in WIDTHS.items():
        ws.column_dimensions[_letter(key)].width = width
    for row in rows:
        ws.append([row.value(k) for k in KEYS])
    first, last = HEADER_ROW + 1, HEADER_ROW + len(rows)
    total = last + 1
    ws.append(["合计", f"=COUNTA({_letter('code')}{first}:{_letter('code')}{last})"])
    for key in ("ha", "mu"):
        ws[f"{_letter(key)}{total}"] = f"=SUM({_letter(key)}{first}:{_letter(key)}{last})"
    body, bold = _prototypes(ws, first, s, False), _prototypes(ws, total, s, True)
    for row in ws.iter_rows(min_row=first, max_row=total):
        styles = bold if row[0].row == total else body
        for cell, style in zip(row, styles, strict=False):
            cell._style = copy(style)  # the style of the column's first cell: one copy, not four lookups
    ws[f"{_letter('code')}{total}"].number_format = '0"宗"'
    if note:  # the history chain's head, two rows below the total (outside every formula's range)
        ws.cell(total + 2, 1, note).font = s["body"]
    _print_setup(ws, total + 2 if note else total, len(KEYS))


def _prototypes(ws, row: int, s, bold: bool) -> list:
    """The styles of one row's cells (border, font, alignment, number format per column), to copy."""
    out = []
    for c, key in enumerate(KEYS, start=1):
        cell = ws.cell(row, c)
        cell.border, cell.font = s["border"], s["bold"] if bold else s["body"]
        cell.alignment = s["wrap"] if key == "location" else s["center"]
        if key in FORMATS:
            cell.number_format = FORMATS[key]
        out.append(copy(cell._style))
    return out


def _summary_sheet(ws, parcels: ParcelList, title: str, s) -> None:
    """Figures by use, zone and stock/new as formulas over the main sheet (so they follow any edit)."""
    n = len(parcels.rows)
    first, last = HEADER_ROW + 1, HEADER_ROW + n
    ref = lambda key: f"'{MAIN}'!${_letter(key)}${first}:${_letter(key)}${last}"  # noqa: E731
    _head(
        ws,
        title,
        "面积单位：公顷、亩；数据均由储备地块清单公式计算",
        ["分类", "名称", "宗数", "面积（公顷）", "面积（亩）", "占比（%）"],
        s,
    )
    for col, width in zip("ABCDEF", (12, 24, 10, 14, 14, 12), strict=True):
        ws.column_dimensions[col].width = width
    grand = f"'{MAIN}'!${_letter('ha')}${last + 1}"
    r = HEADER_ROW
    for label, key in (("用途", "land_use"), ("区域", "zone"), ("存量/新增", "stock"), ("状态", "state")):
        for name in parcels.groups(key):
            r += 1
            ws.append([label, name, f"=COUNTIF({ref(key)},B{r})", f"=SUMIF({ref(key)},B{r},{ref('ha')})",
                       f"=SUMIF({ref(key)},B{r},{ref('mu')})", f"=IF({grand}=0,0,D{r}/{grand}*100)"])  # fmt: skip
    r += 1
    ws.append(
        ["合计", "全部地块", f"=COUNTA({ref('code')})", f"=SUM({ref('ha')})", f"=SUM({ref('mu')})", "=100"]
    )
    for row in ws.iter_rows(min_row=HEADER_ROW + 1, max_row=r):
        for cell in row:
            cell.border, cell.alignment = s["border"], s["center"]
            cell.font = s["bold"] if cell.row == r else s["body"]
        row[3].number_format, row[4].number_format, row[5].number_format = "0.0000", "0.00", "0.00"
    _print_setup(ws, r, 6)


def _safe_title(name: str, used: set[str]) -> str:
    title = "".join("_" if c in "[]:*?/\\" else c for c in name)[:28] or "未注明"
    base, i = title, 2
    while title in used:
        title, i = f"{base[:25]}_{i}", i + 1
    used.add(title)
    return title


def xlsx_bytes(parcels: ParcelList, on: date) -> bytes:
    """The parcel list workbook as bytes, dated ``on``."""
    from openpyxl import Workbook

    s = _styles()
    meta = parcels.meta
    title = f"{meta.title} 储备地块清单"
    approval = f"批准文号：{meta.approval_no}" if meta.approval_no else "尚未批准"
    subtitle = f"第{meta.version}版（{meta.status}），{approval}；面积单位：公顷、亩"
    if not meta.version:  # a list of the register (version 0), not of a plan version
        subtitle = f"{meta.status}；导出日期 {on.isoformat()}；面积单位：公顷、亩"
    wb = Workbook()
    ws = wb.active
    ws.title = MAIN
    _list_sheet(ws, title, subtitle, parcels.rows, s, meta.head.text if meta.head else "")
    _summary_sheet(wb.create_sheet(SUMMARY), parcels, f"{meta.title} 储备地块汇总", s)
    used = {MAIN, SUMMARY}
    for zone, rows in parcels.groups("zone").items():
        _list_sheet(wb.create_sheet(_safe_title(zone, used)), f"{title}（{zone}）", subtitle, rows, s)
    stamp = datetime(on.year, on.month, on.day)
    wb.properties.creator = wb.properties.lastModifiedBy = "landreserve"
    wb.properties.title = title
    wb.properties.created = wb.properties.modified = stamp
    buffer = io.BytesIO()
    wb.save(buffer)
    return reproducible(buffer.getvalue(), on)
