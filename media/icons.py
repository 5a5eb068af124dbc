"""The favicon and the app icons, made from the city's logo when it is a PNG.

A PNG logo is centred on a white square at each size a browser or a phone's home screen asks
for. An SVG logo is its own favicon (every current browser draws one), and since Balises has no
SVG renderer the square icons then carry the site name's initial on the accent colour, as they
do when there is no logo at all.
"""

from __future__ import annotations

import io

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
