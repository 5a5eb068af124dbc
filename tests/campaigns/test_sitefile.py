"""`site.yaml` as a CM writes it: every key read, every mistake said at its line, in French."""

from __future__ import annotations

from pathlib import Path

import pytest

from campaigns import wording
from campaigns.sitefile import check_site, site_file_for
from campaigns.sitemodel import Conformity
from tests.sitefiles import edited, png_logo, write_site


def messages(folder: Path, text: str, logo: str | bytes | None = None) -> list[str]:
    path = write_site(folder, text) if logo is None else write_site(folder, text, logo)
    found = check_site(path)
    assert found.identity is None  # a file with a problem gives no identity at all
    return [f"{p.line}:{p.col}: {p.message}" for p in found.problems]


def test_every_key_is_read(tmp_path: Path) -> None:
    found = check_site(write_site(tmp_path))
    assert found.problems == []
    identity = found.identity
    assert identity is not None
    assert identity.name == "Ville de Val-de-Loir"
    assert identity.url == "https://www.val-de-loir.example.fr"
    assert identity.logo == tmp_path / "logo.svg"
    assert identity.colour == "#0b5c4b"
    assert "Directrice de la publication" in str(identity.publisher)
    assert identity.controller == "Mairie de Val-de-Loir, 1 place de la Mairie"
    assert identity.dpo == "dpo@val-de-loir.example.fr"
    declared = identity.accessibility
    assert declared is not None
    assert declared.status is Conformity.partial
    assert declared.audited is not None and declared.audited.isoformat() == "2026-10-01"
    assert declared.rate == 87


