"""The retention purge and what residents sent: contributions, proposals and their reports of a
campaign past its retention period are retired, their photos removed at the next start, and
nothing of a recent campaign goes.
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from tests.web.balade import Walker, rows_mentioning
from tests.web.conftest import Clock, World
from web.privacy import retention
from web.store import db
from web.store.tables.play import Player

PARIS = ZoneInfo("Europe/Paris")
WHILE_BOTH_OPEN = datetime(2025, 6, 1, 12, 0, tzinfo=PARIS)
LATER = datetime(2026, 10, 1, 12, 0, tzinfo=PARIS)  # vieux-port closed long ago, quai recently

PARTICIPATION = """\
version: 1
campaigns:
  - slug: vieux-port
    title: "Le vieux port"
    opens: 2025-01-01T09:00
    closes: 2025-06-30T19:00
    order: free
    contributors:
      - id: archives
        name: "Archives municipales"
    steps:
      - id: mystere
        type: identify
        title: "Photo mystère"
        photo: photos/photo-mystere.jpg
        alt: "Une rue ancienne, des passants"
        credit: archives
        prompt: "Où est-ce ?"
      - id: souvenirs
        type: contribution
        title: "Vos photos du port"
    finale:
      title: "Merci à tous"
  - slug: quai
    title: "Le quai"
    opens: 2025-01-01T09:00
    closes: 2027-12-31T19:00
    order: free
    steps:
      - id: souvenirs
        type: contribution
        title: "Vos photos du quai"
    finale:
      title: "Merci à tous"
