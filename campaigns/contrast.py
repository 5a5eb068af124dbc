"""The accent colour a city chooses, measured as WCAG 2.1 measures contrast.

The accent is the colour of links on the page's background and the background of buttons with
white text, so it must reach 4.5:1 against both (WCAG 1.4.3, the RGAA's criterion 3.2). A colour
that does not is refused with its two measured ratios and the nearest darker shade of the same
hue that passes, so the CM can fix it in one edit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PAPER = "#fdfcf8"  # the page's background (web/static/balises.css, --paper)
WHITE = "#ffffff"  # the text on accent-coloured buttons (--accent-ink)
MINIMUM = 4.5
HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")

RGB = tuple[int, int, int]


def parse_hex(value: str) -> RGB | None:
    """`#0b5c4b` or `#0b5` as red, green, blue; None when it is not a hexadecimal colour."""
    if not HEX.match(value):
        return None
    digits = value[1:]
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def to_hex(rgb: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(rgb: RGB) -> float:
    """WCAG's relative luminance: 0 for black, 1 for white."""
    r, g, b = (_channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(first: RGB, second: RGB) -> float:
    """WCAG's contrast ratio, from 1 (same) to 21 (black on white)."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@dataclass(frozen=True)
class Measure:
    """An accent's contrast with the page's background and with white text on it."""

    colour: RGB
    on_paper: float
    under_white: float

    @property
    def passes(self) -> bool:
        # compared as printed (two decimals), so a ratio shown as 4.50 is never refused
        return min(round(self.on_paper, 2), round(self.under_white, 2)) >= MINIMUM


def measure(colour: RGB) -> Measure:
    return Measure(colour, ratio(colour, parse_hex(PAPER) or (0, 0, 0)), ratio(colour, (255,) * 3))


def darker_passing(colour: RGB) -> RGB:
    """The lightest shade of `colour` (same hue, each channel scaled down) that passes."""
    for step in range(100, -1, -1):
        shade = (colour[0] * step // 100, colour[1] * step // 100, colour[2] * step // 100)
        if measure(shade).passes:
            return shade
    return (0, 0, 0)


def soft(colour: RGB) -> RGB:
    """A pale tint of the accent, for backgrounds under ink-coloured text (notices, cards)."""
    r, g, b = colour
    return (255 - (255 - r) // 9, 255 - (255 - g) // 9, 255 - (255 - b) // 9)
