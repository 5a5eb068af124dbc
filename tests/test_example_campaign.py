"""The example campaign file is the CM's reference and the demo: it must load, play and teach.

A CM copies `campaigns.example.yaml` to start their own game, and `balises serve` shows it out
of the box, so it has to pass the real loader, show every step type a town needs, keep its
answers out of its clues, and ship the photos (drawn by `tools/make_example_photos.py`) that the
photo pipeline's own tests rely on: one stored on its side with EXIF Orientation 6, one with a
GPS position to strip.
"""

from __future__ import annotations

import importlib.util
import io
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from types import ModuleType
from zoneinfo import ZoneInfo

import pytest
import yaml
from PIL import Image, ImageChops, ImageOps, ImageStat

from campaigns.loading import load_file
from campaigns.matching import contains_answer
from campaigns.model import Campaign, CampaignFile, Step, Text, all_languages
from campaigns.steptypes import StepType

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "campaigns.example.yaml"
GENERATOR = ROOT / "tools" / "make_example_photos.py"


@pytest.fixture(scope="module")
def example() -> CampaignFile:
    return CampaignFile.model_validate(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def generator() -> Iterator[ModuleType]:
    sys.path.insert(0, str(GENERATOR.parent))  # its brushes, `tools/painting.py`, beside it
    try:
        yield _load_generator()
    finally:
        sys.path.remove(str(GENERATOR.parent))


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_example_photos", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def campaign(example: CampaignFile, slug: str) -> Campaign:
    return next(c for c in example.campaigns if c.slug == slug)


def of_type(c: Campaign, kind: StepType) -> list[Step]:
    return [s for s in c.steps if s.type is kind]


def photo_steps(example: CampaignFile) -> list[Step]:
    return [s for c in example.campaigns for s in c.steps if s.photo]


def test_the_real_loader_finds_no_problem() -> None:
    result = load_file(EXAMPLE)
    assert [str(p) for p in result.problems] == []
    assert [c.slug for c in result.campaigns] == ["ou-sommes-nous", "voie-verte"]


def test_every_heritage_riddle_describes_each_crop_for_blind_players(
    example: CampaignFile,
) -> None:
    for step in of_type(campaign(example, "ou-sommes-nous"), StepType.riddle):
        alts = [step.stage_alt(k) for k in range(len(step.reveal))]
        assert all(alts) and len({str(alt) for alt in alts}) == len(alts), step.id


def test_heritage_riddles_are_complete(example: CampaignFile) -> None:
    riddles = of_type(campaign(example, "ou-sommes-nous"), StepType.riddle)
    assert len(riddles) >= 5
    for step in riddles:
        assert step.photo and step.alt and step.credit and step.hints and step.story, step.id
        assert len(step.answers) >= 2, step.id
        assert len(step.reveal) >= 2 and step.reveal[-1].box == "full", step.id
        for box in (stage.box for stage in step.reveal[:-1]):
            assert isinstance(box, tuple), (step.id, box)
            left, top, right, bottom = box
            assert 0 <= left < right <= 1 and 0 <= top < bottom <= 1, (step.id, box)


def test_clues_never_give_the_answer_away(example: CampaignFile) -> None:
    for c in example.campaigns:
        for step in c.steps:
            clues = [step.title, step.alt, step.text, *step.hints]
            clues += [stage.alt for stage in step.reveal]
            strings = [s for clue in clues for s in all_languages(clue)]
            for string in strings:
                lowered = string.lower()
                leaked = [a for a in step.answers if a.lower() in lowered]
                assert not leaked, (step.id, string)
                assert contains_answer(string, step.answers) is None, (step.id, string)


def test_every_step_type_a_town_needs_is_shown(example: CampaignFile) -> None:
    heritage = campaign(example, "ou-sommes-nous")
    question = of_type(heritage, StepType.question)[0]
    assert question.correct in question.choices
    identify = of_type(heritage, StepType.identify)[0]
    assert identify.photo and identify.prompt and not identify.answers
    contribution = of_type(heritage, StepType.contribution)[0]
    assert contribution.prompt and set(contribution.accept) == {"photo", "text"}
    assert of_type(heritage, StepType.story)[0].story
    assert heritage.finale and heritage.finale.video
    assert heritage.finale.video.startswith("https://example.fr/")
    assert {"merci"}.isdisjoint(s.id for c in example.campaigns for s in c.steps)


def test_cycle_path_is_a_trail_of_checkpoints(example: CampaignFile) -> None:
    trail = campaign(example, "voie-verte")
    checkpoints = of_type(trail, StepType.checkpoint)
    assert trail.order.value == "sequential"
    assert 3 <= len(checkpoints) == len(trail.steps) <= 4
    assert all(s.story and s.credit for s in checkpoints)
    assert trail.finale and trail.contributors
    credited = {i for s in trail.steps for i in s.credit}
    assert credited <= {c.id for c in trail.contributors}


def test_the_trail_markers_are_placed_and_one_opens_by_gps(example: CampaignFile) -> None:
    trail = campaign(example, "voie-verte")
    assert all(s.where is not None for s in trail.steps)
    assert [s.id for s in trail.steps if s.by_gps] == ["borne-4"]
    assert all(s.by_qr for s in trail.steps)  # borne 4 keeps its QR code too


def test_campaigns_are_open_in_november_2026(example: CampaignFile) -> None:
    moment = datetime(2026, 11, 15, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))
    for c in example.campaigns:
        assert c.opens_at is not None and c.opens_at < moment
        assert c.closes_at is None or moment < c.closes_at


