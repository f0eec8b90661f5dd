"""Project records as published, checked against figures computed by hand (exact Fractions): a record
that agrees, a price rule, a stated ratio that only another coupon reproduces (the range reported), a
self-contradictory record (named), a ratio near the bound; the record file in .csv, .xlsx and .json, bad
cells named by row and column, nothing stored on a refusal, both backends."""

from __future__ import annotations

import csv
import json
from decimal import Decimal as D
from fractions import Fraction as F
from pathlib import Path

import pytest
from typer.testing import CliRunner

from funds_samples import row_counts
from landreserve.cli import app
from landreserve.domain.funds.records import check_record
from landreserve.errors import InputError
from landreserve.importers.fund_records import COLUMNS, read_record

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "data" / "funds" / "project-record-example.csv"
BOUND = D("1.2")


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return path


def one_bond(ratio: str, income: str = "26000万元", capital: str = "10000万元") -> list[dict[str, str]]:
    """10,000万元 for 5 years at 3.5 %, bullet: 10,000 + 5 × 350 = 11,750万元 of principal and interest."""
    return [
        {"类型": "项目", "名称": "XM-1"},
        {"类型": "总投资", "金额": capital},
        {"类型": "债券", "名称": "2020年第一批", "金额": "10000万元", "发行日": "2020-01-01", "期限": "5",
         "利率": "3.5%", "还本方式": "到期一次还本", "付息方式": "按年"},
        {"类型": "收入", "名称": "住宅用地", "金额": income, "年度": "2023"},
        {"类型": "收入合计", "金额": income},
        {"类型": "覆盖倍数", "金额": ratio},
    ]  # fmt: skip


def test_the_example_record_agrees_with_its_recomputation():
    check = check_record(read_record(EXAMPLE), BOUND)
    assert check.findings == ()
    # 20,000万 × 3.3 % × 5 = 3,300万; 15,000万: 12 × 262.5万 + 2 × 131.25万 = 3,412.5万
    assert check.interest == D("67125000.00") and check.bond_principal == D("350000000.00")
    # 20 ha × 3,000 + 50,000 ㎡ × min(4,200, 4,500) × 98 % + 3,000万 = 60,000万 + 20,580万 + 3,000万
    assert check.income_total == D("835800000.00")
    assert check.ratio == F(835800000, 417125000)


def test_a_price_rule_is_recomputed_from_its_inputs(tmp_path):
    rows = [
        {"类型": "项目", "名称": "XM-2"},
        {"类型": "收入", "名称": "商服用地", "面积": "10000", "单价": "较低者(3200,3500)×98%", "金额": "3136万元"},
        {"类型": "收入", "名称": "住宅用地", "面积": "15亩", "单价": "较高者(3200,3500)×98%", "金额": "3430万元"},
    ]  # fmt: skip
    check = check_record(read_record(write_csv(tmp_path / "r.csv", rows)), BOUND)
    # 10,000 ㎡ × 3,200 × 98 % = 31,360,000; 15 亩 = 10,000 ㎡ × 3,500 × 98 % = 34,300,000 (both as stated)
    assert [i.computed() for i in check.record.income] == [D("31360000.00"), D("34300000.00")]
    assert check.findings == ()
    rows[2]["金额"] = "3500万元"  # the higher appraisal without the 98 %
    check = check_record(read_record(write_csv(tmp_path / "r.csv", rows)), BOUND)
    assert [f.code for f in check.findings] == ["record.income_item_mismatch"]
    assert (
        "10000 ㎡ × 3430 元/㎡（3200、3500 元/㎡ 的较高者 × 98%）= 34,300,000.00 元"
        in check.findings[0].message
    )
    assert check.findings[0].lines == (4,)


