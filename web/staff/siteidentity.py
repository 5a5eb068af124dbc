"""What the staff home says of `site.yaml`: its problems, or what the legal pages still lack.

A city that has not written the file yet sees where to put it and what each missing key
leaves blank on the pages the law requires; a file with problems is listed as `balises check`
prints it, in the staff page's language, with what the pages show meanwhile: the last valid
version read since the start (`web.sitewatch`), or Balises' own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from campaigns.problems import Problem
from web.i18n import gettext as _
from web.identity import Brand


@dataclass(frozen=True)
class SiteNotes:
    path: str
    present: bool
    problems: list[Problem] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # sentences, one per missing key
    kept: bool = False  # problems, and the pages show the last valid version meanwhile


def site_notes(brand: Brand, lang: str) -> SiteNotes:
    check = brand.check
    path = str(check.path)
    if not check.present:
        return SiteNotes(path, False, missing=_missing_keys(None))
    if check.problems:
        return SiteNotes(path, True, problems=brand.problems_in(lang), kept=brand.kept)
    return SiteNotes(path, True, missing=_missing_keys(brand))


def _missing_keys(brand: Brand | None) -> list[str]:
    identity = brand.identity if brand else None
    found = []
    if identity is None:
        found.append(
            _("name : le site s'appelle « Balises » dans les pages, les titres et les PDF")
        )
    if identity is None or identity.publisher is None:
        found.append(
            _(
                "publisher : les mentions légales n'ont ni éditeur, ni directeur de la "
                "publication, ni hébergeur"
            )
        )
    if identity is None or identity.controller is None:
        found.append(
            _(
                "privacy : la page des données personnelles n'a ni responsable du "
                "traitement ni délégué à la protection des données"
            )
        )
    if identity is None or identity.accessibility is None:
        found.append(
            _("accessibility : la déclaration d'accessibilité dit « non conforme », sans contact")
        )
    if identity is None or identity.logo is None:
        found.append(_("logo : les icônes portent l'initiale du site"))
    return found
