"""A small valid campaign file and the way the rule tests check an edit of it, as `balises check`
prints the problems.
"""

from __future__ import annotations

from pathlib import Path

from campaigns.loading import MediaCheck, PhotoCheck, load_file
from tests.factories import jpeg_bytes

BASE = """\
version: 1
campaigns:
  - slug: jep
    title: Où sommes-nous ?
    intro: Reconnaissez ces lieux.
    opens: 2026-09-19T09:00
    closes: 2026-09-21T19:00
    languages: [fr]
    contributors:
      - id: archives
        name: Archives municipales
        url: https://example.fr/archives
    steps:
      - id: tour
        type: riddle
        title: Cette tour vous dit quelque chose ?
        photo: tour.jpg
        alt: Détail d'une tour de pierre
        reveal:
          - [0.40, 0.10, 0.60, 0.30]
          - full
        credit: archives
        answers: [Tour Saint-Aubin, Saint-Aubin]
        hints: [Elle a perdu son abbaye.]
      - id: borne-3
        type: checkpoint
        title: Borne 3
      - id: quiz
        type: question
        title: En quelle année ?
        choices: ["1912", "1950"]
        correct: "1950"
    finale:
      title: Merci !
      video: https://example.fr/film.mp4
"""


def edit(old: str, new: str, text: str = BASE) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def check(
    tmp_path: Path,
    text: str = BASE,
    *,
    photo_check: PhotoCheck | None = None,
    media_exists: MediaCheck | None = None,
) -> list[str]:
    path = tmp_path / "campaigns.yaml"
    path.write_text(text, encoding="utf-8")
    if not (tmp_path / "tour.jpg").exists():
        (tmp_path / "tour.jpg").write_bytes(jpeg_bytes())
    result = load_file(path, photo_check=photo_check, media_exists=media_exists)
    if result.problems:
        assert result.campaigns == []
    return [str(p).replace(str(path), "campaigns.yaml", 1) for p in result.problems]
