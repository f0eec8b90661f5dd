"""One module per area, each with its pages (``router``) and its JSON API (``api``) side by side.

Another area adds its module here (e.g. report downloads): import it and list its routers in ``ROUTERS``.
"""

from __future__ import annotations

from . import admin, auth, dashboard, funds, history, maps, parcels, plans, public, reports

ROUTERS = [
    auth.router, auth.api,
    dashboard.router, dashboard.api,
    plans.router, plans.api,
    parcels.router, parcels.api,
    maps.router, maps.api,
    funds.router,
    public.router, public.api,
    history.router,
    admin.router,
    reports.router, reports.api,
]  # fmt: skip
