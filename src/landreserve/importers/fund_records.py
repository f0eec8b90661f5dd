"""Read a project record as published (实施方案 / 融资平衡方案) kept as a simple spreadsheet: ``.xlsx``
(the first sheet), ``.csv`` (UTF-8 or GB18030) or ``.json`` (``{"rows": [{column: value, …}, …]}``).

One header row names the columns (any order; blank columns allowed)::

    类型 | 名称 | 金额 | 面积 | 单价 | 年度 | 发行日 | 期限 | 利率 | 还本方式 | 付息方式 | 发行费用 | 说明

and each further row is one figure of the record, by its 类型:

=========  ==========================================================================================
项目        名称 = project code; 说明 = project name
总投资      金额 = 项目总投资 as stated
债券        名称 = bond; 金额; 发行日; 期限 (``7`` or ``5+2``); 利率; 还本方式 (到期一次还本 / 分年等额还本 /
            ``6:50,7:50`` = shares by year of the term); 付息方式 (按年 / 按半年); 发行费用 (optional)
其他资金    名称 (e.g. 县本级财政资金); 金额
成本        名称 = category (征地拆迁补偿, 前期开发 …); 金额
成本合计    金额
收入        名称 = use or parcel; 面积 (㎡, or with 公顷/亩); 单价 (元/㎡, 万元/亩, or a price rule such as
            ``较低者(3200,3500)×98%``, ``较高者(…)``, ``平均(…)``); 金额 = the income the record states for
            the line (alone: a stated total); 年度 = year the income is expected
收入合计    金额 = 预期收入 as stated
覆盖倍数    金额 = 本息覆盖倍数 as stated (e.g. 2.61)
=========  ==========================================================================================

Amounts take 元/万元/亿元 (default 元). A stated figure keeps the precision it is written with (see
``domain.funds.records.Stated``). Every bad cell is named by file, row and column; nothing is stored when
any cell is bad.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from ..domain import plausibility
from ..domain.funds.bonds import BondTerms, InterestFrequency, Repayment, parse_shares, parse_term
from ..domain.funds.money import parse_amount, parse_percent, parse_price, round_fen, round_fraction
from ..domain.funds.records import (
    CostItem,
    FinancingItem,
    IncomeBasis,
    IncomeItem,
    PriceRule,
    PriceRuleKind,
    ProjectRecord,
    Stated,
)
from ..domain.units import UNITS, Quantity, normalise_unit
from ..errors import InputError, LandReserveError

COLUMNS = (
    "类型",
    "名称",
    "金额",
    "面积",
    "单价",
    "年度",
    "发行日",
    "期限",
    "利率",
    "还本方式",
    "付息方式",
    "发行费用",
    "说明",
)
KINDS = ("项目", "总投资", "债券", "其他资金", "成本", "成本合计", "收入", "收入合计", "覆盖倍数")
MAX_BYTES = 8 * 1024 * 1024

_MONEY = re.compile(r"^([+-]?\d+(?:\.(\d+))?)(元|万元|亿元)?$")
_AREA = re.compile(r"^(\d+(?:\.\d+)?)(.*)$")
_RULE = re.compile(
    r"^(较低者|较低|孰低|较高者|较高|孰高|平均值|平均|min|max|avg)[(（]([^)）]+)[)）](?:[×*x](\d+(?:\.\d+)?)%)?$"
)
_RULE_KINDS = {
    "较低者": PriceRuleKind.LOWER_OF, "较低": PriceRuleKind.LOWER_OF, "孰低": PriceRuleKind.LOWER_OF,
    "min": PriceRuleKind.LOWER_OF, "较高者": PriceRuleKind.HIGHER_OF, "较高": PriceRuleKind.HIGHER_OF,
    "孰高": PriceRuleKind.HIGHER_OF, "max": PriceRuleKind.HIGHER_OF, "平均值": PriceRuleKind.AVERAGE_OF,
    "平均": PriceRuleKind.AVERAGE_OF, "avg": PriceRuleKind.AVERAGE_OF,
}  # fmt: skip
_REPAYMENTS = {
    "到期一次还本": Repayment.BULLET, "一次还本": Repayment.BULLET, "bullet": Repayment.BULLET,
    "分年等额还本": Repayment.AMORTISING, "等额还本": Repayment.AMORTISING, "amortising": Repayment.AMORTISING,
}  # fmt: skip
_FREQUENCIES = {
    "按年": InterestFrequency.YEARLY, "按年付息": InterestFrequency.YEARLY, "每年": InterestFrequency.YEARLY,
    "yearly": InterestFrequency.YEARLY, "按半年": InterestFrequency.HALF_YEARLY,
    "按半年付息": InterestFrequency.HALF_YEARLY, "每半年": InterestFrequency.HALF_YEARLY,
    "half_yearly": InterestFrequency.HALF_YEARLY,
}  # fmt: skip


def read_record(path: Path) -> ProjectRecord:
    """Read a project record file; ``InputError`` naming file, row and column for anything unreadable."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"文件 {path} 不存在或不是文件；请核对路径", code="record.not_found")
    if path.stat().st_size > MAX_BYTES:
        raise InputError(f"文件 {path.name} 超过 8 MiB，不像一份项目记录表", code="record.too_large")
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        rows = _xlsx_rows(data, path.name)
    elif suffix == ".csv":
        rows = _csv_rows(data, path.name)
    elif suffix == ".json":
        rows = _json_rows(data, path.name)
    else:
        raise InputError(
            f"文件 {path.name} 的格式无法识别：项目记录请用 .xlsx、.csv 或 .json（见 README“项目记录表”）",
            code="record.format",
        )
    return parse_rows(rows, path.name)


