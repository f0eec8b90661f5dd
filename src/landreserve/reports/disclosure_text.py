"""The disclosure package as a document (PDF), and as CSV, JSON and GeoJSON files."""

from __future__ import annotations

import csv
import io
import json

from ..domain.reports.disclosure import PUBLIC_FIELDS, Disclosure
from ..domain.reports.rounding import money_text
from .blocks import Document, Heading, Paragraph, Table, Title, head_paragraphs, rows_or_lines

NOTICE = "本材料为依法公开的土地储备计划信息，不含地块资金、权利人、证明材料和工作人员信息。"


def _indicators(d: Disclosure) -> Table:
    p = d.plan
    rows = [("储备规模", f"{p.count}宗", str(p.total.ha), str(p.total.mu), "100.00")]
    if p.stock is not None:
        rows.append(("　其中：存量土地", "", str(p.stock.ha), str(p.stock.mu), ""))
    if p.new is not None:
        rows.append(("　　　　新增土地", "", str(p.new.ha), str(p.new.mu), ""))
    rows += [
        (f"用途：{u.name}", f"{u.count}宗", str(u.area.ha), str(u.area.mu), str(u.share)) for u in p.by_use
    ]
    rows += [
        (f"区域：{z.name}", f"{z.count}宗", str(z.area.ha), str(z.area.mu), str(z.share)) for z in p.by_zone
    ]
    return Table("表1 计划指标", ("指标", "宗数", "面积（公顷）", "面积（亩）", "占比（%）"), tuple(rows),
                 numeric=(1, 2, 3, 4))  # fmt: skip


def _parcels(d: Disclosure) -> list:
    rows = tuple(
        (str(i), x.code, x.location, f"{x.ha:.4f}", f"{x.mu:.2f}", x.land_use, x.zone, x.stock, x.state)
        for i, x in enumerate(d.parcels, start=1)
    )
    return rows_or_lines(
        Table("表2 储备地块", ("序号", *PUBLIC_FIELDS.values()), rows, numeric=(0, 3, 4), nowrap=(1, 3, 4))
    )


def disclosure_document(d: Disclosure) -> Document:
    m = d.plan.meta
    approval = f"经{m.approving_body}批准（{m.approval_no}）" if m.approval_no else "尚未批准"
    published = f"，{d.published_on.isoformat()}公开" if d.published_on else ""
    blocks = [
        Title(f"{m.title}（公开信息）", (f"第{m.version}版，{approval}{published}",)),
        Paragraph(NOTICE),
        Heading("一、计划指标"),
        _indicators(d),
    ]
    if d.plan.funds is not None:
        blocks.append(Paragraph(f"年度资金使用规模：{money_text(d.plan.funds)}。"))
    blocks += [Heading("二、储备地块"), *_parcels(d), *head_paragraphs(m.head)]
    return Document(f"{m.title}（公开信息）", tuple(blocks), footer=f"{m.title}（公开信息）")


def csv_text(d: Disclosure) -> str:
    """The public parcel rows as CSV (UTF-8 with BOM, so Excel opens the Chinese headers), then an empty row
    and the history chain's head (``verify-log --anchor``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(PUBLIC_FIELDS.values())
    for x in d.parcels:
        writer.writerow(
            f"{v:.4f}" if k == "ha" else f"{v:.2f}" if k == "mu" else v for k, v in x.as_dict().items()
        )
    if d.plan.meta.head:  # at the end, after an empty row, as the other formats print it
        writer.writerows([[], [d.plan.meta.head.text]])
    return "\ufeff" + out.getvalue()


def json_text(d: Disclosure) -> str:
    return json.dumps(d.as_json(), ensure_ascii=False, indent=2) + "\n"
