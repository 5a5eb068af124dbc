"""What the figures' tally triggers (migration 0011) cost a wrong answer's write, on the same code.

Two databases migrated to head, one of them with the tallies' triggers on `attempt` dropped; the
same wrong answers (a known player, a guess from a vocabulary that grows the wrong-answer
tally) are written to each in turn, as the answer POST writes them on SQLite (`BEGIN IMMEDIATE`,
the INSERT, `COMMIT` with `synchronous=FULL`) or on PostgreSQL (the INSERT alone in
autocommit). Rounds alternate between the two so that a shared machine's drift falls on both;
each figure is the median over the rounds of the CPU this process spent per answer (SQLite runs
in it; for PostgreSQL the server's CPU is not seen, so its wall time is the figure) and of the
wall time per answer.

    python benchmarks/tally_triggers.py [--database sqlite|postgresql://…] [--answers 2000]
                                        [--rounds 5]

The answer POST measured whole, before 0011 and after, is `http_bench.py` run on each checkout.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine

from web.store import db

SQLITE_TRIGGERS = ("tally_attempt", "tally_attempt_judged")
POSTGRES_TRIGGERS = ("tally_attempt", "tally_judged")
PLAYER = "bench000000000001"


@contextmanager
def schema(url: str, name: str) -> Iterator[str]:
    """`url` with its search_path set to a fresh schema `name`, dropped afterwards."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        admin.execute(f'CREATE SCHEMA "{name}"')
        try:
            yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{name}"
        finally:
            admin.execute(f'DROP SCHEMA "{name}" CASCADE')


def prepared(url: str, var: Path, triggers: bool) -> Engine:
    engine = db.make_engine(url)
    db.migrate(engine, var)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM attempt"))
        connection.execute(text("DELETE FROM player"))
        connection.execute(
            text("INSERT INTO player (id, created_at, resume_code) VALUES (:id, :at, :code)"),
            {"id": PLAYER, "at": datetime.now(UTC), "code": "12345678"},
        )
        if not triggers:
            for name in SQLITE_TRIGGERS if db.is_sqlite(engine) else POSTGRES_TRIGGERS:
                on = "" if db.is_sqlite(engine) else " ON attempt"
                connection.execute(text(f"DROP TRIGGER IF EXISTS {name}{on}"))
    return engine


def answers(engine: Engine, count: int, rng: random.Random) -> tuple[float, float]:
    """CPU and wall seconds per wrong answer written."""
    raw: Any = engine.raw_connection()
    sqlite = db.is_sqlite(engine)
    mark = "?" if sqlite else "%s"
    insert = (
        "INSERT INTO attempt (player_id, campaign, step, guess, correct, at) "
        f"VALUES ({', '.join([mark] * 6)})"
    )
    if not sqlite:
        raw.driver_connection.autocommit = True
    cursor = raw.cursor()
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(count):
        row = (PLAYER, "ou-sommes-nous", rng.choice(("tour", "pont", "musique")),
               f"faux {rng.randrange(5000)}", False, datetime.now(UTC).isoformat(" "))  # fmt: skip
        if sqlite:
            cursor.execute("BEGIN IMMEDIATE")
            cursor.execute(insert, row)
            cursor.execute("COMMIT")
        else:
            cursor.execute(insert, row)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    cursor.close()
    raw.close()
    return cpu / count, wall / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="sqlite")
    parser.add_argument("--answers", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with ExitStack() as stack:
        var = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="balises-tally-")))
        engines = {}
        for triggers in (True, False):
            if args.database == "sqlite":
                url = f"sqlite:///{var / f'triggers-{triggers}.db'}"
            else:
                url = stack.enter_context(schema(args.database, f"tally_{triggers}".lower()))
            engines[triggers] = prepared(url, var, triggers)
        rng = random.Random(11)
        figures: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
        for _ in range(args.rounds):
            for triggers in (True, False):
                figures[triggers].append(answers(engines[triggers], args.answers, rng))
        for triggers, engine in engines.items():
            with engine.connect() as connection:
                tallied = connection.execute(text("SELECT COUNT(*) FROM wrongtally")).scalar()
            assert bool(tallied) == triggers, "the triggers were not what this run compares"
            engine.dispose()
    print(f"| {args.database.split(':')[0]}, {args.answers} wrong answers x {args.rounds} rounds "
          "| CPU µs/answer | wall µs/answer |\n|---|---:|---:|")  # fmt: skip
    for triggers, label in ((False, "without the tally triggers"), (True, "with them (0011)")):
        cpu = statistics.median(c for c, _ in figures[triggers]) * 1e6
        wall = statistics.median(w for _, w in figures[triggers]) * 1e6
        print(f"| {label} | {cpu:.0f} | {wall:.0f} |")


if __name__ == "__main__":
    main()
