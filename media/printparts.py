"""The pieces a printed page is made of: embedded fonts, paragraph styles, a QR code drawn as
vector rectangles (as on the checkpoint sheet), ruled lines to write on, a box to tick.
"""

from __future__ import annotations

from functools import lru_cache

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.platypus import Flowable

from media.cards import FONT_DIR
from media.sheet import draw_code

LINE_GAP = 9 * mm
GREY = Color(0.35, 0.35, 0.35)
RULE = Color(0.6, 0.6, 0.6)


@lru_cache(maxsize=1)
def fonts() -> str:
    """DejaVu Sans embedded (any French or English character prints), or Helvetica without it."""
    faces = {
        "BalisesSans": "DejaVuSans.ttf",
        "BalisesSans-Bold": "DejaVuSans-Bold.ttf",
        "BalisesSans-Oblique": "DejaVuSans-Oblique.ttf",
        "BalisesSans-BoldOblique": "DejaVuSans-BoldOblique.ttf",
    }
    try:
        for name, file in faces.items():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    except (OSError, TTFError):
        return "Helvetica"
    pdfmetrics.registerFontFamily(
        "BalisesSans",
        normal="BalisesSans",
        bold="BalisesSans-Bold",
        italic="BalisesSans-Oblique",
        boldItalic="BalisesSans-BoldOblique",
    )
    return "BalisesSans"


def styles_for(font: str) -> dict[str, ParagraphStyle]:
    """The roadbook's paragraph styles in `font`: sizes for a page read at arm's length, grey
    for what is said about a step rather than by it (notices, captions, credits)."""
    base = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=14, spaceAfter=4)
    return {
        "body": base,
        "site": ParagraphStyle("site", base, fontSize=10, textColor=GREY),
        "title": ParagraphStyle("title", base, fontSize=20, leading=25, spaceAfter=8),
        "h2": ParagraphStyle(
            "h2", base, fontSize=15, leading=19, spaceBefore=10, spaceAfter=6, keepWithNext=1
        ),
        "step": ParagraphStyle("step", base, fontSize=13, leading=17, spaceBefore=12),
        "notice": ParagraphStyle("notice", base, textColor=GREY),
        "small": ParagraphStyle("small", base, fontSize=8.5, leading=11, textColor=GREY),
        "item": ParagraphStyle("item", base, leftIndent=14, bulletIndent=4, bulletFontName=font),
    }


class Code(Flowable):  # type: ignore[misc]
    """The QR code of the campaign's page, drawn as vector rectangles like the checkpoint sheet."""

    def __init__(self, url: str, side: float) -> None:
        super().__init__()
        self.url, self.side = url, side

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.side, self.side

    def draw(self) -> None:
        draw_code(self.canv, self.url, 0, 0, self.side)


class WritingLines(Flowable):  # type: ignore[misc]
    """Ruled lines across the column, to write an answer on."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count
        self.width = 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.count * LINE_GAP

    def draw(self) -> None:
        self.canv.setStrokeColor(RULE)
        self.canv.setLineWidth(0.6)
        for line in range(self.count):
            y = line * LINE_GAP + 1
            self.canv.line(0, y, self.width, y)


class Tick(Flowable):  # type: ignore[misc]
    """An empty square to tick."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 4 * mm, 4 * mm

    def draw(self) -> None:
        self.canv.setLineWidth(0.8)
        self.canv.rect(0, 0, 4 * mm, 4 * mm)
