"""The cm's figures of a campaign: a scripted run of 50 players, and the same numbers
in the page, the CSV export and the JSON; staff accounts are refused."""

from __future__ import annotations

import csv
import html
import io
import json
import random
import re
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from campaigns.matching import normalise
from tests.web.balade import Walker, write_balade
from tests.web.conftest import Clock, World
from tests.web.staff.conftest import CM_PASSWORD, add_user, login
from web.play import answers
from web.store import progress

STEPS = ("tour", "pont", "quiz")
RIGHT = {"tour": ["Tour Saint-Aubin", "tour st aubin"], "pont": ["Pont des Sept-Arches"]}
WRONG = {
    "tour": ["Tour Wilson", "tour  wilson", "Clocher", "Église Saint-Martin"],
    "pont": ["Pont Neuf", "Pont", "Viaduc"],
    "quiz": ["1791"],
}
MAX_HINTS = {"tour": 2, "pont": 1, "quiz": 0}
CHANNELS = ["affiche", "facebook", "qr-mairie", None]


@dataclass
class Record:
    """What the script did: the expected figures are computed from it alone."""

    started: set[int] = field(default_factory=set)
    solved: dict[str, set[int]] = field(default_factory=lambda: {s: set() for s in STEPS})
    hints: dict[str, dict[int, int]] = field(default_factory=lambda: {s: {} for s in STEPS})
    first: dict[tuple[int, str], datetime] = field(default_factory=dict)
    seconds: dict[str, list[int]] = field(default_factory=lambda: {s: [] for s in STEPS})
    answers: Counter[str] = field(default_factory=Counter)
    wrong: dict[str, Counter[str]] = field(default_factory=lambda: {s: Counter() for s in STEPS})
    visits: Counter[str] = field(default_factory=Counter)


def _run(world: World, clock: Clock, seed: int = 6) -> Record:
    rng = random.Random(seed)
    record = Record()

    def tick() -> None:
        clock.now += timedelta(seconds=rng.randint(3, 150))

    for number in range(50):
        walker = Walker(world)
        via = rng.choice(CHANNELS)
        walker.visit("balade", via=via)
        if via:
            record.visits[via] += 1
        if rng.random() < 0.1:
            continue  # looked at the start page and left: not a player
        for step in rng.sample(STEPS, rng.choice([1, 2, 3, 3, 3])):
            field_name = "choice" if step == "quiz" else "answer"
            for _ in range(rng.randint(0, 2)):
                tick()
                guess = rng.choice(WRONG[step])
                walker.answer("balade", step, guess, field_name)
                record.started.add(number)
                record.first.setdefault((number, step), clock.now)
                record.answers[step] += 1
                record.wrong[step][normalise(guess)] += 1
            wanted = rng.randint(0, 3) if MAX_HINTS[step] else 0
            for _ in range(wanted):
                tick()
                walker.hint("balade", step)
                record.started.add(number)
                asked = record.hints[step].get(number, 0)
                record.hints[step][number] = min(asked + 1, MAX_HINTS[step])
            if rng.random() < 0.8:
                tick()
                right = "1912" if step == "quiz" else rng.choice(RIGHT[step])
                walker.answer("balade", step, right, field_name)
                record.started.add(number)
                record.first.setdefault((number, step), clock.now)
                record.answers[step] += 1
                record.solved[step].add(number)
                started = record.first[(number, step)]
                record.seconds[step].append(int((clock.now - started).total_seconds()))
    return record


def _expected(record: Record) -> dict[str, Any]:
    started = len(record.started)
    finished = len(set.intersection(*(record.solved[s] for s in STEPS)))
    visits = sum(record.visits.values())
    channels = sorted(record.visits.items(), key=lambda item: (-item[1], item[0]))
    expected_steps = []
    for step in STEPS:
        hints = record.hints[step]
        wrong = record.wrong[step]
        durations = record.seconds[step]
        expected_steps.append(
            {
                "step": step,
                "type": "question",
                "done": len(record.solved[step]),
                "hints": sum(hints.values()),
                "hinted_players": sum(1 for n in hints.values() if n > 0),
                "median_seconds": float(statistics.median(durations)) if durations else None,
                "answers": record.answers[step],
                "wrong": sum(wrong.values()),
                "wrong_answers": [
                    {"answer": answer, "count": count}
                    for answer, count in sorted(wrong.items(), key=lambda i: (-i[1], i[0]))
                ],
            }
        )
    return {
        "campaign": "balade",
        "started": started,
        "finished": finished,
        "completion_rate": round(finished / started, 4),
        "visits_via": visits,
        "arrival_rate": round(started / visits, 4),
        "channels": [{"channel": name, "visits": count} for name, count in channels],
        "steps": expected_steps,
    }


