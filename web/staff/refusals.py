"""Why an upload was refused, in the staff member's language.

`media/` knows nothing of requests or catalogs: it refuses a file with a French sentence
(`media.library.UploadRejected`), and so does the streaming form reader (`web.uploads`).
The staff pages show that sentence in the language of the page: the fixed sentences are looked
up in the catalog, the few with a number in them are recognised and rebuilt. A sentence this
module does not know is shown as it came, in French, rather than not at all.
"""

from __future__ import annotations

import re

from babel.numbers import format_decimal

from media import library
from media.formats import HEIF_UNREADABLE
from web import i18n, uploads
from web.i18n import gettext as _

_TOO_HEAVY = re.compile(r"fichier trop lourd : au plus (?P<size>\d+(?:,\d+)?) (?P<unit>Mo|Ko)")
_TOO_LARGE_SIZED = re.compile(
    r"photo trop grande : (?P<width>\d+) × (?P<height>\d+) pixels,"
    r" au plus (?P<limit>\d+) mégapixels"
)
_TOO_LARGE = re.compile(r"photo trop grande : au plus (?P<limit>\d+) mégapixels")


def _fixed() -> dict[str, str]:
    """French sentence -> the same in the current language (literal msgids, for extraction)."""
    return {
        library.NOT_A_PHOTO_FR: _(
            "ce fichier n'est pas une photo (JPEG, PNG, WebP, TIFF ou HEIC attendu)"
        ),
        library.EMPTY: _("fichier vide"),
        library.UNREADABLE: _("photo illisible ou tronquée"),
        library.DISK_FULL: _("disque plein : la photo n'a pas été enregistrée"),
        library.MEDIA_UNAVAILABLE: _(
            "dossier des photos inaccessible : la photo n'a pas été enregistrée"
        ),
        HEIF_UNREADABLE: _("format non lisible, exportez en JPEG"),
        uploads.BAD_FORM: _("formulaire illisible : rechargez la page et réessayez"),
        uploads.TOO_MANY: _("trop de fichiers d'un coup : %(max)s au plus")
        % {"max": uploads.MAX_FILES},
    }


def _size(size: str, unit: str) -> str:
    """'1,5 Mo' as the current language writes it ('1.5 MB' in English)."""
    shown = _("%(size)s Mo") if unit == "Mo" else _("%(size)s Ko")
    number = format_decimal(float(size.replace(",", ".")), locale=i18n.current())
    return shown % {"size": number}


def translate(message: str) -> str:
    """`message`, a French refusal of `media/` or of the upload form, in the current language."""
    fixed = _fixed()
    if message in fixed:
        return fixed[message]
    found = _TOO_HEAVY.fullmatch(message)
    if found:
        size = _size(found["size"], found["unit"])
        return _("fichier trop lourd : au plus %(size)s") % {"size": size}
    found = _TOO_LARGE_SIZED.fullmatch(message)
    if found:
        return (
            _("photo trop grande : %(width)s × %(height)s pixels, au plus %(limit)s mégapixels")
            % found.groupdict()
        )
    found = _TOO_LARGE.fullmatch(message)
    if found:
        return _("photo trop grande : au plus %(limit)s mégapixels") % found.groupdict()
    return message
