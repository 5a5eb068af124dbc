"""Managing the photo library: list, search, edit, where used, delete (refused while used)."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from tests.web.conftest import World, csrf_of
from tests.web.staff.conftest import photos_in_db, upload
from tests.web.staff.samples import photo
from web.library.resolver import media_exists, media_source
from web.store.tables.staff import MediaPhoto

TOUR_PHOTO = "photo: photos/enigme-1-pierre.jpg"


def _upload_one(world: World, client: TestClient, **fields: str) -> MediaPhoto:
    before = {p.id for p in photos_in_db(world)}
    response = upload(
        client, [("tour.jpg", photo("JPEG", color=fields.pop("color", "teal")))], **fields
    )
    assert response.status_code == 200  # type: ignore[attr-defined]
    [new] = [p for p in photos_in_db(world) if p.id not in before]
    return new


def _use_in_campaign(world: World, campaign_dir: Path, media_id: str) -> None:
    yaml_file = campaign_dir / "campaigns.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    assert TOUR_PHOTO in text
    yaml_file.write_text(text.replace(TOUR_PHOTO, f"photo: media:{media_id}"), encoding="utf-8")
    world.site.registry.refresh(force=True)
    assert not world.site.registry.last_problems


def _form(photo: MediaPhoto, **changes: str) -> dict[str, str]:
    fields = {
        name: getattr(photo, name)
        for name in ("title", "credit", "licence", "fonds", "cote", "period", "note")
    }
    fields.update(changes)
    return fields


def test_the_list_shows_thumbnails_and_ids(staff_world: World, staff_client: TestClient) -> None:
    stored = _upload_one(staff_world, staff_client)
    page = staff_client.get("/staff/photos")
    assert page.status_code == 200
    assert f'src="/staff/photos/{stored.id}/thumb.webp"' in page.text
    assert f"media:{stored.id}" in page.text


def test_search_by_title_and_by_reference(staff_world: World, staff_client: TestClient) -> None:
    tour = _upload_one(
        staff_world, staff_client, title="Tour Saint-Aubin", fonds="Fonds Durand", cote="3 Fi 12"
    )
    halle = _upload_one(
        staff_world,
        staff_client,
        title="La halle",
        fonds="Fonds Martin",
        cote="5 Fi 7",
        color="red",
    )

    def found(query: str) -> set[str]:
        text = staff_client.get("/staff/photos", params={"q": query}).text
        return {p.id for p in (tour, halle) if f"/staff/photos/{p.id}/thumb.webp" in text}

    assert found("saint-aubin") == {tour.id}
    assert found("HALLE") == {halle.id}
    assert found("3 fi 12") == {tour.id}
    assert found("fonds") == {tour.id, halle.id}
    assert found("100%") == set()
    assert "Aucune photo ne correspond à « moulin »." in staff_client.get(
        "/staff/photos", params={"q": "moulin"}
    ).text.replace("&#34;", '"')


def test_edit_the_credit(staff_world: World, staff_client: TestClient) -> None:
    stored = _upload_one(staff_world, staff_client, credit="archives")
    page = staff_client.get(f"/staff/photos/{stored.id}")
    response = staff_client.post(
        f"/staff/photos/{stored.id}",
        data={"csrf": csrf_of(page.text), **_form(stored, credit="Fonds Lucie Perrin")},
    )
    assert response.status_code == 303
    shown = staff_client.get(response.headers["location"])
    assert "Description enregistrée." in shown.text
    assert 'value="Fonds Lucie Perrin"' in shown.text
    [saved] = photos_in_db(staff_world)
    assert saved.credit == "Fonds Lucie Perrin" and saved.title == stored.title


def test_a_bad_edit_says_which_field_and_changes_nothing(
    staff_world: World, staff_client: TestClient
) -> None:
    stored = _upload_one(staff_world, staff_client)
    token = csrf_of(staff_client.get(f"/staff/photos/{stored.id}").text)
    response = staff_client.post(
        f"/staff/photos/{stored.id}",
        data={"csrf": token, **_form(stored, title="", credit="x" * 201)},
    )
    assert response.status_code == 400
    assert "Titre : donnez un titre à la photo" in response.text
    assert "Crédit : 200 caractères au plus" in response.text
    assert photos_in_db(staff_world)[0].credit == stored.credit


def test_an_edit_without_csrf_is_refused(staff_world: World, staff_client: TestClient) -> None:
    stored = _upload_one(staff_world, staff_client)
    response = staff_client.post(f"/staff/photos/{stored.id}", data=_form(stored, credit="pirate"))
    assert response.status_code == 403
    assert photos_in_db(staff_world)[0].credit == stored.credit


def test_where_used_and_delete_refused_while_used(
    staff_world: World, staff_client: TestClient, campaign_dir: Path
) -> None:
    stored = _upload_one(staff_world, staff_client)
    _use_in_campaign(staff_world, campaign_dir, stored.id)
    page = staff_client.get(f"/staff/photos/{stored.id}")
    assert "(ou-sommes-nous) — étape « Cette tour vous dit quelque chose ? » (tour)" in page.text
    refused = staff_client.post(
        f"/staff/photos/{stored.id}/supprimer", data={"csrf": csrf_of(page.text)}
    )
    assert refused.status_code == 409
    assert "Suppression refusée : cette photo est utilisée par une campagne." in refused.text
    assert "(tour)" in refused.text
    assert len(photos_in_db(staff_world)) == 1
    assert media_source(staff_world.site.engine, staff_world.settings, stored.id) is not None


def test_delete_removes_row_and_files_when_unused(
    staff_world: World, staff_client: TestClient
) -> None:
    stored = _upload_one(staff_world, staff_client)
    original = media_source(staff_world.site.engine, staff_world.settings, stored.id)
    assert original is not None
    staff_client.get(f"/staff/photos/{stored.id}/thumb.webp")
    page = staff_client.get(f"/staff/photos/{stored.id}")
    assert "Aucune campagne publiée n'utilise cette photo." in page.text.replace("&#39;", "'")
    response = staff_client.post(
        f"/staff/photos/{stored.id}/supprimer", data={"csrf": csrf_of(page.text)}
    )
    assert response.status_code == 303
    assert photos_in_db(staff_world) == []
    assert not original.exists()
    assert not media_exists(staff_world.site.engine, stored.id)
    assert [p for p in staff_world.settings.media_dir.rglob("*") if p.is_file()] == []
    assert staff_client.get(f"/staff/photos/{stored.id}").status_code == 404


def test_unknown_ids_are_404_for_every_action(staff_world: World, staff_client: TestClient) -> None:
    token = csrf_of(staff_client.get("/staff/photos").text)
    for photo_id in ("zzzzzzzzzzzz", "..%2F..%2Fetc", "a" * 300):
        assert staff_client.get(f"/staff/photos/{photo_id}").status_code == 404
        assert staff_client.get(f"/staff/photos/{photo_id}/thumb.webp").status_code == 404
        edit = staff_client.post(f"/staff/photos/{photo_id}", data={"csrf": token})
        assert edit.status_code == 404
        gone = staff_client.post(f"/staff/photos/{photo_id}/supprimer", data={"csrf": token})
        assert gone.status_code == 404
