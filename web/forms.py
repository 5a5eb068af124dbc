"""Reading the small urlencoded forms of the player site, with a cap on their size.

A 50 MB body aimed at the answer form is refused with 413 before it is kept in memory; the
answer itself has its own, smaller limit (`campaigns.matching.MAX_ANSWER_LENGTH`).
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request

MAX_BODY = 64 * 1024
MAX_FIELDS = 20


async def read_form(request: Request) -> FormData:
    """The POSTed fields; 413 when the body is too large, 400 when it is not a form."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
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


def text_field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""
