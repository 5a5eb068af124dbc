"""The step page's read awaited on the event loop (PostgreSQL, `web.store.asyncreads`): it sees the
player's progress as the synchronous path does, and is only used where a lifespan opened its
pool (uvicorn always runs it; the outage test in tests/faults covers it under a real server)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from starlette.testclient import TestClient

from tests.web.conftest import World, csrf_of
from web.store.progress import _PROGRESS

TOUR, PONT = "/c/ou-sommes-nous/tour", "/c/ou-sommes-nous/pont"


def _play(client: TestClient) -> tuple[str, str]:
    """The next riddle's page before and after the first one is solved, for a player who has
    a row (a wrong answer first): both pages read their progress."""
    token = csrf_of(client.get(TOUR).text)
    assert client.post(TOUR, data={"csrf": token, "answer": "Zanzibar"}).status_code == 303
    before = client.get(PONT).text
    solved = client.post(TOUR, data={"csrf": token, "answer": "Tour Saint-Aubin"})
    assert solved.status_code == 303
    return before, client.get(PONT).text


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_with_a_lifespan_the_step_page_reads_progress_on_the_event_loop(world: World) -> None:
    reads = world.site.reads
    assert reads is not None
    with world.client() as client:  # runs the lifespan, which opens the pool
        before, after = _play(client)
        served = reads.stats().get("requests_num", 0)
    assert 'name="answer"' not in before  # the second riddle waits for the first
    assert 'name="answer"' in after
    assert served == 2  # the two pages of a known player, through the pool
    assert reads.stats() == {}  # closed with the lifespan


def test_without_a_pool_the_synchronous_read_serves_the_page(world: World) -> None:
    reads = world.site.reads
    assert reads is not None
    before, after = _play(world.client())  # no lifespan: no pool on the request's loop
    assert 'name="answer"' not in before
    assert 'name="answer"' in after
    # On a thread of its own: in the same pytest worker, the browser tests' Playwright keeps an
    # event loop running on this one, and asyncio.run refuses to start inside it.
    with ThreadPoolExecutor(1) as thread:
        read = thread.submit(asyncio.run, reads.read(_PROGRESS, {"p": "x", "c": "y"}))
        assert read.result() is None


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_sqlite_never_opens_a_pool(world: World) -> None:
    reads = world.site.reads
    assert reads is not None
    with world.client() as client:
        _play(client)
        assert reads.stats() == {}
