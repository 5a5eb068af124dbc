"""A story heard or watched in the real browser: the tower's recording appears when the answer
swaps the play area in (htmx), silent until the resident presses play, its transcript visible
under its heading, and the page still passes axe; the bridge's film comes the same way with its
captions, which the browser loads as a text track it shows by default. The browser itself reads
each file's duration through the site's range responses: they are files a phone can play."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.mediafiles import mp3_bytes

from .axe import assert_accessible
from .conftest import EXAMPLE, ROOT, Game, LiveSite, PhoneFactory, site_with
from .films import CAPTION, with_bridge_film

pytestmark = pytest.mark.browser

TRANSCRIPT = "Le guetteur de la tour chantait les heures de la nuit."
STORY = "        story:                  # (md) revealed once solved: the real reward\n"
DURATION = """a => new Promise((resolve, reject) => {
     a.addEventListener('loadedmetadata', () => resolve(a.duration), {once: true});
     a.addEventListener('error', () => reject(a.error && a.error.code), {once: true});
     a.load();
   })"""


def assert_waits_for_play(player: Locator, name: str) -> None:
    """A native player, named, that neither plays nor fetches anything before it is pressed."""
    state = player.evaluate(
        "m => ({paused: m.paused, autoplay: m.autoplay, controls: m.controls,"
        " preload: m.preload, name: m.getAttribute('aria-label')})"
    )
    assert state == {
        "paused": True,
        "autoplay": False,
        "controls": True,
        "preload": "none",
        "name": name,
    }


@pytest.fixture(scope="module")
def heard_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    folder = tmp_path_factory.mktemp("heard")
    shutil.copytree(ROOT / "photos", folder / "photos")
    (folder / "photos" / "tour.mp3").write_bytes(mp3_bytes(1.0))
    text = EXAMPLE.read_text(encoding="utf-8")
    assert text.count(STORY) == 1
    said = f'        audio: photos/tour.mp3\n        transcript: "{TRANSCRIPT}"\n'
    text = with_bridge_film(text.replace(STORY, said + STORY), folder / "photos")
    (folder / "campaigns.yaml").write_text(text, encoding="utf-8")
    with site_with(folder / "var", BALISES_CAMPAIGNS=str(folder / "campaigns.yaml")) as live:
        yield live


def test_the_recording_comes_with_the_story_silent_and_transcribed(
    open_phone: PhoneFactory, heard_site: LiveSite, game: Game
) -> None:
    page: Page = open_phone()
    riddle = game.first_riddle()
    page.goto(heard_site(f"/c/ou-sommes-nous/{riddle.id}"))
    page.wait_for_function("() => window.htmx !== undefined")
    page.evaluate("() => { window.__noReload = true; }")
    expect(page.locator("audio")).to_have_count(0)
    expect(page.get_by_text(TRANSCRIPT)).to_have_count(0)

    page.get_by_label("Votre réponse").fill(riddle.answers[0])
    page.get_by_role("button", name="Répondre").click()
    expect(page.locator("#play .feedback-solved")).to_contain_text("Bravo")
    assert page.evaluate("() => window.__noReload") is True  # swapped in place, not reloaded
    player = page.locator("#play audio")
    expect(player).to_have_count(1)
    expect(player).to_be_visible()
    assert_waits_for_play(player, "Écouter l'histoire")
    heading = page.get_by_role("heading", name="Transcription")
    expect(heading).to_be_visible()
    expect(page.locator("#play .transcript")).to_contain_text(TRANSCRIPT)
    assert_accessible(page)

    # Loading the metadata fetches the file by ranges: Chromium decodes a second of sound.
    duration = player.evaluate(DURATION)
    assert 0.9 < duration < 1.2
    assert player.evaluate("a => a.paused") is True


def test_the_film_comes_with_its_captions_shown_and_silent(
    open_phone: PhoneFactory, heard_site: LiveSite
) -> None:
    page: Page = open_phone()
    Game(heard_site).complete(page, "ou-sommes-nous", "tour")
    page.goto(heard_site("/c/ou-sommes-nous/pont"))
    page.wait_for_function("() => window.htmx !== undefined")
    expect(page.locator("video")).to_have_count(0)
    page.get_by_label("Votre réponse").fill("Sept-Arches")
    page.get_by_role("button", name="Répondre").click()
    expect(page.locator("#play .feedback-solved")).to_contain_text("Bravo")
    film = page.locator("#play video")
    expect(film).to_be_visible()
    assert_waits_for_play(film, "Voir le film")
    assert_accessible(page)

    duration = film.evaluate(DURATION)
    assert 0.9 < duration < 1.2
    # The captions track is the default one: shown, its cue loaded from the site's file.
    track = film.evaluate(
        """v => new Promise((resolve) => {
             const element = v.querySelector('track');
             const done = () => resolve({
               kind: element.track.kind, mode: element.track.mode,
               language: element.track.language, label: element.track.label,
               cues: Array.from(element.track.cues || []).map(c => c.text)});
             if (element.readyState === 2) { done(); }
             else { element.addEventListener('load', done, {once: true}); }
           })"""
    )
    assert track == {
        "kind": "captions",
        "mode": "showing",
        "language": "fr",
        "label": "Sous-titres",
        "cues": [CAPTION],
    }
    assert film.evaluate("v => v.paused") is True
