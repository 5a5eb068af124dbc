"""A story heard or watched: the player appears with the story, never before, with its
transcript under it; the file itself is served only to whoever may hear the story (on both
databases), by ranges as phones ask for it, and a preview plays it too."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.mediafiles import mp3_bytes, mp4_bytes, vtt_text
from tests.web.conftest import World
from tests.web.play.test_preview import BEFORE_OPENING, as_resident, staff, start_preview
from tests.web.playing import Resident
from web.store import progress

SLUG = "ou-sommes-nous"
TRANSCRIPT = "Le gardien de la tour raconte sa nuit de 1791"
FINALE_TRANSCRIPT = "Merci de la part des archivistes"
MEDIA_URL = re.compile(r"/m/ou-sommes-nous/[a-z0-9-]+/(?:audio|video|captions)\.[a-z0-9]+\?v=\w+")
TOWER_STORY = "        story:                  # (md) revealed once solved: the real reward\n"
FINALE = (
    "    finale:                     # shown at /c/ou-sommes-nous/merci once every step is done\n"
)


@pytest.fixture
def campaign_dir(campaign_dir: Path) -> Path:
    """The example, with a recording on the tower's story and a film on the finale."""
    (campaign_dir / "photos" / "tour.mp3").write_bytes(mp3_bytes(1.0))
    (campaign_dir / "photos" / "film.mp4").write_bytes(mp4_bytes())
    (campaign_dir / "photos" / "film.vtt").write_text(vtt_text(), encoding="utf-8")
    yaml_file = campaign_dir / "campaigns.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    assert text.count(TOWER_STORY) == 1 and text.count(FINALE) == 1
    text = text.replace(
        TOWER_STORY,
        f'        audio: photos/tour.mp3\n        transcript: "{TRANSCRIPT}."\n{TOWER_STORY}',
    )
    text = text.replace(
        FINALE,
        FINALE + f'      audio: photos/tour.mp3\n      transcript: "{FINALE_TRANSCRIPT}."\n',
    )
    text, found = re.subn(
        r"      video: https://\S+",
        "      video: photos/film.mp4\n      captions: photos/film.vtt",
        text,
    )
    assert found == 1
    yaml_file.write_text(text, encoding="utf-8")
    return campaign_dir


def urls(page: str) -> list[str]:
    return list(dict.fromkeys(MEDIA_URL.findall(html.unescape(page))))


def test_the_recording_appears_with_the_story_and_not_before(world: World) -> None:
    campaign = world.campaign()
    tower = campaign.steps[0]
    assert tower.audio == "photos/tour.mp3"
    resident = Resident(world, htmx=True)
    url = f"/c/{SLUG}/tour"
    before = resident.get(url).text
    assert urls(before) == [] and TRANSCRIPT not in before and "<audio" not in before
    wrong = resident.post(url, {"answer": "Zanzibar"})
    assert urls(wrong.text) == [] and TRANSCRIPT not in wrong.text
    # The guessed address is the 404 of a file that does not exist.
    assert resident.get(f"/m/{SLUG}/tour/audio.mp3").status_code == 404

    solved = resident.post(url, {"answer": tower.answers[0]})  # the htmx fragment
    fragment = html.unescape(solved.text)
    assert "<html" not in fragment
    player = re.search(r"<audio [^>]*>", fragment)
    assert player is not None
    assert 'controls preload="none"' in player.group(0) and "autoplay" not in fragment
    assert re.search(r'<h3 id="transcript-title">Transcription</h3>\s*<div class="prose">'
                     rf"<p>{TRANSCRIPT}\.</p>", fragment)  # fmt: skip
    (audio,) = urls(fragment)
    assert audio.startswith(f"/m/{SLUG}/tour/audio.mp3?v=")
    # The page without JS says the same.
    assert urls(resident.get(url).text) == [audio]

    served = resident.get(audio)
    assert served.status_code == 200
    assert served.headers["content-type"] == "audio/mpeg"
    assert served.headers["accept-ranges"] == "bytes"
    assert served.headers["cache-control"] == "private, max-age=31536000, immutable"
    assert served.content == mp3_bytes(1.0)
    # Another browser, which solved nothing, gets nothing.
    assert Resident(world).get(audio).status_code == 404


def test_a_phone_gets_the_recording_by_ranges(world: World) -> None:
    resident = Resident(world)
    tower = world.campaign().steps[0]
    resident.play_step(SLUG, tower)
    (audio,) = urls(resident.get(f"/c/{SLUG}/tour").text)
    whole = mp3_bytes(1.0)
    part = resident.get(audio, headers={"Range": "bytes=0-99"})
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 0-99/{len(whole)}"
    assert part.content == whole[:100]
    rest = resident.get(audio, headers={"Range": "bytes=100-"})
    assert rest.status_code == 206 and rest.content == whole[100:]
    beyond = resident.get(audio, headers={"Range": f"bytes={len(whole) + 10}-"})
    assert beyond.status_code == 416
    # Without its `?v=` the address is kept a day only: the file may have changed.
    assert resident.get(audio.split("?")[0]).headers["cache-control"] == "private, max-age=86400"


