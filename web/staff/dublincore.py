"""An accepted identification in simple Dublin Core (`oai_dc`), the format every archive's
catalogue software reads: in the OAI-PMH repository's records (`web.staff.oai`) and in the XML
file staff download beside the CSV.

The record says what residents recognised (title), on which photo and how many of them
(description), where and when (coverage), the archive's fonds and cote (source), the photo's
licence (rights), and, as contributors, only the residents who chose to be credited: an
anonymous proposer's name was never kept, and no record invents one.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, SubElement, register_namespace, tostring

from starlette.requests import Request
from starlette.responses import Response

from campaigns.model import localise
from web.site import Site, site
from web.staff.auth import staff_page
from web.staff.identified import Query, Record, page, title_of
from web.store import db

OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
# The DCMI type of a photograph.
STILL_IMAGE = "StillImage"

for prefix, uri in (("oai_dc", OAI_DC), ("dc", DC), ("xsi", XSI)):
    register_namespace(prefix, uri)


def _description(record: Record) -> str:
    """In French, the language of the town's archives."""
    residents = "1 habitant" if record.residents == 1 else f"{record.residents} habitants"
    return (
        f"Photo mystère « {title_of(record)} » de la campagne"
        f" « {localise(record.campaign.title, 'fr')} », identifiée par {residents} et retenue"
        f" par l'équipe le {record.decided_at:%Y-%m-%d}."
    )


def dc_element(record: Record) -> Element:
    """`<oai_dc:dc>` of one record."""
    root = Element(f"{{{OAI_DC}}}dc", {f"{{{XSI}}}schemaLocation": f"{OAI_DC} {OAI_DC_SCHEMA}"})

    def add(name: str, text: str) -> None:
        if text:
            SubElement(root, f"{{{DC}}}{name}").text = text

    add("title", record.label)
    add("description", _description(record))
    for place in record.places:
        add("coverage", place)
    for date in record.dates:
        add("coverage", date)
    add("source", record.source)
    add("rights", record.licence)
    for name in record.contributors:
        add("contributor", name)
    add("type", STILL_IMAGE)
    add("identifier", record.url)
    return root


def all_records(current: Site) -> list[Record]:
    """Every accepted identification, a page at a time (the download is one document)."""
    found: list[Record] = []
    with db.reading(current.engine) as session:
        more, after = True, 0
        while more:
            records, more = page(current, session, Query(), after, 500)
            found += records
            after = records[-1].id if records else after
    return found


def document(records: list[Record]) -> bytes:
    """The download: one `<oai_dc:dc>` per accepted identification, in decision order."""
    root = Element("identifications")
    root.extend(dc_element(record) for record in records)
    return bytes(tostring(root, encoding="utf-8", xml_declaration=True))


@staff_page()
async def export_xml(request: Request) -> Response:
    current = site(request)
    records = await db.call(current.engine, all_records, current)
    return Response(
        document(records),
        media_type="application/xml; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="identifications.xml"'},
    )
