"""`balises qr FILE --campaign SLUG --out OUT`: the QR codes a CM prints for the checkpoints.

The printed URLs are permanent (a plate on a bridge stays for years), so they are built from
the same settings the site verifies them with: `BALISES_BASE_URL` and `BALISES_SECRET_KEY`.
A file with any problem prints nothing: a sheet made from a half-valid campaign could carry
codes for steps that will never exist.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal

from balises.messages import _, ngettext
from balises.settings import Settings
from campaigns.checkpoints import checkpoint_codes
from campaigns.loading import load_file
from campaigns.model import Campaign, localise
from campaigns.sitefile import check_site, site_file_for
from campaigns.steptypes import StepType
from media.photocache import write_atomically
from media.qr import qr_png, qr_svg
from media.sheet import checkpoint_sheet_pdf

QrFormat = Literal["pdf", "png", "svg"]


def site_name(campaign_file: Path) -> str:
    """The city's name from the `site.yaml` beside the campaign file ("Balises" without one)."""
    identity = check_site(site_file_for(campaign_file)).identity
    return identity.name if identity else "Balises"


def write_codes(
    campaign: Campaign,
    out: Path,
    fmt: QrFormat,
    settings: Settings,
    campaign_file: Path | None = None,
) -> list[Path]:
    """Write the sheet (pdf) or one file per checkpoint (png, svg); return what was written.
    The sheet's pages name the site of the `site.yaml` beside `campaign_file`."""
    codes = checkpoint_codes(campaign, settings.base_url, settings.secret_key)
    if fmt == "pdf":
        out.parent.mkdir(parents=True, exist_ok=True)
        title = localise(campaign.title, campaign.languages[0] if campaign.languages else "fr")
        cells = [(c.title, c.url, _("Code : %(code)s") % {"code": c.code}) for c in codes]
        name = site_name(campaign_file) if campaign_file else "Balises"
        write_atomically(out, checkpoint_sheet_pdf(cells, title=title, site_name=name))
        return [out]
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for code in codes:
        target = out / f"{code.step_id}.{fmt}"
        write_atomically(target, qr_png(code.url) if fmt == "png" else qr_svg(code.url))
        written.append(target)
    return written


def run_qr(file: Path, campaign: str, out: Path, fmt: QrFormat, settings: Settings) -> int:
    """The command itself: 0 when the codes are written, 1 with a message on stderr if not."""
    result = load_file(file)
    if result.problems:
        for problem in result.problems:
            print(problem, file=sys.stderr)
        count = len(result.problems)
        found = ngettext(
            "%(num)s problème trouvé : corrigez-le avant d'imprimer les codes",
            "%(num)s problèmes trouvés : corrigez-les avant d'imprimer les codes",
            count,
        )
        print(found % {"num": count}, file=sys.stderr)
        return 1
    found_campaign = next((c for c in result.campaigns if c.slug == campaign), None)
    if found_campaign is None:
        slugs = ", ".join(c.slug for c in result.campaigns) or _("aucune")
        print(
            _("%(file)s : pas de campagne « %(campaign)s » (campagnes de ce fichier : %(slugs)s)")
            % {"file": file, "campaign": campaign, "slugs": slugs},
            file=sys.stderr,
        )
        return 1
    if not any(step.type == StepType.checkpoint for step in found_campaign.steps):
        print(
            _(
                "%(file)s : la campagne « %(campaign)s » n'a pas d'étape checkpoint"
                " (type: checkpoint)"
            )
            % {"file": file, "campaign": campaign},
            file=sys.stderr,
        )
        return 1
    if fmt == "pdf" and out.is_dir():
        print(
            _("%(out)s est un dossier : donnez le fichier PDF à écrire, par exemple %(example)s")
            % {"out": out, "example": out / "qr.pdf"},
            file=sys.stderr,
        )
        return 1
    if fmt != "pdf" and out.exists() and not out.is_dir():
        print(
            _(
                "%(out)s est un fichier : --format %(fmt)s écrit un fichier par checkpoint"
                " dans un dossier"
            )
            % {"out": out, "fmt": fmt},
            file=sys.stderr,
        )
        return 1
    try:
        written = write_codes(found_campaign, out, fmt, settings, file)
    except OSError as error:
        print(
            _("impossible d'écrire %(out)s : %(error)s")
            % {"out": out, "error": error.strerror or error},
            file=sys.stderr,
        )
        return 1
    codes = len(checkpoint_codes(found_campaign, settings.base_url, settings.secret_key))
    files = len(written)
    where = str(out)
    if fmt != "pdf":
        where = ngettext("%(out)s/ (%(num)s fichier)", "%(out)s/ (%(num)s fichiers)", files) % {
            "out": out,
            "num": files,
        }
    done = ngettext(
        "%(num)s QR code de « %(campaign)s » écrit dans %(where)s",
        "%(num)s QR codes de « %(campaign)s » écrits dans %(where)s",
        codes,
    )
    print(done % {"num": codes, "campaign": campaign, "where": where})
    if settings.base_url.startswith("http://localhost") or "127.0.0.1" in settings.base_url:
        print(
            _(
                "attention : les codes pointent vers %(url)s ; mettez l'adresse publique du site"
                " dans BALISES_BASE_URL avant d'imprimer"
            )
            % {"url": settings.base_url},
            file=sys.stderr,
        )
    return 0
