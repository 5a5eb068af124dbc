"""The archives' catalogue harvests a real `balises serve` with a real OAI-PMH harvester
(Sickle, from PyPI) over HTTP: residents propose from their phones (distinct addresses), staff
accept on the staff pages, and the harvester gets every accepted identification back over
resumption tokens, each response valid against the OAI-PMH and `oai_dc` schemas, and no
anonymous resident's name anywhere; the staff's Dublin Core download says the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import nullcontext

import pytest
from lxml import etree
from sickle import Sickle
from sickle.iterator import OAIResponseIterator

from tests.databases import postgres_schema
from tests.faults.servers import (
    ROOT,
    Resident,
    Server,
    add_staff,
    staff_member,
)
from tests.oai.schemas import NS, valid_oai
from tests.web.participation.residents import CAMPAIGN, SLUG

PLACES = ["Pont Wilson", "Rue Nationale", "Place Plumereau", "Gare de Tours", "Tour Charlemagne"]


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("oai")
    (folder / "photos").mkdir()
    (folder / "photos" / "photo-mystere.jpg").write_bytes(
        (ROOT / "photos" / "photo-mystere.jpg").read_bytes()
    )
    (folder / "campaigns.yaml").write_text(CAMPAIGN, encoding="utf-8")
    with postgres_schema() if request.param == "postgres" else nullcontext("") as url:
        oai = {
            "BALISES_OAI": "on",
            "BALISES_OAI_NAME": "Archives de Val-de-Loir",
            "BALISES_OAI_ADMIN_EMAIL": "archives@val-de-loir.example.fr",
            "BALISES_OAI_PAGE": "2",
        }
        database = url or f"sqlite:///{folder / 'var' / 'balises.db'}"
        running = Server(database, folder / "var", folder / "campaigns.yaml", env=oai)
        running.start()
        try:
            yield running
        finally:
            running.stop()


def _propose(server: Server, address: str, text: str, **credit: str) -> None:
    phone = Resident(server.url, address=address)
    phone.get(f"/c/{SLUG}/mystere")
    sent = phone.client.post(
        f"/c/{SLUG}/mystere", data={"csrf": phone.token, "text": text, **credit}
    )
    assert sent.status_code == 303, sent.text[:300]
    phone.close()


def test_a_harvester_gets_every_accepted_identification_over_resumption_tokens(
    server: Server,
) -> None:
    _propose(server, "127.0.0.2", PLACES[0], credit="name", credit_name="Marie")
    _propose(server, "127.0.0.3", PLACES[0], credit="anonymous", credit_name="Jean Secret")
    for n, text in enumerate(PLACES[1:], start=4):
        _propose(server, f"127.0.0.{n}", text, credit="pseudonym", credit_name="Jo")
    add_staff(server, "lea", "staff")
    staff = staff_member(server, "lea")
    for text in PLACES:
        staff.get("/staff/identifications")
        data = {"csrf": staff.token, "campaign": SLUG, "step": "mystere", "decision": "accept"}
        decided = staff.client.post("/staff/identifications", data={**data, "key": text.lower()})
        assert decided.status_code == 303

    harvester = Sickle(f"{server.url}/oai", iterator=OAIResponseIterator, max_retries=0)
    pages = [
        valid_oai(response.raw.encode("utf-8"))
        for response in harvester.ListRecords(metadataPrefix="oai_dc")
    ]
    assert len(pages) == 3  # 2 + 2 + 1 records: two resumption tokens followed
    tokens = [page.find(".//oai:resumptionToken", NS) for page in pages]
    assert [t.get("cursor") for t in tokens if t is not None] == ["0", "2", "4"]

    records = list(Sickle(f"{server.url}/oai").ListRecords(metadataPrefix="oai_dc", set=SLUG))
    assert [r.metadata["title"] for r in records] == [[place] for place in PLACES]
    assert records[0].metadata["contributor"] == ["Marie"]
    assert all(r.header.datestamp.endswith("Z") for r in records)
    every_page = b"".join(etree.tostring(page) for page in pages)
    assert b"Jean Secret" not in every_page and "Jean Secret" not in str(records[0].raw)

    identify = Sickle(f"{server.url}/oai").Identify()
    assert identify.repositoryName == "Archives de Val-de-Loir"
    assert identify.adminEmail == "archives@val-de-loir.example.fr"
    [only] = [r for r in records if r.metadata["title"] == ["Rue Nationale"]]
    fetched = Sickle(f"{server.url}/oai").GetRecord(
        identifier=only.header.identifier, metadataPrefix="oai_dc"
    )
    assert fetched.metadata["contributor"] == ["Jo"]

    # The staff download the same records as one Dublin Core file, beside the CSV.
    download = staff.client.get("/staff/identifications.xml")
    assert download.status_code == 200
    assert download.headers["content-disposition"] == 'attachment; filename="identifications.xml"'
    root = etree.fromstring(download.content)
    assert [e.text for e in root.iterfind(".//dc:title", NS)] == PLACES
