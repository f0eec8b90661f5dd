"""Typer's help screens without loading Markdown and traceback rendering.

``typer.rich_utils`` (imported for every help screen) imports ``rich.markdown`` (which loads markdown-it) and
``rich.traceback`` (which loads pygments) at its top, for help written in Markdown and for pretty tracebacks.
This command line uses neither: its help is rich markup and pretty exceptions are off. :func:`install` puts
stand-ins for the two modules in ``sys.modules`` before Typer gets to them, which saves about 40 ms of CPU
and 3 MB on every help screen (``python -m benchmarks cli_startup``). The help shown is the same byte for
byte (``tests/test_cli_startup.py``). A stand-in is no dead end: using its class, or any other name of the
module, imports the real module in its place.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

#: module → the one name ``typer.rich_utils`` takes from it
DEFERRED = {"rich.markdown": "Markdown", "rich.traceback": "Traceback"}


class StandIn(ModuleType):
    """A module not imported yet: any attribute but its stand-in class imports the real one."""

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(real(self.__name__), name)


def real(module: str) -> ModuleType:
    """The real module, imported in place of its stand-in."""
    if isinstance(sys.modules.get(module), StandIn):
        del sys.modules[module]
    return importlib.import_module(module)


def _forwarding(module: str, name: str) -> type:
    """A class whose construction (and class methods) are the real class's."""

    class Forward:
        def __new__(cls, *args, **kwargs):
            return getattr(real(module), name)(*args, **kwargs)

        @classmethod
        def from_exception(cls, *args, **kwargs):  # ``Traceback.from_exception``
            return getattr(real(module), name).from_exception(*args, **kwargs)

    Forward.__name__ = Forward.__qualname__ = name
    return Forward


def install() -> None:
    """Put the stand-ins in place, unless Typer's help or the modules were already imported."""
    if "typer.rich_utils" in sys.modules:
        return
    for module, name in DEFERRED.items():
        if module not in sys.modules:
            stand_in = StandIn(module)
            setattr(stand_in, name, _forwarding(module, name))
            sys.modules[module] = stand_in
