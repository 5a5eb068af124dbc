"""The site's languages: French source strings, other languages from gettext catalogs.

Templates and code are written in French (`{% trans %}`, `_()`); `web/locale/<lang>/LC_MESSAGES/
messages.po` translates them. The catalogs are compiled in memory when this module is imported
(`balises.catalogs`, shared with the command line), so there is no build step and a `.po` edit
shows up at the next start.

The language of a page is the player's `?lang=` choice (remembered in the session) if the
campaign offers it, else the browser's Accept-Language among the campaign's languages, else the
campaign's first language.
"""

from __future__ import annotations

import gettext as gettext_module
from collections.abc import Sequence
from contextvars import ContextVar
from datetime import datetime
from pathlib import Path

from babel.dates import format_datetime
from starlette.requests import Request

from balises.catalogs import SOURCE as SOURCE
from balises.catalogs import Catalog
from campaigns.model import Campaign

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
SITE_LANGUAGES = ("fr", "en")  # languages the interface itself speaks

_current: ContextVar[str] = ContextVar("balises_lang", default=SOURCE)


_catalog = Catalog(LOCALE_DIR, _current.get)
# Compiled at start-up: the first request in English should not wait for Babel.
for _lang in SITE_LANGUAGES:
    _catalog.translations(_lang)


def translations(lang: str) -> gettext_module.NullTranslations:
    return _catalog.translations(lang if lang in SITE_LANGUAGES else SOURCE)


def use(lang: str) -> None:
    """Make `lang` the language of what this request renders."""
    _current.set(lang)


def current() -> str:
    return _current.get()


gettext = _catalog.gettext
ngettext = _catalog.ngettext  # French counts 0 as singular ("trouvé avec 0 indice")
_ = gettext


def _accepted(header: str) -> list[str]:
    """Language codes of an Accept-Language header, most wanted first."""
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")[:20]):
        code, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        code = code.strip().lower().split("-")[0]
        if code and code != "*" and quality > 0:
            weighted.append((-quality, index, code))
    return [code for _q, _i, code in sorted(weighted)]


def choose(request: Request, offered: Sequence[str]) -> str:
    """The language to speak to this request, among `offered` (first one is the default)."""
    languages = [lang for lang in offered if lang] or [SOURCE]
    wanted = request.query_params.get("lang", "")
    if wanted in languages:
        request.session["lang"] = wanted
        return wanted
    remembered = request.session.get("lang")
    if remembered in languages:
        return str(remembered)
    for code in _accepted(request.headers.get("accept-language", "")):
        if code in languages:
            return code
    return languages[0]


_DATE_FORMATS = {
    "fr": "EEEE d MMMM y 'à' HH'h'mm",
    "en": "EEEE d MMMM y 'at' h:mm a",
}


def format_when(value: datetime, tz: object, lang: str) -> str:
    """A date and time as residents read it, in the campaign's time zone."""
    pattern = _DATE_FORMATS.get(lang, _DATE_FORMATS[SOURCE])
    return format_datetime(value, pattern, tzinfo=tz, locale=lang)  # type: ignore[arg-type]


def campaign_languages(campaign: Campaign | None) -> list[str]:
    """The languages a campaign's pages are offered in (the site's own outside a campaign)."""
    if campaign is None:
        return list(SITE_LANGUAGES)
    return list(campaign.languages) or [SOURCE]


def language(request: Request, campaign: Campaign | None) -> str:
    """The language of a campaign's page for this request: the browser's choice among the
    campaign's languages."""
    return choose(request, campaign_languages(campaign))
