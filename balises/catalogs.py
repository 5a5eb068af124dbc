"""gettext catalogs compiled in memory from `.po` files, French being the source language.

The site (`web.i18n`), the campaign checks (`campaigns.wording`) and the command line
(`balises.messages`) speak French in their source and read their other languages from a `.po`
file, each through a `Catalog`: compiling it at run time (with Babel, no
Starlette) spares a build step, so a `.po` edit shows up at the next start or the next command.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

SOURCE = "fr"


def compile_po(path: Path, lang: str) -> gettext.NullTranslations:
    """The catalog of `path` for `lang`; no translation at all when the file is missing."""
    # Not at import: Babel costs ~25 ms, which a French `balises check` never pays.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    if not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=lang)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def plural(
    translations: gettext.NullTranslations, lang: str, singular: str, plural: str, n: int
) -> str:
    """`ngettext` with French's own rule for the source: 0 is singular ("0 problème trouvé")."""
    if lang == SOURCE:
        return singular if n in (0, 1) else plural
    return translations.ngettext(singular, plural, n)


class Catalog:
    """One package's messages: `gettext` and `ngettext` in the language `language()` says,
    French as written, any other from `<locale_dir>/<lang>/LC_MESSAGES/messages.po`, compiled
    the first time it is asked for (a French command never loads Babel)."""

    def __init__(self, locale_dir: Path, language: Callable[[], str]) -> None:
        self.locale_dir = locale_dir
        self.language = language
        self._compiled: dict[str, gettext.NullTranslations] = {SOURCE: gettext.NullTranslations()}

    def translations(self, lang: str) -> gettext.NullTranslations:
        found = self._compiled.get(lang)
        if found is None:
            path = self.locale_dir / lang / "LC_MESSAGES" / "messages.po"
            found = self._compiled[lang] = compile_po(path, lang)
        return found

    def gettext(self, message: str) -> str:
        return self.translations(self.language()).gettext(message)

    def ngettext(self, singular: str, plural_form: str, n: int) -> str:
        lang = self.language()
        return plural(self.translations(lang), lang, singular, plural_form, n)
