"""Spam sent as contributions (BAD_INPUTS 34 and 35): a burst of photos, insults, links.

Nothing a resident sends is public before the cm accepts it; a link in it is never a link,
even once published; the daily quota holds per player and per address, and an address is
what the TCP peer says unless a trusted proxy added it (a spoofed `X-Forwarded-For` from
anyone else, or an entry a client puts before the proxy's own, changes nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.web.conftest import World
from tests.web.participation.residents import SLUG, Phone, cm, moderate, submissions, write_campaign


@pytest.fixture
def town(make_world: Callable[..., World], campaign_dir: Path) -> World:
    write_campaign(campaign_dir)
    return make_world()


SPAM = "Achetez ici https://spam.example/promo et [ici](https://spam.example/lien) bande d'idiots"


def test_links_in_a_contribution_wait_for_the_cm_and_are_never_links(town: World) -> None:
    phone = Phone(town)
    assert phone.contribute("temoignage", text=SPAM).status_code == 303
    assert "spam.example" not in Phone(town).open(f"/c/{SLUG}/galerie").text
    staff = cm(town)
    queue = staff.get("/staff/moderation").text
    assert "https://spam.example/promo" in queue and 'href="https://spam.example' not in queue
    [row] = submissions(town)
    moderate(staff, row.id or 0, "accept")  # even a cm who lets it through publishes no link
    for page in (Phone(town).open(f"/c/{SLUG}/galerie").text, phone.open("/moi").text):
        assert 'href="https://spam.example' not in page
    assert "https://spam.example/promo" in Phone(town).open(f"/c/{SLUG}/galerie").text


def test_a_spoofed_forwarded_for_does_not_reset_the_daily_quota(town: World) -> None:
    sent = []
    for n in range(5):  # new cookies, each with a made-up address the site does not trust
        phone = Phone(town, headers={"X-Forwarded-For": f"203.0.113.{n}"})
        sent += [
            phone.contribute("temoignage", text=f"Photo {n}.{k}").status_code for k in range(4)
        ]
    assert sent == [303] * 20
    refused = Phone(town, headers={"X-Forwarded-For": "198.51.100.1"}).contribute(
        "temoignage", text="Une de trop"
    )
    assert refused.status_code == 429
    assert "Une de trop" in refused.text  # what was typed comes back, said at the form
    assert len(submissions(town)) == 20


def test_behind_a_trusted_proxy_the_quota_follows_the_address_the_proxy_saw(
    make_world: Callable[..., World], campaign_dir: Path
) -> None:
    write_campaign(campaign_dir)
    world = make_world(trusted_proxies=("testclient",))
    sent = []
    for n in range(5):  # the client writes an entry of its own; the proxy appends the real one
        forged = {"X-Forwarded-For": f"203.0.113.{n}, 198.51.100.7"}
        phone = Phone(world, headers=forged)
        sent += [
            phone.contribute("temoignage", text=f"Photo {n}.{k}").status_code for k in range(4)
        ]
    assert sent == [303] * 20
    again = Phone(world, headers={"X-Forwarded-For": "203.0.113.99, 198.51.100.7"})
    assert again.contribute("temoignage", text="Encore").status_code == 429
    neighbour = Phone(world, headers={"X-Forwarded-For": "198.51.100.8"})
    assert neighbour.contribute("temoignage", text="Un vrai souvenir").status_code == 303
