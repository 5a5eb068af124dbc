"""gettext catalogs compiled in memory from `.po` files, French being the source language.

Both the site (`web.i18n`) and the command line (`balises.messages`) speak French in their source
and read their other languages from a `.po` file: compiling it at run time (with Babel, no
Starlette) spares a build step, so a `.po` edit shows up at the next start or the next command.
"""

from __future__ import annotations

import gettext
from io import BytesIO
from pathlib import Path

SOURCE = "fr"


def compile_po(path: Path, lang: str) -> gettext.NullTranslations:
    """The catalog of `path` for `lang`; no translation at all when the file is missing."""
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
