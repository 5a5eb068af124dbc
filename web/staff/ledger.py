"""The community manager's thank-you ledger, `/staff/merci`.

The city thanks instead of rewarding: the cm records each gift (an archive print, an invitation
to the next workshop), when it was given and to whom, a contributor of the campaign's YAML or a
resident whose contribution or identification was accepted. The resident then sees it on their
own page. A thank-you has no field for speed or score, nor any standing, and nothing here
orders people: the ledger lists gifts by date.

The same gift to the same person on the same day is recorded once: a double tap or a second
cm is told it already is (`web.staff.decisions`).

The form never shows a player id: a resident is chosen through the contribution that earned
the thanks (`s:<submission id>` or `i:<proposal id>`), resolved to its author on the server.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from campaigns.model import Campaign, localise
from web.forms import checked_form, text_field
from web.i18n import gettext as _
from web.site import Site, site
from web.staff.auth import staff_language, staff_of, staff_page
from web.staff.decisions import already, already_decided, already_url
from web.store import db
from web.store.tables.ledger import Thanks
from web.store.tables.participation import Identification, Proposal, Submission, shown_credit
from web.store.tables.play import utcnow
from web.templating import render

SUGGESTIONS = (
    "Tirage d'une photo d'archive",
    "Invitation à l'atelier",
    "Visite des réserves des archives",
    "Livre sur l'histoire de la ville",
)
ANONYMOUS_LABEL = "Participant·e anonyme"


@dataclass(frozen=True)
class Recipient:
    """Someone the cm may thank, as the form offers them."""

    key: str  # c:<campaign>:<contributor id> | s:<submission id> | i:<proposal id>
    campaign: str
    label: str
    contributor: str | None = None
    player_id: str | None = None


def _credit(kind: str, name: str) -> str:
    return shown_credit(kind, name) or ANONYMOUS_LABEL


def _residents(session: Session, slugs: set[str]) -> list[Recipient]:
    """Residents whose contribution or identification was accepted (participation tables)."""
    found: list[Recipient] = []
    submissions = select(Submission).where(
        Submission.status == "accepted", col(Submission.player_id).is_not(None)
    )
    for item in session.exec(submissions.order_by(col(Submission.id))):
        if item.campaign in slugs:
            label = f"{_credit(item.credit_kind, item.credit_name)} — contribution n° {item.id}"
            found.append(Recipient(f"s:{item.id}", item.campaign, label, player_id=item.player_id))
    proposals = (
        select(Proposal, Identification.label)
        .join(
            Identification,
            (col(Identification.campaign) == col(Proposal.campaign))
            & (col(Identification.step) == col(Proposal.step))
            & (col(Identification.key) == col(Proposal.key)),
        )
        .where(Identification.status == "accepted", col(Proposal.player_id).is_not(None))
        .order_by(col(Proposal.id))
    )
    for proposal, label in session.exec(proposals):
        if proposal.campaign in slugs:
            name = _credit(proposal.credit_kind, proposal.credit_name)
            text = f"{name} — identification « {label} » n° {proposal.id}"
            found.append(
                Recipient(f"i:{proposal.id}", proposal.campaign, text, player_id=proposal.player_id)
            )
    return found


def recipients(session: Session, campaigns: list[Campaign]) -> list[Recipient]:
    """Everyone the cm may thank in these campaigns: YAML contributors, then residents."""
    found = [
        Recipient(
            f"c:{campaign.slug}:{person.id}",
            campaign.slug,
            localise(person.name, "fr"),
            contributor=person.id,
        )
        for campaign in campaigns
        for person in campaign.contributors
    ]
    return found + _residents(session, {c.slug for c in campaigns})


def ledger(session: Session) -> list[Thanks]:
    """Every thank-you, the most recent gift first (by date, never by anyone's merit)."""
    statement = select(Thanks).order_by(col(Thanks.given_on).desc(), col(Thanks.id).desc())
    return list(session.exec(statement))


def record(
    session: Session,
    recipient: Recipient,
    what: str,
    given_on: date,
    note: str = "",
    recorded_by: int | None = None,
) -> Thanks | None:
    """Record a gift; None when the same gift to the same recipient on that day already is.

    An INSERT the unique constraint lets happen once (`web.staff.decisions`): of a double tap,
    or of two cms recording the same gift together, exactly one row is stored.
    """
    values = {
        "campaign": recipient.campaign,
        "contributor": recipient.contributor,
        "player_id": recipient.player_id,
        "recipient": recipient.label[:200],
        "recipient_key": recipient.key,
        "what": what,
        "given_on": given_on,
        "note": note,
        "recorded_by": recorded_by,
        "created_at": utcnow(),
    }
    statement = (
        db.insert(session, Thanks)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["recipient_key", "what", "given_on"])
        .returning(col(Thanks.id))
    )
    stored = session.execute(statement).first()
    return session.get(Thanks, stored[0]) if stored is not None else None


