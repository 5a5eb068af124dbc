"""A real PMTiles archive the tests build (with the `pmtiles` package): the area of the
example's greenway, zooms 12 to 14, each tile a Mapbox Vector Tile with one `earth` polygon
covering it and one `water` square, so a map library has something true to draw."""

from __future__ import annotations

import gzip
from math import asinh, floor, pi, radians, tan
from pathlib import Path

from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import write

WEST, SOUTH, EAST, NORTH = 0.66, 47.38, 0.73, 47.42


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _field(number: int, kind: int, payload: bytes | int) -> bytes:
    key = _varint((number << 3) | kind)
    if kind == 0:
        assert isinstance(payload, int)
        return key + _varint(payload)
    assert isinstance(payload, bytes)
    return key + _varint(len(payload)) + payload


def _zigzag(value: int) -> int:
    return (value << 1) ^ (value >> 31)


def _square(x0: int, y0: int, x1: int, y1: int) -> bytes:
    """A closed ring as MVT geometry commands: MoveTo, 3 LineTo, ClosePath."""
    points = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    commands = [(1 << 3) | 1]
    cursor = (0, 0)
    for index, (x, y) in enumerate(points):
        if index == 1:
            commands.append((3 << 3) | 2)
        commands += [_zigzag(x - cursor[0]), _zigzag(y - cursor[1])]
        cursor = (x, y)
    commands.append((1 << 3) | 7)
    return b"".join(_varint(c) for c in commands)


def _layer(name: str, geometry: bytes) -> bytes:
    feature = _field(1, 0, 1) + _field(3, 0, 3) + _field(4, 2, geometry)  # id, POLYGON
    body = _field(15, 0, 2) + _field(1, 2, name.encode()) + _field(2, 2, feature)
    return _field(3, 2, body + _field(5, 0, 4096))


def vector_tile() -> bytes:
    return _layer("earth", _square(0, 0, 4096, 4096)) + _layer(
        "water", _square(1024, 1024, 2048, 2048)
    )


def _tile_xy(lat: float, lon: float, zoom: int) -> tuple[int, int]:
    n = 2**zoom
    x = floor((lon + 180) / 360 * n)
    y = floor((1 - asinh(tan(radians(lat))) / pi) / 2 * n)
    return x, y


def build_archive(path: Path, min_zoom: int = 12, max_zoom: int = 14) -> Path:
    tile = gzip.compress(vector_tile(), mtime=0)
    entries: list[tuple[int, bytes]] = []
    for zoom in range(min_zoom, max_zoom + 1):
        x0, y0 = _tile_xy(NORTH, WEST, zoom)
        x1, y1 = _tile_xy(SOUTH, EAST, zoom)
        entries += [
            (zxy_to_tileid(zoom, x, y), tile) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)
        ]
    with write(path) as writer:
        for tile_id, data in sorted(entries):
            writer.write_tile(tile_id, data)
        writer.finalize(
            {
                "tile_type": TileType.MVT,
                "tile_compression": Compression.GZIP,
                "min_lon_e7": int(WEST * 1e7),
                "min_lat_e7": int(SOUTH * 1e7),
                "max_lon_e7": int(EAST * 1e7),
                "max_lat_e7": int(NORTH * 1e7),
                "center_zoom": min_zoom + 1,
                "center_lon_e7": int((WEST + EAST) / 2 * 1e7),
                "center_lat_e7": int((SOUTH + NORTH) / 2 * 1e7),
            },
            {"attribution": "© OpenStreetMap", "vector_layers": []},
        )
    return path
