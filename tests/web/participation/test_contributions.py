"""Residents send photos and memories from their phones; the cm moderates; the public sees only
what was accepted: on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from tests.web.conftest import World
from tests.web.participation.residents import (
    SLUG,
    Phone,
    cm,
    moderate,
    originals,
    photo_bytes,
    submissions,
    town,
    write_campaign,
)
from tests.web.staff.conftest import cheap_argon2
from web.participation.contributions import forget_player, player_contributions
from web.store import db
from web.store.tables.play import Player

__all__ = ["cheap_argon2", "town"]  # fixtures: fast password hashing, the campaign


def test_a_photo_goes_from_the_phone_to_the_queue_to_the_gallery_and_credits(town: World) -> None:
    phone = Phone(town)
    sent = phone.contribute(
        photo=photo_bytes(),
        text="Mon grand-père tenait le café au coin de la rue.",
        caption="Le café de la gare en 1962",
        credit="pseudonym",
        credit_name="Lulu du quartier",
    )
    assert sent.status_code == 303, sent.text
    page = phone.open(sent.headers["location"].split("#")[0]).text
    assert "Merci ! Votre contribution sera relue avant d'être publiée." in page
    assert "En attente de relecture" in page
    [row] = submissions(town)
    assert (row.status, row.credit_kind, row.credit_name) == (
        "pending",
        "pseudonym",
        "Lulu du quartier",
    )
    assert row.licence == "CC-BY-SA-4.0" and row.photo_sha256 and row.photo_width == 640

    visitor = Phone(town)
    assert "Le café de la gare" not in visitor.open(f"/c/{SLUG}/galerie").text
    assert "Lulu du quartier" not in visitor.open(f"/c/{SLUG}/merci").text
    assert visitor.client.get(f"/c/{SLUG}/galerie/{row.id}-480.jpg").status_code == 404

    staff = cm(town)
    queue = staff.get("/staff/moderation").text
    assert (
        "Le café de la gare en 1962" in queue and f"/staff/moderation/{row.id}/photo.jpg" in queue
    )
    preview = staff.get(f"/staff/moderation/{row.id}/photo.jpg")
    assert preview.status_code == 200 and preview.headers["content-type"] == "image/jpeg"
    accepted = moderate(staff, row.id or 0, "accept", "Superbe photo, merci !")
    assert accepted.status_code == 303

    gallery = visitor.open(f"/c/{SLUG}/galerie").text
    assert 'alt="Le café de la gare en 1962"' in gallery
    assert "Mon grand-père tenait le café" in gallery and "Par Lulu du quartier" in gallery
    image = visitor.client.get(f"/c/{SLUG}/galerie/{row.id}-480.webp")
    assert image.status_code == 200 and image.headers["content-type"] == "image/webp"
    assert Image.open(io.BytesIO(image.content)).width == 480
    credits = visitor.open(f"/c/{SLUG}/merci").text
    assert "Les habitantes et habitants qui ont contribué" in credits
    assert "<li>Lulu du quartier</li>" in credits
    mine = phone.open(f"/c/{SLUG}/souvenirs").text
    assert "Publiée" in mine and "Message de l'équipe : Superbe photo, merci !" in mine


def test_a_rejected_contribution_appears_nowhere_public(town: World) -> None:
    phone = Phone(town)
    phone.contribute(
        photo=photo_bytes(), text="Un texte hors sujet", credit="name", credit_name="Jean Dupont"
    )
    phone.contribute("temoignage", text="Un autre souvenir", credit="anonymous")
    first, second = submissions(town)
    staff = cm(town)
    assert moderate(staff, first.id or 0, "reject", "Hors sujet, désolés.").status_code == 303
    assert moderate(staff, second.id or 0, "accept").status_code == 303

    visitor = Phone(town)
    for path in (f"/c/{SLUG}/galerie", f"/c/{SLUG}/merci", f"/c/{SLUG}/souvenirs"):
        text = visitor.open(path).text
        assert "Un texte hors sujet" not in text and "Jean Dupont" not in text, path
    assert visitor.client.get(f"/c/{SLUG}/galerie/{first.id}-480.jpg").status_code == 404
    assert "Un autre souvenir" in visitor.open(f"/c/{SLUG}/galerie").text
    assert "1 personne qui a préféré rester anonyme" in visitor.open(f"/c/{SLUG}/merci").text
    own = phone.open(f"/c/{SLUG}/souvenirs").text
    assert "Non retenue" in own and "Hors sujet, désolés." in own


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"licence": False, "text": "Souvenir"}, "Cochez l'accord de publication"),
        ({"text": "  "}, "Envoyez une photo ou écrivez quelques mots."),
        ({"text": "x", "credit": "name"}, "Écrivez le nom ou le pseudonyme à afficher"),
        ({"text": "x", "credit": "pseudonym", "credit_name": "n" * 81}, "Nom trop long"),
        ({"text": "x" * 4001}, "Texte trop long : 4 000 caractères au plus."),
    ],
)
def test_a_refused_form_says_why_and_stores_nothing(
    town: World, fields: dict[str, object], message: str
) -> None:
    phone = Phone(town)
    fields = dict(fields)  # the same parameters serve the SQLite and the PostgreSQL run
    licence = bool(fields.pop("licence", True))
    response = phone.contribute(licence=licence, **fields)  # type: ignore[arg-type]
    assert response.status_code == 422
    assert message in response.text
    assert submissions(town) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n",
            "ce fichier n&#39;est pas une photo",
        ),
        (
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
            "pas une photo",
        ),
        (photo_bytes()[:900], "photo illisible ou tronquée"),
    ],
    ids=["pdf", "svg", "truncated"],
)
def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_stored(
    town: World, content: bytes, message: str
) -> None:
    phone = Phone(town)
    response = phone.contribute(photo=content, text="Mon souvenir", caption="ma photo")
    assert response.status_code == 400
    assert "Photo refusée" in response.text and message in response.text
    assert submissions(town) == []
    assert originals(town) == []


def test_a_text_only_step_never_stores_a_photo(town: World) -> None:
    phone = Phone(town)
    assert (
        phone.contribute("temoignage", photo=photo_bytes(), text="Juste du texte").status_code
        == 303
    )
    [row] = submissions(town)
    assert row.photo_sha256 is None and row.text == "Juste du texte"
    assert originals(town) == []


def test_five_a_day_per_player_then_429_and_a_new_cookie_does_not_reset_the_address(
    town: World,
) -> None:
    phone = Phone(town)
    for n in range(5):
        assert phone.contribute("temoignage", text=f"Souvenir {n}").status_code == 303
    refused = phone.contribute("temoignage", text="Un de trop")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "limite de contributions pour aujourd'hui" in refused.text
    assert len(submissions(town)) == 5
    for _ in range(3):
        other = Phone(town)
        for n in range(5):
            assert other.contribute("temoignage", text=f"Autre {n}").status_code == 303
    assert Phone(town).contribute("temoignage", text="21e").status_code == 429
    assert len(submissions(town)) == 20
    town.clock.now = town.clock.now.replace(day=2)
    assert phone.contribute("temoignage", text="Le lendemain").status_code == 303


def test_three_reports_from_different_residents_hide_an_item_until_the_cm_looks(
    make_world: Callable[..., World], campaign_dir: Path
) -> None:
    write_campaign(campaign_dir)
    town = make_world(trusted_proxies=("testclient",))  # residents on three addresses

    def resident(n: int) -> Phone:
        return Phone(town, headers={"X-Forwarded-For": f"203.0.113.{n}"})

    Phone(town).contribute("temoignage", text="Un texte limite")
    [row] = submissions(town)
    staff = cm(town)
    moderate(staff, row.id or 0, "accept")
    first = resident(1)
    assert first.report(row.id or 0).status_code == 303
    assert first.report(row.id or 0).status_code == 303  # the same resident counts once
    resident(2).report(row.id or 0)
    assert "Un texte limite" in Phone(town).open(f"/c/{SLUG}/galerie").text
    third = resident(3)
    done = third.report(row.id or 0)
    assert done.headers["location"] == f"/c/{SLUG}/galerie?signale=1"
    gallery = third.open(done.headers["location"]).text
    assert "Merci de votre signalement" in gallery and "Un texte limite" not in gallery
    assert "Masquées après signalements (1)" in staff.get("/staff/moderation").text
    moderate(staff, row.id or 0, "restore")
    assert "Un texte limite" in Phone(town).open(f"/c/{SLUG}/galerie").text


XSS_NAME = '<script>alert("nom")</script>'
XSS_CAPTION = '"><img src=x onerror=alert(1)>'


def test_script_in_names_captions_and_texts_is_shown_as_text_everywhere(town: World) -> None:
    phone = Phone(town)
    phone.contribute(
        photo=photo_bytes(),
        text="<b>gras</b> {{ 7*7 }}",
        caption=XSS_CAPTION,
        credit="pseudonym",
        credit_name=XSS_NAME,
    )
    [row] = submissions(town)
    staff = cm(town)
    pages = [staff.get("/staff/moderation").text]
    moderate(staff, row.id or 0, "accept", "<i>merci</i>")
    visitor = Phone(town)
    pages += [
        visitor.open(f"/c/{SLUG}/galerie").text,
        visitor.open(f"/c/{SLUG}/merci").text,
        phone.open(f"/c/{SLUG}/souvenirs").text,
    ]
    for html in pages:
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>gras" not in html
        assert "<i>merci" not in html
    assert "&lt;script&gt;alert(&#34;nom&#34;)&lt;/script&gt;" in pages[1]
    assert 'alt="&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"' in pages[1]
    assert "{{ 7*7 }}" in pages[1]


def test_every_participation_form_refuses_a_forged_post(town: World) -> None:
    phone = Phone(town)
    phone.open(f"/c/{SLUG}/souvenirs")
    forged = phone.client.post(
        f"/c/{SLUG}/souvenirs",
        data={"csrf": "forged", "text": "x", "licence": "cc-by-sa-4.0"},
        files={"photo": ("a.jpg", photo_bytes(), "image/jpeg")},
    )
    assert forged.status_code == 403
    other_site = phone.client.post(
        f"/c/{SLUG}/temoignage",
        data={"csrf": phone.token, "text": "x", "licence": "cc-by-sa-4.0"},
        headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert other_site.status_code == 403
    missing = phone.client.post(f"/c/{SLUG}/mystere", data={"text": "Pont Wilson"})
    assert missing.status_code == 403
    assert submissions(town) == [] and originals(town) == []
    assert not list((town.settings.media_dir / "contributions" / "tmp").glob("*"))

    phone.contribute("temoignage", text="Publiable")
    [row] = submissions(town)
    staff = cm(town)
    refused = staff.post(f"/staff/moderation/{row.id}", data={"csrf": "x", "decision": "accept"})
    assert refused.status_code == 403
    moderate(staff, row.id or 0, "accept")
    report = phone.client.post(f"/c/{SLUG}/galerie/{row.id}/signaler", data={"csrf": "x"})
    assert report.status_code == 403
    assert [s.status for s in submissions(town)] == ["accepted"]


def test_forgetting_a_player_deletes_what_is_unpublished_and_anonymises_the_rest(
    town: World,
) -> None:
    phone = Phone(town)
    phone.contribute(photo=photo_bytes("red"), text="Gardé", credit="name", credit_name="Ana")
    phone.contribute(photo=photo_bytes("blue"), text="En attente", credit="name", credit_name="Ana")
    phone.contribute("temoignage", text="Refusé", credit="name", credit_name="Ana")
    kept, _waiting, refused = submissions(town)
    staff = cm(town)
    moderate(staff, kept.id or 0, "accept")
    moderate(staff, refused.id or 0, "reject", "Non merci")
    assert len(originals(town)) == 2
    pid = kept.player_id
    assert pid is not None
    with db.reading(town.site.engine) as session:
        listed = player_contributions(session, pid)
    assert [(c["text"], c["status"], c["message"]) for c in listed] == [
        ("Gardé", "accepted", ""),
        ("En attente", "pending", ""),
        ("Refusé", "rejected", "Non merci"),
    ]
    assert {c["kind"] for c in listed} == {"contribution"} and listed[0]["campaign"] == SLUG

    with db.writing(town.site.engine) as session:
        forget_player(session, pid, town.settings.media_dir)
    [left] = submissions(town)
    assert (left.text, left.player_id, left.credit_kind, left.credit_name) == (
        "Gardé",
        None,
        "anonymous",
        "",
    )
    assert len(originals(town)) == 1
    with db.reading(town.site.engine) as session:
        assert player_contributions(session, pid) == []
        assert session.get(Player, pid) is not None  # the rest of the player is H12's /moi
    visitor = Phone(town)
    assert "Ana" not in visitor.open(f"/c/{SLUG}/merci").text
    assert "Gardé" in visitor.open(f"/c/{SLUG}/galerie").text


def test_a_refused_form_keeps_the_residents_credit_choice(town: World) -> None:
    response = Phone(town).contribute(text="x", credit="pseudonym", credit_name="n" * 81)
    assert response.status_code == 422
    assert 'value="pseudonym" checked' in response.text
    assert 'value="anonymous" checked' not in response.text
    assert f'value="{"n" * 81}"' in response.text