def recorded(session: Session, recipient: Recipient, what: str, given_on: date) -> Thanks | None:
    """The thank-you already recorded for this recipient, gift and day."""
    statement = select(Thanks).where(
        Thanks.recipient_key == recipient.key, Thanks.what == what, Thanks.given_on == given_on
    )
    return session.exec(statement).first()


def validate(
    form: FormData, options: dict[str, Recipient]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The cleaned fields of the form, and an error message per field that is wrong."""
    values: dict[str, Any] = {
        "recipient": text_field(form, "recipient"),
        "what": text_field(form, "what").strip(),
        "given_on": text_field(form, "given_on").strip(),
        "note": text_field(form, "note").strip(),
    }
    errors: dict[str, str] = {}
    if values["recipient"] not in options:
        errors["recipient"] = _("Choisissez à qui ce merci est adressé.")
    if not values["what"]:
        errors["what"] = _(
            "Dites ce qui a été offert (par exemple : tirage d'une photo d'archive)."
        )
    elif len(values["what"]) > 200:
        errors["what"] = _("200 caractères au plus.")
    try:
        values["date"] = date.fromisoformat(values["given_on"])
    except ValueError:
        errors["given_on"] = _("Donnez une date au format AAAA-MM-JJ.")
    if len(values["note"]) > 2000:
        errors["note"] = _("2 000 caractères au plus.")
    return values, errors


def _page(
    current: Site, request: Request, values: dict[str, Any], errors: dict[str, str], status: int
) -> Response:
    campaigns = current.registry.campaigns()
    lost = already_decided(request)
    with db.reading(current.engine) as session:
        options = recipients(session, campaigns)
        rows = ledger(session)
        told = _already(session, lost) if lost else None
    context = {
        "staff": staff_of(request),
        "campaigns": {c.slug: c for c in campaigns},
        "options": options,
        "thanks": rows,
        "suggestions": SUGGESTIONS,
        "values": values,
        "errors": errors,
        "recorded": request.query_params.get("enregistre") == "1",
        "already": told,
    }
    return render(
        request, "staff/ledger.html", context, lang=staff_language(request), status=status
    )


def _today(current: Site) -> str:
    return current.now().astimezone(ZoneInfo("Europe/Paris")).date().isoformat()


@staff_page(role="cm")
async def ledger_page(request: Request) -> Response:
    current = site(request)
    values = {"given_on": _today(current)}
    return await db.call(current.engine, _page, current, request, values, {}, 200)


def _already(session: Session, thanks_id: int) -> str | None:
    """What another cm (or this one's first tap) recorded, said as `web.staff.decisions` says."""
    row = session.get(Thanks, thanks_id)
    if row is None:
        return None
    what = _("remerciement « %(what)s » à %(recipient)s, le %(date)s.") % {
        "what": row.what,
        "recipient": row.recipient,
        "date": row.given_on.isoformat(),
    }
    return already(session, row.recorded_by, what)


def _record(current: Site, request: Request, form: FormData) -> Response:
    earlier: Thanks | None = None
    with db.writing(current.engine) as session:
        options = {r.key: r for r in recipients(session, current.registry.campaigns())}
        values, errors = validate(form, options)
        if not errors:
            recipient = options[values["recipient"]]
            what, given_on = values["what"], values["date"]
            note, user = values["note"], staff_of(request).id
            if record(session, recipient, what, given_on, note, user) is None:
                earlier = recorded(session, recipient, what, given_on)
    if errors:
        return _page(current, request, values, errors, 400)
    if earlier is not None:
        return RedirectResponse(already_url("/staff/merci", earlier.id), 303)
    return RedirectResponse("/staff/merci?enregistre=1", 303)


@staff_page(role="cm")
async def ledger_record(request: Request) -> Response:
    current = site(request)
    form = await checked_form(request)
    return await db.call(current.engine, _record, current, request, form)


def _delete(current: Site, thanks_id: int) -> None:
    with db.writing(current.engine) as session:
        row = session.get(Thanks, thanks_id)
        if row is not None:
            session.delete(row)


@staff_page(role="cm")
async def ledger_delete(request: Request) -> Response:
    """Remove a thank-you recorded by mistake."""
    current = site(request)
    await checked_form(request)
    await db.call(current.engine, _delete, current, request.path_params["thanks"])
    return RedirectResponse("/staff/merci", 303)
