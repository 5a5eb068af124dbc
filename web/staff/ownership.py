"""Who may change which photo of the library.

The library is one catalogue every staff account may search and look at, but a photo belongs to
the account that uploaded it: that account edits its description and deletes it. A community
manager edits any description (campaigns credit photos through it) and deletes any photo except
the archives' originals, those an archives account (role `staff`) uploaded: the originals under
the media folder are the archives' only copy, and taking one out of the campaigns is the cm's
job, destroying it is not (BAD_INPUTS 39). An archives account may not touch another account's
photo, whatever id it types into the address (BAD_INPUTS 40): 403, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from web.i18n import gettext as _
from web.staff.accounts import StaffIdentity
from web.store.tables.staff import MediaPhoto, StaffUser


@dataclass(frozen=True)
class Rights:
    """What one staff member may do with one photo, and who uploaded it ('' when unknown)."""

    edit: bool
    delete: bool
    uploader: str
    uploader_role: str

    def refusal(self, deleting: bool) -> str:
        """Why the action is refused, for the 403 page."""
        if deleting and self.edit and self.uploader_role == "staff":
            return _(
                "Cette photo a été versée par les archives (%(name)s) : seul ce compte peut la"
                " supprimer. Vous pouvez modifier sa description ou la retirer des campagnes."
            ) % {"name": self.uploader}
        return _(
            "Cette photo a été versée par un autre compte : seuls ce compte et les community"
            " managers peuvent la modifier ou la supprimer."
        )


def rights(session: Session, user: StaffIdentity, photo: MediaPhoto) -> Rights:
    uploader = session.get(StaffUser, photo.uploaded_by) if photo.uploaded_by else None
    name = uploader.name if uploader is not None else ""
    role = uploader.role if uploader is not None else ""
    if photo.uploaded_by == user.id:
        return Rights(True, True, name, role)
    if user.is_cm:
        return Rights(True, role != "staff", name, role)
    return Rights(False, False, name, role)