def test_a_stated_ratio_that_only_another_coupon_reproduces(tmp_path):
    check = check_record(read_record(write_csv(tmp_path / "r.csv", one_bond("2.30"))), BOUND)
    # recomputed: 26,000 ÷ 11,750 = 2.2127…; 2.30 stands for [2.295, 2.305)
    assert check.ratio == F(26000, 11750)
    # coupon c (%): 26,000 ÷ (10,000 + 500·c) ∈ [2.295, 2.305) ⇔ c ∈ (26,000/2.305 − 10,000, 26,000/2.295 − 10,000] ÷ 500
    low, high = (F(26000) / F("2.305") - 10000) / 500, (F(26000) / F("2.295") - 10000) / 500
    assert (check.coupon_range.low, check.coupon_range.high) == (low, high)
    assert float(low) == pytest.approx(2.5596529) and float(high) == pytest.approx(2.6579521)
    # whole basis points: 2.56 % → 26,000 ÷ 11,280 = 2.30496 (yes); 2.55 % → 2.30599 (no); 2.66 % → 2.29455 (no)
    assert check.coupon_points == (D("2.56"), D("2.65"))
    assert (check.income_range.low, check.income_range.high) == (
        F("2.295") * 117500000,
        F("2.305") * 117500000,
    )
    [finding] = check.findings
    assert finding.code == "record.ratio_mismatch" and finding.severity == "error"
    assert "2.5597%–2.658%" in finding.message and "2.56%–2.65%" in finding.message
    assert "269,662,500.00 元至 270,837,500.00 元" in finding.message
    assert not check.self_contradictory


def test_a_self_contradictory_record_is_named(tmp_path):
    rows = one_bond("1.25", income="10000万元", capital="10000万元")
    check = check_record(read_record(write_csv(tmp_path / "r.csv", rows)), BOUND)
    codes = [f.code for f in check.findings]
    assert "record.self_contradictory.income_equals_capital" in codes
    assert "record.self_contradictory.ratio_unreachable" in codes  # at 0 % the ratio is only 1.0
    assert check.self_contradictory and check.coupon_range is None
    message = next(f.message for f in check.findings if f.code.endswith("ratio_unreachable"))
    assert "没有任何不低于 0 的票面利率" in message and "1.000000" in message


def test_a_ratio_just_below_the_bound_is_shown_with_enough_digits(tmp_path):
    # 14,099.53万 ÷ 11,750万 = 1.19996: stated 1.20 is right when rounded, but below the bound
    rows = one_bond("1.20", income="14099.53万元")
    check = check_record(read_record(write_csv(tmp_path / "r.csv", rows)), BOUND)
    [finding] = [f for f in check.findings if f.code == "record.coverage_below_bound"]
    assert "1.19996" in finding.message and "1.20，" not in finding.message
    assert "record.ratio_mismatch" not in [f.code for f in check.findings]


def test_xlsx_and_json_read_the_same_record(tmp_path):
    import openpyxl

    rows = list(csv.reader(EXAMPLE.open(encoding="utf-8")))
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append([_typed(c) for c in row])
    book.save(tmp_path / "r.xlsx")
    header, *body = rows
    (tmp_path / "r.json").write_text(
        json.dumps(
            {"rows": [{k: v for k, v in zip(header, r, strict=False) if v} for r in body]}, ensure_ascii=False
        ),
        encoding="utf-8",
    )
    base = check_record(read_record(EXAMPLE), BOUND)
    for name in ("r.xlsx", "r.json"):
        other = check_record(read_record(tmp_path / name), BOUND)
        assert (other.ratio, other.income_total, other.interest) == (
            base.ratio,
            base.income_total,
            base.interest,
        )


def _typed(cell: str):
    """Numbers as an .xlsx keeps them (3000 as a number cell, 2.00 as the float 2.0)."""
    try:
        return int(cell)
    except ValueError:
        return cell


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        (
            {"类型": "债券", "名称": "B", "金额": "1亿", "发行日": "2020-01-01", "期限": "5", "利率": "3"},
            "金额",
            "无法识别为金额",
        ),
        (
            {"类型": "债券", "名称": "B", "金额": "1亿元", "发行日": "2020-13-01", "期限": "5", "利率": "3"},
            "发行日",
            "YYYY-MM-DD",
        ),
        (
            {
                "类型": "债券",
                "名称": "B",
                "金额": "1亿元",
                "发行日": "2020-01-01",
                "期限": "五年",
                "利率": "3",
            },
            "期限",
            "5+2",
        ),
        ({"类型": "收入", "名称": "住宅", "面积": "10", "单价": "较低者(3200)×98%"}, "单价", "至少需要两个"),
        ({"类型": "收入", "名称": "住宅", "面积": "10块", "单价": "3000"}, "面积", "无法识别为面积"),
        ({"类型": "支出", "名称": "x"}, "类型", "可用的类型"),
    ],
)
def test_every_bad_cell_is_named_by_row_and_column(tmp_path, row, column, words):
    path = write_csv(tmp_path / "bad.csv", [{"类型": "项目", "名称": "XM-9"}, row])
    with pytest.raises(InputError) as caught:
        read_record(path)
    assert f"第 3 行“{column}”列" in caught.value.message and words in caught.value.message
    assert "bad.csv" in caught.value.message


