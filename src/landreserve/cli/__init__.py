"""The ``landreserve`` command line (Typer). Each module adds the commands of one domain area."""

from __future__ import annotations

import typer

from .repeated import RefuseRepeatedOptions

app = typer.Typer(
    help="landreserve：县级土地储备计划、储备库、资金与地块空间管理。",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=RefuseRepeatedOptions,
)

# Registration order is the order of `landreserve --help`: the plan first, then the register, money, maps.
from . import plans  # noqa: E402,F401,I001  (registers `audit`, `import`, `plans`, `show`)
from . import register  # noqa: E402,F401  (registers `parcel`, `plan`, `register`, `plan-vs-actual`, `verify-log`)
from . import funds  # noqa: E402,F401  (registers `funds`)
from . import geometry  # noqa: E402,F401  (registers `geo`)
from . import database  # noqa: E402,F401  (registers `db`)
from . import web  # noqa: E402,F401  (registers `serve`, `user`, `demo`)


def main() -> None:
    app()
