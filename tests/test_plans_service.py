"""Plan use cases on SQLite and PostgreSQL: import stores what the audit reads, once, atomically, by version."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from landreserve.domain.plans import PlanDocument, PlanKind
from landreserve.errors import ConflictError, InputError, NotFoundError
from landreserve.services import plan_rows
from landreserve.services import plans as service
from landreserve.storage import plan_tables
from landreserve.storage.bulk import row_count
from landreserve.storage.db import transaction
from landreserve.storage.plan_tables import PlanVersionRow

EMPTY = {"plans": 0, "plan_versions": 0, "plan_figures": 0, "plan_parcels": 0, "plan_findings": 0}


def row_counts(ctx) -> dict[str, int]:
    with transaction(ctx.engine) as session:
        return plan_tables.table_row_counts(session)


def changed_copy(source, tmp_path, name="bachu-2026-adjusted.txt"):
    """The Bachu plan with one figure changed (funds 0.75 → 0.80 亿元): a new version of the same plan."""
    text = source.read_text(encoding="utf-8")
    assert "0.75亿元" in text
    path = tmp_path / name
    path.write_text(text.replace("0.75亿元", "0.80亿元"), encoding="utf-8")
    return path


def test_import_stores_exactly_what_the_audit_reads(ctx, bachu_plan_path):
    expected = service.report_json(service.audit_file(bachu_plan_path))
    result = service.import_plan(ctx, bachu_plan_path)
    assert result.created and result.new_plan and result.version == 1
    view = service.get_plan(ctx, result.plan_id)
    assert view.plan_key == result.plan_key == "巴楚县|2026|annual_reserve"
    assert view.document == expected["document"]
    assert view.figures == expected["figures"]
    assert view.parcels == expected["parcels"]
    assert view.findings == expected["findings"]
    assert len(view.parcels) == 13
    counts = row_counts(ctx)
    # each parcel's area as listed is held by its parcel row (services.plan_rows), not stored twice
    with transaction(ctx.engine) as session:
        held = session.scalars(select(plan_tables.PlanParcelRow.area_figure_seq)).all()
    assert len(held) == 13 and None not in held
    assert {expected["figures"][seq]["label"] for seq in held} == {p["code"] for p in expected["parcels"]}
    assert counts["plan_figures"] == len(expected["figures"]) - 13
    assert counts["plan_findings"] == len(expected["findings"])


def test_stored_plan_can_be_found_by_key(ctx, bachu_plan_path):
    result = service.import_plan(ctx, bachu_plan_path)
    assert service.get_plan(ctx, result.plan_key).plan_id == result.plan_id


def test_importing_the_same_document_again_changes_nothing(ctx, bachu_plan_path):
    first = service.import_plan(ctx, bachu_plan_path)
    before = row_counts(ctx)
    again = service.import_plan(ctx, bachu_plan_path)
    assert not again.created and not again.new_plan
    assert (again.plan_id, again.version_id, again.version) == (first.plan_id, first.version_id, 1)
    assert row_counts(ctx) == before


def test_the_same_plan_as_gbk_text_is_recognised_as_the_same_document(ctx, bachu_plan_path, tmp_path):
    gbk = tmp_path / "巴楚县2026年土地储备计划-gbk.txt"
    gbk.write_bytes(bachu_plan_path.read_text(encoding="utf-8").encode("gbk"))
    first = service.import_plan(ctx, bachu_plan_path)
    before = row_counts(ctx)
    again = service.import_plan(ctx, gbk)
    assert not again.created and again.version_id == first.version_id
    assert row_counts(ctx) == before


def test_a_changed_document_becomes_version_2_and_version_1_stays_readable(ctx, bachu_plan_path, tmp_path):
    original = service.report_json(service.audit_file(bachu_plan_path))
    first = service.import_plan(ctx, bachu_plan_path)
    changed = changed_copy(bachu_plan_path, tmp_path)
    second = service.import_plan(ctx, changed)
    assert second.created and not second.new_plan
    assert (second.plan_id, second.version) == (first.plan_id, 2)

    old = service.get_plan(ctx, first.plan_id, version=1)
    assert old.version.version == 1 and old.figures == original["figures"]
    latest = service.get_plan(ctx, first.plan_id)
    assert latest.version.version == 2 and latest.version.status == "imported"
    assert latest.figures == service.report_json(service.audit_file(changed))["figures"]
    assert "80000000" in {f["base_value"] for f in latest.figures} - {f["base_value"] for f in old.figures}
    with transaction(ctx.engine) as session:
        v2 = session.scalars(select(PlanVersionRow).where(PlanVersionRow.version == 2)).one()
        assert v2.based_on_version_id == first.version_id

    [summary] = service.list_plans(ctx)
    assert (summary.versions, summary.latest_version, summary.latest_status) == (2, 2, "imported")


def test_list_plans_counts_the_latest_versions_findings(ctx, bachu_plan_path):
    findings = service.audit_file(bachu_plan_path).findings
    service.import_plan(ctx, bachu_plan_path)
    [summary] = service.list_plans(ctx)
    assert summary.errors == sum(1 for f in findings if f.severity.value == "error")
    assert summary.warnings == sum(1 for f in findings if f.severity.value == "warning")
    assert (summary.jurisdiction, summary.year, summary.kind) == ("巴楚县", 2026, "annual_reserve")


def test_list_plans_of_an_empty_database_is_empty(ctx):
    assert service.list_plans(ctx) == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.txt", b""),
        ("binary.txt", bytes(range(256)) * 64),
        ("not-a-zip.docx", "巴楚县2026年土地储备计划\n本年度计划储备土地47.58公顷。".encode()),
    ],
)
def test_unreadable_input_stores_nothing(ctx, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        service.import_plan(ctx, path)
    assert name in str(caught.value)
    assert row_counts(ctx) == EMPTY


def test_a_missing_file_is_an_input_error_naming_it(ctx, tmp_path):
    with pytest.raises(InputError, match="nowhere.txt"):
        service.import_plan(ctx, tmp_path / "nowhere.txt")
    assert row_counts(ctx) == EMPTY


def interrupt_after_half(monkeypatch, name: str) -> list[int]:
    """Make ``plan_tables.<name>`` write half of its rows, check they reached the database, then fail."""
    original = getattr(plan_tables, name)
    written: list[int] = []

    def half_then_fail(session, version_id, columns):
        half = max(1, row_count(columns) // 2)
        original(session, version_id, {name: values[:half] for name, values in columns.items()})
        written.append(session.scalar(select(plan_tables.func.count()).select_from(_table_of(name))))
        raise RuntimeError("simulated crash half-way through the import")

    monkeypatch.setattr(plan_tables, name, half_then_fail)
    return written


def _table_of(name: str):
    return {
        "insert_figures": plan_tables.PlanFigureRow,
        "insert_parcels": plan_tables.PlanParcelRow,
        "insert_findings": plan_tables.PlanFindingRow,
    }[name]


@pytest.mark.parametrize("step", ["insert_figures", "insert_parcels", "insert_findings"])
def test_an_import_interrupted_half_way_leaves_no_partial_plan(ctx, bachu_plan_path, monkeypatch, step):
    written = interrupt_after_half(monkeypatch, step)
    with pytest.raises(RuntimeError, match="half-way"):
        service.import_plan(ctx, bachu_plan_path)
    assert written and written[0] > 0, "the interruption must come after rows were written"
    assert row_counts(ctx) == EMPTY


def test_a_bulk_statement_refused_by_the_database_leaves_no_partial_plan(ctx, bachu_plan_path, monkeypatch):
    """The parcels' one statement (SQLite executemany, PostgreSQL COPY) fails in the database itself, after
    the plan, its version and its figures were written: the error arrives as SQLAlchemy's (here an integrity
    error, which the import reports as a conflict) and nothing of the import is kept."""
    rows_of = plan_rows.rows_of

    def one_code_missing(figures, parcels):
        figure_rows, parcel_rows = rows_of(figures, parcels)
        columns = dict(parcel_rows)
        columns["code"] = [*columns["code"][:-1], None]  # NOT NULL: refused by the database
        return figure_rows, columns

    monkeypatch.setattr(plan_rows, "rows_of", one_code_missing)
    with pytest.raises(ConflictError):
        service.import_plan(ctx, bachu_plan_path)
    assert row_counts(ctx) == EMPTY


def test_an_interrupted_new_version_leaves_the_stored_plan_as_it_was(
    ctx, bachu_plan_path, tmp_path, monkeypatch
):
    first = service.import_plan(ctx, bachu_plan_path)
    before = row_counts(ctx)
    interrupt_after_half(monkeypatch, "insert_parcels")
    with pytest.raises(RuntimeError):
        service.import_plan(ctx, changed_copy(bachu_plan_path, tmp_path))
    assert row_counts(ctx) == before
    assert [v.version for v in service.get_plan(ctx, first.plan_id).versions] == [1]


def test_a_concurrent_import_of_the_same_document_is_refused_by_the_database(
    ctx, bachu_plan_path, monkeypatch
):
    """Another import committed between our look-ups and our inserts: the unique plan key refuses ours."""
    service.import_plan(ctx, bachu_plan_path)
    before = row_counts(ctx)
    monkeypatch.setattr(plan_tables, "version_by_content", lambda session, sha: None)
    monkeypatch.setattr(plan_tables, "plan_by_key", lambda session, key: None)
    with pytest.raises(ConflictError, match="同时导入"):
        service.import_plan(ctx, bachu_plan_path)
    assert row_counts(ctx) == before


def test_two_concurrent_adjustments_cannot_both_become_version_2(ctx, bachu_plan_path, tmp_path, monkeypatch):
    """Both imports saw version 1 as the latest; the one that commits second is refused, not numbered 2 again."""
    service.import_plan(ctx, bachu_plan_path)
    service.import_plan(ctx, changed_copy(bachu_plan_path, tmp_path))
    before = row_counts(ctx)
    other = tmp_path / "other-adjustment.txt"
    other.write_text(
        bachu_plan_path.read_text(encoding="utf-8").replace("0.75亿元", "0.90亿元"), encoding="utf-8"
    )
    real_latest = plan_tables.latest_version

    def latest_as_seen_before_the_other_commit(session, plan_id):
        return session.get(PlanVersionRow, real_latest(session, plan_id).based_on_version_id)

    monkeypatch.setattr(plan_tables, "latest_version", latest_as_seen_before_the_other_commit)
    with pytest.raises(ConflictError, match="同时导入"):
        service.import_plan(ctx, other)
    assert row_counts(ctx) == before


def test_an_unknown_plan_or_version_is_not_found_in_chinese(ctx, bachu_plan_path):
    with pytest.raises(NotFoundError, match="找不到储备计划“42”"):
        service.get_plan(ctx, 42)
    result = service.import_plan(ctx, bachu_plan_path)
    with pytest.raises(NotFoundError, match="没有第 3 版；现有版本：1"):
        service.get_plan(ctx, result.plan_id, version=3)


def test_report_json_has_exactly_the_stable_keys(bachu_plan_path):
    data = service.report_json(service.audit_file(bachu_plan_path))
    assert set(data) == {"document", "figures", "parcels", "findings"}
    assert set(data["document"]) == set(service.DOCUMENT_KEYS)
    assert data["figures"] and all(set(f) == set(service.FIGURE_KEYS) for f in data["figures"])
    assert data["parcels"] and all(set(p) == set(service.PARCEL_KEYS) for p in data["parcels"])
    assert all(set(f) == set(service.FINDING_KEYS) for f in data["findings"])
    assert all(isinstance(f["base_value"], str) and isinstance(f["value"], str) for f in data["figures"])
    assert all(p["area_m2"] is None or isinstance(p["area_m2"], str) for p in data["parcels"])


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (PlanDocument(source="a", title="甲县计划", jurisdiction="甲县", year=2026), "甲县|2026|other"),
        (
            PlanDocument(source="a", jurisdiction="乙县", year=2025, kind=PlanKind.SUPPLY),
            "乙县|2025|supply",
        ),
        (
            PlanDocument(source="a", title="  丙县储备计划（草案）", jurisdiction="丙县"),
            "丙县储备计划（草案）",
        ),
        (PlanDocument(source="a"), "plan.txt"),
    ],
)
def test_plan_key_is_jurisdiction_year_kind_then_title_then_file_name(document, expected):
    assert service.plan_key(document, "plan.txt") == expected


LISTED_TOTAL_PLAN = """示例县2026年土地储备计划
一、计划指标
（一）年度储备规模
本年度计划储备土地3.00公顷（45.00亩）。
（二）储备地块明细
1.地块编号：SL-CB2026001，土地坐落：示例县人民路北侧、团结路东侧，面积：1.0000公顷；
2.地块编号：SL-CB2026002，土地坐落：示例县幸福路南侧、和平路西侧，面积：2.0000公顷。
合计：3.0000公顷。
"""


def test_the_parcel_lists_own_total_is_stored_with_its_line(ctx, tmp_path):
    path = tmp_path / "listed-total.txt"
    path.write_text(LISTED_TOTAL_PLAN, encoding="utf-8")
    document = service.audit_file(path).document
    assert document.parcels_list_total is not None, "the importer must read the list's 合计"
    result = service.import_plan(ctx, path)
    structure = service.get_plan(ctx, result.plan_id).structure
    [figure] = structure["parcels_list_total"]["measure"]["figures"]
    assert (figure["value"], figure["unit"], figure["base_value"]) == ("3.0000", "公顷", "30000")
    assert figure["line"] == 8 and figure["text"] == "合计：3.0000公顷。"
    assert structure["parcels_total"]["label"] == "年度储备规模"


def test_the_stored_structure_is_exactly_what_was_read(ctx, bachu_plan_path):
    document = service.audit_file(bachu_plan_path).document
    result = service.import_plan(ctx, bachu_plan_path)
    stored = service.get_plan(ctx, result.plan_id).structure
    assert stored == json.loads(json.dumps(service.structure_json(document)))
    assert {"parcels_total", "parcels_list_total"} <= set(stored)
