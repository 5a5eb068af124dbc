"""Reading QR codes back the way a phone does, to test what is printed rather than how."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

from PIL import Image
from pyzbar.pyzbar import ZBarSymbol, decode


def read_codes(image: Image.Image) -> list[str]:
    """Every QR code zbar finds in the image, as text, top to bottom then left to right."""
    found = decode(image.convert("L"), symbols=[ZBarSymbol.QRCODE])
    found.sort(key=lambda symbol: (symbol.rect.top // 50, symbol.rect.left))
    return [symbol.data.decode("utf-8") for symbol in found]


def read_png(payload: bytes) -> list[str]:
    return read_codes(Image.open(io.BytesIO(payload)))


def svg_to_image(svg: bytes, scale: int = 8) -> Image.Image:
    """Rasterise the SVG our `qr_svg` writes (a viewBox and one path of runs) with Pillow."""
    text = svg.decode("utf-8")
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', text).group(1))  # type: ignore[union-attr]
    image = Image.new("L", (size * scale, size * scale), 255)
    path = re.search(r' d="([^"]*)"', text).group(1)  # type: ignore[union-attr]
    for x, y, length in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", path):
        left, top, run = int(x) * scale, int(y) * scale, int(length) * scale
        image.paste(0, (left, top, left + run, top + scale))
    return image


def render_pdf_pages(pdf: Path, dpi: int = 150) -> list[Image.Image]:
    """Each page of the PDF as poppler renders it for a printer or a screen."""
    prefix = pdf.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(prefix)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pages = sorted(pdf.parent.glob(f"{prefix.name}-*.png"))
    return [Image.open(page) for page in pages]
