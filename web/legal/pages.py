"""`/mentions-legales`, `/donnees-personnelles` and `/accessibilite`, linked from every footer.

The publisher, the controller and the accessibility audit come from `site.yaml`; what a
sentence cannot know without it is said plainly ("not given yet") rather than invented, and the
staff home tells the CM what is missing. The accessibility status of a site that was never
audited is "non conforme", as the RGAA requires.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from campaigns.sitemodel import Conformity
from web import i18n
from web.identity import conformity_words
from web.legal.privacy import privacy_facts
from web.site import site
from web.templating import render

RGAA_VERSION = "4.1.2"
DEFENSEUR_FORM = "https://formulaire.defenseurdesdroits.fr/"
DEFENSEUR_DELEGATES = "https://www.defenseurdesdroits.fr/saisir/delegues"
CNIL_COMPLAINT = "https://www.cnil.fr/fr/plaintes"


def _language(request: Request) -> str:
    return i18n.choose(request, i18n.SITE_LANGUAGES)


async def legal_notice(request: Request) -> Response:
    lang = _language(request)
    context = {"languages": i18n.SITE_LANGUAGES}
    return render(request, "legal/notice.html", context, lang=lang)


async def privacy_notice(request: Request) -> Response:
    current = site(request)
    lang = _language(request)
    context = {
        "languages": i18n.SITE_LANGUAGES,
        "facts": privacy_facts(current, lang),
        "cnil": CNIL_COMPLAINT,
    }
    return render(request, "legal/privacy.html", context, lang=lang)


async def accessibility(request: Request) -> Response:
    current = site(request)
    lang = _language(request)
    identity = current.brand.identity
    declared = identity.accessibility if identity else None
    status = current.brand.conformity
    context = {
        "languages": i18n.SITE_LANGUAGES,
        "declared": declared,
        "status": conformity_words(status),
        "audited": declared is not None and declared.audited is not None,
        "never_audited": declared is None or declared.audited is None,
        "conforming": status is Conformity.full,
        "rgaa": RGAA_VERSION,
        "defenseur_form": DEFENSEUR_FORM,
        "defenseur_delegates": DEFENSEUR_DELEGATES,
        "base_url": current.settings.base_url,
    }
    return render(request, "legal/accessibility.html", context, lang=lang)
