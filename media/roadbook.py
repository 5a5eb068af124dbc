"""The printable roadbook of a campaign (`/c/{campaign}/carnet.pdf`): the trail on paper.

Families print it at home, the tourist office hands it out: the campaign's introduction, a code
to its page, then each step with what a player who has not started may see (its title, its
text, the first crop of its photo, where a marker stands), room to write the answer, and the
people to thank. What is printed is decided by the site (`web.play.carnet`); this module only
lays it out, on A4, and never sees an answer or a story it could print by mistake.

A photo is the very JPEG the step page serves at its first crop (`media.photos.variant`, GPS and
camera metadata gone), embedded as it is. A roadbook is cached by its content (every text, each
photo's bytes and crop, the layout version), as the share cards are.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from media.photocache import cached, kept
from media.photos import Box, PhotoError, variant
from media.printedtext import Block, inline_markup, printed_blocks
from media.printparts import GREY, Code, Tick, WritingLines, fonts, styles_for
from media.sheet import readable_url

ROADBOOK_VERSION = "1"  # part of the cache key: bump it when the layout changes
MARGIN = 16 * mm
PHOTO_PIXELS = 960  # the width the step page's `src` is served at
PHOTO_MAX = (110 * mm, 70 * mm)
CODE_SIDE = 34 * mm


@dataclass(frozen=True)
class PrintedPhoto:
    source: Path
    box: Box | None  # None: the whole photo, for a step whose photo is not a riddle's
    alt: str
    credit: str


@dataclass(frozen=True)
class PrintedStep:
    number: int
    title: str  # inline Markdown
    notices: tuple[str, ...] = ()  # plain text: when it opens, how it unlocks
    text: str = ""  # Markdown
    place: str = ""  # where its marker stands, as printed; never a riddle's place
    photo: PrintedPhoto | None = None
    write_label: str = ""  # above the room to write (none without a label)
    write_lines: int = 0
    choices: tuple[str, ...] = ()  # boxes to tick instead of lines
    credit: str = ""


@dataclass(frozen=True)
class Roadbook:
    site_name: str
    title: str
    intro: str  # Markdown
    url: str  # what the code opens: the campaign's page
    notices: tuple[str, ...]  # plain text under the code
    online: str  # the words beside the code
    steps_heading: str
    steps: tuple[PrintedStep, ...]
    credits_heading: str
    credits: tuple[tuple[str, str], ...]  # (name, what they gave)
    page_label: str  # "Page %(num)s"
    lang: str


def _paragraphs(blocks: tuple[Block, ...], styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    flowables: list[Flowable] = []
    for block in blocks:
        if block.kind == "item":
            style = ParagraphStyle("item", styles["item"], leftIndent=14 * block.depth)
            flowables.append(Paragraph(block.markup, style, bulletText=block.bullet or None))
        else:
            flowables.append(Paragraph(block.markup, styles["body"]))
    return flowables


def _plain(text: str) -> str:
    """A plain text (a name, a notice, a credit) in paragraph markup."""
    return escape(text)


def _photo(
    photo: PrintedPhoto, cache_dir: Path, styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    """The crop the step page shows first, at its size, with its description and credit."""
    try:
        derived = variant(
            photo.source, box=photo.box, width=PHOTO_PIXELS, fmt="jpeg", cache_dir=cache_dir
        )
        data = derived if isinstance(derived, bytes) else derived.read_bytes()
    except (PhotoError, OSError):
        return []  # an unreadable photo: the step without it
    width, height = ImageReader(io.BytesIO(data)).getSize()
    scale = min(PHOTO_MAX[0] / width, PHOTO_MAX[1] / height)
    image = Image(io.BytesIO(data), width=width * scale, height=height * scale, hAlign="LEFT")
    flowables: list[Flowable] = [Spacer(1, 2 * mm), image]
    caption = " · ".join(part for part in (photo.alt, photo.credit) if part)
    if caption:
        flowables.append(Paragraph(_plain(caption), styles["small"]))
    return flowables


def _choices(step: PrintedStep, font: str) -> Table:
    style = ParagraphStyle("choice", fontName=font, fontSize=10.5, leading=14)
    rows = [[Tick(), Paragraph(_plain(choice), style)] for choice in step.choices]
    table = Table(rows, colWidths=[7 * mm, None], hAlign="LEFT")
    commands = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (0, -1), 0)]
    table.setStyle(TableStyle(commands))
    return table


def _step(
    step: PrintedStep, cache_dir: Path, font: str, styles: dict[str, ParagraphStyle]
) -> Flowable:
    parts: list[Flowable] = [
        Paragraph(f"<b>{step.number}. {inline_markup(step.title)}</b>", styles["step"])
    ]
    parts += [Paragraph(_plain(notice), styles["notice"]) for notice in step.notices]
    parts += _paragraphs(printed_blocks(step.text), styles)
    if step.photo is not None:
        parts += _photo(step.photo, cache_dir, styles)
    if step.place:
        parts.append(Paragraph(_plain(step.place), styles["body"]))
    if step.write_label:
        parts.append(Paragraph(f"<b>{_plain(step.write_label)}</b>", styles["body"]))
        parts.append(_choices(step, font) if step.choices else WritingLines(step.write_lines))
    if step.credit:
        parts.append(Paragraph(_plain(step.credit), styles["small"]))
    return KeepTogether(parts)


def _cover(book: Roadbook, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    parts: list[Flowable] = [
        Paragraph(_plain(book.site_name), styles["site"]),
        Paragraph(f"<b>{inline_markup(book.title)}</b>", styles["title"]),
    ]
    parts += _paragraphs(printed_blocks(book.intro), styles)
    beside = [Paragraph(_plain(book.online), styles["body"])]
    beside.append(
        Paragraph(f"<b>{_plain(readable_url(book.url.split('?', 1)[0]))}</b>", styles["body"])
    )
    beside += [Paragraph(_plain(notice), styles["notice"]) for notice in book.notices]
    table = Table(
        [[Code(book.url, CODE_SIDE), beside]], colWidths=[CODE_SIDE + 6 * mm, None], hAlign="LEFT"
    )
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (0, 0), 0)])
    )
    return [*parts, Spacer(1, 3 * mm), table]


def _credits(book: Roadbook, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    if not book.credits:
        return []
    parts: list[Flowable] = [Paragraph(f"<b>{_plain(book.credits_heading)}</b>", styles["h2"])]
    for name, given in book.credits:
        line = f"<b>{_plain(name)}</b>" + (f" — {_plain(given)}" if given else "")
        parts.append(Paragraph(line, styles["item"], bulletText="•"))
    return parts


def _draw(book: Roadbook, cache_dir: Path) -> bytes:
    font = fonts()
    styles = styles_for(font)
    story: list[Flowable] = _cover(book, styles)
    story.append(Paragraph(f"<b>{_plain(book.steps_heading)}</b>", styles["h2"]))
    story += [_step(step, cache_dir, font, styles) for step in book.steps]
    story += _credits(book, styles)
    footer = f"{book.site_name} · {book.title}"

    def on_page(canvas: Canvas, document: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN, MARGIN / 2, footer[:110])
        number = book.page_label % {"num": document.page}
        canvas.drawRightString(A4[0] - MARGIN, MARGIN / 2, number)
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=book.title,
        author=book.site_name,
        creator="Balises",
        lang=book.lang,
        invariant=1,
    )
    document.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def _key(book: Roadbook, cache_dir: Path) -> str:
    """What the roadbook shows: its texts and, for each photo, its bytes' digest and crop."""
    photos: list[str] = []
    for step in book.steps:
        if step.photo is None:
            continue
        box = step.photo.box or (0.0, 0.0, 1.0, 1.0)
        try:
            photos.append(cached(step.photo.source, box, "roadbook", "jpg", cache_dir)[0].name)
        except OSError:
            photos.append("missing")
    texts = json.dumps([ROADBOOK_VERSION, asdict(book), photos], ensure_ascii=False, default=str)
    return hashlib.sha256(texts.encode("utf-8")).hexdigest()[:32]


def roadbook_pdf(book: Roadbook, cache_dir: Path) -> Path | bytes:
    """The roadbook as a PDF, kept in `cache_dir` by everything it shows (its bytes when the
    cache cannot be written)."""
    target = cache_dir / "roadbooks" / f"{_key(book, cache_dir)}.pdf"
    if target.exists():
        return target
    return kept(target, _draw(book, cache_dir), cache_dir)
