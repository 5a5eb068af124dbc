"""A served start: the site answers first, then does the chores that grow with the data.

A real `balises serve` on a database that already holds a season: players of a campaign closed
long ago (past retention) and a player whose "forget me" is in the tombstone log but whom a
restored backup brought back. The site answers `/healthz` and residents' pages, and in the
background (`web.housekeeping`) the closed campaign's players are retired into anonymous rows
and the tombstoned player is forgotten again, on both databases.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import func
from sqlmodel import Session, select

from tests.concurrency.traces import rows_holding
from tests.faults.servers import Server
from web.privacy import tombstones
from web.store import db
from web.store.tables.ledger import RetiredJourney
from web.store.tables.play import Attempt, Player, Solve

CLOSED = "ou-sommes-nous"
OPEN = "voie-verte"
SEASON = 1_200  # players of the closed campaign: more than one purge batch (500)


def _close_long_ago(campaigns_file: Path) -> None:
    text = campaigns_file.read_text(encoding="utf-8")
    text = text.replace("opens: 2026-09-19T09:00", "opens: 2019-09-19T09:00", 1)
    text = text.replace("closes: 2027-12-31T19:00", "closes: 2020-01-01T19:00", 1)
    campaigns_file.write_text(text, encoding="utf-8")


def _seed(database_url: str, var_dir: Path) -> None:
    engine = db.make_engine(database_url)
    db.migrate(engine, var_dir)
    at, later = datetime(2019, 10, 1, tzinfo=UTC), timedelta(seconds=9)
    ids = [f"saison{n:05d}" for n in range(SEASON)]
    with Session(engine) as session:
        session.add_all(Player(id=pid, created_at=at, resume_code=pid[-7:]) for pid in ids)
        session.add(Player(id="revenant", created_at=at, resume_code="RVNT0001"))
        session.flush()
        for pid in ids:
            session.add(
                Attempt(
                    player_id=pid, campaign=CLOSED, step="tour", guess="x", correct=False, at=at
                )
            )
            session.add(Solve(player_id=pid, campaign=CLOSED, step="tour", at=at + later))
        session.add(Solve(player_id="revenant", campaign=OPEN, step="cyclo-club", at=at))
        session.commit()
    engine.dispose()
    tombstones.record(var_dir, "revenant")


def _counts(database_url: str) -> tuple[int, int, int]:
    """(live solves of the closed campaign, its retired players, rows of the revenant)."""
    engine = db.make_engine(database_url)
    try:
        with Session(engine) as session:
            live = session.exec(
                select(func.count()).select_from(Solve).where(Solve.campaign == CLOSED)
            ).one()
            retired = session.exec(
                select(func.count())
                .select_from(RetiredJourney)
                .where(RetiredJourney.campaign == CLOSED)
            ).one()
        return int(live), int(retired), sum(rows_holding(engine, "revenant").values())
    finally:
        engine.dispose()


def test_a_served_start_answers_and_then_purges_and_forgets_again(
    make_server: Callable[..., Server], database_url: str, campaigns_file: Path
) -> None:
    _close_long_ago(campaigns_file)
    server = make_server(database_url)
    _seed(database_url, server.var_dir)
    live, retired, revenant = _counts(database_url)
    assert (live, retired) == (SEASON, 0) and revenant > 0

    server.start()
    assert httpx.get(f"{server.url}/c/{OPEN}", timeout=5).status_code == 200
    deadline = time.monotonic() + 30
    while _counts(database_url) != (0, SEASON, 0) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _counts(database_url) == (0, SEASON, 0)
    assert httpx.get(f"{server.url}/healthz", timeout=5).status_code == 200
