"""Deciding whether a resident's typed answer is one of a step's accepted answers.

Residents type on a phone, outdoors, in a hurry: capitals, accents, hyphens, "St" for "Saint"
and a leading "la" must never cost them the answer. Typos are forgiven by the step's
`tolerance`, but only inside words long enough that one wrong letter cannot turn them into
another place: "Tours" is not "Tour", "Pont" is not "Pont Wilson", "1913" is not "1912".

Tolerance thresholds (lengths count letters and digits, spaces excluded):

- `strict`: the normalised guess must equal a normalised answer.
- `normal`: one typo (insertion, deletion, substitution or swap of two neighbouring letters)
  when the answer has at least 8 characters, inside a word of at least 5 letters.
- `lenient`: one typo from 6 characters, two from 10, inside words of at least 4 letters
  (two typos in one word need a word of at least 8 letters).

In every level the guess must have the same number of words as the answer (a missing or extra
word is not a typo), and words holding a digit (years, numbers) must be exact. Two places one
letter apart in a long word ("Saint-Aubin", "Saint-Albin") cannot be told from a typo: a CM who
needs that distinction sets `tolerance: strict` on the step.

`matches` only answers yes or no: a player is never told which accepted answer was closest.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from campaigns.model import Tolerance

MAX_ANSWER_LENGTH = 200

# Invisible characters phones and copy-paste slip into text (zero-width space/joiners, word
# joiner, BOM, soft hyphen, Mongolian vowel separator).
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"), None)

# Letters that casefolding and accent stripping leave whole.
_LETTERS = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th"})

_NOT_WORD = re.compile(r"[\W_]+")

# Leading articles, as word sequences after punctuation became spaces ("l'" is "l").
_ARTICLES: tuple[tuple[str, ...], ...] = (
    ("de", "la"),  # before "de": "de la Tour" drops both words
    ("le",),
    ("la",),
    ("les",),
    ("l",),
    ("un",),
    ("une",),
    ("des",),
    ("du",),
    ("d",),
    ("the",),
    ("a",),
    ("an",),
)

# Abbreviations of French street and place names, expanded word by word. Single letters that
# are often initials ("R." for a first name) are left alone.
_ABBREVIATIONS: dict[str, str] = {
    "st": "saint",
    "ste": "sainte",
    "sts": "saints",
    "stes": "saintes",
    "bd": "boulevard",
    "bld": "boulevard",
    "bvd": "boulevard",
    "av": "avenue",
    "ave": "avenue",
    "pl": "place",
    "mgr": "monseigneur",
    "fg": "faubourg",
    "fbg": "faubourg",
    "imp": "impasse",
    "rte": "route",
    "sq": "square",
    "mt": "mont",
    "dr": "docteur",
}
# "N.-D." becomes the words "n d".
_TWO_WORD_ABBREVIATIONS: dict[tuple[str, str], tuple[str, str]] = {("n", "d"): ("notre", "dame")}


@lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    """The comparable form of an answer: lower case, unaccented words of letters and digits."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_LETTERS)
    words = _NOT_WORD.sub(" ", text).split()
    words = _drop_article(words)
    return " ".join(_expand(words))


def _drop_article(words: list[str]) -> list[str]:
    """Drop one leading article, unless it is the whole answer."""
    for article in _ARTICLES:
        if len(words) > len(article) and tuple(words[: len(article)]) == article:
            return words[len(article) :]
    return words


def _expand(words: list[str]) -> list[str]:
    expanded: list[str] = []
    i = 0
    while i < len(words):
        if i + 1 < len(words) and (pair := (words[i], words[i + 1])) in _TWO_WORD_ABBREVIATIONS:
            expanded.extend(_TWO_WORD_ABBREVIATIONS[pair])
            i += 2
            continue
        expanded.append(_ABBREVIATIONS.get(words[i], words[i]))
        i += 1
    return expanded


def matches(guess: str, answers: Sequence[str], tolerance: Tolerance | str = "normal") -> bool:
    """Whether `guess` is one of `answers`, forgiving typos as `tolerance` allows."""
    level = Tolerance(tolerance)
    if not guess.strip() or len(guess) > MAX_ANSWER_LENGTH:
        return False
    typed = normalise(guess)
    if not typed:
        return False
    for answer in answers:
        expected = normalise(answer)
        if expected and _close_enough(typed, expected, level):
            return True
    return False


def _close_enough(typed: str, expected: str, level: Tolerance) -> bool:
    if typed == expected or typed.replace(" ", "") == expected.replace(" ", ""):
        return True
    if level is Tolerance.strict:
        return False
    typed_words, expected_words = typed.split(), expected.split()
    if len(typed_words) != len(expected_words):
        return False
    budget = _budget(len(expected.replace(" ", "")), level)
    spent = 0
    for got, want in zip(typed_words, expected_words, strict=True):
        if got == want:
            continue
        if _has_digit(got) or _has_digit(want):
            return False
        from rapidfuzz.distance import OSA  # here: ~58 ms that `balises check` never needs

        distance = OSA.distance(got, want, score_cutoff=2)
        if distance > _word_allowance(len(want), level):
            return False
        spent += distance
        if spent > budget:
            return False
    return True


def _budget(length: int, level: Tolerance) -> int:
    """How many typos the whole answer may hold."""
    if level is Tolerance.normal:
        return 1 if length >= 8 else 0
    if level is Tolerance.lenient:
        return 2 if length >= 10 else 1 if length >= 6 else 0
    return 0


def _word_allowance(length: int, level: Tolerance) -> int:
    """How many typos one word of the answer may hold: short words carry their meaning whole."""
    if level is Tolerance.normal:
        return 1 if length >= 5 else 0
    if level is Tolerance.lenient:
        return 2 if length >= 8 else 1 if length >= 4 else 0
    return 0


def _has_digit(word: str) -> bool:
    return any(c.isdigit() for c in word)


def contains_answer(text: str, answers: Sequence[str]) -> str | None:
    """The accepted answer that `text` gives away, if any.

    Used to refuse hints, titles and alt texts that would show the answer: an answer counts as
    given away when its normalised words appear, whole, in the normalised text.
    """
    haystack = f" {normalise(text)} "
    for answer in answers:
        needle = normalise(answer)
        if needle and f" {needle} " in haystack:
            return answer
    return None
