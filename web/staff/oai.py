"""The accepted identifications as an OAI-PMH 2.0 repository, at `/oai`, for the archives'
catalogue software to harvest (FranceArchives, Ligeo…) instead of importing a CSV by hand.

Opt-in per site (`BALISES_OAI=on`, with the repository's name and admin email from the
settings): off, `/oai` is a 404. The six verbs are served in `oai_dc` only, one set per
campaign; long lists come a page at a time (`BALISES_OAI_PAGE`), each page ending in a
resumption token that is the next page's query signed with the site's key, so any worker can
answer it, a forged one is refused, and a harvest resumes after the last record it got even if
staff accept more in between. Every wrong request gets the protocol's own error codes, in an
OAI-PMH document with status 200, as harvesters expect.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element, SubElement, register_namespace, tostring

from itsdangerous import BadData, URLSafeSerializer
from sqlmodel import Session
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from campaigns.model import localise
from web.participation.groups import identify_steps
from web.site import Site, site
from web.staff import identified
from web.staff.dublincore import OAI_DC, OAI_DC_SCHEMA, XSI, dc_element
from web.staff.identified import Query, Record
from web.store import db

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
PREFIX = "oai_dc"
SECONDS = "%Y-%m-%dT%H:%M:%SZ"
DAY = "%Y-%m-%d"
# Which arguments each verb takes: (required, optional); a resumption token comes alone.
VERBS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "Identify": (frozenset(), frozenset()),
    "ListMetadataFormats": (frozenset(), frozenset({"identifier"})),
    "ListSets": (frozenset(), frozenset()),
    "GetRecord": (frozenset({"identifier", "metadataPrefix"}), frozenset()),
    "ListIdentifiers": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set"})),
    "ListRecords": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set"})),
}
LISTS = ("ListIdentifiers", "ListRecords")

register_namespace("", OAI)


class OaiError(Exception):
    """A protocol error: its code (`badArgument`, …) and what went wrong, for the harvester."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _tag(name: str) -> str:
    return f"{{{OAI}}}{name}"


def _signer(current: Site) -> URLSafeSerializer:
    return URLSafeSerializer(current.settings.secret_key, salt="oai-resumption-token")


def _repository_id(current: Site) -> str:
    return urlsplit(current.settings.base_url).hostname or "localhost"


def identifier(current: Site, record_id: int) -> str:
    """The record's OAI identifier (the `oai-identifier` scheme: `oai:<host>:<local id>`)."""
    return f"oai:{_repository_id(current)}:identification-{record_id}"


def _record_id(current: Site, value: str) -> int | None:
    local = value.removeprefix(f"oai:{_repository_id(current)}:identification-")
    return int(local) if local != value and local.isdigit() and len(local) < 12 else None


def _when(name: str, value: str) -> tuple[datetime, str]:
    """A `from`/`until` argument and its granularity; badArgument when it is neither."""
    for shape in (SECONDS, DAY):
        try:
            return identified.utc(datetime.strptime(value, shape)), shape
        except ValueError:
            continue
    raise OaiError(
        "badArgument",
        f"'{name}' must be a UTC date (YYYY-MM-DD) or time (YYYY-MM-DDThh:mm:ssZ)",
    )


def _query(arguments: Mapping[str, str]) -> Query:
    since = until = None
    shapes = set()
    if "from" in arguments:
        since, shape = _when("from", arguments["from"])
        shapes.add(shape)
    if "until" in arguments:
        until, shape = _when("until", arguments["until"])
        shapes.add(shape)
        # `until` is inclusive: the whole second, or the whole day, it names
        until += timedelta(days=1) if shape == DAY else timedelta(seconds=1)
    if len(shapes) > 1:
        raise OaiError("badArgument", "'from' and 'until' must have the same granularity")
    if since is not None and until is not None and since >= until:
        raise OaiError("badArgument", "'from' is after 'until'")
    return Query(campaign=arguments.get("set"), since=since, before=until)


