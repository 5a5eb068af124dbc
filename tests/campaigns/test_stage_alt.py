"""A reveal stage's own alternative text (SPEC "Access"): loaded, checked like any text, and
advised for, without refusing, where one alt serves every stage of a riddle."""

from __future__ import annotations

from pathlib import Path

import pytest

from campaigns import wording
from campaigns.loading import load_file
from tests.balises.test_cli import run_check
from tests.campaigns.rulefiles import check, edit

STAGES = """        reveal:
          - [0.40, 0.10, 0.60, 0.30]
          - full
"""
ONE_ALT_ADVICE = (
    "campaigns.yaml:20:11: steps[0].reveal : attention : ces 2 étapes de la photo n'ont qu'un "
    "texte alternatif, qui en dit d'emblée plus que le premier cadrage ; donnez à chaque étape "
    'le sien ({box: [...], alt: "..."}) pour qu\'une personne aveugle en apprenne autant '
    "qu'une personne voyante à chaque indice"
)


def _with_stages(stages: str) -> str:
    return edit(STAGES, "        reveal:\n" + stages)


def test_a_stage_with_its_own_alt_and_one_without(tmp_path: Path) -> None:
    text = _with_stages(
        '          - {box: [0.40, 0.10, 0.60, 0.30], alt: "Deux fenêtres jumelles en arc."}\n'
        "          - full\n"
    )
    assert check(tmp_path, text) == []
    result = load_file(tmp_path / "campaigns.yaml")
    assert result.advice == []
    tour = result.campaigns[0].steps[0]
    assert tour.reveal[0].box == (0.40, 0.10, 0.60, 0.30)
    assert tour.stage_alt(0) == "Deux fenêtres jumelles en arc."
    assert tour.stage_alt(1) == tour.stage_alt(None) == "Détail d'une tour de pierre"


def test_the_whole_photo_may_have_its_own_alt_too(tmp_path: Path) -> None:
    text = _with_stages(
        '          - {box: [0.40, 0.10, 0.60, 0.30], alt: "Deux fenêtres."}\n'
        '          - {box: full, alt: "Une tour carrée au toit pointu."}\n'
    )
    assert check(tmp_path, text) == []
    tour = load_file(tmp_path / "campaigns.yaml").campaigns[0].steps[0]
    assert tour.stage_alt(None) == "Une tour carrée au toit pointu."


def test_a_riddle_of_several_stages_with_one_alt_is_advised_not_refused(tmp_path: Path) -> None:
    assert check(tmp_path) == []  # the file loads: advice is not a problem
    result = load_file(tmp_path / "campaigns.yaml")
    assert result.campaigns
    printed = [
        str(a).replace(str(tmp_path / "campaigns.yaml"), "campaigns.yaml") for a in result.advice
    ]
    assert printed == [ONE_ALT_ADVICE]


def test_balises_check_prints_the_advice_and_succeeds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    check(tmp_path)
    code, lines, summary = run_check(capsys, str(tmp_path / "campaigns.yaml"))
    assert code == 0
    assert lines == [ONE_ALT_ADVICE.replace("campaigns.yaml", str(tmp_path / "campaigns.yaml"), 1)]
    assert summary == (
        "1 avertissement : vérifiez-le, le fichier reste valable\nok : 1 campagne (jep)\n"
    )


def test_a_stage_alt_that_gives_the_answer_away_is_refused_at_its_line(tmp_path: Path) -> None:
    text = _with_stages(
        "          - box: [0.40, 0.10, 0.60, 0.30]\n"
        '            alt: "Le sommet de la tour Saint-Aubin."\n'
        "          - full\n"
    )
    assert check(tmp_path, text) == [
        "campaigns.yaml:21:18: steps[0].reveal[0].alt : ce texte alternatif dévoile la réponse "
        "('Tour Saint-Aubin') ; reformulez-le"
    ]


def test_a_stage_alt_missing_a_language_of_the_campaign_is_refused(tmp_path: Path) -> None:
    text = edit("    languages: [fr]\n", "    languages: [fr, en]\n")
    text = text.replace("title: Où sommes-nous ?", "title: {fr: Où sommes-nous ?, en: Where?}")
    text = _with_stages(
        "          - box: [0.40, 0.10, 0.60, 0.30]\n"
        "            alt: {fr: Deux fenêtres jumelles.}\n"
        "          - full\n"
    ).replace("    languages: [fr]\n", "    languages: [fr, en]\n")
    problems = [p for p in check(tmp_path, text) if "reveal[0]" in p]
    assert problems == [
        "campaigns.yaml:21:18: steps[0].reveal[0].alt : le texte 'en' manque ; un texte donné "
        "par langue doit donner chaque langue de 'languages' (fr, en)"
    ]


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        (
            '{box: [0.4, 0.1, 2, 0.3], alt: "Deux fenêtres."}',
            "campaigns.yaml:20:13: steps[0].reveal[0] : un cadrage doit être 4 nombres entre 0 "
            "et 1",
        ),
        (
            '{box: [0.4, 0.1], alt: "Deux fenêtres."}',
            "campaigns.yaml:20:19: steps[0].reveal[0].box : un cadrage doit être 4 nombres entre "
            "0 et 1, comme [0.4, 0.1, 0.6, 0.3], ou full",
        ),
        (
            '{box: full, atl: "Deux fenêtres."}',
            "campaigns.yaml:20:25: steps[0].reveal[0] : la clé 'atl' est inconnue ; vouliez-vous "
            "dire 'alt' ?",
        ),
        (
            '{alt: "Deux fenêtres."}',
            "campaigns.yaml:20:13: steps[0].reveal[0] : 'box' manque ; ajoutez-le",
        ),
    ],
)
def test_a_stage_written_as_keys_with_a_mistake(tmp_path: Path, stage: str, expected: str) -> None:
    assert check(tmp_path, _with_stages(f"          - {stage}\n          - full\n")) == [expected]


def test_the_advice_in_english(tmp_path: Path) -> None:
    check(tmp_path)
    with wording.speaking("en"):
        [advice] = load_file(tmp_path / "campaigns.yaml").advice
    assert advice.message == (
        "steps[0].reveal: warning: these 2 stages of the photo have only one alternative text, "
        "which says more than the first crop from the start; give each stage its own "
        '({box: [...], alt: "..."}) so that a blind player learns as much as a sighted one at '
        "each hint"
    )
