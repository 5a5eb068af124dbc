"""A step's photo, checked before publishing: the file it names, its alt text, its reveal boxes.

A riddle's photo is a file the CM puts beside the YAML file (or an upload, `media:<id>`). A
typo in its name, a path that climbs out of the campaign's folder, or a Word document renamed
`.jpg` must be caught by `balises check`, not by a resident facing a broken image. The default
check only reads a file's first bytes, so this room stays free of Pillow; the site passes its
own, stricter `PhotoCheck` when it loads campaigns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from campaigns.model import Step
from campaigns.suggestions import did_you_mean
from campaigns.wording import _
from campaigns.yamlsource import DocPath

PhotoCheck = Callable[[Path], str | None]  # an error message, or None for a good photo
MediaCheck = Callable[[str], bool]  # does an uploaded photo with this id exist?

PHOTO_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*")
HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1")


def crop_box() -> str:
    return _("un cadrage doit être 4 nombres entre 0 et 1")


def sniff_photo(path: Path) -> str | None:
    """The default photo check: the first bytes of a JPEG, PNG, WebP, TIFF or HEIC file."""
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError as error:
        return _("impossible de lire '%(name)s' : %(reason)s") % {
            "name": path.name,
            "reason": error.strerror or error,
        }
    if head.startswith(PHOTO_SIGNATURES) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return None
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return None
    return _(
        "'%(name)s' n'est pas une photo (JPEG, PNG, WebP, TIFF ou HEIC) ; exportez-la en JPEG"
    ) % {"name": path.name}


@dataclass(frozen=True)
class PhotoFolder:
    """Where a campaign file's photos are looked for, and how they are checked.

    `base_dir` is None when the YAML came from a string (a test, a preview): then photo files
    are not looked for, only uploads when `media_exists` is given.
    """

    file: str
    base_dir: Path | None
    photo_check: PhotoCheck
    media_exists: MediaCheck | None

    def step_problems(self, step: Step) -> Iterator[tuple[DocPath, str]]:
        """Each problem of the step's photo as (path inside the step, message)."""
        if step.photo is not None:
            yield from self.photo_problems(step.photo)
            if step.alt is None:
                yield (
                    (),
                    _(
                        "une photo a besoin de 'alt' : une courte description pour les personnes "
                        "qui ne la voient pas (elle ne doit pas donner la réponse)"
                    ),
                )
        elif step.reveal:
            yield (
                ("reveal",),
                _("il n'y a pas de 'photo' à dévoiler ; ajoutez-en une ou supprimez 'reveal'"),
            )
        for k, stage in enumerate(step.reveal):
            box = stage.box
            if box == "full":
                continue
            left, top, right, bottom = box
            if not all(0 <= v <= 1 for v in box):
                yield ("reveal", k), crop_box()
            elif left >= right or top >= bottom:
                yield (
                    ("reveal", k),
                    _(
                        "ce cadrage n'a pas de surface : dans [left, top, right, bottom], left "
                        "doit être plus petit que right, et top plus petit que bottom"
                    ),
                )

    def photo_problems(self, photo: str) -> Iterator[tuple[DocPath, str]]:
        """An upload that must exist, or a file that must be a photo inside the folder."""
        if photo.startswith("media:"):
            media_id = photo.removeprefix("media:").strip()
            if not media_id:
                yield ("photo",), _("écrivez l'id d'une photo téléversée après 'media:'")
            elif self.media_exists is not None and not self.media_exists(media_id):
                yield (
                    ("photo",),
                    _(
                        "aucune photo téléversée n'a l'id '%(id)s' ; copiez-le depuis l'espace "
                        "de l'équipe"
                    )
                    % {"id": media_id},
                )
            return
        if self.base_dir is None:
            return
        relative = PurePosixPath(photo.replace("\\", "/"))
        base = self.base_dir.resolve()
        target = (base / relative).resolve()
        if relative.is_absolute() or ":" in photo or not target.is_relative_to(base):
            yield (
                ("photo",),
                _(
                    "'%(photo)s' est en dehors du dossier de ce fichier de campagne ; mettez la "
                    "photo dans ce dossier (ou un dossier à l'intérieur) et écrivez son chemin "
                    "depuis ce dossier"
                )
                % {"photo": photo},
            )
        elif not target.is_file():
            names = [p.name for p in target.parent.iterdir()] if target.parent.is_dir() else []
            hint = did_you_mean(relative.name, names) or _(
                " ; vérifiez le nom (les majuscules comptent)"
            )
            where = Path(self.file).name
            message = _("il n'y a pas de fichier '%(photo)s' à côté de %(file)s") % {
                "photo": photo,
                "file": where,
            }
            yield ("photo",), message + hint
        else:
            error = self.photo_check(target)
            if error:
                yield ("photo",), error
