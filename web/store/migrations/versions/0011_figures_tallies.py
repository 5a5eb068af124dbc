"""the figures' running counts, kept by triggers as answers, hints, solves and scans are stored

The CM's figures read every player's rows into Python: 8 s at a million answers, on the worker
that serves residents. These tables hold the same counts, updated by triggers in the statement
that stores each row (so they are exact, on both databases, whatever code path writes it), and
filled here from the rows already stored, retired journeys included. What each count means is
in `web.staff.figures`; `web.store.tallies` reads them.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# Wrong answers tie in code-point order, as Python sorts them: PostgreSQL's "C" collation.
GUESS = sa.String(200).with_variant(sa.String(200, collation="C"), "postgresql")

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_PLAYER = "player.id"


def _seconds(dialect: str, end: str, start: str) -> str:
    """Whole seconds from `start` to `end`, never negative: Python's
    `max(0, int((end - start).total_seconds()))`, as each database writes it (SQLite stores
    `YYYY-MM-DD HH:MM:SS.ffffff`, the microseconds from the 21st character)."""
    if dialect == "postgresql":
        return f"GREATEST(0, FLOOR(EXTRACT(EPOCH FROM ({end} - {start}))))::integer"
    return (
        f"max(0, (CAST(strftime('%s', {end}) AS INTEGER)"
        f" - CAST(strftime('%s', {start}) AS INTEGER))"
        f" - (substr({end}, 21, 6) < substr({start}, 21, 6)))"
    )


def _tables() -> None:
    op.create_table(
        "journey",
        sa.Column("player_id", sa.String(32), sa.ForeignKey(_PLAYER), primary_key=True),
        sa.Column("campaign", sa.String(64), primary_key=True),
        sa.Column("done", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_index("ix_journey_campaign_done", "journey", ["campaign", "done"])
    op.create_table(
        "steptally",
        sa.Column("campaign", sa.String(64), primary_key=True),
        sa.Column("step", sa.String(64), primary_key=True),
        *(
            sa.Column(name, sa.Integer(), nullable=False, server_default="0")
            for name in ("answers", "wrong", "hints", "hinted", "done")
        ),
    )
    op.create_table(
        "wrongtally",
        sa.Column("campaign", sa.String(64), primary_key=True),
        sa.Column("step", sa.String(64), primary_key=True),
        sa.Column("guess", GUESS, primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_table(
        "solvetime",
        sa.Column("campaign", sa.String(64), primary_key=True),
        sa.Column("step", sa.String(64), primary_key=True),
        sa.Column("seconds", sa.Integer(), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False, server_default="0"),
    )


TOP_INDEX = "CREATE INDEX ix_wrongtally_top ON wrongtally (campaign, step, count DESC, guess)"


_SQLITE_DONE = """
CREATE TRIGGER tally_{table} AFTER INSERT ON {table} BEGIN
  INSERT OR IGNORE INTO journey (player_id, campaign, done)
    VALUES (NEW.player_id, NEW.campaign, 0);
  INSERT OR IGNORE INTO steptally (campaign, step, answers, wrong, hints, hinted, done)
    VALUES (NEW.campaign, NEW.step, 0, 0, 0, 0, 0);
  UPDATE journey SET done = done + 1
    WHERE player_id = NEW.player_id AND campaign = NEW.campaign AND NOT EXISTS (
      SELECT 1 FROM {other}
      WHERE player_id = NEW.player_id AND campaign = NEW.campaign AND step = NEW.step);
  UPDATE steptally SET done = done + 1
    WHERE campaign = NEW.campaign AND step = NEW.step AND NOT EXISTS (
      SELECT 1 FROM {other}
      WHERE player_id = NEW.player_id AND campaign = NEW.campaign AND step = NEW.step);{timing}
END;"""

# A solve also counts its time from the player's first answer to the step.
_SQLITE_TIMING = """
  INSERT INTO solvetime (campaign, step, seconds, count)
    SELECT NEW.campaign, NEW.step, {seconds}, 1
    FROM (SELECT min(at) AS began FROM attempt
          WHERE player_id = NEW.player_id AND campaign = NEW.campaign AND step = NEW.step)
    WHERE began IS NOT NULL
    ON CONFLICT (campaign, step, seconds) DO UPDATE SET count = count + 1;"""

_SQLITE_TRIGGERS = """
CREATE TRIGGER tally_attempt AFTER INSERT ON attempt BEGIN
  INSERT OR IGNORE INTO journey (player_id, campaign, done)
    SELECT NEW.player_id, NEW.campaign, 0 WHERE NEW.player_id IS NOT NULL;
  INSERT INTO steptally (campaign, step, answers, wrong, hints, hinted, done)
    VALUES (NEW.campaign, NEW.step, 1, CASE WHEN NEW.correct THEN 0 ELSE 1 END, 0, 0, 0)
    ON CONFLICT (campaign, step) DO UPDATE
    SET answers = answers + 1, wrong = wrong + excluded.wrong;
  INSERT INTO wrongtally (campaign, step, guess, count)
    SELECT NEW.campaign, NEW.step, NEW.guess, 1 WHERE NOT NEW.correct
    ON CONFLICT (campaign, step, guess) DO UPDATE SET count = count + 1;
