""" "Forget me" pressed while the same phone's other requests are still in flight.

A resident with progress, hints, a contribution, a proposal, reports of gallery items and rate
counters presses "forget me" at the very instant 13 more of their requests arrive (answers,
hints, a contribution, a proposal, reports), on a real two-worker server, SQLite and
PostgreSQL. Afterwards no table holds the player's id (every table and column of the database's
catalog is scanned), the forget was answered 303 each time (a deadlock is retried, not shown),
and no request got a 500: the in-flight ones are answered as a new visitor's, or 503.
"""

from __future__ import annotations

import pytest

from tests.concurrency.barrier import Post, posts_at_once
from tests.concurrency.conftest import QUARTIER, Town
from tests.concurrency.phones import Phone
from tests.concurrency.traces import player_id_in, rows_holding, tables_scanned
from web.privacy import tombstones
from web.store import db
from web.store.tables.participation import Submission

SHORT, LONG = 3, 12  # forgets under load: in CI, and under `-m slow`
ACCEPTABLE = {200, 303, 403, 422, 429, 503}  # never 500


def _gallery_items(town: Town, count: int) -> list[int]:
    """Published contributions of nobody in particular, for the resident to report."""
    with db.writing(town.engine) as session:
        rows = [
            Submission(campaign=QUARTIER, step="souvenirs", text="Le marché", status="accepted")
            for _ in range(count)
        ]
        session.add_all(rows)
        session.flush()
        return [row.id for row in rows if row.id is not None]


def _play(phone: Phone, items: list[int]) -> None:
    """Leave a row in every table a resident can reach."""
    phone.get(f"/c/{QUARTIER}/halle")
    phone.post(f"/c/{QUARTIER}/halle", answer="Le lavoir")
    phone.post(f"/c/{QUARTIER}/halle/indice")
    phone.post(f"/c/{QUARTIER}/souvenirs", text="Mon grand-père", licence="cc-by-sa-4.0")
    phone.post(f"/c/{QUARTIER}/mystere", text="La rue de la gare")
    phone.get(f"/c/{QUARTIER}/galerie")
    phone.post(f"/c/{QUARTIER}/galerie/{items[0]}/signaler")
    phone.get("/c/ou-sommes-nous/tour")
    phone.post("/c/ou-sommes-nous/tour", answer="Le beffroi")


def _in_flight(phone: Phone, items: list[int]) -> list[Post]:
    """13 more requests of the same phone: answers, hints, sendings and reports."""
    q = f"/c/{QUARTIER}"
    return [
        phone.form(f"{q}/halle", htmx=True, answer="La gare"),
        phone.form(f"{q}/halle", answer="Le moulin"),
        phone.form(f"{q}/halle", htmx=True, answer="Halle aux grains"),
        phone.form("/c/ou-sommes-nous/tour", htmx=True, answer="Le phare"),
        phone.form("/c/ou-sommes-nous/tour", answer="Tour Saint-Aubin"),
        phone.form(f"{q}/halle/indice", htmx=True),
        phone.form(f"{q}/halle/indice"),
        phone.form(f"{q}/souvenirs", text="Le kiosque", licence="cc-by-sa-4.0"),
        phone.form(f"{q}/souvenirs", htmx=True, text="La crue", licence="cc-by-sa-4.0"),
        phone.form(f"{q}/mystere", text="Rue Nationale"),
        phone.form(f"{q}/mystere", htmx=True, text="Place du marché"),
        phone.form(f"{q}/galerie/{items[1]}/signaler"),
        phone.form(f"{q}/galerie/{items[2]}/signaler"),
    ]


def _forget_under_load(town: Town, trials: int) -> None:
    assert {"player", "attempt", "submissionreport", "ratecounter"} <= set(
        tables_scanned(town.engine)
    )
    statuses: list[int] = []
    for trial in range(trials):
        phone = Phone(town, f"10.17.{trial}.{town.server.port % 250}")
        items = _gallery_items(town, 3)
        _play(phone, items)
        pid = player_id_in(phone.client.cookies)
        before = rows_holding(town.engine, pid)
        assert {"player.id", "submissionreport.reporter", "ratecounter.key"} <= set(before)
        phone.get("/moi")
        forget = phone.form("/moi/oubli", confirm="oui")
        responses = posts_at_once(town.url, [forget, *_in_flight(phone, items)])
        assert responses[0].status_code == 303, responses[0].text[:500]
        assert responses[0].headers["location"] == "/moi?oubli=fait"
        statuses += [r.status_code for r in responses[1:]]
        assert rows_holding(town.engine, pid) == {}, f"trial {trial}"
        assert pid in tombstones.read(town.server.var_dir)
        phone.client.close()
    assert set(statuses) <= ACCEPTABLE, sorted(statuses)
    assert "Traceback" not in town.server.log()


def test_forget_while_the_same_phone_has_requests_in_flight(town: Town) -> None:
    _forget_under_load(town, SHORT)


@pytest.mark.slow
def test_forget_while_the_same_phone_has_requests_in_flight_long(town: Town) -> None:
    _forget_under_load(town, LONG)
