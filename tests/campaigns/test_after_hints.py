"""`after_hints` in a campaign file: what a player may do after a step's last hint, checked as
`balises check` prints it."""

from __future__ import annotations

from pathlib import Path

from campaigns.loading import load_file
from campaigns.model import AfterHints
from tests.campaigns.rulefiles import BASE, check, edit


def test_the_default_is_to_let_players_pass_and_a_step_may_show_its_answer(
    tmp_path: Path,
) -> None:
    text = edit(
        "        hints: [Elle a perdu son abbaye.]\n",
        "        hints: [Elle a perdu son abbaye.]\n        after_hints: answer\n",
    )
    assert check(tmp_path, text) == []
    [campaign] = load_file(tmp_path / "campaigns.yaml").campaigns
    tour, _borne, quiz = campaign.steps
    assert campaign.after_hints_of(tour) is AfterHints.answer
    assert campaign.after_hints_of(quiz) is AfterHints.skip


def test_a_campaign_wide_after_hints_and_a_step_that_overrides_it(tmp_path: Path) -> None:
    text = edit("    languages: [fr]\n", "    languages: [fr]\n    after_hints: answer\n")
    text = edit(
        '        correct: "1950"\n', '        correct: "1950"\n        after_hints: skip\n', text
    )
    assert check(tmp_path, text) == []
    [campaign] = load_file(tmp_path / "campaigns.yaml").campaigns
    tour, _borne, quiz = campaign.steps
    assert campaign.after_hints_of(tour) is AfterHints.answer
    assert campaign.after_hints_of(quiz) is AfterHints.skip


def test_an_unknown_after_hints_value(tmp_path: Path) -> None:
    text = edit("    languages: [fr]\n", "    languages: [fr]\n    after_hints: reponse\n")
    assert check(tmp_path, text) == [
        "campaigns.yaml:9:18: after_hints : 'reponse' n'est pas une valeur permise pour "
        "after_hints (utilisez skip ou answer)"
    ]


def test_after_hints_on_a_step_without_hints_to_run_out_of(tmp_path: Path) -> None:
    text = edit("        title: Borne 3\n", "        title: Borne 3\n        after_hints: answer\n")
    assert check(tmp_path, text) == [
        "campaigns.yaml:28:22: steps[1].after_hints : seule une énigme ou une question a "
        "'after_hints' (ce que le joueur peut faire après le dernier indice) ; supprimez-le"
    ]


def test_base_is_unchanged() -> None:
    assert "after_hints" not in BASE
