"""The photo library's description of each photo, its search, and where campaigns use it.

Staff describe a photo as an archive would: title, credit (a contributor id of a campaign or
free text), licence, fonds and cote, date or period, and a private note. Every value is checked
here, once, for the upload form and the edit form alike; a refused value gets a message naming
the field, in the staff member's language (`web.i18n.gettext`, French by default). "Where
used" scans the campaigns currently published for `photo: media:<id>`, since campaign files,
not the database, say which step shows which photo.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from campaigns.model import localise
from web import i18n
from web.i18n import gettext as _
from web.publication.registry import Registry
from web.store.tables.staff import MediaPhoto

LICENCES: dict[str, str] = {
    "cc-by-sa-4.0": "CC BY-SA 4.0",
    "cc-by-4.0": "CC BY 4.0",
    "domaine-public": "Domaine public",
    "droits-reserves": "Tous droits réservés, utilisée avec autorisation",
}
LIMITS = {
    "title": 200,
    "credit": 200,
    "fonds": 200,
    "cote": 200,
    "period": 100,
    "note": 4000,
}
ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # lowercase, no look-alikes: easy in YAML
ID_LENGTH = 12
MAX_LISTED = 200


def licence_labels() -> dict[str, str]:
    """The licences of `LICENCES` as the form lists them, in the current language."""
    translated = {
        "domaine-public": _("Domaine public"),
        "droits-reserves": _("Tous droits réservés, utilisée avec autorisation"),
    }
    return {key: translated.get(key, label) for key, label in LICENCES.items()}


def _labels() -> dict[str, str]:
    """The fields' names, as error messages start with them."""
    return {
        "title": _("Titre"),
        "credit": _("Crédit"),
        "licence": _("Licence"),
        "fonds": _("Fonds"),
        "cote": _("Cote"),
        "period": _("Date ou période"),
        "note": _("Note privée"),
    }


def new_photo_id() -> str:
    return "".join(secrets.choice(ID_ALPHABET) for _position in range(ID_LENGTH))


def valid_photo_id(value: str) -> bool:
    return len(value) == ID_LENGTH and all(c in ID_ALPHABET for c in value)


@dataclass
class Description:
    """The staff-given fields of a photo, checked; `errors` maps a field to its message."""

    values: dict[str, str]
    errors: dict[str, str]

    @property
    def ok(self) -> bool:
        return not self.errors


def describe(
    form: Mapping[str, str], *, title_required: bool = True, partial: bool = False
) -> Description:
    """The checked values of `form`. With `partial` (the edit form), a field the form does not
    send is neither checked nor in `values`, so `apply` leaves it as it was: a form missing
    fields (an old page, a script, a trimmed request) never empties credit, fonds or cote."""
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name, limit in LIMITS.items():
        if partial and name not in form:
            continue
        raw = form.get(name, "")
        value = raw.replace("\r\n", "\n").strip() if name == "note" else " ".join(raw.split())
        if len(value) > limit:
            too_long = _("%(field)s : %(limit)s caractères au plus")
            errors[name] = too_long % {"field": _labels()[name], "limit": limit}
        values[name] = value[:limit]
    if title_required and "title" in values and not values["title"]:
        errors["title"] = _("Titre : donnez un titre à la photo")
    if partial and "licence" not in form:
        return Description(values, errors)
    licence = form.get("licence", "")
    if licence not in LICENCES:
        errors["licence"] = _("Licence : choisissez une licence dans la liste")
    values["licence"] = licence if licence in LICENCES else ""
    return Description(values, errors)


def apply(photo: MediaPhoto, values: Mapping[str, str]) -> None:
    for name in (*LIMITS, "licence"):
        if name in values:
            setattr(photo, name, values[name])


def search(session: Session, query: str) -> list[MediaPhoto]:
    """Photos whose title, fonds or cote contain `query` (any case), newest first."""
    statement = select(MediaPhoto)
    words = query.split()[:8]
    for word in words:
        needle = word.casefold()[:100]
        statement = statement.where(
            or_(
                func.lower(MediaPhoto.title).contains(needle, autoescape=True),
                func.lower(MediaPhoto.fonds).contains(needle, autoescape=True),
                func.lower(MediaPhoto.cote).contains(needle, autoescape=True),
                col(MediaPhoto.id) == word,
            )
        )
    statement = statement.order_by(col(MediaPhoto.created_at).desc()).limit(MAX_LISTED)
    return list(session.exec(statement))


@dataclass(frozen=True)
class Usage:
    """A step of a published campaign that shows a photo."""

    campaign: str  # slug
    campaign_title: str
    step: str
    step_title: str

    def __str__(self) -> str:
        where = f"« {self.campaign_title} » ({self.campaign})"
        return f"{where}, étape « {self.step_title} » ({self.step})"


def where_used(registry: Registry, media_id: str) -> list[Usage]:
    reference = f"media:{media_id}"
    found: list[Usage] = []
    for campaign in registry.campaigns():
        for step in campaign.steps:
            if step.photo is not None and step.photo.strip() == reference:
                found.append(
                    Usage(
                        campaign.slug,
                        localise(campaign.title, i18n.current()),
                        step.id,
                        localise(step.title, i18n.current()),
                    )
                )
    return found


def contributor_choices(registry: Registry) -> list[tuple[str, str]]:
    """(id, "name — campaign") of every contributor of the published campaigns, for the form."""
    seen: dict[str, str] = {}
    for campaign in registry.campaigns():
        for contributor in campaign.contributors:
            seen.setdefault(contributor.id, localise(contributor.name, i18n.current()))
    return sorted(seen.items())