END;
--
CREATE TRIGGER tally_attempt_judged AFTER UPDATE OF correct ON attempt
WHEN NEW.correct IS NOT OLD.correct BEGIN
  UPDATE steptally SET wrong = wrong + CASE WHEN NEW.correct THEN -1 ELSE 1 END
    WHERE campaign = NEW.campaign AND step = NEW.step;
  INSERT INTO wrongtally (campaign, step, guess, count)
    SELECT NEW.campaign, NEW.step, NEW.guess, CASE WHEN NEW.correct THEN -1 ELSE 1 END WHERE 1
    ON CONFLICT (campaign, step, guess) DO UPDATE SET count = count + excluded.count;
END;
--
{done_solve}
--
{done_checkin}
--
CREATE TRIGGER tally_progress AFTER INSERT ON stepprogress BEGIN
  INSERT OR IGNORE INTO journey (player_id, campaign, done)
    VALUES (NEW.player_id, NEW.campaign, 0);
  INSERT INTO steptally (campaign, step, answers, wrong, hints, hinted, done)
    VALUES (NEW.campaign, NEW.step, 0, 0, NEW.hints_shown, NEW.hints_shown > 0, 0)
    ON CONFLICT (campaign, step) DO UPDATE
    SET hints = hints + excluded.hints, hinted = hinted + excluded.hinted;
END;
--
CREATE TRIGGER tally_hints AFTER UPDATE OF hints_shown ON stepprogress
WHEN NEW.hints_shown <> OLD.hints_shown BEGIN
  UPDATE steptally SET hints = hints + NEW.hints_shown - OLD.hints_shown,
    hinted = hinted + (OLD.hints_shown = 0) - (NEW.hints_shown = 0)
    WHERE campaign = NEW.campaign AND step = NEW.step;
END;
"""

# One function per table; every trigger takes the player's journey row before the step's
# tally, so two transactions never wait for each other's rows in opposite orders.
_POSTGRES_TRIGGERS = """
CREATE FUNCTION tally_attempt() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.player_id IS NOT NULL THEN
      INSERT INTO journey (player_id, campaign, done) VALUES (NEW.player_id, NEW.campaign, 0)
        ON CONFLICT DO NOTHING;
    END IF;
    INSERT INTO steptally AS t (campaign, step, answers, wrong, hints, hinted, done)
      VALUES (NEW.campaign, NEW.step, 1, CASE WHEN NEW.correct THEN 0 ELSE 1 END, 0, 0, 0)
      ON CONFLICT (campaign, step) DO UPDATE
      SET answers = t.answers + 1, wrong = t.wrong + EXCLUDED.wrong;
    IF NOT NEW.correct THEN
      INSERT INTO wrongtally AS w (campaign, step, guess, count)
        VALUES (NEW.campaign, NEW.step, NEW.guess, 1)
        ON CONFLICT (campaign, step, guess) DO UPDATE SET count = w.count + 1;
    END IF;
  END IF;
  RETURN NULL;
END $$;
--
CREATE TRIGGER tally_attempt AFTER INSERT ON attempt
  FOR EACH ROW EXECUTE FUNCTION tally_attempt();
--
CREATE FUNCTION tally_judged() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Once per statement, from its transition tables: retro-credit turns thousands of attempts
  -- right in one UPDATE, and a row trigger would update the same tally row as many times in
  -- one transaction, whose row versions PostgreSQL keeps until it ends (8,000 attempts took
  -- 17.7 s that way, quadratic; here 0.2 s).
  WITH changed AS (
    SELECT n.campaign, n.step, CASE WHEN n.correct THEN -1 ELSE 1 END AS delta
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE n.correct IS DISTINCT FROM o.correct
  ), per_step AS (
    SELECT campaign, step, sum(delta) AS delta FROM changed GROUP BY campaign, step
  )
  UPDATE steptally t SET wrong = t.wrong + per_step.delta
    FROM per_step WHERE t.campaign = per_step.campaign AND t.step = per_step.step;
  INSERT INTO wrongtally AS w (campaign, step, guess, count)
    SELECT n.campaign, n.step, n.guess, sum(CASE WHEN n.correct THEN -1 ELSE 1 END)
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE n.correct IS DISTINCT FROM o.correct
    GROUP BY n.campaign, n.step, n.guess
    ON CONFLICT (campaign, step, guess) DO UPDATE SET count = w.count + EXCLUDED.count;
  RETURN NULL;
