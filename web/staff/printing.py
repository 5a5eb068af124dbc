"""What the community manager prints, from the staff area: the checkpoint sheet and poster codes.

The same A4 sheet `balises qr` prints (`media.sheet`, codes from `campaigns.checkpoints.
checkpoint_codes`, so the site and the command line can never print different URLs), and for
every campaign a QR code of its start page with `?via=affiche`, so the figures tell how many
residents came from the posters. PNG for a word processor, SVG for the print shop.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from campaigns.checkpoints import checkpoint_codes
from campaigns.model import Campaign, localise
from media.qr import qr_png, qr_svg
from media.sheet import checkpoint_sheet_pdf
from web import offload
from web.i18n import gettext as _
from web.play import channels
from web.site import Site, site
from web.staff.auth import staff_language, staff_of, staff_page
from web.templating import render

POSTER_CHANNEL = channels.POSTER
POSTER_BOX = 20  # pixels per module: about 900 px wide, sharp on an A4 poster at 150 dpi


def poster_url(current: Site, campaign: Campaign) -> str:
    """The address printed on posters; `?via=affiche` counts the residents it brings."""
    return f"{current.settings.base_url.rstrip('/')}/c/{campaign.slug}?via={POSTER_CHANNEL}"


def _download(payload: bytes, media_type: str, filename: str) -> Response:
    headers = {
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    }
    return Response(payload, media_type=media_type, headers=headers)


@staff_page(role="cm")
async def printing(request: Request) -> Response:
    current = site(request)
    rows = [
        (
            campaign,
            sum(1 for s in campaign.steps if s.kind.scanned),
            poster_url(current, campaign),
        )
        for campaign in current.registry.campaigns()
    ]
    context = {"staff": staff_of(request), "rows": rows}
    return render(request, "staff/printing.html", context, lang=staff_language(request))


async def _sheet(current: Site, campaign: Campaign) -> bytes:
    codes = checkpoint_codes(campaign, current.settings.base_url, current.settings.secret_key)
    title = localise(campaign.title, campaign.languages[0] if campaign.languages else "fr")
    code_label = _("Code : %(code)s")  # in the staff member's language
    cells = [(c.title, c.url, code_label % {"code": c.code}) for c in codes]
    return await offload.run(checkpoint_sheet_pdf, cells, title=title, site_name=current.brand.name)


@staff_page(role="cm")
async def sheet(request: Request) -> Response:
    current = site(request)
    campaign = current.campaign_in(request, upcoming=True)
    if not any(s.kind.scanned for s in campaign.steps):
        raise HTTPException(404)
    payload = await _sheet(current, campaign)
    return _download(payload, "application/pdf", f"balises-{campaign.slug}.pdf")


@staff_page(role="cm")
async def poster(request: Request) -> Response:

    current = site(request)
    campaign = current.campaign_in(request, upcoming=True)
    fmt = request.path_params["fmt"]
    if fmt not in ("png", "svg"):
        raise HTTPException(404)
    url = poster_url(current, campaign)
    if fmt == "svg":
        payload = await offload.run(qr_svg, url)
        return _download(payload, "image/svg+xml", f"affiche-{campaign.slug}.svg")
    payload = await offload.run(qr_png, url, box_size=POSTER_BOX)
    return _download(payload, "image/png", f"affiche-{campaign.slug}.png")