def test_the_finale_film_and_its_captions_are_for_those_who_finished(world: World) -> None:
    campaign = world.campaign()
    resident = Resident(world)
    early = resident.get(f"/c/{SLUG}/merci").text
    assert urls(early) == [] and FINALE_TRANSCRIPT not in early
    for kind in ("audio.mp3", "video.mp4", "captions.vtt"):
        assert resident.get(f"/m/{SLUG}/merci/{kind}").status_code == 404
    for step in campaign.steps:
        resident.play_step(SLUG, step)
    finale = html.unescape(resident.get(f"/c/{SLUG}/merci").text)
    assert FINALE_TRANSCRIPT in finale
    video = re.search(r"<video [^>]*>\s*<track [^>]*>", finale)
    assert video is not None
    assert 'controls preload="none"' in video.group(0) and "autoplay" not in finale
    assert 'kind="captions"' in video.group(0) and 'srclang="fr"' in video.group(0)
    assert "default" in video.group(0)
    found = {u.split("?")[0].rsplit("/", 1)[1]: u for u in urls(finale)}
    assert set(found) == {"audio.mp3", "video.mp4", "captions.vtt"}
    captions = resident.get(found["captions.vtt"])
    assert captions.status_code == 200
    assert captions.headers["content-type"] == "text/vtt; charset=utf-8"
    assert captions.text == vtt_text()
    film = resident.get(found["video.mp4"])
    assert (film.status_code, film.headers["content-type"]) == (200, "video/mp4")


def test_a_story_step_plays_its_recording_as_soon_as_it_is_open(world: World) -> None:
    """The example's interlude: its story is the page itself, so is its recording."""
    campaign = world.campaign()
    resident = Resident(world)
    assert resident.get(f"/m/{SLUG}/entracte/audio.mp3").status_code == 404
    for step in campaign.steps:
        if step.id == "entracte":
            break
        resident.play_step(SLUG, step)
    page = html.unescape(resident.get(f"/c/{SLUG}/entracte").text)
    assert '<h2 id="transcript-title">Transcription</h2>' in page
    (audio,) = urls(page)
    assert resident.get(audio).status_code == 200


def test_a_preview_hears_the_story_without_counting_it(world: World) -> None:
    world.clock.now = BEFORE_OPENING
    lea = staff(world)
    start_preview(lea)
    resident = as_resident(world, lea)
    tower = world.campaign().steps[0]
    assert lea.get(f"/m/{SLUG}/tour/audio.mp3").status_code == 404
    resident.play_step(SLUG, tower)
    (audio,) = urls(lea.get(f"/c/{SLUG}/tour").text)
    assert lea.get(audio).status_code == 200
    assert Resident(world).get(audio).status_code == 404  # the campaign is not open yet


def test_take_the_trail_never_lists_a_recording(world: World) -> None:
    resident = Resident(world)
    resident.play_step(SLUG, world.campaign().steps[0])
    listed = resident.get(f"/c/{SLUG}/emporter").json()["urls"]
    assert f"/c/{SLUG}/tour" in listed and not [u for u in listed if u.startswith("/m/")]
    worker = resident.get("/sw.js").text
    assert 'path.indexOf("/m/") === 0' in worker


def test_a_film_kept_elsewhere_is_a_link_only_and_named_on_the_privacy_page(
    campaign_dir: Path, make_world: Callable[..., World]
) -> None:
    """No page fetches from a third party: a film on another site is a link the resident may
    follow, and the privacy page names that site among those contacted only then."""
    yaml_file = campaign_dir / "campaigns.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    film = "        video: https://films.example.org/tour.mp4\n"
    yaml_file.write_text(text.replace(TOWER_STORY, film + TOWER_STORY), encoding="utf-8")
    world = make_world()
    resident = Resident(world)
    before = resident.get(f"/c/{SLUG}/tour").text
    assert "films.example.org" not in before
    solved = html.unescape(resident.play_step(SLUG, world.campaign().steps[0]))
    assert '<a class="button" href="https://films.example.org/tour.mp4" rel="noopener">' in solved
    assert "<video" not in solved and "<iframe" not in solved
    privacy = html.unescape(resident.get("/donnees-personnelles").text)
    assert re.search(r"que si vous suivez un lien vers eux :[^<]*films\.example\.org", privacy)


def test_a_player_who_saw_the_answer_hears_the_story_too(
    campaign_dir: Path, make_world: Callable[..., World]
) -> None:
    yaml_file = campaign_dir / "campaigns.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    assert text.count("    after_hints: skip") == 1
    yaml_file.write_text(text.replace("    after_hints: skip", "    after_hints: answer"), "utf-8")
    world = make_world()
    tower = world.campaign().steps[0]
    resident = Resident(world)
    url = f"/c/{SLUG}/tour"
    resident.get(url)
    for _hint in range(progress.max_hints(tower)):
        resident.post(url + "/indice", {})
    assert urls(resident.get(url).text) == []
    assert resident.post(url + "/reponse", {}).status_code == 303
    page = html.unescape(resident.get(url).text)
    assert "Réponse vue" in page and TRANSCRIPT in page
    (audio,) = urls(page)
    assert resident.get(audio).status_code == 200
    assert Resident(world).get(audio).status_code == 404
