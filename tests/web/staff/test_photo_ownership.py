"""Who may change which library photo, and what the archives' accounts may not touch.

The uploader edits and deletes their own photos; a community manager edits any description and
deletes any photo but the archives' originals (those an archives account uploaded); an archives
account is refused (403) on another account's photo, whatever id it types in the address. An
edit form that leaves fields out leaves those fields as they were.
"""

from __future__ import annotations

import io
import re

from PIL import Image
from starlette.routing import Route
from starlette.testclient import TestClient

from tests.media.photo_samples import camera_exif
from tests.web.conftest import World, csrf_of
from tests.web.staff.conftest import CM_PASSWORD, add_user, login, photos_in_db, upload
from tests.web.staff.samples import photo
from web.library.resolver import media_source
from web.staff.routes import PUBLIC
from web.store.tables.staff import MediaPhoto

PARAM = re.compile(r"\{(\w+)(:\w+)?\}")
DESCRIBED = {"credit": "Fonds Durand", "fonds": "Fonds Durand", "cote": "3 Fi 12"}
NOT_YOURS = (
    "Cette photo a été versée par un autre compte : seuls ce compte et les community managers"
    " peuvent la modifier ou la supprimer."
)
ARCHIVES_ORIGINAL = (
    "Cette photo a été versée par les archives (lea) : seul ce compte peut la supprimer."
    " Vous pouvez modifier sa description ou la retirer des campagnes."
)


def _text(response: object) -> str:
    return str(response.text).replace("&#39;", "'")  # type: ignore[attr-defined]


def _upload_as(world: World, client: TestClient, color: str = "teal") -> MediaPhoto:
    before = {p.id for p in photos_in_db(world)}
    sent = upload(client, [("tour.jpg", photo("JPEG", color=color))], **DESCRIBED)
    assert sent.status_code == 200  # type: ignore[attr-defined]
    [new] = [p for p in photos_in_db(world) if p.id not in before]
    return new


def _row(world: World, photo_id: str) -> MediaPhoto | None:
    return next((p for p in photos_in_db(world) if p.id == photo_id), None)


def _edit(client: TestClient, photo_id: str, **fields: str) -> object:
    token = csrf_of(client.get("/staff/photos").text)
    return client.post(f"/staff/photos/{photo_id}", data={"csrf": token, **fields})


def _delete(client: TestClient, photo_id: str) -> object:
    token = csrf_of(client.get("/staff/photos").text)
    return client.post(f"/staff/photos/{photo_id}/supprimer", data={"csrf": token})


def _full_form(stored: MediaPhoto, **changes: str) -> dict[str, str]:
    fields = {n: getattr(stored, n) for n in ("title", "credit", "licence", "fonds", "cote")}
    return {**fields, **changes}


def test_an_archives_account_cannot_edit_or_delete_another_accounts_photo(
    staff_world: World,
) -> None:
    lea = login(staff_world.client())
    stored = _upload_as(staff_world, lea)
    add_user(staff_world, "marc", "staff")
    marc = login(staff_world.client(), "marc")
    page = marc.get(f"/staff/photos/{stored.id}")
    assert page.status_code == 200  # the library is one catalogue: everyone may look
    assert f'action="/staff/photos/{stored.id}"' not in page.text
    assert f'action="/staff/photos/{stored.id}/supprimer"' not in page.text
    assert "Versée par lea." in page.text
    edited = _edit(marc, stored.id, **_full_form(stored, credit="pirate"))
    deleted = _delete(marc, stored.id)
    for refused in (edited, deleted):
        assert refused.status_code == 403  # type: ignore[attr-defined]
        assert NOT_YOURS in _text(refused)
    assert _row(staff_world, stored.id) == stored
    assert media_source(staff_world.site.engine, staff_world.settings, stored.id) is not None
    # Its uploader still may.
    assert _edit(lea, stored.id, **_full_form(stored, credit="Léa")).status_code == 303  # type: ignore[attr-defined]
    assert _delete(lea, stored.id).status_code == 303  # type: ignore[attr-defined]
    assert _row(staff_world, stored.id) is None


