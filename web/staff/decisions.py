"""Staff decisions are first-wins, and whoever came second is told who decided what.

Two community managers work the same moderation queue, two archivists the same identification
groups, a cm double-taps "record": each decision is taken by ONE conditional statement, so it
wins whole or not at all, on both databases and across workers:

- moderation: `UPDATE submission … WHERE status = 'pending'` (or, for an item hidden by
  reports, `WHERE status = 'accepted' AND hidden`);
- identifications: `INSERT … ON CONFLICT DO NOTHING` for a group still pending (the unique
  constraint on campaign, step and key lets it happen once), `UPDATE … WHERE status = <the
  status the staff member saw>` to change a decision;
- thank-you ledger: a unique constraint on (recipient, gift, date) and `ON CONFLICT DO NOTHING`;
- marker reports: `UPDATE markerreport … WHERE resolved_at IS NULL`.

The loser's form is answered like the winner's (POST, 303, a message on the page it returns
to, no JavaScript needed), with `?deja=<id>` instead of the success flag: the page reads that
row and says "Déjà décidé par camille : …" with what was decided.
"""

from __future__ import annotations

from sqlmodel import Session
from starlette.requests import Request

from web.i18n import gettext as _
from web.routeids import parse_id
from web.store.tables.staff import StaffUser

ALREADY = "deja"  # the query parameter naming the row someone else decided first


def already_decided(request: Request) -> int | None:
    """The row id of `?deja=<id>`, when the page is shown after losing a decision."""
    return parse_id(request.query_params.get(ALREADY, ""))  # not "²", which int() refuses


def already_url(path: str, row_id: int | None) -> str:
    return f"{path}?{ALREADY}={row_id}"


def already(session: Session, user_id: int | None, what: str) -> str:
    """'Déjà décidé par <name> : <what>', in the staff member's language."""
    user = session.get(StaffUser, user_id) if user_id is not None else None
    name = user.name if user is not None else _("un autre compte")
    return _("Déjà décidé par %(name)s : %(what)s") % {"name": name, "what": what}
