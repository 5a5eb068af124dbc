"""What residents sent, as their own data: listed on `/moi`, forgotten, purged after retention.

A player's contributions and proposals are shown to them and exported (`player_contributions`);
"forget me" removes them (`forget_player`, called by `web.privacy.mydata`), and so does the purge
of a
closed campaign past its retention period (`purge_campaign`, called by `web.privacy.retention`).
Both
follow one rule: what was never published goes, with its photo file once no row points to it;
what was published (an accepted contribution, the proposals of an accepted identification)
stays public but credited "anonyme" and tied to no one, so the player row can then be deleted.
Residents' reports of a published item go with whoever made them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from media.storage import remove
from web.participation.form import PHOTOS
from web.participation.groups import groups
from web.store.tables.participation import ACCEPTED, PENDING, Proposal, Submission, SubmissionReport
from web.store.tables.play import Player, RateCounter

ANONYMOUS = {"player_id": None, "credit_kind": "anonymous", "credit_name": ""}
QUOTA_KINDS = ("contribute", "propose")  # the `web.participation.quota` counters' prefixes


def unused(session: Session, sha256: str) -> bool:
    """Whether no contribution points to this photo any more (the same photo sent twice is
    one file)."""
    return (
        session.exec(select(Submission.id).where(Submission.photo_sha256 == sha256)).first() is None
    )


def player_contributions(session: Session, player_id: str) -> list[dict[str, Any]]:
    """Everything a player sent, for their own page and their data export (`/moi`).

    One dict per contribution or identification proposal: `kind` ('contribution' or
    'identification'), `id`, `campaign` and `step` (ids: titles come from the registry),
    `status` ('pending', 'accepted', 'rejected' or, for a proposal, 'declined'), `message` (the
    cm's word, '' if none), `created_at` (aware UTC datetime), `text`, `caption`, `photo`
    (whether a photo was sent), `place`, `date`, `credit_kind`, `credit_name`, `hidden`.
    """
    found: list[dict[str, Any]] = []
    for row in session.exec(
        select(Submission).where(Submission.player_id == player_id).order_by(Submission.id)  # type: ignore[arg-type]
    ):
        found.append(
            {
                "kind": "contribution",
                "id": row.id,
                "campaign": row.campaign,
                "step": row.step,
                "status": row.status,
                "message": row.message,
                "created_at": row.created_at,
                "text": row.text,
                "caption": row.caption,
                "photo": bool(row.photo_sha256),
                "place": "",
                "date": "",
                "credit_kind": row.credit_kind,
                "credit_name": row.credit_name,
                "hidden": row.hidden,
            }
        )
    proposals = list(
        session.exec(
            select(Proposal).where(Proposal.player_id == player_id).order_by(Proposal.id)  # type: ignore[arg-type]
        )
    )
    status: dict[tuple[str, str, str], str] = {}
    for campaign in {p.campaign for p in proposals}:
        status.update({(campaign, g.step, g.key): g.status for g in groups(session, campaign)})
    for p in proposals:
        found.append(
            {
                "kind": "identification",
                "id": p.id,
                "campaign": p.campaign,
                "step": p.step,
                "status": status.get((p.campaign, p.step, p.key), PENDING),
                "message": "",
                "created_at": p.created_at,
                "text": p.text,
                "caption": "",
                "photo": False,
                "place": p.place,
                "date": p.date_text,
                "credit_kind": p.credit_kind,
                "credit_name": p.credit_name,
                "hidden": False,
            }
        )
    return found


def _retire_submissions(session: Session, rows: Iterable[Submission]) -> set[str]:
    """Anonymise the accepted ones, delete the others with their reports; the photos whose
    rows were deleted (their files may now be unused)."""
    photos: set[str] = set()
    for row in rows:
        if row.status == ACCEPTED:
            row.sqlmodel_update(ANONYMOUS)
            session.add(row)
            continue
        if row.photo_sha256:
            photos.add(row.photo_sha256)
        session.execute(
            delete(SubmissionReport).where(col(SubmissionReport.submission_id) == row.id)
        )
        session.delete(row)
    return photos


def _retire_proposals(session: Session, proposals: list[Proposal]) -> None:
    """Proposals of an accepted identification stay, anonymised; the others go."""
    accepted: set[tuple[str, str, str]] = set()
    for campaign in {p.campaign for p in proposals}:
        accepted |= {
            (campaign, g.step, g.key) for g in groups(session, campaign) if g.status == ACCEPTED
        }
    for p in proposals:
        if (p.campaign, p.step, p.key) in accepted:
            p.sqlmodel_update(ANONYMOUS)
            session.add(p)
        else:
            session.delete(p)


def _remove_unused_photos(session: Session, photos: set[str], media_dir: Path | None) -> None:
    session.flush()
    if media_dir is None:
        return
    folder = media_dir / PHOTOS
    for sha256 in photos:
        if unused(session, sha256):
            remove(folder, sha256)


def forget_player(session: Session, player_id: str, media_dir: Path | None = None) -> None:
    """Delete a player's unpublished contributions and proposals, anonymise the published ones.

    Pending and rejected contributions go (with their photo file once no row points to it);
    accepted ones stay in the gallery, credited "anonymous" and tied to no one. Proposals of an
    accepted identification stay the same way; the others go. The player's reports go too. Run
    it in the write transaction that deletes the player (before the `player` row: the foreign
    keys point to it). `media_dir` is the settings' media folder; without it photo files are
    left to the start-up sweep (`web.participation.gallery.sweep_photos`).
    """
    mine = session.exec(select(Submission).where(Submission.player_id == player_id))
    photos = _retire_submissions(session, list(mine))
    _retire_proposals(
        session, list(session.exec(select(Proposal).where(Proposal.player_id == player_id)))
    )
    session.execute(delete(SubmissionReport).where(col(SubmissionReport.reporter) == player_id))
    _remove_unused_photos(session, photos, media_dir)


def purge_campaign(session: Session, slug: str, media_dir: Path | None = None) -> None:
    """Retire what residents sent to campaign `slug`, past its retention period.

    Called by `web.privacy.retention.purge` in the transaction that then deletes the players left
    with
    nothing. Every contribution and proposal of the campaign is treated as `forget_player`
    treats a player's own, whoever sent it (with or without a cookie); the reports on the
    campaign's items go, with the address of those who reported without a cookie, and so do
    the campaign's sending quotas (keyed on player ids). `media_dir` as for `forget_player`:
    `web.privacy.retention` passes none, and the next start's sweep removes the unused photo files.

    A purged player may also have reported an item of another campaign; that report is only
    known to be theirs once `web.privacy.retention` has deleted them, so every run also drops the
    reports of players who no longer exist (retention runs again at the next start or cron).
    """
    rows = list(session.exec(select(Submission).where(Submission.campaign == slug)))
    ids = [row.id for row in rows]
    if ids:
        session.execute(
            delete(SubmissionReport).where(col(SubmissionReport.submission_id).in_(ids))
        )
    photos = _retire_submissions(session, rows)
    _retire_proposals(
        session, list(session.exec(select(Proposal).where(Proposal.campaign == slug)))
    )
    key = col(RateCounter.key)
    for kind in QUOTA_KINDS:
        session.execute(
            delete(RateCounter).where(
                key.startswith(f"{kind}:", autoescape=True),
                key.endswith(f":{slug}", autoescape=True),
            )
        )
    _forget_gone_reporters(session)
    _remove_unused_photos(session, photos, media_dir)


def _forget_gone_reporters(session: Session) -> None:
    """Reports whose reporter was a player since deleted (cookieless ones say `ip:…`)."""
    reporter = col(SubmissionReport.reporter)
    session.execute(
        delete(SubmissionReport).where(
            ~reporter.startswith("ip:"), reporter.not_in(select(Player.id))
        )
    )
