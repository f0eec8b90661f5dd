"""The year-end execution report (年度执行情况报告) as a document: summary, tables of plan against reality
(total, by use, by zone, stock/new), the parcels and their states, the funds, coverage, adjustments and the
findings still open, with charts — every figure from ``AnnualReport``."""

from __future__ import annotations

from ..domain.reports.annual import AnnualReport, GroupTable, Money
from ..domain.reports.rounding import ratio_percent
from .blocks import (
    TABLE_ROWS,
    Chart,
    Document,
    Heading,
    Paragraph,
    Table,
    Title,
    head_paragraphs,
    rows_or_lines,
)

SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}


def _pct(value) -> str:
    return "—" if value is None else f"{value}"


def _summary(r: AnnualReport) -> str:
    m = {x.name: x for x in r.measures}
    p, a = m["planned"], m["acquired"]
    return (
        f"{r.year}年度计划储备土地{p.area.ha}公顷（{p.area.mu}亩），共{p.count}宗。全年实际入库{a.area.ha}公顷"
        f"（{a.area.mu}亩），{a.count}宗，完成计划的{_pct(a.rate)}%；年末在库{m['in_reserve'].area.ha}公顷，"
        f"{m['in_reserve'].count}宗；完成前期开发{m['developed'].area.ha}公顷，{m['developed'].count}宗；"
        f"供应出库{m['supplied'].area.ha}公顷，{m['supplied'].count}宗。"
    )


def _measures_table(r: AnnualReport) -> Table:
    rows = tuple(
        (
            x.label,
            str(x.count),
            str(x.area.ha),
            str(x.area.mu),
            _pct(x.rate) if x.rate is not None else "100.00",
        )
        for x in r.measures
    )
    return Table("表1 计划执行总表", ("指标", "宗数", "面积（公顷）", "面积（亩）", "占计划比例（%）"), rows,
                 numeric=(1, 2, 3, 4))  # fmt: skip


def _group_table(number: int, t: GroupTable, first: str) -> Table:
    header = (first, *(f"{c.label}（公顷）" for c in t.columns), "入库完成率（%）")
    rows = [(g, *(f"{c.cells[g].ha}" for c in t.columns), _pct(t.rates[g])) for g in t.groups]
    rate = _pct(ratio_percent(t.columns[1].total.m2, t.columns[0].total.m2))
    rows.append(("合计", *(f"{c.total.ha}" for c in t.columns), rate))
    return Table(f"表{number} 计划执行情况（{t.title}）", header, tuple(rows), total_rows=(len(rows) - 1,),
                 numeric=tuple(range(1, len(header))))  # fmt: skip


def _group_chart(number: int, t: GroupTable) -> Chart:
    series = tuple((c.label, tuple(float(c.cells[g].ha) for g in t.groups)) for c in t.columns if c.name in
                   ("planned", "acquired", "supplied"))  # fmt: skip
    return Chart(f"图{number} 计划与实际（{t.title}，公顷）", "grouped", t.groups, series, "公顷")


#: codes named in a sentence at most; more are counted (a paragraph of 10,000 codes is no reading, and
#: a PDF engine breaks such a paragraph into lines in quadratic time)
CODES_IN_TEXT = 30


def _codes(codes: tuple[str, ...]) -> str:
    if not codes:
        return "无"
    if len(codes) <= CODES_IN_TEXT:
        return "、".join(codes)
    return f"{'、'.join(codes[:CODES_IN_TEXT])}等{len(codes)}宗（全部见储备地块清单）"


def _states(r: AnnualReport) -> Table:
    rows = [(x.state, str(x.count), str(x.area.ha)) for x in r.by_state]
    total = sum((x.area.ha for x in r.by_state), type(r.measures[0].area.ha)(0))
    rows.append(("合计", str(sum(x.count for x in r.by_state)), f"{total:.2f}"))
    return Table("表5 储备地块年末状态", ("年末状态", "宗数", "面积（公顷）"), tuple(rows), total_rows=(len(rows) - 1,),
                 numeric=(1, 2))  # fmt: skip


def _parcels(r: AnnualReport) -> list:
    listed = r.parcels
    blocks: list = []
    if len(listed) > TABLE_ROWS:
        listed = tuple(p for p in r.parcels if p.moved_in(r.year) or not p.in_plan)
        blocks.append(Paragraph(
            f"本年度状态发生变化的地块和计划外地块共{len(listed)}宗，列于表6；其余{len(r.parcels) - len(listed)}宗"
            "地块的状态见储备地块清单（附件）。"
        ))  # fmt: skip
    rows = tuple(
        (
            str(i),
            p.code,
            p.location,
            str(p.ha),
            p.land_use,
            p.zone,
            p.stock,
            p.state,
            p.since.isoformat() if p.since else "—",
            "是" if p.in_plan else "否（计划外）",
        )  # fmt: skip
        for i, p in enumerate(listed, start=1)
    )
    header = (
        "序号",
        "地块编号",
        "土地坐落",
        "面积（公顷）",
        "用途",
        "区域",
        "存量/新增",
        "年末状态",
        "状态起始日期",
        "计划内",
    )
    table = Table("表6 储备地块及其状态", header, rows, numeric=(0, 3), nowrap=(1, 3, 6, 8))
    return blocks + rows_or_lines(table)


def _money_rows(items: tuple[Money, ...], prefix: str) -> list[tuple[str, str]]:
    return [(f"{prefix}{m.label}", f"{m.wan}") for m in items]


