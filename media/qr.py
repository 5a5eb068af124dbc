"""QR codes of checkpoint URLs, as PNG, SVG, or a module matrix for the printable sheet.

Codes are screwed to bridges and trail markers outdoors, where they get dirty and scratched: so
error correction is at its highest level (H, 30% of the code can be lost) and the quiet zone is
the standard 4 modules. The mask pattern is fixed instead of searched: the search is 80% of the
encoding time (PERF_BASELINES.md §5: 5.4 → 0.7 ms per code) and any mask decodes.
"""

from __future__ import annotations

import io
from functools import lru_cache
from html import escape

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_H

BORDER = 4
MASK_PATTERN = 0

Matrix = tuple[tuple[bool, ...], ...]


@lru_cache(maxsize=1024)
def qr_matrix(url: str) -> Matrix:
    """The dark (True) and light modules of the code of `url`, quiet zone included."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_H, border=BORDER, mask_pattern=MASK_PATTERN)
    code.add_data(url.encode("utf-8"))
    code.make(fit=True)
    return tuple(tuple(bool(cell) for cell in row) for row in code.get_matrix())


def dark_runs(matrix: Matrix) -> list[tuple[int, int, int]]:
    """Horizontal runs of dark modules as (row, first column, length): few shapes to draw."""
    runs: list[tuple[int, int, int]] = []
    for y, row in enumerate(matrix):
        x = 0
        size = len(row)
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                runs.append((y, start, x - start))
            else:
                x += 1
    return runs


def qr_png(url: str, *, box_size: int = 10) -> bytes:
    """A 1-bit PNG of the code, `box_size` pixels per module."""
    matrix = qr_matrix(url)
    size = len(matrix)
    pixels = bytes(0 if dark else 255 for row in matrix for dark in row)
    image = Image.frombytes("L", (size, size), pixels).convert("1")
    image = image.resize((size * box_size, size * box_size), Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")  # optimize=True: 3× slower for 7% fewer bytes
    return buffer.getvalue()


def qr_svg(url: str) -> bytes:
    """A standalone SVG of the code: one path, one unit per module (printed 1 mm by default)."""
    matrix = qr_matrix(url)
    size = len(matrix)
    path = "".join(f"M{x} {y}h{length}v1h-{length}z" for y, x, length in dark_runs(matrix))
    svg = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 {size} {size}"'
        f' width="{size}mm" height="{size}mm" shape-rendering="crispEdges">'
        f"<title>{escape(url, quote=False)}</title>"
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{path}"/>'
        "</svg>\n"
    )
    return svg.encode("utf-8")
