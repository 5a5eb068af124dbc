"""No page, fragment or header ever carries an accepted answer of a step the player has not
solved (SPEC guarantee): every riddle is scanned in every state a player can put it in."""

from __future__ import annotations

import html
import re
from math import floor
from pathlib import Path

import httpx
import pytest

from campaigns.matching import normalise
from campaigns.model import AfterHints, Step
from campaigns.steptypes import StepType
from tests.mediafiles import mp3_bytes
from tests.web.conftest import World
from tests.web.playing import Resident
from tests.web.roadbooks import pdf_text

STEP_URL = re.compile(r"/[cpk]/[a-z0-9-]+/[a-z0-9-]+(?:/[a-z0-9.-]+)?")


def _text(response: httpx.Response) -> str:
    """The page and its headers, normalised, without the step URLs.

    A step's id is the CM's choice and is in printed URLs; an id that equals an answer is the
    campaign checker's business (`kiosque` in the example), not the site's.
    """
    headers = " ".join(f"{k} {v}" for k, v in response.headers.items())
    raw = STEP_URL.sub(" ", response.text + " " + headers)
    return f" {normalise(raw)} "


def _assert_clean(response: httpx.Response, step: Step, where: str) -> None:
    page = _text(response)
    if response.headers.get("content-type") == "application/pdf":  # the roadbook: its words
        page = f" {normalise(pdf_text(response.content))} "
    for answer in step.answers:
        wanted = normalise(answer)
        assert f" {wanted} " not in page, f"{where} leaks the answer {answer!r} of {step.id}"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_page_or_fragment_leaks_an_unsolved_answer(world: World, lang: str) -> None:
    campaign = world.campaign()
    riddles = [s for s in campaign.steps if s.answers]
    assert riddles, "the example must have steps with accepted answers"
    resident = Resident(world, lang=lang)
    slug = campaign.slug
    roadbook = f"/c/{slug}/carnet.pdf"
    for step in campaign.steps:
        url = f"/c/{slug}/{step.id}"
        if step.answers:
            # Before any progress on it: the public pages and the step in its current state.
            for page_url in ("/", f"/c/{slug}", f"/c/{slug}/merci", url, "/moi", roadbook):
                _assert_clean(resident.get(page_url), step, page_url)
            for htmx in (False, True):
                for field in ("answer", "choice"):
                    wrong = resident.post(url, {field: "Zanzibar"}, htmx=htmx)
                    _assert_clean(wrong, step, f"wrong answer (htmx={htmx})")
                    if wrong.status_code == 303:
                        _assert_clean(resident.get(url), step, "page after a wrong answer")
                empty = resident.post(url, {"answer": ""}, htmx=htmx)
                assert empty.status_code == 422
                _assert_clean(empty, step, "empty answer")
                long = resident.post(url, {"answer": "x" * 300}, htmx=htmx)
                _assert_clean(long, step, "too long answer")
                for move in ("/passer", "/reponse"):  # before the last hint: refused
                    _assert_clean(resident.post(url + move, {}, htmx=htmx), step, move)
            for _ in range(len(step.hints) + len(step.reveal) + 1):
                for htmx in (False, True):
                    hinted = resident.post(url + "/indice", {}, htmx=htmx)
                    _assert_clean(hinted, step, "hint")
            _assert_clean(resident.get(url), step, "page with every hint")
            _assert_clean(resident.get(f"/c/{slug}"), step, "campaign page")
            _assert_clean(resident.get(roadbook), step, "roadbook after every hint")
            for htmx in (False, True):
                if campaign.after_hints_of(step) is AfterHints.skip:
                    seen = resident.post(url + "/reponse", {}, htmx=htmx)
                    assert seen.status_code == 403
                    _assert_clean(seen, step, "answer asked where the step shows none")
                _assert_clean(resident.post(url + "/passer", {}, htmx=htmx), step, "pass")
            _assert_clean(resident.get(url), step, "page of a passed step")
            _assert_clean(resident.get(f"/c/{slug}"), step, "campaign page with a passed step")
            _assert_clean(resident.get(roadbook), step, "roadbook with a passed step")
        resident.play_step(slug, step)


def test_a_later_step_shows_nothing_of_its_answers_while_locked(world: World) -> None:
    campaign = world.campaign()
    resident = Resident(world)
    for step in campaign.steps:
        if step.type is StepType.riddle and step.answers:
            url = f"/c/{campaign.slug}/{step.id}"
            _assert_clean(resident.get(url), step, "locked step")
            _assert_clean(resident.post(url, {"answer": "x"}, htmx=True), step, "locked POST")


# Places given to steps that are not markers, besides the example's tower: a question, a story,
# an identification and a contribution, each placed somewhere no other number of a page falls.
PLACED = {
    "crue": (47.3877, 0.6931),
    "entracte": (47.3856, 0.6702),
    "photo-mystere": (47.4121, 0.7233),
    "vos-souvenirs": (47.3799, 0.6655),
}


# What the tower's and the finale's recordings say, words found nowhere else in the example.
HEARD = {"tour": "Le guetteur chantait la nuit", "merci": "Rideau sur Val-de-Loir"}


