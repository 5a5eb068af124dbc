"""Two staff members deciding the same thing at the same instant: the first wins, whole.

Against a real two-worker server on SQLite and on PostgreSQL, each pair of decisions is released
at once (`barrier.posts_at_once`). Exactly one of the two is done; the other is sent back (303)
with `?deja=<id>`, whose page says who decided what, and the row holds the winner's decision
only: never both told "fait", never a row mixing the two, never a 500.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import httpx
import pytest
from sqlmodel import select

from tests.concurrency.barrier import Post, posts_at_once
from tests.concurrency.conftest import QUARTIER, Town
from web.store import db
from web.store.tables.ledger import Thanks
from web.store.tables.markers import MarkerReport
from web.store.tables.participation import Identification, Proposal, Submission
from web.store.tables.staff import StaffUser

SHORT, LONG = 4, 10  # pairs of decisions: in CI, and under `-m slow`


def _ids(town: Town) -> dict[str, int]:
    with db.reading(town.engine) as session:
        return {u.name: u.id for u in session.exec(select(StaffUser)) if u.id is not None}


def _pending(town: Town, count: int, tag: str) -> list[int]:
    with db.writing(town.engine) as session:
        rows = [
            Submission(campaign=QUARTIER, step="souvenirs", text=f"{tag} souvenir {i}")
            for i in range(count)
        ]
        session.add_all(rows)
        session.flush()
        return [row.id for row in rows if row.id is not None]


def _told(town: Town, cookies: httpx.Cookies, response: httpx.Response) -> str:
    assert response.status_code == 303, response.text[:500]
    page = town.get(cookies, response.headers["location"])
    assert page.status_code == 200
    return page.text


def _moderation(town: Town, pairs: int) -> None:
    camille, yann = town.staff("camille"), town.staff("yann")
    tokens = [town.token(c, "/staff/moderation") for c in (camille, yann)]
    ids = _ids(town)
    won = {"camille": 0, "yann": 0}
    for item in _pending(town, pairs, "moderation"):
        path = f"/staff/moderation/{item}"
        accept = {"csrf": tokens[0], "decision": "accept", "state": "pending"}
        reject = {"csrf": tokens[1], "decision": "reject", "state": "pending", "message": "Doublon"}
        responses = posts_at_once(town.url, [Post(camille, path, accept), Post(yann, path, reject)])
        locations = [r.headers.get("location") for r in responses]
        assert [r.status_code for r in responses] == [303, 303], locations
        with db.reading(town.engine) as session:
            row = session.get(Submission, item)
            assert row is not None
            final = (row.status, row.message, row.moderated_by)
        if final == ("accepted", "", ids["camille"]):
            won["camille"] += 1
            assert locations == ["/staff/moderation?fait=accept", f"/staff/moderation?deja={item}"]
            told = _told(town, yann, responses[1])
            assert "Déjà décidé par camille : contribution publiée dans la galerie." in told
        else:
            assert final == ("rejected", "Doublon", ids["yann"])
            won["yann"] += 1
            assert locations == [f"/staff/moderation?deja={item}", "/staff/moderation?fait=reject"]
            told = _told(town, camille, responses[0])
            expected = "Déjà décidé par yann : contribution refusée, avec ce message : « Doublon »."
            assert expected in told
    assert sum(won.values()) == pairs


def _identifications(town: Town, pairs: int) -> None:
    lea, marc = town.staff("lea", "staff"), town.staff("marc", "staff")
    tokens = [town.token(c, "/staff/identifications") for c in (lea, marc)]
    ids = _ids(town)
    keys = [f"gare {datetime.now(UTC).timestamp()} {i}" for i in range(pairs)]
    with db.writing(town.engine) as session:
        session.add_all(
            Proposal(campaign=QUARTIER, step="mystere", text=key.title(), key=key) for key in keys
        )
    for key in keys:
        fields = {"campaign": QUARTIER, "step": "mystere", "key": key, "state": "pending"}
        accept = {"csrf": tokens[0], "decision": "accept", **fields}
        decline = {"csrf": tokens[1], "decision": "decline", **fields}
        path = "/staff/identifications"
        responses = posts_at_once(town.url, [Post(lea, path, accept), Post(marc, path, decline)])
        assert [r.status_code for r in responses] == [303, 303], [r.text[:300] for r in responses]
        with db.reading(town.engine) as session:
            [row] = session.exec(select(Identification).where(Identification.key == key)).all()
        locations = [r.headers["location"] for r in responses]
        if (row.status, row.decided_by) == ("accepted", ids["lea"]):
            assert locations == ["/staff/identifications?fait=1", f"{path}?deja={row.id}"]
            told = _told(town, marc, responses[1])
            assert f"Déjà décidé par lea : « {key.title()} » retenue." in told
        else:
            assert (row.status, row.decided_by) == ("declined", ids["marc"])
            assert locations == [f"{path}?deja={row.id}", "/staff/identifications?fait=1"]
            told = _told(town, lea, responses[0])
            assert f"Déjà décidé par marc : « {key.title()} » écartée." in told


def _ledger(town: Town, pairs: int) -> None:
    camille = town.staff("camille")
    token = town.token(camille, "/staff/merci")
    for i in range(pairs):
        what = f"Tirage d'archive n° {i} ({datetime.now(UTC).timestamp()})"
        form = {
            "csrf": token,
            "recipient": f"c:{QUARTIER}:archives",
            "what": what,
            "given_on": "2026-10-02",
        }
        double_tap = [Post(camille, "/staff/merci", form)] * 2
        responses = posts_at_once(town.url, double_tap)
        with db.reading(town.engine) as session:
            rows = session.exec(select(Thanks).where(Thanks.what == what)).all()
        assert len(rows) == 1
        assert (rows[0].recipient, rows[0].given_on) == ("Archives municipales", date(2026, 10, 2))
        locations = sorted(r.headers["location"] for r in responses)
        assert locations == [f"/staff/merci?deja={rows[0].id}", "/staff/merci?enregistre=1"]
        second = next(r for r in responses if "deja" in r.headers["location"])
        told = _told(town, camille, second)
        expected = (
            f"Déjà décidé par camille : remerciement « {what} » à Archives municipales, "
            "le 2026-10-02."
        )
        assert expected.replace("'", "&#39;") in told


def _reports(town: Town, pairs: int) -> None:
    camille, yann = town.staff("camille"), town.staff("yann")
    tokens = [town.token(c, "/staff/signalements") for c in (camille, yann)]
    ids = _ids(town)
    with db.writing(town.engine) as session:
        rows = [MarkerReport(campaign="voie-verte", step="borne-1") for _ in range(pairs)]
        session.add_all(rows)
        session.flush()
        reports = [row.id for row in rows]
    for report in reports:
        path = f"/staff/signalements/{report}/resolu"
        responses = posts_at_once(
            town.url,
            [Post(camille, path, {"csrf": tokens[0]}), Post(yann, path, {"csrf": tokens[1]})],
        )
        with db.reading(town.engine) as session:
            row = session.get(MarkerReport, report)
            assert row is not None and row.resolved_at is not None
            winner = "camille" if row.resolved_by == ids["camille"] else "yann"
            assert row.resolved_by == ids[winner]
        locations = [r.headers["location"] for r in responses]
        already = f"/staff/signalements?deja={report}"
        loser = 1 if winner == "camille" else 0
        expected = ["/staff/signalements?resolu=1"] * 2
        expected[loser] = already
        assert locations == expected
        told = _told(town, (camille, yann)[loser], responses[loser])
        assert f"Déjà décidé par {winner} : signalement marqué comme résolu le " in told


DECISIONS = [_moderation, _identifications, _ledger, _reports]


@pytest.mark.parametrize("decide", DECISIONS, ids=lambda f: f.__name__.strip("_"))
def test_two_staff_deciding_at_once_one_wins_whole(town: Town, decide: object) -> None:
    decide(town, SHORT)  # type: ignore[operator]


@pytest.mark.slow
@pytest.mark.parametrize("decide", DECISIONS, ids=lambda f: f.__name__.strip("_"))
def test_two_staff_deciding_at_once_one_wins_whole_long(town: Town, decide: object) -> None:
    decide(town, LONG)  # type: ignore[operator]
