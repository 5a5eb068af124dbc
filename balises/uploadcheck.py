"""`balises check`'s look-up of `photo: media:<id>` in the instance's database, read only.

`check` reads and never writes: it never creates a var dir or a database and never migrates
(`web.console.uploaded_photos`). When the instance has no database, or its database cannot be
read, it says so once, instead of reporting every uploaded photo as missing: the ids are then
not checked at all, and the command fails (it cannot vouch for the file).
"""

from __future__ import annotations

from collections.abc import Callable

from balises import instance
from balises.instance import Need
from balises.messages import _
from balises.settings import Settings
from web import console


def upload_checker(settings: Settings) -> tuple[Callable[[str], bool] | None, str]:
    """The `media_exists` of the instance, or None and why the ids cannot be checked."""
    unchecked = _("les photos media:<id> ne sont pas vérifiées : ")
    refused = instance.missing(settings, {Need.database})
    if refused is not None:
        return None, unchecked + refused
    try:
        return console.uploaded_photos(settings), ""
    except console.Refused as reason:
        return None, unchecked + _(
            "la base de données %(url)s ne peut pas être lue (%(reason)s)."
        ) % {"url": instance.shown_database(settings), "reason": reason}
