"""A checkpoint opened without sight or camera: its short code typed on the step's page, with
and without htmx; a wrong code, the rate limit it shares with QR tokens, and the step's text and
photo shown before the scan."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from sqlmodel import select

from campaigns.checkpoints import checkpoint_path, short_code
from tests.factories import jpeg_bytes
from tests.web.conftest import World
from tests.web.playing import Resident
from web.store import db
from web.store.tables.play import Checkin

SLUG = "voie-verte"
WORDS = {
    "fr": {
        "label": "Ou tapez le code de la balise",
        "help": "Il est écrit en gros sous le QR code, par exemple ABCD-23.",
        "button": "Ouvrir l'étape",
        "wrong": "Ce code n'ouvre pas cette balise. Vérifiez-le sur la plaque et réessayez.",
        "empty": "Tapez le code écrit sous le QR code de la balise.",
        "found": "Balise trouvée !",
        "story": "Le premier train entra en gare de Val-de-Loir le 14 mai 1881",
        "too-early": "Balise trouvée, mais elle ne s'ouvre qu'après les étapes ci-dessous",
    },
    "en": {
        "label": "Or type the marker's code",
        "help": "It is printed large under the QR code, for example ABCD-23.",
        "button": "Open the step",
        "wrong": "This code does not open this marker. Check it on the plate and try again.",
        "empty": "Type the code printed under the marker's QR code.",
        "found": "Marker found!",
        "story": "The first train pulled into Val-de-Loir station on 14 May 1881",
        "too-early": None,
    },
}


@pytest.fixture
def campaign_dir(campaign_dir: Path) -> Path:
    """The first marker shows a photo of where it stands."""
    (campaign_dir / "photos" / "borne-1.jpg").write_bytes(jpeg_bytes())
    yaml_file = campaign_dir / "campaigns.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    old = (
        '          en: "Marker 1 is waiting for you outside the old station, on the platform'
        ' side."\n'
    )
    assert text.count(old) == 1
    photo = (
        "        photo: photos/borne-1.jpg\n"
        "        alt:\n"
        '          fr: "Une borne de bois au pied d\'un quai de gare."\n'
        '          en: "A wooden post at the foot of a station platform."\n'
    )
    yaml_file.write_text(text.replace(old, old + photo), encoding="utf-8")
    return campaign_dir


def _text(response_text: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", response_text))


def _code(world: World, step: str) -> str:
    return short_code(world.settings.secret_key, SLUG, step)


def _checkins(world: World) -> list[str]:
    with db.reading(world.site.engine) as session:
        return [row.step for row in session.exec(select(Checkin)).all()]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_before_the_scan_the_page_shows_where_the_marker_is_and_asks_for_its_code(
    world: World, lang: str
) -> None:
    words = WORDS[lang]
    page = Resident(world, lang=lang).get(f"/c/{SLUG}/borne-1")
    text = _text(page.text)
    assert words["label"] in text and words["help"] in text and words["button"] in text
    assert 'action="/c/voie-verte/borne-1/code"' in text
    assert 'autocapitalize="characters"' in text
    assert ("La borne 1 vous attend" if lang == "fr" else "Marker 1 is waiting") in text
    assert "/p/voie-verte/borne-1/full-960.jpg" in text  # the photo, before the scan
    assert words["story"] not in text
    photo = Resident(world, lang=lang).get("/p/voie-verte/borne-1/full-480.jpg")
    assert photo.status_code == 200


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_typed_code_opens_the_checkpoint_like_a_scan(
    world: World, lang: str, htmx: bool
) -> None:
    words = WORDS[lang]
    resident = Resident(world, lang=lang, htmx=htmx)
    url = f"/c/{SLUG}/borne-1"
    resident.get(url)
    typed = _code(world, "borne-1").lower().replace("-", " ")
    response = resident.post(url + "/code", {"code": typed})
    if htmx:
        assert response.status_code == 200 and "<html" not in response.text
        text = _text(response.text)
    else:
        assert response.status_code == 303
        assert response.headers["location"] == url + "#play"
        text = _text(resident.get(url).text)
    assert words["found"] in text and words["story"] in text
    assert _checkins(world) == ["borne-1"]


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_wrong_code_says_so_kindly_and_opens_nothing(world: World, lang: str, htmx: bool) -> None:
    words = WORDS[lang]
    resident = Resident(world, lang=lang, htmx=htmx)
    url = f"/c/{SLUG}/borne-1"
    resident.get(url)
    # Another marker's code, and this one's with a character changed: the same message.
    right = _code(world, "borne-1")
    near = ("B" if right[0] != "B" else "C") + right[1:]
    for typed in (_code(world, "borne-2"), near):
        response = resident.post(url + "/code", {"code": typed})
        assert response.status_code == 422
        assert f"<p>{words['wrong']}</p>" in _text(response.text)
        assert typed not in response.text and right not in response.text
    empty = resident.post(url + "/code", {"code": "  "})
    assert empty.status_code == 422 and words["empty"] in _text(empty.text)
    assert _checkins(world) == []
    assert words["story"] not in _text(resident.get(url).text)


def test_wrong_codes_share_the_limit_of_wrong_tokens_and_a_new_cookie_does_not_reset_it(
    world: World,
) -> None:
    resident = Resident(world)
    url = f"/c/{SLUG}/borne-1"
    resident.get(url)
    for _ in range(19):
        assert resident.post(url + "/code", {"code": "ZZZZ-99"}).status_code == 422
    # A wrong QR token counts against the same limit: the 20th miss.
    assert resident.get(f"/k/{SLUG}/borne-1/aaaaaaaaaaaaaaaa").status_code == 404
    slowed = resident.post(url + "/code", {"code": _code(world, "borne-1")})
    assert slowed.status_code == 429
    assert int(slowed.headers["retry-after"]) > 0
    other = Resident(world, htmx=True)
    other.get(url)
    refused = other.post(url + "/code", {"code": _code(world, "borne-1")})
    assert refused.status_code == 429
    assert "Beaucoup d'essais d'un coup ! Réessayez dans" in _text(refused.text)
    assert _checkins(world) == []


def test_a_code_typed_ahead_of_the_trail_opens_nothing_and_says_what_comes_first(
    world: World,
) -> None:
    resident = Resident(world)
    resident.get(f"/c/{SLUG}/borne-2")
    response = resident.post(f"/c/{SLUG}/borne-2/code", {"code": _code(world, "borne-2")})
    assert response.status_code == 303
    assert WORDS["fr"]["too-early"] in _text(resident.get(f"/c/{SLUG}/borne-2").text)
    assert _checkins(world) == []


def test_only_a_checkpoint_takes_a_code(world: World) -> None:
    resident = Resident(world)
    resident.get("/c/ou-sommes-nous/tour")
    assert resident.post("/c/ou-sommes-nous/tour/code", {"code": "ABCD-23"}).status_code == 404
    assert resident.post(f"/c/{SLUG}/nulle-part/code", {"code": "ABCD-23"}).status_code == 404


def test_the_scan_and_the_code_open_the_same_step_for_the_same_player(world: World) -> None:
    resident = Resident(world)
    resident.get(checkpoint_path(world.settings.secret_key, SLUG, "borne-1"))
    resident.get(f"/c/{SLUG}/borne-1")
    again = resident.post(f"/c/{SLUG}/borne-1/code", {"code": _code(world, "borne-1")})
    assert again.status_code == 303
    assert _checkins(world) == ["borne-1"]
