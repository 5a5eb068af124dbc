"""The archives harvest the residents' accepted identifications over OAI-PMH: every verb, sets,
resumption tokens over a page boundary, the protocol's errors, and no anonymous resident in any
record. Every response validates against the OAI-PMH and `oai_dc` schemas of `tests/oai/`."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree
from starlette.testclient import TestClient

from tests.oai.schemas import NS, valid_dc, valid_oai
from tests.web.conftest import World
from tests.web.participation.residents import SLUG, Phone, write_campaign
from tests.web.participation.test_identifications import archivist, decide, propose
from tests.web.staff.conftest import cheap_argon2, login, upload
from tests.web.staff.samples import photo

__all__ = ["cheap_argon2"]

OAI_ON = {
    "oai": True,
    "oai_name": "Archives de Val-de-Loir",
    "oai_email": "archives@val-de-loir.example.fr",
    "oai_page": 2,
}
# The staff tests run on SQLite, and on PostgreSQL when marked: these run on both.
BOTH = pytest.mark.parametrize(
    "database", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
PLACES = ["Pont Wilson", "Rue Nationale", "Place Plumereau", "Gare de Tours", "Tour Charlemagne"]


def harvest(client: TestClient, **arguments: str) -> etree._Element:
    response = client.get("/oai", params=arguments)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    return valid_oai(response.content)


def error_of(root: etree._Element) -> str:
    [error] = root.findall("oai:error", NS)
    return str(error.get("code"))


@pytest.fixture
def archive(make_world: Callable[..., World], campaign_dir: Path) -> World:
    """Five accepted identifications on a library photo with fonds, cote and licence; one
    declined; the first accepted one proposed by a credited resident and an anonymous one."""
    world = make_world(**OAI_ON)
    world.clock.now = datetime(2026, 10, 1, 10, 0, tzinfo=UTC)
    staff = archivist(world)
    upload(staff, [("morel.jpg", photo("JPEG"))], fonds="Fonds Morel", cote="12 Fi 48")
    media_id = re.search(r"media:([a-z0-9]{12})", staff.get("/staff/photos").text)
    assert media_id is not None
    write_campaign(campaign_dir, photo=f"media:{media_id.group(1)}")
    world.site.registry.refresh(force=True)
    marie, jean = Phone(world, client=("192.0.2.1", 1)), Phone(world, client=("192.0.2.2", 1))
    propose(marie, PLACES[0], place="Tours", date="vers 1930", credit="name", credit_name="Marie")
    propose(jean, PLACES[0].lower(), credit="anonymous", credit_name="Jean Secret")
    for text in PLACES[1:]:
        propose(Phone(world), text, credit="pseudonym", credit_name="Jo")
    propose(Phone(world), "Nulle part")
    for text in PLACES:
        assert decide(staff, text.lower()).status_code == 303
    decide(staff, "nulle part", "decline")
    return world


def test_identify_names_the_repository_from_the_settings(archive: World) -> None:
    root = harvest(archive.client(), verb="Identify")
    identify = root.find("oai:Identify", NS)
    assert identify is not None
    assert identify.findtext("oai:repositoryName", namespaces=NS) == "Archives de Val-de-Loir"
    assert identify.findtext("oai:adminEmail", namespaces=NS) == "archives@val-de-loir.example.fr"
    assert identify.findtext("oai:baseURL", namespaces=NS) == "http://localhost:8000/oai"
    assert identify.findtext("oai:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("oai:earliestDatestamp", namespaces=NS) == "2026-10-01T10:00:00Z"
    assert root.find("oai:request", NS).get("verb") == "Identify"  # type: ignore[union-attr]


def test_formats_and_sets(archive: World) -> None:
    client = archive.client()
    formats = harvest(client, verb="ListMetadataFormats")
    assert [e.text for e in formats.iterfind(".//oai:metadataPrefix", NS)] == ["oai_dc"]
    sets = harvest(client, verb="ListSets")
    assert [e.text for e in sets.iterfind(".//oai:setSpec", NS)] == [SLUG]
    assert [e.text for e in sets.iterfind(".//oai:setName", NS)] == ["Le quartier de la gare"]


@BOTH
def test_list_records_comes_in_pages_joined_by_resumption_tokens(
    archive: World, database: str
) -> None:
    client = archive.client()
    titles: list[str] = []
    tokens: list[etree._Element] = []
    root = harvest(client, verb="ListRecords", metadataPrefix="oai_dc")
    while True:
        titles += [e.text or "" for e in root.iterfind(".//dc:title", NS)]
        token = root.find(".//oai:resumptionToken", NS)
        assert token is not None
        tokens.append(token)
        if not token.text:
            break
        root = harvest(client, verb="ListRecords", resumptionToken=token.text)
    assert titles == PLACES
    assert [(t.get("cursor"), t.get("completeListSize")) for t in tokens] == [
        ("0", "5"),
        ("2", "5"),
        ("4", "5"),
    ]


@BOTH
def test_a_record_says_what_where_when_which_fonds_which_licence_and_who(
    archive: World, database: str
) -> None:
    client = archive.client()
    first = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    identifier = first.findtext(".//oai:header/oai:identifier", namespaces=NS)
    assert identifier == "oai:localhost:identification-1"
    root = harvest(client, verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")
    [dc] = root.findall(".//oai_dc:dc", NS)
    valid_dc(dc)
    values = [(etree.QName(e).localname, e.text) for e in dc]
    assert values == [
        ("title", "Pont Wilson"),
        (
            "description",
            "Photo mystère « Photo mystère » de la campagne « Le quartier de la gare »,"
            " identifiée par 2 habitants et retenue par l'équipe le 2026-10-01.",
        ),
        ("coverage", "Tours"),
        ("coverage", "vers 1930"),
        ("source", "Fonds Morel, 12 Fi 48"),
        ("rights", "CC BY-SA 4.0"),
        ("contributor", "Marie"),
        ("type", "StillImage"),
        ("identifier", f"http://localhost:8000/c/{SLUG}/mystere"),
    ]
    assert root.findtext(".//oai:setSpec", namespaces=NS) == SLUG


def test_a_resident_who_chose_anonymity_is_in_no_record(archive: World) -> None:
    client = archive.client()
    everything = client.get("/oai", params={"verb": "ListRecords", "metadataPrefix": "oai_dc"})
    page = client.get("/oai", params={"verb": "ListRecords", "set": SLUG, "metadataPrefix": "x"})
    assert "Jean Secret" not in everything.text + page.text
    assert "anonyme" not in everything.text
    staff = login(archive.client())
    assert b"Jean Secret" not in staff.get("/staff/identifications.xml").content


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "Identify", "set": SLUG}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "1er octobre"}, "badArgument"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-10-01",
             "until": "2026-10-01T23:00:00Z"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:x:1"},
            "idDoesNotExist",
        ),
        (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc",
             "identifier": "oai:localhost:identification-6"},
            "idDoesNotExist",
        ),
        ({"verb": "ListRecords", "resumptionToken": "forged"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "forged"}, "badResumptionToken"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "autre"}, "noRecordsMatch"),
        ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": "2026-10-02"},
         "noRecordsMatch"),
    ],
)  # fmt: skip
def test_wrong_requests_get_the_protocols_error(
    archive: World, arguments: dict[str, str], code: str
) -> None:
    root = harvest(archive.client(), **arguments)
    assert error_of(root) == code
    request = root.find("oai:request", NS)
    assert request is not None and request.text == "http://localhost:8000/oai"
    if code in ("badVerb", "badArgument"):
        assert request.attrib == {}


def test_a_repeated_argument_and_a_token_for_another_verb_are_refused(archive: World) -> None:
    client = archive.client()
    repeated = client.get("/oai?verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc")
    assert error_of(valid_oai(repeated.content)) == "badArgument"
    first = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = first.findtext(".//oai:resumptionToken", namespaces=NS)
    assert token
    assert error_of(harvest(client, verb="ListRecords", resumptionToken=token)) == (
        "badResumptionToken"
    )
    both = harvest(client, verb="ListRecords", metadataPrefix="oai_dc", resumptionToken=token)
    assert error_of(both) == "badArgument"


@BOTH
def test_dates_select_records_and_post_is_answered_like_get(archive: World, database: str) -> None:
    client = archive.client()
    day = harvest(
        client, verb="ListIdentifiers", metadataPrefix="oai_dc", until="2026-10-01", set=SLUG
    )
    assert len(day.findall(".//oai:header", NS)) == 2  # a page
    posted = client.post("/oai", data={"verb": "ListSets"})
    assert [e.text for e in valid_oai(posted.content).iterfind(".//oai:setSpec", NS)] == [SLUG]


def test_the_repository_is_off_unless_the_site_opts_in(
    make_world: Callable[..., World], campaign_dir: Path
) -> None:
    write_campaign(campaign_dir)
    world = make_world()
    assert world.client().get("/oai", params={"verb": "Identify"}).status_code == 404
