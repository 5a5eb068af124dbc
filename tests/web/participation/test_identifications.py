"""Photos mystères: residents propose, proposals that say the same thing are grouped, staff
accept, every proposer is credited under the photo and in the archive's CSV."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from tests.web.conftest import World, csrf_of
from tests.web.participation.residents import SLUG, Phone, cm, town, write_campaign
from tests.web.staff.conftest import add_user, cheap_argon2, login, upload
from tests.web.staff.samples import photo
from web.store import db
from web.store.tables.participation import Proposal

__all__ = ["cheap_argon2", "town"]


def propose(phone: Phone, text: str, **fields: str) -> httpx.Response:
    phone.open(f"/c/{SLUG}/mystere")
    return phone.client.post(
        f"/c/{SLUG}/mystere", data={"csrf": phone.token, "text": text, **fields}
    )


def archivist(world: World) -> TestClient:
    add_user(world, "lea", "staff")
    return login(world.client())


def decide(client: TestClient, key: str, decision: str = "accept") -> httpx.Response:
    token = csrf_of(client.get("/staff/identifications").text)
    data = {"csrf": token, "campaign": SLUG, "step": "mystere", "key": key, "decision": decision}
    return client.post("/staff/identifications", data=data)


def exported(client: TestClient) -> list[dict[str, str]]:
    response = client.get("/staff/identifications.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_three_residents_name_the_same_bridge_and_all_three_are_credited(town: World) -> None:
    marie, jo, third, other = Phone(town), Phone(town), Phone(town), Phone(town)
    sent = propose(
        marie, "Pont Wilson", place="Tours", date="vers 1930", credit="name", credit_name="Marie"
    )
    assert sent.status_code == 303
    assert "Merci ! Votre contribution" in marie.open(sent.headers["location"].split("#")[0]).text
    propose(jo, "le pont-wilson !", place="Tours", credit="pseudonym", credit_name="Jo")
    propose(third, "Pont  Wilson", date="1932")
    propose(other, "Pont de fil")
    with db.reading(town.site.engine) as session:
        assert len(session.exec(select(Proposal)).all()) == 4

    staff = archivist(town)
    page = staff.get("/staff/identifications").text
    assert "3 habitants disent : Pont Wilson" in page
    assert "1 habitant dit : Pont de fil" in page
    assert "Tours (2)" in page
    assert "En attente de relecture" in marie.open(f"/c/{SLUG}/mystere").text

    assert decide(staff, "pont wilson").status_code == 303
    assert decide(staff, "pont de fil", "decline").status_code == 303

    step_page = Phone(town).open(f"/c/{SLUG}/mystere").text
    assert "Identifié grâce aux habitants" in step_page
    assert "<strong>Pont Wilson</strong> — Tours (vers 1930)" in step_page
    assert "Marie (première proposition), Jo, anonyme" in step_page
    assert "Pont de fil" not in step_page
    assert "Retenue" in marie.open(f"/c/{SLUG}/mystere").text
    assert "Non retenue" in other.open(f"/c/{SLUG}/mystere").text
    assert "<li>Marie</li>" in Phone(town).open(f"/c/{SLUG}/merci").text

    [row] = exported(staff)
    assert row["identification"] == "Pont Wilson"
    assert row["photo"] == "photos/photo-mystere.jpg" and row["fonds"] == row["cote"] == ""
    assert row["credits"] == "Marie (premier·e), Jo, anonyme"
    assert row["premier_proposant"] == "Marie"
    assert row["nombre_de_propositions"] == "3"
    assert row["lieux"] == "Tours" and row["dates"] == "vers 1930; 1932"
    assert row["date_identification"] == "2026-10-01"


def test_the_csv_gives_fonds_and_cote_of_an_uploaded_photo_and_defuses_formulas(
    make_world: Callable[..., World], campaign_dir: Path
) -> None:
    world = make_world()
    staff = archivist(world)
    upload(staff, [("morel.jpg", photo("JPEG"))], fonds="Fonds Morel", cote="12 Fi 48")
    media_id = re.search(r"media:([a-z0-9]{12})", staff.get("/staff/photos").text)
    assert media_id is not None
    write_campaign(campaign_dir, photo=f"media:{media_id.group(1)}")
    world.site.registry.refresh(force=True)
    assert world.campaign(SLUG).step("mystere") is not None

    propose(
        Phone(world), '=HYPERLINK("http://evil.example")', credit="name", credit_name="@SUM(A1)"
    )
    propose(Phone(world), "=hyperlink(http evil example)")
    decide(staff, "hyperlink http evil example")
    [row] = exported(staff)
    assert (row["photo"], row["fonds"], row["cote"]) == (
        f"media:{media_id.group(1)}",
        "Fonds Morel",
        "12 Fi 48",
    )
    assert row["identification"].startswith("'=HYPERLINK")
    assert row["premier_proposant"] == "'@SUM(A1)"
    assert row["credits"] == "'@SUM(A1) (premier·e), anonyme"


def test_staff_and_cm_may_decide_players_may_not_and_forged_posts_are_refused(
    town: World,
) -> None:
    propose(Phone(town), "Pont Wilson")
    player = Phone(town)
    player.open(f"/c/{SLUG}/mystere")
    data = {"csrf": player.token, "campaign": SLUG, "step": "mystere", "key": "pont wilson"}
    assert (
        player.client.post(
            "/staff/identifications", data={**data, "decision": "accept"}
        ).status_code
        == 403
    )
    assert player.client.get("/staff/identifications.csv").status_code == 302
    staff = archivist(town)
    forged = staff.post("/staff/identifications", data={**data, "csrf": "x", "decision": "accept"})
    assert forged.status_code == 403
    assert "Identifié grâce" not in Phone(town).open(f"/c/{SLUG}/mystere").text
    assert decide(cm(town), "pont wilson").status_code == 303
    assert "Identifié grâce" in Phone(town).open(f"/c/{SLUG}/mystere").text


def test_a_proposal_needs_words_and_respects_the_daily_quota(town: World) -> None:
    phone = Phone(town)
    empty = propose(phone, " ?! ")
    assert empty.status_code == 422 and "Écrivez quelques mots avant d'envoyer." in empty.text
    long = propose(phone, "x" * 2001)
    assert long.status_code == 422
    said = html.unescape(long.text)
    assert "Trop long : 2000 caractères au plus pour ce que vous reconnaissez." in said
    assert 'aria-describedby="text-help text-error" aria-invalid="true"' in said
    for n in range(10):
        assert propose(phone, f"Lieu {n}").status_code == 303
    refused = propose(phone, "Encore un")
    assert refused.status_code == 429 and "limite de propositions" in refused.text
    with db.reading(town.site.engine) as session:
        assert len(session.exec(select(Proposal)).all()) == 10


MEMORY = (
    "C'est la rue de la Gare, devant la boulangerie Moreau : ma grand-mère y travaillait.\n"
    "Le garçon au vélo est mon oncle Pierre, vers 1952. "
) * 14


@pytest.mark.parametrize(
    ("lang", "help_text"),
    [
        ("fr", "Un nom, ou un souvenir : 2000 caractères au plus."),
        ("en", "A name, or a memory: 2000 characters at most."),
    ],
)
def test_the_form_takes_a_memory_and_says_how_long_it_may_be(
    make_world: Callable[..., World], campaign_dir: Path, lang: str, help_text: str
) -> None:
    write_campaign(campaign_dir)
    yaml_file = campaign_dir / "campaigns.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    yaml_file.write_text(text.replace("order: free", "order: free\n    languages: [fr, en]"))
    world = make_world()
    phone = Phone(world, headers={"Accept-Language": lang})
    form = html.unescape(phone.open(f"/c/{SLUG}/mystere").text)
    assert f'<p class="help" id="text-help">{help_text}</p>' in form
    assert 'maxlength="2000" aria-describedby="text-help"' in form
    assert 1900 < len(MEMORY) <= 2000
    assert propose(phone, MEMORY).status_code == 303
    with db.reading(world.site.engine) as session:
        stored = session.exec(select(Proposal)).one()
    # Its lines are kept apart by a space, never glued into one word.
    assert stored.text == " ".join(MEMORY.splitlines()).strip()
    assert "travaillait. Le garçon" in stored.text


def test_the_name_field_hides_while_anonymous_is_chosen(town: World) -> None:
    form = Phone(town).open(f"/c/{SLUG}/mystere").text
    field = re.search(r'<div class="credit-name">\s*<label for="credit_name">', form)
    assert field is not None
    css = (Path(__file__).resolve().parents[3] / "web/static/balises.css").read_text()
    rule = '.credit:has(input[value="anonymous"]:checked) .credit-name { display: none; }'
    assert rule in css
    # A name typed and then "Anonymement" chosen: the server credits no one by name.
    phone = Phone(town)
    sent = propose(phone, "La rue Haute", credit="anonymous", credit_name="Marie Dupont")
    assert sent.status_code == 303
    with db.reading(town.site.engine) as session:
        stored = session.exec(select(Proposal)).one()
    assert (stored.credit_kind, stored.credit_name) == ("anonymous", "")


def test_a_consensus_counts_distinct_residents_only(
    make_world: Callable[..., World], campaign_dir: Path
) -> None:
    write_campaign(campaign_dir)
    yaml_file = campaign_dir / "campaigns.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    agreed = text.replace('prompt: "Où est-ce ?"', 'prompt: "Où?"\n        agreement: 3')
    yaml_file.write_text(agreed, encoding="utf-8")
    world = make_world()
    # One phone clearing its cookie, and a household's two phones behind one address: one
    # resident each time, however many proposals.
    for _n in range(3):
        propose(Phone(world, client=("192.0.2.1", 4000)), "Pont Wilson")
    propose(Phone(world, client=("192.0.2.2", 4000)), "le pont Wilson !")
    staff = archivist(world)
    page = html.unescape(staff.get("/staff/identifications").text)
    assert "4 habitants disent : Pont Wilson" in page
    assert "Consensus" not in page

    propose(Phone(world, client=("192.0.2.3", 4000)), "PONT WILSON")
    page = html.unescape(staff.get("/staff/identifications").text)
    assert (
        "<strong>Consensus</strong> : 3 habitants distincts proposent la même chose (il en faut"
        " 3) ; à vous de décider." in page
    )
    # Staff still decide: nothing is accepted by the consensus itself.
    assert "Identifié grâce" not in Phone(world).open(f"/c/{SLUG}/mystere").text
    assert decide(staff, "pont wilson").status_code == 303
    assert "Identifié grâce" in Phone(world).open(f"/c/{SLUG}/mystere").text
