"""Implausible values in a published plan (``domain.plausibility.plan_findings``): a parcel of 0 or
500,000 公顷, a code that is no code and an area larger than the country are refused by ``import`` with a
Chinese message naming the file, line and field (nothing stored, on both databases); an area a thousand
times off the list's median, a date that is no calendar date or a year far from the plan's are warnings.
Real plans (the Bachu plan, the corpus) raise none of them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from landreserve.cli import app
from landreserve.domain import plausibility
from landreserve.errors import InputError
from landreserve.importers import parse_plan_text, read_plan
from landreserve.services.plans import import_plan
from landreserve.storage.all_tables import metadata
from landreserve.storage.db import reading

HEAD = "某县2026年土地储备计划\n一、储备规模\n计划储备土地{total}公顷。\n二、地块清单\n编号\t坐落\t面积（公顷）\t用途\n"
ROWS = [("A-01", "甲村", "10.00"), ("A-02", "乙村", "12.00"), ("A-03", "丙村", "11.00"),
        ("A-04", "丁村", "13.00"), ("A-05", "戊村", "14.00")]  # fmt: skip


def plan_text(rows=ROWS, total="60.00", extra="") -> str:
    body = "".join(f"{code}\t{place}\t{area}\t住宅用地\n" for code, place, area in rows)
    return HEAD.format(total=total) + body + extra


def plausibility_findings(text: str) -> list:
    return [f for f in parse_plan_text(text, "x.txt").problems if f.code.startswith("plausibility.")]


def with_row(index: int, code: str | None = None, area: str | None = None) -> list:
    rows = list(ROWS)
    old = rows[index]
    rows[index] = (code or old[0], old[1], area or old[2])
    return rows


REFUSED = [
    ("zero area", with_row(1, area="0"), "plausibility.parcel_area", 7, "0公顷"),
    ("500,000 公顷", with_row(2, area="500000"), "plausibility.parcel_area", 8, "500000公顷"),
    ("code without letters or digits", with_row(3, code="？？"), "plausibility.parcel_code", 9, "？？"),
    ("code with a replacement character", with_row(0, code="A-\ufffd1"), "plausibility.parcel_code", 6, "编码错误"),
    ("code of 120 characters", with_row(4, code="A" * 120), "plausibility.parcel_code", 10, "超过 100 个"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("rows", "code", "line", "shown"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED]
)
def test_an_implausible_parcel_is_an_error_naming_its_line(rows, code, line, shown):
    found = plausibility_findings(plan_text(rows))
    assert [(f.code, f.severity.value, f.lines) for f in found] == [(code, "error", (line,))]
    assert f"第{line}行" in found[0].message and shown in found[0].message


def test_an_area_larger_than_the_country_is_an_error():
    found = plausibility_findings(plan_text(total="2000000000"))
    assert [(f.code, f.lines) for f in found] == [("plausibility.stated_area", (3,))]
    assert "全国国土面积" in found[0].message


def test_a_national_total_is_not_implausible():
    text = "2022年全国国有建设用地供应公报\n全国国有建设用地供应总量283527000公顷。\n"
    assert plausibility_findings(text) == []


@pytest.mark.parametrize(("area", "how"), [("2500.00", "倍"), ("0.0010", "分之一")])
def test_a_parcel_a_thousand_times_off_the_median_is_a_warning(area, how):
    rows = [(code, place, f"1.{i}0") for i, (code, place, _area) in enumerate(ROWS)] + [
        ("A-06", "己村", area)
    ]
    found = plausibility_findings(plan_text(rows))
    assert [(f.code, f.severity.value, f.lines) for f in found] == [
        ("plausibility.area_outlier", "warning", (11,))
    ]
    assert how in found[0].message and "A-06" in found[0].message


def test_a_parcel_a_hundred_times_the_median_is_usual():
    assert plausibility_findings(plan_text([*ROWS, ("A-06", "己村", "1100.00")])) == []


@pytest.mark.parametrize(
    ("written", "problem"),
    [("2026年13月1日", "不是有效的日期"), ("2026年2月30日", "不是有效的日期"), ("2026-13-01", "不是有效的日期"),
     ("1926年3月1日", "相距过远"), ("2099年1月1日", "相距过远")],
)  # fmt: skip
def test_a_date_that_cannot_be_is_a_warning_naming_its_line(written, problem):
    found = plausibility_findings(plan_text(extra=f"本计划于{written}印发。\n"))
    assert [(f.code, f.severity.value, f.lines) for f in found] == [("plausibility.date", "warning", (11,))]
    assert written in found[0].message and problem in found[0].message


@pytest.mark.parametrize(
    "written",
    ["2026年3月1日", "2024年12月31日", "1998年8月29日", "2026-02-28", "JX2023-15-02号地块", "2026-13-01-A"],
)
def test_real_dates_pass(written):
    assert plausibility_findings(plan_text(extra=f"本计划于{written}印发。\n")) == []


def test_the_bachu_plan_and_the_corpus_raise_none(bachu_plan_path):
    corpus = sorted((Path(__file__).parent / "corpus").glob("**/*.txt"))
    assert len(corpus) > 50
    for path in [bachu_plan_path, *corpus]:
        problems = read_plan(path).problems
        assert not [f.code for f in problems if f.code.startswith("plausibility.")], path.name


def counts(engine) -> dict[str, int]:
    with reading(engine) as session:
        return {t.name: session.scalar(select(func.count()).select_from(t)) for t in metadata.sorted_tables}


def test_import_refuses_an_implausible_plan_and_writes_nothing(ctx, tmp_path):
    path = tmp_path / "某县2026年土地储备计划.txt"
    path.write_text(plan_text(with_row(1, area="500000")), encoding="utf-8")
    before = counts(ctx.engine)
    with pytest.raises(InputError) as refused:
        import_plan(ctx, path)
    assert refused.value.code == "plan.implausible"
    assert (
        path.name in refused.value.message
        and "第7行" in refused.value.message
        and "500000公顷" in refused.value.message
    )
    assert counts(ctx.engine) == before


def test_import_keeps_a_plan_with_only_warnings(ctx, tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(plan_text(extra="本计划于2026年13月1日印发。\n"), encoding="utf-8")
    result = import_plan(ctx, path)
    assert result.created and "plausibility.date" in [f.code for f in result.findings]


def test_the_command_line_refuses_with_exit_code_2(tmp_path, monkeypatch):
    monkeypatch.setenv("LANDRESERVE_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    path = tmp_path / "plan.txt"
    path.write_text(plan_text(with_row(0, area="0")), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(app, ["import", str(path), "--department", "reserve_center", "--user", "张三"])
    assert result.exit_code == 2, result.output
    assert "数值不合常理" in result.output and "第6行" in result.output and "Traceback" not in result.output
    audit = runner.invoke(app, ["audit", str(path), "--json"])
    assert audit.exit_code == 1 and "plausibility.parcel_area" in audit.output


def test_refusing_codes_are_errors():
    assert all(code.startswith("plausibility.") for code in plausibility.REFUSING_CODES)


def test_the_largest_parcel_is_the_installations_setting(ctx, tmp_path):
    """One limit: ``domain.limits.MAX_PARCEL_AREA_HA`` is the default of the rule and of the setting, and
    ``import`` checks against the setting the service is given (a 14 公顷 parcel, limits 13 and 20)."""
    from dataclasses import replace
    from decimal import Decimal

    from landreserve.settings import Settings

    assert Settings().max_parcel_area_ha is plausibility.MAX_PARCEL_AREA_HA
    path = tmp_path / "plan.txt"
    path.write_text(plan_text(), encoding="utf-8")  # its largest parcel: 14.00 公顷
    strict = replace(ctx, settings=replace(ctx.settings, max_parcel_area_ha=Decimal(13)))
    before = counts(ctx.engine)
    with pytest.raises(InputError) as refused:
        import_plan(strict, path)
    assert refused.value.code == "plan.implausible" and "不超过 13 公顷" in refused.value.message
    assert counts(ctx.engine) == before
    loose = replace(ctx, settings=replace(ctx.settings, max_parcel_area_ha=Decimal(20)))
    assert import_plan(loose, path).created


def test_the_environment_setting_changes_what_import_and_audit_refuse(tmp_path, monkeypatch):
    monkeypatch.setenv("LANDRESERVE_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    huge = tmp_path / "plan.txt"  # a parcel of 15,000 公顷: beyond the default 10,000
    huge.write_text(plan_text(with_row(0, area="15000"), total="15050.00"), encoding="utf-8")
    runner = CliRunner()
    options = ["--department", "reserve_center", "--user", "张三"]
    assert runner.invoke(app, ["audit", str(huge), "--json"]).exit_code == 1
    refused = runner.invoke(app, ["import", str(huge), *options])
    assert refused.exit_code == 2 and "不超过 10000 公顷" in refused.output
    monkeypatch.setenv("LANDRESERVE_MAX_PARCEL_AREA_HA", "20000")
    audit = runner.invoke(app, ["audit", str(huge), "--json"])
    assert "plausibility.parcel_area" not in audit.output, audit.output
    stored = runner.invoke(app, ["import", str(huge), *options])
    assert stored.exit_code == 0 and "已保存" in stored.output, stored.output
    monkeypatch.setenv("LANDRESERVE_MAX_PARCEL_AREA_HA", "12")  # now even the 14 公顷 parcel is refused
    small = tmp_path / "small.txt"
    small.write_text(plan_text(), encoding="utf-8")
    assert runner.invoke(app, ["import", str(small), *options]).exit_code == 2
