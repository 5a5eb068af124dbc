"""`agreement: N` on an identify step: how many distinct residents make a consensus, checked
with the CM's own words."""

from __future__ import annotations

from pathlib import Path

from tests.campaigns.rulefiles import check, edit

IDENTIFY = "type: identify\n        photo: tour.jpg\n        alt: Une rue\n        agreement: {n}\n"


def test_an_identify_step_may_ask_for_three_residents(tmp_path: Path) -> None:
    assert check(tmp_path, edit("type: checkpoint\n", IDENTIFY.format(n=3))) == []


def test_agreement_must_be_a_whole_number(tmp_path: Path) -> None:
    assert check(tmp_path, edit("type: checkpoint\n", IDENTIFY.format(n="trois"))) == [
        "campaigns.yaml:29:20: steps[1].agreement : 'trois' n'est pas un nombre entier ; écrivez"
        " combien d'habitants distincts doivent proposer la même chose, comme 'agreement: 3'"
    ]


def test_a_consensus_of_one_resident_is_refused(tmp_path: Path) -> None:
    assert check(tmp_path, edit("type: checkpoint\n", IDENTIFY.format(n=1))) == [
        "campaigns.yaml:29:20: steps[1].agreement : 'agreement' est le nombre d'habitants"
        " distincts qui doivent proposer la même chose : entre 2 et 100"
    ]


def test_only_an_identify_step_has_agreement(tmp_path: Path) -> None:
    text = edit("type: checkpoint\n", "type: checkpoint\n        agreement: 3\n")
    assert check(tmp_path, text) == [
        "campaigns.yaml:27:20: steps[1].agreement : seule une étape de type identify a"
        " 'agreement' ; supprimez-le"
    ]
