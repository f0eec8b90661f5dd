"""Deferred imports for the command line, so that every command starts at once.

The rule for command modules (``landreserve/cli/*.py``): at module level import only ``typer``, ``rich``,
the standard library, ``landreserve.errors`` and the pure-Python ``landreserve.domain`` (except
``domain.audit``, the auditor, which only ``audit``/``import`` need). Everything else — the services (they
load SQLAlchemy and Alembic), ``landreserve.gis`` (NumPy, Shapely, pyproj, GDAL through pyogrio, which also
loads pandas and GeoPandas), reports, the web application — is bound with :func:`lazy`::

    service = lazy("landreserve.services.geometry")   # nothing is imported yet

    @geo_app.command("import")
    def import_command(...):
        service.import_boundaries(...)                # the first attribute access imports it

so that ``landreserve --help`` and ``landreserve audit`` load none of them (``tests/test_cli_startup.py``
fails when one is imported at start-up). A name used only in annotations goes under
``if TYPE_CHECKING:``.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType


def lazy(name: str) -> ModuleType:
    """The module ``name``, imported on first attribute access (``importlib.util.LazyLoader``).

    Parent packages are imported at once (they are light); an already imported module is returned as is.
    """
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)
    return module
