"""What an edit of a live campaign takes away from players, so a reload can warn about it.

Players' progress is stored against step ids, and those ids are printed in URLs and QR codes:
a CM who renames `tour` to `tour-saint-aubin` in the middle of a heritage weekend does not
lose anyone's answers (the history is kept under the old id), but the step players were on
disappears and every printed QR code of a removed checkpoint stops working. The loader cannot
refuse such an edit (removing a step can be what the CM means), so the site logs the warning
this module writes, naming the ids to put back if it was only a rename, and holds a version
whose `removals` players have progress in until a CM confirms it (a file cut in half by an
upload is valid YAML too, and would take half the game offline).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from campaigns.model import Campaign
from campaigns.wording import ngettext


@dataclass(frozen=True, order=True)
class Removal:
    """A campaign (`step` None) or a step of one that a new version no longer has."""

    campaign: str
    step: str | None = None


def removals(old: Iterable[Campaign], new: Iterable[Campaign]) -> list[Removal]:
    """What going from the campaigns `old` to `new` takes away: whole campaigns, then steps.

    A campaign that moved to another file is matched by its slug, so it is not removed.
    """
    kept = {campaign.slug: campaign for campaign in new}
    gone: list[Removal] = []
    for campaign in old:
        replacement = kept.get(campaign.slug)
        if replacement is None:
            gone.append(Removal(campaign.slug))
        else:
            gone += [Removal(campaign.slug, step) for step in removed_steps(campaign, replacement)]
    return gone


def removed_steps(old: Campaign, new: Campaign) -> list[str]:
    """The ids of `old`'s steps that `new` no longer has, in `old`'s order, each once."""
    kept = {step.id for step in new.steps}
    return list(dict.fromkeys(step.id for step in old.steps if step.id not in kept))


def removal_warning(old: Campaign, new: Campaign) -> str | None:
    """The sentence to log when a reload removes or renames steps, or None when it does not."""
    removed = removed_steps(old, new)
    if not removed:
        return None
    names = ", ".join(f"'{step_id}'" for step_id in removed)
    return ngettext(
        "campagne '%(slug)s' : l'étape %(names)s n'est plus dans le fichier ; les réponses des "
        "joueurs à cette étape sont gardées, mais sa page et son code QR ne s'ouvrent plus ; "
        "si vous l'avez seulement renommée, rendez-lui son ancien id",
        "campagne '%(slug)s' : les étapes %(names)s ne sont plus dans le fichier ; les réponses "
        "des joueurs à ces étapes sont gardées, mais leurs pages et leurs codes QR ne s'ouvrent "
        "plus ; si vous les avez seulement renommées, rendez-leur leurs anciens ids",
        len(removed),
    ) % {"slug": new.slug, "names": names}
