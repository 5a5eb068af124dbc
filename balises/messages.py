"""What the command line says, in the language of the CM's terminal: French, or English.

The messages are written in French (`_()`, `ngettext()`) and `balises/locale/en/LC_MESSAGES/
messages.po` translates them. The language is read from the environment the way gettext reads
it (`LANGUAGE`, then `LC_ALL`, `LC_MESSAGES`, `LANG`: the first one set decides), at each
message, so a test or a script can switch it. French unless that variable asks for English:
`LANG=C.UTF-8` is French. The English catalog is only compiled when English is asked for, so a
French `balises check` never loads Babel.
"""

from __future__ import annotations

import os
from pathlib import Path

from balises.catalogs import SOURCE, Catalog

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = (SOURCE, "en")
_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def language() -> str:
    """The language the terminal asks for, among the command line's; French by default."""
    for variable in _VARIABLES:
        value = os.environ.get(variable, "")
        if not value:
            continue
        for wanted in value.split(":"):
            code = wanted.split(".")[0].split("@")[0].split("_")[0].lower()
            if code in LANGUAGES:
                return code
        return SOURCE
    return SOURCE


_catalog = Catalog(LOCALE_DIR, language)
gettext = _catalog.gettext
ngettext = _catalog.ngettext
_ = gettext


def said(who: str, message: str) -> str:
    """`balises qr : …` in French, `balises qr: …` in English: who speaks, then what."""
    return gettext("%(who)s : %(message)s") % {"who": who, "message": message}