def test_beside_the_campaigns_folder_or_the_single_file(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text("version: 1\n")
    assert site_file_for(tmp_path) == tmp_path / "site.yaml"
    assert site_file_for(tmp_path / "c.yaml") == tmp_path / "site.yaml"


def test_no_file_is_no_problem(tmp_path: Path) -> None:
    found = check_site(tmp_path / "site.yaml")
    assert (found.present, found.identity, found.problems) == (False, None, [])


def test_only_the_name_is_required(tmp_path: Path) -> None:
    found = check_site(write_site(tmp_path, 'version: 1\nsite:\n  name: "Ville"\n'))
    assert found.identity is not None and found.identity.colour is None
    assert messages(tmp_path, "version: 1\nsite:\n  url: https://a.fr\n") == [
        "3:3: site : 'name' manque ; ajoutez-le"
    ]


@pytest.mark.parametrize("colour", ['"red"', '"#12"', '"#0b5c4g"'])
def test_a_colour_that_is_not_hexadecimal(tmp_path: Path, colour: str) -> None:
    value = colour.strip('"')
    assert messages(tmp_path, edited(colour=colour)) == [
        f"6:11: site.colour : '{value}' n'est pas une couleur hexadécimale ; écrivez-la comme "
        '"#0b5c4b" (entre guillemets : sans eux, # commence un commentaire)'
    ]


def test_a_colour_without_quotes_is_a_comment(tmp_path: Path) -> None:
    assert messages(tmp_path, edited(colour="#0b5c4b")) == [
        '6:10: site.colour : la couleur est vide ; écrivez-la entre guillemets, comme "#0b5c4b" '
        "(sans eux, # commence un commentaire)"
    ]


def test_a_pale_colour_is_refused_with_its_measured_ratios_and_a_fix(tmp_path: Path) -> None:
    assert messages(tmp_path, edited(colour='"#7fb0a0"')) == [
        "6:11: site.colour : la couleur #7fb0a0 n'est pas assez contrastée : 2,37:1 sur le fond "
        "de la page et 2,44:1 sous un texte blanc, il faut au moins 4,5:1 pour les deux ; "
        'essayez "#587b70", la même teinte plus foncée'
    ]
    # the suggested colour passes
    assert check_site(write_site(tmp_path, edited(colour='"#587b70"'))).problems == []


def test_the_ratio_in_english(tmp_path: Path) -> None:
    with wording.speaking("en"):
        found = messages(tmp_path, edited(colour='"#ffcc00"'))
    assert found == [
        "6:11: site.colour: the colour #ffcc00 does not contrast enough: 1.47:1 on the page's "
        "background and 1.51:1 under white text, at least 4.5:1 is needed for both; try "
        '"#8c7000", the same hue darker'
    ]


def test_a_short_hexadecimal_colour_is_read(tmp_path: Path) -> None:
    found = check_site(write_site(tmp_path, edited(colour='"#053"')))
    assert found.identity is not None and found.identity.colour == "#005533"


def test_an_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    text = edited().replace("  colour:", "  color:")
    assert messages(tmp_path, text) == [
        "6:3: site : la clé 'color' est inconnue ; vouliez-vous dire 'colour' ?"
    ]


def test_addresses(tmp_path: Path) -> None:
    text = edited(url="www.val-de-loir.fr", dpo="le maire", contact="accessibilite")
    assert messages(tmp_path, text) == [
        "4:8: site.url : 'www.val-de-loir.fr' n'est pas une adresse web ; écrivez-la en entier, "
        "en commençant par https://",
        "13:10: site.privacy.dpo : 'le maire' n'est ni une adresse e-mail ni une adresse web ; "
        "écrivez par exemple dpo@ville.fr ou https://www.ville.fr/contact",
        "18:14: site.accessibility.contact : 'accessibilite' n'est ni une adresse e-mail ni une "
        "adresse web ; écrivez par exemple dpo@ville.fr ou https://www.ville.fr/contact",
    ]


def test_the_accessibility_status(tmp_path: Path) -> None:
    assert messages(tmp_path, edited(status="partielement conforme")) == [
        "15:13: site.accessibility.status : 'partielement conforme' n'est pas un statut de "
        "conformité ; vouliez-vous dire 'partiellement conforme' ? (utilisez totalement "
        "conforme, partiellement conforme ou non conforme)"
    ]


def test_a_rate_that_does_not_match_the_status(tmp_path: Path) -> None:
    assert messages(tmp_path, edited(rate="42")) == [
        "15:13: site.accessibility.status : un taux de 42 % correspond au statut 'non conforme', "
        "pas 'partiellement conforme' (100 % : totalement, 50 % et plus : partiellement, "
        "moins : non conforme)"
    ]


def test_a_status_claimed_without_an_audit(tmp_path: Path) -> None:
    text = "\n".join(
        line for line in edited().splitlines() if "audited" not in line and "rate" not in line
    )
    assert messages(tmp_path, text + "\n") == [
        "15:13: site.accessibility.status : 'partiellement conforme' suppose un audit : ajoutez "
        "sa date (audited: 2026-10-01) et son taux (rate: 87), ou déclarez 'non conforme'"
    ]
    unaudited = text.replace("partiellement conforme", "non conforme") + "\n"
    found = check_site(write_site(tmp_path, unaudited))
    assert found.identity is not None and found.identity.accessibility is not None
    assert found.identity.accessibility.status is Conformity.none


def test_audit_date_and_rate_are_checked(tmp_path: Path) -> None:
    assert messages(tmp_path, edited(audited="01/10/2026", rate="beaucoup")) == [
        "16:14: site.accessibility.audited : '01/10/2026' n'est pas une date ; écrivez-la comme "
        "2026-10-01",
        "17:11: site.accessibility.rate : 'beaucoup' n'est pas un taux ; écrivez le pourcentage "
        "de critères respectés, de 0 à 100, comme 87",
    ]


def test_the_logo_is_a_file_beside_site_yaml(tmp_path: Path) -> None:
    assert messages(tmp_path, edited(logo="../logo.svg")) == [
        "5:9: site.logo : '../logo.svg' : le logo doit être un fichier à côté de site.yaml ; "
        "donnez son seul nom, comme logo.svg"
    ]
    assert messages(tmp_path, edited(logo="blason.svg")) == [
        "5:9: site.logo : le fichier 'blason.svg' est introuvable à côté de site.yaml ; vérifiez "
        "son nom"
    ]
    (tmp_path / "logo.gif").write_bytes(b"GIF89a")
    assert messages(tmp_path, edited(logo="logo.gif")) == [
        "5:9: site.logo : 'logo.gif' n'est ni un SVG ni un PNG ; donnez un fichier .svg ou .png"
    ]


def test_a_png_logo(tmp_path: Path) -> None:
    found = check_site(write_site(tmp_path, edited(logo="logo.png"), png_logo()))
    assert found.identity is not None and found.identity.logo == tmp_path / "logo.png"
    assert messages(tmp_path, edited(logo="logo.png"), b"<svg/>") == [
        "5:9: site.logo : 'logo.png' n'est pas une image PNG ; enregistrez-la à nouveau en PNG"
    ]


def test_a_broken_yaml_file(tmp_path: Path) -> None:
    assert messages(tmp_path, 'version: 1\nsite:\n  name: "Ville\n') == [
        "4:1: le guillemet ouvert à la ligne 3 n'est jamais fermé ; ajoutez le guillemet fermant"
    ]
    assert messages(tmp_path, "- a\n- b\n") == [
        "1:1: commencez ce fichier par 'version: 1' et une clé 'site:' avec le nom du site"
    ]
