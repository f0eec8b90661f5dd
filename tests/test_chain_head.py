"""The history chain's head printed in every report (plan, parcel list, annual, disclosure) and on the public
page: the printed ``SEQ:HASH`` is the log's head when the report was made, and ``verify-log --anchor`` accepts
it — also after later writes — and refuses it once the log no longer holds that entry."""

from __future__ import annotations

import csv
import io
import json
import re

import openpyxl
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from landreserve.cli import app
from landreserve.domain.actors import Actor
from landreserve.reports.annual_text import annual_document
from landreserve.reports.plan_text import plan_document
from landreserve.services import demo, history, reports
from landreserve.services.context import Context

ANCHOR = re.compile(r"verify-log --anchor (\d+):([0-9a-f]{64})")


@pytest.fixture
def published(engine, bachu_plan_path):
    ctx = Context(engine=engine, actor=Actor("测试", "reserve_center"))
    result = demo.setup(ctx, bachu_plan_path)
    return ctx, result.plan_id


def anchors_in(content: str) -> set[tuple[int, str]]:
    return {(int(seq), digest) for seq, digest in ANCHOR.findall(content)}


def printed_heads(ctx, plan_id) -> dict[str, set[tuple[int, str]]]:
    """The anchors each report prints, by report and format."""
    plan_text = "\n".join(plan_document(reports.plan_document(ctx, plan_id)).text_lines())
    annual_text = "\n".join(annual_document(reports.annual(ctx, plan_id, 2026)).text_lines())
    sheet = openpyxl.load_workbook(io.BytesIO(reports.render(ctx, "parcels", plan_id, "xlsx").data)).active
    cells = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    found = {
        "plan": anchors_in(plan_text),
        "annual": anchors_in(annual_text),
        "parcels.xlsx": anchors_in(cells),
    }
    for report in ("parcels", "disclosure"):
        head = json.loads(reports.render(ctx, report, plan_id, "json").data)["history_head"]
        found[f"{report}.json"] = {(head["seq"], head["hash"])}
        rows = list(
            csv.reader(io.StringIO(reports.render(ctx, report, plan_id, "csv").data.decode("utf-8-sig")))
        )
        assert rows[-2] == [] and len(rows[-1]) == 1  # after the parcels, an empty row, then the head
        found[f"{report}.csv"] = anchors_in(rows[-1][0])
    disclosure = reports.disclosure(ctx, plan_id)
    from landreserve.reports.disclosure_text import disclosure_document  # noqa: PLC0415

    found["disclosure.pdf"] = anchors_in("\n".join(disclosure_document(disclosure).text_lines()))
    return found


def test_every_report_prints_the_head_verify_log_accepts(published):
    ctx, plan_id = published
    seq, digest, _at = history.head(ctx)
    found = printed_heads(ctx, plan_id)
    assert found == {name: {(seq, digest)} for name in found}
    assert history.verify(ctx, (seq, digest)).ok


def test_a_printed_head_still_verifies_after_later_writes_and_not_once_rewritten(published):
    ctx, plan_id = published
    printed = next(iter(printed_heads(ctx, plan_id)["plan"]))
    reports_ctx = Context(engine=ctx.engine, actor=Actor("李四", "reserve_center"))
    from landreserve.services import register  # noqa: PLC0415

    register.update_parcel(reports_ctx, "BC-CB2026003", {"condition": "闲置"})
    assert history.head(ctx)[0] > printed[0]
    assert history.verify(ctx, printed).ok
    assert not history.verify(ctx, (printed[0], "0" * 64)).ok


def test_an_empty_log_prints_no_head(engine):
    ctx = Context(engine=engine, actor=None)
    with engine.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM history_entries")).scalar() == 0
    assert reports.chain_head(None) is None and history.head(ctx) is None


def _verify_log(ctx, monkeypatch, anchor: str):
    monkeypatch.setenv("LANDRESERVE_DATABASE_URL", ctx.engine.url.render_as_string(hide_password=False))
    return CliRunner().invoke(app, ["verify-log", "--anchor", anchor])


def test_the_csv_exports_print_the_head_verify_log_accepts(published, monkeypatch):
    ctx, plan_id = published
    found = printed_heads(ctx, plan_id)
    [anchor] = found["disclosure.csv"] | found["parcels.csv"]
    accepted = _verify_log(ctx, monkeypatch, f"{anchor[0]}:{anchor[1]}")
    assert accepted.exit_code == 0 and "外部保存" not in accepted.output, accepted.output
    refused = _verify_log(ctx, monkeypatch, f"{anchor[0]}:{'0' * 64}")
    assert refused.exit_code == 1 and "外部保存" in refused.output


def test_the_public_api_gives_the_head_verify_log_accepts(demo_web, monkeypatch):
    plans = demo_web.client().get("/api/v1/public/plans").json()
    assert plans and len({json.dumps(p["history_head"]) for p in plans}) == 1
    head = plans[0]["history_head"]
    seq, digest, _at = history.head(demo_web.ctx)
    assert (head["seq"], head["hash"], head["anchor"]) == (seq, digest, f"{seq}:{digest}")
    accepted = _verify_log(demo_web.ctx, monkeypatch, head["anchor"])
    assert accepted.exit_code == 0, accepted.output
