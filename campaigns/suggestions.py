"""Did-you-mean: the closest known word to a CM's typo, so an error says how to fix it.

`anwser` → `answers`, `Europe/Pariss` → `Europe/Paris`, `archive` → `archives`: a message that
names the right word saves a round trip to the documentation.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

from campaigns.wording import _


def closest(word: str, options: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The known option most like `word` (case ignored), or None when nothing is close."""
    by_folded = {option.casefold(): option for option in options}
    found = difflib.get_close_matches(word.casefold(), list(by_folded), n=1, cutoff=cutoff)
    return by_folded[found[0]] if found else None


def did_you_mean(word: str, options: Iterable[str], cutoff: float = 0.6) -> str:
    """`" ; vouliez-vous dire 'answers' ?"`, or an empty string when no option is close."""
    found = closest(word, options, cutoff)
    if not found or found == word:
        return ""
    return _(" ; vouliez-vous dire '%(word)s' ?") % {"word": found}


def slug_like(text: str) -> str:
    """`"Tour Saint-Aubin"` as an id a CM could use: `tour-saint-aubin`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:64].strip("-")
