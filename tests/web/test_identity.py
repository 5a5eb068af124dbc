"""The city's `site.yaml` on the site: its name in the header, titles, share cards and PDFs,
its colour and logo, its icons; without it (or while it has problems) the site is Balises."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from media.cards import render_card
from tests.sitefiles import edited, png_logo, write_site
from tests.web.conftest import World
from tests.web.staff.conftest import CM_PASSWORD, add_user, login

NAME = "Ville de Val-de-Loir"
STATIC = re.compile(r'href="(/static/site/colours\.[0-9a-f]{10}\.css)"')


def test_the_name_replaces_balises(campaign_dir: Path, make_world: Callable[..., World]) -> None:
    write_site(campaign_dir)
    client = make_world().client()
    home = client.get("/").text
    assert f"<title>{NAME} — jeux de piste et énigmes de votre ville</title>" in home
    assert re.search(
        rf'<a class="brand" href="/"><img src="/static/site/logo\.[0-9a-f]{{10}}'
        rf'\.svg" alt="" height="32">{NAME}</a>',
        home,
    )
    step = client.get("/c/ou-sommes-nous").text
    assert f"<title>Où sommes-nous ? Journées du patrimoine · {NAME}</title>" in step
    assert f'<meta property="og:site_name" content="{NAME}">' in step
    assert "Balises" not in home.split("<main")[0]


def test_without_site_yaml_the_site_is_balises(world: World) -> None:
    home = world.client().get("/").text
    assert "<title>Balises — jeux de piste et énigmes de votre ville</title>" in home
    assert '<a class="brand" href="/">Balises</a>' in home


def test_a_site_yaml_with_problems_is_not_used(
    campaign_dir: Path, make_world: Callable[..., World], caplog: pytest.LogCaptureFixture
) -> None:
    write_site(campaign_dir, edited(colour='"#7fb0a0"'))
    world = make_world()
    home = world.client().get("/").text
    assert '<a class="brand" href="/">Balises</a>' in home
    logged = [r.getMessage() for r in caplog.records]
    assert any("site.yaml:6:11: site.colour : la couleur #7fb0a0" in m for m in logged)


def test_the_colour_is_the_accent(campaign_dir: Path, make_world: Callable[..., World]) -> None:
    write_site(campaign_dir, edited(colour='"#1a4d8f"'))
    client = make_world().client()
    url = STATIC.search(client.get("/").text)
    assert url is not None
    css = client.get(url.group(1))
    assert css.text == ":root{--accent:#1a4d8f;--accent-soft:#e6ecf3}\n"
    assert css.headers["cache-control"] == "public, max-age=31536000, immutable"


def test_icons_are_made_from_a_png_logo(
    campaign_dir: Path, make_world: Callable[..., World]
) -> None:
    write_site(campaign_dir, edited(logo="logo.png"), png_logo())
    client = make_world().client()
    home = client.get("/").text
    touch = re.search(r'rel="apple-touch-icon" href="([^"]+)"', home)
    assert touch is not None
    with Image.open(io.BytesIO(client.get(touch.group(1)).content)) as icon:
        assert icon.size == (180, 180)
        assert icon.convert("RGB").getpixel((90, 90)) == (11, 92, 75)  # the logo's colour
    favicon = client.get("/favicon.ico")
    assert favicon.status_code == 200
    assert favicon.headers["content-type"] == "image/x-icon"


def test_the_logo_is_served_never_inline(
    campaign_dir: Path, make_world: Callable[..., World]
) -> None:
    write_site(campaign_dir)
    client = make_world().client()
    home = client.get("/").text
    assert "<svg" not in home.split("<main")[0]
    logo = re.search(r'<img src="(/static/site/logo\.[0-9a-f]{10}\.svg)"', home)
    assert logo is not None
    served = client.get(logo.group(1))
    assert served.headers["content-type"] == "image/svg+xml"
    assert "default-src 'self'" in served.headers["content-security-policy"]


def test_the_name_on_the_qr_sheet(campaign_dir: Path, make_world: Callable[..., World]) -> None:
    write_site(campaign_dir)
    world = make_world()
    add_user(world, "camille", "cm", CM_PASSWORD)
    client = login(world.client(), "camille", CM_PASSWORD)
    pdf = client.get("/staff/impression/voie-verte/balises.pdf")
    assert pdf.status_code == 200
    reader = PdfReader(io.BytesIO(pdf.content))
    assert reader.metadata is not None and reader.metadata.author == NAME
    assert f"{NAME} · La voie verte" in (reader.pages[0].extract_text() or "")


def test_staff_home_says_what_is_missing(world: World) -> None:
    add_user(world, "camille", "cm", CM_PASSWORD)
    page = login(world.client(), "camille", CM_PASSWORD).get("/staff").text
    assert "Pas de fichier site.yaml : créez" in page
    assert "publisher : les mentions légales n&#39;ont ni éditeur" in page


def test_staff_home_lists_the_problems_in_its_language(
    campaign_dir: Path, make_world: Callable[..., World]
) -> None:
    write_site(campaign_dir, edited(colour='"red"'))
    world = make_world()
    add_user(world, "camille", "cm", CM_PASSWORD)
    client = login(world.client(), "camille", CM_PASSWORD)
    page = client.get("/staff").text
    assert "site.colour : &#39;red&#39; n&#39;est pas une couleur hexadécimale" in page
    english = client.get("/staff?lang=en").text
    assert "site.colour: &#39;red&#39; is not a hexadecimal colour" in english


def test_the_name_on_share_cards(campaign_dir: Path, make_world: Callable[..., World]) -> None:
    plain = make_world().client().get("/c/voie-verte/partage.png").content
    write_site(campaign_dir)
    named = make_world().client().get("/c/voie-verte/partage.png")
    assert named.status_code == 200 and named.content != plain
    assert named.content == render_card_png("La voie verte, borne après borne", NAME)


def render_card_png(title: str, site_name: str) -> bytes:
    buffer = io.BytesIO()
    hashtags = ["#VoieVerteDuLoir"]
    credit = "Avec : Cyclo-club du Val, Les Amis du Vieux Val, Photothèque municipale"
    render_card(title, hashtags, credit, None, site_name=site_name).save(buffer, "PNG")
    return buffer.getvalue()
