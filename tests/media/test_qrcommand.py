"""`balises qr`: what a CM gets on disk and on the terminal."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader

from balises.cli import main
from balises.qrcommand import run_qr
from balises.settings import Settings
from campaigns.checkpoints import checkpoint_path, verify_token
from tests.factories import make_campaign, make_campaign_file, make_step
from tests.media.qr_reading import read_codes, read_png, svg_to_image

SECRET = "une-clé-secrète-de-la-mairie-assez-longue-0123"
SETTINGS = Settings(secret_key=SECRET, base_url="https://balises.laval.fr")


def checkpoint(step_id: str, title: str = "Borne") -> dict[str, Any]:
    return {"id": step_id, "type": "checkpoint", "title": title}


def trail_file(tmp_path: Path) -> Path:
    steps = [make_step(), checkpoint("pont", "Le pont"), checkpoint("lavoir", "Le lavoir")]
    return make_campaign_file(tmp_path, [make_campaign(slug="velo", steps=steps)])


def url(step: str) -> str:
    return "https://balises.laval.fr" + checkpoint_path(SECRET, "velo", step)


def test_png_writes_one_readable_code_per_checkpoint_named_by_step_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "codes"
    assert run_qr(trail_file(tmp_path), "velo", out, "png", SETTINGS) == 0
    assert sorted(p.name for p in out.iterdir()) == ["lavoir.png", "pont.png"]
    for step in ("pont", "lavoir"):
        decoded = read_png((out / f"{step}.png").read_bytes())
        assert decoded == [url(step)]
        assert verify_token(SECRET, "velo", step, decoded[0].rsplit("/", 1)[1])
    assert "2 QR codes de « velo » écrits dans" in capsys.readouterr().out


def test_svg_writes_one_file_per_checkpoint(tmp_path: Path) -> None:
    out = tmp_path / "svg"
    assert run_qr(trail_file(tmp_path), "velo", out, "svg", SETTINGS) == 0
    assert sorted(p.name for p in out.iterdir()) == ["lavoir.svg", "pont.svg"]
    assert read_codes(svg_to_image((out / "pont.svg").read_bytes())) == [url("pont")]


def test_pdf_sheet_holds_the_checkpoints_in_file_order(tmp_path: Path) -> None:
    out = tmp_path / "print" / "velo.pdf"
    assert run_qr(trail_file(tmp_path), "velo", out, "pdf", SETTINGS) == 0
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert text.index("Le pont") < text.index("Le lavoir")
    assert "Où sommes-nous ?" in text  # the campaign's title heads the sheet
    assert not list(out.parent.glob(".*.tmp"))


def test_unknown_campaign_is_named_with_the_ones_that_exist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = trail_file(tmp_path)
    assert run_qr(file, "velos", tmp_path / "out.pdf", "pdf", SETTINGS) == 1
    assert capsys.readouterr().err == (
        f"{file} : pas de campagne « velos » (campagnes de ce fichier : velo)\n"
    )
    assert not (tmp_path / "out.pdf").exists()


def test_campaign_without_checkpoints_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = make_campaign_file(tmp_path, [make_campaign(slug="quiz", steps=[make_step()])])
    assert run_qr(file, "quiz", tmp_path / "out", "png", SETTINGS) == 1
    assert capsys.readouterr().err == (
        f"{file} : la campagne « quiz » n'a pas d'étape checkpoint (type: checkpoint)\n"
    )
    assert not (tmp_path / "out").exists()


def test_file_with_problems_prints_them_and_no_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    steps = [checkpoint("pont"), {**checkpoint("lavoir"), "anwser": "x"}]
    file = make_campaign_file(tmp_path, [make_campaign(slug="velo", steps=steps)])
    assert run_qr(file, "velo", tmp_path / "out", "png", SETTINGS) == 1
    err = capsys.readouterr().err
    assert "anwser" in err and str(file.name) in err
    assert err.endswith("1 problème trouvé : corrigez-le avant d'imprimer les codes\n")
    assert not (tmp_path / "out").exists()


def test_pdf_out_must_not_be_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_qr(trail_file(tmp_path), "velo", tmp_path, "pdf", SETTINGS) == 1
    assert "est un dossier" in capsys.readouterr().err


def test_command_line_uses_the_site_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BALISES_SECRET_KEY", SECRET)
    monkeypatch.setenv("BALISES_BASE_URL", "https://balises.laval.fr/")
    monkeypatch.setenv("BALISES_VAR_DIR", str(tmp_path / "var"))
    file = trail_file(tmp_path)
    out = tmp_path / "png"
    assert main(["qr", str(file), "--campaign", "velo", "--format", "png", "--out", str(out)]) == 0
    image = Image.open(io.BytesIO((out / "lavoir.png").read_bytes()))
    assert read_codes(image) == [url("lavoir")]
    assert "attention" not in capsys.readouterr().err


def test_localhost_codes_warn_before_printing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(secret_key=SECRET, base_url="http://localhost:8000")
    assert run_qr(trail_file(tmp_path), "velo", tmp_path / "x.pdf", "pdf", settings) == 0
    assert "mettez l'adresse publique du site dans BALISES_BASE_URL" in capsys.readouterr().err
