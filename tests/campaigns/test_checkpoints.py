"""QR checkpoint tokens: unguessable, stable, and valid for exactly one step of one campaign."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from campaigns.checkpoints import checkpoint_codes, checkpoint_path, checkpoint_token, verify_token
from campaigns.loading import load_text

SECRET = "s3cret-key-of-the-town-hall-0123456789abcdef"


def test_known_vector_is_stable_across_restarts() -> None:
    # Recomputed from hmac directly: a change of encoding would invalidate every printed plate.
    message = b"21:balises-checkpoint-v1" + b"4:jep2" + b"7:borne-3"
    digest = hmac.new(SECRET.encode(), message, hashlib.sha256).digest()
    expected = base64.b32encode(digest).decode().lower()[:16]
    assert checkpoint_token(SECRET, "jep2", "borne-3") == expected
    assert checkpoint_token(SECRET, "jep2", "borne-3") == expected


def test_token_is_url_safe_and_carries_at_least_80_bits() -> None:
    token = checkpoint_token(SECRET, "jep", "borne-3")
    assert len(token) == 16  # 16 base32 characters = 80 bits
    assert set(token) <= set("abcdefghijklmnopqrstuvwxyz234567")


def test_token_verifies_for_its_own_campaign_and_step() -> None:
    token = checkpoint_token(SECRET, "jep", "borne-3")
    assert verify_token(SECRET, "jep", "borne-3", token)
    assert verify_token(SECRET, "jep", "borne-3", token.upper())  # a scanner's upper case


@pytest.mark.parametrize(
    ("campaign", "step", "secret"),
    [
        ("jep", "borne-4", SECRET),  # another step
        ("jep-2027", "borne-3", SECRET),  # another campaign
        ("jep", "borne-3", SECRET + "x"),  # another server's secret
    ],
)
def test_token_is_refused_elsewhere(campaign: str, step: str, secret: str) -> None:
    token = checkpoint_token(SECRET, "jep", "borne-3")
    assert not verify_token(secret, campaign, step, token)


def test_tampered_and_truncated_tokens_are_refused() -> None:
    token = checkpoint_token(SECRET, "jep", "borne-3")
    flipped = ("b" if token[0] == "a" else "a") + token[1:]
    for bad in (flipped, token[:-1], token[:8], token + "a", "", "é" * 16, "../" + token):
        assert not verify_token(SECRET, "jep", "borne-3", bad), bad


def test_ids_cannot_be_shifted_between_campaign_and_step() -> None:
    # "a-b" + "c" and "a" + "b-c" must not share a token.
    assert checkpoint_token(SECRET, "a-b", "c") != checkpoint_token(SECRET, "a", "b-c")
    assert checkpoint_token(SECRET, "ab", "c") != checkpoint_token(SECRET, "a", "bc")


def test_checkpoint_path_is_the_public_url_shape() -> None:
    token = checkpoint_token(SECRET, "jep", "borne-3")
    assert checkpoint_path(SECRET, "jep", "borne-3") == f"/k/jep/borne-3/{token}"


def test_a_checkpoint_reached_by_gps_alone_has_no_code_to_print() -> None:
    text = (
        "version: 1\ncampaigns:\n  - slug: v\n    title: V\n    steps:\n"
        "      - {id: a, type: checkpoint, title: A}\n"
        "      - {id: b, type: checkpoint, title: B, arrive: [qr, gps], where: {lat: 47, lon: 1}}\n"
        "      - {id: c, type: checkpoint, title: C, arrive: [gps], where: {lat: 47, lon: 1}}\n"
    )
    (campaign,) = load_text(text).campaigns
    codes = checkpoint_codes(campaign, "https://balises.example.fr", "s" * 32)
    assert [printed.step_id for printed in codes] == ["a", "b"]
