"""What htmx tells the server, and the header that keeps caches honest about it.

With htmx the answer and hint forms swap one fragment in place; without JavaScript the same
forms post a full page. A response that depends on `HX-Request` says so with `Vary`, so no cache
ever hands a fragment to a browser that asked for a page.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response


def is_htmx(request: Request) -> bool:
    """A request made by htmx (and not a history restore, which wants the full page)."""
    return (
        request.headers.get("hx-request") == "true"
        and request.headers.get("hx-history-restore-request") != "true"
    )


def target(request: Request) -> str | None:
    return request.headers.get("hx-target")


FEEDBACK = "#feedback"  # the message at the top of the play area (`_play.html`)


def swap_feedback(response: Response) -> Response:
    """Have htmx put `response` (a message) inside `#feedback` instead of the form's target, and
    bring the play area's top into view, where the no-JS page lands (`#play`): a player who had
    scrolled down to the answer box sees the message, and the field keeps what they typed."""
    response.headers["HX-Retarget"] = FEEDBACK
    response.headers["HX-Reswap"] = "innerHTML show:#play:top"
    return vary(response)


def vary(response: Response) -> Response:
    """Mark the response as depending on the HX-Request header."""
    response.headers["Vary"] = varied(response.headers.get("vary", ""), "HX-Request")
    return response


def varied(existing: str, name: str) -> str:
    """The Vary header `existing` with `name` added once: the site's responses vary on
    HX-Request here and on Accept-Encoding in `web.compression`, which sets it through this."""
    names = [v.strip() for v in existing.split(",") if v.strip()]
    if name.lower() not in {n.lower() for n in names}:
        names.append(name)
    return ", ".join(names)
