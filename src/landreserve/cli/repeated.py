"""A repeated option that a command cannot honour is refused (never silently the last one wins).

Click keeps only the last value of an option given twice (``--bond A --bond B`` → ``B``). The root group
of ``landreserve`` finds the command the arguments name and refuses, before anything runs, any option
that is not a list option (``multiple``) but is written more than once.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import typer
from typer.core import TyperGroup

EXIT_INPUT = 2


def _is_group(command: Any) -> bool:
    return hasattr(command, "get_command") and hasattr(command, "list_commands")


def _leaf(group: Any, ctx: Any, args: list[str]) -> tuple[Any, list[str]]:
    command = group
    rest = list(args)
    while _is_group(command):
        names = [a for a in rest if not a.startswith("-")]
        if not names:
            return None, []
        sub = command.get_command(ctx, names[0])
        if sub is None:
            return None, []
        command, rest = sub, rest[rest.index(names[0]) + 1 :]
    return command, rest


def repeated_options(command: Any, args: list[str]) -> list[str]:
    """The option names of ``command`` that take one value but are written more than once in ``args``."""
    single: dict[str, Any] = {}
    for param in command.params:
        if (
            getattr(param, "param_type_name", "") == "option"
            and not param.multiple
            and not getattr(param, "count", False)
        ):
            for name in (*param.opts, *param.secondary_opts):
                single[name] = param
    seen: Counter[str] = Counter()
    first_name: dict[str, str] = {}
    for arg in args:
        if arg == "--":
            break
        name = arg.split("=", 1)[0] if arg.startswith("--") else arg
        param = single.get(name)
        if param is not None and param.name:
            seen[param.name] += 1
            first_name.setdefault(param.name, name)
    return [first_name[n] for n, count in seen.items() if count > 1]


class RefuseRepeatedOptions(TyperGroup):
    """The root group: refuses a repeated single-value option of the command being run."""

    def invoke(self, ctx):
        protected = getattr(ctx, "_protected_args", None)
        if protected is None:
            protected = ctx.protected_args
        command, rest = _leaf(self, ctx, [*protected, *ctx.args])
        if command is not None:
            doubled = repeated_options(command, rest)
            if doubled:
                from .common import err_console

                err_console.print(
                    f"[bold red]错误[/] 选项 {'、'.join(doubled)} 只能写一次（重复写时无法同时采用两个值）；"
                    "请只保留一个值",
                    highlight=False,
                )
                raise typer.Exit(EXIT_INPUT)
        return super().invoke(ctx)
