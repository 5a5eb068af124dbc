"""The purge of player data past a closed campaign's retention period: by
`balises purge` and at every start, only what is past retention, figures kept."""

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

from balises.cli import build_parser
from balises.purgecommand import run_purge
from tests.web.balade import Walker, rows_mentioning, write_balade
from tests.web.conftest import Clock, World
from web.privacy import retention
from web.staff import figures
from web.store import db
from web.store.tables.play import Attempt, Player, Solve

PARIS = ZoneInfo("Europe/Paris")
# "ancienne" closes 2025-06-30; "balade" (here) closes 2026-09-15.
WHILE_BOTH_OPEN = datetime(2025, 6, 1, 12, 0, tzinfo=PARIS)
LATER = datetime(2026, 10, 1, 12, 0, tzinfo=PARIS)  # ancienne closed 15 months ago, balade 16 days


@pytest.fixture
def played(make_world: Callable[..., World], tmp_path: Path, clock: Clock) -> dict[str, object]:
    clock.now = WHILE_BOTH_OPEN
    path = write_balade(tmp_path / "balade", opens="2025-01-01T09:00", closes="2026-09-15T19:00")
    world = make_world(campaigns_path=path)
    old_only, both = Walker(world), Walker(world)
    old_only.answer("ancienne", "halle", "Marché couvert")
    old_only.answer("ancienne", "halle", "Halle aux grains")
    both.answer("ancienne", "halle", "Halle aux grains")
    both.answer("balade", "tour", "Tour Saint-Aubin")
    return {"world": world, "old_only": old_only, "both": both, "path": path}


def _figures(world: World, slug: str) -> dict[str, object]:
    with db.reading(world.site.engine) as session:
        return figures.compute(session, world.campaign(slug)).as_json()


def _solves(world: World) -> list[tuple[str, str]]:
    with db.reading(world.site.engine) as session:
        return sorted((s.player_id, s.campaign) for s in session.exec(select(Solve)))


def test_the_purge_deletes_only_what_is_past_retention(played: dict[str, object]) -> None:
    world, old_only, both = played["world"], played["old_only"], played["both"]
    assert isinstance(world, World) and isinstance(old_only, Walker) and isinstance(both, Walker)
    old_pid, both_pid = old_only.player_id, both.player_id
    old_figures, recent_figures = _figures(world, "ancienne"), _figures(world, "balade")
    campaigns = world.site.registry.campaigns()

    # 89 days after ancienne closed: nothing is due yet.
    early = datetime(2025, 9, 27, 12, 0, tzinfo=PARIS)
    report = retention.purge(world.site.engine, campaigns, early, 90)
    assert report.campaigns == [] and report.players == 0
    assert len(_solves(world)) == 3

    report = retention.purge(world.site.engine, campaigns, LATER, 90)

    assert report.campaigns == ["ancienne"]
    assert report.players == 1  # the one who played only the old campaign
    assert _solves(world) == [(both_pid, "balade")]
    assert rows_mentioning(world, old_pid) == []
    with db.reading(world.site.engine) as session:
        assert session.get(Player, old_pid) is None
        assert session.get(Player, both_pid) is not None
        old_attempts = list(session.exec(select(Attempt).where(Attempt.campaign == "ancienne")))
    assert len(old_attempts) == 3 and all(a.player_id is None for a in old_attempts)
    assert _figures(world, "ancienne") == old_figures
    assert _figures(world, "balade") == recent_figures
    # A second run has nothing left to do.
    again = retention.purge(world.site.engine, campaigns, LATER, 90)
    assert again.campaigns == [] and again.players == 0
    assert _figures(world, "ancienne") == old_figures


def test_a_longer_retention_setting_keeps_the_data(played: dict[str, object]) -> None:
    world = played["world"]
    assert isinstance(world, World)
    report = retention.purge(world.site.engine, world.site.registry.campaigns(), LATER, 500)
    assert report.campaigns == []
    assert len(_solves(world)) == 3


def test_the_site_purges_on_start(
    played: dict[str, object], make_world: Callable[..., World], clock: Clock
) -> None:
    first = played["world"]
    assert isinstance(first, World)
    clock.now = LATER
    restarted = make_world(campaigns_path=played["path"])
    assert [campaign for _pid, campaign in _solves(restarted)] == ["balade"]
    assert _figures(restarted, "ancienne")["finished"] == 2


def test_balises_purge_command(played: dict[str, object]) -> None:
    world = played["world"]
    assert isinstance(world, World)
    out = io.StringIO()
    code = run_purge(world.settings, now=LATER, out=out)
    assert code == 0
    assert out.getvalue() == "campagne purgée : ancienne ; 1 joueur supprimé\n"
    assert [campaign for _pid, campaign in _solves(world)] == ["balade"]
    assert build_parser().parse_args(["purge"]).run.__name__ == "_purge"


def test_the_purge_command_says_when_the_campaigns_are_missing(
    played: dict[str, object], tmp_path: Path
) -> None:
    world = played["world"]
    assert isinstance(world, World)
    from dataclasses import replace

    settings = replace(world.settings, campaigns_path=tmp_path / "nowhere.yaml")
    assert run_purge(settings, now=LATER, out=io.StringIO()) == 1
    assert len(_solves(world)) == 3


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


def _marker_report(world: World, colour: tuple[int, int, int], resolved: datetime | None) -> str:
    """A marker report with its photo (as the report page stores it), resolved or not."""
    from PIL import Image

    from media import library
    from web.store.tables.markers import PHOTO_FOLDER, MarkerReport

    upload = world.settings.media_dir / f"upload-{colour}.jpg"
    Image.new("RGB", (40, 30), colour).save(upload, "JPEG")
    stored = library.ingest(upload, media_dir=world.settings.media_dir / PHOTO_FOLDER)
    with db.writing(world.site.engine) as session:
        session.add(
            MarkerReport(
                campaign="ou-sommes-nous",
                step="balise-kiosque",
                comment=f"photo {colour}",
                photo_sha256=stored.sha256,
                at=LATER.replace(year=2025),
                resolved_at=resolved,
            )
        )
    return stored.sha256


def _report_files(world: World) -> set[str]:
    folder = world.settings.media_dir / "signalements"
    return {p.name for p in folder.rglob("*") if p.is_file()}


def test_the_purge_deletes_reports_resolved_before_the_retention_period_and_their_photos(
    world: World,
) -> None:
    from datetime import timedelta

    from web.store.tables.markers import MarkerReport

    old = _marker_report(world, (200, 0, 0), resolved=LATER - timedelta(days=91))
    recent = _marker_report(world, (0, 200, 0), resolved=LATER - timedelta(days=10))
    open_ = _marker_report(world, (0, 0, 200), resolved=None)
    files = _report_files(world)
    assert any(old in name for name in files)
    long_ago = time.time() - 3600  # past the sweep's grace for uploads in flight
    for path in (world.settings.media_dir / "signalements").rglob("*"):
        os.utime(path, (long_ago, long_ago))

    out = io.StringIO()
    assert run_purge(world.settings, now=LATER, out=out) == 0

    assert out.getvalue().endswith(" ; 1 signalement résolu supprimé\n")
    with db.reading(world.site.engine) as session:
        left = {r.photo_sha256 for r in session.exec(select(MarkerReport))}
    assert left == {recent, open_}
    remaining = _report_files(world)
    assert not any(old in name for name in remaining)
    assert any(recent in name for name in remaining) and any(open_ in name for name in remaining)
