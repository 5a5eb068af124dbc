"""The OAI-PMH and `oai_dc` schemas shipped with the tests, and a check of a document
against them (lxml's XML Schema validator, which reads the imports beside each file)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

HERE = Path(__file__).resolve().parent
OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
NS = {"oai": OAI, "oai_dc": OAI_DC, "dc": DC}


@cache
def _schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(HERE / name)))


def _valid(document: bytes, name: str) -> etree._Element:
    root = etree.fromstring(document)
    schema = _schema(name)
    if not schema.validate(root):
        raise AssertionError(f"not valid against {name}: {schema.error_log}")
    return root


def valid_oai(document: bytes) -> etree._Element:
    """The parsed response, once it validates against OAI-PMH.xsd (records' metadata too)."""
    return _valid(document, "OAI-PMH.xsd")


def valid_dc(element: etree._Element) -> etree._Element:
    """One `<oai_dc:dc>`, once it validates against oai_dc.xsd."""
    return _valid(etree.tostring(element), "oai_dc.xsd")
