"""Reading a served roadbook (`/c/{campaign}/carnet.pdf`) as a person or a leak hunter would:
its words, and the photos it embeds, byte for byte."""

from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.generic import DictionaryObject


def pdf_text(payload: bytes) -> str:
    """Every word of the PDF on one line, spaces collapsed (a wrapped sentence reads whole)."""
    reader = PdfReader(io.BytesIO(payload))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def pdf_jpegs(payload: bytes) -> list[bytes]:
    """The JPEG files the PDF embeds, as their bytes (ASCII85 undone, DCT left as it is)."""
    found: list[bytes] = []
    for page in PdfReader(io.BytesIO(payload)).pages:
        resources = page.get("/Resources")
        objects = resources.get_object().get("/XObject") if resources else None
        if objects is None:
            continue
        for name in objects.get_object():
            stream = objects.get_object()[name].get_object()
            assert isinstance(stream, DictionaryObject)
            filters = stream.get("/Filter")
            if stream.get("/Subtype") == "/Image" and "/DCTDecode" in str(filters):
                found.append(stream.get_data())  # type: ignore[attr-defined]
    return found
