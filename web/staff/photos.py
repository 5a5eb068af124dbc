"""The staff pages of the photo library: list and search, upload, edit, delete, where used.

An upload streams to temp files (`web.uploads`), then each file goes through
`media.library.ingest` in a worker thread (decoding a 40 MP TIFF takes a second of CPU): a
refused file shows why (in the staff member's language, `web.staff.refusals`) and leaves
neither file nor row, an accepted one gets a row whose id CMs write as `media:<id>`. The same
photo sent twice is one file and one row: the second upload points to the first. A photo a
published campaign shows cannot be deleted; the page says which campaigns and steps use it.
Who may edit or delete which photo is `web.staff.ownership`'s rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from media import library
from web import csrf, offload
from web.forms import checked_form
from web.i18n import gettext as _
from web.images import served_variant
from web.library import catalogue
from web.site import Site, site
from web.staff import ownership, refusals
from web.staff.accounts import StaffIdentity
from web.staff.auth import forbidden, staff_language, staff_of, staff_page
from web.staff.ownership import Rights
from web.store import db
from web.store.tables.staff import MediaPhoto
from web.templating import render
from web.uploads import FORGED, ReceivedFile, read_upload


@dataclass(frozen=True)
class Outcome:
    """What became of one uploaded file."""

    name: str
    photo: MediaPhoto | None = None
    duplicate: bool = False
    error: str | None = None
    status: int = 400  # of a refusal: 503 when the media folder, not the file, is the cause


def _page(
    request: Request, name: str, context: Mapping[str, object], status: int = 200
) -> Response:
    current = site(request)
    values: dict[str, object] = {
        "staff": staff_of(request),
        "licences": catalogue.licence_labels(),
        "contributors": catalogue.contributor_choices(current.registry),
        "max_mb": max(1, current.settings.max_upload_bytes // (1024 * 1024)),
    }
    values.update(context)
    return render(request, name, values, lang=staff_language(request), status=status)


def _photo_or_404(current: Site, photo_id: str) -> MediaPhoto:
    if not catalogue.valid_photo_id(photo_id):
        raise HTTPException(404)
    with db.reading(current.engine) as session:
        photo = session.get(MediaPhoto, photo_id)
    if photo is None:
        raise HTTPException(404)
    return photo


def _owned_or_404(current: Site, photo_id: str, user: StaffIdentity) -> tuple[MediaPhoto, Rights]:
    """The photo and what `user` may do with it (`web.staff.ownership`)."""
    photo = _photo_or_404(current, photo_id)
    with db.reading(current.engine) as session:
        return photo, ownership.rights(session, user, photo)


def _search(current: Site, query: str) -> list[MediaPhoto]:
    with db.reading(current.engine) as session:
        return catalogue.search(session, query)


@staff_page()
async def photo_list(request: Request) -> Response:
    current = site(request)
    query = request.query_params.get("q", "")[:200]
    photos = await db.call(current.engine, _search, current, query)
    return _page(request, "staff/photos.html", {"photos": photos, "query": query})


@staff_page()
async def upload_form(request: Request) -> Response:
    return _page(request, "staff/upload.html", {"values": {}, "errors": {}})


async def _store(
    current: Site, received: ReceivedFile, values: dict[str, str], user: int
) -> Outcome:
    """Ingest one file in the site's process pool, then give it a row (or find the row of the
    same photo)."""
    try:
        media_dir = current.settings.media_dir
        stored = await offload.run(library.ingest, received.path, media_dir=media_dir)
    except library.UploadRejected as refused:
        error = refusals.translate(refused.message)
        return Outcome(received.name, error=error, status=refused.status)
    return await run_in_threadpool(_record, current, received, stored, values, user)


def _record(
    current: Site,
    received: ReceivedFile,
    stored: library.StoredPhoto,
    values: dict[str, str],
    user: int,
) -> Outcome:
    title = values["title"] or Path(received.name).stem[:200] or "Sans titre"
    for _attempt in range(2):
        with db.reading(current.engine) as session:
            same = session.exec(
                select(MediaPhoto).where(MediaPhoto.sha256 == stored.sha256)
            ).first()
        if same is not None:
            return Outcome(received.name, photo=same, duplicate=True)
        photo = MediaPhoto(
            id=catalogue.new_photo_id(),
            sha256=stored.sha256,
            width=stored.width,
            height=stored.height,
            original_name=received.name,
            uploaded_by=user,
            title=title,
        )
        catalogue.apply(photo, {k: v for k, v in values.items() if k != "title"})
        try:
            with db.writing(current.engine) as session:
                session.add(photo)
        except IntegrityError:
            continue  # the same photo was stored by a concurrent upload: point to its row
        return Outcome(received.name, photo=photo)
    return Outcome(received.name, error=_("enregistrement impossible, réessayez"))


@staff_page()
async def upload(request: Request) -> Response:
    current = site(request)
    settings = current.settings

    def token_ok(fields: dict[str, str]) -> bool:
        return csrf.valid(request, FormData(fields), settings)

    try:
        received = await read_upload(
            request,
            max_bytes=settings.max_upload_bytes,
            media_dir=settings.media_dir,
            media_root=settings.media_dir,
            check_csrf=token_ok,
        )
    except library.UploadRejected as refused:
        if refused.message == FORGED:
            return forbidden(request)
        shown = {"values": {}, "errors": {}, "refused": refusals.translate(refused.message)}
        return _page(request, "staff/upload.html", shown, status=refused.status)
    if not token_ok(received.fields):
        received.discard()
        return forbidden(request)
    description = catalogue.describe(received.fields, title_required=False)
    problem = None if received.files else _("Choisissez au moins une photo.")
    if not description.ok or problem:
        received.discard()
        context: dict[str, object] = {
            "values": description.values,
            "errors": description.errors,
            "refused": problem,
        }
        return _page(request, "staff/upload.html", context, status=400)
    user = staff_of(request).id
    outcomes = []
    for file in received.files:
        outcomes.append(await _store(current, file, description.values, user))
    # Nothing stored: the status of the gravest refusal (a full disk is 503, not the file's 400).
    status = 200 if any(o.photo for o in outcomes) else max(o.status for o in outcomes)
    return _page(request, "staff/uploaded.html", {"outcomes": outcomes}, status=status)


def _detail(
    request: Request, photo: MediaPhoto, rights: Rights, *, status: int = 200, **context: object
) -> Response:
    current = site(request)
    values: dict[str, object] = {
        "photo": photo,
        "rights": rights,
        "usages": catalogue.where_used(current.registry, photo.id),
        "values": {},
        "errors": {},
        "saved": request.query_params.get("enregistre") == "1",
    }
    values.update(context)
    return _page(request, "staff/photo.html", values, status=status)


async def _owned(request: Request) -> tuple[MediaPhoto, Rights]:
    current = site(request)
    photo_id = request.path_params["photo"]
    return await db.call(current.engine, _owned_or_404, current, photo_id, staff_of(request))


@staff_page()
async def photo_detail(request: Request) -> Response:
    photo, rights = await _owned(request)
    return _detail(request, photo, rights)


def _save(current: Site, photo_id: str, values: dict[str, str]) -> None:
    with db.writing(current.engine) as session:
        photo = session.get(MediaPhoto, photo_id)
        if photo is None:
            raise HTTPException(404)
        catalogue.apply(photo, values)
        session.add(photo)


@staff_page()
async def photo_edit(request: Request) -> Response:
    current = site(request)
    photo, rights = await _owned(request)
    form = await checked_form(request)
    if not rights.edit:
        return forbidden(request, rights.refusal(deleting=False))
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    description = catalogue.describe(fields, partial=True)
    if not description.ok:
        shown = {name: getattr(photo, name) for name in (*catalogue.LIMITS, "licence")}
        shown.update(description.values)
        return _detail(request, photo, rights, values=shown, errors=description.errors, status=400)
    await db.call(current.engine, _save, current, photo.id, description.values)
    return RedirectResponse(f"/staff/photos/{photo.id}?enregistre=1", 303)


def _delete(current: Site, photo_id: str) -> str | None:
    """Delete the row; the sha256 whose files may go now (None when the row was already gone)."""
    with db.writing(current.engine) as session:
        photo = session.get(MediaPhoto, photo_id)
        if photo is None:
            return None
        session.delete(photo)
        return photo.sha256


@staff_page()
async def photo_delete(request: Request) -> Response:
    current = site(request)
    photo, rights = await _owned(request)
    await checked_form(request)
    if not rights.delete:
        return forbidden(request, rights.refusal(deleting=True))
    usages = catalogue.where_used(current.registry, photo.id)
    if usages:
        return _detail(request, photo, rights, refused_delete=True, status=409)
    sha256 = await db.call(current.engine, _delete, current, photo.id)
    if sha256 is not None:  # the row is gone (committed): a crash now leaves a swept orphan
        await run_in_threadpool(library.remove, current.settings.media_dir, sha256)
    return RedirectResponse(f"/staff/photos?supprimee={photo.id}", 303)


@staff_page()
async def thumbnail(request: Request) -> Response:
    current = site(request)
    photo = await db.call(current.engine, _photo_or_404, current, request.path_params["photo"])
    return await served_variant(
        library.original_path(current.settings.media_dir, photo.sha256),
        box=None,
        width=480,
        fmt="webp",
        cache_dir=current.settings.media_dir / "cache",
        media_type="image/webp",
        cache="private, max-age=86400",
    )
