"""The Typer app of the command line; each command module (``cli/*.py``) adds the commands of one domain area.

The command modules are imported when the program needs them: every one for the program's help and for
any use of ``app`` from Python (``from landreserve.cli import app``: its commands are all there), but only
``plans`` for ``landreserve audit`` when Typer runs it (a plain ``audit FILE`` runs without Typer, ``cli.audit``)
— the other modules would cost tens of milliseconds of imports it does not use (``tests/test_cli_startup.py``).
"""

from __future__ import annotations

import importlib
import sys

import typer

from . import help_screen
from .repeated import RefuseRepeatedOptions

help_screen.install()  # before typer.rich_utils is imported by a help screen

#: the command modules in registration order — the order of ``landreserve --help``: the plan first, then the
#: register, money, maps: ``plans`` registers `audit`, `import`, `plans`, `show` (and, through its imports,
#: `parcel`, `plan`); ``register`` `register`, `plan-vs-actual`, `verify-log`; ``funds`` `funds`;
#: ``geometry`` `geo`; ``reports`` `report`; ``database`` `db`; ``web`` `serve`, `user`, `demo`
COMMAND_MODULES = ("plans", "register", "funds", "geometry", "reports", "database", "web")
#: top-level commands whose module is enough on its own (``main`` imports only it)
LIGHT_COMMANDS = {"audit": "plans"}


class _CommandLine(typer.Typer):
    """A Typer app that imports its command modules when its commands are first looked at."""

    _loading = False
    _partial = False

    @property
    def registered_commands(self):
        self._load()
        return self._commands

    @registered_commands.setter
    def registered_commands(self, value):
        self._commands = value

    @property
    def registered_groups(self):
        self._load()
        return self._groups

    @registered_groups.setter
    def registered_groups(self, value):
        self._groups = value

    def _load(self, modules=COMMAND_MODULES) -> None:
        if _CommandLine._loading or (_CommandLine._partial and modules is COMMAND_MODULES):
            return
        _CommandLine._loading = True
        try:
            for name in modules:
                importlib.import_module(f"{__package__}.{name}")
        finally:
            _CommandLine._loading = False

    def __call__(self, *args, **kwargs):
        """Run the command line, its commands made as they are used (``cli.deferred``)."""
        from .deferred import command

        return command(self)(*args, **kwargs)


app = _CommandLine(
    help="landreserve：县级土地储备计划、储备库、资金与地块空间管理。",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=RefuseRepeatedOptions,
)


def run() -> None:
    """Run the command line on ``sys.argv``, only the command modules it needs imported."""
    command = next((a for a in sys.argv[1:] if not a.startswith("-")), None)
    light = LIGHT_COMMANDS.get(command or "")
    if light is not None:
        app._load((light,))
        _CommandLine._partial = True
    app()
