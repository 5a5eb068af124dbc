"""The printable sheet: codes a phone reads from paper, with titles, URLs and cut guides."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from pypdf import PdfReader

from campaigns.checkpoints import checkpoint_path
from media.sheet import checkpoint_sheet_pdf
from tests.media.qr_reading import read_codes, render_pdf_pages

SECRET = "une-clé-secrète-de-la-mairie-assez-longue-0123"
BASE = "https://balises.ville-de-laval.fr"


def items(count: int) -> list[tuple[str, str]]:
    return [
        (
            f"Borne {n} : le pont de l'écluse",
            BASE + checkpoint_path(SECRET, "jep-2026", f"borne-{n}"),
        )
        for n in range(1, count + 1)
    ]


def test_seven_checkpoints_make_two_a4_pages_of_readable_codes(tmp_path: Path) -> None:
    codes = items(7)
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(checkpoint_sheet_pdf(codes, title="Journées du patrimoine 2026"))
    reader = PdfReader(pdf)
    assert len(reader.pages) == 2
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    pages = render_pdf_pages(pdf, dpi=150)
    assert len(pages) == 2
    assert read_codes(pages[0]) == [url for _, url in codes[:6]]
    assert read_codes(pages[1]) == [codes[6][1]]


def test_each_code_has_its_step_title_and_its_url_in_letters() -> None:
    codes = items(3)
    text = PdfReader(io.BytesIO(checkpoint_sheet_pdf(codes, title="JEP"))).pages[0].extract_text()
    flat = "".join(text.split())
    for title, url in codes:
        assert title in text
        # Typed by hand if a camera refuses the code: no "https://", the token in full.
        assert url.removeprefix("https://") in flat
    assert "https://" not in text
    assert "1/1" in text


def test_long_titles_are_shortened_and_any_character_prints(tmp_path: Path) -> None:
    long_title = "Le lavoir du quai, " * 12
    codes = [(long_title, BASE + "/k/a/b/abcdefghijklmnop"), ("Œuvre d’art 🚲", BASE + "/k/a/c/x")]
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(checkpoint_sheet_pdf(codes, title="Vélo"))
    text = PdfReader(pdf).pages[0].extract_text()
    assert "…" in text and long_title not in text
    assert "Œuvre d’art" in text
    assert read_codes(render_pdf_pages(pdf)[0]) == [url for _, url in codes]


def test_cut_guides_are_dashed_lines() -> None:
    pdf = checkpoint_sheet_pdf(items(1), title="JEP")
    content = PdfReader(io.BytesIO(pdf)).pages[0].get_contents()
    assert content is not None
    assert b"[3 3] 0 d" in content.get_data()


def test_the_same_codes_give_the_same_file() -> None:
    # Reproducible: reprinting a lost plate gives byte-identical sheets.
    assert checkpoint_sheet_pdf(items(2), title="JEP") == checkpoint_sheet_pdf(
        items(2), title="JEP"
    )


def test_the_short_code_is_printed_large_under_each_qr_code(tmp_path: Path) -> None:
    cells = [
        (f"Borne {n}", f"{BASE}/k/jep/borne-{n}/abcdefghijklmno{n}", f"Code : ABC{n}-2{n}")
        for n in range(1, 4)
    ]
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(checkpoint_sheet_pdf(cells, title="JEP"))
    shown = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for n in range(1, 4):
        assert f"Code : ABC{n}-2{n}" in shown
    # Large, and between the code and the step's title (where a finger finds it on the plate).
    content = PdfReader(pdf).pages[0].get_contents()
    assert content is not None
    assert b"/F2 18 Tf" in content.get_data() or b" 18 Tf" in content.get_data()
    lines = [line.strip() for line in shown.splitlines() if line.strip()]
    first = next(i for i, line in enumerate(lines) if "Code : ABC1-21" in line)
    assert "Borne 1" in lines[first + 1]
    assert read_codes(render_pdf_pages(pdf)[0]) == [url for _, url, _code in cells]
