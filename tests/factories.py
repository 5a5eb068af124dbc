"""Valid campaign data and files for tests, so each test only states what it changes.

`make_campaign(title="x")` is a campaign that loads with no problem, with one key changed;
`make_campaign(intro=DROP)` leaves a key out. `make_campaign_file` writes it as YAML beside
tiny real JPEG photos, the way a community manager's folder looks.
"""

from __future__ import annotations

import copy
import io
from pathlib import Path
from typing import Any

import yaml
from PIL import Image

DROP: Any = object()  # a keyword value meaning "leave this key out"


def _without_dropped(data: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    merged = {**data, **changes}
    return {key: value for key, value in merged.items() if value is not DROP}


def make_step(**changes: Any) -> dict[str, Any]:
    """A riddle step that passes every check (its photo is `tour-1910.jpg`)."""
    step: dict[str, Any] = {
        "id": "tour",
        "type": "riddle",
        "title": "Cette tour vous dit quelque chose ?",
        "photo": "tour-1910.jpg",
        "alt": "Détail d'une tour de pierre",
        "reveal": [[0.4, 0.1, 0.6, 0.3], "full"],
        "credit": ["archives"],
        "answers": ["Tour Saint-Aubin", "Saint-Aubin"],
        "hints": ["Elle a perdu son abbaye, pas sa hauteur."],
        "story": "Construite au XIIe siècle, la tour est tout ce qui reste de l'abbaye.",
    }
    return _without_dropped(step, changes)


def make_campaign(**changes: Any) -> dict[str, Any]:
    """A valid campaign: a riddle, a QR checkpoint and a contribution, credited and thanked."""
    campaign: dict[str, Any] = {
        "slug": "ou-sommes-nous",
        "title": "Où sommes-nous ?",
        "intro": "Reconnaissez ces lieux de la ville.",
        "opens": "2026-09-19T09:00",
        "closes": "2026-09-21T19:00",
        "timezone": "Europe/Paris",
        "order": "sequential",
        "languages": ["fr"],
        "contributors": [
            {
                "id": "archives",
                "name": "Archives municipales",
                "role": "Photos d'archives",
                "url": "https://example.fr/archives",
            }
        ],
        "steps": [
            make_step(),
            {
                "id": "borne-3",
                "type": "checkpoint",
                "title": "Borne 3 : le pont de la Mayenne",
                "story": "Le pont a été reconstruit en 1950.",
            },
            {
                "id": "vos-souvenirs",
                "type": "contribution",
                "title": "Vous avez une photo de ce lieu ?",
                "prompt": "Envoyez-nous une photo ou un souvenir.",
            },
        ],
        "finale": {
            "title": "Merci !",
            "text": "Merci aux archives municipales.",
            "video": "https://example.fr/film.mp4",
        },
    }
    return _without_dropped(copy.deepcopy(campaign), changes)


def jpeg_bytes(size: tuple[int, int] = (8, 6)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 90, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


def make_campaign_file(
    tmp_path: Path,
    campaigns: list[dict[str, Any]] | None = None,
    photos: bool = True,
    name: str = "campaigns.yaml",
    version: Any = 1,
) -> Path:
    """Write `version` and `campaigns` as YAML in `tmp_path`, with every photo file it names."""
    data = {"version": version, "campaigns": campaigns or [make_campaign()]}
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if photos:
        for campaign in data["campaigns"]:
            for step in campaign.get("steps", []):
                photo = step.get("photo") if isinstance(step, dict) else None
                if isinstance(photo, str) and not photo.startswith("media:") and ".." not in photo:
                    target = tmp_path / photo
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(jpeg_bytes())
    return path
