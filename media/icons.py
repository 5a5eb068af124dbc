"""The site's app icon, drawn rather than shipped: a white marker on the site's green.

The web manifest names it in the sizes a phone asks for when the site is installed on the home
screen (192 and 512 pixels, and a maskable one with room around the marker).
"""

from __future__ import annotations

import io
from functools import cache

from PIL import Image, ImageDraw

GREEN = (11, 93, 75)
SIZES = (192, 512)


@cache
def app_icon(size: int) -> bytes:
    """A square PNG of `size` pixels: a map pin with a hole, inside the maskable safe zone."""
    scale = 4  # drawn large, then reduced: smooth edges without antialiasing support
    side = size * scale
    image = Image.new("RGB", (side, side), GREEN)
    draw = ImageDraw.Draw(image)
    middle, radius = side / 2, side * 0.2
    top = side * 0.22
    centre = top + radius
    draw.ellipse((middle - radius, top, middle + radius, top + 2 * radius), fill="white")
    draw.polygon(
        [
            (middle - radius * 0.86, centre + radius * 0.5),
            (middle + radius * 0.86, centre + radius * 0.5),
            (middle, side * 0.8),
        ],
        fill="white",
    )
    hole = radius * 0.42
    draw.ellipse((middle - hole, centre - hole, middle + hole, centre + hole), fill=GREEN)
    out = io.BytesIO()
    image.resize((size, size), Image.Resampling.LANCZOS).save(out, "PNG", optimize=True)
    return out.getvalue()
