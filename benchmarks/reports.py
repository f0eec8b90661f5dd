"""Benchmark: every report for a county of 10,000 parcels, beside peers doing the same work.

Set-up (not timed): the synthetic plan of ``benchmarks.plan_import`` (10,000 parcels, seeded) imported into a
fresh SQLite file, approved, registered with facts, 1 % of the parcels taken into the reserve, boundaries
(rectangles of the stated areas) imported, the version published, a bond and a project with payments.

Timed (best of ``--repeat``): each report in each format through ``services.reports.render`` — reading the
database included — and two peers on the same rows: ``pandas.DataFrame.to_excel`` (openpyxl engine) of the
parcel list against our workbook builder, and WeasyPrint from a minimal template (the same parcel lines, no
styles, no charts) against our plan PDF. Run: ``python -m benchmarks reports [-- --parcels 10000 --repeat 1]``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import tempfile
import time
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from .plan_import import USES, generate_plan

FORMATS = (
    ("plan", "docx"), ("plan", "pdf"), ("parcels", "xlsx"), ("parcels", "csv"), ("annual", "docx"),
    ("annual", "pdf"), ("disclosure", "pdf"), ("disclosure", "json"), ("disclosure", "geojson"),
)  # fmt: skip


def _facts(parcels: int, seed: int = 2026) -> dict[str, dict[str, str]]:
    """The facts of the synthetic plan's parcels, from the same seeded draws as ``generate_plan``."""
    rng = random.Random(seed)
    rows = [
        (rng.randrange(3_000, 60_000), rng.randrange(len(USES)), rng.random() < 0.8) for _ in range(parcels)
    ]
    return {
        f"SL-CB2027{i:05d}": {
            "land_use": USES[u][0],
            "zone": USES[u][1],
            "stock": "存量" if s else "新增",
            "source": "收购",
            "condition": "正常",
        }  # fmt: skip
        for i, (_, u, s) in enumerate(rows, start=1)
    }


