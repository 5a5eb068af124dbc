"""A riddle whose photo is a staff upload shows the upload's credit and licence to players.

The archival reference (fonds, cote) may name the place, so it appears only once the riddle is
solved; the upload's title and private note never reach a player.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from tests.web.conftest import World
from tests.web.playing import Resident
from tests.web.staff.conftest import photos_in_db, upload
from tests.web.staff.samples import photo

TOUR_PHOTO = "photo: photos/enigme-1-pierre.jpg"
TOUR_CREDIT = (
    "        credit: lucie-perrin    # contributor id, or a list: [archives, phototheque]\n"
)


def _riddle_on_an_upload(world: World, client: TestClient, campaign_dir: Path) -> None:
    upload(
        client,
        [("carte.jpg", photo("JPEG"))],
        title="Tour Saint-Aubin vers 1910",
        credit="Fonds Martin, Archives municipales",
        licence="cc-by-4.0",
        fonds="Fonds Martin",
        cote="3 Fi 245",
        note="Ne pas publier le verso",
    )
    [stored] = photos_in_db(world)
    yaml_file = campaign_dir / "campaigns.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    assert TOUR_PHOTO in text and TOUR_CREDIT in text
    text = text.replace(TOUR_PHOTO, f"photo: media:{stored.id}").replace(TOUR_CREDIT, "", 1)
    yaml_file.write_text(text, encoding="utf-8")
    world.site.registry.refresh(force=True)
    assert not world.site.registry.last_problems


def test_an_uploaded_photo_is_shown_with_its_credit_and_licence(
    staff_world: World, staff_client: TestClient, campaign_dir: Path
) -> None:
    _riddle_on_an_upload(staff_world, staff_client, campaign_dir)
    resident = Resident(staff_world)
    page = resident.get("/c/ou-sommes-nous/tour").text
    assert "Fonds Martin, Archives municipales · CC BY 4.0" in page
    assert "3 Fi 245" not in page
    assert "Tour Saint-Aubin vers 1910" not in page
    assert "Ne pas publier le verso" not in page

    campaign = staff_world.site.registry.get("ou-sommes-nous")
    assert campaign is not None
    step = campaign.step("tour")
    assert step is not None
    resident.post("/c/ou-sommes-nous/tour", {"answer": step.answers[0]})
    solved = resident.get("/c/ou-sommes-nous/tour").text
    assert "Fonds Martin, Archives municipales · CC BY 4.0 · Fonds Martin 3 Fi 245" in solved