def test_a_cm_edits_any_photo_but_deletes_no_archives_original(staff_world: World) -> None:
    lea = login(staff_world.client())
    archives = _upload_as(staff_world, lea)
    camille = login(staff_world.client(), "camille", CM_PASSWORD)
    page = camille.get(f"/staff/photos/{archives.id}")
    assert f'action="/staff/photos/{archives.id}"' in page.text
    assert f'action="/staff/photos/{archives.id}/supprimer"' not in page.text
    edited = _edit(camille, archives.id, **_full_form(archives, credit="Archives municipales"))
    assert edited.status_code == 303  # type: ignore[attr-defined]
    refused = _delete(camille, archives.id)
    assert refused.status_code == 403  # type: ignore[attr-defined]
    assert ARCHIVES_ORIGINAL in _text(refused)
    kept = _row(staff_world, archives.id)
    assert kept is not None and kept.credit == "Archives municipales"
    assert media_source(staff_world.site.engine, staff_world.settings, archives.id) is not None
    # A photo another cm uploaded is the community managers' to delete.
    add_user(staff_world, "dominique", "cm", CM_PASSWORD)
    dominique = login(staff_world.client(), "dominique", CM_PASSWORD)
    theirs = _upload_as(staff_world, dominique, color="red")
    assert _delete(camille, theirs.id).status_code == 303  # type: ignore[attr-defined]
    assert _row(staff_world, theirs.id) is None


def test_a_partial_edit_form_leaves_the_absent_fields_unchanged(staff_world: World) -> None:
    lea = login(staff_world.client())
    stored = _upload_as(staff_world, lea)
    assert _edit(lea, stored.id, title="Nouveau titre").status_code == 303  # type: ignore[attr-defined]
    saved = _row(staff_world, stored.id)
    assert saved is not None
    assert (saved.title, saved.credit, saved.fonds, saved.cote, saved.licence) == (
        "Nouveau titre",
        "Fonds Durand",
        "Fonds Durand",
        "3 Fi 12",
        stored.licence,
    )
    # A field sent empty is emptied: only an absent one is kept.
    assert _edit(lea, stored.id, cote="").status_code == 303  # type: ignore[attr-defined]
    emptied = _row(staff_world, stored.id)
    assert emptied is not None and emptied.cote == "" and emptied.title == "Nouveau titre"
    # Present fields are still checked.
    refused = _edit(lea, stored.id, title="", credit="x" * 201)
    assert refused.status_code == 400  # type: ignore[attr-defined]
    assert "Titre : donnez un titre à la photo" in _text(refused)
    assert "Crédit : 200 caractères au plus" in _text(refused)
    assert 'value="Fonds Durand"' in _text(refused)  # the absent fonds shows as it is
    assert _row(staff_world, stored.id) == emptied


def _with_gps() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), "teal").save(buffer, "JPEG", exif=camera_exif())
    return buffer.getvalue()


def test_no_staff_page_hands_a_cm_the_original_with_its_gps_position(staff_world: World) -> None:
    lea = login(staff_world.client())
    sent = upload(lea, [("gps.jpg", _with_gps())])
    assert sent.status_code == 200  # type: ignore[attr-defined]
    [stored] = photos_in_db(staff_world)
    original = media_source(staff_world.site.engine, staff_world.settings, stored.id)
    assert original is not None and Image.open(original).getexif().get_ifd(0x8825)
    camille = login(staff_world.client(), "camille", CM_PASSWORD)
    served = 0
    for route in staff_world.app.routes:  # type: ignore[attr-defined]
        if not isinstance(route, Route) or "{photo}" not in route.path:
            continue
        if "GET" not in (route.methods or ()):
            continue
        response = camille.get(PARAM.sub(stored.id, route.path))
        assert response.status_code == 200, route.path
        assert original.read_bytes() not in response.content
        if response.headers["content-type"].startswith("image/"):
            served += 1
            assert not Image.open(io.BytesIO(response.content)).getexif().get_ifd(0x8825)
    assert served >= 1


