"""Photos of the steps: which crop a player may see, its `<picture>` data, and the route.

`GET /p/{campaign}/{step}/{stage}-{width}.{fmt}` serves a derived image (`media.photos`):
`stage` is a reveal index or `full`. A crop is served only once the player has reached it, and
the full photo of a riddle only once solved (or its answer seen), or the image URL would give
the answer away. The first crop is the same for everyone and may be cached publicly; later ones
are private.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from campaigns.model import Campaign, CropBox, Step
from campaigns.unlocks import step_status
from media.photos import PhotoError, dimensions
from web import players
from web.images import served_variant
from web.library.catalogue import licence_labels
from web.library.resolver import media_description, media_id_of, media_source
from web.play import preview
from web.site import Site, site
from web.store import db, progress
from web.store.tables.staff import MediaPhoto

WIDTHS = (480, 960, 1600)
FORMATS = {"webp": ("webp", "image/webp"), "jpg": ("jpeg", "image/jpeg")}
OPEN_STATES = ("open", "done", "seen", "closed")


@dataclass(frozen=True)
class Picture:
    """What a template needs to draw a `<picture>`."""

    webp: str  # srcset
    jpeg: str  # srcset
    src: str
    width: int | None
    height: int | None
    alt: object  # Text
    # A staff upload's own description: its credit (a contributor id or free text), its licence,
    # and its archival reference once the whole photo is shown (a cote may name the place).
    upload_credit: str = ""
    licence: str = ""
    reference: str = ""


def source_path(current: Site, campaign: Campaign, step: Step) -> Path | None:
    """The photo file of a step: beside its YAML file, or a staff upload (`media:<id>`)."""
    if not step.photo:
        return None
    if step.photo.startswith("media:"):
        media_id = media_id_of(step.photo)
        return media_source(current.engine, current.settings, media_id) if media_id else None
    yaml_file = current.registry.source(campaign.slug)
    if yaml_file is None:
        return None
    base = yaml_file.resolve().parent
    path = (base / step.photo).resolve()
    if not path.is_relative_to(base) or not path.is_file():
        return None
    return path


def stages(step: Step) -> list[CropBox | None]:
    """The crops a player goes through (None is the whole photo)."""
    return [None if s.box == "full" else s.box for s in step.reveal]


def visible_stage(step: Step, asked: int, done: bool) -> str:
    """The stage a player sees now: the full photo once solved, else the crop reached."""
    answerable = step.answerable
    if done or not answerable or not step.reveal:
        return "full"
    return str(progress.reveal_index(step, asked))


def stage_index(step: Step, stage: str) -> int | None:
    """The reveal index a URL's `stage` names ("0", "1"…, as `visible_stage` writes them), or
    None: "²" or "01" pass `str.isdigit()` but name no stage."""
    names = [str(index) for index in range(len(step.reveal))]
    return names.index(stage) if stage in names else None


def before_scan(step: Step, state: str) -> bool:
    """A checkpoint not open yet: its photo (where the marker stands, how to find it) shows,
    as its text does; it gives nothing away."""
    return step.kind.scanned and state == "locked"


def allowed(step: Step, state: str, asked: int, stage: str) -> bool:
    """Whether a player in `state` who asked `asked` hints may fetch `stage`."""
    if before_scan(step, state):
        return stage == "full"
    if state not in OPEN_STATES:
        return False
    index = stage_index(step, stage)
    answerable = step.answerable
    if state in ("done", "seen") or not answerable:
        return stage == "full" or index is not None
    if not step.reveal:
        return stage == "full"
    return index is not None and index <= progress.reveal_index(step, asked)


def _box(step: Step, stage: str) -> CropBox | None:
    index = stage_index(step, stage)
    return None if index is None else stages(step)[index]


@lru_cache(maxsize=512)
def _dimensions(path: Path, mtime: int, box: CropBox | None) -> tuple[int, int] | None:

    try:
        return dimensions(path, box)
    except (PhotoError, OSError, ValueError):
        return None


def _upload(current: Site, photo: str) -> MediaPhoto | None:
    """The library row of a `media:<id>` photo (None for a file beside the YAML)."""

    media_id = media_id_of(photo)
    return media_description(current.engine, media_id) if media_id else None


def version(path: Path, box: CropBox | None) -> str:
    """What a variant's URL carries (`?v=`): it changes when the photo file or the crop does, so
    a browser may keep the image for a year under that URL."""
    stat = path.stat()
    return hashlib.sha256(f"{path}:{stat.st_mtime_ns}:{stat.st_size}:{box}".encode()).hexdigest()[
        :10
    ]


def picture(current: Site, campaign: Campaign, step: Step, stage: str) -> Picture | None:
    path = source_path(current, campaign, step)
    if path is None:
        return None
    base = f"/p/{campaign.slug}/{step.id}/{stage}"
    box = _box(step, stage)
    size = _dimensions(path, path.stat().st_mtime_ns, box)
    v = f"?v={version(path, box)}"
    upload = _upload(current, step.photo or "")
    return Picture(
        upload_credit=upload.credit if upload else "",
        licence=licence_labels().get(upload.licence, "") if upload else "",
        reference=(
            " ".join(part for part in (upload.fonds, upload.cote) if part)
            if upload and stage == "full"
            else ""
        ),
        webp=", ".join(f"{base}-{w}.webp{v} {w}w" for w in WIDTHS),
        jpeg=", ".join(f"{base}-{w}.jpg{v} {w}w" for w in WIDTHS),
        src=f"{base}-960.jpg{v}",
        width=size[0] if size else None,
        height=size[1] if size else None,
        # What a blind player hears is what this crop shows, as a sighted one sees it.
        alt=step.stage_alt(stage_index(step, stage)),
    )


def _reached(current: Site, request: Request, campaign: Campaign, step: Step) -> tuple[str, int]:
    mine = preview.mine(current, request, campaign)
    if mine is None:
        with db.reading(current.engine) as session:
            mine = progress.load(session, players.player_id(request), campaign.slug)
    status = step_status(
        campaign,
        step.id,
        done=mine.done,
        checked_in=mine.checked_in,
        now=current.now(),
        passed=mine.passed,
        seen=mine.seen,
    )
    return status.state, mine.asked(step.id)


async def photo(request: Request) -> Response:
    current = site(request)
    campaign, step = current.step_in(request)
    stage, width, ext = (
        request.path_params["stage"],
        request.path_params["width"],
        request.path_params["fmt"],
    )
    if width not in WIDTHS or ext not in FORMATS:
        raise HTTPException(404)
    if stage != "full" and stage_index(step, stage) is None:
        raise HTTPException(404)
    path = source_path(current, campaign, step)
    if path is None:
        raise HTTPException(404)
    state, asked = await db.call(current.engine, _reached, current, request, campaign, step)
    if not allowed(step, state, asked, stage):
        raise HTTPException(404)
    fmt, media_type = FORMATS[ext]
    public = stage == "0" or (stage == "full" and not step.answerable)
    box = _box(step, stage)
    current_url = request.query_params.get("v") == version(path, box)
    lifetime = "max-age=31536000, immutable" if current_url else "max-age=86400"
    return await served_variant(
        path,
        box=box,
        width=width,
        fmt=fmt,  # type: ignore[arg-type]
        cache_dir=current.settings.media_dir / "cache",
        media_type=media_type,
        cache=f"public, {lifetime}" if public else f"private, {lifetime}",
    )
