"""The URLs of the staff area, all under `/staff` and all listed here (SPEC: "GET /staff/…
staff area (login)").

Every route except the login form goes through `auth.staff_page`; `PUBLIC` names the one
exception so the router-generated test can check every other route refuses players.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from balises.settings import Settings
from media import storage
from web import i18n
from web.i18n import gettext as _
from web.routing import form, page
from web.site import site
from web.staff import (
    auth,
    dashboard,
    identifications,
    kit,
    ledger,
    markers,
    moderation,
    photos,
    previews,
    printing,
    publication,
)
from web.staff.archive_export import export_csv
from web.staff.auth import staff_language, staff_of, staff_page
from web.staff.dublincore import export_xml
from web.staff.publication import advice_sections, problem_sections
from web.staff.siteidentity import site_notes
from web.staff.waiting import waiting
from web.store import db
from web.templating import render

PUBLIC = frozenset({"/staff/login"})


def media_problem(settings: Settings) -> str | None:
    """What is wrong with the media folder, said to the staff (they are the ones who upload)."""
    folder = settings.media_dir
    found = storage.folder_problem(folder, free_at_least=settings.max_upload_bytes)
    path = {"path": str(folder.resolve())}
    if found == storage.MISSING:
        return (
            _(
                "Le dossier des photos %(path)s est introuvable : les envois de photos sont refusés"
                " et les photos de la photothèque ne s'affichent plus. Vérifiez que son disque est"
                " monté, ou le réglage BALISES_MEDIA_DIR."
            )
            % path
        )
    if found == storage.NOT_A_FOLDER:
        return (
            _(
                "%(path)s, le dossier des photos, n'est pas un dossier : les envois de photos sont"
                " refusés. Vérifiez le réglage BALISES_MEDIA_DIR."
            )
            % path
        )
    if found == storage.READ_ONLY:
        return (
            _(
                "Le dossier des photos %(path)s est en lecture seule : les envois de photos sont"
                " refusés ; les photos déjà en ligne restent affichées. Rendez-le accessible en"
                " écriture au serveur."
            )
            % path
        )
    if found == storage.FULL:
        return (
            _(
                "Le disque du dossier des photos %(path)s est presque plein : les prochains envois"
                " de photos risquent d'être refusés. Libérez de la place."
            )
            % path
        )
    return None


@staff_page()
async def home(request: Request) -> Response:
    user = staff_of(request)
    current = site(request)
    lang = staff_language(request)
    i18n.use(lang)  # the sentences of the work waiting
    problems = problem_sections(current.registry, lang) if user.is_cm else []
    notes = site_notes(current.brand, lang) if user.is_cm else None
    site_problems = len(notes.problems) if notes else 0
    queues = await db.call(
        current.engine, waiting, current, user.is_cm, len(problems), site_problems
    )
    context = {
        "media_problem": media_problem(current.settings),
        "staff": user,
        "problems": problems,
        "advice": advice_sections(current.registry, lang) if user.is_cm else [],
        "campaigns": current.registry.campaigns() if user.is_cm else [],
        "held": current.registry.status().held if user.is_cm else None,
        "password_changed": request.query_params.get("motdepasse") == "ok",
        # Why the map draws its plan instead of the city's tiles (web.maptiles).
        "tiles_problems": [str(problem) for problem in current.tiles.problems],
        "site_notes": notes,
        "waiting": queues,
    }
    return render(request, "staff/home.html", context, lang=lang)


def staff_routes() -> list[Route]:
    """The staff area's routes, to add to the site's route list."""
    return [
        page("/staff", home, "staff-home"),
        page("/staff/login", auth.login_form, "staff-login-form"),
        form("/staff/login", auth.login, "staff-login"),
        form("/staff/logout", auth.logout, "staff-logout"),
        page("/staff/motdepasse", auth.password_form, "staff-password"),
        form("/staff/motdepasse", auth.change_password, "staff-password-set"),
        page("/staff/campagnes", publication.campaigns, "staff-campaigns"),
        form("/staff/campagnes/publier", publication.confirm, "staff-publish"),
        form("/staff/campagnes/{campaign}/apercu", previews.play, "staff-preview-play"),
        page("/staff/campagnes/{campaign}/kit", kit.kit_page, "staff-kit"),
        page("/staff/campagnes/{campaign}/kit.zip", kit.kit_zip, "staff-kit-zip"),
        page("/staff/campagnes/{campaign}/kit/{card}.png", kit.kit_card, "staff-kit-card"),
        page("/staff/apercus", previews.previews, "staff-previews"),
        form("/staff/apercus", previews.create, "staff-preview-create"),
        form("/staff/apercus/{link}/revoquer", previews.revoke, "staff-preview-revoke"),
        page("/staff/photos", photos.photo_list, "staff-photos"),
        form("/staff/photos", photos.upload, "staff-upload"),
        page("/staff/photos/nouvelle", photos.upload_form, "staff-upload-form"),
        page("/staff/photos/{photo}", photos.photo_detail, "staff-photo"),
        form("/staff/photos/{photo}", photos.photo_edit, "staff-edit"),
        form("/staff/photos/{photo}/supprimer", photos.photo_delete, "staff-delete"),
        page("/staff/photos/{photo}/thumb.webp", photos.thumbnail, "staff-thumb"),
        page("/staff/moderation", moderation.queue, "staff-moderation"),
        form("/staff/moderation/{item:id}", moderation.decide, "staff-moderate"),
        page("/staff/moderation/{item:id}/photo.jpg", moderation.preview, "staff-moderation-photo"),
        page(
            "/staff/identifications", identifications.identifications_page, "staff-identifications"
        ),
        form("/staff/identifications", identifications.decide, "staff-identify"),
        page(
            "/staff/identifications/{campaign}/{step}/photo.webp",
            identifications.photo,
            "staff-identification-photo",
        ),
        page("/staff/identifications.csv", export_csv, "staff-identifications-csv"),
        page("/staff/identifications.xml", export_xml, "staff-identifications-xml"),
        page("/staff/chiffres", dashboard.figures_index, "staff-figures-index"),
        page("/staff/chiffres/{campaign}.json", dashboard.figures_json, "staff-figures-json"),
        page("/staff/chiffres/{campaign}", dashboard.figures_page, "staff-figures"),
        page("/staff/merci", ledger.ledger_page, "staff-ledger"),
        form("/staff/merci", ledger.ledger_record, "staff-ledger-record"),
        form("/staff/merci/{thanks:id}/supprimer", ledger.ledger_delete, "staff-ledger-delete"),
        page("/staff/signalements", markers.report_list, "staff-reports"),
        form("/staff/signalements/{report:id}/resolu", markers.resolve, "staff-resolve"),
        page(
            "/staff/signalements/{report:id}/photo.webp", markers.report_photo, "staff-report-photo"
        ),
        page("/staff/impression", printing.printing, "staff-printing"),
        page("/staff/impression/{campaign}/balises.pdf", printing.sheet, "staff-sheet"),
        page("/staff/impression/{campaign}/affiche.{fmt:str}", printing.poster, "staff-poster"),
    ]