# A staff member may also play a campaign in preview (making preview links is the cm's).
ARCHIVES_MAY = (
    "/staff",
    "/staff/logout",
    "/staff/motdepasse",
    "/staff/photos",
    "/staff/apercus",
    "/staff/campagnes/{campaign}/apercu",
)
ARCHIVES_MAY_UNDER = ("/staff/photos/", "/staff/identifications")


def test_an_archives_account_is_refused_every_campaign_page(staff_world: World) -> None:
    """Generated from the router table: publishing, editing, printing or reading campaigns is
    the community managers' business, so every staff route but the library, identifications,
    the home and the account pages answers 403 to an archives account, GET or POST."""
    lea = login(staff_world.client())
    token = csrf_of(lea.get("/staff/motdepasse").text)
    checked = []
    for route in staff_world.app.routes:  # type: ignore[attr-defined]
        path = getattr(route, "path", "")
        if not isinstance(route, Route) or not path.startswith("/staff") or path in PUBLIC:
            continue
        if path in ARCHIVES_MAY or path.startswith(ARCHIVES_MAY_UNDER):
            continue
        # a number where the route takes a database id (`{name:id}`), else a campaign's slug
        url = PARAM.sub(lambda m: "1" if m.group(2) == ":id" else "ou-sommes-nous", path)
        for method in sorted((route.methods or set()) - {"HEAD"}):
            data = {"csrf": token} if method == "POST" else None
            response = lea.request(method, url, data=data)
            assert response.status_code == 403, (method, path, response.status_code)
            checked.append(path)
    assert any(p.startswith("/staff/campagnes") for p in checked), checked
    assert lea.get("/staff").status_code == 200


def test_the_refusal_speaks_the_staff_members_language(staff_world: World) -> None:
    lea = login(staff_world.client())
    stored = _upload_as(staff_world, lea)
    add_user(staff_world, "marc", "staff")
    marc = login(staff_world.client(), "marc")
    marc.get("/staff?lang=en")
    refused = _delete(marc, stored.id)
    assert refused.status_code == 403  # type: ignore[attr-defined]
    assert (
        "This photo was uploaded by another account: only that account and the community"
        " managers may edit or delete it."
    ) in _text(refused)


def test_an_old_cookie_replayed_after_logout_or_disabling_changes_nothing(
    staff_world: World,
) -> None:
    from web.staff import accounts
    from web.staff.auth import COOKIE
    from web.store import db

    lea = login(staff_world.client())
    stored = _upload_as(staff_world, lea)
    token = csrf_of(lea.get(f"/staff/photos/{stored.id}").text)
    copied = lea.cookies.get(COOKIE) or ""
    lea.post("/staff/logout", data={"csrf": token})
    replay = staff_world.client()
    replay.cookies.set(COOKIE, copied, path="/staff")
    edit = {"csrf": token, **_full_form(stored, credit="rejoué")}
    assert replay.post(f"/staff/photos/{stored.id}", data=edit).status_code == 403
    assert replay.get(f"/staff/photos/{stored.id}").status_code == 302
    again = login(staff_world.client())
    token = csrf_of(again.get(f"/staff/photos/{stored.id}").text)
    with db.writing(staff_world.site.engine) as session:
        user = accounts.find_user(session, "lea")
        assert user is not None
        accounts.set_active(session, user, False)
    edit["csrf"] = token
    assert again.post(f"/staff/photos/{stored.id}", data=edit).status_code == 403
    assert again.post(f"/staff/photos/{stored.id}/supprimer", data=edit).status_code == 403
    assert _row(staff_world, stored.id) == stored
