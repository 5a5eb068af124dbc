"""Draw the photos of `campaigns.example.yaml` with Pillow, so the example needs no download.

The example campaign is the reference a community manager copies, and the demo the site serves
out of the box: it needs pleasant photos whose rights are not in doubt, so they are painted
here from shapes. Two of them carry the metadata the photo pipeline must handle: the bridge is
stored on its side with EXIF Orientation 6 (it must display upright), and the market hall
carries a fake GPS position and camera model (they must never reach a player).

Every random choice comes from a seeded generator, so running the script again rewrites the
committed files byte for byte (with the same Pillow). Usage:

    python tools/make_example_photos.py [--out photos/]
"""

from __future__ import annotations

import argparse
import io
import math
import random
import sys
from collections.abc import Callable
from pathlib import Path

# Run as a script (tools/ first on sys.path) or loaded by its file (tests add tools/ to the path).
from painting import (
    arch,
    gradient,
    masonry,
    postcard,
    reflect,
    shade,
    sky,
    tree,
)
from PIL import Image, ImageDraw, ImageFont

Painter = Callable[[random.Random], Image.Image]

LANDSCAPE = (1200, 900)
PORTRAIT = (900, 1200)
MAX_BYTES = 150_000
SEED = 2026
ORIENTATION_PHOTO = "enigme-2-voutes.jpg"
GPS_PHOTO = "enigme-5-charpente.jpg"
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "photos"


def paint_tower(rng: random.Random) -> Image.Image:
    """A Romanesque stone tower with a slate spire, seen from below on a bright morning."""
    image = sky(PORTRAIT, rng, (84, 142, 214), (196, 222, 242), 4)
    draw = ImageDraw.Draw(image)
    draw.polygon(
        [(0, 1000), (300, 960), (600, 985), (900, 950), (900, 1200), (0, 1200)],
        fill=(126, 156, 112),
    )
    left, right, top = 300, 620, 430
    masonry(draw, (left, top, right, 1200), (214, 196, 162), rng)
    masonry(draw, (right, top + 20, 700, 1200), (168, 150, 122), rng)
    for y in (560, 800):
        for x in (360, 490):
            arch(draw, x, x + 70, y, y + 120, (44, 36, 34))
            draw.line((x + 35, y - 20, x + 35, y + 120), fill=(190, 172, 140), width=6)
    draw.polygon(
        [(right + 40, top + 20), (left - 10, top), (460, 90), (700, top + 20)], fill=(72, 82, 98)
    )
    draw.polygon([(460, 90), (right, top + 10), (700, top + 20)], fill=(52, 60, 76))
    draw.line((460, 90, 460, 30), fill=(60, 60, 60), width=5)
    draw.line((440, 52, 480, 52), fill=(60, 60, 60), width=5)
    for x in (40, 150, 780, 860):
        tree(draw, x, 1150, rng.uniform(170, 230), rng, (70, 118, 62))
    return image


def paint_bridge(rng: random.Random) -> Image.Image:
    """A seven-arched stone bridge over a calm river, its reflection in the water."""
    w = LANDSCAPE[0]
    image = sky(LANDSCAPE, rng, (98, 150, 210), (214, 228, 236), 5)
    draw = ImageDraw.Draw(image)
    for x in range(-40, w + 60, 70):
        tree(draw, x + rng.uniform(-15, 15), 470, rng.uniform(90, 140), rng, (82, 120, 70))
    draw.rectangle((0, 455, w, 500), fill=(110, 128, 84))
    masonry(draw, (0, 390, w, 560), (206, 186, 150), rng, course=18)
    draw.rectangle((0, 372, w, 392), fill=(176, 160, 130))
    span = w / 7
    for i in range(7):
        arch(draw, round(i * span + 22), round((i + 1) * span - 22), 500, 620, (40, 52, 50))
    image = reflect(image, 560, (46, 86, 96))
    return image


