"""Fixtures of the player-site tests: an app on a copy of campaigns.example.yaml, on SQLite and
on PostgreSQL (each test in its own schema), with a clock the test can move."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from starlette.testclient import TestClient

from balises.settings import Settings, load_settings
from campaigns.model import Campaign
from tests.databases import postgres_schema
from web.app import create_app
from web.site import Site

ROOT = Path(__file__).resolve().parents[2]
PARIS = ZoneInfo("Europe/Paris")
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'balises.db'}"
        return
    with postgres_schema() as url:
        yield url


@pytest.fixture
def campaign_dir(tmp_path: Path) -> Path:
    """A copy of the example campaign and its photos, which a test may edit."""
    folder = tmp_path / "campaigns"
    folder.mkdir()
    shutil.copy(ROOT / "campaigns.example.yaml", folder / "campaigns.yaml")
    shutil.copytree(ROOT / "photos", folder / "photos")
    return folder


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 10, 1, 12, 0, tzinfo=PARIS))


@dataclass
class World:
    settings: Settings
    app: object
    clock: Clock

    @property
    def site(self) -> Site:
        site = self.app.state.site  # type: ignore[attr-defined]
        assert isinstance(site, Site)
        return site

    def campaign(self, slug: str = "ou-sommes-nous") -> Campaign:
        campaign = self.site.registry.get(slug)
        assert campaign is not None
        return campaign

    def client(self, **kwargs: object) -> TestClient:
        return TestClient(self.app, follow_redirects=False, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def make_world(
    database_url: str, campaign_dir: Path, tmp_path: Path, clock: Clock
) -> Iterator[Callable[..., World]]:
    made: list[World] = []

    def make(**overrides: object) -> World:
        environ = {
            "BALISES_ENV": "test",
            "BALISES_VAR_DIR": str(tmp_path / "var"),
            "BALISES_SECRET_KEY": "s" * 48,
            "BALISES_DATABASE_URL": database_url,
        }
        values: dict[str, object] = {"campaigns_path": campaign_dir / "campaigns.yaml"}
        values.update(overrides)
        settings = load_settings(environ, **values)
        app = create_app(settings, clock=clock)
        # The test client runs no lifespan: the start's housekeeping is done here, as a
        # served site does it right after it starts answering (tests/e2e/test_start.py).
        app.state.housekeeping.run()
        world = World(settings, app, clock)
        made.append(world)
        return world

    yield make
    for world in made:
        world.site.engine.dispose()


@pytest.fixture
def world(make_world: Callable[..., World]) -> World:
    return make_world()


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)
