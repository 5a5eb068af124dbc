"""Editing a live campaign: the steps a reload takes away are named, so a CM can put them back."""

from __future__ import annotations

from typing import Any

from campaigns.changes import removal_warning, removed_steps
from campaigns.model import Campaign
from tests.factories import make_campaign, make_step


def campaign(*step_ids: str, slug: str = "ou-sommes-nous") -> Campaign:
    steps: list[dict[str, Any]] = [
        {"id": step_id, "type": "story", "title": step_id} for step_id in step_ids
    ]
    return Campaign.model_validate(make_campaign(slug=slug, steps=steps))


def test_an_unchanged_campaign_removes_nothing() -> None:
    live = Campaign.model_validate(make_campaign())
    assert removed_steps(live, live) == []
    assert removal_warning(live, live) is None


def test_a_removed_step_is_named() -> None:
    assert removed_steps(campaign("tour", "borne-3", "merci-a-vous"), campaign("tour")) == [
        "borne-3",
        "merci-a-vous",
    ]


def test_a_renamed_step_counts_as_removed() -> None:
    # BAD_INPUTS 8: progress is keyed on the old id, so a rename must be flagged.
    old = Campaign.model_validate(make_campaign())
    renamed = make_campaign(steps=[make_step(id="tour-saint-aubin"), *make_campaign()["steps"][1:]])
    assert removed_steps(old, Campaign.model_validate(renamed)) == ["tour"]


def test_added_and_reordered_steps_remove_nothing() -> None:
    assert removed_steps(campaign("tour", "pont"), campaign("pont", "eglise", "tour")) == []


def test_removed_ids_keep_the_old_order_and_appear_once() -> None:
    # A file with a duplicate id is refused by the loader, but the helper must not repeat it.
    old = Campaign.model_validate(
        make_campaign(
            steps=[
                {"id": "pont", "type": "story", "title": "a"},
                {"id": "tour", "type": "story", "title": "b"},
                {"id": "pont", "type": "story", "title": "c"},
            ]
        )
    )
    assert removed_steps(old, campaign("eglise")) == ["pont", "tour"]


def test_warning_names_the_campaign_and_the_removed_step() -> None:
    assert removal_warning(campaign("tour", "borne-3"), campaign("tour", slug="jep")) == (
        "campagne 'jep' : l'étape 'borne-3' n'est plus dans le fichier ; les réponses des joueurs "
        "à cette étape sont gardées, mais sa page et son code QR ne s'ouvrent plus ; si vous "
        "l'avez seulement renommée, rendez-lui son ancien id"
    )


def test_warning_names_every_removed_step() -> None:
    assert removal_warning(campaign("tour", "pont", "eglise"), campaign("eglise")) == (
        "campagne 'ou-sommes-nous' : les étapes 'tour', 'pont' ne sont plus dans le fichier ; les "
        "réponses des joueurs à ces étapes sont gardées, mais leurs pages et leurs codes QR ne "
        "s'ouvrent plus ; si vous les avez seulement renommées, rendez-leur leurs anciens ids"
    )
