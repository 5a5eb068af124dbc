"""Share cards and links: Open Graph metadata, the riddle card, plain links, the thank-you card."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image, ImageChops, ImageStat

from campaigns.checkpoints import checkpoint_path
from media import cards
from media.cards import PHOTO_REGION, thanks_card
from tests.media.photo_samples import quadrants
from tests.web.conftest import World

META = re.compile(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"')
LOADED = re.compile(
    r'<(?:script|img|iframe|source|link|audio|video)\b[^>]*?\b(?:src|href|srcset)="([^"]*)"'
)
PAGES = ["/", "/c/ou-sommes-nous", "/c/ou-sommes-nous/tour", "/c/voie-verte/borne-1"]


def meta(html: str) -> dict[str, str]:
    return {name: content.replace("&amp;", "&") for name, content in META.findall(html)}


def image_of(payload: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(payload))
    image.load()
    return image


def distance(a: Image.Image, b: Image.Image) -> float:
    diff = ImageChops.difference(a.convert("RGB"), b.convert("RGB").resize(a.size))
    return sum(ImageStat.Stat(diff).mean) / 3


@pytest.mark.parametrize("path", ["/c/ou-sommes-nous", "/c/ou-sommes-nous/tour"])
def test_campaign_and_riddle_pages_carry_absolute_open_graph_and_twitter_meta(
    make_world: Callable[..., World], path: str
) -> None:
    world = make_world(base_url="https://jeux.val-de-loir.fr")
    client = world.client()
    tags = meta(client.get(path).text)
    assert tags["og:url"] == f"https://jeux.val-de-loir.fr{path}"
    assert tags["og:image"] == f"https://jeux.val-de-loir.fr{path}/partage.png"
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["twitter:image"] == tags["og:image"]
    assert tags["og:title"].startswith(("Où sommes-nous ?", "Cette tour vous dit quelque chose ?"))
    assert tags["og:description"] and "<" not in tags["og:description"]
    card = client.get(urlsplit(tags["og:image"]).path)
    assert card.status_code == 200
    assert card.headers["content-type"] == "image/png"
    assert image_of(card.content).size == (1200, 630)


def test_a_checkpoint_page_never_shares_its_secret_token(world: World) -> None:
    path = checkpoint_path(world.settings.secret_key, "voie-verte", "borne-2")
    page = world.client().get(path)
    assert page.status_code == 200
    token = path.rsplit("/", 1)[1]
    tags = meta(page.text)
    assert tags["og:url"] == "http://localhost:8000/c/voie-verte/borne-2"
    shared = re.findall(r'<section class="share".*?</section>', page.text, re.S)
    assert shared and token not in shared[0] and all(token not in v for v in tags.values())


def test_the_riddle_card_is_made_from_its_first_crop_never_the_full_photo(
    make_world: Callable[..., World], campaign_dir: Path
) -> None:
    full = quadrants(800, 600)
    full.save(campaign_dir / "photos" / "enigme-1-pierre.jpg", "JPEG", quality=95)
    yaml_file = campaign_dir / "campaigns.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    # The first crop: mostly the red quadrant, with a strip of the green one.
    yaml_file.write_text(text.replace("[0.22, 0.34, 0.80, 0.76]", "[0.10, 0.05, 0.60, 0.45]", 1))
    world = make_world()
    response = world.client().get("/c/ou-sommes-nous/tour/partage.png")
    assert response.status_code == 200
    shown = image_of(response.content).convert("RGB").crop(PHOTO_REGION)
    left, top, right, bottom = world.campaign().steps[0].reveal[0].box  # type: ignore[misc]
    crop = full.crop((round(left * 800), round(top * 600), round(right * 800), round(bottom * 600)))
    size = shown.size
    to_crop = distance(shown, cards._cover(crop, size))
    to_full = distance(shown, cards._cover(full, size))
    assert to_crop < 10, to_crop
    assert to_full > 4 * to_crop + 20, (to_crop, to_full)


def test_card_urls_are_not_taken_for_steps_and_unknown_ones_are_404(world: World) -> None:
    client = world.client()
    assert client.get("/c/voie-verte/partage.png").headers["content-type"] == "image/png"
    assert client.get("/c/ou-sommes-nous/nulle-part/partage.png").status_code == 404
    assert client.get("/c/nulle-part/partage.png").status_code == 404


def test_before_a_riddle_opens_its_card_shows_no_crop(
    make_world: Callable[..., World], campaign_dir: Path
) -> None:
    """Inside an open campaign, a riddle of a later day (before its campaign opens, the card
    is a 404 like every URL of the campaign: tests/web/play/test_upcoming.py)."""
    quadrants(800, 600).save(campaign_dir / "photos" / "enigme-1-pierre.jpg", "JPEG")
    source = campaign_dir / "campaigns.yaml"
    text = source.read_text(encoding="utf-8")
    opening = "      - id: tour\n        opens: 2026-11-01T09:00\n#"
    later = text.replace("      - id: tour ", opening, 1)
    source.write_text(later, encoding="utf-8")
    world = make_world()
    assert world.campaign().step("tour").opens is not None  # type: ignore[union-attr]
    card = image_of(world.client().get("/c/ou-sommes-nous/tour/partage.png").content)
    colours = card.convert("RGB").crop(PHOTO_REGION).getcolors(1_000_000) or []
    assert not any(r > 180 and g < 80 and b < 80 for _n, (r, g, b) in colours)  # no red crop


@pytest.mark.parametrize("path", PAGES)
def test_no_page_loads_anything_from_another_site(
    make_world: Callable[..., World], path: str
) -> None:
    world = make_world(htmx_url="/static/htmx.min.js", htmx_sri="sha384-x")
    html = world.client().get(path).text
    loaded = LOADED.findall(html)
    assert loaded
    for url in loaded:
        for part in url.split(","):
            own = part.strip().startswith(world.settings.base_url + "/")
            local = part.strip().startswith("/") and not part.strip().startswith("//")
            assert own or local, url
    assert "<iframe" not in html
    assert not re.search(r'<script\b(?![^>]*\bsrc="/)', html), "inline or third-party script"


def test_share_links_are_plain_links_to_each_network(world: World) -> None:
    html = world.client().get("/c/ou-sommes-nous").text
    links = re.findall(r'<ul class="share-links">(.*?)</ul>', html, re.S)[0]
    hrefs = [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', links)]
    hosts = {urlsplit(h).netloc or urlsplit(h).scheme for h in hrefs}
    assert hosts == {"www.facebook.com", "twitter.com", "bsky.app", "wa.me", "mailto"}
    facebook = next(h for h in hrefs if "facebook" in h)
    assert parse_qs(urlsplit(facebook).query)["u"] == [
        "http://localhost:8000/c/ou-sommes-nous?via=facebook"
    ]
    twitter = next(h for h in hrefs if "twitter" in h)
    assert parse_qs(urlsplit(twitter).query)["hashtags"] == ["JEP2026,ValDeLoir"]


def _finish_the_greenway(world: World) -> object:
    client = world.client()
    for step in world.campaign("voie-verte").steps:
        path = checkpoint_path(world.settings.secret_key, "voie-verte", step.id)
        assert client.get(path).status_code == 200
    return client


def test_the_thank_you_card_is_for_finishers_and_names_them_only_if_they_ask(
    world: World,
) -> None:
    stranger = world.client()
    stranger.get("/c/voie-verte")
    assert stranger.get("/c/voie-verte/merci/carte.png").status_code == 404
    assert "merci/carte.png" not in stranger.get("/c/voie-verte/merci").text

    player = _finish_the_greenway(world)
    page = player.get("/c/voie-verte/merci").text  # type: ignore[attr-defined]
    links = re.findall(r'href="(/c/voie-verte/merci/carte\.png[^"]*)"', page)
    assert links == ["/c/voie-verte/merci/carte.png"]  # by default: no name on it
    plain = player.get(links[0])  # type: ignore[attr-defined]
    assert plain.status_code == 200 and plain.headers["content-type"] == "image/png"
    assert "no-store" in plain.headers["cache-control"]

    named = player.get("/c/voie-verte/merci/carte.png?pseudo=Camille")  # type: ignore[attr-defined]
    assert named.content != plain.content
    title = "La voie verte, borne après borne"
    hashtags = ["#VoieVerteDuLoir"]
    credit = "Avec : Cyclo-club du Val, Les Amis du Vieux Val, Photothèque municipale"
    tail = ["J'ai fait toutes les étapes de"]
    named_card = thanks_card(title, ["Merci, Camille !", *tail], hashtags, credit, "Balises")
    assert named.content == named_card
    assert plain.content == thanks_card(title, ["Merci !", *tail], hashtags, credit, "Balises")
    chosen = player.get("/c/voie-verte/merci?pseudo=Camille").text  # type: ignore[attr-defined]
    assert "/c/voie-verte/merci/carte.png?pseudo=Camille" in chosen


def test_a_pseudonym_is_cleaned_and_capped(world: World) -> None:
    player = _finish_the_greenway(world)
    messy = player.get(  # type: ignore[attr-defined]
        "/c/voie-verte/merci/carte.png", params={"pseudo": "\u202eAlix\n" * 30}
    )
    assert messy.status_code == 200
    from web.play.thankyou import pseudonym

    assert pseudonym("  \u202eAlix\x00 \n  B ") == "Alix B"
    assert len(pseudonym("x" * 500)) == 40


CARD_TEXT = (
    "Balises Merci, Camille ! J'ai fait toutes les étapes de « La voie verte, borne après "
    "borne ». #VoieVerteDuLoir Avec : Cyclo-club du Val, Les Amis du Vieux Val, Photothèque "
    "municipale"
)


def test_the_thank_you_card_s_words_are_its_alt_and_on_the_page(world: World) -> None:
    """A picture of text (RGAA 1.8): a screen reader hears what the card says, the pseudonym
    and the credits included, and anyone can read it at their own size beside the card."""
    player = _finish_the_greenway(world)
    page = player.get("/c/voie-verte/merci?pseudo=Camille").text  # type: ignore[attr-defined]
    card = re.search(r'<img src="/c/voie-verte/merci/carte\.png\?pseudo=Camille"[^>]*>', page)
    assert card is not None
    escaped = CARD_TEXT.replace("'", "&#39;")
    assert f'alt="{escaped}"' in card[0]
    written = re.search(r'<p class="thanks-card-text">(.*?)</p>', page, re.S)
    assert written is not None
    assert re.sub(r"<[^>]+>", "", written[1]).replace("&#39;", "'") == (
        f"Ce que dit la carte : {CARD_TEXT}"
    )
    english = player.get("/c/voie-verte/merci?pseudo=Camille&lang=en").text  # type: ignore[attr-defined]
    assert 'alt="Balises Thank you, Camille! I did every step of “' in english


def test_a_share_card_s_alt_names_its_step_and_its_words(world: World) -> None:
    tags = meta(world.client().get("/c/ou-sommes-nous/tour").text)
    alt = tags["og:image:alt"].replace("&#39;", "'")
    assert alt.startswith(
        "Carte de partage de l'étape « Cette tour vous dit quelque chose ? » de « Où sommes-nous "
        "? Journées du patrimoine ». Un détail de la photo : "
    )
    assert alt.endswith("#JEP2026 #ValDeLoir Photo : Lucie Perrin. Balises")
    assert tags["twitter:image:alt"] == tags["og:image:alt"]
    campaign = meta(world.client().get("/c/ou-sommes-nous").text)["og:image:alt"]
    assert campaign.startswith("Carte de partage de « Où sommes-nous ? Journées du patrimoine »")
