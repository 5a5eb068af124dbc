"""Opening an untrusted photo safely: which formats, how many pixels, which pixel modes.

Photos come from archives staff, residents and CMs, so a file named `photo.jpg` may be an HTML
page, a PDF, a decompression bomb or half a JPEG. Everything that decides "is this a photo we
can publish?" lives here, so the upload form (`PhotoError`, French) and `balises check`
(`sniff`, English) refuse the same files for the same reasons, and no decoder error escapes as
a 500.
"""

from __future__ import annotations

import io
from pathlib import Path

import pillow_heif
from PIL import Image

pillow_heif.register_heif_opener()

# Pillow's own names; HEIF is registered by pillow-heif (iPhone HEIC).
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "TIFF", "HEIF")
# Our own cap, well under Pillow's global DecompressionBomb limit (which we leave untouched for
# the rest of the process): a 48 MP phone photo passes, a 30000×30000 "bomb" does not.
MAX_PIXELS = 50_000_000

NOT_A_PHOTO = "ce fichier n'est pas une photo"
TOO_LARGE = "cette photo est trop grande (plus de 50 mégapixels) : réduisez-la"
DAMAGED = "cette photo est abîmée ou incomplète : exportez-la de nouveau"
HEIF_UNREADABLE = "format non lisible, exportez en JPEG"

_SNIFF_MESSAGES = {
    NOT_A_PHOTO: "is not a photo (JPEG, PNG, WebP, TIFF or HEIC expected)",
    DAMAGED: "is damaged or truncated: export it again",
    TOO_LARGE: f"is too large (over {MAX_PIXELS // 1_000_000} megapixels): reduce it",
    HEIF_UNREADABLE: "is a HEIC/HEIF variant that cannot be read: export it as JPEG",
}

_OPAQUE_MODES = {"RGB", "L"}
_ALPHA_MODES = {"RGBA", "LA", "La", "RGBa", "PA"}


class PhotoError(Exception):
    """A photo Balises refuses; the message is French and meant for the person who sent it."""


def _looks_like_heif(data: bytes) -> bool:
    return data[4:8] == b"ftyp" and data[8:12] in (
        b"heic",
        b"heix",
        b"heim",
        b"heis",
        b"hevc",
        b"hevx",
        b"mif1",
        b"msf1",
        b"avif",
    )


def open_photo(data: bytes) -> Image.Image:
    """Open `data` lazily (header only) and refuse anything that is not a photo we accept.

    Raise `PhotoError` for another format, a bomb, or a header the decoder cannot read.
    """
    try:
        # Between our cap and Pillow's hard limit Pillow only warns (not silenced here: the
        # warnings filter is process-wide and this runs in worker threads); our cap decides.
        image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # The warning is raised as an error where warnings are errors (pytest -W error).
        raise PhotoError(TOO_LARGE) from None
    except Exception as error:  # every decoder has its own exceptions: none may become a 500
        message = HEIF_UNREADABLE if _looks_like_heif(data) else NOT_A_PHOTO
        raise PhotoError(message) from error
    width, height = image.size
    if width < 1 or height < 1:
        raise PhotoError(NOT_A_PHOTO)
    if width * height > MAX_PIXELS:
        raise PhotoError(TOO_LARGE)
    return image


def decode(image: Image.Image) -> None:
    """Decode the pixels now, so a truncated or corrupt file fails here with a clear message."""
    try:
        image.load()
    except PhotoError:
        raise
    except MemoryError:
        raise
    except Exception as error:
        heif = (image.format or "") == "HEIF"
        raise PhotoError(HEIF_UNREADABLE if heif else DAMAGED) from error


def orientation(image: Image.Image) -> int:
    """The EXIF orientation (1–8); 1 when absent or nonsensical."""
    try:
        value = image.getexif().get(0x0112, 1)
    except Exception:  # a broken EXIF block must not refuse an otherwise good photo
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def web_mode(image: Image.Image) -> Image.Image:
    """The photo in RGB, RGBA or L, the modes resizing and web encoders handle correctly.

    16-bit greyscale is scaled to 8 bits (a plain convert would clip it to white), palette
    images keep their transparency, CMYK and others become RGB.
    """
    mode = image.mode
    if mode in _OPAQUE_MODES or mode == "RGBA":
        return image
    if mode.startswith("I;16"):
        return image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if mode in ("I", "F"):
        _low, high = image.getextrema()
        if isinstance(high, int | float) and high > 255:
            return image.point(lambda v: v * (255 / high)).convert("L")
        return image.convert("L")
    if mode == "1":
        return image.convert("L")
    if mode in _ALPHA_MODES or (mode == "P" and "transparency" in image.info):
        return image.convert("RGBA")
    return image.convert("RGB")


def on_white(image: Image.Image) -> Image.Image:
    """Flatten transparency onto white, for JPEG which has none (black would be the default)."""
    if image.mode != "RGBA":
        return image
    background = Image.new("RGB", image.size, (255, 255, 255))
    background.paste(image, mask=image.getchannel("A"))
    return background


def sniff(path: Path) -> str | None:
    """None if `path` is a photo we publish, else why not, in English for `balises check`."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return f"cannot be read ({error.strerror or error})"
    try:
        image = open_photo(data)
        if image.format == "JPEG":
            image.draft(image.mode, (max(1, image.width // 8), max(1, image.height // 8)))
        else:
            image.verify()
            image = open_photo(data)  # verify() leaves the image unusable
            image.draft(image.mode, (64, 64))
        decode(image)
    except PhotoError as error:
        message = str(error)
        return _SNIFF_MESSAGES.get(message, _SNIFF_MESSAGES[DAMAGED])
    except Exception:
        return _SNIFF_MESSAGES[DAMAGED]
    return None
