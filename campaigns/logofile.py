"""The city's logo file, checked before the site serves it as its own.

The logo is shown in every page's header and made into the favicon and app icons. A PNG is
checked by its signature. An SVG is a document that can run scripts and fetch other addresses
when a browser opens it directly, so one with a script, an event handler, a DTD, or any
reference outside itself (`href`, `url(…)`, `@import`) is refused; the pages only ever show it
through `<img>`, never inline. It is parsed with defusedxml, which refuses entity bombs.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from campaigns.wording import _

MAX_LOGO_BYTES = 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NS = "{http://www.w3.org/2000/svg}"
EXTERNAL_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.IGNORECASE)
ACTIVE_TAGS = frozenset({"script", "foreignobject", "iframe", "embed", "object", "handler"})


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def svg_problem(data: bytes) -> str | None:
    """Why this SVG cannot be the site's logo, or None when it is a self-contained drawing."""
    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        return _("ce SVG déclare une DTD ou des entités ; enregistrez-le sans (SVG simple)")
    except Exception:  # ElementTree's ParseError, or bytes that are not XML at all
        return _("ce fichier n'est pas un SVG lisible ; enregistrez-le à nouveau en SVG")
    if _local(root.tag) != "svg":
        return _("ce fichier n'est pas un SVG : sa racine est <%(tag)s>") % {
            "tag": _local(root.tag)
        }
    for element in root.iter():
        found = _active(element)
        if found:
            return found
    return None


def _active(element: Element) -> str | None:
    tag = _local(element.tag) if isinstance(element.tag, str) else ""
    if tag in ACTIVE_TAGS:
        return _(
            "ce SVG contient un élément <%(tag)s>, qui peut exécuter du code ; retirez-le "
            "(un logo n'est qu'un dessin)"
        ) % {"tag": tag}
    for name, value in element.attrib.items():
        attribute = _local(name)
        if attribute.startswith("on"):
            return _("ce SVG contient l'attribut %(name)s, qui exécute du code ; retirez-le") % {
                "name": attribute
            }
        if attribute == "href" and not value.strip().startswith("#"):
            return _(
                "ce SVG fait référence à '%(value)s', hors du fichier ; intégrez l'image au "
                "dessin ou retirez la référence"
            ) % {"value": value.strip()[:60]}
        if EXTERNAL_URL.search(value):
            return _external(value)
    if (
        tag == "style"
        and element.text
        and (EXTERNAL_URL.search(element.text) or "@import" in element.text)
    ):
        return _external(element.text)
    return None


def _external(value: str) -> str:
    return _("ce SVG charge une ressource hors du fichier (%(value)s) ; retirez-la") % {
        "value": value.strip()[:60]
    }


def logo_kind(name: str) -> str | None:
    """`svg` or `png` from the file's name, None for any other kind."""
    suffix = Path(name).suffix.lower()
    return {".svg": "svg", ".png": "png"}.get(suffix)


def logo_problem(path: Path) -> str | None:
    """Why the logo at `path` cannot be used, or None."""
    kind = logo_kind(path.name)
    if kind is None:
        return _("'%(name)s' n'est ni un SVG ni un PNG ; donnez un fichier .svg ou .png") % {
            "name": path.name
        }
    try:
        size = path.stat().st_size
        if size > MAX_LOGO_BYTES:
            return _(
                "ce logo pèse %(size)s Ko, plus de 1 024 Ko ; allégez-le (un logo tient en "
                "quelques dizaines de Ko)"
            ) % {"size": size // 1024}
        data = path.read_bytes()
    except FileNotFoundError:
        return _("le fichier '%(name)s' est introuvable à côté de site.yaml ; vérifiez son nom") % {
            "name": path.name
        }
    except OSError as error:
        return _("impossible de lire '%(name)s' : %(reason)s") % {
            "name": path.name,
            "reason": error.strerror or str(error),
        }
    if kind == "png":
        if not data.startswith(PNG_SIGNATURE):
            return _("'%(name)s' n'est pas une image PNG ; enregistrez-la à nouveau en PNG") % {
                "name": path.name
            }
        return None
    return svg_problem(data)
