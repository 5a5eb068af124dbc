"""A story heard or watched: the `audio`, `transcript`, `video` and `captions` of a step or finale.

A recording is only shown with its transcript, and a film played on the site only with its
captions (RGAA 4.1: a resident who cannot hear must get the story too). The files sit beside
the YAML like the photos, and a file that is not what its name says (a `.mp3` that is a Word
document, a `.vtt` exported as HTML) must be refused by `balises check`, not found by a resident
pressing play. Only the first bytes are read: this room stays free of any media library.

A `video` that is a web address is not played on the site: Balises never makes a page fetch
anything from a third party (SPEC, Guarantees), so a film kept elsewhere is a link the
resident chooses to follow, listed as such on the privacy page, and needs no captions here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from campaigns.model import Finale, Step, all_languages
from campaigns.suggestions import did_you_mean
from campaigns.wording import _
from campaigns.yamlsource import DocPath

MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class MediaKind:
    """One kind of file a story may carry: its extensions, how it is served, how big it may be."""

    key: str  # the YAML key naming it
    types: dict[str, str]  # extension -> Content-Type
    most_bytes: int


AUDIO = MediaKind(
    "audio",
    {".mp3": "audio/mpeg", ".opus": "audio/ogg", ".ogg": "audio/ogg", ".m4a": "audio/mp4"},
    20 * MEGABYTE,  # a quarter of an hour at 160 kbit/s, over a weak signal
)
VIDEO = MediaKind("video", {".mp4": "video/mp4", ".webm": "video/webm"}, 200 * MEGABYTE)
CAPTIONS = MediaKind("captions", {".vtt": "text/vtt; charset=utf-8"}, MEGABYTE)
KINDS = {kind.key: kind for kind in (AUDIO, VIDEO, CAPTIONS)}
# What the first bytes of each extension's files look like, as named in a problem.
FORMAT_NAMES = {".mp3": "MP3", ".opus": "Opus", ".ogg": "Opus", ".m4a": "M4A", ".mp4": "MP4"}
FORMAT_NAMES |= {".webm": "WebM", ".vtt": "WebVTT"}


def is_remote(value: str) -> bool:
    """Whether a `video` names a web address rather than a file beside the YAML."""
    return "://" in value or value.lower().startswith(("http:", "https:"))


def extension(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).suffix.lower()


def media_type(kind: MediaKind, name: str) -> str:
    """The Content-Type of a file the checker accepted."""
    return kind.types[extension(name)]


def sniffed(ext: str, head: bytes) -> bool:
    """Whether a file's first bytes are those of a file with extension `ext`."""
    if ext == ".mp3":
        # An ID3v2 tag, or straight into an MPEG audio frame (11 set bits of frame sync).
        return head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] >= 0xE0)
    if ext in (".opus", ".ogg"):
        return head.startswith(b"OggS") and b"OpusHead" in head[:64]
    if ext in (".m4a", ".mp4"):
        return head[4:8] == b"ftyp"
    if ext == ".webm":
        return head.startswith(b"\x1a\x45\xdf\xa3")
    if ext == ".vtt":
        text = head.removeprefix(b"\xef\xbb\xbf")
        return text.startswith(b"WEBVTT") and text[6:7] in (b"", b" ", b"\t", b"\n", b"\r")
    return False


