"""One rule for a checkpoint, on its page and on its scan: a scan opens it only when the scan is
all it waits for. In a sequential trail, scanning borne 3 before bornes 1 and 2 opens nothing and
keeps nothing, as the page of borne 3 says; a checkpoint scanned before its own opening time
neither."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from campaigns.checkpoints import checkpoint_path
from tests.web.conftest import World
from tests.web.playing import Resident
from web.store.tables.play import Checkin

LATER = """
  - slug: plus-tard
    title: "Plus tard"
    order: free
    steps:
      - id: borne-du-dimanche
        type: checkpoint
        title: "La borne du dimanche"
        opens: 2027-05-02T09:00
        story: "Le marché du dimanche."
"""

EARLY = {
    "fr": "Balise trouvée, mais elle ne s'ouvre qu'après les étapes ci-dessous : faites-les,"
    " puis scannez-la de nouveau.",
    "en": "Marker found, but it only opens after the steps below: do them, then scan it again.",
}
WAITS = {
    "fr": "Cette étape s'ouvrira quand vous aurez fait :",
    "en": "This step opens once you have done:",
}
STORY_3 = {"fr": "Pendant trente ans, Marcelle Huet", "en": "For thirty years Marcelle Huet"}


@pytest.fixture
def campaign_dir(campaign_dir: Path) -> Path:
    yaml_file = campaign_dir / "campaigns.yaml"
    yaml_file.write_text(yaml_file.read_text(encoding="utf-8") + LATER, encoding="utf-8")
    return campaign_dir


def scan(resident: Resident, slug: str, step_id: str) -> str:
    response = resident.get(checkpoint_path(resident.world.settings.secret_key, slug, step_id))
    assert response.status_code == 200
    return html.unescape(response.text)


def checkins(world: World) -> int:
    with Session(world.site.engine) as session:
        return session.exec(select(func.count()).select_from(Checkin)).one()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_checkpoint_scanned_ahead_of_the_trail_opens_nothing(world: World, lang: str) -> None:
    resident = Resident(world, lang=lang)
    page = resident.get("/c/voie-verte/borne-3")
    assert WAITS[lang] in html.unescape(page.text)

    scanned = scan(resident, "voie-verte", "borne-3")
    assert f"<p>{EARLY[lang]}</p>" in scanned
    assert WAITS[lang] in scanned
    assert 'href="/c/voie-verte/borne-1"' in scanned and 'href="/c/voie-verte/borne-2"' in scanned
    assert STORY_3[lang] not in scanned
    assert checkins(world) == 0
    progress = "0 étape faite sur 4" if lang == "fr" else "0 steps done out of 4"
    assert progress in resident.get("/c/voie-verte").text
    # The page says the same after the scan as before it.
    assert STORY_3[lang] not in resident.get("/c/voie-verte/borne-3").text


def test_once_the_earlier_bornes_are_done_the_scan_opens_it(world: World) -> None:
    resident = Resident(world)
    scan(resident, "voie-verte", "borne-3")
    assert "Balise trouvée !" in scan(resident, "voie-verte", "borne-1")
    assert "Balise trouvée !" in scan(resident, "voie-verte", "borne-2")
    waiting = html.unescape(resident.get("/c/voie-verte/borne-3").text)
    assert "scannez le QR code de la balise pour ouvrir cette étape" in waiting
    assert STORY_3["fr"] not in waiting
    opened = scan(resident, "voie-verte", "borne-3")
    assert "<p>Balise trouvée !</p>" in opened and STORY_3["fr"] in opened
    assert checkins(world) == 3
    assert "3 étapes faites sur 4" in resident.get("/c/voie-verte").text


def test_a_checkpoint_scanned_before_its_own_opening_time_opens_nothing(world: World) -> None:
    resident = Resident(world)
    scanned = scan(resident, "plus-tard", "borne-du-dimanche")
    assert "Cette étape ouvre le" in scanned
    assert "Le marché du dimanche." not in scanned and "Balise trouvée" not in scanned
    assert checkins(world) == 0
    assert "0 étape faite sur 1" in resident.get("/c/plus-tard").text
