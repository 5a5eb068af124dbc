"""The example campaigns with a film on the bridge's story: a real WebM beside the file and its
WebVTT captions, for the browser tests that play it and the screenshots that show it."""

from __future__ import annotations

from pathlib import Path

from tests.mediafiles import vtt_text, webm_video

BRIDGE_STORY = "        story:\n          fr: |\n            Le **pont des Sept-Arches**"
CAPTION = "Les maçons rebâtirent l'arche centrale en 1948."


def with_bridge_film(text: str, photos: Path) -> str:
    """`text` (the example campaigns) with `pont`'s film, whose files are written in `photos`."""
    assert text.count(BRIDGE_STORY) == 1
    (photos / "pont.webm").write_bytes(webm_video(1.0))
    (photos / "pont.vtt").write_text(vtt_text(CAPTION), encoding="utf-8")
    film = "        video: photos/pont.webm\n        captions: photos/pont.vtt\n"
    return text.replace(BRIDGE_STORY, film + BRIDGE_STORY)
