"""Identification proposals grouped by what they say, with staff's decision on each group.

Proposals are grouped by the campaign's answer normalisation (`campaigns.matching.normalise`,
stored as the proposal's `key`), so "Pont Wilson", "pont wilson !" and "le Pont-Wilson" are one
group and staff read "3 habitants disent : Pont Wilson" (the most common spelling). A group's
status is staff's `Identification` decision, `pending` until there is one. The staff page, the
public step page, the CSV export and the residents' own data all read proposals this way.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, select

from campaigns.model import Campaign, Step
from campaigns.steptypes import StepType
from web.site import Site
from web.store.tables.participation import ACCEPTED, PENDING, Identification, Proposal, shown_credit


@dataclass
class Group:
    """The proposals of one step that say the same thing, and staff's decision on them."""

    campaign: str
    step: str
    key: str
    proposals: list[Proposal] = field(default_factory=list)
    status: str = PENDING
    # Whether enough distinct residents said it for the step's `agreement` (`mark_consensus`).
    consensus: bool = False

    @property
    def label(self) -> str:
        """The spelling most residents used (the earliest one on a tie)."""
        spellings = Counter(p.text for p in self.proposals)
        return spellings.most_common(1)[0][0] if spellings else self.key

    @property
    def count(self) -> int:
        return len(self.proposals)

    @property
    def credits(self) -> list[tuple[str, bool]]:
        """(name as chosen, '' when anonymous; whether first proposer), in proposal order."""
        return [
            (shown_credit(p.credit_kind, p.credit_name), i == 0)
            for i, p in enumerate(self.proposals)
        ]

    @property
    def residents(self) -> int:
        """How many distinct residents said it: distinct players AND distinct addresses, so
        one phone clearing its cookies, or one household's three phones, weighs once."""
        players = {p.player_id or f"address:{p.address}" for p in self.proposals}
        # A proposal from before addresses were kept stands for an address of its own.
        addresses = {p.address or f"proposal:{p.player_id or p.id}" for p in self.proposals}
        return min(len(players), len(addresses))

    @property
    def places(self) -> list[tuple[str, int]]:
        return Counter(p.place for p in self.proposals if p.place).most_common()

    @property
    def dates(self) -> list[tuple[str, int]]:
        return Counter(p.date_text for p in self.proposals if p.date_text).most_common()


def groups(session: Session, campaign: str, step: str | None = None) -> list[Group]:
    """Every group of proposals of a campaign (or of one step), biggest first."""
    query = select(Proposal).where(Proposal.campaign == campaign)
    if step is not None:
        query = query.where(Proposal.step == step)
    found: dict[tuple[str, str], Group] = {}
    for proposal in session.exec(query.order_by(Proposal.created_at, Proposal.id)):  # type: ignore[arg-type]
        where = (proposal.step, proposal.key)
        found.setdefault(where, Group(campaign, proposal.step, proposal.key)).proposals.append(
            proposal
        )
    decisions = select(Identification).where(Identification.campaign == campaign)
    for decision in session.exec(decisions):
        group = found.get((decision.step, decision.key))
        if group is not None:
            group.status = decision.status
    return sorted(found.values(), key=lambda g: (g.step, -g.count, g.proposals[0].id or 0))


def mark_consensus(found: list[Group], agreement: int | None) -> list[Group]:
    """`found`, each group marked when at least `agreement` distinct residents said it (the
    step's `agreement`; no step without one has consensus). Staff still decide."""
    for group in found:
        group.consensus = agreement is not None and group.residents >= agreement
    return found


def accepted_groups(session: Session, campaign: str, step: str | None) -> list[Group]:
    return [g for g in groups(session, campaign, step) if g.status == ACCEPTED]


def own_proposals(session: Session, pid: str, campaign: str, step: str) -> list[dict[str, Any]]:
    """A resident's proposals on a step, with the status of their group."""
    status = {(g.step, g.key): g.status for g in groups(session, campaign, step)}
    rows = session.exec(
        select(Proposal)
        .where(Proposal.player_id == pid, Proposal.campaign == campaign, Proposal.step == step)
        .order_by(Proposal.id)  # type: ignore[arg-type]
    )
    return [
        {
            "text": p.text,
            "place": p.place,
            "date": p.date_text,
            "status": status.get((p.step, p.key), PENDING),
            "created_at": p.created_at,
        }
        for p in rows
    ]


def identify_steps(current: Site) -> list[tuple[Campaign, Step]]:
    """Every `identify` step of the loaded campaigns, in file order."""
    return [
        (campaign, step)
        for campaign in current.registry.campaigns()
        for step in campaign.steps
        if step.type is StepType.identify
    ]
