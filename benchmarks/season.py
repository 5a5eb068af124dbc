"""A season's rows, written through the app's own tables as the site writes them, for
`benchmarks/scale.py`: players, their answers (a few right, most wrong), hints and solves.

On the code under test its triggers keep the figures' tallies as the rows go in; another
checkout on PYTHONPATH gets the rows its own tables hold.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text
from sqlmodel import Session

from web.store import db
from web.store.tables.play import Attempt, Player, Solve, StepProgress

SLUG = "ou-sommes-nous"
RIDDLES = ["tour", "pont", "musique", "eglise", "halle", "moulin", "crue"]
START = datetime(2026, 9, 19, 9, tzinfo=UTC)


def seed(url: str, var: Path, players: int, attempts: int) -> float:
    """`players` players sharing `attempts` answers (a few right, most wrong, from a vocabulary
    of wrong guesses that grows with the data), hints and solves; seconds taken."""
    began = time.perf_counter()
    engine = db.make_engine(url)
    db.migrate(engine, var)
    rng = random.Random(7)
    per_player = attempts / players
    vocabulary = [f"faux {n}" for n in range(max(50, attempts // 200))]
    postgres = url.startswith("postgresql")
    chunk = 100 if postgres else 2000
    for first in range(0, players, chunk):
        rows: dict[Any, list[dict[str, Any]]] = {
            Player: [],
            Attempt: [],
            StepProgress: [],
            Solve: [],
        }
        for n in range(first, min(first + chunk, players)):
            pid = f"seed{n:010d}"
            at = START + timedelta(seconds=n * 5)
            rows[Player].append({"id": pid, "resume_code": f"{n:08d}", "created_at": at})
            budget = max(1, round(rng.expovariate(1 / per_player)))
            for number, step in enumerate(RIDDLES):
                last = number == len(RIDDLES) - 1
                wrong = budget - 1 if last else min(budget - 1, rng.randrange(5))
                solved = budget > wrong and rng.random() < 0.6
                for k in range(wrong if solved else wrong + 1):
                    guess = rng.choice(vocabulary)
                    tried = at + timedelta(seconds=k)
                    rows[Attempt].append(_attempt(pid, step, guess, False, tried))
                budget -= wrong + 1
                if rng.random() < 0.2:
                    rows[StepProgress].append(
                        {"player_id": pid, "campaign": SLUG, "step": step, "hints_shown": 1}
                    )
                if solved:
                    done = at + timedelta(seconds=wrong + rng.randrange(600))
                    rows[Attempt].append(_attempt(pid, step, step, True, done))
                    rows[Solve].append(
                        {"player_id": pid, "campaign": SLUG, "step": step, "hints_used": 0,
                         "at": done}
                    )  # fmt: skip
                at += timedelta(minutes=5)
                if budget <= 0:
                    break
        with Session(engine) as session:
            for table, values in rows.items():
                if values:
                    session.execute(insert(table), values)
            session.commit()
            if postgres and first % (chunk * 50) == 0:
                # What autovacuum does for a live site: without statistics the triggers' own
                # queries are planned for an empty table (a solve's first-answer lookup scanned
                # every answer's campaign index entry: 27 ms a solve at 100,000 players).
                session.execute(text("ANALYZE"))
                session.commit()
    engine.dispose()
    return time.perf_counter() - began


def measured(url: str) -> tuple[str, float | None]:
    """What the seeded database holds, for the table's heading (the database measured, not the
    flags given), and how long the campaign page's count of residents who played takes uncached
    (the median of five: it holds a resident's page once a minute); None on a checkout from
    before the campaign page counted them, which can still seed and serve."""
    try:
        from web.store import together
    except ImportError:
        together = None
    engine = db.make_engine(url)
    with Session(engine) as session:
        if url.startswith("postgresql"):
            session.execute(text("ANALYZE"))  # as autovacuum leaves a live database
            session.commit()
        players = session.execute(text("SELECT count(*) FROM player")).scalar_one()
        answers = session.execute(text("SELECT count(*) FROM attempt")).scalar_one()
        times = []
        for _ in range(5 if together is not None else 0):
            began = time.perf_counter()
            together.tally(session, SLUG, [], START)
            times.append(time.perf_counter() - began)
    engine.dispose()
    median = statistics.median(times) if times else None
    return f"{players:,} players, {answers:,} answers", median


def _attempt(pid: str, step: str, guess: str, correct: bool, at: datetime) -> dict[str, Any]:
    return {"player_id": pid, "campaign": SLUG, "step": step, "guess": guess,
            "correct": correct, "at": at}  # fmt: skip