def _xlsx_rows(data: bytes, name: str) -> list[tuple[int, dict[str, object]]]:
    import openpyxl

    try:  # read-only workbooks parse each sheet as its rows are read: a damaged sheet fails in the loop
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            table = [(i, list(row)) for i, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
        finally:
            book.close()
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook
        raise InputError(
            f"文件 {name} 不是可读的 .xlsx 工作簿（{type(exc).__name__}）：请在 Excel/WPS 中打开检查并重新保存。",
            code="record.unreadable",
        ) from exc
    return _with_header(table, name)


def _csv_rows(data: bytes, name: str) -> list[tuple[int, dict[str, object]]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError(f"文件 {name} 既不是 UTF-8 也不是 GB18030 编码的 CSV", code="record.encoding")
    table = [(i, list(row)) for i, row in enumerate(csv.reader(io.StringIO(text)), start=1)]
    return _with_header(table, name)


def _json_rows(data: bytes, name: str) -> list[tuple[int, dict[str, object]]]:
    try:
        doc = json.loads(data.decode("utf-8-sig"), parse_float=Decimal)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"文件 {name} 不是可读的 JSON（{exc}）", code="record.unreadable") from exc
    rows = doc.get("rows") if isinstance(doc, dict) else None
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise InputError(f'文件 {name} 应为 {{"rows": [{{"类型": …, …}}, …]}}', code="record.unreadable")
    unknown = sorted({k for r in rows for k in r} - set(COLUMNS))
    if unknown:
        raise InputError(
            f"文件 {name} 有无法识别的列：{'、'.join(unknown)}；可用的列：{'、'.join(COLUMNS)}",
            code="record.column",
        )
    return [(i, r) for i, r in enumerate(rows, start=1)]


def _with_header(table: list[tuple[int, list]], name: str) -> list[tuple[int, dict[str, object]]]:
    table = [(i, row) for i, row in table if any(_text(c) for c in row)]
    if not table:
        raise InputError(f"文件 {name} 是空的：第一行应为列名（类型、名称、金额……）", code="record.empty")
    line, header = table[0]
    names = [_text(c) for c in header]
    unknown = [n for n in names if n and n not in COLUMNS]
    if unknown or "类型" not in names:
        raise InputError(
            f"文件 {name} 第 {line} 行的列名"
            + (f"“{'、'.join(unknown)}”无法识别" if unknown else "缺少“类型”")
            + f"；可用的列：{'、'.join(COLUMNS)}",
            code="record.column",
        )
    return [(i, {n: c for n, c in zip(names, row, strict=False) if n}) for i, row in table[1:]]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):  # an .xlsx number: its shortest decimal spelling (what was typed)
        return repr(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


#: a stated multiple (本息覆盖倍数): digits with at most 12 decimals, no sign, no exponent
_RATIO = re.compile(r"\d{1,12}(\.\d{1,12})?")


class _Cells:
    """The cells of one row, read with errors that name the file, row and column."""

    def __init__(self, name: str, line: int, cells: dict[str, object]):
        self.name, self.line, self.cells = name, line, cells

    def text(self, column: str) -> str:
        return _text(self.cells.get(column))

    def error(self, column: str, what: str) -> InputError:
        value = self.text(column)
        shown = f"“{value}”" if value else "为空"
        return InputError(
            f"文件 {self.name} 第 {self.line} 行“{column}”列{shown}：{what}",
            code="record.cell",
            details={"file": self.name, "row": self.line, "column": column},
        )

    def required(self, column: str, what: str) -> str:
        value = self.text(column)
        if not value:
            raise self.error(column, f"{what}不能为空")
        return value

    def money(self, column: str, *, required: bool = True) -> Stated | None:
        value = self.text(column).replace(",", "").replace(" ", "")
        if not value:
            if required:
                raise self.error(column, "请填写金额，如 20000万元、2亿元 或 1234.56（元）")
            return None
        match = _MONEY.match(value)
        if not match:
            raise self.error(column, "无法识别为金额，请写成数字加单位，如 20000万元、2亿元 或 1234.56（元）")
        unit = match.group(3) or "元"
        digits = len(match.group(2) or "")
        scale = UNITS[normalise_unit(unit)][1]
        try:
            amount = parse_amount(value, field=f"第 {self.line} 行“{column}”列")
        except LandReserveError as exc:
            raise self.error(column, exc.message) from None
        step = Fraction(scale) / Fraction(10) ** digits  # one unit of the last written digit, in 元
        half = round_fen(Fraction(step) / 2) if step >= Fraction(1, 50) else Decimal("0.00")
        return Stated(amount, half, value)

    def number(self, column: str) -> Stated:
        value = self.required(column, "数值").removesuffix("倍")
        if not _RATIO.fullmatch(value):  # no NaN, Infinity, exponent or sign: Decimal would take them all
            raise self.error(column, "无法识别为倍数，请写成不带正负号和指数的小数，如 2.61")
        try:
            number = plausibility.coverage_ratio(Decimal(value), "倍数")
        except InputError as exc:
            raise self.error(column, exc.message) from None
        exponent = number.as_tuple().exponent
        digits = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        return Stated(number, Decimal(5).scaleb(-digits - 1), value)

    def area(self, column: str) -> Decimal | None:
        value = self.text(column).replace(",", "").replace(" ", "")
        if not value:
            return None
        match = _AREA.match(value)
        unit = normalise_unit(match.group(2) or "㎡") if match else ""
        if not match or unit not in UNITS or UNITS[unit][0] is not Quantity.AREA:
            raise self.error(column, "无法识别为面积，请写成如 20000（㎡）、2公顷 或 30亩")
        area = Fraction(Decimal(match.group(1))) * UNITS[unit][1]
        if (area * Fraction(10) ** 6).denominator == 1:
            return Decimal(area.numerator) / Decimal(area.denominator)
        return round_fraction(area, 6)  # 亩 → ㎡ does not terminate: kept to 0.000001 ㎡

    def year(self, column: str) -> int | None:
        value = self.text(column).removesuffix("年")
        if not value:
            return None
        if not re.fullmatch(r"(19|20)\d\d", value):
            raise self.error(column, "应为四位年份，如 2027")
        return int(value)


def parse_rows(rows: list[tuple[int, dict[str, object]]], name: str) -> ProjectRecord:
    project = project_name = None
    investment = cost_total = income_total = ratio = None
    financing: list[FinancingItem] = []
    costs: list[CostItem] = []
    income: list[IncomeItem] = []
    for line, cells in rows:
        row = _Cells(name, line, cells)
        kind = row.required("类型", "类型")
        if kind not in KINDS:
            raise row.error("类型", f"无法识别，可用的类型：{'、'.join(KINDS)}")
        if kind == "项目":
            project = row.required("名称", "项目编号")
            project_name = row.text("说明") or None
        elif kind == "总投资":
            investment = row.money("金额")
        elif kind == "债券":
            financing.append(_bond(row))
        elif kind == "其他资金":
            financing.append(
                FinancingItem(row.required("名称", "资金名称"), row.money("金额").value, None, line)
            )
        elif kind == "成本":
            costs.append(CostItem(row.required("名称", "成本类别"), row.money("金额"), line))
        elif kind == "成本合计":
            cost_total = row.money("金额")
        elif kind == "收入":
            income.append(_income(row))
        elif kind == "收入合计":
            income_total = row.money("金额")
        else:
            ratio = row.number("金额")
    if project is None:
        raise InputError(f"文件 {name} 缺少“项目”行（类型 项目，名称 = 项目编号）", code="record.no_project")
    return ProjectRecord(
        project, project_name, tuple(financing), investment, tuple(costs), cost_total, tuple(income),
        income_total, ratio, name,
    )  # fmt: skip


def _bond(row: _Cells) -> FinancingItem:
    code = row.required("名称", "债券名称")
    amount = row.money("金额").value
    try:
        issue = date.fromisoformat(row.required("发行日", "发行日"))
    except ValueError:
        raise row.error("发行日", "应为日期 YYYY-MM-DD，如 2019-08-20") from None
    try:
        years, call = parse_term(row.required("期限", "期限"))
    except LandReserveError as exc:
        raise row.error("期限", exc.message) from None
    try:
        coupon = parse_percent(row.required("利率", "票面利率"), "利率")
    except LandReserveError as exc:
        raise row.error("利率", exc.message) from None
    repayment, shares = Repayment.BULLET, ()
    written = row.text("还本方式")
    if written:
        if written in _REPAYMENTS:
            repayment = _REPAYMENTS[written]
        else:
            try:
                repayment, shares = Repayment.SHARES, parse_shares(written)
            except LandReserveError:
                raise row.error(
                    "还本方式", "应为 到期一次还本、分年等额还本，或各年比例如 6:50,7:50（第6、7年各还50%）"
                ) from None
    frequency = InterestFrequency.YEARLY
    if row.text("付息方式"):
        if row.text("付息方式") not in _FREQUENCIES:
            raise row.error("付息方式", "应为 按年 或 按半年")
        frequency = _FREQUENCIES[row.text("付息方式")]
    cost = row.money("发行费用", required=False)
    try:
        terms = BondTerms(
            code, amount, issue, years, coupon, repayment, frequency, shares=shares, call_after_years=call,
            issue_cost=cost.value if cost else Decimal("0.00"),
        )  # fmt: skip
    except LandReserveError as exc:
        raise InputError(
            f"文件 {row.name} 第 {row.line} 行（债券 {code}）：{exc.message}",
            code="record.cell",
            details={"file": row.name, "row": row.line},
        ) from None
    return FinancingItem(code, amount, terms, row.line)


def _income(row: _Cells) -> IncomeItem:
    name = row.required("名称", "收入项目（用途或地块）")
    area, stated, year = row.area("面积"), row.money("金额", required=False), row.year("年度")
    price_text = row.text("单价").replace(" ", "")
    if not price_text:
        if stated is None:
            raise row.error("单价", "收入行须有 面积和单价，或直接给出金额")
        return IncomeItem(name, IncomeBasis.STATED, area, None, None, stated, year, row.line)
    if area is None:
        raise row.error("面积", "有单价时须写面积")
    rule = _RULE.match(price_text)
    if rule:
        try:
            inputs = tuple(parse_price(v, "单价") for v in re.split(r"[,，、;；]", rule.group(2)) if v)
        except LandReserveError as exc:
            raise row.error(
                "单价", _price_problem(exc, "价格规则中的评估价应为数字，如 较低者(3200,3500)×98%")
            ) from None
        if len(inputs) < 2:
            raise row.error("单价", "价格规则至少需要两个评估价，如 较低者(3200,3500)×98%")
        percent = Decimal(rule.group(3)) if rule.group(3) else Decimal(100)
        effective = Fraction(max(inputs)) * Fraction(percent) / 100
        try:  # the price the rule gives (×0% or ×99999% is no price)
            plausibility.price_per_m2(
                Decimal(effective.numerator) / Decimal(effective.denominator), "价格规则的单价"
            )
        except InputError as exc:
            raise row.error("单价", exc.message) from None
        _refuse_implausible_income(row, area, effective)
        price_rule = PriceRule(_RULE_KINDS[rule.group(1)], inputs, percent)
        return IncomeItem(name, IncomeBasis.PRICE_RULE, area, None, price_rule, stated, year, row.line)
    try:
        price = parse_price(price_text, "单价")
    except LandReserveError as exc:
        raise row.error(
            "单价",
            _price_problem(exc, "应为单价（如 3000、80万元/亩）或价格规则（如 较低者(3200,3500)×98%）"),
        ) from None
    _refuse_implausible_income(row, area, price)
    return IncomeItem(name, IncomeBasis.AREA_PRICE, area, price, None, stated, year, row.line)


def _price_problem(error: LandReserveError, unreadable: str) -> str:
    """What is wrong with a 单价: its implausibility (``domain.plausibility``), or ``unreadable``."""
    return error.message if error.code == "input.price_implausible" else unreadable


def _refuse_implausible_income(row: _Cells, area: Decimal, price: Decimal | Fraction) -> None:
    """Area × (highest) price above the one limit on money (十万亿元): a unit or a digit typed wrong.
    Refused here, before the check computes with it (an amount past 28 digits cannot be rounded to 分)."""
    if Fraction(area) * Fraction(price) > plausibility.MAX_AMOUNT_YUAN:
        raise row.error(
            "单价",
            "与面积相乘超过十万亿元，不合常理：请核对单价（元/㎡，或写明 万元/亩）、价格规则的比例和面积的单位",
        )
