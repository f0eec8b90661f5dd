"""The plan document in the structure of the published Bachu plan: title, 指导思想, 制定原则, 重点储备范围,
计划指标 (scale, structure, layout, parcel list, funds), 保障措施 — every figure from ``PlanReport``."""

from __future__ import annotations

from ..domain.reports.plan_document import PlanReport
from ..domain.reports.rounding import money_text
from .blocks import Document, Heading, Paragraph, Title, head_paragraphs

CHINESE_NUMBERS = "一二三四五六七八九十"


def _scale(report: PlanReport) -> str:
    t = report.total
    text = f"本年度计划储备土地{t.ha}公顷（{t.mu}亩），共{report.count}宗。"
    if report.stock is not None:
        s = report.stock
        text += f"其中：存量土地{s.ha}公顷（{s.mu}亩）"
        if report.new is not None:
            text += f"，新增土地{report.new.ha}公顷（{report.new.mu}亩）"
        text += "。"
    return text


def _structure(report: PlanReport) -> str:
    items = [f"{p.name}{p.area.ha}公顷，占计划储备土地面积的{p.share}%" for p in report.by_use]
    return f"{report.meta.jurisdiction}土地储备总量中" + "；".join(items) + "。"


def _layout(report: PlanReport) -> list[Paragraph]:
    out = []
    for i, zone in enumerate(report.by_zone, start=1):
        text = report.narrative.layout(zone.name)
        out.append(Paragraph(f"{i}.{zone.name}（{zone.area.ha}公顷）" + (f"：{text}" if text else "。")))
    return out


def _parcels(report: PlanReport) -> list[Paragraph]:
    last = len(report.parcels)
    return [
        Paragraph(
            f"{p.serial}.地块编号：{p.code}，土地坐落：{p.location or '未注明'}，面积：{p.ha}公顷"
            + ("。" if p.serial == last else "；")
        )
        for p in report.parcels
    ]


def _funds(report: PlanReport) -> list[Paragraph]:
    n = report.narrative
    lines = []
    if report.funds is not None:
        source = n.get("funds_source")
        lines.append(f"资金总量：{money_text(report.funds)}" + (f"，{source}" if source else "。"))
    lines += [f"资金管理：{n.get('funds_management')}", f"支出方向：{n.get('funds_uses')}"]
    return [Paragraph(f"{i}.{text}") for i, text in enumerate(lines, start=1)]


def _approval(report: PlanReport) -> tuple[str, ...]:
    m = report.meta
    version = f"第{m.version}版"
    if m.approval_no:
        return (f"（{version}，{m.approving_body or ''}批准，批准文号：{m.approval_no}）",)
    return (f"（{version}，尚未批准）",)


def plan_document(report: PlanReport) -> Document:
    """The plan as a document; its text read back by the importer gives the same figures and parcels."""
    n = report.narrative
    blocks: list = [Title(report.meta.title, _approval(report))]
    blocks += [Paragraph(t) for t in n.paragraphs("preamble")]
    for number, key, title in (
        (0, "guiding", "指导思想"),
        (1, "principles", "制定原则"),
        (2, "scope", "重点储备范围"),
    ):
        blocks.append(Heading(f"{CHINESE_NUMBERS[number]}、{title}"))
        blocks += [Paragraph(t) for t in n.paragraphs(key)]
    blocks.append(Heading("四、计划指标"))
    sections = (
        ("年度储备规模", [Paragraph(_scale(report))]),
        ("年度土地储备结构", [Paragraph(_structure(report))]),
        ("储备地块空间布局", _layout(report)),
        ("储备地块明细", _parcels(report)),
        ("年度资金使用规模", _funds(report)),
    )
    for i, (title, paragraphs) in enumerate(sections):
        blocks.append(Heading(f"（{CHINESE_NUMBERS[i]}）{title}", level=2))
        blocks += paragraphs
    blocks.append(Heading("五、保障措施"))
    blocks += [Paragraph(t) for t in n.paragraphs("safeguards")]
    blocks += [Paragraph(t) for t in n.paragraphs("attachment")]
    blocks += head_paragraphs(report.meta.head)
    return Document(
        title=report.meta.title,
        blocks=tuple(blocks),
        footer=f"{report.meta.title}（第{report.meta.version}版）",
    )
