"""Share cards: the 1200×630 images networks show under a link, and the player's thank-you card.

A riddle is posted on Facebook, X or Bluesky with a picture, and that picture must never give
the answer: a riddle's card shows only its *first crop* (what every player sees first), made by
the same `media.photos.variant` the step page uses, so the card and the page can never disagree
on what the crop is. The rest of the card is the title, the official hashtags and the credit of
who gave the photo. Cards are cached by their content (texts, photo bytes, crop, layout version)
and written atomically, or made on each request when the media folder cannot be written; a
thank-you card with a pseudonym is never written to disk at all.
"""

from __future__ import annotations

import hashlib
import io
import json
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from media.photocache import cached, kept
from media.photos import variant

WIDTH, HEIGHT = 1200, 630
# The part of a card showing the photo crop (left, top, right, bottom), the text beside it.
PHOTO_REGION = (0, 0, 600, 630)
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
CARD_VERSION = "2"  # part of the cache key: bump when the layout changes

CropBox = tuple[float, float, float, float]
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont

INK = (33, 37, 41)
SOFT_INK = (80, 86, 92)
PAPER = (250, 246, 238)
ACCENT = (31, 96, 88)
ACCENT_LIGHT = (222, 236, 232)
PADDING = 48


@lru_cache(maxsize=32)
def font(size: int, *, bold: bool = False) -> Font:
    """DejaVu Sans (Debian `fonts-dejavu-core`), or Pillow's own font when it is not installed."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(str(FONT_DIR / name), size)
    except OSError:
        return ImageFont.load_default(size)


def _width(draw: ImageDraw.ImageDraw, text: str, face: Font) -> float:
    return draw.textlength(text, font=face)


def wrap(
    draw: ImageDraw.ImageDraw, text: str, face: Font, width: float, max_lines: int
) -> list[str]:
    """Words in lines no wider than `width`; the last line ends with `…` when text is left over."""
    lines: list[str] = []
    current = ""
    words = text.split()
    for index, word in enumerate(words):
        candidate = f"{current} {word}".strip()
        if _width(draw, candidate, face) <= width or not current:
            current = candidate
            continue
        lines.append(current)
        current = word
        if len(lines) == max_lines:
            current = " ".join(words[index:])
            break
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1] + "…"
    # A single word wider than the line (a long hashtag) is cut rather than overflowing.
    fitted = []
    for line in lines:
        while _width(draw, line, face) > width and len(line) > 1:
            line = line[:-2] + "…"
        fitted.append(line)
    return fitted


def _cover(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Scale and centre-crop `image` to fill `size` exactly (like CSS `object-fit: cover`)."""
    scale = max(size[0] / image.width, size[1] / image.height)
    scaled = (max(size[0], round(image.width * scale)), max(size[1], round(image.height * scale)))
    resized = image.resize(scaled, Image.Resampling.LANCZOS)
    left = (scaled[0] - size[0]) // 2
    top = (scaled[1] - size[1]) // 2
    return resized.crop((left, top, left + size[0], top + size[1]))


def _draw_lines(
    draw: ImageDraw.ImageDraw, lines: list[str], face: Font, x: int, y: int, fill: object
) -> int:
    """Draw lines from `y` down; return the y under the last line."""
    size = getattr(face, "size", 12)
    for line in lines:
        draw.text((x, y), line, font=face, fill=fill)  # type: ignore[arg-type]
        y += round(size * 1.25)
    return y


def _text_panel(
    canvas: Image.Image,
    left: int,
    title: str,
    hashtags: list[str],
    credit: str,
    kicker: str,
    site_name: str,
) -> None:
    """Site, kicker, title, hashtags and credit in the column from `left` to the right edge."""
    draw = ImageDraw.Draw(canvas)
    width = WIDTH - left - 2 * PADDING
    x = left + PADDING
    y = PADDING
    if site_name:
        y = _draw_lines(draw, wrap(draw, site_name, font(24), width, 1), font(24), x, y, SOFT_INK)
        y += 8
    if kicker:
        y = _draw_lines(draw, wrap(draw, kicker, font(30), width, 1), font(30), x, y, ACCENT)
        y += 16
    title_size = 54 if len(title) < 40 else 44
    title_face = font(title_size, bold=True)
    y = _draw_lines(draw, wrap(draw, title, title_face, width, 5), title_face, x, y, INK)
    y += 20
    if hashtags:
        tag_face = font(32, bold=True)
        tags = wrap(draw, "  ".join(hashtags), tag_face, width, 2)
        _draw_lines(draw, tags, tag_face, x, y, ACCENT)
    if credit:
        credit_face = font(24)
        lines = wrap(draw, credit, credit_face, width, 2)
        bottom = HEIGHT - PADDING - round(credit_face.size * 1.25) * len(lines)  # type: ignore[union-attr]
        _draw_lines(draw, lines, credit_face, x, bottom, SOFT_INK)