@pytest.fixture(
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], name="town"
)
def town_fixture(
    request: pytest.FixtureRequest,
    make_world: Callable[..., World],
    tmp_path: Path,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> World:
    # Answers and solves are stamped by the test's clock, so times to solve are known.
    monkeypatch.setattr(answers, "utcnow", lambda: clock.now)
    monkeypatch.setattr(progress, "utcnow", lambda: clock.now)
    world = make_world(campaigns_path=write_balade(tmp_path / "balade"), answers_per_minute=1000)
    add_user(world, "lea", "staff")
    add_user(world, "camille", "cm", CM_PASSWORD)
    return world


def _cm(world: World) -> TestClient:
    return login(world.client(), "camille", CM_PASSWORD)


def _csv(client: TestClient, table: str) -> list[dict[str, str]]:
    response = client.get(f"/staff/chiffres/balade?format=csv&table={table}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert f'filename="balade-{table}.csv"' in response.headers["content-disposition"]
    return list(csv.DictReader(io.StringIO(response.text.removeprefix("\ufeff"))))


def _cell(row: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}"[^>]*>([^<]*)<', row)
    assert match, name
    return match.group(1)


def test_the_figures_of_50_scripted_players_match_what_they_did(town: World, clock: Clock) -> None:
    record = _run(town, clock)
    expected = _expected(record)
    assert 30 < expected["started"] < 50 and expected["finished"] > 5  # the script is varied
    cm = _cm(town)

    # JSON, for the city's dashboards
    response = cm.get("/staff/chiffres/balade.json")
    assert response.status_code == 200
    assert json.loads(response.text) == expected

    # CSV, one file per table
    summary = _csv(cm, "summary")
    assert summary == [
        {
            "started": str(expected["started"]),
            "finished": str(expected["finished"]),
            "completion_rate": f"{expected['finished'] / expected['started']:.4f}",
            "visits_via": str(expected["visits_via"]),
            "arrival_rate": f"{expected['started'] / expected['visits_via']:.4f}",
        }
    ]
    by_step = {row["step"]: row for row in _csv(cm, "steps")}
    for step in expected["steps"]:
        row = by_step[step["step"]]
        for name in ("done", "hints", "hinted_players", "answers", "wrong"):
            assert int(row[name]) == step[name], (step["step"], name)
        assert float(row["median_seconds"]) == step["median_seconds"]
    wrong = [(r["step"], r["answer"], int(r["count"])) for r in _csv(cm, "wrong")]
    assert wrong == [
        (s["step"], w["answer"], w["count"]) for s in expected["steps"] for w in s["wrong_answers"]
    ]
    channels = [(r["channel"], int(r["visits"])) for r in _csv(cm, "channels")]
    assert channels == [(c["channel"], c["visits"]) for c in expected["channels"]]

    # The page
    page = cm.get("/staff/chiffres/balade")
    assert page.status_code == 200
    text = page.text
    assert _cell(text, "started") == str(expected["started"])
    assert _cell(text, "finished") == str(expected["finished"])
    rate = expected["finished"] / expected["started"] * 100
    assert (
        _cell(text, "completion_rate") == f"{rate:.1f}".replace(".", ",").removesuffix(",0") + " %"
    )
    for step in expected["steps"]:
        found = re.search(rf'<tr data-step="{step["step"]}">(.*?)</tr>', text, re.S)
        assert found
        for name in ("done", "hints", "hinted_players", "answers", "wrong"):
            assert _cell(found.group(1), name) == str(step[name]), (step["step"], name)
        seconds = re.search(r'data-seconds="([^"]*)"', found.group(1))
        assert seconds and float(seconds.group(1)) == step["median_seconds"]
        table = re.search(
            rf'<table class="figures" data-step="{step["step"]}">(.*?)</table>', text, re.S
        )
        assert table
        shown = re.findall(r"<tr><td>([^<]*)</td><td>(\d+)</td></tr>", table.group(1))
        assert [(html.unescape(a), int(c)) for a, c in shown] == [
            (w["answer"], w["count"]) for w in step["wrong_answers"]
        ]
    for channel in expected["channels"]:
        name, visits = channel["channel"], channel["visits"]
        assert f'<tr data-channel="{name}"><td>{name}</td><td>{visits}</td></tr>' in text


def test_the_charts_are_accessible_svg(town: World, clock: Clock) -> None:
    walker = Walker(town)
    walker.visit("balade", via="affiche")
    walker.answer("balade", "tour", "Tour Wilson")
    walker.answer("balade", "tour", "Tour Saint-Aubin")
    text = _cm(town).get("/staff/chiffres/balade").text
    charts = re.findall(r"<svg[^>]*>.*?</svg>", text, re.S)
    assert len(charts) == 4
    for chart in charts:
        assert 'role="img"' in chart and "aria-label=" in chart and "<title>" in chart
    assert 'aria-label="Joueurs ayant fait chaque étape. tour — Une tour : 1; ' in text
    assert "<script" not in "".join(charts)


def test_the_figures_survive_a_hostile_step_title(
    make_world: Callable[..., World], tmp_path: Path
) -> None:
    path = write_balade(tmp_path / "balade")
    text = path.read_text(encoding="utf-8").replace(
        '"Une tour"', '"=HYPERLINK(1) <script>x</script>"'
    )
    path.write_text(text, encoding="utf-8")
    world = make_world(campaigns_path=path)
    add_user(world, "camille", "cm", CM_PASSWORD)
    cm = _cm(world)
    page = cm.get("/staff/chiffres/balade").text
    assert "<script>x</script>" not in page
    rows = cm.get("/staff/chiffres/balade?format=csv&table=steps").text
    assert "'=HYPERLINK(1)" in rows


def test_staff_accounts_and_visitors_cannot_see_the_figures(town: World) -> None:
    staff = login(town.client(), "lea")
    for url in (
        "/staff/chiffres",
        "/staff/chiffres/balade",
        "/staff/chiffres/balade.json",
        "/staff/chiffres/balade?format=csv&table=steps",
    ):
        assert staff.get(url).status_code == 403, url
        assert town.client().get(url).status_code == 302, url
    nav = staff.get("/staff").text
    assert "/staff/chiffres" not in nav and "/staff/merci" not in nav
    cm = _cm(town)
    assert cm.get("/staff/chiffres/nulle-part").status_code == 404
    assert cm.get("/staff/chiffres/balade?format=csv&table=joueurs").status_code == 404
    assert "/staff/chiffres/balade" in cm.get("/staff/chiffres").text
