"""The plan document regenerated from the stored Bachu plan reads back through the importer as the same
plan: figures, parcels and findings (the two duplicates as published; none once they are withdrawn)."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from decimal import Decimal

import pytest

from landreserve.domain.plans import TotalKind
from landreserve.reports.pdf import pdf_bytes
from landreserve.reports.plan_text import plan_document
from landreserve.reports.word import docx_bytes
from landreserve.services import reports
from landreserve.services.context import Context
from landreserve.services.plan_audit import audit_file
from report_samples import DUPLICATES, bachu_narrative, bachu_stored, withdraw_duplicates


def _stated(report) -> dict:
    """What the generated document must state, from the report model (strings as printed)."""
    return {
        "total": (str(report.total.ha), str(report.total.mu)),
        "stock": (str(report.stock.ha), str(report.stock.mu)),
        "by_use": {p.name: (str(p.area.ha), str(p.share)) for p in report.by_use},
        "by_zone": {p.name: str(p.area.ha) for p in report.by_zone},
        "parcels": [(p.code, p.location, str(p.ha)) for p in report.parcels],
        "funds": report.funds,
    }


def _read(doc) -> dict:
    """The same, as the importer reads the generated document."""
    scale = doc.total(TotalKind.RESERVE)
    stock = doc.total(TotalKind.STOCK)
    funds = doc.total(TotalKind.FUNDS)
    uses = next(b for b in doc.breakdowns if b.dimension.value == "use")
    zones = next(b for b in doc.breakdowns if b.dimension.value == "zone")
    pair = lambda m: tuple(f.value for f in m.figures)  # noqa: E731
    return {
        "total": pair(scale.measure),
        "stock": pair(stock.measure),
        "by_use": {i.name: (i.area.primary.value, i.share.value) for i in uses.items},
        "by_zone": {i.name: i.area.primary.value for i in zones.items},
        "parcels": [(p.code, p.location, p.area.primary.value) for p in doc.parcels],
        "funds": funds.measure.primary.base_value,
    }


def _findings(report) -> list[tuple]:
    return sorted(
        (f.code, f.severity.value, tuple(sorted(v for k, v in f.values.items() if k.endswith("code"))))
        for f in report.findings
    )


@pytest.fixture
def stored(engine, bachu_plan_path, actor):
    ctx = Context(engine=engine, actor=actor)
    return ctx, bachu_stored(ctx, bachu_plan_path)


def test_bachu_figures_are_rounded_consistently(stored, bachu_plan_path):
    ctx, plan_id = stored
    report = reports.plan_document(ctx, plan_id, narrative=bachu_narrative(bachu_plan_path))
    assert (report.total.m2, report.total.ha, report.total.mu) == (
        Decimal("475751"),
        Decimal("47.58"),
        Decimal("713.63"),
    )
    assert sum(p.area.ha for p in report.by_use) == report.total.ha == sum(p.area.ha for p in report.by_zone)
    assert sum(p.share for p in report.by_use) == Decimal("100.00")
    assert report.stock.ha + report.new.ha == report.total.ha
    # 商服 7.9237 ha has the largest remainder: it takes the unit the floors leave over (31.60 + 8.05 + 7.93)
    assert {p.name: p.area.ha for p in report.by_use} == {
        "住宅用地": Decimal("31.60"), "工矿仓储用地": Decimal("8.05"), "商服用地": Decimal("7.93"),
    }  # fmt: skip
    for a in [report.total, report.stock, report.new, *(p.area for p in report.by_use)]:
        assert abs(a.mu - a.ha * 15) <= Decimal("0.075") + Decimal("0.005")  # within either's rounding


@pytest.mark.parametrize("fmt", ["docx", "txt"])
def test_generated_plan_reads_back_as_published(stored, bachu_plan_path, tmp_path, fmt):
    ctx, plan_id = stored
    report = reports.plan_document(ctx, plan_id, narrative=bachu_narrative(bachu_plan_path))
    doc = plan_document(report)
    path = tmp_path / f"plan.{fmt}"
    if fmt == "docx":
        path.write_bytes(docx_bytes(doc, date(2026, 2, 1)))
    else:
        path.write_text("\n".join(doc.text_lines()), encoding="utf-8")
    back = audit_file(path)
    assert _read(back.document) == _stated(report)
    assert _findings(back) == _findings(audit_file(bachu_plan_path))
    duplicates = [f for f in back.findings if f.code == "parcels.duplicate"]
    assert len(duplicates) == 2 and all(f.severity.value == "error" for f in duplicates)
    assert {p.code for p in back.document.parcels} >= set(DUPLICATES)


def test_adjusted_plan_reads_back_without_findings(stored, bachu_plan_path, tmp_path):
    ctx, plan_id = stored
    withdraw_duplicates(ctx, plan_id)
    report = reports.plan_document(ctx, plan_id, narrative=bachu_narrative(bachu_plan_path))
    assert report.meta.version == 2 and report.count == 11
    assert report.total.ha == Decimal("40.90")
    path = tmp_path / "plan-v2.docx"
    path.write_bytes(docx_bytes(plan_document(report), date(2026, 6, 18)))
    back = audit_file(path)
    assert back.findings == []
    assert _read(back.document) == _stated(report)


_START = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．]|附件)")


def _unwrap(text: str) -> list[str]:
    """pdftotext's lines joined back into paragraphs: a line continues the one before unless it starts a
    heading or an item, or the one before ends a sentence or is a heading; page footers dropped."""
    out: list[str] = []
    for line in (raw.strip() for raw in text.replace("\f", "\n").splitlines()):
        if not line or re.search(r"第\s*\d+\s*页\s*共\s*\d+\s*页", line):
            continue
        previous = out[-1] if out else ""
        heading = (
            bool(_START.match(previous)) and len(previous) < 20 and not re.search(r"[，。；：]", previous)
        )
        if (
            len(out) > 1
            and not heading
            and not _START.match(line)
            and not re.search(r"[。；：）]$", previous)
        ):
            out[-1] += line
        else:
            out.append(line)
    return out


def test_pdf_text_reads_back_with_the_same_findings(stored, bachu_plan_path, tmp_path):
    """pdftotext of the PDF (lines wrapped by the page joined back) audits like the published plan."""
    ctx, plan_id = stored
    report = reports.plan_document(ctx, plan_id, narrative=bachu_narrative(bachu_plan_path))
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(pdf_bytes(plan_document(report)))
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode()
    lines = _unwrap(text)
    assert "本年度计划储备土地47.58公顷（713.63亩），共13宗。" in "\n".join(lines)
    path = tmp_path / "plan-from-pdf.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    back = audit_file(path)
    assert _read(back.document) == _stated(report)
    assert _findings(back) == _findings(audit_file(bachu_plan_path))


def test_narrative_is_editable_text(bachu_plan_path):
    narrative = bachu_narrative(bachu_plan_path)
    assert narrative.get("guiding").startswith("以习近平新时代中国特色社会主义思想为指导")
    assert narrative.layout("工业园区").startswith("全部为工矿仓储用地")
    assert narrative.get("funds_source") == "全部为申请地方政府专项债券资金。"
    text = narrative.to_text(["巴楚镇", "工业园区"]).replace("坚守政策红线", "坚守耕地保护红线")
    edited = type(narrative).from_lines(text.splitlines())
    assert "坚守耕地保护红线" in edited.get("safeguards")
    assert {k: v for k, v in edited.texts.items() if k != "safeguards"} == {
        k: v for k, v in narrative.texts.items() if k != "safeguards"
    }
