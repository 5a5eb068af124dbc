"""Short checkpoint codes (`Code : ABCD-23`): signed like the tokens, readable aloud, and typed
any reasonable way (BAD_INPUTS "Access": lower case, spaces, dashes, O for 0, I for 1)."""

from __future__ import annotations

import re

import pytest

from campaigns.checkpoints import (
    checkpoint_codes,
    checkpoint_token,
    normalise_code,
    short_code,
    verify_code,
)
from campaigns.model import Campaign

SECRET = "s3cret-key-of-the-town-hall-0123456789abcdef"
SHAPE = re.compile(r"^[ABCDEFGHJKMNPQRSTVWXYZ]{4}-[0-9]{2}$")


def test_a_code_is_four_unambiguous_letters_and_two_digits_and_stable() -> None:
    codes = {short_code(SECRET, "jep", f"borne-{n}") for n in range(200)}
    assert all(SHAPE.match(code) for code in codes)
    assert len(codes) == 200  # one per checkpoint
    assert not {"I", "L", "O", "U"} & set("".join(codes))
    assert short_code(SECRET, "jep", "borne-3") == short_code(SECRET, "jep", "borne-3")


def test_the_code_depends_on_the_secret_the_campaign_and_the_step_not_on_the_token() -> None:
    code = short_code(SECRET, "jep", "borne-3")
    assert short_code(SECRET + "x", "jep", "borne-3") != code
    assert short_code(SECRET, "jep2", "borne-3") != code
    assert short_code(SECRET, "jep", "borne-4") != code
    assert code.replace("-", "").lower() not in checkpoint_token(SECRET, "jep", "borne-3")


def _typings(code: str) -> list[str]:
    letters, digits = code.split("-")
    return [
        code,
        code.lower(),
        f" {letters} {digits} ",
        letters + digits,
        f"{letters}–{digits}",  # an en dash from a phone keyboard
        f"{letters[:2]} {letters[2:]}-{digits}",
        f"{letters}\u00a0{digits}",
        "".join(chr(ord(c) + 0xFEE0) for c in letters + digits),  # full-width characters
        f"{letters}-{digits.replace('0', 'O').replace('1', 'I')}",
        f"{letters}-{digits.replace('1', 'l')}",
    ]


@pytest.mark.parametrize("step", [f"borne-{n}" for n in range(30)])
def test_a_code_typed_any_reasonable_way_opens_its_checkpoint(step: str) -> None:
    code = short_code(SECRET, "jep", step)
    for typed in _typings(code):
        assert verify_code(SECRET, "jep", step, typed), typed


def test_o_and_i_are_read_as_digits() -> None:
    assert normalise_code("abcd-1o") == "ABCD10"
    assert normalise_code("AB CD–I0") == "ABCD10"


@pytest.mark.parametrize(
    "typed", ["", "ABCD-23", "ABCD-2", "x" * 5000, "' OR 1=1 --", "\x00\ud800", "🙂🙂🙂"]
)
def test_a_wrong_code_is_simply_wrong(typed: str) -> None:
    code = short_code(SECRET, "jep", "borne-3")
    if normalise_code(typed) == normalise_code(code):
        pytest.skip("the random code happens to be this one")
    assert not verify_code(SECRET, "jep", "borne-3", typed)


def test_another_checkpoints_code_does_not_open_this_one() -> None:
    assert not verify_code(SECRET, "jep", "borne-3", short_code(SECRET, "jep", "borne-4"))


def test_what_is_printed_carries_the_code_of_every_checkpoint() -> None:
    campaign = Campaign.model_validate(
        {
            "slug": "jep",
            "title": "JEP",
            "steps": [
                {"id": "borne-1", "type": "checkpoint", "title": "Borne 1"},
                {"id": "texte", "type": "story", "title": "Texte"},
                {"id": "borne-2", "type": "checkpoint", "title": "Borne 2"},
            ],
        }
    )
    printed = checkpoint_codes(campaign, "https://balises.example.fr/", SECRET)
    assert [(p.step_id, p.title, p.code) for p in printed] == [
        ("borne-1", "Borne 1", short_code(SECRET, "jep", "borne-1")),
        ("borne-2", "Borne 2", short_code(SECRET, "jep", "borne-2")),
    ]
