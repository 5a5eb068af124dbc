"""The residents of the participation tests: a free-order campaign whose identify and contribution
steps are open at once, a phone that fills their forms, and the CM who moderates what they send.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from PIL import Image
from sqlmodel import select
from starlette.testclient import TestClient

from tests.web.conftest import World, csrf_of
from tests.web.staff.conftest import CM_PASSWORD, add_user, login
from web.store import db
from web.store.tables.participation import Submission

SLUG = "quartier"


CAMPAIGN = textwrap.dedent(
    """\
    version: 1
    campaigns:
      - slug: quartier
        title: "Le quartier de la gare"
        opens: 2026-01-01T09:00
        order: free
        contributors:
          - id: archives
            name: "Archives municipales"
        steps:
          - id: mystere
            type: identify
            title: "Photo mystère"
            photo: photos/photo-mystere.jpg
            alt: "Une rue ancienne, des passants"
            credit: archives
            prompt: "Où est-ce ?"
          - id: souvenirs
            type: contribution
            title: "Vos photos du quartier"
            prompt: "Envoyez une photo ou un souvenir."
          - id: temoignage
            type: contribution
            title: "Racontez-nous"
            accept: [text]
        finale:
          title: "Merci à tous"
    """
)


def write_campaign(folder: Path, photo: str = "photos/photo-mystere.jpg") -> None:
    text = CAMPAIGN.replace("photos/photo-mystere.jpg", photo)
    (folder / "campaigns.yaml").write_text(text, encoding="utf-8")


@pytest.fixture
def town(make_world: Callable[..., World], campaign_dir: Path) -> World:
    """A free-order campaign whose identify and contribution steps are open at once."""
    write_campaign(campaign_dir)
    return make_world()


def photo_bytes(color: str = "orange") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), color).save(buffer, "JPEG")
    return buffer.getvalue()


class Phone:
    """A resident on their phone: one cookie jar, the form's CSRF token."""

    def __init__(self, world: World, **kwargs: object) -> None:
        self.client = world.client(**kwargs)
        self.token = ""

    def open(self, path: str) -> httpx.Response:
        page = self.client.get(path)
        if 'name="csrf"' in page.text:
            self.token = csrf_of(page.text)
        return page

    def contribute(
        self,
        step: str = "souvenirs",
        *,
        photo: bytes | None = None,
        licence: bool = True,
        **fields: str,
    ) -> httpx.Response:
        url = f"/c/{SLUG}/{step}"
        if not self.token:
            self.open(url)
        data = {"csrf": self.token, **fields}
        if licence:
            data["licence"] = "cc-by-sa-4.0"
        files = {"photo": ("IMG_0042.jpg", photo, "image/jpeg")} if photo is not None else None
        if files is None:  # still multipart, as the phone's form is
            files = {"photo": ("", b"", "application/octet-stream")}
        return self.client.post(url, data=data, files=files)

    def report(self, item: int) -> httpx.Response:
        self.open(f"/c/{SLUG}/galerie")
        return self.client.post(f"/c/{SLUG}/galerie/{item}/signaler", data={"csrf": self.token})


def cm(world: World) -> TestClient:
    add_user(world, "camille", "cm", CM_PASSWORD)
    return login(world.client(), "camille", CM_PASSWORD)


def moderate(client: TestClient, item: int, decision: str, message: str = "") -> httpx.Response:
    token = csrf_of(client.get("/staff/moderation").text)
    data = {"csrf": token, "decision": decision, "message": message}
    return client.post(f"/staff/moderation/{item}", data=data)


def submissions(world: World) -> list[Submission]:
    with db.reading(world.site.engine) as session:
        return list(session.exec(select(Submission).order_by(Submission.id)))  # type: ignore[arg-type]


def originals(world: World) -> list[Path]:
    folder = world.settings.media_dir / "contributions"
    return sorted(p for p in folder.rglob("*") if p.is_file() and "cache" not in p.parts)
