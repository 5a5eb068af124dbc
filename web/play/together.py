"""What the town did together, as a campaign's page and its finale show it: never a ranking or
a name, only the residents' collective figures.

Residents play for their town, not for a prize: seeing that 240 neighbours played and that
they identified 3 of the archives' 4 mystery photos is their reward. A count of people or of
what people did below `FEW` is shown as "moins de 5", so no one can be singled out (a figure of
1 the morning after a resident's scan would name them to whoever saw them there); the number of
mystery photos is the campaign's own, and is shown as it is. Counts come from one aggregate
query each (`web.store.together`), kept `KEPT` on the site's clock: the campaign page is the
busiest page, and a figure a minute old is news enough.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session

from campaigns.model import Campaign
from campaigns.steptypes import StepType
from web.site import Site
from web.store import together

FEW = 5
KEPT = timedelta(minutes=1)
WEEK = timedelta(days=7)


@dataclass(frozen=True)
class Figures:
    """What the page shows; a count is None when it is under `FEW` ("moins de 5")."""

    players: int | None
    identified: int  # mystery photos identified…
    mysteries: int  # …out of this many (0: the campaign has none, the line is not shown)
    memories: int | None
    contributes: bool  # the campaign asks for memories (else that line is not shown)
    scans: int | None
    scanned: bool  # the campaign has markers to scan


def shown(count: int) -> int | None:
    """`count`, or None when so few that a figure could point at someone."""
    return count if count >= FEW else None


def figures(current: Site, session: Session, campaign: Campaign) -> Figures:
    """The collective figures of `campaign`, at most `KEPT` old."""
    now = current.now()
    found = current.together.get(campaign.slug)
    if found is not None and now - found[0] < KEPT and isinstance(found[1], Figures):
        return found[1]
    mysteries = [s.id for s in campaign.steps if s.type is StepType.identify]
    counts = together.tally(session, campaign.slug, mysteries, now - WEEK)
    made = Figures(
        players=shown(counts.players),
        identified=counts.identified,
        mysteries=len(mysteries),
        memories=shown(counts.memories),
        contributes=any(s.type is StepType.contribution for s in campaign.steps),
        scans=shown(counts.scans_this_week),
        scanned=any(s.kind.scanned for s in campaign.steps),
    )
    current.together[campaign.slug] = (now, made)
    return made
