"""The URLs of the staff area, all under `/staff` (SPEC: "GET /staff/… staff area (login)").

Every route except the login form goes through `auth.staff_page`; `PUBLIC` names the one
exception so the router-generated test can check every other route refuses players.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from balises.settings import Settings
from media import storage
from web.i18n import gettext as _
from web.site import site
from web.staff import auth, photos, publication
from web.staff.auth import staff_language, staff_of, staff_page
from web.staff.publication import problem_sections
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
    context = {
        "media_problem": media_problem(current.settings),
        "staff": user,
        "problems": problem_sections(current.registry, lang) if user.is_cm else [],
        "campaigns": current.registry.campaigns() if user.is_cm else [],
        "held": current.registry.status().held if user.is_cm else None,
        "password_changed": request.query_params.get("motdepasse") == "ok",
    }
    return render(request, "staff/home.html", context, lang=lang)


def staff_routes() -> list[Route]:
    """The staff area's routes, to add to the site's route list."""
    return [
        Route("/staff", home, name="staff-home"),
        Route("/staff/login", auth.login_form, methods=["GET"], name="staff-login-form"),
        Route("/staff/login", auth.login, methods=["POST"], name="staff-login"),
        Route("/staff/logout", auth.logout, methods=["POST"], name="staff-logout"),
        Route("/staff/motdepasse", auth.password_form, methods=["GET"], name="staff-password"),
        Route(
            "/staff/motdepasse", auth.change_password, methods=["POST"], name="staff-password-set"
        ),
        Route("/staff/campagnes", publication.campaigns, name="staff-campaigns"),
        Route(
            "/staff/campagnes/publier",
            publication.confirm,
            methods=["POST"],
            name="staff-publish",
        ),
        Route("/staff/photos", photos.photo_list, methods=["GET"], name="staff-photos"),
        Route("/staff/photos", photos.upload, methods=["POST"], name="staff-upload"),
        Route("/staff/photos/nouvelle", photos.upload_form, name="staff-upload-form"),
        Route("/staff/photos/{photo}", photos.photo_detail, methods=["GET"], name="staff-photo"),
        Route("/staff/photos/{photo}", photos.photo_edit, methods=["POST"], name="staff-edit"),
        Route(
            "/staff/photos/{photo}/supprimer",
            photos.photo_delete,
            methods=["POST"],
            name="staff-delete",
        ),
        Route("/staff/photos/{photo}/thumb.webp", photos.thumbnail, name="staff-thumb"),
    ]