@pytest.fixture
def campaign_dir(campaign_dir: Path) -> Path:
    yaml_file = campaign_dir / "campaigns.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    for step_id, (lat, lon) in PLACED.items():
        line = f"      - id: {step_id}\n"
        assert text.count(line) == 1
        text = text.replace(line, f"{line}        where: {{lat: {lat}, lon: {lon}}}\n")
    # A recording on the tower's story and on the finale, whose address and transcript must
    # wait for the solve (the interlude's is the example's own).
    (campaign_dir / "photos" / "tour.mp3").write_bytes(mp3_bytes())
    story = "        story:                  # (md) revealed once solved: the real reward\n"
    finale = '      title:\n        fr: "Merci !"\n'
    assert text.count(story) == 1 and text.count(finale) == 1
    said = f'        audio: photos/tour.mp3\n        transcript: "{HEARD["tour"]}"\n'
    text = text.replace(story, said + story)
    said = f'      audio: photos/tour.mp3\n      transcript: "{HEARD["merci"]}"\n'
    text = text.replace(finale, said + finale)
    yaml_file.write_text(text, encoding="utf-8")
    return campaign_dir


def _forms(value: float) -> list[re.Pattern[bytes]]:
    """A coordinate to three decimals, rounded or cut, not inside a longer number or a word (a
    signed session cookie's base64 and dots may spell `x0.693` by chance)."""
    shown = {f"{value:.3f}", f"{floor(value * 1000) / 1000:.3f}"}
    return [re.compile(rb"(?<![\w.])" + re.escape(s.encode())) for s in shown]


def _places_left(world: World, done: set[str]) -> dict[str, list[re.Pattern[bytes]]]:
    campaign = world.campaign()
    return {
        s.id: _forms(s.where.lat) + _forms(s.where.lon)
        for s in campaign.steps
        if s.where is not None and not s.kind.scanned and s.id not in done
    }


def test_no_served_byte_holds_the_place_of_an_unsolved_step(world: World) -> None:
    campaign = world.campaign()
    slug = campaign.slug
    assert {s.id for s in campaign.steps if s.where} >= {"tour", *PLACED}
    resident = Resident(world)
    done: set[str] = set()
    for step in campaign.steps:
        url = f"/c/{slug}/{step.id}"
        served: list[tuple[str, httpx.Response]] = []
        for page_url in (
            "/",
            f"/c/{slug}",
            f"/c/{slug}/carte",
            f"/c/{slug}/merci",
            f"/c/{slug}/galerie",
            f"/c/{slug}/partage.png",
            f"/c/{slug}/carnet.pdf",
            "/moi",
            "/moi/donnees.json",
            url,
            f"{url}/partage.png",
            *(f"/c/{slug}/{other.id}" for other in campaign.steps),
        ):
            served.append((page_url, resident.get(page_url)))
        if step.answers or step.choices:
            for htmx in (False, True):
                served.append(("wrong", resident.post(url, {"answer": "Zanzibar"}, htmx=htmx)))
                served.append(("hint", resident.post(url + "/indice", {}, htmx=htmx)))
        for where, response in served:
            body = (
                response.content
                + " ".join(f"{k} {v}" for k, v in response.headers.items()).encode()
            )
            if response.headers.get("content-type") == "application/pdf":  # compressed: its words
                body += pdf_text(response.content).encode()
            for step_id, patterns in _places_left(world, done).items():
                for pattern in patterns:
                    found = pattern.search(body)
                    assert found is None, f"{where} shows the place of {step_id}: {found}"
        resident.play_step(slug, step)
        done.add(step.id)
    solved = html.unescape(resident.get(f"/c/{slug}/carte").text)
    assert 'href="geo:47.38770,0.69310"' in solved  # the question's place, once answered


def test_no_story_recording_or_transcript_reaches_a_player_before_the_story(world: World) -> None:
    """The address of a story's recording and its transcript are the story: neither is in any
    page, fragment or header before the step is solved (the finale's before the last step),
    and the address itself answers 404 until then."""
    campaign = world.campaign()
    slug = campaign.slug
    assert campaign.steps[0].audio and campaign.finale and campaign.finale.audio
    resident = Resident(world)
    heard: set[str] = set()
    for step in campaign.steps:
        url = f"/c/{slug}/{step.id}"
        served = [
            resident.get(page)
            for page in ("/", f"/c/{slug}", f"/c/{slug}/merci", f"/c/{slug}/emporter", "/moi")
        ]
        served += [resident.get(f"/c/{slug}/{other.id}") for other in campaign.steps]
        if step.answers or step.choices:
            for htmx in (False, True):
                served.append(resident.post(url, {"answer": "Zanzibar"}, htmx=htmx))
                served.append(resident.post(url + "/indice", {}, htmx=htmx))
        for response in served:
            body = response.text + " ".join(f"{k} {v}" for k, v in response.headers.items())
            for part, words in HEARD.items():
                if part not in heard:
                    assert words not in body, f"{response.url} tells what {part} says"
                    assert f"/m/{slug}/{part}/" not in body, f"{response.url} links {part}'s sound"
        for part in set(HEARD) - heard:
            assert resident.get(f"/m/{slug}/{part}/audio.mp3").status_code == 404
        resident.play_step(slug, step)
        heard.add(step.id)
        if step is campaign.steps[-1]:
            heard.add("merci")
    assert HEARD["merci"] in resident.get(f"/c/{slug}/merci").text
    assert resident.get(f"/m/{slug}/merci/audio.mp3").status_code == 200
