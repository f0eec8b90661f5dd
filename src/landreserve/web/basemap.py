"""The map's background (LANDRESERVE_BASEMAP): ``none`` — a blank background, works offline (the default);
``tiles`` — tiles of a local ``.mbtiles`` file or ``{z}/{x}/{y}.png`` folder (LANDRESERVE_TILES), served by
this application at ``/tiles/{z}/{x}/{y}.png``; ``tianditu`` — 天地图 vector tiles and labels with the
county's key (LANDRESERVE_TIANDITU_KEY; the browser fetches them from tianditu.gov.cn)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from .config import WebSettings

TIANDITU = (
    "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}"
    "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}"
)


def basemap_config(web: WebSettings) -> dict:
    """What ``map.js`` needs to draw the background (JSON in a ``data-basemap`` attribute)."""
    config: dict = {"kind": web.basemap, "center": [web.map_center[1], web.map_center[0]], "layers": []}
    if web.basemap == "tiles":
        config["layers"] = [
            {"url": f"{web.root_path}/tiles/{{z}}/{{x}}/{{y}}.png", "attribution": "本地瓦片"}
        ]
    elif web.basemap == "tianditu":
        key = web.tianditu_key or ""
        config["layers"] = [
            {
                "url": TIANDITU.replace("{layer}", layer).replace("{key}", key),
                "subdomains": "01234567",
                "attribution": "天地图",
            }  # fmt: skip
            for layer in ("vec", "cva")
        ]
    return config


def tile(web: WebSettings, z: int, x: int, y: int) -> bytes | None:
    """One tile of the local tile source, ``None`` when it has none there."""
    source = Path(web.tiles or "")
    if source.is_dir():
        path = source / str(z) / str(x) / f"{y}.png"
        return path.read_bytes() if path.is_file() else None
    if source.is_file():
        with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as con:
            row = con.execute(  # MBTiles rows count from the bottom (TMS)
                "SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
                (z, x, (1 << z) - 1 - y),
            ).fetchone()
        return bytes(row[0]) if row else None
    return None
