"""The map of a campaign: `GET /c/{campaign}/carte`, and the city's tile archives, `/tuiles/…`.

What a map shows is decided here, once, for every way it is drawn: the markers (checkpoints
with a `where`: they stand in the street for anyone to see) and the places of the steps this
player has done. The place of a riddle or a question not yet solved is never put in the view,
so no list, plan, data attribute or tile request can hold it (tests/web/test_leaks.py).

The page is a list first (each place in trail order, its distance from the one before, a
`geo:` link that opens the phone's map application, and its state), then a plan drawn as SVG
by the server: the places and the route between them, scaled to fit. With the city's tiles
(`web.maptiles`) and the self-hosted map library (`web.mapassets`), `map.js` draws a real map
from the same list.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import cos, radians

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from campaigns.model import Campaign, Step
from campaigns.places import distance_m
from campaigns.unlocks import StepStatus
from web import mapassets
from web.i18n import language
from web.maptiles import Archive, served
from web.play.arrivals import far_words
from web.play.views import CampaignView, campaign_view
from web.site import Site, site
from web.store import db
from web.templating import render

PLAN_WIDTH = 320.0
PLAN_MARGIN = 24.0


@dataclass(frozen=True)
class Spot:
    """One place on the map, numbered in trail order, with where it falls on the plan."""

    number: int
    status: StepStatus
    lat: float
    lon: float
    after: str | None  # how far from the previous place, as the page says it
    x: float = 0.0
    y: float = 0.0

    @property
    def step(self) -> Step:
        return self.status.step

    @property
    def marker(self) -> bool:
        return self.step.kind.scanned

    @property
    def geo(self) -> str:
        """RFC 5870: the phone opens its own map application there."""
        return f"geo:{self.lat:.5f},{self.lon:.5f}"


@dataclass(frozen=True)
class MapView:
    campaign: Campaign
    view: CampaignView
    spots: list[Spot]
    height: float
    route: str  # the plan's polyline, "x,y x,y …"
    archive: Archive | None  # the tiles the map is drawn on, when the city provides them

    @property
    def width(self) -> float:
        return PLAN_WIDTH

    @property
    def drawn(self) -> bool:
        """Whether `map.js` may draw a tiled map: tiles cover the places, the library is here."""
        return self.archive is not None and mapassets.installed()


def shown(status: StepStatus) -> bool:
    """A marker is always on the map; any other step's place only once the player did it."""
    step = status.step
    return step.where is not None and (step.kind.scanned or status.state == "done")


def spots_of(view: CampaignView, lang: str) -> list[Spot]:
    spots: list[Spot] = []
    for status in view.statuses:
        if not shown(status):
            continue
        where = status.step.where
        assert where is not None
        after = None
        if spots:
            previous = spots[-1]
            after = far_words(distance_m(previous.lat, previous.lon, where.lat, where.lon), lang)
        spots.append(Spot(len(spots) + 1, status, where.lat, where.lon, after))
    return spots


def plan(spots: list[Spot]) -> tuple[list[Spot], float]:
    """The spots placed on a plan `PLAN_WIDTH` wide (north up), and the plan's height.

    An equirectangular projection around the places' middle latitude: exact enough for a walk
    of a few kilometres, and it keeps the shape a resident recognises."""
    if not spots:
        return [], PLAN_WIDTH / 2
    middle = radians(sum(s.lat for s in spots) / len(spots))
    xs = [s.lon * cos(middle) for s in spots]
    ys = [-s.lat for s in spots]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    inner = PLAN_WIDTH - 2 * PLAN_MARGIN
    scale = inner / span
    height = min(max((max(ys) - min(ys)) * scale, inner / 2), inner * 1.5) + 2 * PLAN_MARGIN
    left = (PLAN_WIDTH - (max(xs) - min(xs)) * scale) / 2
    top = (height - (max(ys) - min(ys)) * scale) / 2
    placed = [
        Spot(
            s.number,
            s.status,
            s.lat,
            s.lon,
            s.after,
            round(left + (x - min(xs)) * scale, 1),
            round(top + (y - min(ys)) * scale, 1),
        )
        for s, x, y in zip(spots, xs, ys, strict=True)
    ]
    return placed, round(height, 1)


def map_view(current: Site, view: CampaignView) -> MapView:
    spots, height = plan(spots_of(view, view.lang))
    route = " ".join(f"{s.x},{s.y}" for s in spots)
    archive = current.tiles.archive_for([(s.lat, s.lon) for s in spots])
    return MapView(view.campaign, view, spots, height, route, archive)


def _map(current: Site, request: Request, campaign: Campaign) -> Response:
    lang = language(request, campaign)
    with db.reading(current.engine) as session:
        view = campaign_view(current, session, request, campaign, lang)
    shown_map = map_view(current, view)
    context = {"campaign": campaign, "view": view, "map": shown_map, "assets": mapassets}
    return render(request, "map.html", context, lang=lang)


async def map_page(request: Request) -> Response:
    current = site(request)
    campaign = current.campaign_in(request)
    return await db.call(current.engine, _map, current, request, campaign)


async def tile_archive(request: Request) -> Response:
    """`GET /tuiles/{archive}`: one of the city's archives, in the byte ranges asked for."""
    archive = site(request).tiles.named(request.path_params["archive"])
    if archive is None:
        raise HTTPException(404)
    return served(archive)
