"""The map library the map page draws tiles with, self-hosted: Leaflet and protomaps-leaflet.

Taken from the npm registry at setup (`tools/fetch_map_assets.py`, which `scripts/setup.sh`
runs), pinned by version and by the Subresource Integrity of each file the browser loads, and
served by Balises from `/static/vendor/`: no CDN, no third-party request. Leaflet with
protomaps-leaflet draws a PMTiles archive's vector tiles on a canvas with the phone's own fonts
(MapLibre would need a glyph server), in about 85 KB of compressed JavaScript and CSS. Without
these files the map page draws its plan (and says nothing is missing to residents).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

VENDOR = Path(__file__).resolve().parent / "static" / "vendor"


@dataclass(frozen=True)
class Asset:
    package: str  # name@version on the npm registry
    member: str  # the file inside the package's tarball
    name: str  # served as /static/vendor/<name>
    sri: str  # sha384 of the file, as the page's integrity attribute says it

    @property
    def url(self) -> str:
        return f"/static/vendor/{self.name}"

    @property
    def path(self) -> Path:
        return VENDOR / self.name


LEAFLET_JS = Asset(
    "leaflet@1.9.4",
    "package/dist/leaflet.js",
    "leaflet.js",
    "sha384-cxOPjt7s7Iz04uaHJceBmS+qpjv2JkIHNVcuOrM+YHwZOmJGBXI00mdUXEq65HTH",
)
LEAFLET_CSS = Asset(
    "leaflet@1.9.4",
    "package/dist/leaflet.css",
    "leaflet.css",
    "sha384-sHL9NAb7lN7rfvG5lfHpm643Xkcjzp4jFvuavGOndn6pjVqS6ny56CAt3nsEVT4H",
)
PROTOMAPS_JS = Asset(
    "protomaps-leaflet@5.1.0",
    "package/dist/protomaps-leaflet.js",
    "protomaps-leaflet.js",
    "sha384-pAKrddYWxjFAIJwatOtmmtq9ebz3ZwluHCEg3pqOMpOporUofLqz/l5hs+0LAWaH",
)
ASSETS = (LEAFLET_JS, LEAFLET_CSS, PROTOMAPS_JS)


def sri_of(data: bytes) -> str:
    """The integrity value a browser computes for `data` (sha384, base64)."""
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


@cache
def installed(folder: Path = VENDOR) -> bool:
    """Whether every file is there and is the pinned one (checked once per process)."""
    try:
        return all(sri_of((folder / a.name).read_bytes()) == a.sri for a in ASSETS)
    except OSError:
        return False
