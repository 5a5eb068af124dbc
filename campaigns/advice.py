"""Advice on a campaign file: what it may do but should not, said without refusing the file.

A problem (`rules.py`) keeps a file offline; advice does not. It is its own type, `Advice`, so
that it can never be counted as a problem by mistake, and it is decided here only: `balises
check` prints it with the problems (`file:line:col: where : attention : …`) and still
succeeds, the site logs it when it reads the file, and the staff campaigns page and `balises
publish` list it under the file. Two pieces of advice today:

- coordinates that look swapped (`places.looks_swapped`): a latitude typed as the longitude
  puts a French marker in the sea off Somalia, which a CM means far less often than not;
- for blind players (SPEC "Access"), a riddle whose photo is revealed in several stages but
  described by a single alternative text: it tells a screen reader's user the whole photo from
  the first crop on, so they learn more than a sighted player at first and nothing more when a
  hint reveals more. Each stage may carry its own `alt`.
"""

from __future__ import annotations

from dataclasses import dataclass

from campaigns.model import Campaign, Step, all_languages
from campaigns.places import looks_swapped, number
from campaigns.rules import Context, label, said_at
from campaigns.wording import _
from campaigns.yamlsource import DocPath


@dataclass(frozen=True, order=True)
class Advice:
    """One piece of advice, printed like a problem (`file:line:col: message`)."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


def advice(checked: list[tuple[int, Campaign]], ctx: Context) -> list[Advice]:
    """Every piece of advice on these campaigns, each at the line to change."""
    found: list[Advice] = []
    for index, campaign in checked:
        for j, step in enumerate(campaign.steps):
            at: DocPath = ("campaigns", index, "steps", j)
            if step.where is not None and looks_swapped(step.where):
                message = _(
                    "lat et lon semblent inversés : lat %(lat)s, lon %(lon)s tombe loin de la "
                    "France, et l'inverse en France ; échangez-les si c'est le cas"
                )
                shown = {"lat": number(step.where.lat), "lon": number(step.where.lon)}
                found.append(_advise(ctx, (*at, "where"), message % shown))
            if _one_alt_for_many_stages(step):
                message = _(
                    "ces %(num)s étapes de la photo n'ont qu'un texte alternatif, qui en dit "
                    "d'emblée plus que le premier cadrage ; donnez à chaque étape le sien "
                    '({box: [...], alt: "..."}) pour qu\'une personne aveugle en apprenne '
                    "autant qu'une personne voyante à chaque indice"
                )
                found.append(_advise(ctx, (*at, "reveal"), message % {"num": len(step.reveal)}))
    return found


def _advise(ctx: Context, loc: DocPath, message: str) -> Advice:
    """Advice at the value of `loc`, marked as such wherever it is printed."""
    line, col = ctx.marks.value(loc)
    marked = _("attention : %(message)s") % {"message": message}
    return Advice(ctx.file, line, col, said_at(label(loc), marked))


def _one_alt_for_many_stages(step: Step) -> bool:
    """A step shown in several stages that all read out the same alternative text."""
    if not step.answerable or step.photo is None or len(step.reveal) < 2:
        return False
    alts = {tuple(all_languages(step.stage_alt(k))) for k in range(len(step.reveal))}
    return len(alts) == 1