def media_problems(
    owner: Step | Finale, file: str, base_dir: Path | None
) -> Iterator[tuple[DocPath, str]]:
    """Each problem of a step's or finale's recording, film and their texts, as (path, message).

    Files are only looked for when `base_dir` is given (a file, not a string)."""
    if owner.audio is not None:
        if owner.transcript is None:
            yield (
                ("audio",),
                _(
                    "un son a besoin de 'transcript' : ce qu'il dit, écrit en dessous pour les "
                    "personnes qui ne l'entendent pas"
                ),
            )
        yield from _file_problems(AUDIO, owner.audio, file, base_dir)
    if owner.transcript is not None:
        if owner.audio is None and owner.video is None:
            yield (
                ("transcript",),
                _(
                    "il n'y a ni 'audio' ni 'video' à transcrire ; ajoutez le fichier ou "
                    "supprimez 'transcript'"
                ),
            )
        elif any(not text.strip() for text in all_languages(owner.transcript)):
            yield (
                ("transcript",),
                _("cette transcription est vide ; écrivez tout ce que dit l'enregistrement"),
            )
    local_video = owner.video is not None and not is_remote(owner.video)
    if owner.video is not None and local_video:
        if owner.captions is None:
            yield (
                ("video",),
                _(
                    "une vidéo a besoin de 'captions' : ses sous-titres, un fichier WebVTT (.vtt) "
                    "à côté de ce fichier YAML"
                ),
            )
        yield from _file_problems(VIDEO, owner.video, file, base_dir)
    if owner.captions is not None:
        if not local_video:
            yield (
                ("captions",),
                _(
                    "'captions' sert à une vidéo à côté de ce fichier YAML ; une vidéo sur un "
                    "autre site n'est qu'un lien : supprimez 'captions'"
                ),
            )
        else:
            yield from _file_problems(CAPTIONS, owner.captions, file, base_dir)


def _wrong_extension(kind: MediaKind, name: str) -> str:
    if kind is AUDIO:
        message = _(
            "'%(name)s' n'est pas un son que les téléphones lisent ; utilisez un fichier .mp3, "
            ".opus ou .m4a"
        )
    elif kind is VIDEO:
        message = _(
            "'%(name)s' n'est pas une vidéo que les téléphones lisent ; utilisez un fichier .mp4 "
            "ou .webm, ou l'adresse web du film (https://…)"
        )
    else:
        message = _("'%(name)s' n'est pas un fichier de sous-titres ; utilisez un fichier .vtt")
    return message % {"name": name}


def _file_problems(
    kind: MediaKind, name: str, file: str, base_dir: Path | None
) -> Iterator[tuple[DocPath, str]]:
    """The file named under `kind.key`: a known extension, inside the folder, there, what its
    extension says, and not too big for a phone."""
    at: DocPath = (kind.key,)
    ext = extension(name)
    if ext not in kind.types:
        yield at, _wrong_extension(kind, name)
        return
    if base_dir is None:
        return
    relative = PurePosixPath(name.replace("\\", "/"))
    base = base_dir.resolve()
    target = (base / relative).resolve()
    if relative.is_absolute() or ":" in name or not target.is_relative_to(base):
        yield (
            at,
            _(
                "'%(name)s' est en dehors du dossier de ce fichier de campagne ; mettez le "
                "fichier dans ce dossier (ou un dossier à l'intérieur) et écrivez son chemin "
                "depuis ce dossier"
            )
            % {"name": name},
        )
        return
    if not target.is_file():
        names = [p.name for p in target.parent.iterdir()] if target.parent.is_dir() else []
        hint = did_you_mean(relative.name, names) or _(
            " ; vérifiez le nom (les majuscules comptent)"
        )
        message = _("il n'y a pas de fichier '%(name)s' à côté de %(file)s") % {
            "name": name,
            "file": Path(file).name,
        }
        yield at, message + hint
        return
    try:
        size = target.stat().st_size
        with target.open("rb") as handle:
            head = handle.read(64)
    except OSError as error:
        reason = error.strerror or str(error)
        yield at, _("impossible de lire '%(name)s' : %(reason)s") % {"name": name, "reason": reason}
        return
    shown = FORMAT_NAMES[ext]
    if not sniffed(ext, head):
        yield (
            at,
            _(
                "'%(name)s' n'est pas un fichier %(format)s, contrairement à ce que dit son nom ; "
                "exportez-le à nouveau en %(format)s"
            )
            % {"name": name, "format": shown},
        )
    elif size > kind.most_bytes:
        yield (
            at,
            _(
                "'%(name)s' pèse %(size)s Mo, plus que les %(most)s Mo qu'un téléphone peut "
                "charger sur place ; réduisez sa qualité ou sa durée"
            )
            % {"name": name, "size": -(-size // MEGABYTE), "most": kind.most_bytes // MEGABYTE},
        )
