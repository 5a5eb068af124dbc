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