def _boundaries(parcels: list[dict], folder: Path) -> Path:
    """Rectangles of each parcel's area on a grid near 78.5°E, 39.8°N (zone 26), as lon/lat GeoJSON."""
    from pyproj import Transformer

    to_lonlat = Transformer.from_crs(4535, 4490, always_xy=True)
    features = []
    for i, p in enumerate(parcels):
        x, y = 540_000 + (i % 100) * 300.0, 4_400_000 + (i // 100) * 300.0
        side = float(p["area_m2"]) ** 0.5
        ring = [
            (x, y),
            (x + side, y),
            (x + side, y + float(p["area_m2"]) / side),
            (x, y + float(p["area_m2"]) / side),
            (x, y),
        ]
        coordinates = [list(to_lonlat.transform(a, b)) for a, b in ring]
        features.append({"type": "Feature", "properties": {"地块编号": p["code"]},
                         "geometry": {"type": "Polygon", "coordinates": [coordinates]}})  # fmt: skip
    path = folder / "boundaries.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    return path


def set_up(folder: Path, parcels: int):
    """A county with ``parcels`` parcels in a fresh SQLite file; returns (ctx, plan id)."""
    from landreserve.domain.actors import Actor
    from landreserve.domain.evidence import Evidence, EvidenceKind
    from landreserve.domain.funds.bonds import BondTerms, InterestFrequency, Repayment
    from landreserve.domain.funds.ledger import Category
    from landreserve.domain.lifecycle import State
    from landreserve.services import (
        bonds,
        funds,
        geometry,
        ledger,
        plan_versions,
        plans,
        publication,
        register,
    )
    from landreserve.services.context import Context
    from landreserve.storage.db import make_engine
    from landreserve.storage.migrate import upgrade

    engine = make_engine(f"sqlite:///{folder / 'county.sqlite3'}")
    upgrade(engine)
    ctx = Context(engine=engine, actor=Actor("基准", "reserve_center"))
    as_ = lambda d: replace(ctx, actor=Actor("基准", d))  # noqa: E731
    generate_plan(folder / "plan.txt", parcels)
    imported = plans.import_plan(ctx, folder / "plan.txt")
    plan_versions.approve_version(
        as_("government"), imported.version_id, "示政函〔2027〕1号", date(2027, 1, 10), "示例县人民政府"
    )
    register.create_from_plan(ctx, imported.plan_id, _facts(parcels), on=date(2027, 1, 10))
    view = plans.get_plan(ctx, imported.plan_id)
    geometry.import_boundaries(as_("natural_resources"), _boundaries(view.parcels, folder))
    publication.publish(as_("natural_resources"), imported.version_id, date(2027, 1, 20), "公开")
    day = date(2027, 3, 1)
    kinds = (EvidenceKind.TITLE_CLEAR, EvidenceKind.NO_SEIZURE, EvidenceKind.NO_MORTGAGE, EvidenceKind.NO_GUARANTEE,
             EvidenceKind.COMPENSATION_SETTLED, EvidenceKind.REGISTRATION)  # fmt: skip
    evidence = [Evidence(k, f"{k.value}-1", day, "基准") for k in kinds]
    evidence += [
        Evidence(EvidenceKind.RISK_CHECK, f"风险-{r}", day, "基准", subject=r)
        for r in ctx.settings.risk_checks
    ]
    codes = [p["code"] for p in view.parcels]
    taken = codes[: max(1, parcels // 100)]
    for code in taken:
        register.transition(ctx, code, State.IN_RESERVE, evidence, on=day)
    finance = as_("finance")
    bond = BondTerms("SL-ZXZQ-2027-01", Decimal("100000000.00"), date(2027, 3, 15), 7, Decimal("3"),
                     Repayment.BULLET, InterestFrequency.YEARLY)  # fmt: skip
    bonds.add_bond(finance, bond, "转贷协议")
    funds.add_project(finance, "SL-XM-01", bond.code, imported.plan_id, taken, supply_year=2029)
    for use, _ in USES:
        funds.set_price(finance, "SL-XM-01", use, Decimal("1000"), "评估")
    ledger.allocate(finance, None, "SL-XM-01", Decimal("50000000.00"), "分配通知", on=date(2027, 3, 20))
    for code in taken[:20]:
        ledger.pay(
            finance,
            code,
            Category.COMPENSATION,
            Decimal("100000.00"),
            f"补偿协议-{code}",
            on=date(2027, 4, 1),
        )
    return ctx, imported.plan_id


def _best(work, repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def _pandas_excel(listing) -> bytes:
    import pandas as pd

    from landreserve.domain.reports.parcel_list import COLUMNS

    frame = pd.DataFrame(
        [[r.value(k) for k in COLUMNS] for r in listing.rows], columns=list(COLUMNS.values())
    )
    buffer = io.BytesIO()
    frame.to_excel(buffer, sheet_name="储备地块清单", index=False, engine="openpyxl")
    return buffer.getvalue()


def _minimal_pdf(report) -> bytes:
    from html import escape

    from weasyprint import HTML

    from landreserve.reports.plan_text import plan_document

    lines = plan_document(report).text_lines()
    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    return HTML(string=f"<html><meta charset=utf-8><body>{body}</body></html>").write_pdf()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks reports")
    parser.add_argument("--parcels", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    from landreserve.reports.excel import xlsx_bytes
    from landreserve.services import reports

    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        ctx, plan_id = set_up(Path(scratch), args.parcels)
        print(
            f"set-up（不计时）：{args.parcels:,} 宗地块，{time.perf_counter() - started:.1f} s；load {os.getloadavg()[0]:.2f}"
        )
        total = 0.0
        print(f"{'report':<12}{'format':<9}{'seconds':>9}{'bytes':>13}")
        for report, fmt in FORMATS:
            seconds, rendered = _best(lambda r=report, f=fmt: reports.render(ctx, r, plan_id, f), args.repeat)
            total += seconds
            print(f"{report:<12}{fmt:<9}{seconds:>9.2f}{len(rendered.data):>13,}", flush=True)
        print(f"all reports: {total:.2f} s")
        listing = reports.parcel_list(ctx, plan_id)
        ours, _ = _best(lambda: xlsx_bytes(listing, date(2027, 1, 10)), args.repeat)
        peer, _ = _best(lambda: _pandas_excel(listing), args.repeat)
        print(f"parcel list workbook: ours {ours:.2f} s (3 + zone sheets, formulas, styles, print set-up) vs "
              f"pandas.DataFrame.to_excel {peer:.2f} s (one plain sheet): ratio {ours / peer:.2f}")  # fmt: skip
        from landreserve.reports.output import plan_bytes

        model = reports.plan_document(ctx, plan_id)
        ours, _ = _best(lambda: plan_bytes(model, "pdf"), args.repeat)
        peer, _ = _best(lambda: _minimal_pdf(model), args.repeat)
        print(f"plan PDF: ours {ours:.2f} s (template, embedded fonts, page numbers) vs WeasyPrint minimal template "
              f"{peer:.2f} s: ratio {ours / peer:.2f}; load {os.getloadavg()[0]:.2f}")  # fmt: skip
    return 0
