"""Safe HTML from the Markdown a community manager writes in (md) fields.

Campaign text comes from a YAML file, not from a trusted template: raw HTML is escaped, links to
`javascript:`, `vbscript:` or `data:` are left as plain text (markdown-it's "js-default" preset),
and curly braces are written as character references so no template engine can ever run
`{{ 7*7 }}` from a campaign. Images are rendered as their alt text: every photo a player sees
goes through `photo:`, which requires an alt text and a credit, strips GPS metadata and loads
from our own server rather than from a third party that could track residents.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup, escape


def _link_open(
    renderer: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """Links open without giving the target page a handle on the game's window."""
    tokens[idx].attrSet("rel", "noopener")
    return str(renderer.renderToken(tokens, idx, options, env))


def _image(
    renderer: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """An image in Markdown shows as its alt text (see the module docstring)."""
    alt = renderer.renderInlineAsText(tokens[idx].children or [], options, env)
    return str(escape(alt))


def _block_parser() -> MarkdownIt:
    md = MarkdownIt("js-default")
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("image", _image)
    return md


def _inline_parser() -> MarkdownIt:
    """Titles sit inside headings and links: emphasis and code only, no nested link or image."""
    md = MarkdownIt("js-default").disable(["link", "image", "autolink"])
    return md


_BLOCK = _block_parser()
_INLINE = _inline_parser()


def _inert_braces(html: str) -> str:
    return html.replace("{", "&#123;").replace("}", "&#125;")


@lru_cache(maxsize=4096)  # campaign texts are few and repeat on every page
def render_markdown(text: str | None) -> Markup:
    """Paragraphs, lists, emphasis and links from a (md) field, safe to put in a page."""
    if not text:
        return Markup("")
    return Markup(_inert_braces(_BLOCK.render(text)))


@lru_cache(maxsize=4096)
def render_inline(text: str | None) -> Markup:
    """A title's emphasis and code, without paragraphs, links or images."""
    if not text:
        return Markup("")
    return Markup(_inert_braces(_INLINE.renderInline(text)))
