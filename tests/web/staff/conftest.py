"""Fixtures of the staff-area tests: accounts, a logged-in client, sample photos."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from PIL import Image
from starlette.testclient import TestClient

from tests.databases import postgres_schema
from tests.web.conftest import World, csrf_of
from web.staff import accounts
from web.store import db
from web.store.tables.staff import MediaPhoto

PASSWORD = "correct horse battery"
CM_PASSWORD = "le phare de la côte"


def add_user(world: World, name: str, role: str = "staff", password: str = PASSWORD) -> None:
    with db.writing(world.site.engine) as session:
        accounts.create_user(session, name, role, password)


def login(client: TestClient, name: str = "lea", password: str = PASSWORD) -> TestClient:
    page = client.get("/staff/login")
    assert page.status_code == 200
    response = client.post(
        "/staff/login",
        data={"csrf": csrf_of(page.text), "name": name, "password": password, "next": "/staff"},
    )
    assert response.status_code == 303, response.text[:500]
    return client


def token_of(client: TestClient, path: str = "/staff/photos/nouvelle") -> str:
    return csrf_of(client.get(path).text)


def jpeg(size: tuple[int, int] = (64, 48), fmt: str = "JPEG", color: str = "teal") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt)
    return buffer.getvalue()


def upload(
    client: TestClient,
    files: list[tuple[str, bytes]],
    *,
    title: str = "Tour Saint-Aubin vers 1910",
    licence: str = "cc-by-sa-4.0",
    token: str | None = None,
    **fields: str,
) -> object:
    data = {
        "csrf": token if token is not None else token_of(client),
        "title": title,
        "licence": licence,
        **fields,
    }
    return client.post(
        "/staff/photos",
        data=data,
        files=[("files", (name, content, "image/jpeg")) for name, content in files],
    )


def photos_in_db(world: World) -> list[MediaPhoto]:
    with db.reading(world.site.engine) as session:
        from sqlmodel import select

        return list(session.exec(select(MediaPhoto)))


def stored_files(world: World) -> list[Path]:
    """Every file under the media dir except derived variants of photos still in the DB."""
    root = world.settings.media_dir
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2's real cost (0.5 s a hash here) is for attackers, not for every test login."""
    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """SQLite, or a fresh PostgreSQL schema for the tests marked `postgres` (one flow is)."""
    if request.node.get_closest_marker("postgres") is None:
        yield f"sqlite:///{tmp_path / 'balises.db'}"
        return
    with postgres_schema() as url:
        yield url


@pytest.fixture
def staff_world(world: World) -> World:
    add_user(world, "lea", "staff")
    add_user(world, "camille", "cm", CM_PASSWORD)
    return world


@pytest.fixture
def staff_client(staff_world: World) -> TestClient:
    return login(staff_world.client())


Uploader = Callable[..., object]
