"""Reading problems as findings: malformed or missing numbers, truncated text, tables without units."""

from __future__ import annotations

import re

from landreserve.domain.findings import Finding, Severity

from . import numbers
from .clauses import sentence_text

_ENDINGS = ("。", ".", "；", ";", "！", "!", "？", "?", "）", ")", "”", "」", "》", ":", "：", "…")


def number_finding(line: int, clean: str, norm: str, problem: numbers.NumberProblem) -> Finding:
    """``number.malformed`` / ``number.missing`` (error) quoting the number, its line and sentence."""
    text = sentence_text(clean, norm, problem.start)
    written = clean[problem.start : problem.end]
    values = {"raw": written, "unit": problem.unit, "text": text}
    if problem.kind == "range":
        message = (
            f"第{line}行的“{written}”是一个范围，不是单个数字，未计入任何数字：“{text}”。"
            "如需核对，请在原文中写明确定的数值。"
        )
        return Finding("number.range", Severity.WARNING, message, (line,), values)
    if problem.kind == "spaced":
        message = (
            f"第{line}行的“{written}”中数字被空格隔开，可能是按千位分组的一个数（{written.replace(' ', '')}），"
            f"也可能是两个数，无法确定，未计入任何数字：“{text}”。请核对原文，去掉空格后重新导入。"
        )
        return Finding("number.spaced", Severity.WARNING, message, (line,), values)
    if problem.kind == "stop_point":
        message = (
            f"第{line}行的“{written}”中句号“。”夹在数字之间，可能是误写的小数点"
            f"（{problem.raw.replace('。', '.', 1)}{problem.unit}），也可能是两句话，无法确定，"
            f"未计入任何数字：“{text}”。请核对原文改正后重新导入。"
        )
        return Finding("number.stop_point", Severity.WARNING, message, (line,), values)
    if problem.kind == "missing":
        message = f"第{line}行“{text}”中的“{problem.unit}”前没有数值，无法读取这个数字。请在原文中补上数值后重新导入。"
        return Finding("number.missing", Severity.ERROR, message, (line,), values)
    message = (
        f"第{line}行的数字“{written}”写法有误（{malformed_reason(problem.raw)}），无法读取，未计入任何数字："
        f"“{text}”。请核对原文改正后重新导入。"
    )
    return Finding("number.malformed", Severity.ERROR, message, (line,), values)


def malformed_reason(raw: str) -> str:
    """Why a written number is malformed, in Chinese."""
    if re.search(r"[A-Za-z]", raw):
        letters = "".join(sorted(set(re.findall(r"[A-Za-z]", raw))))
        return f"数字中夹有字母“{letters}”"
    if raw.startswith("."):
        return "小数点前缺少整数部分"
    if ".." in raw:
        return "有连续的小数点"
    if raw.count(".") > 1:
        return "有多个小数点"
    if "," in raw:
        return "千分位分隔符位置不对"
    if raw.endswith("."):
        return "小数点后缺少数字"
    digits = sum(ch.isdigit() for ch in raw)
    if digits > numbers.MAX_DIGITS:
        return f"位数过多（{digits}位）"
    return "不是有效的数字"


def looks_truncated(clean: str) -> bool:
    """A last line that stops mid-sentence (no closing punctuation)."""
    text = clean.strip()
    cut_number = re.search(r"\d[.．]$", text) is not None  # ``商服用地6.``: cut after a decimal point
    return len(text) > 15 and (cut_number or not text.endswith(_ENDINGS))


def truncated_finding(line: int, clean: str) -> Finding:
    tail = clean.strip()[-30:]
    return Finding(
        "text.truncated",
        Severity.WARNING,
        f"文本在第{line}行“…{tail}”处中断，句子没有结束，文件可能不完整。请核对是否是完整的计划原文。",
        (line,),
        {"text": tail},
    )


def unreadable_line_finding(line: int, clean: str, exc: Exception) -> Finding:
    return Finding(
        "text.unreadable_line",
        Severity.WARNING,
        f"第{line}行未能解析（{type(exc).__name__}），其中的数字没有计入：“{clean.strip()[:60]}”。"
        "请核对该行，并将文件反馈给维护人员。",
        (line,),
        {"text": clean.strip()[:200]},
    )


def table_unit_missing_finding(line: int) -> Finding:
    return Finding(
        "table.unit_missing",
        Severity.WARNING,
        f"第{line}行开始的地块表没有注明面积单位（表头或“单位：公顷”），不带单位的面积数字未读取。"
        "请在表头注明单位（如“面积（公顷）”）后重新导入。",
        (line,),
        {},
    )


def split_number_finding(line: int, tail: str, head: str) -> Finding:
    return Finding(
        "number.split_line",
        Severity.WARNING,
        f"第{line}行末尾的“{tail}”与第{line + 1}行开头的“{head}”被换行拆开，这个数字未能读取。"
        "请把两行合并后重新导入。",
        (line, line + 1),
        {"raw": f"{tail}{head}"},
    )
