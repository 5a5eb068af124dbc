"""Jinja2 templates in the site's languages, and the one way handlers render a page.

Templates are written in French with `{% trans %}`/`_()`; the language is set per request
(`web.i18n.use`) just before rendering. Campaign texts go through `t` (pick the language) and
`md`/`inline` (Markdown rendered inert by `campaigns.markdown`): YAML text is data, never a
template, so `{{ 7*7 }}` written by a CM stays literally `{{ 7*7 }}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from campaigns.markdown import render_inline, render_markdown
from campaigns.model import Campaign, Text, localise, shown_language
from web import csrf, i18n
from web.htmx import vary
from web.identity import footer_of
from web.site import PREVIEW_SCOPE, site

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"


def _t(text: Text | None) -> str:
    return localise(text, i18n.current())


def _lang_of(text: Text | None, campaign: Campaign | None) -> Markup:
    """` lang="fr"` when a campaign's text is shown in another language than the page's (a
    French-only campaign on an English page, RGAA 8.7), else nothing."""
    page = i18n.current()
    code = shown_language(text, page, list(campaign.languages) if campaign else [page])
    return Markup(' lang="%s"') % escape(code) if code != page else Markup("")


def _language_name(code: str) -> str:
    """A language's name in that language ("English", "Français"): the switch is for someone
    who may not read the page's language (RGAA 8.7, the link carries its own `lang`)."""
    try:
        name = Locale.parse(code).get_display_name(code) or ""
    except (ValueError, UnknownLocaleError):
        name = ""
    return name[:1].upper() + name[1:] if name else code.upper()


def _md(text: Text | None) -> Markup:
    return render_markdown(localise(text, i18n.current()))


def _inline(text: Text | None) -> Markup:
    return render_inline(localise(text, i18n.current()))


def _when(value: datetime | None, campaign: Campaign | None = None) -> str:
    if value is None:
        return ""
    tz = campaign.tz if campaign is not None else "Europe/Paris"
    return i18n.format_when(value, tz, i18n.current())


def _contact_href(value: str) -> str:
    """An e-mail address as a `mailto:` link; a web address as it is."""
    text = value.strip()
    return text if text.startswith(("http://", "https://", "mailto:")) else f"mailto:{text}"


def make_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(("html",), default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(t=_t, md=_md, inline=_inline, when=_when, lang_of=_lang_of)
    env.globals["language_name"] = _language_name
    env.filters["contact_href"] = _contact_href
    return env


def render(
    request: Request,
    name: str,
    context: Mapping[str, Any],
    *,
    lang: str,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """Render `name` in `lang` as an HTML response that varies on HX-Request."""
    current = site(request)
    i18n.use(lang)

    def csrf_token() -> str:
        return csrf.token(request, current.settings)

    values: dict[str, Any] = {
        "request": request,
        "lang": lang,
        "settings": current.settings,
        "csrf_token": csrf_token,
        "not_kept": None,
        # the slug this page previews (`web.play.preview`): the banner says nothing counts
        "previewing": request.scope.get(PREVIEW_SCOPE),
        "brand": current.brand,
        "asset": current.assets.url,
        "htmx_src": current.htmx_src,
        "footer": footer_of(current.brand, current.htmx_src),
    }
    values.update(context)
    html = current.templates.get_template(name).render(values)
    response = HTMLResponse(html, status_code=status, headers=dict(headers or {}))
    vary(response)
    return response
