"""The staff campaigns page: which version is online, what waits, and confirming a held one.

A new version that removes campaigns or steps players have progress in is held (see
`web.publication.registry`); this page shows what it removes and how many players have progress in
each,
and a CM publishes it with a POST that names the version they read (a version that changed
since is refused: they confirm only what they saw).
"""

from __future__ import annotations

from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from campaigns.advice import Advice
from campaigns.problems import Problem
from web.forms import checked_form, text_field
from web.publication import sentences
from web.publication.registry import Registry
from web.publication.status import PublicationStatus
from web.site import site
from web.staff.auth import staff_language, staff_of, staff_page
from web.templating import render


def problem_sections(registry: Registry, lang: str) -> list[tuple[Path, list[Problem], str]]:
    """Each file with problems, worded in `lang`, and what that means for what is online."""
    status = registry.status()
    by_path = {f.path: f for f in status.files}
    sections = []
    for path, problems in sorted(registry.problems_in(lang).items()):
        file = by_path.get(path)
        note = sentences.file_line(file, status.quiet) if file is not None else ""
        sections.append((path, problems, note))
    return sections


def advice_sections(registry: Registry, lang: str) -> list[tuple[Path, list[Advice]]]:
    """Each file with advice (`campaigns.advice`), worded in `lang`: said, never refused."""
    return sorted(registry.advice_in(lang).items())


def _page(
    request: Request, status: PublicationStatus, *, code: int = 200, **flags: bool
) -> Response:
    current = site(request)
    lang = staff_language(request)
    held = status.held
    context = {
        "staff": staff_of(request),
        "campaigns": current.registry.campaigns(),
        "source": current.registry.source,
        "online": sentences.online_line(status),
        "files": [sentences.file_line(f, status.quiet) for f in status.files],
        "held": held,
        "held_line": sentences.held_line(status) if held else "",
        "removals": [sentences.removal_line(r, n) for r, n in held.removals] if held else [],
        "held_advice": sentences.held_advice(),
        "command": sentences.CONFIRM_COMMAND,
        "problems": problem_sections(current.registry, lang),
        "advice": advice_sections(current.registry, lang),
        **flags,
    }
    return render(request, "staff/campaigns.html", context, lang=lang, status=code)


@staff_page(role="cm")
async def campaigns(request: Request) -> Response:
    status = site(request).registry.status()
    return _page(request, status, confirmed=request.query_params.get("publiee") == "1")


@staff_page(role="cm")
async def confirm(request: Request) -> Response:
    form = await checked_form(request)
    registry = site(request).registry
    digest = text_field(form, "version")
    if not await run_in_threadpool(registry.confirm, digest):
        return _page(request, registry.status(), code=409, stale=True)
    return RedirectResponse("/staff/campagnes?publiee=1", 303)