def _header(parent: Element, current: Site, record: Record) -> None:
    header = SubElement(parent, _tag("header"))
    SubElement(header, _tag("identifier")).text = identifier(current, record.id)
    SubElement(header, _tag("datestamp")).text = f"{record.decided_at:{SECONDS}}"
    SubElement(header, _tag("setSpec")).text = record.campaign.slug


def _full(parent: Element, current: Site, record: Record) -> None:
    element = SubElement(parent, _tag("record"))
    _header(element, current, record)
    SubElement(element, _tag("metadata")).append(dc_element(record))


def _identify(current: Site, session: Session, verb: Element) -> None:
    settings = current.settings
    earliest = identified.earliest(current, session) or identified.utc(datetime(2026, 1, 1))
    for name, text in (
        ("repositoryName", settings.oai_name),
        ("baseURL", f"{settings.base_url}/oai"),
        ("protocolVersion", "2.0"),
        ("adminEmail", settings.oai_email),
        ("earliestDatestamp", f"{earliest:{SECONDS}}"),
        # staff may decline an accepted identification later: its record then goes, unmarked
        ("deletedRecord", "transient"),
        ("granularity", "YYYY-MM-DDThh:mm:ssZ"),
    ):
        SubElement(verb, _tag(name)).text = text


def _formats(current: Site, session: Session, verb: Element, arguments: Mapping[str, str]) -> None:
    if "identifier" in arguments:
        _get(current, session, arguments["identifier"])
    entry = SubElement(verb, _tag("metadataFormat"))
    SubElement(entry, _tag("metadataPrefix")).text = PREFIX
    SubElement(entry, _tag("schema")).text = OAI_DC_SCHEMA
    SubElement(entry, _tag("metadataNamespace")).text = OAI_DC


def _sets(current: Site, verb: Element) -> None:
    seen = dict.fromkeys(campaign.slug for campaign, _step in identify_steps(current))
    if not seen:
        raise OaiError("noSetHierarchy", "this repository has no sets yet")
    for slug in seen:
        campaign = current.registry.get(slug)
        assert campaign is not None
        entry = SubElement(verb, _tag("set"))
        SubElement(entry, _tag("setSpec")).text = slug
        SubElement(entry, _tag("setName")).text = localise(campaign.title, "fr")


def _get(current: Site, session: Session, value: str) -> Record:
    record_id = _record_id(current, value)
    record = identified.one(current, session, record_id) if record_id is not None else None
    if record is None:
        raise OaiError("idDoesNotExist", f"no record has the identifier {value!r}")
    return record


def _resumed(current: Site, token: str) -> tuple[dict[str, str], int, int]:
    """The arguments, last id and cursor a resumption token carries."""
    try:
        saved = _signer(current).loads(token)
        arguments = {str(k): str(v) for k, v in dict(saved["arguments"]).items()}
        return arguments, int(saved["after"]), int(saved["cursor"])
    except (BadData, KeyError, TypeError, ValueError):
        raise OaiError("badResumptionToken", "this resumption token is not valid") from None


def _list(
    current: Site, session: Session, verb: Element, name: str, arguments: Mapping[str, str]
) -> None:
    after, cursor, token = 0, 0, arguments.get("resumptionToken")
    if token is not None:
        saved, after, cursor = _resumed(current, token)
        if saved.get("verb") != name:
            raise OaiError("badResumptionToken", "this resumption token is for another verb")
        arguments = saved
    elif arguments["metadataPrefix"] != PREFIX:
        raise OaiError("cannotDisseminateFormat", f"only {PREFIX} is served")
    query = _query(arguments)
    size = current.settings.oai_page
    records, more = identified.page(current, session, query, after, size)
    if not records:
        if token is not None:
            raise OaiError("badResumptionToken", "this resumption token leads nowhere")
        raise OaiError("noRecordsMatch", "no record matches these arguments")
    for record in records:
        (_full if name == "ListRecords" else _header)(verb, current, record)
    if token is None and not more:
        return
    total = identified.count(current, session, query)
    attributes = {"completeListSize": str(total), "cursor": str(cursor)}
    element = SubElement(verb, _tag("resumptionToken"), attributes)
    if more:
        kept = {k: v for k, v in arguments.items() if k != "resumptionToken"}
        saved_next = {"arguments": {**kept, "verb": name}, "after": records[-1].id}
        element.text = _signer(current).dumps({**saved_next, "cursor": cursor + len(records)})


