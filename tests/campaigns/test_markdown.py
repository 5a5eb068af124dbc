"""Markdown from campaign files: what a CM writes works, what an attacker writes is inert."""

from __future__ import annotations

import jinja2
import pytest
from markupsafe import Markup

from campaigns.markdown import render_inline, render_markdown


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "Avant <script>alert(1)</script> après",
        '<img src=x onerror="alert(1)">',
        "<a href='javascript:alert(1)'>x</a>",
        '<iframe src="https://evil.example"></iframe>',
    ],
)
def test_raw_html_is_escaped(text: str) -> None:
    for html in (render_markdown(text), render_inline(text)):
        assert "<script" not in html
        assert "<img" not in html
        assert "<iframe" not in html
        assert "<a href='javascript" not in html
        assert "&lt;" in html


@pytest.mark.parametrize(
    "text",
    [
        "[x](javascript:alert(1))",
        "[x](JavaScript:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "<javascript:alert(1)>",
        "[x][ref]\n\n[ref]: javascript:alert(1)",
    ],
)
def test_dangerous_links_are_not_links(text: str) -> None:
    html = render_markdown(text)
    assert "href" not in html
    assert "<a" not in html


def test_template_syntax_from_yaml_never_runs() -> None:
    html = render_markdown("Combien font {{ 7*7 }} ? {% if true %}oui{% endif %}")
    assert "49" not in html
    # Even if some template later renders the HTML again, nothing is evaluated.
    rendered = jinja2.Environment(autoescape=True).from_string(str(html)).render()
    assert "49" not in rendered and "oui" in rendered and "{%" not in rendered
    assert "{{" not in render_inline("Titre {{ 7*7 }}")


def test_markdown_images_show_their_alt_text_only() -> None:
    html = render_markdown("Voir ![la tour en 1910](https://tracker.example/pixel.gif)")
    assert html == Markup("<p>Voir la tour en 1910</p>\n")


def test_bold_links_and_lists_work() -> None:
    html = render_markdown(
        "La **tour Saint-Aubin** est le clocher d'une *abbaye*.\n\n"
        "- [Archives municipales](https://archives.angers.fr)\n"
        "- Photothèque\n"
    )
    assert isinstance(html, Markup)
    assert "<strong>tour Saint-Aubin</strong>" in html
    assert "<em>abbaye</em>" in html
    assert '<a href="https://archives.angers.fr" rel="noopener">Archives municipales</a>' in html
    assert "<ul>\n<li>" in html
    assert "<li>Photothèque</li>" in html


def test_accents_and_quotes_survive() -> None:
    assert render_markdown('L\'été à Angers & "ailleurs"') == Markup(
        "<p>L'été à Angers &amp; &quot;ailleurs&quot;</p>\n"
    )


def test_inline_is_inline_only() -> None:
    html = render_inline("Où sommes-nous ? **Journées** du patrimoine")
    assert html == Markup("Où sommes-nous ? <strong>Journées</strong> du patrimoine")
    assert "<p>" not in render_inline("# Titre\n\n- liste")
    # A title sits inside a link on the trail page: no nested link.
    assert "<a" not in render_inline("[x](https://example.fr) <https://example.fr>")


def test_empty_text_renders_nothing() -> None:
    assert render_markdown("") == Markup("")
    assert render_inline("") == Markup("")
    assert render_markdown(None) == Markup("")


def test_result_is_not_escaped_twice_in_templates() -> None:
    env = jinja2.Environment(autoescape=True)
    page = env.from_string("<div>{{ body }}</div>").render(body=render_markdown("**a** <b>"))
    assert page == "<div><p><strong>a</strong> &lt;b&gt;</p>\n</div>"
