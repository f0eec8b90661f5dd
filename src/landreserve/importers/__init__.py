"""Importers: published plan documents (UTF-8/GBK/GB18030 text, .docx) → ``PlanDocument``.

>>> from landreserve.importers import parse_plan_text
>>> parse_plan_text("某县2026年土地储备计划\\n计划储备土地12.50公顷。", "x.txt").figures[0].value
'12.50'
"""

from __future__ import annotations

from pathlib import Path

from landreserve.domain.plans import PlanDocument
from landreserve.errors import InputError

from .plan_text import parse_plan_lines, parse_plan_text
from .sources import MAX_PLAN_BYTES, lines_of, read_source

__all__ = ["MAX_PLAN_BYTES", "parse_plan_text", "read_plan", "read_plan_bytes"]


def read_plan(path: str | Path) -> PlanDocument:
    """Read the plan document at ``path`` (text in UTF-8/GBK/GB18030, or .docx).

    Raises
    ------
    InputError
        With code ``plan.not_found``, ``plan.empty``, ``plan.too_large``, ``plan.binary``,
        ``plan.encoding``, ``plan.not_docx`` or ``plan.no_content`` and a Chinese message naming the file.
    """
    lines, name = read_source(path)
    return _checked(parse_plan_lines(lines, name), name)


def read_plan_bytes(data: bytes, name: str) -> PlanDocument:
    """Read a plan given as bytes (an upload); ``name`` is the file name (its extension matters)."""
    return _checked(parse_plan_lines(lines_of(data, name), name), name)


def _checked(doc: PlanDocument, name: str) -> PlanDocument:
    unreadable_numbers = [p for p in doc.problems if p.code.startswith("number.")]
    if not doc.figures and not doc.parcels and not unreadable_numbers:
        raise InputError(
            f"文件“{name}”中没有找到任何计划内容（没有面积、金额、比例或宗数，也没有地块清单）。"
            "请确认这是一份土地储备或供应计划的正文。",
            code="plan.no_content",
            details={"file": name},
        )
    return doc
