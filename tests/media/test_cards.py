"""Share cards: 1200×630, made from a riddle's first crop only, cached by what they show."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from media import cards
from media.cards import HEIGHT, PHOTO_REGION, WIDTH, share_card, thanks_card
from tests.media.photo_samples import quadrants

FIRST_CROP = (0.30, 0.10, 0.70, 0.45)  # straddles the red and green quadrants, top half only


def distance(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute difference per channel (0 identical, 255 opposite)."""
    diff = ImageChops.difference(a.convert("RGB"), b.convert("RGB").resize(a.size))
    return sum(ImageStat.Stat(diff).mean) / 3


def region(card: Path) -> Image.Image:
    with Image.open(card) as image:
        return image.convert("RGB").crop(PHOTO_REGION)


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "riddle.jpg"
    quadrants(800, 600).save(path, "JPEG", quality=95)
    return path


def test_a_riddle_card_shows_the_first_crop_and_not_the_whole_photo(
    photo: Path, tmp_path: Path
) -> None:
    card = share_card(
        "Cette tour vous dit quelque chose ?",
        ["#JEP2026"],
        "Photo : Archives municipales",
        photo,
        FIRST_CROP,
        tmp_path / "cache",
    )
    with Image.open(card) as image:
        assert image.format == "PNG"
        assert image.size == (WIDTH, HEIGHT) == (1200, 630)
    shown = region(card)
    size = (PHOTO_REGION[2] - PHOTO_REGION[0], PHOTO_REGION[3] - PHOTO_REGION[1])
    full = quadrants(800, 600)
    left, top, right, bottom = FIRST_CROP
    crop = full.crop((round(left * 800), round(top * 600), round(right * 800), round(bottom * 600)))
    to_crop = distance(shown, cards._cover(crop, size))
    to_full = distance(shown, cards._cover(full, size))
    assert to_crop < 10
    assert to_full > 4 * to_crop + 20
    # Nothing of the bottom half (blue, yellow) is anywhere on the card.
    with Image.open(card) as image:
        colours = {c for _n, c in image.convert("RGB").getcolors(1_000_000) or []}
    assert not any(b > 150 and r < 100 and g < 100 for r, g, b in colours)  # no blue
    assert not any(r > 180 and g > 180 and b < 80 for r, g, b in colours)  # no yellow


def test_a_card_refuses_a_photo_without_a_crop(photo: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="never the whole photo"):
        share_card("Titre", [], "", photo, None, tmp_path / "cache")


def test_cards_are_cached_by_content_and_written_atomically(photo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = share_card("Un titre", ["#A"], "Photo : X", photo, FIRST_CROP, cache)
    stamp = first.stat().st_mtime_ns
    again = share_card("Un titre", ["#A"], "Photo : X", photo, FIRST_CROP, cache)
    assert again == first and again.stat().st_mtime_ns == stamp
    other = share_card("Un autre titre", ["#A"], "Photo : X", photo, FIRST_CROP, cache)
    assert other != first
    photo.write_bytes(photo.read_bytes() + b"\0")  # same name, new content: a new card
    assert share_card("Un titre", ["#A"], "Photo : X", photo, FIRST_CROP, cache) != first
    assert not [p for p in cache.rglob("*") if p.name.endswith(".tmp")]


def test_a_campaign_without_photo_gets_a_plain_card(tmp_path: Path) -> None:
    card = share_card("La voie verte", ["#VoieVerte"], "Avec : le cyclo-club", None, None, tmp_path)
    with Image.open(card) as image:
        assert image.size == (1200, 630)
        assert len(image.convert("RGB").getcolors(1_000_000) or []) > 2  # text was drawn


def test_without_dejavu_the_default_font_still_draws(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(cards, "FONT_DIR", tmp_path / "no-fonts")
    cards.font.cache_clear()
    try:
        payload = thanks_card("Où sommes-nous ?", ["Merci !"], ["#JEP2026"], "Avec : Archives")
    finally:
        cards.font.cache_clear()
    with Image.open(io.BytesIO(payload)) as image:
        assert image.size == (1200, 630)


def test_long_texts_are_wrapped_and_cut_not_overflowing() -> None:
    canvas = Image.new("RGB", (10, 10))
    from PIL import ImageDraw

    draw = ImageDraw.Draw(canvas)
    lines = cards.wrap(draw, "mot " * 200, cards.font(40), 500, 3)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(draw.textlength(line, font=cards.font(40)) <= 500 for line in lines)
    single = cards.wrap(draw, "#" + "x" * 300, cards.font(40), 500, 2)
    assert draw.textlength(single[0], font=cards.font(40)) <= 500
