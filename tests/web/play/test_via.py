"""`?via=` counts where players came from, and nothing a script makes up.

Only known channels count (the share links', the posters', a few common ones, and a campaign's
own `channels:`), each visitor once per campaign; a script dropping its cookie meets a limit
per address.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from sqlmodel import Session, select

from tests.web.conftest import World
from web.play import channels
from web.play.sharing import share_links
from web.store.tables.play import ViaCount

START = "/c/ou-sommes-nous"


def _counts(world: World) -> dict[str, int]:
    with Session(world.site.engine) as session:
        counted: dict[str, int] = {}
        for row in session.exec(select(ViaCount)):
            counted[row.channel] = counted.get(row.channel, 0) + row.count
        return counted


def _rows(world: World) -> int:
    with Session(world.site.engine) as session:
        return len(list(session.exec(select(ViaCount))))


def test_unknown_channels_store_nothing(world: World) -> None:
    client = world.client()
    for n in range(60):
        assert client.get(f"{START}?via=random{n}").status_code == 200
    for junk in ("<script>alert(1)</script>", "x" * 300, "", "facebook-pub"):
        world.client().get(START, params={"via": junk})
    assert _rows(world) == 0


def test_a_visitor_counts_once_per_campaign_however_often_they_reload(world: World) -> None:
    client = world.client()
    for _ in range(100):
        assert client.get(f"{START}?via=facebook").status_code == 200
    client.get(f"{START}?via=Affiche")  # another channel, same visitor: still one visit
    client.get("/c/voie-verte?via=affiche")  # another campaign counts on its own
    assert _counts(world) == {"facebook": 1, "affiche": 1}
    with Session(world.site.engine) as session:
        by_campaign = {(r.campaign, r.channel): r.count for r in session.exec(select(ViaCount))}
    assert by_campaign == {("ou-sommes-nous", "facebook"): 1, ("voie-verte", "affiche"): 1}


def test_fresh_cookies_from_one_address_meet_a_limit(world: World) -> None:
    for _ in range(channels.PER_ADDRESS + 20):
        assert world.client().get(f"{START}?via=facebook").status_code == 200
    assert _counts(world) == {"facebook": channels.PER_ADDRESS}
    world.clock.now = world.clock.now.replace(hour=world.clock.now.hour + 1)
    world.client().get(f"{START}?via=facebook")
    assert _counts(world) == {"facebook": channels.PER_ADDRESS + 1}


def test_residents_behind_a_trusted_proxy_each_count(make_world: Callable[..., World]) -> None:
    world = make_world(trusted_proxies=("testclient",))
    for n in range(channels.PER_ADDRESS + 5):
        resident = world.client(headers={"X-Forwarded-For": f"203.0.113.{n}"})
        resident.get(f"{START}?via=whatsapp")
    assert _counts(world) == {"whatsapp": channels.PER_ADDRESS + 5}


def test_a_campaign_names_its_own_channels(
    make_world: Callable[..., World], campaign_dir: Path
) -> None:
    yaml_file = campaign_dir / "campaigns.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    first = re.search(r"^  - slug: ou-sommes-nous.*\n", text, re.M)
    assert first is not None
    own = first.group(0) + "    channels: [qr-mairie, bulletin-ete]\n"
    yaml_file.write_text(text.replace(first.group(0), own, 1), encoding="utf-8")
    world = make_world()
    assert not world.site.registry.last_problems
    world.client().get(f"{START}?via=qr-mairie")
    world.client().get("/c/voie-verte?via=qr-mairie")  # not one of that campaign's channels
    assert _counts(world) == {"qr-mairie": 1}


def test_every_link_balises_prints_or_shares_counts() -> None:
    links = share_links("http://x/c/c", "Balade", [])
    named = set(re.findall(r"via(?:%3D|=)([a-z-]+)", " ".join(href for _n, href in links)))
    assert named == set(channels.SHARED)
    assert {*channels.SHARED, channels.POSTER} <= channels.BUILT_IN
