"""When a staff login ends, said on every staff page before it does.

A login lasts 12 hours (`accounts.SESSION_SECONDS`), and a form sent after it is refused (its
text then kept: `web.staff.drafts`). Every staff page says until when the session is open; in
its last `WARN_BEFORE` seconds the warning shows from the start, and static/balises.js shows it
on a page left open when that moment comes, and says it in the page's live region.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from starlette.requests import Request

from web.staff.accounts import StaffIdentity

SCOPE = "balises.staff_session"  # what `staff/_base.html` shows
WARN_BEFORE = 15 * 60


@dataclass(frozen=True)
class SessionEnd:
    at: datetime
    seconds_left: int

    @property
    def soon(self) -> bool:
        return self.seconds_left <= WARN_BEFORE

    @property
    def warn_in(self) -> int:
        """Seconds from now until the warning shows (0: it shows already)."""
        return max(0, self.seconds_left - WARN_BEFORE)


def note(request: Request, user: StaffIdentity, now: datetime) -> None:
    """Have this staff page say when its login ends."""
    if user.expires_at is not None:
        left = int((user.expires_at - now).total_seconds())
        request.scope[SCOPE] = SessionEnd(user.expires_at, max(0, left))