def translated_texts(c: Campaign) -> list[Text | None]:
    texts: list[Text | None] = [c.title, c.intro]
    texts += [c.finale.title, c.finale.text] if c.finale else []
    texts += [contributor.role for contributor in c.contributors]
    for s in c.steps:
        texts += [s.title, s.text, s.alt, s.story, s.prompt, *s.hints]
        texts += [stage.alt for stage in s.reveal]
    return texts


def test_every_player_text_is_in_french_and_english(example: CampaignFile) -> None:
    for c in example.campaigns:
        assert c.languages == ["fr", "en"]
        for text in translated_texts(c):
            assert text is None or (isinstance(text, dict) and set(text) == {"fr", "en"}), text


def test_photos_exist_and_are_light_enough_for_a_phone(example: CampaignFile) -> None:
    steps = photo_steps(example)
    assert len({s.photo for s in steps}) >= 6
    for step in steps:
        assert step.photo is not None
        path = ROOT / step.photo
        assert path.is_file(), step.photo
        assert path.stat().st_size <= 150_000, step.photo
        with Image.open(path) as image:
            assert image.format == "JPEG"
            assert ImageOps.exif_transpose(image).size in {(1200, 900), (900, 1200)}


def test_rotated_photo_displays_upright_sky_on_top(generator: ModuleType) -> None:
    with Image.open(ROOT / "photos" / generator.ORIENTATION_PHOTO) as image:
        assert image.getexif().get(0x0112) == 6
        assert image.size == (900, 1200)
        upright = ImageOps.exif_transpose(image).convert("RGB")
    assert upright.size == (1200, 900)
    red, green, blue = upright.getpixel((600, 10))  # type: ignore[misc]
    assert blue > red + 40 and blue > green  # a blue sky at the top, not stones or water


def test_gps_photo_carries_a_position_to_strip(generator: ModuleType) -> None:
    with Image.open(ROOT / "photos" / generator.GPS_PHOTO) as image:
        gps = image.getexif().get_ifd(0x8825)
    assert gps[1] == "N" and len(gps[2]) == 3


def test_yaml_comments_name_the_metadata_photos(generator: ModuleType) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    for name, word in (
        (generator.ORIENTATION_PHOTO, "Orientation 6"),
        (generator.GPS_PHOTO, "GPS"),
    ):
        before = text[: text.index(f"photos/{name}")]
        assert word in before[-400:], name


def test_committed_photos_are_the_generator_output(generator: ModuleType) -> None:
    committed = sorted(p.name for p in (ROOT / "photos").glob("*.jpg"))
    assert committed == sorted(generator.PHOTOS)
    for name in committed:
        # Pixels, not bytes: another libjpeg build may encode the same picture differently.
        fresh = Image.open(io.BytesIO(generator.render(name))).convert("RGB")
        kept = Image.open(ROOT / "photos" / name).convert("RGB")
        assert fresh.size == kept.size, name
        diff = ImageChops.difference(fresh, kept).convert("L")
        assert ImageStat.Stat(diff).mean[0] < 2.0, name
