"""A story heard or watched: what a page shows of a step's or the finale's recording and film,
and the route that serves their files.

`GET /m/{campaign}/{part}/{kind}.{ext}` serves the `audio`, `video` or `captions` file of a
step (`part` is its id) or of the finale (`part` is `merci`, a reserved step id). The story is
the reward, so its files are gated like its text: a step's only to a player whose page shows its
story (solved, or a story step open), the finale's only to one who finished; anyone else gets
the same 404 as for a file that does not exist, and the page gives no URL before then. A
preview plays by its session's progress (`web.play.preview`), as everywhere.

The file is sent as it is, with range requests (a phone's `<audio>` asks for `bytes=0-` and
seeks by ranges: 206), privately cached like the later crops of a photo: a year under the
URL's `?v=`, which changes with the file, a day without it. The service worker lets them
stream from the network (`static/sw.js`): "Emporter le parcours" keeps the transcript, which is
in the page, not tens of megabytes of sound.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from campaigns.model import Campaign, Finale, Step, Text
from campaigns.storymedia import KINDS, extension, is_remote, media_type
from campaigns.unlocks import is_finished, step_status
from web import players
from web.play import preview
from web.site import Site, site
from web.store import db, progress

FINALE = "merci"  # the finale's `part` in a media URL: no step may have this id


@dataclass(frozen=True)
class Recording:
    """What a template needs to draw a story's player, its captions, link and transcript."""

    audio: str | None  # URL
    video: str | None  # URL of a film served here
    captions: str | None  # URL of the film's WebVTT captions
    link: str | None  # a film kept on another site: a link only, never embedded
    transcript: Text | None
    srclang: str  # the captions' language: the campaign's first


def story_shown(step: Step, state: str) -> bool:
    """Whether a player in `state` sees the step's story (and so may fetch its files): once
    solved, or once its answer seen (`web.play.movingon`), and a story step while open."""
    return state in ("done", "seen") or (step.kind.read and state == "open")


def _owner(campaign: Campaign, part: str) -> Step | Finale | None:
    return campaign.finale if part == FINALE else campaign.step(part)


def source_path(current: Site, campaign: Campaign, name: str) -> Path | None:
    """A story's file beside its campaign's YAML file (checked when the campaign loaded)."""
    yaml_file = current.registry.source(campaign.slug)
    if yaml_file is None:
        return None
    base = yaml_file.resolve().parent
    path = (base / name).resolve()
    if not path.is_relative_to(base) or not path.is_file():
        return None
    return path


def _files(owner: Step | Finale) -> dict[str, str]:
    """The files a story serves, by kind (`audio`, `video`, `captions`)."""
    named = {"audio": owner.audio, "video": owner.video, "captions": owner.captions}
    if owner.video is not None and is_remote(owner.video):
        named.pop("video")
        named.pop("captions")
    return {kind: name for kind, name in named.items() if name is not None}


def version(path: Path) -> str:
    stat = path.stat()
    return hashlib.sha256(f"{path}:{stat.st_mtime_ns}:{stat.st_size}".encode()).hexdigest()[:10]


def _url(current: Site, campaign: Campaign, part: str, kind: str, name: str) -> str | None:
    path = source_path(current, campaign, name)
    if path is None:
        return None
    return f"/m/{campaign.slug}/{part}/{kind}{extension(name)}?v={version(path)}"


def recording(current: Site, campaign: Campaign, owner: Step | Finale) -> Recording | None:
    """The story's recording and film for a page that shows the story; None when it has none."""
    if owner.audio is None and owner.video is None:
        return None
    part = owner.id if isinstance(owner, Step) else FINALE
    urls = {kind: _url(current, campaign, part, kind, name) for kind, name in _files(owner).items()}
    link = owner.video if owner.video is not None and is_remote(owner.video) else None
    return Recording(
        audio=urls.get("audio"),
        video=urls.get("video"),
        captions=urls.get("captions"),
        link=link,
        transcript=owner.transcript,
        srclang=campaign.languages[0] if campaign.languages else "fr",
    )


def _may_fetch(current: Site, request: Request, campaign: Campaign, owner: Step | Finale) -> bool:
    mine = preview.mine(current, request, campaign)
    if mine is None:
        with db.reading(current.engine) as session:
            mine = progress.load(session, players.player_id(request), campaign.slug)
    if isinstance(owner, Finale):  # a step whose answer was seen leaves the finale open too
        return is_finished(campaign, mine.done, mine.seen)
    status = step_status(
        campaign,
        owner.id,
        done=mine.done,
        checked_in=mine.checked_in,
        now=current.now(),
        passed=mine.passed,
        seen=mine.seen,
    )
    return story_shown(owner, status.state)


async def media_file(request: Request) -> Response:
    """`GET /m/{campaign}/{part}/{kind}.{ext}`: a story's file, to a player who has its story."""
    current = site(request)
    campaign = current.campaign_in(request)
    owner = _owner(campaign, request.path_params["part"])
    kind, ext = request.path_params["kind"], "." + request.path_params["ext"]
    name = _files(owner).get(kind) if owner is not None else None
    if owner is None or name is None or extension(name) != ext:
        raise HTTPException(404)
    path = source_path(current, campaign, name)
    if path is None:
        raise HTTPException(404)
    if not await db.call(current.engine, _may_fetch, current, request, campaign, owner):
        raise HTTPException(404)
    current_url = request.query_params.get("v") == version(path)
    lifetime = "max-age=31536000, immutable" if current_url else "max-age=86400"
    headers = {"Cache-Control": f"private, {lifetime}"}
    return FileResponse(path, media_type=media_type(KINDS[kind], name), headers=headers)
