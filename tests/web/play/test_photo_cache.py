"""A photo variant is cached for a year under a URL that changes when its crop or photo does."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from tests.web.conftest import World

FIRST_CROP = re.compile(r'src="(/p/ou-sommes-nous/tour/0-960\.jpg\?v=([0-9a-f]{10}))"')


def first_crop(world: World) -> tuple[str, str]:
    found = FIRST_CROP.search(world.client().get("/c/ou-sommes-nous/tour").text)
    assert found, "no first crop on the riddle's page"
    return found.group(1), found.group(2)


def test_the_first_crop_is_immutable_under_its_versioned_url(world: World) -> None:
    url, _version = first_crop(world)
    client = world.client()
    client.get("/c/ou-sommes-nous/tour")
    image = client.get(url)
    assert image.status_code == 200
    assert image.headers["cache-control"] == "public, max-age=31536000, immutable"
    # the bare URL (or an old version) is kept a day only
    bare = client.get(url.split("?")[0])
    assert bare.headers["cache-control"] == "public, max-age=86400"
    assert client.get(url.split("?")[0] + "?v=0000000000").headers["cache-control"] == (
        "public, max-age=86400"
    )


def test_a_new_crop_is_a_new_url(campaign_dir: Path, make_world: Callable[..., World]) -> None:
    world = make_world()
    before, _ = first_crop(world)
    path = campaign_dir / "campaigns.yaml"
    text = path.read_text(encoding="utf-8")
    # the first stage's box, written `- [...]` or, with an alt of its own, `- box: [...]`
    stage = re.search(
        r"id: tour[^\n]*\n(?:.*\n)*?\s+reveal:[^\n]*\n\s+- (?:box: )?\[([^\]]+)\]", text
    )
    assert stage is not None
    numbers = [float(n) for n in stage.group(1).split(",")]
    numbers[0] = round(numbers[0] + 0.01, 3)
    edited = ", ".join(str(n) for n in numbers)
    start, end = stage.span(1)
    path.write_text(text[:start] + edited + text[end:], encoding="utf-8")
    world.site.registry.refresh(force=True)  # as the site does once the file is quiet
    after, _ = first_crop(world)
    assert after != before
