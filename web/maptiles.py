"""The city's map tiles: one PMTiles archive (or a folder of them) named by `BALISES_MAP_TILES`.

Balises never asks a third party for a tile: the map page draws from an archive the city put
on its own server, read by the browser with HTTP range requests (`served`: Starlette's
`FileResponse` answers `Range`, and 416 past the end of the file), or by nginx from the same
path (README). An archive that is missing, unreadable or not PMTiles
never stops the site: the map falls back to its plan drawing, and `Tiles.problem` says why,
for the staff home. The archives are looked at once, when the site starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pmtiles.tile import MagicNumberNotFound, SpecVersionUnsupported, deserialize_header
from starlette.responses import FileResponse

from web.i18n import gettext as _

HEADER_BYTES = 127
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.pmtiles$")


@dataclass(frozen=True)
class Archive:
    """One archive: its file, the area it covers (degrees) and its zooms."""

    name: str
    path: Path
    west: float
    south: float
    east: float
    north: float
    min_zoom: int
    max_zoom: int

    def covers(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east

    @property
    def url(self) -> str:
        return f"/tuiles/{self.name}"


def _said(kind: str) -> str:
    """What is wrong with the setting, in the reader's language (asked when it is shown)."""
    return {
        "unreadable": _("BALISES_MAP_TILES : impossible de lire %(path)s (%(reason)s)"),
        "not-pmtiles": _("BALISES_MAP_TILES : %(path)s n'est pas une archive PMTiles (version 3)"),
        "empty-folder": _("BALISES_MAP_TILES : aucun fichier .pmtiles dans %(path)s"),
        "missing": _("BALISES_MAP_TILES : %(path)s n'existe pas"),
        "not-a-pmtiles-name": _("BALISES_MAP_TILES : %(path)s doit être un fichier .pmtiles"),
    }[kind]


@dataclass(frozen=True)
class Problem:
    """Why an archive cannot be used; `str()` says it in the current language."""

    kind: str
    path: Path
    reason: str = ""

    def __str__(self) -> str:
        return _said(self.kind) % {"path": self.path, "reason": self.reason}


@dataclass(frozen=True)
class Tiles:
    """The archives found, and what the setting names that cannot be used (for the staff)."""

    archives: tuple[Archive, ...] = ()
    problems: tuple[Problem, ...] = ()

    def archive_for(self, points: list[tuple[float, float]]) -> Archive | None:
        """The first archive that covers every point (lat, lon) of a map, if any."""
        if not points:
            return None
        return next((a for a in self.archives if all(a.covers(*p) for p in points)), None)

    def named(self, name: str) -> Archive | None:
        return next((a for a in self.archives if a.name == name), None)


def _read(path: Path) -> Archive | Problem:
    """The archive at `path`, or what is wrong with it."""
    try:
        with path.open("rb") as handle:
            head = handle.read(HEADER_BYTES)
    except OSError as error:
        return Problem("unreadable", path, error.strerror or str(error))
    try:
        if len(head) < HEADER_BYTES:
            raise MagicNumberNotFound
        header = deserialize_header(head)
    except (MagicNumberNotFound, SpecVersionUnsupported, UnicodeDecodeError, ValueError):
        return Problem("not-pmtiles", path)
    return Archive(
        name=path.name,
        path=path,
        west=header["min_lon_e7"] / 1e7,
        south=header["min_lat_e7"] / 1e7,
        east=header["max_lon_e7"] / 1e7,
        north=header["max_lat_e7"] / 1e7,
        min_zoom=header["min_zoom"],
        max_zoom=header["max_zoom"],
    )


def find_tiles(setting: Path | None) -> Tiles:
    """The archives `BALISES_MAP_TILES` names: a file, or the `*.pmtiles` of a folder."""
    if setting is None:
        return Tiles()
    if setting.is_dir():
        files = sorted(p for p in setting.glob("*.pmtiles") if NAME.match(p.name))
        if not files:
            return Tiles(problems=(Problem("empty-folder", setting),))
    elif not setting.exists():
        return Tiles(problems=(Problem("missing", setting),))
    elif not NAME.match(setting.name):
        return Tiles(problems=(Problem("not-a-pmtiles-name", setting),))
    else:
        files = [setting]
    read = [_read(file) for file in files]
    archives = tuple(r for r in read if isinstance(r, Archive))
    return Tiles(archives, tuple(r for r in read if isinstance(r, Problem)))


def served(archive: Archive) -> FileResponse:
    """The archive, in the byte ranges the map library asks for."""
    headers = {"Cache-Control": "public, max-age=86400"}
    return FileResponse(archive.path, media_type="application/vnd.pmtiles", headers=headers)
