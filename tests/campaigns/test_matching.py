"""Answer matching: what a resident types on a phone against the answers a CM wrote."""

from __future__ import annotations

import pytest

from campaigns.matching import MAX_ANSWER_LENGTH, contains_answer, matches, normalise
from campaigns.model import Tolerance

S, N, L = "strict", "normal", "lenient"

# (accepted answers, what the player typed, {tolerance: accepted?})
ALL = {S: True, N: True, L: True}
NONE = {S: False, N: False, L: False}
TYPO_OK = {S: False, N: True, L: True}  # a typo forgiven from `normal` up
LENIENT_ONLY = {S: False, N: False, L: True}

CASES: list[tuple[list[str], str, dict[str, bool]]] = [
    # Case, accents, punctuation, spacing: accepted at every level.
    (["Tour Saint-Aubin", "Saint-Aubin"], "tour saint aubin", ALL),
    (["Tour Saint-Aubin", "Saint-Aubin"], "SAINT-AUBIN", ALL),
    (["Tour Saint-Aubin", "Saint-Aubin"], "  Tour   Saint Aubin  ", ALL),
    (["Tour Saint-Aubin"], "Tour St-Aubin", ALL),
    (["Tour Saint-Aubin"], "tour st. aubin", ALL),
    (["Église Saint-Martin"], "  ÉGLISE  St-Martin ", ALL),
    (["eglise saint martin"], "  ÉGLISE  St-Martin ", ALL),
    (["Église Saint-Martin"], "e\u0301glise saint-martin", ALL),  # decomposed accent
    (["Église Saint-Martin"], "eglise\u200b saint\u200d-mar\u2060tin\ufeff", ALL),
    (["Église Saint-Martin"], "Eglise Saint–Martin", ALL),  # en dash
    (["Place du Ralliement"], "place du ralliement!", ALL),
    (["Place du Ralliement"], "Pl. du Ralliement", ALL),
    (["Place du Ralliement"], "la place du ralliement", ALL),
    (["Boulevard Foch"], "Bd Foch", ALL),
    (["Boulevard Foch"], "bd. foch", ALL),
    (["Avenue de la République"], "av. de la republique", ALL),
    (["Château d'Angers"], "chateau d angers", ALL),
    (["Château d'Angers"], "Le château d’Angers", ALL),  # typographic apostrophe
    (["Château d'Angers"], "CHATEAU D'ANGERS", ALL),
    (["Notre-Dame"], "notre dame", ALL),
    (["Notre-Dame"], "Notredame", ALL),
    (["Notre-Dame de Paris"], "N.-D. de Paris", ALL),
    (["L'Hôtel de Ville"], "hotel de ville", ALL),
    (["L'Hôtel de Ville"], "l'hôtel de ville", ALL),
    (["L'Hôtel de Ville"], "L’HÔTEL-DE-VILLE", ALL),
    (["The Old Bridge"], "old bridge", ALL),
    (["The Old Bridge"], "the old bridge.", ALL),
    (["Old Bridge"], "An old bridge", ALL),
    (["La Rochelle"], "Rochelle", ALL),
    (["Les Sables-d'Olonne"], "sables d'olonne", ALL),
    (["Sainte-Radegonde"], "Ste Radegonde", ALL),
    (["Monseigneur Rumeau"], "Mgr Rumeau", ALL),
    (["Cœur de ville"], "coeur de ville", ALL),
    (["1912"], "1912", ALL),
    (["1912"], " 1912. ", ALL),
    (["Quai de la Fosse"], "Quai de la Fosse", ALL),
    (["Pont Wilson"], "pont-wilson", ALL),
    # One typo in a long answer: forgiven from `normal` up.
    (["Place du Ralliement"], "Place du Raliement", TYPO_OK),
    (["Place du Ralliement"], "Plcae du Ralliement", TYPO_OK),
    (["Tour Saint-Aubin"], "Tour Saint-Aubn", TYPO_OK),
    (["Tour Saint-Aubin"], "Tour Saitn-Aubin", TYPO_OK),  # swapped letters
    (["Boulevard Foch"], "Boulvard Foch", TYPO_OK),
    (["Église Saint-Martin"], "Eglise Saint-Martn", TYPO_OK),
    (["Cathédrale Saint-Maurice"], "cathedrale saint maurise", TYPO_OK),
    (["Pont Wilson"], "Pont Wilsonn", TYPO_OK),
    (["Ralliement"], "Raliement", TYPO_OK),
    (["Saint-Aubin"], "Saint-Albin", TYPO_OK),  # one letter apart: strict tells them apart
    # Two typos, or a typo in a shorter answer: only `lenient`.
    (["Tour Saint-Aubin"], "Tuor Saint-Aubn", LENIENT_ONLY),
    (["Château d'Angers"], "Chateu d'Angres", LENIENT_ONLY),
    (["Cathédrale"], "Catedrale", TYPO_OK),
    (["Cathédrale"], "Katedrale", LENIENT_ONLY),
    (["Guépin"], "Guepim", LENIENT_ONLY),
    (["Boulevard Foch"], "Boulevard Fosh", LENIENT_ONLY),  # 4-letter word: lenient only
    # A part of the answer, a whole word more or less, another word: never.
    (["Pont Wilson"], "Pont", NONE),
    (["Pont Wilson"], "Wilson", NONE),
    (["Pont Wilson"], "Pont Wilson Tours", NONE),
    (["Tour Saint-Aubin"], "Tour", NONE),
    (["Tour Saint-Aubin"], "Tour Saint", NONE),
    (["Tour"], "Tours", NONE),
    (["Tours"], "Tour", NONE),
    (["Place du Ralliement"], "Place Ralliement", NONE),
    (["Place du Ralliement"], "Place de Ralliement", NONE),  # "du" is too short for a typo
    (["Boulevard Foch"], "Rue Foch", NONE),
    (["Boulevard Foch"], "Boulevard Joffre", NONE),
    (["Château d'Angers"], "Château de Tours", NONE),
    (["Église Saint-Martin"], "Église Saint-Maurice", NONE),
    (["Notre-Dame"], "Notre", NONE),
    (["1912"], "1913", NONE),
    (["1912"], "19122", NONE),
    (["Rue du 11 Novembre 1918"], "Rue du 11 Novembre 1919", NONE),
    (["Rue du 11 Novembre 1918"], "Rue du 11 Novembre 1918", ALL),
    (["Rue du 11 Novembre 1918"], "Rue du 11 Novembr 1918", TYPO_OK),
    (["Pont Wilson"], "Pont Wislon", TYPO_OK),
    (["Pont Wilson"], "Pnot Wislon", LENIENT_ONLY),
    (["Pont Wilson"], "Pont Welsin", NONE),  # two typos in one 6-letter word
    (["Nantes"], "Nante", LENIENT_ONLY),
    (["Angers"], "Anger", LENIENT_ONLY),
    (["Bordeaux"], "Bordeau", TYPO_OK),
    # Nothing typed is never an answer.
    (["Pont Wilson"], "", NONE),
    (["Pont Wilson"], "   ", NONE),
    (["Pont Wilson"], "?!…", NONE),
    (["Pont Wilson"], "\u200b\u200b", NONE),
    (["", "  "], "", NONE),  # an empty accepted answer accepts nothing
    (["", "Pont Wilson"], "-", NONE),
]


