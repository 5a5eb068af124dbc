"""What every request handler needs: settings, database, campaigns, templates and the clock.

One `Site` is built by `create_app` and kept on `app.state`; handlers reach it through
`site(request)`, so tests can build an app with their own settings, clock and campaign folder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from jinja2 import Environment
from sqlalchemy.engine import Engine
from starlette.exceptions import HTTPException
from starlette.requests import Request

from balises.settings import Settings
from campaigns.model import Campaign, Step
from campaigns.unlocks import campaign_phase
from web.assets import Assets
from web.identity import Brand
from web.maptiles import Tiles
from web.publication.registry import Registry
from web.sitewatch import SiteWatch
from web.store.asyncreads import AsyncReads

# Where a request keeps the slug it previews (`web.play.preview`), for the page's banner.
PREVIEW_SCOPE = "balises.preview"

StepExtra = Callable[[Request, Campaign, Step], dict[str, Any]]
CampaignExtra = Callable[[Request, Campaign], dict[str, Any]]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Site:
    settings: Settings
    engine: Engine
    registry: Registry
    templates: Environment
    assets: Assets  # the static files under fingerprinted URLs (`web.assets`)
    sitefile: SiteWatch  # the city's name, colour, logo, re-read on edits (`web.sitewatch`)
    clock: Callable[[], datetime] = field(default=utc_now)
    reads: AsyncReads | None = None  # the step page's read on PostgreSQL
    tiles: Tiles = field(default_factory=Tiles)  # the city's map archives (BALISES_MAP_TILES)
    htmx_src: str = ""  # where pages load htmx from (`web.assets.htmx_src`)
    # What the packages above `web.play` add to its pages, computed by the view before the page
    # renders (templates only display): a step's and a campaign's credits page's extra context.
    # `web.participation` registers its own when the app is built (what residents sent on a
    # step, the residents credited); `web.play` cannot import it.
    step_extras: list[StepExtra] = field(default_factory=list)
    finale_extras: list[CampaignExtra] = field(default_factory=list)
    # The collective figures of each campaign, with when they were counted (`web.play.together`
    # keeps them a minute: the campaign page is the busiest page).
    together: dict[str, tuple[datetime, Any]] = field(default_factory=dict)
    # The campaign a preview serves under a slug (`web.play.preview` installs it): played before
    # it opens, every step whatever its window, nothing counted.
    previewing: Callable[[Request, str], Campaign | None] = field(
        default=lambda _request, _slug: None
    )

    def now(self) -> datetime:
        return self.clock()

    @property
    def brand(self) -> Brand:
        """The city's identity as the pages show it now (`web.identity`)."""
        return self.sitefile.current()

    def visible(self, slug: str, request: Request | None = None) -> Campaign | None:
        """The campaign players may see under `slug`: None when there is none, and before it
        opens (a campaign is hidden before `opens`: its URLs are those of an unknown one),
        unless `request` previews it."""
        previewed = self.previewing(request, slug) if request is not None else None
        if previewed is not None:
            return previewed
        campaign = self.registry.get(slug)
        if campaign is None or campaign_phase(campaign, self.now()) == "upcoming":
            return None
        return campaign

    def campaign_in(self, request: Request, *, upcoming: bool = False) -> Campaign:
        """The campaign the URL names (`{campaign}`); 404 when no loaded campaign has that slug,
        or when it has not opened yet, unless `upcoming` (the staff prepare it before) or the
        request previews it (then without its opening times: `web.play.preview`)."""
        slug = request.path_params["campaign"]
        # The staff area asks for the campaign as it is (`upcoming`), never a preview's copy.
        campaign = self.registry.get(slug) if upcoming else self.visible(slug, request)
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
