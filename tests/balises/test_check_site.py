"""`balises check` reads the `site.yaml` beside the campaign files, with the same problems."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from balises.cli import main
from balises.publishcommand import check_before_serving
from balises.qrcommand import write_codes
from balises.settings import load_settings
from campaigns.loading import load_file
from tests.sitefiles import edited, write_site

ROOT = Path(__file__).resolve().parents[2]


def campaigns_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "jeux"
    folder.mkdir()
    shutil.copy(ROOT / "campaigns.example.yaml", folder / "campaigns.yaml")
    shutil.copytree(ROOT / "photos", folder / "photos")
    return folder


def test_a_good_site_file_is_not_a_campaign(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = campaigns_folder(tmp_path)
    write_site(folder)
    assert main(["check", str(folder)]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("ok : 2 campagnes")


def test_its_problems_are_printed_like_a_campaign_s(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = campaigns_folder(tmp_path)
    write_site(folder, edited(colour='"#7fb0a0"'))
    # a single campaign file: the site file beside it is checked too
    assert main(["check", str(folder / "campaigns.yaml")]) == 1
    out, err = capsys.readouterr()
    assert out == (
        f"{folder / 'site.yaml'}:6:11: site.colour : la couleur #7fb0a0 n'est pas assez "
        "contrastée : 2,37:1 sur le fond de la page et 2,44:1 sous un texte blanc, il faut au "
        'moins 4,5:1 pour les deux ; essayez "#587b70", la même teinte plus foncée\n'
    )
    assert err == "1 problème trouvé\n"


def test_the_site_file_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_site(tmp_path)
    assert main(["check", str(path)]) == 0
    assert capsys.readouterr().err == "ok : site.yaml\n"
    (tmp_path / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>')
    assert main(["check", str(path)]) == 1
    assert capsys.readouterr().out == (
        f"{path}:5:9: site.logo : ce SVG contient l'attribut onload, qui exécute du code ; "
        "retirez-le\n"
    )


def test_balises_qr_names_the_city_on_its_sheet(tmp_path: Path) -> None:
    folder = campaigns_folder(tmp_path)
    file = folder / "campaigns.yaml"
    (campaign,) = [c for c in load_file(file).campaigns if c.slug == "voie-verte"]
    settings = load_settings({"BALISES_SECRET_KEY": "q" * 48})
    plain = write_codes(campaign, tmp_path / "plain.pdf", "pdf", settings, file)[0]
    assert PdfReader(plain).metadata.author == "Balises"  # type: ignore[union-attr]
    write_site(folder)
    named = write_codes(campaign, tmp_path / "named.pdf", "pdf", settings, file)[0]
    reader = PdfReader(named)
    assert reader.metadata is not None and reader.metadata.author == "Ville de Val-de-Loir"
    assert "Ville de Val-de-Loir · La voie verte" in (reader.pages[0].extract_text() or "")


def test_serve_prints_the_site_file_s_problems_and_starts(tmp_path: Path) -> None:
    folder = campaigns_folder(tmp_path)
    write_site(folder, edited(colour='"red"'))
    settings = load_settings(
        {"BALISES_VAR_DIR": str(tmp_path / "var"), "BALISES_SECRET_KEY": "q" * 48},
        campaigns_path=folder,
    )
    err = io.StringIO()
    assert check_before_serving(settings, err) == 0
    site = folder / "site.yaml"
    assert err.getvalue() == (
        f"{site}:6:11: site.colour : 'red' n'est pas une couleur hexadécimale ; écrivez-la comme "
        '"#0b5c4b" (entre guillemets : sans eux, # commence un commentaire)\n'
        f"balises serve : {site} a des problèmes : le site démarre sans lui (nom « Balises », "
        f"pages légales incomplètes) ; corrigez-les (balises check {site}), puis redémarrez.\n"
    )
