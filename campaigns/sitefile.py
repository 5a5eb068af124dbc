"""Reading `site.yaml`, the city's identity, with the same compiler-like problems as a campaign.

The file sits beside the campaign files: in the folder given to `--campaigns`, or in the folder
of a single campaign file. It is optional (the site then runs as Balises), but a file that is
there and wrong is reported line by line by `balises check`, at start, and on the staff home,
and the site runs without it until it is fixed: a half-read identity could print a wrong
publisher on the legal notice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from campaigns.contrast import MINIMUM, darker_passing, measure, parse_hex, to_hex
from campaigns.logofile import logo_problem
from campaigns.problems import Problem
from campaigns.rules import said_at
from campaigns.schemaerrors import schema_problems
from campaigns.sitemodel import (
    SITE_FILE,
    Accessibility,
    Conformity,
    SiteAccessibility,
    SiteDocument,
    SiteIdentity,
    model_at,
)
from campaigns.suggestions import did_you_mean
from campaigns.wording import _, current
from campaigns.yamlsource import MAX_BYTES, DocPath, Marks, YamlSourceError, describe, parse_yaml

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
WEB = re.compile(r"^https?://[^\s/]+\.[^\s]+$")


@dataclass
class SiteCheck:
    """What `site.yaml` says: its identity when it has no problem, else every problem found."""

    path: Path
    present: bool
    identity: SiteIdentity | None = None
    problems: list[Problem] = field(default_factory=list)
    # The logo file the document names, even refused: a running site watches it for a fix.
    logo: Path | None = None


def site_file_for(campaigns_path: Path) -> Path:
    """Where the site file of a campaigns path is: in the folder, or beside the one file."""
    folder = campaigns_path if campaigns_path.is_dir() else campaigns_path.parent
    return folder / SITE_FILE


def check_site(path: Path) -> SiteCheck:
    """Read and check the site file at `path`; a missing file is no problem."""
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return SiteCheck(path, present=False)
    except OSError as error:
        reason = error.strerror or str(error)
        message = _("impossible de lire le fichier : %(reason)s") % {"reason": reason}
        return SiteCheck(path, True, problems=[Problem(str(path), 1, 1, message)])
    return check_site_text(content, path)


def check_site_text(content: bytes | str, path: Path) -> SiteCheck:
    file = str(path)
    found = SiteCheck(path, present=True)
    if len(content) > MAX_BYTES:
        found.problems.append(Problem(file, 1, 1, _("ce fichier dépasse 1 Mo ; raccourcissez-le")))
        return found
    try:
        document = parse_yaml(content)
    except YamlSourceError as error:
        found.problems.append(Problem(file, error.line, error.col, error.message))
        return found
    data, marks = document.data, document.marks
    if not isinstance(data, dict):
        message = _("commencez ce fichier par 'version: 1' et une clé 'site:' avec le nom du site")
        found.problems.append(Problem(file, *marks.value(()), message))
        return found
    try:
        checked = SiteDocument.model_validate(data)
    except ValidationError as error:
        found.problems += schema_problems(error.errors(), marks, file, model_at)
        return found
    logo = checked.site.logo
    if logo is not None and "/" not in logo and "\\" not in logo and not logo.startswith("."):
        found.logo = path.parent / logo
    rules = _SiteRules(file, marks, path.parent)
    identity = rules.identity(checked)
    found.problems = sorted(rules.problems)
    found.identity = identity if not found.problems else None
    return found


class _SiteRules:
    """The checks a schema cannot say: colour contrast, the logo file, addresses, the audit."""

    def __init__(self, file: str, marks: Marks, folder: Path) -> None:
        self.file = file
        self.marks = marks
        self.folder = folder
        self.problems: list[Problem] = []

    def add(self, loc: DocPath, message: str) -> None:
        line, col = self.marks.value(loc)
        self.problems.append(Problem(self.file, line, col, said_at(describe(loc), message)))

    def identity(self, document: SiteDocument) -> SiteIdentity:
        site = document.site
        if site.url is not None and not WEB.match(site.url):
            self.add(("site", "url"), _not_web(site.url))
        if site.colour is None and ("site", "colour") in self.marks.keys:
            message = _(
                'la couleur est vide ; écrivez-la entre guillemets, comme "#0b5c4b" (sans '
                "eux, # commence un commentaire)"
            )
            self.add(("site", "colour"), message)
        privacy = site.privacy
        if privacy is not None and not _contact(privacy.dpo):
            self.add(("site", "privacy", "dpo"), _not_contact(privacy.dpo))
        return SiteIdentity(
            name=site.name.strip(),
            url=site.url,
            logo=self.logo(site.logo),
            colour=self.colour(site.colour),
            publisher=site.publisher,
            controller=privacy.controller if privacy else None,
            dpo=privacy.dpo if privacy else None,
            accessibility=self.accessibility(site.accessibility),
            path=self.folder / SITE_FILE,
        )

    def logo(self, name: str | None) -> Path | None:
        if name is None:
            return None
        if "/" in name or "\\" in name or name.startswith("."):
            message = _(
                "'%(name)s' : le logo doit être un fichier à côté de site.yaml ; donnez son seul "
                "nom, comme logo.svg"
            ) % {"name": name}
            self.add(("site", "logo"), message)
            return None
        path = self.folder / name
        problem = logo_problem(path)
        if problem:
            self.add(("site", "logo"), problem)
            return None
        return path

    def colour(self, value: str | None) -> str | None:
        if value is None:
            return None
        rgb = parse_hex(value.strip())
        if rgb is None:
            message = _(
                "'%(value)s' n'est pas une couleur hexadécimale ; écrivez-la comme \"#0b5c4b\" "
                "(entre guillemets : sans eux, # commence un commentaire)"
            ) % {"value": value}
            self.add(("site", "colour"), message)
            return None
        found = measure(rgb)
        if not found.passes:
            fix = to_hex(darker_passing(rgb))
            message = _(
                "la couleur %(value)s n'est pas assez contrastée : %(paper)s:1 sur le fond de la "
                "page et %(white)s:1 sous un texte blanc, il faut au moins %(minimum)s:1 pour "
                'les deux ; essayez "%(fix)s", la même teinte plus foncée'
            ) % {
                "value": value,
                "paper": _decimal(found.on_paper),
                "white": _decimal(found.under_white),
                "minimum": _decimal(MINIMUM, 1),
                "fix": fix,
            }
            self.add(("site", "colour"), message)
            return None
        return to_hex(rgb)

    def accessibility(self, given: Accessibility | None) -> SiteAccessibility | None:
        if given is None:
            return None
        at: DocPath = ("site", "accessibility")
        options = [c.value for c in Conformity]
        status = next((c for c in Conformity if c.value == given.status.strip()), None)
        if status is None:
            message = _("'%(value)s' n'est pas un statut de conformité") % {"value": given.status}
            message += did_you_mean(given.status, options)
            message += _(" (utilisez %(options)s ou %(last)s)") % {
                "options": ", ".join(options[:-1]),
                "last": options[-1],
            }
            self.add((*at, "status"), message)
        audited = self.audit_date(given.audited)
        rate = self.rate(given.rate)
        if status is not None:
            self.consistent(status, audited, rate, given)
        if not _contact(given.contact):
            self.add((*at, "contact"), _not_contact(given.contact))
        return SiteAccessibility(
            status=status or Conformity.none,
            audited=audited,
            rate=rate,
            contact=given.contact,
            not_accessible=given.not_accessible,
            exemptions=given.exemptions,
            method=given.method,
        )

    def audit_date(self, value: str | None) -> date | None:
        if value is None:
            return None
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            message = _("'%(value)s' n'est pas une date ; écrivez-la comme 2026-10-01") % {
                "value": value
            }
            self.add(("site", "accessibility", "audited"), message)
            return None

    def rate(self, value: str | None) -> int | None:
        if value is None:
            return None
        text = value.strip().removesuffix("%").strip()
        if not text.isdigit() or int(text) > 100:
            message = _(
                "'%(value)s' n'est pas un taux ; écrivez le pourcentage de critères respectés, "
                "de 0 à 100, comme 87"
            ) % {"value": value}
            self.add(("site", "accessibility", "rate"), message)
            return None
        return int(text)

    def consistent(
        self, status: Conformity, audited: date | None, rate: int | None, given: Accessibility
    ) -> None:
        """The RGAA's rule: 100 % is totalement, 50 % and more partiellement, else non conforme."""
        at: DocPath = ("site", "accessibility")
        if status is not Conformity.none and given.audited is None:
            message = _(
                "'%(status)s' suppose un audit : ajoutez sa date (audited: 2026-10-01) et son "
                "taux (rate: 87), ou déclarez 'non conforme'"
            ) % {"status": status.value}
            self.add((*at, "status"), message)
        if status is not Conformity.none and given.rate is None and given.audited is not None:
            self.add((*at, "rate"), _("ajoutez le taux de critères respectés (rate: 87)"))
        if rate is None:
            return
        expected = (
            Conformity.full
            if rate == 100
            else Conformity.partial
            if rate >= 50
            else Conformity.none
        )
        if expected is not status:
            message = _(
                "un taux de %(rate)s %% correspond au statut '%(expected)s', pas '%(status)s' "
                "(100 %% : totalement, 50 %% et plus : partiellement, moins : non conforme)"
            ) % {"rate": rate, "expected": expected.value, "status": status.value}
            self.add((*at, "status"), message)


def _decimal(value: float, places: int = 2) -> str:
    """`2.37` as the reader writes it: `2,37` in French."""
    text = f"{value:.{places}f}"
    return text.replace(".", ",") if current() == "fr" else text


def _contact(value: str) -> bool:
    text = value.strip().removeprefix("mailto:")
    return bool(EMAIL.match(text) or WEB.match(text))


def _not_contact(value: str) -> str:
    return _(
        "'%(value)s' n'est ni une adresse e-mail ni une adresse web ; écrivez par exemple "
        "dpo@ville.fr ou https://www.ville.fr/contact"
    ) % {"value": value}


def _not_web(url: str) -> str:
    return _(
        "'%(url)s' n'est pas une adresse web ; écrivez-la en entier, en commençant par https://"
    ) % {"url": url}
