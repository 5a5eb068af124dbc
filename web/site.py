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
from starlette.requests import Request

from balises.settings import Settings
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


def site(request: Request) -> Site:
    value = request.app.state.site
    assert isinstance(value, Site)
    return value
