"""What starting a worker (the app's lifespan, run by uvicorn) does beyond building the site."""

from __future__ import annotations

import gc

import pytest

from tests.web.conftest import World


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_starting_puts_what_start_up_built_out_of_the_collectors_way(world: World) -> None:
    """Full collections scanned the ~120,000 objects of a started site, a 60-70 ms
    pause of the worker (the load test's p99); frozen, they are skipped."""
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        with world.client() as client:
            assert gc.get_freeze_count() > 50_000
            assert client.get("/c/ou-sommes-nous/tour").status_code == 200
    finally:
        gc.unfreeze()
