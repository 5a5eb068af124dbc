"""The Markdown a community manager writes, as the paragraphs of a printed page.

A PDF has no HTML: reportlab's paragraphs take a small markup of their own (`<b>`, `<i>`,
`<br/>`), in which every `&`, `<` and `>` of the campaign's text must be escaped or the
paragraph breaks. So the Markdown is parsed again here (the same markdown-it preset as the site,
raw HTML off) and each block comes out as one line of that markup: emphasis kept, a list item
with its bullet, a link as its text followed by its address (paper cannot be clicked), an image
as its alt text, as on the site.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape

from markdown_it import MarkdownIt
from markdown_it.token import Token

_PARSER = MarkdownIt("js-default")
_TAGS = {
    "strong_open": "<b>",
    "strong_close": "</b>",
    "em_open": "<i>",
    "em_close": "</i>",
    "s_open": "<strike>",
    "s_close": "</strike>",
}


@dataclass(frozen=True)
class Block:
    """One printed paragraph: `markup` in reportlab's paragraph markup; `kind` is "p", "item"
    (a list item, `bullet` its "•" or "3.") or "heading"."""

    kind: str
    markup: str
    bullet: str = ""
    depth: int = 0


def _readable(href: str) -> str:
    return href.split("://", 1)[-1].removeprefix("mailto:").rstrip("/")


def _inline(children: Sequence[Token]) -> str:
    parts: list[str] = []
    links: list[str] = []
    for token in children:
        kind = token.type
        if kind in _TAGS:
            parts.append(_TAGS[kind])
        elif kind in ("text", "code_inline", "html_inline"):
            parts.append(escape(token.content))
        elif kind == "softbreak":
            parts.append(" ")
        elif kind == "hardbreak":
            parts.append("<br/>")
        elif kind == "image":
            parts.append(escape("".join(c.content for c in token.children or [])))
        elif kind == "link_open":
            links.append(str(token.attrGet("href") or ""))
            parts.append("")
        elif kind == "link_close" and links:
            href = links.pop()
            shown = _readable(href)
            if shown and shown not in "".join(parts):
                parts.append(f" ({escape(shown)})")
    return "".join(parts).strip()


@lru_cache(maxsize=1024)
def inline_markup(text: str) -> str:
    """A title's emphasis, as one line of paragraph markup."""
    tokens = _PARSER.parseInline(text)
    return _inline(tokens[0].children or []) if tokens else ""


@lru_cache(maxsize=1024)
def printed_blocks(text: str | None) -> tuple[Block, ...]:
    """The blocks of a (md) text, in order."""
    if not text:
        return ()
    blocks: list[Block] = []
    lists: list[list[int]] = []  # per open list: [number of the next item] (0: bullets)
    heading = False
    bullet = ""
    for token in _PARSER.parse(text):
        kind = token.type
        if kind == "bullet_list_open":
            lists.append([0])
        elif kind == "ordered_list_open":
            lists.append([int(token.attrGet("start") or 1)])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open" and lists:
            number = lists[-1][0]
            bullet = f"{number}." if number else "•"
            lists[-1][0] = number + 1 if number else 0
        elif kind == "heading_open":
            heading = True
        elif kind == "heading_close":
            heading = False
        elif kind in ("fence", "code_block"):
            blocks.append(Block("p", escape(token.content.rstrip("\n")).replace("\n", "<br/>")))
        elif kind == "inline":
            markup = _inline(token.children or [])
            if not markup:
                continue
            if heading:
                blocks.append(Block("heading", f"<b>{markup}</b>"))
            elif bullet:
                blocks.append(Block("item", markup, bullet, len(lists)))
                bullet = ""  # a second paragraph of the same item has no bullet of its own
            elif lists:
                blocks.append(Block("item", markup, "", len(lists)))
            else:
                blocks.append(Block("p", markup))
    return tuple(blocks)
