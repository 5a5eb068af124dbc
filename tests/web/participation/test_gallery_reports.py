"""Reports hide a gallery item only when several residents from several addresses send them.

One address weighs once, however many cookies it drops: three reports from one phone that
clears its cookies between them (or one house, one school) no longer hide anyone's photo. The
address is the TCP peer, or the entry a trusted proxy added to `X-Forwarded-For`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import select

from tests.web.conftest import World
from tests.web.participation.residents import (
    SLUG,
    Phone,
    cm,
    moderate,
    submissions,
    write_campaign,
)
from web.store import db
from web.store.tables.participation import SubmissionReport

TEXT = "Un texte limite"


@pytest.fixture
def town(make_world: Callable[..., World], campaign_dir: Path) -> World:
    """The contribution campaign behind a trusted proxy (the test client), one accepted text."""
    write_campaign(campaign_dir)
    world = make_world(trusted_proxies=("testclient",))
    Phone(world).contribute("temoignage", text=TEXT)
    [row] = submissions(world)
    moderate(cm(world), row.id or 0, "accept")
    return world


def _item(world: World) -> int:
    [row] = submissions(world)
    return row.id or 0


def _from(world: World, address: str) -> Phone:
    return Phone(world, headers={"X-Forwarded-For": address})


def _shown(world: World) -> bool:
    return TEXT in _from(world, "198.51.100.99").open(f"/c/{SLUG}/galerie").text


def _reports(world: World) -> int:
    with db.reading(world.site.engine) as session:
        return len(list(session.exec(select(SubmissionReport))))


def test_three_fresh_cookies_from_one_address_do_not_hide_an_item(town: World) -> None:
    item = _item(town)
    for _ in range(3):
        sent = _from(town, "203.0.113.7").report(item)
        assert sent.headers["location"] == f"/c/{SLUG}/galerie?signale=1"
    assert _shown(town)
    assert _reports(town) == 3  # each was heard, and the cm sees them
    assert not submissions(town)[0].hidden


def test_three_residents_from_three_addresses_hide_it(town: World) -> None:
    item = _item(town)
    _from(town, "203.0.113.1").report(item)
    _from(town, "203.0.113.2").report(item)
    assert _shown(town)
    third = _from(town, "203.0.113.3")
    done = third.report(item)
    gallery = third.open(done.headers["location"]).text
    assert "Merci de votre signalement" in gallery and TEXT not in gallery
    assert submissions(town)[0].hidden


def test_one_address_weighs_once_among_others(town: World) -> None:
    item = _item(town)
    for address in ("203.0.113.1", "203.0.113.1", "203.0.113.1", "203.0.113.2"):
        _from(town, address).report(item)
    assert _shown(town)  # four residents, but only two addresses
    _from(town, "203.0.113.3").report(item)
    assert not _shown(town)


def test_one_resident_on_three_addresses_counts_once(town: World) -> None:
    item = _item(town)
    phone = _from(town, "203.0.113.1")
    for address in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        phone.client.headers["X-Forwarded-For"] = address
        phone.report(item)
    assert _shown(town)
    assert _reports(town) == 1


def test_reports_keep_no_address_in_clear(town: World) -> None:
    _from(town, "203.0.113.42").report(_item(town))
    with db.reading(town.site.engine) as session:
        [report] = session.exec(select(SubmissionReport))
    assert "203.0.113.42" not in f"{report.reporter} {report.address}"
    assert len(report.address) == 32