def paint_kiosk(rng: random.Random) -> Image.Image:
    """An octagonal bandstand among chestnut trees, strollers in their Sunday best."""
    w, h = LANDSCAPE
    image = gradient(LANDSCAPE, (220, 220, 220), (180, 180, 180))
    draw = ImageDraw.Draw(image)
    for x in range(-60, w + 80, 110):
        tree(draw, x, 620, rng.uniform(200, 260), rng, (100, 100, 100))
    draw.rectangle((0, 600, w, h), fill=(170, 165, 155))
    draw.polygon([(380, 620), (820, 620), (860, 680), (340, 680)], fill=(120, 112, 100))
    for x in (400, 480, 560, 640, 720, 800):
        draw.rectangle((x - 6, 420, x + 6, 620), fill=(70, 66, 60))
    draw.rectangle((390, 560, 810, 575), fill=(90, 86, 80))
    draw.polygon([(340, 430), (600, 300), (860, 430)], fill=(60, 58, 56))
    draw.polygon([(350, 430), (850, 430), (830, 450), (370, 450)], fill=(96, 92, 86))
    draw.line((600, 300, 600, 250), fill=(60, 58, 56), width=6)
    for x in (150, 210, 950, 1010, 1060):
        y = rng.randint(640, 700)
        draw.ellipse((x - 14, y - 130, x + 14, y - 100), fill=(50, 48, 46))
        draw.polygon(
            [(x - 28, y), (x - 16, y - 100), (x + 16, y - 100), (x + 28, y)], fill=(40, 38, 36)
        )
    return postcard(image, rng, "Souvenir de Val-de-Loir")


def paint_church(rng: random.Random) -> Image.Image:
    """A Gothic church front: gable, rose window, pointed portal, buttresses."""
    w, h = PORTRAIT
    image = sky(PORTRAIT, rng, (70, 128, 204), (186, 214, 238), 3)
    draw = ImageDraw.Draw(image)
    masonry(draw, (150, 520, 750, 1200), (222, 208, 178), rng)
    draw.polygon([(150, 522), (450, 250), (750, 522)], fill=(210, 194, 162))
    for x in (110, 740):
        masonry(draw, (x, 420, x + 60, 1200), (196, 180, 150), rng, course=26)
        draw.polygon([(x - 5, 420), (x + 30, 300), (x + 65, 420)], fill=(150, 136, 112))
    cx, cy = 450, 560
    for r, color in ((130, (180, 164, 132)), (112, (54, 58, 88)), (40, (150, 120, 80))):
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=color)
    for i in range(12):
        a = math.tau * i / 12
        draw.line(
            (cx, cy, cx + 112 * math.cos(a), cy + 112 * math.sin(a)), fill=(180, 164, 132), width=7
        )
    arch(draw, 300, 600, 930, 1200, (170, 152, 120), pointed=True)
    arch(draw, 330, 570, 950, 1200, (70, 46, 36), pointed=True)
    draw.line((450, 860, 450, 1200), fill=(40, 28, 22), width=4)
    draw.rectangle((0, 1150, w, h), fill=(150, 140, 128))
    return image