END $$;
--
CREATE TRIGGER tally_judged AFTER UPDATE ON attempt
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION tally_judged();
--
CREATE FUNCTION tally_done() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  began timestamptz;
  other boolean;
BEGIN
  -- The journey row locked first: a solve and a scan of the same step at once count once.
  INSERT INTO journey AS j (player_id, campaign, done) VALUES (NEW.player_id, NEW.campaign, 0)
    ON CONFLICT (player_id, campaign) DO UPDATE SET done = j.done;
  IF TG_TABLE_NAME = 'solve' THEN
    other := EXISTS (SELECT 1 FROM checkin
      WHERE player_id = NEW.player_id AND campaign = NEW.campaign AND step = NEW.step);
  ELSE
    other := EXISTS (SELECT 1 FROM solve
      WHERE player_id = NEW.player_id AND campaign = NEW.campaign AND step = NEW.step);
  END IF;
  IF NOT other THEN
    UPDATE journey SET done = done + 1
      WHERE player_id = NEW.player_id AND campaign = NEW.campaign;
    INSERT INTO steptally AS t (campaign, step, answers, wrong, hints, hinted, done)
      VALUES (NEW.campaign, NEW.step, 0, 0, 0, 0, 1)
      ON CONFLICT (campaign, step) DO UPDATE SET done = t.done + 1;
  END IF;
  IF TG_TABLE_NAME = 'solve' THEN
    SELECT min(at) INTO began FROM attempt
      WHERE player_id = NEW.player_id AND campaign = NEW.campaign AND step = NEW.step;
    IF began IS NOT NULL THEN
      INSERT INTO solvetime AS s (campaign, step, seconds, count)
        VALUES (NEW.campaign, NEW.step, {seconds}, 1)
        ON CONFLICT (campaign, step, seconds) DO UPDATE SET count = s.count + 1;
    END IF;
  END IF;
  RETURN NULL;
END $$;
--
CREATE TRIGGER tally_solve AFTER INSERT ON solve FOR EACH ROW EXECUTE FUNCTION tally_done();
--
CREATE TRIGGER tally_checkin AFTER INSERT ON checkin FOR EACH ROW EXECUTE FUNCTION tally_done();
--
CREATE FUNCTION tally_progress() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO journey (player_id, campaign, done) VALUES (NEW.player_id, NEW.campaign, 0)
      ON CONFLICT DO NOTHING;
    INSERT INTO steptally AS t (campaign, step, answers, wrong, hints, hinted, done)
      VALUES (NEW.campaign, NEW.step, 0, 0, NEW.hints_shown,
              CASE WHEN NEW.hints_shown > 0 THEN 1 ELSE 0 END, 0)
      ON CONFLICT (campaign, step) DO UPDATE
      SET hints = t.hints + EXCLUDED.hints, hinted = t.hinted + EXCLUDED.hinted;
  ELSIF NEW.hints_shown <> OLD.hints_shown THEN
    UPDATE steptally SET hints = hints + NEW.hints_shown - OLD.hints_shown,
      hinted = hinted + CASE WHEN OLD.hints_shown = 0 THEN 1 ELSE 0 END
                      - CASE WHEN NEW.hints_shown = 0 THEN 1 ELSE 0 END
      WHERE campaign = NEW.campaign AND step = NEW.step;
  END IF;
  RETURN NULL;
END $$;
--
CREATE TRIGGER tally_progress AFTER INSERT OR UPDATE OF hints_shown ON stepprogress
  FOR EACH ROW EXECUTE FUNCTION tally_progress();
