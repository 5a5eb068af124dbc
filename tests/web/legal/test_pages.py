"""The pages the law requires, at fixed URLs, linked from every resident page's footer; the
privacy notice follows the running settings, the footer's promises only what is true."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.sitefiles import edited, write_site
from tests.web.conftest import World
from tests.web.staff.conftest import add_user, login

NAME = "Ville de Val-de-Loir"
FOOTER = re.compile(r'<footer class="site">(.*?)</footer>', re.S)
LEGAL = ["/mentions-legales", "/donnees-personnelles", "/accessibilite"]


def footer(html: str) -> str:
    found = FOOTER.search(html)
    assert found, "no resident footer"
    return found.group(1)


def test_the_legal_notice_from_site_yaml(
    campaign_dir: Path, make_world: Callable[..., World]
) -> None:
    write_site(campaign_dir)
    page = make_world().client().get("/mentions-legales")
    assert page.status_code == 200
    assert f"<title>Mentions légales · {NAME}</title>" in page.text
    assert "Directrice de la publication : Claire Martin, maire." in page.text
    assert "Hébergeur : Hébergeur Exemple SAS" in page.text
    assert '<a href="https://www.val-de-loir.example.fr">' in page.text


def test_the_legal_notice_without_site_yaml(world: World) -> None:
    page = world.client().get("/mentions-legales").text
    assert "L'éditeur de ce site n'a pas encore renseigné son nom" in page
    assert "GNU AGPL" in page


def test_the_privacy_notice_from_site_yaml(
    campaign_dir: Path, make_world: Callable[..., World]
) -> None:
    write_site(campaign_dir)
    page = make_world().client().get("/donnees-personnelles").text
    assert "Mairie de Val-de-Loir, 1 place de la Mairie" in page
    assert '<a href="mailto:dpo@val-de-loir.example.fr">dpo@val-de-loir.example.fr</a>' in page
    assert '<a href="/moi/donnees.json">' in page and '<a href="/moi">' in page


def test_the_privacy_notice_without_site_yaml(world: World) -> None:
    page = world.client().get("/donnees-personnelles").text
    assert "Le responsable du traitement n'est pas encore renseigné" in page


def test_the_privacy_notice_follows_the_settings(make_world: Callable[..., World]) -> None:
    cdn = make_world().client().get("/donnees-personnelles").text
    assert "Les données des joueurs d'un jeu sont effacées 90 jours après sa clôture." in cdn
    assert "<strong>cdn.jsdelivr.net</strong> : la bibliothèque htmx" in cdn
    assert "<td><code>balises</code></td>" in cdn and "<td>400 jours</td>" in cdn
    assert "<td><code>balises_staff</code></td>" in cdn and "<td>12 heures</td>" in cdn
    # the example's heritage days campaign closes on 2027-12-31 at 19:00
    assert "jusqu&#39;au jeudi 30 mars 2028 à 19h00 (90 jours après la clôture du jeu)" in cdn

    own = make_world(htmx_url="self", retention_days=30).client()
    page = own.get("/donnees-personnelles").text
    assert "effacées 30 jours après sa clôture" in page
    assert "jsdelivr" not in page
    assert "Aucun : tout ce que les pages affichent vient de ce site." in page


def test_the_accessibility_statement_from_site_yaml(
    campaign_dir: Path, make_world: Callable[..., World]
) -> None:
    write_site(campaign_dir)
    page = make_world().client().get("/accessibilite").text
    assert (
        "Le site http://localhost:8000 est partiellement conforme avec le référentiel général "
        "d'amélioration de l'accessibilité (RGAA), version 4.1.2." in page
    )
    assert "L'audit de conformité réalisé le 2026-10-01 révèle que 87 % des critères" in page
    assert "Les photos des énigmes n'ont pas toutes une description détaillée." in page
    assert 'href="mailto:accessibilite@val-de-loir.example.fr"' in page
    assert "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07" in page
    assert "Accessibilité : partiellement conforme" in footer(page)


def test_the_accessibility_statement_without_site_yaml(world: World) -> None:
    page = world.client().get("/accessibilite").text
    assert "est non conforme avec le référentiel" in page
    assert "Aucun audit de conformité n'a encore été réalisé." in page
    assert "Le contact n'est pas encore renseigné" in page
    assert "Accessibilité : non conforme" in footer(page)


def test_the_footer_says_whatever_status_is_declared(
    campaign_dir: Path, make_world: Callable[..., World]
) -> None:
    write_site(campaign_dir, edited(status="totalement conforme", rate="100"))
    page = make_world().client().get("/").text
    assert '<a href="/accessibilite">Accessibilité : totalement conforme</a>' in footer(page)


def test_in_english(campaign_dir: Path, make_world: Callable[..., World]) -> None:
    write_site(campaign_dir)
    page = make_world().client().get("/accessibilite?lang=en").text
    assert "<h1>Accessibility statement</h1>" in page
    assert "Accessibility: partially compliant" in footer(page)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/c/ou-sommes-nous",
        "/c/ou-sommes-nous/tour",
        "/c/ou-sommes-nous/merci",
        "/c/ou-sommes-nous/galerie",
        "/moi",
        "/page-qui-n-existe-pas",
        *LEGAL,
    ],
)
def test_every_resident_page_links_the_legal_pages(world: World, url: str) -> None:
    page = world.client().get(url).text
    assert page.count('<meta name="description" content="') == 1
    found = footer(page)
    for link in LEGAL:
        assert f'href="{link}"' in found
    # htmx comes from its CDN by default: no promise of "no tracking"
    assert "pas de pistage" not in found
    assert "Pas de compte, pas de publicité." in found


def test_no_tracking_is_promised_where_true(make_world: Callable[..., World]) -> None:
    page = make_world(htmx_url="self").client().get("/").text
    assert "Pas de compte, pas de publicité, pas de pistage." in footer(page)


def test_staff_pages_have_no_resident_footer(world: World) -> None:
    add_user(world, "lea")
    client = login(world.client())
    assert '<footer class="site">' not in client.get("/staff").text
    assert '<footer class="site">' not in client.get("/staff/login").text
