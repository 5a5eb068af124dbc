"""The brushes of `make_example_photos.py`: gradients, skies, masonry, arches, trees, reflections,
grain and the old-postcard look, drawn with Pillow so the example photos are made, not shipped.
"""

from __future__ import annotations

import math
import random

from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps

Color = tuple[int, int, int]


def gradient(size: tuple[int, int], top: Color, bottom: Color) -> Image.Image:
    """A vertical colour ramp, the base of every sky and river."""
    column = Image.new("RGB", (1, 256))
    column.putdata(
        [
            tuple(round(a + (b - a) * i / 255) for a, b in zip(top, bottom, strict=True))
            for i in range(256)
        ]
    )
    return column.resize(size, Image.Resampling.BILINEAR)


def sky(
    size: tuple[int, int], rng: random.Random, top: Color, bottom: Color, clouds: int
) -> Image.Image:
    """A gradient sky with soft cumulus clouds."""
    image = gradient(size, top, bottom)
    layer = Image.new("L", size, 0)
    draw = ImageDraw.Draw(layer)
    w, h = size
    for _ in range(clouds):
        cx, cy = rng.uniform(0, w), rng.uniform(0.05 * h, 0.35 * h)
        for _ in range(rng.randint(5, 9)):
            rx, ry = rng.uniform(40, 110), rng.uniform(25, 55)
            x, y = cx + rng.uniform(-120, 120), cy + rng.uniform(-25, 15)
            draw.ellipse((x - rx, y - ry, x + rx, y + ry), fill=rng.randint(170, 230))
    layer = layer.filter(ImageFilter.GaussianBlur(18))
    return Image.composite(Image.new("RGB", size, (250, 250, 252)), image, layer)


def shade(color: Color, factor: float) -> Color:
    return tuple(max(0, min(255, round(c * factor))) for c in color)  # type: ignore[return-value]


def masonry(
    draw: ImageDraw.ImageDraw,
    box: tuple[int, int, int, int],
    base: Color,
    rng: random.Random,
    course: int = 22,
) -> None:
    """Fill a wall with courses of slightly uneven stones."""
    left, top, right, bottom = box
    draw.rectangle(box, fill=shade(base, 0.8))
    y, row = top, 0
    while y < bottom:
        x = left - (row % 2) * course
        while x < right:
            width = rng.randint(course + 8, course * 2 + 10)
            tone = shade(base, rng.uniform(0.88, 1.08))
            x0, x1 = max(x + 2, left), min(x + width - 1, right)
            if x1 > x0:
                draw.rectangle((x0, y + 2, x1, min(y + course - 1, bottom)), fill=tone)
            x += width
        y += course
        row += 1


def arch(
    draw: ImageDraw.ImageDraw,
    left: int,
    right: int,
    spring: int,
    bottom: int,
    fill: Color,
    pointed: bool = False,
) -> None:
    """A round (or pointed gothic) arched opening."""
    width = right - left
    rise = width * (0.8 if pointed else 0.5)
    points: list[tuple[float, float]] = []
    for i in range(41):
        t = math.pi * i / 40
        x = left + width * (1 - math.cos(t)) / 2
        y = spring - rise * (math.sin(t) ** (0.6 if pointed else 1))
        points.append((x, y))
    if pointed:
        points[20] = (left + width / 2, spring - rise * 1.05)
    draw.polygon([(left, bottom), *points, (right, bottom)], fill=fill)


def tree(
    draw: ImageDraw.ImageDraw,
    x: float,
    ground: float,
    size: float,
    rng: random.Random,
    green: Color,
) -> None:
    draw.rectangle(
        (x - size * 0.06, ground - size * 0.9, x + size * 0.06, ground), fill=(88, 66, 48)
    )
    for _ in range(7):
        r = size * rng.uniform(0.3, 0.45)
        cx, cy = x + rng.uniform(-0.3, 0.3) * size, ground - size * rng.uniform(0.9, 1.4)
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=shade(green, rng.uniform(0.8, 1.15)))


def reflect(image: Image.Image, waterline: int, tint: Color) -> Image.Image:
    """Mirror what stands above the waterline into a rippled, darker river."""
    w, h = image.size
    mirrored = ImageOps.flip(image.crop((0, 2 * waterline - h, w, waterline)))
    rows = [
        mirrored.crop((0, y, w, y + 1)).transform(
            (w, 1), Image.Transform.AFFINE, (1, 0, 3 * math.sin(y / 3.0), 0, 1, 0), fillcolor=tint
        )
        for y in range(h - waterline)
    ]
    ripple = Image.new("RGB", (w, h - waterline))
    for y, row in enumerate(rows):
        ripple.paste(row, (0, y))
    water = Image.blend(ripple, Image.new("RGB", ripple.size, tint), 0.45).filter(
        ImageFilter.GaussianBlur(1.5)
    )
    image.paste(water, (0, waterline))
    return image


def grain(image: Image.Image, rng: random.Random, amount: float) -> Image.Image:
    """Film grain from the seeded generator (Pillow's own noise is not seeded)."""
    w, h = image.size
    noise = Image.frombytes("L", (w // 2, h // 2), rng.randbytes((w // 2) * (h // 2))).resize(
        (w, h)
    )
    return Image.blend(image, Image.merge("RGB", (noise, noise, noise)), amount)


def postcard(photo: Image.Image, rng: random.Random, caption: str) -> Image.Image:
    """Age a photo into a sepia print of around 1910: tone, vignette, grain, border, caption."""
    gray = ImageOps.grayscale(photo).filter(ImageFilter.GaussianBlur(1.2))
    toned = ImageOps.colorize(gray, black=(43, 29, 14), white=(240, 224, 190), mid=(150, 118, 80))
    w, h = toned.size
    vignette = Image.new("L", (w, h), 0)
    ImageDraw.Draw(vignette).ellipse((-w * 0.15, -h * 0.2, w * 1.15, h * 1.2), fill=255)
    vignette = vignette.filter(ImageFilter.GaussianBlur(90))
    toned = Image.composite(toned, shade_image(toned, 0.55), vignette)
    toned = grain(toned, rng, 0.08)
    card = Image.new("RGB", (w, h), (236, 226, 204))
    inner = toned.resize((w - 80, h - 140))
    card.paste(inner, (40, 40))
    draw = ImageDraw.Draw(card)
    draw.text(
        (w / 2, h - 52),
        caption,
        font=ImageFont.load_default(size=34),
        fill=(92, 70, 46),
        anchor="mm",
    )
    draw.line(
        (rng.randint(200, 400), 40, rng.randint(700, 900), h - 100), fill=(206, 190, 160), width=1
    )
    return card


def shade_image(image: Image.Image, factor: float) -> Image.Image:
    return Image.eval(image, lambda v: round(v * factor))
