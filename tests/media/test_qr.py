"""QR codes of checkpoints: a phone reading them gets exactly the printed URL."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

from PIL import Image

from campaigns.checkpoints import checkpoint_path
from media.qr import qr_matrix, qr_png, qr_svg
from tests.media.qr_reading import read_codes, read_png, svg_to_image

SECRET = "une-clé-secrète-de-la-mairie-assez-longue-0123"
URL = "https://balises.laval.fr" + checkpoint_path(SECRET, "ou-sommes-nous-jep", "borne-3")


def test_png_reads_back_as_the_exact_url() -> None:
    assert read_png(qr_png(URL)) == [URL]


def test_png_has_box_size_pixels_per_module_and_a_quiet_zone() -> None:
    modules = len(qr_matrix(URL))
    image = Image.open(io.BytesIO(qr_png(URL, box_size=4)))
    assert image.size == (modules * 4, modules * 4)
    assert image.mode == "1"
    # The 4-module quiet zone around the code is white.
    border = image.convert("L").crop((0, 0, image.width, 16))
    assert border.getextrema() == (255, 255)
    assert read_codes(image) == [URL]


def test_code_survives_a_dirty_plate() -> None:
    # Error correction H: a smudge over the middle third still reads (level Q would not).
    image = Image.open(io.BytesIO(qr_png(URL))).convert("L")
    w, h = image.size
    image.paste(255, (int(w * 0.33), int(h * 0.33), int(w * 0.67), int(h * 0.67)))
    assert read_codes(image) == [URL]


def test_svg_is_valid_xml_and_draws_the_same_code() -> None:
    svg = qr_svg(URL)
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == f"0 0 {len(qr_matrix(URL))} {len(qr_matrix(URL))}"
    assert read_codes(svg_to_image(svg)) == [URL]


def test_svg_escapes_what_xml_needs() -> None:
    url = "https://example.fr/k/a/b/c?x=1&y=<2>"
    root = ET.fromstring(qr_svg(url))
    assert root.find("{http://www.w3.org/2000/svg}title").text == url  # type: ignore[union-attr]
    assert read_codes(svg_to_image(qr_svg(url))) == [url]
