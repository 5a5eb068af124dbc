"""The printable A4 sheet of a campaign's checkpoint QR codes.

The CM prints it at the town hall, cuts along the dashed guides and sticks each code on its
trail marker. So each cell carries the step title (to know where it goes), the checkpoint's
short code printed large (`Code : ABCD-23`: a resident who cannot see the QR code, or whose
phone has no camera, reads or is read it and types it on the step's page) and the URL in
letters (a resident whose camera refuses the code can still type it). Codes are drawn as vector
rectangles, not bitmaps: sharp on any printer, small files, and no 9 MB page images in memory
(PERF_BASELINES.md §5).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from media.qr import dark_runs, qr_matrix

MARGIN = 10 * mm
HEADER = 8 * mm
QR_SIDE = 56 * mm
TITLE_FONT = ("Helvetica-Bold", 11.0)
CODE_FONT = ("Helvetica-Bold", 18.0)
URL_FONT = "Courier"
GUIDE_GREY = Color(0.55, 0.55, 0.55)


def readable_url(url: str) -> str:
    """The URL as a person would type it: without the `https://` nobody types."""
    return url.split("://", 1)[-1]


def _split_after_slashes(text: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for piece in text.replace("/", "/\x00").split("\x00"):
        if current and stringWidth(current + piece, URL_FONT, size) > width:
            lines.append(current)
            current = ""
        current += piece
    lines.append(current)
    return lines


def _url_lines(url: str, width: float) -> tuple[list[str], float]:
    """The URL in at most 2 lines cut after a `/`, at the largest size (8–6 pt) that fits."""
    text = readable_url(url)
    for size in (8.0, 7.0, 6.0):
        lines = _split_after_slashes(text, size, width)
        if len(lines) <= 2 and all(stringWidth(line, URL_FONT, size) <= width for line in lines):
            return lines, size
    return _split_after_slashes(text, 6.0, width)[:3], 6.0


def _title_lines(title: str, width: float) -> list[str]:
    font, size = TITLE_FONT
    lines = simpleSplit(title, font, size, width) or [""]
    if len(lines) > 2:
        last = lines[1]
        while last and stringWidth(last + "…", font, size) > width:
            last = last[:-1]
        lines = [lines[0], last.rstrip() + "…"]
    return lines


def draw_code(canvas: Canvas, url: str, left: float, bottom: float, side: float) -> None:
    """The code as one filled path of rectangles, one unit per module.

    The operators are written directly in module units (integers) under a scaling transform:
    reportlab's path API formats every coordinate in pure Python, 4× slower for 200 codes.
    """
    matrix = qr_matrix(url)
    module = side / len(matrix)
    canvas.saveState()
    canvas.setFillColor(black)
    canvas.translate(left, bottom + side)
    canvas.scale(module, -module)  # y grows downwards, like the matrix rows
    rects = " ".join(f"{x} {y} {length} 1 re" for y, x, length in dark_runs(matrix))
    canvas.addLiteral(rects + " f")
    canvas.restoreState()


# One cell: (step title, URL), or (step title, URL, short code line such as "Code : ABCD-23").
SheetItem = tuple[str, str] | tuple[str, str, str]


def _draw_cell(
    canvas: Canvas, item: SheetItem, left: float, bottom: float, w: float, h: float
) -> None:
    step_title, url = item[0], item[1]
    code_line = item[2] if len(item) == 3 else ""
    inner = w - 8 * mm
    title = _title_lines(step_title, inner)
    url_lines, url_size = _url_lines(url, inner)
    title_size = TITLE_FONT[1]
    code_size = CODE_FONT[1] if code_line else 0.0
    text_height = len(title) * title_size * 1.2 + len(url_lines) * url_size * 1.2 + 2 * mm
    text_height += code_size * 1.3
    block = QR_SIDE + text_height
    top = bottom + h - (h - block) / 2
    centre = left + w / 2
    draw_code(canvas, url, centre - QR_SIDE / 2, top - QR_SIDE, QR_SIDE)
    y = top - QR_SIDE
    canvas.setFillColor(black)
    if code_line:
        y -= code_size
        canvas.setFont(*CODE_FONT)
        canvas.drawCentredString(centre, y, code_line)
        y -= code_size * 0.3
    y -= title_size
    canvas.setFont(*TITLE_FONT)
    for line in title:
        canvas.drawCentredString(centre, y, line)
        y -= title_size * 1.2
    y -= 2 * mm - title_size * 0.2
    canvas.setFont(URL_FONT, url_size)
    for line in url_lines:
        canvas.drawCentredString(centre, y, line)
        y -= url_size * 1.2


def _draw_guides(canvas: Canvas, columns: int, rows: int, cell_w: float, cell_h: float) -> None:
    """Dashed cut lines around every cell, from edge to edge of the page."""
    page_w, page_h = A4
    grid_top = page_h - MARGIN - HEADER
    canvas.saveState()
    canvas.setStrokeColor(GUIDE_GREY)
    canvas.setLineWidth(0.4)
    canvas.setDash(3, 3)
    for c in range(columns + 1):
        x = MARGIN + c * cell_w
        canvas.line(x, grid_top - rows * cell_h - MARGIN / 2, x, grid_top + MARGIN / 2)
    for r in range(rows + 1):
        y = grid_top - r * cell_h
        canvas.line(MARGIN / 2, y, page_w - MARGIN / 2, y)
    canvas.restoreState()


def checkpoint_sheet_pdf(
    items: Sequence[SheetItem],
    *,
    title: str,
    site_name: str = "Balises",
    columns: int = 2,
    rows: int = 3,
) -> bytes:
    """An A4 PDF of (step title, url[, code line]) cells, `columns`×`rows` per page, with cut
    guides; each page's header names the site (the city's name from `site.yaml`) and the
    campaign."""
    page_w, page_h = A4
    cell_w = (page_w - 2 * MARGIN) / columns
    cell_h = (page_h - 2 * MARGIN - HEADER) / rows
    per_page = columns * rows
    pages = max(1, -(-len(items) // per_page))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor(site_name)
    canvas.setCreator("Balises")
    for page in range(pages):
        chunk = items[page * per_page : (page + 1) * per_page]
        canvas.setFillColor(black)
        canvas.setFont("Helvetica", 9)
        canvas.drawString(MARGIN, page_h - MARGIN - 4 * mm, f"{site_name} · {title}")
        canvas.drawRightString(page_w - MARGIN, page_h - MARGIN - 4 * mm, f"{page + 1}/{pages}")
        _draw_guides(canvas, columns, rows, cell_w, cell_h)
        for index, item in enumerate(chunk):
            column, row = index % columns, index // columns
            left = MARGIN + column * cell_w
            bottom = page_h - MARGIN - HEADER - (row + 1) * cell_h
            _draw_cell(canvas, item, left, bottom, cell_w, cell_h)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
