"""The example campaign file cut short, as a dropped upload leaves it: still valid YAML."""

from __future__ import annotations

# A line of the English story of the third step (`musique`): cutting the file inside it leaves
# valid YAML with 3 of the 10 steps of ou-sommes-nous and no voie-verte.
TEXT_BLOCK_LINE = "            Its iron frame was melted down in 1942"


def cut_inside_text_block(text: str) -> str:
    return text[: text.index(TEXT_BLOCK_LINE) + len(TEXT_BLOCK_LINE) // 2]
