"""Reading what a resident's phone posts on `contribution` and `identify` steps.

A contribution may carry a photo, so its form is multipart and read as it streams
(`web.uploads.read_upload`, temp files on the media disk, the CSRF token checked before
the first file byte is written); a proposal's form is a plain one. Both carry the credit the
resident chose. A refused form is shown again with its values: the `FormState` travels to the
step page in the request scope (`form_state`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request

from media.library import UploadRejected, too_heavy
from web import csrf
from web.forms import read_form, text_field
from web.site import Site
from web.store.tables.participation import CREDIT_KINDS
from web.uploads import FORGED, read_upload

MAX_NAME = 80
FORM_STATE = "balises_participation_form"
PHOTOS = "contributions"  # folder under the media dir


def photo_dir(current: Site) -> Path:
    """Where contributors' photos live: apart from the staff library and its sweep."""
    return current.settings.media_dir / PHOTOS


FORM = ""  # the "field" of an error about the whole form (a quota), linked to no control


@dataclass
class FormState:
    """A refused form shown again: every error found at once, each a key the templates
    translate with the field it concerns (its control's id, `FORM` for the whole form), in the
    form's order; the values typed (so nothing is typed twice); the status of the page.

    The page then opens on a summary listing each error with a link to its field, and each
    field says its own error (`_form_errors.html`)."""

    errors: list[tuple[str, str]]
    detail: str = ""
    values: dict[str, str] = field(default_factory=dict)
    status: int = 422

    @classmethod
    def one(
        cls,
        name: str,
        key: str,
        *,
        detail: str = "",
        values: dict[str, str] | None = None,
        status: int = 422,
    ) -> FormState:
        """A form refused for one reason."""
        return cls([(name, key)], detail, dict(values or {}), status)

    @property
    def error(self) -> str:
        """The first error's key."""
        return self.errors[0][1]

    @property
    def summary(self) -> list[tuple[str, str]]:
        """The errors the summary lists: each key once, linked to its first field."""
        seen: set[str] = set()
        listed = []
        for name, key in self.errors:
            if key not in seen:
                seen.add(key)
                listed.append((name, key))
        return listed

    def on(self, name: str) -> list[str]:
        """The error keys of the field `name` ([] when it is fine)."""
        return [key for field_name, key in self.errors if field_name == name]


@dataclass
class Received:
    fields: dict[str, str]
    photo: Path | None = None
    refused: FormState | None = None  # the upload itself was refused: nothing was kept


def form_state(request: Request) -> FormState | None:
    """The refused form `web.participation.pages.page` is showing again, if any."""
    value = request.scope.get(FORM_STATE)
    return value if isinstance(value, FormState) else None


def clean(text: str, limit: int) -> str:
    """A one-line text as typed, without control characters; '' when over `limit`."""
    value = "".join(c for c in text if c.isprintable()).strip()
    return value if len(value) <= limit else ""


def read_credit(fields: dict[str, str]) -> tuple[str, str, str | None]:
    """(kind, name, error key) of the credit the resident chose; anonymous by default."""
    kind = fields.get("credit", "anonymous")
    if kind not in CREDIT_KINDS:
        kind = "anonymous"
    if kind == "anonymous":
        return kind, "", None
    raw = "".join(c for c in fields.get("credit_name", "") if c.isprintable()).strip()
    if not raw:
        return kind, "", "credit-name"
    if len(raw) > MAX_NAME:
        return kind, "", "credit-name-long"
    return kind, raw, None


async def receive(request: Request, current: Site, *, photos: bool) -> Received:
    """The POSTed fields (and the photo, when `photos`); 403 when the CSRF checks fail.

    An upload refused while it streams (too heavy: 413, before a byte is read when the body
    declares its size; a broken form: 400; the media folder full or unwritable: 503) comes
    back as `refused`, to show on the form with nothing kept (no temp file remains).
    """
    settings = current.settings
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "multipart/form-data":
        form = await read_form(request)
        if not csrf.valid(request, form, settings):
            raise HTTPException(403)
        return Received({key: text_field(form, key) for key in form})

    def check(fields: dict[str, str]) -> bool:
        return csrf.valid(request, FormData(list(fields.items())), settings)

    try:
        upload = await read_upload(
            request,
            max_bytes=settings.max_upload_bytes + 64 * 1024,
            media_dir=photo_dir(current),
            media_root=settings.media_dir,
            check_csrf=check,
        )
    except UploadRejected as rejected:
        if rejected.message == FORGED:
            raise HTTPException(403) from None
        # Too heavy: say the photo's limit, not the form's (which leaves room for the fields).
        reason = too_heavy(settings.max_upload_bytes) if rejected.status == 413 else None
        detail = reason or rejected.message
        refused = FormState.one("photo", "photo", detail=detail, status=rejected.status)
        return Received({}, refused=refused)
    if not check(upload.fields):
        upload.discard()
        raise HTTPException(403)
    files = upload.files if photos else []
    for extra in upload.files[1:] if photos else upload.files:
        extra.path.unlink(missing_ok=True)
    return Received(upload.fields, files[0].path if files else None)
