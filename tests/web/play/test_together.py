"""What the town did together, on the campaign page and the finale: how many played, mystery
photos identified out of how many, memories shared, markers scanned this week; never a name,
and never a count under 5 ("moins de 5")."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from sqlalchemy import update

from campaigns.checkpoints import checkpoint_path
from tests.web.conftest import World
from tests.web.participation.residents import CAMPAIGN, SLUG, Phone, cm, moderate, submissions
from tests.web.participation.test_identifications import decide
from tests.web.staff.conftest import cheap_argon2
from web.store import db
from web.store.tables.play import Checkin

__all__ = ["cheap_argon2"]

WITH_MARKER = CAMPAIGN.replace(
    "    finale:",
    '      - id: borne\n        type: checkpoint\n        title: "La borne"\n'
    '      - id: autre-mystere\n        type: identify\n        title: "Autre photo"\n'
    '        photo: photos/photo-mystere.jpg\n        alt: "Une place"\n'
    "    finale:",
)


def town_figures(world: World, path: str = f"/c/{SLUG}") -> str:
    page = html.unescape(Phone(world).open(path).text)
    start = page.index('<section class="together"')
    return page[start : page.index("</section>", start)]


def scan(world: World, phone: Phone) -> None:
    url = checkpoint_path(world.settings.secret_key, SLUG, "borne")
    assert phone.client.get(url).status_code == 200


def later(world: World) -> None:
    """A minute on: the figures are counted again."""
    world.clock.now += timedelta(minutes=2)


def test_the_town_sees_what_it_did_together_and_no_count_under_five(
    make_world: Callable[..., World], campaign_dir: Path
) -> None:
    (campaign_dir / "campaigns.yaml").write_text(WITH_MARKER, encoding="utf-8")
    world = make_world()
    figures = town_figures(world)
    assert "Ce que la ville a fait ensemble" in figures
    assert "Moins de 5 habitants ont joué." in figures
    assert "0 photo mystère identifiée sur 2." in figures
    assert "Moins de 5 souvenirs partagés." in figures
    assert "Moins de 5 balises scannées cette semaine." in figures

    # A scan more than a week ago is not "this week".
    scan(world, Phone(world))
    with db.writing(world.site.engine) as session:
        session.execute(update(Checkin).values(at=world.clock.now - timedelta(days=8)))
    for _n in range(3):
        phone = Phone(world)
        scan(world, phone)
        phone.contribute(text="Mon grand-père tenait la mercerie.", credit="name", credit_name="Lo")
    later(world)
    assert "Moins de 5 habitants ont joué." in town_figures(world)  # 4
    scan(world, Phone(world))
    Phone(world).contribute(text="La gare en 1950.")
    Phone(world).contribute(text="Le marché du samedi.")
    later(world)
    figures = town_figures(world)
    assert "7 habitants ont joué." in figures
    assert "Moins de 5 balises scannées cette semaine." in figures  # 4 this week, 1 before
    assert "Moins de 5 souvenirs partagés." in figures  # 5 sent, none accepted yet
    staff = cm(world)
    for item in submissions(world):
        assert moderate(staff, item.id or 0, "accept").status_code == 303
    scan(world, Phone(world))
    phone = Phone(world)
    phone.open(f"/c/{SLUG}/mystere")
    phone.client.post(f"/c/{SLUG}/mystere", data={"csrf": phone.token, "text": "Pont Wilson"})
    assert decide(staff, "pont wilson").status_code == 303
    later(world)
    for path in (f"/c/{SLUG}", f"/c/{SLUG}/merci"):
        figures = town_figures(world, path)
        assert "9 habitants ont joué." in figures
        assert "1 photo mystère identifiée sur 2." in figures
        assert "5 souvenirs partagés." in figures
        assert "5 balises scannées cette semaine." in figures
        assert "Lo" not in figures


def test_the_figures_are_counted_at_most_once_a_minute(
    make_world: Callable[..., World], campaign_dir: Path
) -> None:
    (campaign_dir / "campaigns.yaml").write_text(WITH_MARKER, encoding="utf-8")
    world = make_world()
    for _n in range(5):
        scan(world, Phone(world))
    assert "5 habitants ont joué." in town_figures(world)
    scan(world, Phone(world))
    assert "5 habitants ont joué." in town_figures(world)
    later(world)
    assert "6 habitants ont joué." in town_figures(world)
