"""Jinja2 pages in Chinese: the shared layout, number and date formats, labels of states and departments."""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2.filters import do_urlencode
from jinja2.utils import url_quote
from starlette.responses import HTMLResponse

from ..domain.actors import DEPARTMENTS
from ..domain.evidence import CLEARANCE_ITEMS, EVIDENCE_LABELS, WORKS, subject_label
from ..domain.lifecycle import STATE_LABELS, GateStatus, State
from ..domain.permissions import PERMISSION_LABELS, Permission, allowed
from ..domain.register import CONDITION_LABELS, SOURCE_LABELS
from ..services.plan_versions import STATUS_LABELS
from .basemap import basemap_config
from .map_style import style_data

TEMPLATES = Path(__file__).parent / "templates"
#: record times are stored in UTC; people read Beijing time (the time all of Xinjiang's offices keep)
LOCAL = ZoneInfo("Asia/Shanghai")
M2_PER_HA = Decimal(10000)
M2_PER_MU = Decimal(10000) / Decimal(15)


def _q(value: Decimal, places: str) -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def ha(area_m2, places: str = "0.0001") -> str:
    if area_m2 in (None, ""):
        return "—"
    return f"{_q(Decimal(area_m2) / M2_PER_HA, places):,}"


def mu(area_m2) -> str:
    if area_m2 in (None, ""):
        return "—"
    return f"{_q(Decimal(area_m2) / M2_PER_MU, '0.01'):,}"


def yuan(amount) -> str:
    if amount in (None, ""):
        return "—"
    return f"{_q(Decimal(amount), '0.01'):,}"


def wan(amount) -> str:
    """万元 with two decimals (how budgets and reports state money)."""
    if amount in (None, ""):
        return "—"
    return f"{_q(Decimal(amount) / Decimal(10000), '0.01'):,}"


def percent(value, places: str = "0.01") -> str:
    if value in (None, ""):
        return "—"
    return f"{_q(Decimal(value) * 100, places)}%"


def local_time(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value
        return aware.astimezone(LOCAL).strftime("%Y-%m-%d %H:%M")
    return str(value)


def day(value) -> str:
    if value is None:
        return "—"
    return value.isoformat() if isinstance(value, date) else str(value)


def state_label(value) -> str:
    try:
        return STATE_LABELS[State(value)]
    except ValueError:
        return str(value)


#: gates met by a field of the transition form itself
_FORM_FIELDS = {
    "reason": "请在本栏的“调出原因”中写明原因",
    "supply_details": "请在本栏填写供应方式、供应日期、合同编号和价款",
}


#: the parcel page's form of facts: field → its label (the hint of a missing fact names the same label)
FACT_FORM_LABELS = {
    "location": "坐落",
    "area_m2": "面积（平方米）",
    "land_use": "用途",
    "zone": "区域",
    "stock": "存量/新增",
    "source": "来源",
    "condition": "现状（闲置、低效或正常利用）",
}


def gate_hint(status: GateStatus) -> str:
    """What the parcel page tells to do for a missing gate, worded for its forms (the CLI hint otherwise)."""
    kind = status.gate.kind
    if status.gate.key in _FORM_FIELDS:
        return _FORM_FIELDS[status.gate.key]
    if status.gate.key.startswith("fact:"):
        name = status.gate.key.removeprefix("fact:")
        return (
            f"请在上方“基本情况”的“补填或修改属性”中填写“{FACT_FORM_LABELS.get(name, name)}”（储备中心办理）"
        )
    if kind is None or not status.awaits_evidence:
        return status.note
    subject = status.gate.subject
    named = f"，对象填“{subject_label(kind, subject)}”" if subject else ""
    return f"请在下方“登记证据”中选证据类型“{EVIDENCE_LABELS[kind]}”{named}，填写文件编号、日期和确认人（可附证明文件）"


@functools.lru_cache(maxsize=65536)
def _quoted(text: str) -> str:
    return url_quote(text)


def urlencode(value) -> str:
    """Jinja's ``urlencode``, each text quoted once and then remembered (a list page quotes a hundred codes)."""
    return _quoted(value) if isinstance(value, str) else do_urlencode(value)


def make_templates(*, reload: bool = True) -> Jinja2Templates:
    """The pages' templates. ``reload``: look whether a template file changed at every use (a server
    process reads them once: the check is a file system call per template and page)."""
    templates = Jinja2Templates(directory=str(TEMPLATES))
    env = templates.env
    env.auto_reload = reload
    env.filters.update(ha=ha, mu=mu, yuan=yuan, wan=wan, percent=percent, local_time=local_time, day=day,
                       state_label=state_label, urlencode=urlencode)  # fmt: skip
    env.globals.update(
        DEPARTMENTS=DEPARTMENTS, STATE_LABELS={s.value: label for s, label in STATE_LABELS.items()},
        EVIDENCE_LABELS={k.value: v for k, v in EVIDENCE_LABELS.items()}, WORKS=WORKS,
        CLEARANCE_ITEMS=CLEARANCE_ITEMS, VERSION_STATUS=STATUS_LABELS, Permission=Permission,
        PERMISSION_LABELS=PERMISSION_LABELS, SOURCE_LABELS={k.value: v for k, v in SOURCE_LABELS.items()},
        CONDITION_LABELS={k.value: v for k, v in CONDITION_LABELS.items()}, map_style=style_data(),
        gate_hint=gate_hint, FACT_LABEL=FACT_FORM_LABELS,
    )  # fmt: skip
    return templates


def renderer(templates: Jinja2Templates):
    def render(request: Request, name: str, context: dict | None = None, status: int = 200) -> HTMLResponse:
        session = getattr(request.state, "session_view", None)
        account = session.account if session else None
        data = {
            "request": request,
            "account": account,
            "csrf_token": session.csrf_token if session else "",
            "web": request.app.state.web,
            "root": request.app.state.web.root_path,
            "basemap": basemap_config(request.app.state.web),
            "can": (lambda p: account is not None and allowed(account.department, p)),
            **(context or {}),
        }
        return templates.TemplateResponse(request, name, data, status_code=status)

    return render
