"""Small bar charts drawn on the server as inline SVG: no JavaScript, no chart library.

Each chart is an image with a text alternative: `role="img"`, an `aria-label` that states every
value, a `<title>` for the whole chart and one per bar (shown as a tooltip), so a screen reader
user hears the same figures a sighted user sees, and the table beside the chart holds them too.
Bars are horizontal: long French labels fit, and a phone screen shows them without scrolling.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

ROW = 28  # height of one bar's row, px
# The label column holds 32 characters at 13 px even when a reader's style sheet spaces the
# letters and words out (WCAG 1.4.12: +0.12 em a letter, +0.16 em a word): never clipped.
LABEL = 350
PLOT = 300  # width of the longest bar, px
VALUE = 90  # width of the value column, px, spaced out too


def _number(value: float) -> str:
    """A figure as a French reader writes it: 12, 3,5."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}".replace(".", ",")


def _shorten(label: str, limit: int = 32) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(title: str, bars: Sequence[tuple[str, float]], *, unit: str = "") -> Markup:
    """A horizontal bar chart of `bars` (label, value), in the given order."""
    suffix = f" {unit}" if unit else ""
    spoken = "; ".join(f"{label} : {_number(value)}{suffix}" for label, value in bars)
    label = f"{title}. {spoken}" if bars else f"{title}. Aucune donnée."
    width = LABEL + PLOT + VALUE
    height = max(1, len(bars)) * ROW + 8
    top = max((value for _label, value in bars), default=0) or 1
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-label="{escape(label)}" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (name, value) in enumerate(bars):
        y = 4 + index * ROW
        length = 0 if value <= 0 else max(2, round(PLOT * value / top))
        text = f"{name} : {_number(value)}{suffix}"
        parts.append(
            f"<g><title>{escape(text)}</title>"
            f'<text x="{LABEL - 8}" y="{y + ROW / 2 + 5}" text-anchor="end">'
            f"{escape(_shorten(name))}</text>"
            f'<rect x="{LABEL}" y="{y + 4}" width="{length}" height="{ROW - 8}" rx="2"></rect>'
            f'<text x="{LABEL + length + 6}" y="{y + ROW / 2 + 5}">'
            f"{escape(_number(value))}{escape(suffix)}</text></g>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