"""


def _triggers(dialect: str) -> None:
    if dialect == "postgresql":
        script = _POSTGRES_TRIGGERS.replace("{seconds}", _seconds(dialect, "NEW.at", "began"))
    else:
        done_solve = _SQLITE_DONE.format(table="solve", other="checkin", timing=_SQLITE_TIMING)
        done_checkin = _SQLITE_DONE.format(table="checkin", other="solve", timing="")
        script = (
            _SQLITE_TRIGGERS.replace("{done_solve}", done_solve.strip())
            .replace("{done_checkin}", done_checkin.strip())
            .replace("{seconds}", _seconds(dialect, "NEW.at", "began"))
        )
    for statement in script.split("\n--\n"):
        op.execute(statement.strip())


def _same(table: str, alias: str) -> str:
    return f"{alias}.campaign = {table}.campaign AND {alias}.step = {table}.step"


def _backfill(dialect: str) -> None:
    """The counts of the rows already stored, live and retired, as the triggers would have
    kept them."""
    false = "false" if dialect == "postgresql" else "0"
    op.execute(
        "INSERT INTO journey (player_id, campaign, done) SELECT player_id, campaign, 0 FROM ("
        " SELECT player_id, campaign FROM attempt WHERE player_id IS NOT NULL"
        " UNION SELECT player_id, campaign FROM solve"
        " UNION SELECT player_id, campaign FROM checkin"
        " UNION SELECT player_id, campaign FROM stepprogress) AS j"
    )
    op.execute(
        "UPDATE journey SET done = (SELECT count(*) FROM ("
        " SELECT step FROM solve s WHERE s.player_id = journey.player_id"
        " AND s.campaign = journey.campaign"
        " UNION SELECT step FROM checkin c WHERE c.player_id = journey.player_id"
        " AND c.campaign = journey.campaign) AS d)"
    )
    op.execute(
        "INSERT INTO steptally (campaign, step, answers, wrong, hints, hinted, done)"
        " SELECT campaign, step, 0, 0, 0, 0, 0 FROM ("
        " SELECT campaign, step FROM attempt UNION SELECT campaign, step FROM solve"
        " UNION SELECT campaign, step FROM checkin UNION SELECT campaign, step FROM stepprogress"
        " UNION SELECT campaign, step FROM retiredstep) AS s"
    )
    table = "steptally"
    op.execute(
        f"UPDATE steptally SET"
        f" answers = (SELECT count(*) FROM attempt a WHERE {_same(table, 'a')}),"
        f" wrong = (SELECT count(*) FROM attempt a WHERE {_same(table, 'a')}"
        f" AND a.correct = {false}),"
        f" hints = (SELECT coalesce(sum(p.hints_shown), 0) FROM stepprogress p"
        f" WHERE {_same(table, 'p')})"
        f" + (SELECT coalesce(sum(r.hints), 0) FROM retiredstep r WHERE {_same(table, 'r')}),"
        f" hinted = (SELECT count(*) FROM stepprogress p WHERE {_same(table, 'p')}"
        f" AND p.hints_shown > 0)"
        f" + (SELECT count(*) FROM retiredstep r WHERE {_same(table, 'r')} AND r.hints > 0),"
        f" done = (SELECT count(*) FROM ("
        f" SELECT s.player_id FROM solve s WHERE {_same(table, 's')}"
        f" UNION SELECT c.player_id FROM checkin c WHERE {_same(table, 'c')}) AS d)"
        f" + (SELECT count(*) FROM retiredstep r WHERE {_same(table, 'r')}"
        f" AND r.solved <> {false})"
    )
    op.execute(
        "INSERT INTO wrongtally (campaign, step, guess, count)"
        f" SELECT campaign, step, guess, count(*) FROM attempt WHERE correct = {false}"
        " GROUP BY campaign, step, guess"
    )
    seconds = _seconds(dialect, "s.at", "f.began")
    op.execute(
        "INSERT INTO solvetime (campaign, step, seconds, count)"
        " SELECT campaign, step, seconds, count(*) FROM ("
        f" SELECT s.campaign, s.step, {seconds} AS seconds FROM solve s"
        " JOIN (SELECT player_id, campaign, step, min(at) AS began FROM attempt"
        " WHERE player_id IS NOT NULL GROUP BY player_id, campaign, step) f"
        " ON f.player_id = s.player_id AND f.campaign = s.campaign AND f.step = s.step"
        " UNION ALL SELECT campaign, step, seconds FROM retiredstep"
        f" WHERE solved <> {false} AND seconds IS NOT NULL) AS t"
        " GROUP BY campaign, step, seconds"
    )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    _tables()
    op.execute(TOP_INDEX)
    _backfill(dialect)
    _triggers(dialect)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for trigger, table in (
        ("tally_attempt", "attempt"),
        ("tally_attempt_judged", "attempt"),
        ("tally_judged", "attempt"),
        ("tally_solve", "solve"),
        ("tally_checkin", "checkin"),
        ("tally_progress", "stepprogress"),
        ("tally_hints", "stepprogress"),
    ):
        suffix = f" ON {table}" if dialect == "postgresql" else ""
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}{suffix}")
    if dialect == "postgresql":
        for function in ("tally_attempt", "tally_judged", "tally_done", "tally_progress"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    for name in ("solvetime", "wrongtally", "steptally", "journey"):
        op.drop_table(name)
