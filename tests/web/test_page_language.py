"""What a page says of its languages and its name: the switch names each language in that
language, a campaign's text shown on a page of another language carries its own `lang`, a
captioned photo is a figure named by its caption, and every `<title>` ends with the site's
name once (RGAA 8.6, 8.7, 1.9)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from tests.sitefiles import write_site
from tests.web.conftest import World
from tests.web.participation.residents import Phone, cm, moderate, photo_bytes, submissions
from tests.web.participation.residents import write_campaign as write_french_campaign

ENGLISH = {"Accept-Language": "en"}
NAME = "Ville de Val-de-Loir"
TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def _title(html: str) -> str:
    found = TITLE.search(html)
    assert found is not None
    return found[1].replace("&#39;", "'")


def test_the_switch_names_each_language_in_itself(world: World) -> None:
    page = world.client().get("/c/ou-sommes-nous/tour").text
    assert '<span aria-current="true" lang="fr">Français</span>' in page
    assert '<a href="?lang=en" hreflang="en" lang="en">English</a>' in page
    english = world.client().get("/c/ou-sommes-nous/tour?lang=en").text
    assert '<a href="?lang=fr" hreflang="fr" lang="fr">Français</a>' in english
    assert '<span aria-current="true" lang="en">English</span>' in english


def test_a_french_campaign_on_an_english_page_is_marked_french(
    campaign_dir: Path, make_world: Callable[..., World]
) -> None:
    write_french_campaign(campaign_dir)
    world = make_world()
    phone = Phone(world, headers=ENGLISH)
    home = phone.open("/").text
    assert '<html lang="en">' in home
    assert '<strong lang="fr">Le quartier de la gare</strong>' in home
    phone.contribute("temoignage", text="La gare avant la guerre.")
    mine = phone.open("/moi").text
    assert '<html lang="en">' in mine
    assert '<a href="/c/quartier" lang="fr">Le quartier de la gare</a>' in mine
    assert '<span lang="fr">Racontez-nous</span>' in mine
    # …and so is it in the English staff area's moderation queue
    staff = cm(world)
    queue = staff.get("/staff/moderation?lang=en").text
    assert '<span lang="fr">Racontez-nous</span> <small>(<span lang="fr">Le quartier' in queue
    # the campaign's own pages speak its one language: nothing to mark
    start = phone.open("/c/quartier").text
    assert '<html lang="fr">' in start and ' lang="fr">Le quartier' not in start


def test_a_translated_campaign_is_not_marked_on_its_own_language(world: World) -> None:
    home = world.client().get("/", headers=ENGLISH).text
    assert "<strong>Where are we? Heritage Days</strong>" in home
    assert '<strong lang="' not in home


def test_a_captioned_photo_is_a_figure_named_by_its_caption(
    campaign_dir: Path, make_world: Callable[..., World]
) -> None:
    write_french_campaign(campaign_dir)
    world = make_world()
    Phone(world).contribute(photo=photo_bytes(), caption="Le quai en 1960", credit="anonymous")
    [row] = submissions(world)
    moderate(cm(world), row.id or 0, "accept")
    gallery = world.client().get("/c/quartier/galerie").text
    assert '<figure class="photo" role="figure" aria-label="Le quai en 1960">' in gallery
    assert "<figcaption>Le quai en 1960</figcaption>" in gallery


def test_every_title_names_the_page_then_the_site_once(
    campaign_dir: Path, make_world: Callable[..., World]
) -> None:
    write_site(campaign_dir)
    world = make_world()
    client = world.client()
    pages = {
        path: client.get(path).text
        for path in (
            "/",
            "/c/ou-sommes-nous",
            "/c/ou-sommes-nous/tour",
            "/c/ou-sommes-nous/carte",
            "/c/ou-sommes-nous/merci",
            "/c/ou-sommes-nous/galerie",
            "/c/ou-sommes-nous/nulle-part",
            "/moi",
            "/hors-ligne",
            "/mentions-legales",
            "/accessibilite",
            "/staff/login",
        )
    }
    for path, html in pages.items():  # and the first link skips to the content (RGAA 12.7)
        body = html.split("<body", 1)[1]
        assert re.search(r"<a\b[^>]*>", body)[0] == '<a class="skip" href="#main">', path  # type: ignore[index]
        assert '<main id="main">' in body, path
    titles = {path: _title(html) for path, html in pages.items()}
    assert titles["/c/ou-sommes-nous/tour"] == (
        f"Cette tour vous dit quelque chose ? — Où sommes-nous ? Journées du patrimoine · {NAME}"
    )
    assert titles["/c/ou-sommes-nous/carte"].startswith("Carte — Où sommes-nous ?")
    assert titles["/c/ou-sommes-nous/nulle-part"] == f"Page introuvable · {NAME}"
    assert titles["/moi"] == f"Mon parcours · {NAME}"
    for path, title in titles.items():
        assert title.count(NAME) == 1 and "Balises" not in title, (path, title)
        assert title.endswith(NAME) or path == "/", (path, title)
