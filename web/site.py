"""What every request handler needs: settings, database, campaigns, templates and the clock.

One `Site` is built by `create_app` and kept on `app.state`; handlers reach it through
`site(request)`, so tests can build an app with their own settings, clock and campaign folder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from jinja2 import Environment
from sqlalchemy.engine import Engine
from starlette.exceptions import HTTPException
from starlette.requests import Request

from balises.settings import Settings
from campaigns.model import Campaign, Step
from web.asyncreads import AsyncReads
from web.registry import Registry


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Site:
    settings: Settings
    engine: Engine
    registry: Registry
    templates: Environment
    clock: Callable[[], datetime] = field(default=utc_now)
    reads: AsyncReads | None = None  # the step page's read on PostgreSQL (issue 7)

    def now(self) -> datetime:
        return self.clock()

    def campaign_in(self, request: Request) -> Campaign:
        """The campaign the URL names (`{campaign}`); 404 when no loaded campaign has that slug."""
        campaign = self.registry.get(request.path_params["campaign"])
        if campaign is None:
            raise HTTPException(404)
        return campaign

    def step_in(self, request: Request) -> tuple[Campaign, Step]:
        """The campaign and the step the URL names (`{campaign}/{step}`); 404 when unknown."""
        campaign = self.campaign_in(request)
        step = campaign.step(request.path_params["step"])
        if step is None:
            raise HTTPException(404)
        return campaign, step


def site(request: Request) -> Site:
    value = request.app.state.site
    assert isinstance(value, Site)
    return value
