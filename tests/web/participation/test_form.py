"""Contribution and identification forms say what they need before sending and, after a
refusal, what went wrong: the page opens on a focused summary listing every error with a link
to its field; each field carries its own message (`aria-describedby`, `aria-invalid`); what was
typed, the credit chosen and the licence tick come back, and the resident is told to choose the
photo again. Before any sending, no control is invalid."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import httpx
from sqlmodel import select

from tests.web.conftest import World
from tests.web.participation.residents import (
    SLUG,
    Phone,
    photo_bytes,
    submissions,
    town,
    write_campaign,
)
from web.store import db
from web.store.tables.participation import Proposal

__all__ = ["town"]

LICENCE = "Cochez l'accord de publication : sans lui, nous ne pouvons pas publier"
NAME = "Écrivez le nom ou le pseudonyme à afficher, ou choisissez « Anonymement »."


def page_of(response: httpx.Response) -> str:
    return html.unescape(response.text)


def control(page: str, name: str) -> str:
    """The opening tag of the control whose id is `name`."""
    found = re.search(rf'<(?:input|textarea)[^>]*\bid="{name}"[^>]*>', page)
    assert found, f"no control #{name}"
    return found.group(0)


def summary_links(page: str) -> list[tuple[str, str]]:
    """(target, text) of every link of the error summary, in order."""
    start = page.index('id="form-errors"')
    block = page[start : page.index("</div>", start)]
    return re.findall(r'<a href="#([\w-]+)">([^<]+)</a>', block)


def test_the_contribution_form_states_its_rules_before_sending(town: World) -> None:
    page = page_of(Phone(town).open(f"/c/{SLUG}/souvenirs"))
    assert "Envoyez une photo, quelques mots, ou les deux." in page
    assert "L'accord de publication, en bas du formulaire, est obligatoire." in page
    assert "JPEG, PNG, WebP, TIFF ou HEIC (la photo d'un téléphone), 20 Mo au plus." in page
    assert "4 000 caractères au plus." in page
    assert 'aria-describedby="photo-help"' in control(page, "photo")
    # Nothing is invalid yet: the required tick and file input say so, as the browser would not.
    assert "aria-invalid" not in page.replace('aria-invalid="false"', "")
    assert 'aria-invalid="false"' in control(page, "licence")
    assert "form-errors" not in page and "field-error" not in page
    text_only = page_of(Phone(town).open(f"/c/{SLUG}/temoignage"))
    assert "Votre témoignage (obligatoire)" in text_only and "Écrivez quelques mots." in text_only


def test_a_refused_contribution_lists_every_error_and_keeps_what_was_typed(town: World) -> None:
    phone = Phone(town)
    refused = phone.contribute(
        photo=photo_bytes(),
        licence=False,
        text="x" * 4001,
        caption="La gare en 1950",
        credit="name",
    )
    assert refused.status_code == 422
    page = page_of(refused)
    assert submissions(town) == []
    assert re.search(
        r'<div class="error-summary[^"]*" id="form-errors" tabindex="-1" autofocus', page
    )
    assert "Rien n'a été envoyé : 4 points à revoir" in page
    assert summary_links(page) == [
        ("text", "Texte trop long : 4 000 caractères au plus."),
        ("credit_name", NAME),
        ("licence", LICENCE + " votre contribution."),
        (
            "photo",
            "Choisissez de nouveau votre photo : le navigateur ne la garde pas après un refus.",
        ),
    ]
    for name in ("text", "credit_name", "licence"):
        tag = control(page, name)
        assert 'aria-invalid="true"' in tag, tag
        assert f"{name}-error" in re.search(r'aria-describedby="([^"]+)"', tag).group(1)  # type: ignore[union-attr]
        assert f'<p class="field-error" id="{name}-error">' in page
    assert 'aria-invalid="true"' not in control(page, "caption")
    # What was typed and chosen comes back; the photo must be chosen again.
    assert 'value="La gare en 1950"' in control(page, "caption")
    assert ">" + "x" * 4001 + "</textarea>" in page
    assert re.search(r'value="name" checked', page)
    assert 'class="again"' in page


def test_the_licence_tick_and_the_text_come_back_after_another_refusal(town: World) -> None:
    phone = Phone(town)
    refused = phone.contribute(text="Mon souvenir", credit="pseudonym", credit_name="")
    page = page_of(refused)
    assert summary_links(page) == [("credit_name", NAME)]
    assert " checked" in control(page, "licence")
    assert ">Mon souvenir</textarea>" in page
    assert 'value="pseudonym" checked' in page
    assert 'class="again"' not in page  # no photo was sent: nothing to choose again


def test_an_empty_contribution_points_at_both_of_its_fields(town: World) -> None:
    page = page_of(Phone(town).contribute(text="  "))
    assert summary_links(page) == [("photo", "Envoyez une photo ou écrivez quelques mots.")]
    assert 'aria-invalid="true"' in control(page, "photo")
    assert 'aria-invalid="true"' in control(page, "text")


def test_a_refused_photo_is_said_on_its_field(town: World) -> None:
    page = page_of(Phone(town).contribute(photo=b"%PDF-1.4\n%%EOF\n", text="Mon souvenir"))
    [(target, said)] = summary_links(page)
    assert target == "photo" and said.startswith("Photo refusée : ")
    assert 'aria-describedby="photo-help photo-error" aria-invalid="true"' in control(page, "photo")
    assert ">Mon souvenir</textarea>" in page and " checked" in control(page, "licence")


def test_a_refused_proposal_says_each_field_that_is_too_long(town: World) -> None:
    phone = Phone(town)
    phone.open(f"/c/{SLUG}/mystere")
    fields = {"csrf": phone.token, "text": "Le pont", "place": "p" * 201, "date": "d" * 101}
    fields.update(credit="name", credit_name="Jeanne")
    page = page_of(phone.client.post(f"/c/{SLUG}/mystere", data=fields))
    assert summary_links(page) == [
        ("place", "Lieu trop long : 200 caractères au plus."),
        ("date", "Date trop longue : 100 caractères au plus."),
    ]
    assert 'aria-invalid="true"' in control(page, "place")
    assert 'aria-invalid="true"' in control(page, "date")
    assert 'aria-invalid="true"' not in control(page, "text")
    assert ">Le pont</textarea>" in page and 'value="Jeanne"' in control(page, "credit_name")
    with db.reading(town.site.engine) as session:
        assert session.exec(select(Proposal)).all() == []


def test_the_english_summary_and_messages(
    make_world: Callable[..., World], campaign_dir: Path
) -> None:
    write_campaign(campaign_dir)
    yaml_file = campaign_dir / "campaigns.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    yaml_file.write_text(text.replace("order: free", "order: free\n    languages: [fr, en]"))
    phone = Phone(make_world(), headers={"Accept-Language": "en"})
    page = page_of(phone.contribute(text="Souvenir", licence=False))
    assert "Nothing was sent: 1 thing to check" in page
    assert "The publication agreement, at the bottom of the form, is required." in page
    assert "JPEG, PNG, WebP, TIFF or HEIC (a phone's photo), 20 MB at most." in page


def test_over_the_daily_quota_the_form_comes_back_with_what_was_typed(town: World) -> None:
    phone = Phone(town)
    for n in range(5):
        assert phone.contribute(text=f"Souvenir {n}").status_code == 303
    refused = phone.contribute(
        photo=photo_bytes(), text="Un de trop", credit="pseudonym", credit_name="Jo"
    )
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    page = page_of(refused)
    assert "limite de contributions pour aujourd'hui" in page
    assert ">Un de trop</textarea>" in page and 'value="Jo"' in control(page, "credit_name")
    assert " checked" in control(page, "licence") and 'class="again"' in page
    assert len(submissions(town)) == 5
