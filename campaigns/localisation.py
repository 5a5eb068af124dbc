"""A campaign's place and languages, checked: its time zone exists, its texts speak every language.

A heritage weekend is played in one town's local time, and a bilingual campaign must not show a
resident an English page with a French hole in it. So the time zone must be a real IANA name
(`Europe/Pariss` gets a did-you-mean), every language code must be one Babel knows, and every
text given per language must give exactly the campaign's `languages`.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from campaigns.model import Campaign, Text
from campaigns.suggestions import did_you_mean
from campaigns.wording import _
from campaigns.yamlsource import DocPath

# A problem found, as (path inside the campaign, message, reported at the key rather than
# the value): a stray `de:` is pointed at where the key was typed.
Finding = tuple[DocPath, str, bool]

# Languages a French town's campaign is likely to list, known without loading Babel's data:
# French, its regional languages, and its neighbours' and visitors' languages.
COMMON_LANGUAGES = frozenset(
    [
        "fr",
        "en",
        "de",
        "es",
        "it",
        "nl",
        "pt",
        "br",
        "oc",
        "eu",
        "co",
        "ca",
        "gsw",
        "ar",
        "tr",
        "pl",
        "ro",
        "uk",
        "ru",
        "zh",
        "ja",
    ]
)

STEP_TEXTS = ("title", "text", "alt", "story", "transcript", "prompt", "correct")


@cache
def zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def zone(name: str) -> ZoneInfo | None:
    """The time zone called `name`, or None (zoneinfo refuses paths and unknown keys itself)."""
    try:
        return ZoneInfo(name)
    except (ValueError, OSError, KeyError):
        return None


def known_language(code: str) -> bool:
    """A lowercase ISO 639 code Babel knows (`fr`, `br`, `oc`), not `FR` or `french`."""
    if not (2 <= len(code) <= 3 and code.isascii() and code.isalpha() and code.islower()):
        return False
    if code in COMMON_LANGUAGES:
        return True
    from babel import Locale, UnknownLocaleError  # CLDR data, ~11 ms: only for a rarer code

    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return False
    return True


def locale_problems(c: Campaign) -> Iterator[Finding]:
    """The campaign's time zone, language codes, and the languages of each of its texts."""
    if zone(c.timezone) is None:
        hint = did_you_mean(c.timezone, zone_names()) or _(" ; utilisez un nom comme Europe/Paris")
        message = _("'%(zone)s' n'est pas un fuseau horaire") % {"zone": c.timezone}
        yield ("timezone",), message + hint, False
    if not c.languages:
        yield ("languages",), _("indiquez au moins une langue, comme [fr]"), False
    for k, code in enumerate(c.languages):
        if not known_language(code):
            message = _(
                "'%(code)s' n'est pas un code de langue ; utilisez un code de deux lettres "
                "minuscules comme fr, en, de, br ou oc"
            ) % {"code": code}
            yield ("languages", k), message, False
    for loc, text in texts(c):
        yield from text_languages(loc, text, c.languages)


def texts(c: Campaign) -> Iterator[tuple[DocPath, Text]]:
    """Every human text of the campaign with its path, to check its languages."""
    yield from _fields((), c, ("title", "intro"))
    for k, person in enumerate(c.contributors):
        yield from _fields(("contributors", k), person, ("name", "role"))
    if c.finale:
        yield from _fields(("finale",), c.finale, ("title", "text", "transcript"))
    for j, step in enumerate(c.steps):
        yield from _fields(("steps", j), step, STEP_TEXTS)
        yield from ((("steps", j, "hints", k), hint) for k, hint in enumerate(step.hints))
        yield from ((("steps", j, "choices", k), ch) for k, ch in enumerate(step.choices))
        for k, stage in enumerate(step.reveal):
            if stage.alt is not None:
                yield ("steps", j, "reveal", k, "alt"), stage.alt


def _fields(loc: DocPath, owner: object, names: tuple[str, ...]) -> Iterator[tuple[DocPath, Text]]:
    for name in names:
        value = getattr(owner, name)
        if value is not None:
            yield (*loc, name), value


def text_languages(loc: DocPath, text: Text, languages: list[str]) -> Iterator[Finding]:
    """A text given per language must give every language of the campaign, and only those."""
    if isinstance(text, str):
        return
    listed = ", ".join(languages)
    for code in languages:
        if code not in text:
            message = _(
                "le texte '%(code)s' manque ; un texte donné par langue doit donner chaque "
                "langue de 'languages' (%(listed)s)"
            ) % {"code": code, "listed": listed}
            yield loc, message, False
    for code in text:
        if code not in languages:
            message = _(
                "'%(code)s' n'est pas une des langues de cette campagne (%(listed)s) ; "
                "ajoutez-la à 'languages' ou supprimez ce texte"
            ) % {"code": code, "listed": listed}
            yield (*loc, code), message, True
