"""The photo of a riddle is described as far as it is shown: each reveal stage's own `alt` on the
page (SPEC "Access"), the step's alt once the whole photo is there."""

from __future__ import annotations

import html
import re

import pytest

from campaigns.model import localise
from tests.web.conftest import World
from tests.web.playing import Resident

IMG_ALT = re.compile(r'<img [^>]*alt="([^"]*)"')


def _alt(page_text: str) -> str:
    found = IMG_ALT.findall(page_text)
    assert len(found) == 1, found
    return html.unescape(found[0])


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_page_reads_out_the_alt_of_the_crop_it_shows(
    world: World, lang: str, htmx: bool
) -> None:
    step = world.campaign().steps[0]
    first, second = (localise(step.stage_alt(k), lang) for k in (0, 1))
    whole = localise(step.alt, lang)
    assert len({first, second, whole}) == 3  # the example describes each stage
    resident = Resident(world, lang=lang, htmx=htmx)
    url = f"/c/ou-sommes-nous/{step.id}"
    assert _alt(resident.get(url).text) == first
    hinted = resident.post(url + "/indice", {})
    shown = hinted.text if htmx else resident.get(url).text
    assert _alt(shown) == second
    assert whole not in html.unescape(shown)  # nothing yet of what the whole photo shows
    solved = resident.post(url, {"answer": step.answers[0]})
    shown = solved.text if htmx else resident.get(url).text
    assert _alt(shown) == whole