def _checked(arguments: Mapping[str, list[str]]) -> tuple[str, dict[str, str]]:
    """The verb and its arguments, once each; badVerb or badArgument otherwise."""
    verbs = arguments.get("verb", [])
    if len(verbs) != 1 or verbs[0] not in VERBS:
        raise OaiError("badVerb", "the verb is missing, repeated or not an OAI-PMH verb")
    verb = verbs[0]
    repeated = [name for name, values in arguments.items() if len(values) > 1]
    if repeated:
        raise OaiError("badArgument", f"repeated argument: {repeated[0]}")
    given = {name: values[0] for name, values in arguments.items() if name != "verb"}
    required, optional = VERBS[verb]
    if "resumptionToken" in given and verb in (*LISTS, "ListSets"):
        if len(given) > 1:
            raise OaiError("badArgument", "resumptionToken is an exclusive argument")
        return verb, given
    unknown = set(given) - required - optional
    if unknown:
        raise OaiError("badArgument", f"illegal argument: {sorted(unknown)[0]}")
    missing = required - set(given)
    if missing:
        raise OaiError("badArgument", f"missing argument: {sorted(missing)[0]}")
    return verb, given


def respond(current: Site, arguments: Mapping[str, list[str]]) -> bytes:
    """The OAI-PMH document answering `arguments` (errors included, as the protocol says)."""
    root = Element(_tag("OAI-PMH"), {f"{{{XSI}}}schemaLocation": f"{OAI} {OAI_SCHEMA}"})
    SubElement(root, _tag("responseDate")).text = f"{identified.utc(current.now()):{SECONDS}}"
    request = SubElement(root, _tag("request"))
    request.text = f"{current.settings.base_url}/oai"
    verb, given = "", dict[str, str]()
    try:
        verb, given = _checked(arguments)
        with db.reading(current.engine) as session:
            element = Element(_tag(verb))
            if verb == "Identify":
                _identify(current, session, element)
            elif verb == "ListMetadataFormats":
                _formats(current, session, element, given)
            elif verb == "ListSets":
                if "resumptionToken" in given:
                    raise OaiError("badResumptionToken", "the list of sets comes whole")
                _sets(current, element)
            elif verb == "GetRecord":
                if given["metadataPrefix"] != PREFIX:
                    raise OaiError("cannotDisseminateFormat", f"only {PREFIX} is served")
                _full(element, current, _get(current, session, given["identifier"]))
            else:
                _list(current, session, element, verb, given)
        # the request's arguments are echoed only when they were valid OAI-PMH arguments
        request.attrib.update({"verb": verb, **given})
        root.append(element)
    except OaiError as error:
        if error.code not in ("badVerb", "badArgument"):
            request.attrib.update({"verb": verb, **given})
        SubElement(root, _tag("error"), {"code": error.code}).text = error.message
    return bytes(tostring(root, encoding="utf-8", xml_declaration=True))


async def repository(request: Request) -> Response:
    """`GET /oai` (and `POST`, which the protocol allows): 404 unless the site opted in."""
    current = site(request)
    if not current.settings.oai:
        raise HTTPException(404)
    pairs = list(request.query_params.multi_items())
    if request.method == "POST":
        pairs = [(k, v) for k, v in (await request.form()).multi_items() if isinstance(v, str)]
    arguments: dict[str, list[str]] = {}
    for name, value in pairs:
        arguments.setdefault(name, []).append(value)
    body = await db.call(current.engine, respond, current, arguments)
    return Response(body, media_type="text/xml; charset=utf-8")