@pytest.mark.parametrize("tolerance", [S, N, L])
@pytest.mark.parametrize(("answers", "guess", "expected"), CASES)
def test_matches(answers: list[str], guess: str, expected: dict[str, bool], tolerance: str) -> None:
    assert matches(guess, answers, tolerance) is expected[tolerance]


def test_there_are_enough_real_cases() -> None:
    assert len(CASES) >= 60


def test_tolerance_enum_and_default() -> None:
    assert matches("Place du Raliement", ["Place du Ralliement"], Tolerance.normal)
    assert not matches("Place du Raliement", ["Place du Ralliement"], Tolerance.strict)
    assert matches("Place du Raliement", ["Place du Ralliement"])  # default is normal


def test_unknown_tolerance_is_refused() -> None:
    with pytest.raises(ValueError):
        matches("Pont Wilson", ["Pont Wilson"], "generous")


def test_any_accepted_answer_matches_and_only_a_bool_comes_back() -> None:
    answers = ["Tour Saint-Aubin", "Saint-Aubin", "Abbaye Saint-Aubin"]
    assert matches("abbaye st aubin", answers) is True
    assert matches("abbaye", answers) is False


def test_overlong_answer_is_refused_quickly() -> None:
    assert not matches("a" * 100_000, ["a" * 100_000], "lenient")
    assert matches("x" * MAX_ANSWER_LENGTH, ["x" * MAX_ANSWER_LENGTH], "strict")
    assert not matches("x" * (MAX_ANSWER_LENGTH + 1), ["x" * (MAX_ANSWER_LENGTH + 1)], "strict")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  ÉGLISE  St-Martin ", "eglise saint martin"),
        ("L'Hôtel de Ville", "hotel de ville"),
        ("De la Tour", "tour"),
        ("Le", "le"),  # an article alone stays: it is the whole answer
        ("Les Les", "les"),  # only one article is dropped
        ("N.-D. de Paris", "notre dame de paris"),
        ("Rue\u00a0d’Alsace", "rue d alsace"),  # no-break space, typographic apostrophe
        ("ﬁef", "fief"),  # NFKC ligature
        ("Straße", "strasse"),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize(
    ("text", "answers", "expected"),
    [
        ("Elle a perdu son abbaye, pas sa hauteur.", ["Tour Saint-Aubin", "Saint-Aubin"], None),
        (
            "Photo de la tour St-Aubin vers 1910",
            ["Tour Saint-Aubin", "Saint-Aubin"],
            "Tour Saint-Aubin",
        ),
        ("Détail de l'abbaye Saint Aubin", ["Tour Saint-Aubin", "Saint-Aubin"], "Saint-Aubin"),
        ("Le pont Wilsonien", ["Pont Wilson"], None),  # whole words only
        ("Vue du pont en 1912", ["1912"], "1912"),
        ("Vue du pont en 19120", ["1912"], None),
        ("Anything at all", ["", " - "], None),  # empty answers never count as given away
        ("Le Pont Wilson", ["Pont Wilson"], "Pont Wilson"),
    ],
)
def test_contains_answer(text: str, answers: list[str], expected: str | None) -> None:
    assert contains_answer(text, answers) == expected
