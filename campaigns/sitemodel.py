"""The validated shape of `site.yaml`: who runs the site, its look, and the texts the law asks for.

Like the campaign model, every value arrives as the text the CM typed; the colour, the audit
date and the rate stay text here and are read by `campaigns.sitefile`, which says what is wrong
with each in the CM's words (a colour's measured contrast, a date's expected form).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from campaigns.model import Strict, Text

SITE_FILE = "site.yaml"

Name = Annotated[str, StringConstraints(min_length=1, max_length=80)]


class Conformity(StrEnum):
    """The three statuses of the RGAA's déclaration d'accessibilité, as the law words them."""

    full = "totalement conforme"
    partial = "partiellement conforme"
    none = "non conforme"


class Privacy(Strict):
    controller: Text  # the data controller: the body and its address
    dpo: str  # its data protection officer: an e-mail address or a web address


class Accessibility(Strict):
    status: str
    audited: str | None = None  # YYYY-MM-DD
    rate: str | None = None  # % of the RGAA criteria met
    contact: str  # an e-mail address or a web address, for feedback
    not_accessible: Text | None = None  # Markdown: the contents that are not accessible
    exemptions: Text | None = None  # Markdown: contents exempted (disproportionate burden…)
    method: Text | None = None  # Markdown: how the status was established (who audited, how)


class Identity(Strict):
    name: Name
    url: str | None = None
    logo: str | None = None
    colour: str | None = None
    publisher: Text | None = None  # Markdown: publisher, director of publication, host
    privacy: Privacy | None = None
    accessibility: Accessibility | None = None


class SiteDocument(Strict):
    version: Annotated[int, Field(ge=1, le=1)]
    site: Identity


def model_at(path: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model whose keys are allowed at `path` of `site.yaml` (for did-you-mean)."""
    models: dict[tuple[str | int, ...], type[BaseModel]] = {
        (): SiteDocument,
        ("site",): Identity,
        ("site", "privacy"): Privacy,
        ("site", "accessibility"): Accessibility,
    }
    return models.get(path)


class SiteAccessibility(BaseModel):
    """The declaration's facts, read: the status, and the audit when there was one."""

    status: Conformity
    audited: date | None
    rate: int | None
    contact: str
    not_accessible: Text | None
    exemptions: Text | None
    method: Text | None


class SiteIdentity(BaseModel):
    """A `site.yaml` with no problem: what the pages show instead of Balises' defaults."""

    name: str
    url: str | None
    logo: Path | None  # the file, beside site.yaml
    colour: str | None  # `#rrggbb`, lower case
    publisher: Text | None
    controller: Text | None
    dpo: str | None
    accessibility: SiteAccessibility | None
    path: Path  # the site.yaml it came from