"""


def _jpeg(color: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), color).save(buffer, "JPEG")
    return buffer.getvalue()


def _contribute(walker: Walker, slug: str, text: str, name: str, photo: str | None = None) -> None:
    walker.get(f"/c/{slug}/souvenirs")
    data = {"csrf": walker.token, "text": text, "credit": "name", "credit_name": name}
    data["licence"] = "cc-by-sa-4.0"
    image = _jpeg(photo) if photo else b""
    files = {"photo": ("IMG_0042.jpg" if photo else "", image, "image/jpeg")}
    sent = walker.client.post(f"/c/{slug}/souvenirs", data=data, files=files)
    assert sent.status_code == 303, sent.text[:300]


def _propose(walker: Walker, text: str, name: str) -> None:
    walker.get("/c/vieux-port/mystere")
    data = {"text": text, "credit": "pseudonym", "credit_name": name}
    assert walker.post("/c/vieux-port/mystere", data).status_code == 303


def _report(walker: Walker, slug: str, item: int) -> None:
    walker.get(f"/c/{slug}/galerie")
    assert walker.post(f"/c/{slug}/galerie/{item}/signaler", {}).status_code == 303


def _decide(world: World, statuses: dict[str, str], keys: dict[str, str]) -> dict[str, int]:
    """The cm's moderation and staff's identifications, written as they would be; the ids of
    the contributions by text."""
    from web.store.tables.participation import Identification, Submission

    with db.writing(world.site.engine) as session:
        rows = list(session.exec(select(Submission)))
        for row in rows:
            row.status = statuses[row.text]
            session.add(row)
        for key, status in keys.items():
            session.add(
                Identification(
                    campaign="vieux-port", step="mystere", key=key, label=key, status=status
                )
            )
        return {row.text: row.id or 0 for row in rows}


@pytest.fixture
def contributed(
    make_world: Callable[..., World], campaign_dir: Path, clock: Clock
) -> dict[str, object]:
    """Ana sent things only to the old campaign; Bob to both; Chloé reported on both."""
    from campaigns.matching import normalise

    clock.now = WHILE_BOTH_OPEN
    (campaign_dir / "campaigns.yaml").write_text(PARTICIPATION, encoding="utf-8")
    world = make_world()
    ana, bob, chloe = Walker(world), Walker(world), Walker(world)
    _contribute(ana, "vieux-port", "Le port en 1950", "Ana Lefèvre", photo="red")
    _contribute(ana, "vieux-port", "Un brouillon", "Ana Lefèvre", photo="blue")
    _contribute(ana, "vieux-port", "Hors sujet", "Ana Lefèvre")
    _propose(ana, "Pont Wilson", "Ana du port")
    _propose(ana, "Tour Charlemagne", "Ana du port")
    _propose(bob, "pont wilson !", "Bob")
    _propose(bob, "La mairie", "Bob")
    _contribute(bob, "vieux-port", "Mon grand-père pêcheur", "Bob Martin")
    _contribute(bob, "quai", "Les bateaux du quai", "Bob Martin")
    _contribute(bob, "quai", "Le quai en 1980", "Bob Martin")
    ids = _decide(
        world,
        {
            "Le port en 1950": "accepted",
            "Un brouillon": "pending",
            "Hors sujet": "rejected",
            "Mon grand-père pêcheur": "pending",
            "Les bateaux du quai": "accepted",
            "Le quai en 1980": "pending",
        },
        {normalise("Pont Wilson"): "accepted", normalise("Tour Charlemagne"): "declined"},
    )
    _report(chloe, "vieux-port", ids["Le port en 1950"])
    _report(chloe, "quai", ids["Les bateaux du quai"])
    return {"world": world, "ana": ana, "bob": bob, "chloe": chloe, "ids": ids}


def _participation(world: World) -> dict[str, list[tuple[object, ...]]]:
    from web.store.tables.participation import Proposal, Submission, SubmissionReport

    with db.reading(world.site.engine) as session:
        return {
            "submissions": sorted(
                (s.campaign, s.text, s.status, s.player_id, s.credit_kind, s.credit_name)
                for s in session.exec(select(Submission))
            ),
            "proposals": sorted(
                (p.text, p.player_id, p.credit_kind, p.credit_name)
                for p in session.exec(select(Proposal))
            ),
            "reports": sorted(
                (r.submission_id, r.reporter) for r in session.exec(select(SubmissionReport))
            ),
        }


def _photo_files(world: World) -> int:
    folder = world.settings.media_dir / "contributions"
    return sum(1 for p in folder.rglob("*") if p.is_file() and "cache" not in p.parts)


def test_the_purge_retires_what_residents_sent_to_the_old_campaign_only(
    contributed: dict[str, object],
) -> None:
    world, ana, bob, chloe = (contributed[k] for k in ("world", "ana", "bob", "chloe"))
    assert isinstance(world, World)
    assert isinstance(ana, Walker) and isinstance(bob, Walker) and isinstance(chloe, Walker)
    ana_pid, bob_pid, chloe_pid = ana.player_id, bob.player_id, chloe.player_id
    ids = contributed["ids"]
    assert isinstance(ids, dict)
    before = _participation(world)
    recent = [s for s in before["submissions"] if s[0] == "quai"]
    assert len(recent) == 2 and _photo_files(world) == 2

    report = retention.purge(world.site.engine, world.site.registry.campaigns(), LATER, 90)

    assert report.campaigns == ["vieux-port"]
    assert report.players == 1  # Ana, who sent things to the old campaign only
    after = _participation(world)
    assert after["submissions"] == sorted(
        [("vieux-port", "Le port en 1950", "accepted", None, "anonymous", ""), *recent]
    )
    assert after["proposals"] == [
        ("Pont Wilson", None, "anonymous", ""),
        ("pont wilson !", None, "anonymous", ""),
    ]
    assert after["reports"] == [(ids["Les bateaux du quai"], chloe_pid)]
    assert rows_mentioning(world, ana_pid) == []
    bobs = [r for r in rows_mentioning(world, bob_pid) if r[0] in ("submission", "proposal")]
    assert [row["campaign"] for _table, row in bobs] == ["quai", "quai"]
    with db.reading(world.site.engine) as session:
        assert session.get(Player, ana_pid) is None
        assert session.get(Player, bob_pid) is not None

    visitor = Walker(world)
    gallery = visitor.get("/c/vieux-port/galerie").text
    assert "Le port en 1950" in gallery and "Par un habitant ou une habitante (anonyme)" in gallery
    assert "Ana" not in gallery and "Un brouillon" not in gallery
    credits = visitor.get("/c/vieux-port/merci").text
    assert "Et 3 personnes qui ont préféré rester anonymes." in credits
    assert "Ana" not in credits and "Bob" not in credits
    assert "Les bateaux du quai" in visitor.get("/c/quai/galerie").text
    assert "<li>Bob Martin</li>" in visitor.get("/c/quai/merci").text
    # The photo of the pending contribution is removed at the next start (the purge runs first).
    assert _photo_files(world) == 2


def test_the_next_start_removes_the_purged_photos(
    contributed: dict[str, object], make_world: Callable[..., World], clock: Clock
) -> None:
    world, ids = contributed["world"], contributed["ids"]
    assert isinstance(world, World) and isinstance(ids, dict)
    assert _photo_files(world) == 2
    an_hour_ago = time.time() - 3600  # older than the sweep's grace for uploads in flight
    for path in (world.settings.media_dir / "contributions").rglob("*"):
        os.utime(path, (an_hour_ago, an_hour_ago))
    clock.now = LATER
    restarted = make_world()
    assert _photo_files(restarted) == 1  # the accepted photo stays in the gallery
    image = Walker(restarted).client.get(f"/c/vieux-port/galerie/{ids['Le port en 1950']}-480.jpg")
    assert image.status_code == 200


def test_a_purged_players_report_on_a_recent_campaign_goes_at_the_next_run(
    contributed: dict[str, object],
) -> None:
    world, ana = contributed["world"], contributed["ana"]
    ids = contributed["ids"]
    assert isinstance(world, World) and isinstance(ana, Walker) and isinstance(ids, dict)
    world.clock.now = WHILE_BOTH_OPEN
    _report(ana, "quai", ids["Les bateaux du quai"])
    ana_pid = ana.player_id
    campaigns = world.site.registry.campaigns()

    assert retention.purge(world.site.engine, campaigns, LATER, 90).players == 1
    retention.purge(world.site.engine, campaigns, LATER, 90)

    assert rows_mentioning(world, ana_pid) == []
    chloe = contributed["chloe"]
    assert isinstance(chloe, Walker)
    assert _participation(world)["reports"] == [(ids["Les bateaux du quai"], chloe.player_id)]
