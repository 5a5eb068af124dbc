"""Sample photos made on the fly with Pillow: four coloured quadrants, so a test can see
whether an output is upright and whether a crop took the right region.
A plain module (not conftest) so tests can import its helpers.
"""

from __future__ import annotations

from PIL import Image

RED = (220, 30, 30)
GREEN = (30, 200, 30)
BLUE = (30, 30, 220)
YELLOW = (230, 220, 30)
# Top-left, top-right, bottom-left, bottom-right of the photo AS DISPLAYED.
QUADRANTS = (RED, GREEN, BLUE, YELLOW)

# How to store pixels so that a viewer applying the EXIF orientation shows them upright.
_STORE_FOR = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}

GPS_LATITUDE = (45.0, 0.0, 47.51)


def quadrants(width: int, height: int, mode: str = "RGB") -> Image.Image:
    """A `width`×`height` image (as displayed) with the four `QUADRANTS` colours."""
    image = Image.new("RGB", (width, height))
    half_w, half_h = width // 2, height // 2
    for colour, box in zip(
        QUADRANTS,
        [
            (0, 0, half_w, half_h),
            (half_w, 0, width, half_h),
            (0, half_h, half_w, height),
            (half_w, half_h, width, height),
        ],
        strict=True,
    ):
        image.paste(colour, box)
    return image if mode == "RGB" else image.convert(mode)


def camera_exif(orientation: int = 1, *, gps: bool = True) -> Image.Exif:
    """EXIF as a phone writes it: orientation, camera model and (by default) GPS position."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x0110] = "Pixel 8"
    if gps:
        gps_ifd = exif.get_ifd(0x8825)
        gps_ifd[1] = "N"
        gps_ifd[2] = GPS_LATITUDE
        gps_ifd[3] = "E"
        gps_ifd[4] = (4.0, 49.0, 38.22)
    return exif


def stored_pixels(displayed: Image.Image, orientation: int) -> Image.Image:
    op = _STORE_FOR[orientation]
    return displayed if op is None else displayed.transpose(op)
