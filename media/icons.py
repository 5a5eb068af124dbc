"""The favicon and the app icons, made from the city's logo when it is a PNG.

A PNG logo is centred on a white square at each size a browser or a phone's home screen asks
for. An SVG logo is its own favicon (every current browser draws one), and since Balises has no
SVG renderer the square icons then carry the site name's initial on the accent colour, as they
do when there is no logo at all.

The web manifest's app icon (`app_icon`) is drawn rather than shipped: a white marker on the
site's green, in the sizes a phone asks for when the site is installed on the home screen (192
and 512 pixels, with room around the marker for a maskable icon).
"""

from __future__ import annotations

import io
from functools import cache

from PIL import Image, ImageDraw

from media.cards import font

SIZES = {"icon-32.png": 32, "apple-touch-icon.png": 180, "icon-192.png": 192, "icon-512.png": 512}
ICO_SIZES = [(16, 16), (32, 32), (48, 48)]

RGB = tuple[int, int, int]


def _square(logo: Image.Image | None, size: int, colour: RGB, letter: str) -> Image.Image:
    if logo is not None:
        canvas = Image.new("RGBA", (size, size), (255, 255, 255, 255))
        inner = round(size * 0.84)
        copy = logo.copy()
        copy.thumbnail((inner, inner), Image.Resampling.LANCZOS)
        canvas.alpha_composite(copy, ((size - copy.width) // 2, (size - copy.height) // 2))
        return canvas
    canvas = Image.new("RGBA", (size, size), (*colour, 255))
    draw = ImageDraw.Draw(canvas)
    face = font(round(size * 0.62), bold=True)
    draw.text((size / 2, size / 2), letter, font=face, fill=(255, 255, 255, 255), anchor="mm")
    return canvas


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def make_icons(logo_png: bytes | None, colour: RGB, name: str) -> dict[str, bytes]:
    """Each icon file by name (`favicon.ico`, `icon-192.png`, …) for this logo or initial.

    Raises `OSError` for a PNG Pillow cannot read (the logo check only looked at its signature).
    """
    logo = None
    if logo_png is not None:
        with Image.open(io.BytesIO(logo_png)) as opened:
            logo = opened.convert("RGBA")
    letter = next((c for c in name if c.isalnum()), "B").upper()
    icons = {file: _png(_square(logo, size, colour, letter)) for file, size in SIZES.items()}
    ico = io.BytesIO()
    _square(logo, 48, colour, letter).save(ico, "ICO", sizes=ICO_SIZES)
    icons["favicon.ico"] = ico.getvalue()
    return icons


GREEN = (11, 93, 75)
APP_ICON_SIZES = (192, 512)


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
