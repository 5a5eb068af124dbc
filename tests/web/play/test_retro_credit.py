"""When the CM adds an accepted answer, earlier answers that now match are credited."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from campaigns.matching import normalise
from tests.web.balade import Walker, write_balade
from tests.web.conftest import World
from web.play import retrocredit
from web.staff import figures
from web.store import db
from web.store.tables.play import Attempt, Solve

WIDER = '["Tour Saint-Aubin", "Vieux clocher"]'


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return write_balade(tmp_path / "balade")


def _solves(world: World) -> list[tuple[str, str, int]]:
    with db.reading(world.site.engine) as session:
        rows = session.exec(select(Solve).where(Solve.campaign == "balade"))
        return sorted((s.player_id, s.step, s.hints_used) for s in rows)


def _tour_figures(world: World) -> dict[str, Any]:
    with db.reading(world.site.engine) as session:
        numbers: dict[str, Any] = figures.compute(session, world.campaign("balade")).as_json()
    return next(s for s in numbers["steps"] if s["step"] == "tour")


def test_an_answer_added_to_the_yaml_credits_earlier_attempts(
    make_world: Callable[..., World], path: Path
) -> None:
    world = make_world(campaigns_path=path)
    hinted, plain, right = Walker(world), Walker(world), Walker(world)
    hinted.hint("balade", "tour")
    hinted.answer("balade", "tour", "vieux  Clocher !")
    hinted.answer("balade", "tour", "Le vieux clocher")
    plain.answer("balade", "tour", "Vieux clocher")
    plain.answer("balade", "tour", "Tour Wilson")
    right.answer("balade", "tour", "Tour Saint-Aubin")
    page = html.unescape(hinted.get("/c/balade/tour").text)
    assert "Bravo" not in page
    assert _tour_figures(world)["wrong"] == 4

    write_balade(path.parent, tour_answers=WIDER)
    world.site.registry.refresh(force=True)

    assert _solves(world) == sorted(
        [(hinted.player_id, "tour", 1), (plain.player_id, "tour", 0), (right.player_id, "tour", 0)]
    )
    assert "2 étapes faites sur 3" not in html.unescape(hinted.get("/moi").text)
    assert "1 étape faite sur 3" in html.unescape(hinted.get("/moi").text)
    plain.get("/c/balade/tour")  # reads the flash of the last (wrong) answer
    step = html.unescape(plain.get("/c/balade/tour").text)
    assert "Pas tout à fait" not in step
    assert "Trouvé sans indice" in step
    tour = _tour_figures(world)
    assert tour["done"] == 3
    assert tour["wrong_answers"] == [{"answer": "tour wilson", "count": 1}]
    # Posting again on the credited step: already found, no second solve.
    again = plain.answer("balade", "tour", "Vieux clocher")
    assert again.headers["location"].startswith("/c/balade/tour")
    assert "Déjà trouvé" in html.unescape(plain.get("/c/balade/tour").text)
    assert len(_solves(world)) == 3


def test_every_worker_reloads_and_each_player_is_credited_once(
    make_world: Callable[..., World], path: Path
) -> None:
    first = make_world(campaigns_path=path)
    walker = Walker(first)
    walker.answer("balade", "tour", "Vieux clocher")
    write_balade(path.parent, tour_answers=WIDER)
    second = make_world(campaigns_path=path)  # a second worker starting on the edited file
    first.site.registry.refresh(force=True)
    second.site.registry.refresh(force=True)
    assert _solves(first) == [(walker.player_id, "tour", 0)]
    with db.reading(first.site.engine) as session:
        attempts = list(session.exec(select(Attempt)))
    assert [a.correct for a in attempts] == [True]


def test_a_broken_edit_credits_nothing(make_world: Callable[..., World], path: Path) -> None:
    world = make_world(campaigns_path=path)
    walker = Walker(world)
    walker.answer("balade", "tour", "Vieux clocher")
    path.write_text(path.read_text(encoding="utf-8") + "\n  - oops: [", encoding="utf-8")
    world.site.registry.refresh(force=True)
    assert _solves(world) == []


def test_a_player_who_already_solved_the_step_is_not_counted_as_credited(
    make_world: Callable[..., World], path: Path
) -> None:
    world = make_world(campaigns_path=path)
    solved, waiting = Walker(world), Walker(world)
    solved.answer("balade", "tour", "Vieux clocher")
    solved.answer("balade", "tour", "Tour Saint-Aubin")
    waiting.answer("balade", "tour", "vieux clocher")
    tour = world.campaign("balade").step("tour")
    assert tour is not None

    created = retrocredit.credit_step(
        world.site.engine, "balade", tour, [normalise("Vieux clocher")]
    )

    assert created == 1  # on PostgreSQL too: the solve that already existed is not counted
    assert _solves(world) == sorted([(solved.player_id, "tour", 0), (waiting.player_id, "tour", 0)])
