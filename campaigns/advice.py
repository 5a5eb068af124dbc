"""Advice on a campaign file: what it may do but should not, said without refusing the file.

A problem (`rules.py`) keeps a file offline; advice does not: `balises check` prints it with the
problems, as `file:line:col: attention : …`, and still succeeds. Today one piece of advice, for
blind players (SPEC "Access"): a riddle whose photo is revealed in several stages but described
by a single alternative text tells a screen reader's user the whole photo from the first crop
on, so they learn more than a sighted player at first and nothing more when a hint reveals more.
Each stage may carry its own `alt`.
"""

from __future__ import annotations

from campaigns.model import Campaign, Step, all_languages
from campaigns.problems import Problem
from campaigns.rules import Context
from campaigns.wording import _


def advice(checked: list[tuple[int, Campaign]], ctx: Context) -> list[Problem]:
    """Every piece of advice on these campaigns, each at the line to change."""
    found: list[Problem] = []
    for index, campaign in checked:
        for j, step in enumerate(campaign.steps):
            if _one_alt_for_many_stages(step):
                loc = ("campaigns", index, "steps", j, "reveal")
                count = len(step.reveal)
                message = _(
                    "attention : ces %(num)s étapes de la photo n'ont qu'un texte alternatif, "
                    "qui en dit d'emblée plus que le premier cadrage ; donnez à chaque étape "
                    'le sien ({box: [...], alt: "..."}) pour qu\'une personne aveugle en '
                    "apprenne autant qu'une personne voyante à chaque indice"
                ) % {"num": count}
                found.append(ctx.problem(loc, message))
    return found


def _one_alt_for_many_stages(step: Step) -> bool:
    """A step shown in several stages that all read out the same alternative text."""
    if not step.answerable or step.photo is None or len(step.reveal) < 2:
        return False
    alts = {tuple(all_languages(step.stage_alt(k))) for k in range(len(step.reveal))}
    return len(alts) == 1
