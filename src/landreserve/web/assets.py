"""Front-end libraries served from their PyPI wheels (never committed, never from a CDN):
Leaflet 1.9.4 (``django-js-lib-leaflet``) and htmx 2.0.3 (``django-js-lib-htmx``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

#: URL prefix → folder inside an installed package
PACKAGED = {
    "leaflet": ("js_lib_leaflet", "static/js_lib_leaflet"),
    "htmx": ("js_lib_htmx", "static/htmx"),
}
#: the files the pages load, with the version each must be (a test pins their SHA-256 too)
FILES = {
    "leaflet/leaflet.js": "1.9.4",
    "leaflet/leaflet.css": "1.9.4",
    "htmx/htmx.min.js": "2.0.3",
}
OWN = Path(__file__).parent / "static"


def packaged_folder(prefix: str) -> Path:
    package, folder = PACKAGED[prefix]
    return Path(str(resources.files(package))) / folder