def paint_hall(rng: random.Random) -> Image.Image:
    """A timber market hall under a great tiled roof, awnings and cobbles in front."""
    w, h = LANDSCAPE
    image = sky(LANDSCAPE, rng, (110, 160, 216), (224, 232, 238), 4)
    draw = ImageDraw.Draw(image)
    for x in range(-40, w, 160):
        top = 300 - rng.randint(0, 70)
        draw.rectangle((x, top, x + 150, 700), fill=shade((226, 214, 190), rng.uniform(0.9, 1.05)))
        draw.polygon([(x - 8, top), (x + 75, top - 60), (x + 158, top)], fill=(84, 88, 98))
        for wx in (x + 30, x + 95):
            draw.rectangle((wx, top + 30, wx + 25, top + 70), fill=(70, 76, 90))
    draw.polygon([(60, 430), (300, 250), (900, 250), (1140, 430)], fill=(168, 88, 62))
    for y in range(262, 430, 14):
        inset = 240 * (430 - y) / 180
        draw.line((60 + inset, y, 1140 - inset, y), fill=(148, 74, 52), width=2)
    draw.rectangle((80, 430, 1120, 450), fill=(96, 70, 48))
    draw.rectangle((80, 450, 1120, 700), fill=(58, 46, 38))
    for x in range(100, 1120, 130):
        draw.rectangle((x, 440, x + 18, 700), fill=(122, 88, 58))
        draw.line((x + 9, 500, x - 40, 450), fill=(122, 88, 58), width=8)
        draw.line((x + 9, 500, x + 58, 450), fill=(122, 88, 58), width=8)
    for i, x in enumerate(range(140, 1100, 190)):
        color = ((196, 60, 52), (236, 190, 70), (70, 130, 90), (60, 100, 170), (230, 230, 220))[
            i % 5
        ]
        draw.polygon([(x, 600), (x + 140, 600), (x + 160, 640), (x - 20, 640)], fill=color)
        draw.rectangle((x, 640, x + 140, 700), fill=(150, 116, 80))
    draw.rectangle((0, 700, w, h), fill=(140, 132, 122))
    for y in range(705, h, 22):
        for x in range(-(y % 44), w, 44):
            draw.ellipse(
                (x + 2, y + 2, x + 40, y + 20), fill=shade((160, 150, 138), rng.uniform(0.85, 1.1))
            )
    return image


def paint_mill(rng: random.Random) -> Image.Image:
    """A water mill and its wheel on a quiet river at the end of the afternoon."""
    image = sky(LANDSCAPE, rng, (120, 150, 200), (246, 210, 160), 3)
    draw = ImageDraw.Draw(image)
    draw.polygon(
        [(0, 480), (400, 440), (800, 470), (1200, 430), (1200, 560), (0, 560)], fill=(96, 126, 78)
    )
    masonry(draw, (420, 300, 860, 560), (226, 210, 176), rng, course=24)
    draw.polygon([(400, 305), (640, 170), (880, 305)], fill=(150, 80, 60))
    for x in (480, 600, 720):
        draw.rectangle((x, 360, x + 60, 430), fill=(60, 64, 70))
    cx, cy, r = 360, 520, 110
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(86, 60, 42), width=14)
    for i in range(16):
        a = math.tau * i / 16
        draw.line((cx, cy, cx + r * math.cos(a), cy + r * math.sin(a)), fill=(100, 72, 50), width=6)
    for x in (80, 180, 980, 1100):
        tree(draw, x, 540, rng.uniform(180, 240), rng, (90, 128, 60))
    return reflect(image, 560, (70, 100, 110))


def paint_mystery(rng: random.Random) -> Image.Image:
    """A shop front with a group of people posing: the archives' unplaced photo."""
    w, h = LANDSCAPE
    image = Image.new("RGB", LANDSCAPE, (200, 200, 200))
    draw = ImageDraw.Draw(image)
    masonry(draw, (0, 0, w, 640), (210, 210, 210), rng, course=30)
    draw.rectangle((180, 180, 1020, 620), fill=(70, 70, 70))
    draw.rectangle((180, 150, 1020, 210), fill=(40, 40, 40))
    draw.text(
        (600, 180),
        "EPICERIE  -  MERCERIE",
        font=ImageFont.load_default(size=38),
        fill=(225, 225, 225),
        anchor="mm",
    )
    for x in (230, 640):
        draw.rectangle((x, 260, x + 330, 600), fill=(150, 150, 150))
        draw.line((x + 165, 260, x + 165, 600), fill=(70, 70, 70), width=6)
    draw.rectangle((0, 640, w, h), fill=(160, 160, 160))
    for i, x in enumerate(range(230, 1000, 130)):
        y = 760 + rng.randint(-10, 10)
        tall = rng.uniform(0.85, 1.1) * (0.7 if i == 2 else 1)
        head = y - 260 * tall
        draw.ellipse((x - 18, head, x + 18, head + 40), fill=(60, 60, 60))
        draw.polygon(
            [(x - 45, y), (x - 24, head + 40), (x + 24, head + 40), (x + 45, y)],
            fill=(30 + 15 * (i % 3),) * 3,
        )
    draw.ellipse((960, 640, 1120, 800), outline=(50, 50, 50), width=10)
    return postcard(image, rng, "")


