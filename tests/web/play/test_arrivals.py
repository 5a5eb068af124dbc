"""Arrival by GPS: borne 4 of the greenway opens by its QR code or by the phone's position.

A resident who is there (within the radius, widened by the phone's accuracy up to 100 m) sees
the story; one who is not is told how far they are; a position that cannot be read is a kind
422 that opens nothing. Positions are never stored: every table and the log are searched for
the posted coordinates afterwards.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlmodel import Session, func, select

from campaigns.checkpoints import checkpoint_path
from tests.web.conftest import World
from tests.web.playing import Resident
from web.store.tables.play import Checkin, RateCounter

BORNE_4 = "/c/voie-verte/borne-4"
HERE = (47.4035, 0.7104)  # borne 4's `where`, radius 40 m
METRE = 1 / 111_195  # degrees of latitude in one metre
STORY_4 = {"fr": "Le dernier train passa ici en 1969", "en": "The last train came through here"}
WHY = {
    "fr": "Votre navigateur va vous demander votre position, une seule fois : elle sert à "
    "vérifier que vous êtes près de la balise, puis elle est oubliée, jamais enregistrée.",
    "en": "Your browser will ask for your position, once: it is used to check that you are near "
    "the marker, then forgotten, never stored.",
}
BUTTON = {"fr": "Je suis arrivé·e", "en": "I have arrived"}
NO_POSITION = (
    "Votre position ne nous est pas parvenue. Autorisez la localisation pour ce site dans votre "
    "navigateur, puis réessayez."
)


def north(metres: float, accuracy: float = 5) -> dict[str, str]:
    """A position `metres` north of borne 4, as the phone posts it."""
    return {"lat": repr(HERE[0] + metres * METRE), "lon": repr(HERE[1]), "accuracy": str(accuracy)}


def at_borne_4(world: World, lang: str = "fr") -> Resident:
    """A resident who has scanned bornes 1 to 3, so that borne 4 waits only for their arrival."""
    resident = Resident(world, lang=lang)
    secret = world.settings.secret_key
    for step in ("borne-1", "borne-2", "borne-3"):
        assert resident.get(checkpoint_path(secret, "voie-verte", step)).status_code == 200
    resident.get(BORNE_4)
    return resident


def checkins(world: World) -> int:
    with Session(world.site.engine) as session:
        return session.exec(select(func.count()).select_from(Checkin)).one()


def counted(world: World) -> int:
    with Session(world.site.engine) as session:
        rows = session.exec(select(RateCounter).where(RateCounter.key.startswith("answer-ip:")))
        return max((row.count for row in rows), default=0)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_gps_checkpoint_offers_the_button_with_its_reason_first(world: World, lang: str) -> None:
    page = html.unescape(at_borne_4(world, lang).get(BORNE_4).text)
    assert WHY[lang] in page and BUTTON[lang] in page
    assert page.index(WHY[lang]) < page.index(f">{BUTTON[lang]}</button>")
    assert 'action="/c/voie-verte/borne-4/ici"' in page
    assert re.search(r'<script src="/static/arrive\.[0-9a-f]+\.js" defer></script>', page)
    qr_only = html.unescape(Resident(world).get("/c/voie-verte/borne-1").text)
    assert BUTTON["fr"] not in qr_only and "arrive.js" not in qr_only


def test_inside_the_radius_the_marker_opens(world: World) -> None:
    resident = at_borne_4(world)
    response = resident.post(f"{BORNE_4}/ici", north(35))
    assert response.status_code == 303
    assert response.headers["location"] == BORNE_4
    page = html.unescape(resident.get(BORNE_4).text)
    assert "Vous y êtes : balise trouvée !" in page and STORY_4["fr"] in page
    assert checkins(world) == 4
    assert "4 étapes faites sur 4" in resident.get("/c/voie-verte").text


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_outside_the_radius_the_resident_is_told_how_far(world: World, lang: str) -> None:
    resident = at_borne_4(world, lang)
    response = resident.post(f"{BORNE_4}/ici", north(318))
    assert response.status_code == 200
    page = html.unescape(response.text)
    said = {
        "fr": "Vous êtes à environ 320 m de la balise. Approchez-vous, puis réessayez.",
        "en": "You are about 320 m from the marker. Get closer, then try again.",
    }
    assert said[lang] in page and STORY_4[lang] not in page
    assert BUTTON[lang] in page  # they may try again from where they stand
    far = html.unescape(resident.post(f"{BORNE_4}/ici", north(2260)).text)
    assert ("à environ 2,3 km" if lang == "fr" else "about 2.3 km") in far
    assert checkins(world) == 3


def test_the_phone_accuracy_widens_the_radius_up_to_100_m(world: World) -> None:
    resident = at_borne_4(world)
    far = resident.post(f"{BORNE_4}/ici", north(147, accuracy=5000))
    assert "Vous êtes à environ 150 m de la balise" in html.unescape(far.text)
    assert checkins(world) == 3
    assert resident.post(f"{BORNE_4}/ici", north(125, accuracy=90)).status_code == 303
    assert checkins(world) == 4


def test_an_arrival_before_the_earlier_bornes_opens_nothing(world: World) -> None:
    resident = Resident(world)
    resident.get(BORNE_4)
    page = html.unescape(resident.post(f"{BORNE_4}/ici", north(0)).text)
    assert "Vous êtes bien à la balise, mais elle ne s'ouvre qu'après les étapes" in page
    assert STORY_4["fr"] not in page and checkins(world) == 0


@pytest.mark.parametrize(
    "posted",
    [
        {"lat": "abc", "lon": "0.7104", "accuracy": "5"},
        {"lat": "NaN", "lon": "0.7104", "accuracy": "5"},
        {"lat": "47.4035", "lon": "Infinity", "accuracy": "5"},
        {"lat": "1e308", "lon": "0.7104", "accuracy": "5"},
        {"lat": "47.4035", "lon": "0.7104", "accuracy": "-5"},
        {"lat": "47.4035", "lon": "0.7104"},
        {"lat": "", "lon": "", "accuracy": ""},
        {},
    ],
)
def test_a_position_that_cannot_be_read_is_a_kind_422(world: World, posted: dict[str, str]) -> None:
    resident = at_borne_4(world)
    response = resident.post(f"{BORNE_4}/ici", posted)
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert NO_POSITION in page and STORY_4["fr"] not in page
    assert checkins(world) == 3
    assert counted(world) == 1  # counted by the rate limit, like a wrong answer


def test_a_huge_accuracy_is_too_vague_to_decide(world: World) -> None:
    resident = at_borne_4(world)
    response = resident.post(f"{BORNE_4}/ici", north(0, accuracy=1e308))
    assert response.status_code == 422
    assert "Votre position est trop imprécise" in html.unescape(response.text)
    assert checkins(world) == 3


def test_tries_are_rate_limited_like_answers(world: World) -> None:
    resident = at_borne_4(world)
    for _try in range(world.settings.answers_per_minute):
        assert resident.post(f"{BORNE_4}/ici", north(500)).status_code == 200
    slowed = resident.post(f"{BORNE_4}/ici", north(0))
    assert slowed.status_code == 429 and "Retry-After" in slowed.headers
    assert checkins(world) == 3


def test_only_a_gps_checkpoint_has_an_arrival_address(world: World) -> None:
    resident = at_borne_4(world)
    assert resident.post("/c/voie-verte/borne-1/ici", north(0)).status_code == 404
    assert resident.post("/c/ou-sommes-nous/tour/ici", north(0)).status_code == 404
    assert resident.client.get(f"{BORNE_4}/ici").status_code == 405


def test_an_arrival_without_its_form_token_is_refused(world: World) -> None:
    resident = at_borne_4(world)
    response = resident.client.post(f"{BORNE_4}/ici", data=north(0))
    assert response.status_code == 403 and checkins(world) == 3


def test_positions_are_never_stored_nor_logged(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    resident = at_borne_4(world)
    posted = [north(2260), north(318, accuracy=17), north(12, accuracy=23)]
    for position in posted:
        resident.post(f"{BORNE_4}/ici", position)
    assert checkins(world) == 4
    needles = {value[:9] for p in posted for value in (p["lat"], p["lon"])}
    needles |= {f"{p['lat'][:6]}" for p in posted} - {"47.403"}  # the marker's own digits
    engine = world.site.engine
    dumped: list[str] = []
    with engine.connect() as connection:
        for table in inspect(engine).get_table_names():
            rows = connection.execute(text(f'SELECT * FROM "{table}"')).all()
            dumped += [repr(tuple(row)) for row in rows]
    everything = "\n".join(dumped)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for needle in needles:
        assert needle not in everything, needle
        assert needle not in logged, needle
    assert "session" not in "".join(resident.client.cookies.keys()) or all(
        needle not in value for needle in needles for value in resident.client.cookies.values()
    )


def test_an_arrival_before_the_step_opens_opens_nothing(
    make_world: Callable[..., World], campaign_dir: Path
) -> None:
    yaml_file = campaign_dir / "campaigns.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    gps = "        arrive: [qr, gps]"
    assert text.count(gps) == 1
    yaml_file.write_text(text.replace(gps, "        opens: 2027-06-01T09:00\n" + gps), "utf-8")
    world = make_world()
    resident = at_borne_4(world)
    page = html.unescape(resident.post(f"{BORNE_4}/ici", north(0)).text)
    assert "Cette étape ouvre le" in page
    assert "Vous y êtes" not in page and STORY_4["fr"] not in page
    assert checkins(world) == 3
