"""Reading the small urlencoded forms of the site, with a cap on their size and their CSRF
token checked.

A 50 MB body aimed at the answer form is refused with 413 before it is kept in memory; the
answer itself has its own, smaller limit (`campaigns.matching.MAX_ANSWER_LENGTH`). A form
without its token is refused with 403 (`web.errors` shows residents "Action refusée" and staff
their own page), before anything reads the database.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request

from web import csrf
from web.site import site

MAX_BODY = 64 * 1024
MAX_FIELDS = 20


async def read_form(request: Request) -> FormData:
    """The POSTed fields; 413 when the body is too large, 400 when it is not a form."""
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > MAX_BODY:
        raise HTTPException(413)
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_BODY:
            raise HTTPException(413)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if body and kind not in ("application/x-www-form-urlencoded", ""):
        raise HTTPException(400)
    try:
        pairs = parse_qsl(
            body.decode("utf-8", errors="replace"),
            keep_blank_values=True,
            max_num_fields=MAX_FIELDS,
        )
    except ValueError as error:
        raise HTTPException(400) from error
    fields: list[tuple[str, str | UploadFile]] = list(pairs)
    return FormData(fields)


async def checked_form(request: Request) -> FormData:
    """`read_form`, then 403 unless the form carries this session's CSRF token."""
    form = await read_form(request)
    if not csrf.valid(request, form, site(request).settings):
        raise HTTPException(403)
    return form


def text_field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""