def test_import_at_the_command_line_stores_a_revision_and_refuses_bad_files(ctx, tmp_path):
    url = ctx.engine.url.render_as_string(hide_password=False)
    runner = CliRunner(env={"LANDRESERVE_DATABASE_URL": url, "LANDRESERVE_USER": "王五",
                            "LANDRESERVE_DEPARTMENT": "finance", "COLUMNS": "300"})  # fmt: skip
    result = runner.invoke(app, ["funds", "project", "import", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert "第 1 版，已保存" in result.output and "2.003716" in result.output
    again = runner.invoke(app, ["funds", "project", "import", str(EXAMPLE)])
    assert "未改动" in again.output
    before = row_counts(ctx)
    bad = write_csv(tmp_path / "bad.csv", [{"类型": "项目", "名称": "XM-9"}, {"类型": "总投资", "金额": "x"}])
    result = runner.invoke(app, ["funds", "project", "import", str(bad)])
    assert result.exit_code == 2 and "第 3 行“金额”列" in result.output
    assert row_counts(ctx) == before
    wrong = write_csv(tmp_path / "wrong.csv", one_bond("2.30"))
    result = runner.invoke(app, ["funds", "project", "import", str(wrong), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["coupon_points_percent"] == {"low": "2.56", "high": "2.65"}
    assert [f["code"] for f in data["findings"]] == ["record.ratio_mismatch"]
    shown = runner.invoke(app, ["funds", "project", "record", "XM-1", "--json"])
    assert shown.exit_code == 1 and json.loads(shown.output)["computed"]["ratio"] == "2.21276596"
    reserve = CliRunner(env={"LANDRESERVE_DATABASE_URL": url, "LANDRESERVE_DEPARTMENT": "housing"})
    refused = reserve.invoke(app, ["funds", "project", "import", str(EXAMPLE)])
    assert refused.exit_code == 1 and row_counts(ctx) == before | {
        "fund_project_records": before["fund_project_records"] + 1,
        "history_entries": before["history_entries"] + 1,
    }


@pytest.mark.parametrize("ratio", ["NaN", "Infinity", "1e400", "9e99999999", "-2.61", "2.61e3", "5000"])
def test_a_stated_coverage_ratio_that_is_no_plausible_number_is_refused_by_cell(tmp_path, ratio):
    """Found by fuzzing: NaN and 1e400 raised decimal.InvalidOperation (exit 4), Infinity an OverflowError,
    9e99999999 never finished (an integer of 10⁸ digits), a negative ratio was checked as if it were one."""
    with pytest.raises(InputError) as error:
        read_record(write_csv(tmp_path / "r.csv", one_bond(ratio)))
    assert error.value.code == "record.cell" and "覆盖倍数" not in error.value.message  # names the column
    assert (
        "r.csv" in error.value.message
        and "第 7 行" in error.value.message
        and "“金额”列" in error.value.message
    )


@pytest.mark.parametrize("rate", ["NaN", "Infinity", "-Infinity", "sNaN"])
def test_a_coupon_that_is_no_number_is_refused_by_cell(tmp_path, rate):
    """Found by fuzzing: a 利率 of NaN raised decimal.InvalidOperation when compared (exit 4)."""
    rows = one_bond("2.20")
    rows[2]["利率"] = rate
    with pytest.raises(InputError) as error:
        read_record(write_csv(tmp_path / "r.csv", rows))
    assert "r.csv" in error.value.message and "利率" in error.value.message


def _damaged_xlsx(tmp_path, change) -> Path:
    """The example record as an .xlsx whose parts are passed through ``change(name, bytes)`` (``None`` drops)."""
    import io
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    for row in csv.reader(EXAMPLE.open(encoding="utf-8")):
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "记录.xlsx"
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = change(name, source.read(name))
            if data is not None:
                target.writestr(name, data)
    return path


@pytest.mark.parametrize(
    "change",
    [
        lambda name, data: data[: len(data) // 2] if name.endswith("sheet1.xml") else data,  # sheet cut short
        lambda name, data: None if name.endswith("sheet1.xml") else data,  # no sheet
    ],
    ids=["sheet cut short", "no sheet"],
)
def test_a_damaged_workbook_is_refused_by_name(tmp_path, change):
    """Found by fuzzing: a read-only workbook parses its sheet while the rows are read, outside the guard —
    a sheet cut short raised ParseError, a missing one IndexError (both exit 4)."""
    with pytest.raises(InputError) as error:
        read_record(_damaged_xlsx(tmp_path, change))
    assert error.value.code == "record.unreadable" and "记录.xlsx" in error.value.message


@pytest.mark.parametrize(
    "price", ["较低者(4200,4500)×99999999999999999999%", "99999999999999999999", "较高者(1e30,2)"]
)
def test_an_income_line_past_the_limit_on_money_is_refused_by_cell(tmp_path, price):
    """Found by fuzzing: ×99999999999999999999% made an income past 28 digits, whose rounding to 分 raised
    decimal.InvalidOperation in the check (exit 4)."""
    rows = one_bond("2.20")
    rows[3].update({"面积": "20公顷", "单价": price})
    with pytest.raises(InputError) as error:
        check_record(read_record(write_csv(tmp_path / "r.csv", rows)), BOUND)
    assert error.value.code == "record.cell" and "“单价”列" in error.value.message


@pytest.mark.parametrize("ratio", ["0", "0.00", "0倍"])
def test_a_stated_coverage_ratio_of_zero_is_refused_by_cell(tmp_path, ratio):
    """A project whose income covers nothing states no 倍数: 0 was accepted (domain.plausibility.coverage_ratio)."""
    with pytest.raises(InputError) as error:
        read_record(write_csv(tmp_path / "r.csv", one_bond(ratio)))
    assert error.value.code == "record.cell" and "应大于 0" in error.value.message


@pytest.mark.parametrize(
    "price", ["1000001", "80000万元/亩", "150万元/平方米", "0", "0万元/亩", "较低者(3200,3500)×0%",
              "较低者(3200,3500)×99999%", "较高者(2000000,3000)"],
)  # fmt: skip
def test_a_price_per_m2_past_the_plausible_limits_is_refused_by_cell(tmp_path, price):
    """A price per ㎡ alone had no bound (only area × price, at 十万亿元): 150万元/㎡ on 1 ㎡ passed, and 0 too."""
    rows = one_bond("2.20")
    rows[3].update({"面积": "1", "单价": price})
    with pytest.raises(InputError) as error:
        read_record(write_csv(tmp_path / "r.csv", rows))
    assert (
        error.value.code == "record.cell"
        and "“单价”列" in error.value.message
        and "元/㎡" in error.value.message
    )


@pytest.mark.parametrize("price", ["1000000", "3000", "80万元/亩", "0.01"])
def test_a_plausible_price_per_m2_is_read(price):
    from landreserve.domain.funds.money import parse_price

    assert D(0) < parse_price(price) <= D(1_000_000)


def test_an_expected_price_at_the_command_line_is_bounded(ctx):
    from landreserve.domain import plausibility
    from landreserve.domain.funds.money import parse_price

    with pytest.raises(InputError) as error:
        parse_price("2000000", "预期单价")
    assert error.value.code == "input.price_implausible" and "预期单价" in error.value.message
    assert plausibility.MAX_PRICE_PER_M2_YUAN == parse_price("1000000")
