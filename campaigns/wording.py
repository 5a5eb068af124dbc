"""What the campaign checks say, in the reader's language: French, or English from a catalog.

Every problem is written in French (`_()`, `ngettext()`), the source language of the whole
project, and `campaigns/locale/en/LC_MESSAGES/messages.po` translates it. This room cannot ask
the terminal or a request which language to speak, so whoever reads the problems chooses it
before checking (`speaking("en")`, `use("en")`): the command line its terminal's language, the
staff pages their page's language. The choice is a context variable, so two requests checking
files at the same time do not mix their languages. The English catalog is compiled (with Babel)
the first time English is asked for, so a French `balises check` never loads Babel.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from balises.catalogs import SOURCE as SOURCE
from balises.catalogs import Catalog

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = (SOURCE, "en")

_language: ContextVar[str] = ContextVar("campaigns_language", default=SOURCE)


def use(lang: str) -> None:
    """Speak `lang` from now on in this context; a language the checks do not speak is French."""
    _language.set(lang if lang in LANGUAGES else SOURCE)


def current() -> str:
    return _language.get()


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Speak `lang` inside the `with` block only."""
    token = _language.set(lang if lang in LANGUAGES else SOURCE)
    try:
        yield
    finally:
        _language.reset(token)


_catalog = Catalog(LOCALE_DIR, _language.get)
gettext = _catalog.gettext
ngettext = _catalog.ngettext
_ = gettext
