"""What the cross checks say where the sentence depends on a value: the type of a step, the
field that gives an answer away, the page whose address a step id would hide. Each sentence is
written out whole (its nouns have genders), so the catalog translates it whole.
"""

from __future__ import annotations

from campaigns.steptypes import StepType
from campaigns.wording import _


def why_no_answers(kind: StepType) -> str:
    """Why a step of this type is not answered, in the reader's language."""
    return {
        StepType.checkpoint: _("elle s'ouvre quand on scanne son code QR"),
        StepType.story: _("elle se lit, elle ne se résout pas"),
        StepType.contribution: _("les habitants envoient une photo ou un texte"),
        StepType.identify: _(
            "les habitants proposent ce qu'ils reconnaissent et l'équipe accepte les bonnes "
            "propositions"
        ),
    }[kind]


def leak_message(name: str) -> str:
    """`this title gives the answer away`, for the field `name` (its noun has a gender)."""
    return {
        "title": _("ce titre dévoile la réponse ('%(found)s') ; reformulez-le"),
        "hints": _("cet indice dévoile la réponse ('%(found)s') ; reformulez-le"),
        "alt": _("ce texte alternatif dévoile la réponse ('%(found)s') ; reformulez-le"),
        "text": _("ce texte dévoile la réponse ('%(found)s') ; reformulez-le"),
    }[name]


def reserved_message(step_id: str) -> str:
    """Why a step cannot have this id: a page of the campaign has that address."""
    return {
        "merci": _(
            "'%(id)s' est réservé à la page de remerciements de la campagne "
            "(/c/<campaign>/%(id)s) ; choisissez un autre id"
        ),
        "galerie": _(
            "'%(id)s' est réservé à la galerie de la campagne (/c/<campaign>/%(id)s) ; "
            "choisissez un autre id"
        ),
        "emporter": _(
            "'%(id)s' est réservé au parcours emporté hors ligne (/c/<campaign>/%(id)s) ; "
            "choisissez un autre id"
        ),
        "carte": _(
            "'%(id)s' est réservé à la carte de la campagne (/c/<campaign>/%(id)s) ; "
            "choisissez un autre id"
        ),
    }[step_id]
