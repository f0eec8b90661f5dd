"""The reserve register on the command line: ``landreserve parcel …`` (:mod:`.parcels`), ``plan …``
(:mod:`.plan_versions`), ``plan-vs-actual`` (:mod:`.plan_vs_actual`), ``verify-log`` (:mod:`.history`) and,
here, ``register findings``."""

from __future__ import annotations

from typing import Annotated

import typer

from ..domain.findings import Severity
from . import app, history, parcels, plan_versions, plan_vs_actual  # noqa: F401  (register their commands)
from .common import console, context, handled, print_json
from .findings import print_findings
from .lazy import lazy
from .options import JsonOpt, option_date

register = lazy("landreserve.services.register")

register_app = typer.Typer(help="储备库检查。", no_args_is_help=True)
app.add_typer(register_app, name="register")


@register_app.command("findings")
def register_findings(
    today: Annotated[str | None, typer.Option("--today", help="以该日期检查（默认今天）")] = None,
    as_json: JsonOpt = False,
) -> None:
    """检查储备库：临时利用到期未收回、拟收储地块不在现行计划中等。"""
    with handled(as_json):
        found = register.findings(context(), option_date(today, "--today"))
        if as_json:
            print_json([f.to_dict() for f in found])
            return
        if not found:
            console.print("未发现问题。")
        print_findings(found)
        if any(f.severity == Severity.ERROR for f in found):
            raise typer.Exit(1)