def render_card(
    title: str,
    hashtags: list[str],
    credit: str,
    crop: Image.Image | None,
    *,
    kicker: str = "",
    site_name: str = "",
) -> Image.Image:
    """The card as an RGB image: the crop in `PHOTO_REGION` (or a plain band), text beside it."""
    canvas = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    left, top, right, bottom = PHOTO_REGION
    if crop is not None:
        canvas.paste(_cover(crop.convert("RGB"), (right - left, bottom - top)), (left, top))
        text_left = right
    else:
        draw = ImageDraw.Draw(canvas)
        draw.rectangle((0, 0, 24, HEIGHT), fill=ACCENT)
        draw.rectangle((24, 0, 40, HEIGHT), fill=ACCENT_LIGHT)
        text_left = 60
    _text_panel(canvas, text_left, title, hashtags, credit, kicker, site_name)
    return canvas


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=False)
    return buffer.getvalue()


def share_card(
    title: str,
    hashtags: list[str],
    credit: str,
    photo: Path | None,
    box: CropBox | None,
    cache_dir: Path,
    *,
    kicker: str = "",
    site_name: str = "",
) -> Path | bytes:
    """The PNG share card, cached in `cache_dir` by everything it shows (its bytes when the
    cache cannot be written).

    With a `photo`, only the crop `box` of it is drawn, never the rest: pass the riddle's first
    crop. `box=None` with a photo is refused, so a caller cannot put a whole riddle photo (its
    answer) on a card by mistake. Raise `media.photos.PhotoError` for an unreadable photo.
    """
    if photo is not None and box is None:
        raise ValueError("a share card shows a crop of the photo, never the whole photo")
    texts = json.dumps(
        [CARD_VERSION, title, hashtags, credit, kicker, site_name], ensure_ascii=False
    )
    kind = "card" + hashlib.sha256(texts.encode("utf-8")).hexdigest()[:20]
    if photo is None:
        target = cache_dir / "cards" / f"{kind}.png"
    else:
        # Named after the photo's content hash (memoised by the cache), beside its variants.
        assert box is not None
        target, _data = cached(photo, tuple(float(v) for v in box), kind, "png", cache_dir)  # type: ignore[arg-type]
    if target.exists():
        return target
    crop = None
    if photo is not None:
        derived = variant(photo, box=box, width=960, fmt="jpeg", cache_dir=cache_dir)
        with Image.open(io.BytesIO(derived) if isinstance(derived, bytes) else derived) as opened:
            crop = opened.convert("RGB")
    card = _png(render_card(title, hashtags, credit, crop, kicker=kicker, site_name=site_name))
    return kept(target, card, cache_dir)


def thanks_card(
    title: str, lines: list[str], hashtags: list[str], credit: str, site_name: str = ""
) -> bytes:
    """A player's thank-you card as PNG bytes, made on demand and never stored.

    `lines` are the sentences of thanks (one of them may carry the pseudonym the player chose
    to show); the card is not cached because a pseudonym is personal data.
    """
    canvas = Image.new("RGB", (WIDTH, HEIGHT), ACCENT)
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((24, 24, WIDTH - 24, HEIGHT - 24), fill=PAPER)
    width = WIDTH - 2 * (24 + PADDING)
    x, y = 24 + PADDING, 24 + PADDING
    if site_name:
        y = _draw_lines(draw, wrap(draw, site_name, font(24), width, 1), font(24), x, y, SOFT_INK)
        y += 8
    big = font(64, bold=True)
    for index, line in enumerate(lines):
        face = big if index == 0 else font(36)
        y = _draw_lines(draw, wrap(draw, line, face, width, 2), face, x, y, INK) + 12
    title_face = font(40, bold=True)
    y = _draw_lines(draw, wrap(draw, title, title_face, width, 3), title_face, x, y + 8, ACCENT)
    if hashtags:
        tag_face = font(30, bold=True)
        _draw_lines(
            draw, wrap(draw, "  ".join(hashtags), tag_face, width, 1), tag_face, x, y + 16, SOFT_INK
        )
    if credit:
        credit_face = font(24)
        credit_lines = wrap(draw, credit, credit_face, width, 2)
        bottom = HEIGHT - 24 - PADDING - 30 * len(credit_lines)
        _draw_lines(draw, credit_lines, credit_face, x, bottom, SOFT_INK)
    return _png(canvas)