def paint_greenway(rng: random.Random) -> Image.Image:
    """A green cycle path on an old railway line, plane trees, a waymark post."""
    w, h = LANDSCAPE
    image = sky(LANDSCAPE, rng, (90, 150, 220), (210, 230, 240), 4)
    draw = ImageDraw.Draw(image)
    vx, vy = 620, 430
    draw.rectangle((0, vy, w, h), fill=(110, 160, 80))
    draw.polygon([(vx - 6, vy), (vx + 6, vy), (880, h), (300, h)], fill=(196, 180, 150))
    draw.line((vx, vy, 590, h), fill=(236, 232, 220), width=4)
    for i in range(14, 0, -1):
        t = i / 14
        ground = vy + (h - vy) * (1 - t) ** 1.6 + 8
        size = 40 + 380 * (1 - t) ** 1.6
        for side in (-1, 1):
            x = vx + side * (30 + 520 * (1 - t) ** 1.6)
            tree(draw, x, ground, size, rng, (66, 120, 58))
    draw.rectangle((930, 640, 980, 860), fill=(240, 236, 226))
    draw.rectangle((930, 660, 980, 700), fill=(60, 140, 80))
    draw.text((955, 760), "3", font=ImageFont.load_default(size=48), fill=(40, 40, 40), anchor="mm")
    return image


PHOTOS: dict[str, Painter] = {
    "enigme-1-pierre.jpg": paint_tower,
    "enigme-2-voutes.jpg": paint_bridge,
    "enigme-3-souvenir-1912.jpg": paint_kiosk,
    "enigme-4-rosace.jpg": paint_church,
    "enigme-5-charpente.jpg": paint_hall,
    "enigme-6-roue.jpg": paint_mill,
    "photo-mystere.jpg": paint_mystery,
    "voie-verte.jpg": paint_greenway,
}


def encode(image: Image.Image, exif: Image.Exif | None) -> bytes:
    """The JPEG at the best quality that keeps it under MAX_BYTES."""
    for quality in range(86, 40, -4):
        buffer = io.BytesIO()
        image.save(
            buffer, "JPEG", quality=quality, optimize=True, exif=exif.tobytes() if exif else b""
        )
        if buffer.tell() <= MAX_BYTES:
            return buffer.getvalue()
    raise ValueError("photo too large even at low quality")


def with_metadata(name: str, image: Image.Image) -> tuple[Image.Image, Image.Exif | None]:
    """Store the bridge on its side (Orientation 6) and give the hall a fake GPS fix."""
    exif = Image.Exif()
    if name == ORIENTATION_PHOTO:
        exif[0x0112] = 6  # displayed after rotating the stored pixels 90° clockwise
        return image.transpose(Image.Transpose.ROTATE_90), exif
    if name == GPS_PHOTO:
        exif[0x010F] = "Balises"  # Make
        exif[0x0110] = "Appareil fictif"  # Model
        exif[0x8825] = {1: "N", 2: (47.0, 42.0, 30.0), 3: "E", 4: (0.0, 24.0, 18.0)}
        return image, exif
    return image, None


def render(name: str) -> bytes:
    """The committed bytes of one photo; each photo has its own seed so they stay independent."""
    painter = PHOTOS[name]
    rng = random.Random(f"{SEED}:{name}")
    stored, exif = with_metadata(name, painter(rng))
    return encode(stored, exif)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="folder to write the photos to"
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name in PHOTOS:
        data = render(name)
        (args.out / name).write_bytes(data)
        print(f"{args.out / name}: {len(data) // 1000} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
