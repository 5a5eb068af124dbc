"""Text responses compressed (brotli when asked for, else gzip); images sent as they are."""

from __future__ import annotations

import gzip
import re

import brotli
import pytest

from tests.web.conftest import World
from web.compression import chosen_encoding


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip, deflate", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("identity", None),
        ("", None),
    ],
)
def test_the_encoding_the_browser_asked_for(header: str, expected: str | None) -> None:
    assert chosen_encoding(header) == expected


def test_a_page_in_brotli(world: World) -> None:
    client = world.client()
    plain = client.get("/donnees-personnelles", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert "Accept-Encoding" in plain.headers["vary"]
    packed = client.get("/donnees-personnelles", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed.headers["content-encoding"] == "br"
    assert packed.headers["vary"].endswith(", Accept-Encoding")
    assert int(packed.headers["content-length"]) < len(plain.content) / 2
    assert packed.text == plain.text  # decoded by the client


def test_a_stylesheet_in_gzip(world: World) -> None:
    client = world.client()
    href = re.search(r'href="(/static/balises\.[0-9a-f]{10}\.css)"', client.get("/").text)
    assert href is not None
    raw = client.stream("GET", href.group(1), headers={"Accept-Encoding": "gzip"})
    with raw as response:
        body = b"".join(response.iter_raw())
        assert response.headers["content-encoding"] == "gzip"
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert gzip.decompress(body).startswith(b"/* Balises player site")


def test_the_brotli_body_is_brotli(world: World) -> None:
    with world.client().stream("GET", "/accessibilite", headers={"Accept-Encoding": "br"}) as r:
        body = b"".join(r.iter_raw())
    assert brotli.decompress(body).decode().startswith("<!doctype html>")


def test_images_are_not_compressed_again(world: World) -> None:
    card = world.client().get("/c/ou-sommes-nous/partage.png", headers={"Accept-Encoding": "br"})
    assert card.status_code == 200
    assert "content-encoding" not in card.headers
