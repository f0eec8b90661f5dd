"""The click commands of the Typer app, each one made when it is first used.

Typer makes every command of the program into a click command before it parses the command line
(``typer.main.get_command``): it reads each command function's signature and annotations into options,
about a millisecond per command, for all of them — also for ``landreserve --help``, which shows only the
names and help lines of the top-level commands. Here each command and group is first a shell holding just
what a listing of it shows (name, help, short help, hidden, deprecated, help panel); the first use of
anything else (its options, callback, sub-commands) makes it in place, by Typer's own functions. The help
shown is the same byte for byte as Typer's (``tests/test_cli_startup.py``).
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable
from typing import Any

import click
from typer import Typer
from typer import main as typer_main

#: shell class per command class (a subclass that makes the real command when it is first looked into)
_SHELLS: dict[type, type] = {}


def _getattr(self: Any, name: str) -> Any:
    make = self.__dict__.pop("_make", None)
    if make is None or name.startswith("__"):
        if make is not None:
            self.__dict__["_make"] = make
        raise AttributeError(name)
    self.__dict__.update(make().__dict__)
    return getattr(self, name)


def _shell(cls: type, make: Callable[[], click.Command], **listed: Any) -> click.Command:
    """A command of class ``cls`` that has only the ``listed`` attributes until any other is asked for:
    then ``make()`` makes the command, and the shell takes all its attributes."""
    if cls not in _SHELLS:
        _SHELLS[cls] = type(cls.__name__, (cls,), {"__getattr__": _getattr, "__module__": cls.__module__})
    shell = object.__new__(_SHELLS[cls])
    shell.__dict__.update(listed, _make=make)
    return shell


def command(app: Typer) -> click.Command:
    """The click command of ``app`` (a group), as ``typer.main.get_command`` makes it, with every command
    and sub-group a shell."""
    settings = {
        "pretty_exceptions_short": app.pretty_exceptions_short,
        "rich_markup_mode": app.rich_markup_mode,
        "suggest_commands": app.suggest_commands,
    }
    group = _group(typer_main.TyperInfo(app), settings)
    if app._add_completion:
        group.params.extend(typer_main.get_install_completion_arguments())
    return group


def _group(info: typer_main.TyperInfo, settings: dict[str, Any]) -> click.Group:
    """The group of ``info`` made by Typer without its commands, which are then added as shells."""
    instance = info.typer_instance
    assert instance is not None
    bare = copy.copy(instance)
    bare.registered_commands = []
    bare.registered_groups = []
    bare_info = copy.copy(info)
    bare_info.typer_instance = bare
    group = typer_main.get_group_from_info(bare_info, **settings)
    command_settings = {k: settings[k] for k in ("pretty_exceptions_short", "rich_markup_mode")}
    for command_info in instance.registered_commands:
        shell = _command_shell(command_info, command_settings)
        group.commands[shell.name] = shell
    for sub in instance.registered_groups:
        solved = typer_main.solve_typer_info_defaults(sub)
        if not solved.name:  # merged into this group (``add_typer`` without a name): made at once
            made = _group(sub, settings)
            group.commands.update(made.commands)
            continue
        group.commands[solved.name] = _shell(
            solved.cls or typer_main.TyperGroup,
            lambda sub=sub: _group(sub, settings),
            name=solved.name, help=solved.help, short_help=solved.short_help, hidden=solved.hidden,
            deprecated=solved.deprecated, rich_help_panel=solved.rich_help_panel,
        )  # fmt: skip
    return group


def _command_shell(info: typer_main.CommandInfo, settings: dict[str, Any]) -> click.Command:
    assert info.callback is not None
    name = info.name or typer_main.get_command_name(info.callback.__name__)
    help_text = inspect.getdoc(info.callback) if info.help is None else inspect.cleandoc(info.help)
    return _shell(
        info.cls or typer_main.TyperCommand,
        lambda: typer_main.get_command_from_info(info, **settings),
        name=name, help=help_text, short_help=info.short_help, hidden=info.hidden,
        deprecated=info.deprecated, rich_help_panel=info.rich_help_panel,
    )  # fmt: skip
