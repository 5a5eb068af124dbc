"""The roadbook's layout: Markdown as printed paragraphs, any character, a photo that cannot be
read, a cache that cannot be written."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from pypdf import PdfReader

from media.printedtext import Block, printed_blocks
from media.roadbook import PrintedPhoto, PrintedStep, Roadbook, roadbook_pdf
from tests.web.roadbooks import pdf_jpegs, pdf_text


def book(*steps: PrintedStep, intro: str = "Bienvenue.") -> Roadbook:
    return Roadbook(
        site_name="Ville de Val-de-Loir",
        title="Œuvres d’art à vélo",
        intro=intro,
        url="https://jeux.example.fr/c/velo?via=carnet",
        notices=(),
        online="Jouez sur votre téléphone",
        steps_heading="Les étapes",
        steps=steps,
        credits_heading="Avec la participation de",
        credits=(("Cyclo-club", "Repérage"),),
        page_label="Page %(num)s",
        lang="fr",
    )


def test_markdown_prints_as_text_with_its_links_written_out_and_its_html_inert() -> None:
    blocks = printed_blocks(
        "Un **pont** & <b>x</b> : [le club](https://club.example.fr/)\n\n- un\n- deux"
    )
    assert blocks == (
        Block("p", "Un <b>pont</b> &amp; &lt;b&gt;x&lt;/b&gt; : le club (club.example.fr)"),
        Block("item", "un", "•", 1),
        Block("item", "deux", "•", 1),
    )


def test_every_text_prints_and_a_long_trail_runs_over_pages(tmp_path: Path) -> None:
    steps = [
        PrintedStep(n, f"Étape {n} : l’écluse", text="Cherchez *la* pierre « gravée » 🚲.")
        for n in range(1, 40)
    ]
    payload = roadbook_pdf(book(*steps, intro="Six **lieux** & <i>une</i> histoire"), tmp_path)
    assert isinstance(payload, Path)
    text = pdf_text(payload.read_bytes())
    assert "Six lieux & <i>une</i> histoire" in text
    assert "Étape 39 : l’écluse" in text and "Cherchez la pierre « gravée »" in text
    assert "Page 3" in text and "Cyclo-club — Repérage" in text
    document = PdfReader(payload)  # a screen reader knows its language and its title
    assert document.trailer["/Root"]["/Lang"] == "fr"
    assert document.metadata is not None and document.metadata.title == "Œuvres d’art à vélo"


def test_an_unreadable_photo_leaves_the_step_without_it(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not a photo")
    good = tmp_path / "good.jpg"
    Image.new("RGB", (400, 300), (200, 40, 40)).save(good, "JPEG")
    steps = (
        PrintedStep(1, "Cassée", photo=PrintedPhoto(broken, (0.1, 0.1, 0.5, 0.5), "", "")),
        PrintedStep(2, "Bonne", photo=PrintedPhoto(good, (0.1, 0.1, 0.5, 0.5), "Un mur", "")),
    )
    payload = roadbook_pdf(book(*steps), tmp_path / "cache")
    data = payload.read_bytes() if isinstance(payload, Path) else payload
    assert len(pdf_jpegs(data)) == 1
    assert "Cassée" in pdf_text(data) and "Un mur" in pdf_text(data)


def test_a_cache_that_cannot_be_written_still_gives_the_pdf(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder should be")
    payload = roadbook_pdf(book(PrintedStep(1, "Seule")), blocked / "cache")
    assert isinstance(payload, bytes) and payload.startswith(b"%PDF-")