def _funds(r: AnnualReport) -> list:
    f = r.funds
    rows: list[tuple[str, str]] = []
    if f.stated is not None:
        rows.append(("计划资金总量", f"{f.stated.wan}"))
    rows += [
        ("年度筹集资金", f"{f.raised_total.wan}"),
        *_money_rows(f.raised, "　其中："),
        ("资金分配", f"{f.allocated.wan}"),
    ]
    rows += [("年度支出", f"{f.spent_total.wan}"), *_money_rows(f.spent, "　其中：")]
    rows += [(m.label, f"{m.wan}") for m in (f.income, f.topup, f.principal, f.interest)]
    text = (
        f"全年筹集土地储备资金{f.raised_total.wan}万元"
        + (f"，为计划资金总量{f.stated.wan}万元的{_pct(f.raised_rate)}%" if f.stated is not None else "")
        + f"；支出{f.spent_total.wan}万元；取得土地出让收入{f.income.wan}万元；偿还本金{f.principal.wan}万元，"
        f"支付利息{f.interest.wan}万元。"
    )
    blocks: list = [
        Paragraph(text),
        Table("表7 资金筹集与使用（万元）", ("项目", "金额（万元）"), tuple(rows), numeric=(1,)),
    ]
    if f.spent:
        blocks.append(Chart("图4 年度支出构成（万元）", "pie", tuple(m.label for m in f.spent),
                            (("支出", tuple(float(m.wan) for m in f.spent)),), "万元"))  # fmt: skip
    if r.coverage:
        rows = tuple(
            (
                c.project,
                f"{c.expected_income.wan}",
                f"{c.debt_service.wan}",
                _pct(c.ratio),
                f"{c.bound}",
                "低于要求" if c.below else "满足要求",
            )  # fmt: skip
            for c in r.coverage
        )
        header = ("项目", "预期收入（万元）", "本息合计（万元）", "本息覆盖倍数", "要求不低于", "结论")
        blocks.append(Table("表8 专项债券项目收益与融资平衡", header, rows, numeric=(1, 2, 3, 4)))
    return blocks


def _adjustments(r: AnnualReport) -> list:
    if not r.adjustments:
        return [Paragraph("本年度未调整计划。")]
    out = []
    for a in r.adjustments:
        what = []
        if a.removed:
            what.append(f"调出地块{_codes(a.removed)}")
        if a.added:
            what.append(f"调入地块{_codes(a.added)}")
        out.append(Paragraph(
            f"{a.approved_on.isoformat() if a.approved_on else ''}经批准（{a.approval_no}）调整计划为第{a.version}版："
            f"{'；'.join(what) or '地块属性变更'}，原因：{a.reason}。计划储备规模由{a.before.ha}公顷调整为{a.after.ha}公顷。"
        ))  # fmt: skip
    return out


def _findings(r: AnnualReport) -> list:
    if not r.findings:
        return [Paragraph("无尚未解决的问题。")]
    rows = tuple((f.source, SEVERITY.get(f.severity, f.severity), f.message) for f in r.findings)
    return [Table("表9 尚未解决的问题", ("来源", "级别", "说明"), rows)]


def annual_document(r: AnnualReport) -> Document:
    m = r.meta
    approval = f"批准文号：{m.approval_no}" if m.approval_no else "未批准"
    blocks: list = [
        Title(
            f"{m.jurisdiction}{r.year}年度土地储备计划执行情况报告",
            (f"（对照《{m.title}》第{m.version}版，{approval}；数据截至{r.year}年12月31日）",),
        ),  # fmt: skip
        Paragraph(f"根据《土地储备管理办法》和《{m.title}》，现将{r.year}年度土地储备计划执行情况报告如下。"),
        *(Paragraph(f"说明：{note}。") for note in r.notes),
        Heading("一、计划执行总体情况"),
        Paragraph(_summary(r)),
        _measures_table(r),
    ]
    names = {"by_use": ("二、按用途执行情况", "用途"), "by_zone": ("三、按区域执行情况", "区域"),
             "by_stock": ("四、存量与新增土地", "存量/新增")}  # fmt: skip
    for number, t in enumerate(r.tables, start=2):
        heading, first = names[t.dimension]
        blocks += [Heading(heading), _group_table(number, t, first)]
        if t.dimension != "by_stock":
            blocks.append(_group_chart(number - 1, t))
    blocks.append(Paragraph(
        f"计划储备土地中存量土地占{_pct(r.planned_stock_share)}%；实际入库土地中存量土地占{_pct(r.acquired_stock_share)}%，"
        f"闲置、低效用地占{_pct(r.acquired_idle_share)}%。"
    ))  # fmt: skip
    blocks += [Heading("五、储备地块及其状态"), _states(r), *_parcels(r)]
    blocks.append(Paragraph(
        f"计划外入库地块：{_codes(r.out_of_plan)}；计划内尚未入库地块：{_codes(r.not_acquired)}。"
    ))  # fmt: skip
    blocks += [Heading("六、资金筹集与使用"), *_funds(r)]
    blocks += [Heading("七、计划调整情况"), *_adjustments(r)]
    blocks += [Heading("八、尚未解决的问题"), *_findings(r)]
    blocks += [
        Paragraph(f"{m.jurisdiction}自然资源局", indent=False, align="right"),
        Paragraph(f"{r.year}年12月31日", indent=False, align="right"),
        *head_paragraphs(m.head),
    ]
    return Document(f"{m.jurisdiction}{r.year}年度土地储备计划执行情况报告", tuple(blocks),
                    footer=f"{m.jurisdiction}{r.year}年度土地储备计划执行情况报告")  # fmt: skip
