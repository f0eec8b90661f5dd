"""The web application (FastAPI + Jinja2 + htmx): pages for the departments, a public disclosure page, and a
JSON API with OpenAPI — all over ``landreserve.services`` (the same use cases and permissions as the CLI).

Modules: ``app`` (factory, middleware), ``config`` (settings), ``security`` (cookies, CSRF, headers), ``deps``
(the caller of a request), ``errors`` (Chinese error responses), ``templating`` (Jinja2), ``charts`` (SVG),
``routers/`` (one module per area: pages and API side by side), ``templates/``, ``static/``.
"""
