"""A real two-worker server per database for the concurrency tests, shared by a module's tests.

Starting `balises serve --workers 2` costs seconds, so each test module gets one per database
(SQLite, PostgreSQL) and its tests work on rows of their own. The server plays
campaigns.example.yaml and a free-order campaign, `quartier`, whose riddle, identify and
contribution steps are all open at once. Staff accounts are created straight in the database;
`Town.staff` logs one in as its browser would.
"""

from __future__ import annotations

import re
import secrets
import shutil
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from sqlalchemy.engine import Engine

from tests.databases import postgres_schema
from tests.faults.servers import ROOT, Server
from web.staff import accounts
from web.store import db

WORKERS = 2
PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
QUARTIER = "quartier"
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
          - id: halle
            type: riddle
            title: "Sous quel toit ?"
            photo: photos/enigme-1-pierre.jpg
            alt: "Une charpente vue d'en bas"
            credit: archives
            answers: ["Halle aux grains"]
            hints:
              - "On y vendait du blé."
              - "Elle est sur la place du marché."
              - "Sa charpente est en chêne."
              - "Elle a été restaurée en 1990."
              - "Son toit est couvert d'ardoises."
              - "On y tient le marché du samedi."
            reveal:
              - [0.2, 0.2, 0.6, 0.6]
              - [0.1, 0.1, 0.8, 0.8]
              - full
            story: "La halle aux grains date de 1850."
          - id: mystere
            type: identify
            title: "Photo mystère"
            photo: photos/photo-mystere.jpg
            alt: "Une rue ancienne, des passants"
            credit: archives
            prompt: "Où est-ce ?"
          - id: souvenirs
            type: contribution
            title: "Racontez-nous"
            prompt: "Un souvenir du quartier."
            accept: [text]
        finale:
          title: "Merci à tous"
    """
)


@dataclass
class Town:
    """A running two-worker server, its database, and helpers to act as its staff."""

    server: Server
    engine: Engine
    _staff: dict[str, httpx.Cookies] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.server.url

    def staff(self, name: str, role: str = "cm") -> httpx.Cookies:
        """The cookies of `name` logged in (the account is created on first use)."""
        if name not in self._staff:
            hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
            with db.writing(self.engine) as session:
                session.add(
                    accounts.StaffUser(name=name, role=role, password_hash=hasher.hash(PASSWORD))
                )
            with httpx.Client(base_url=self.url, follow_redirects=False) as client:
                token = csrf_of(client.get("/staff/login").text)
                form = {"csrf": token, "name": name, "password": PASSWORD, "next": "/staff"}
                response = client.post("/staff/login", data=form)
                assert response.status_code == 303, response.text[:500]
                self._staff[name] = httpx.Cookies(client.cookies)
        return self._staff[name]

    def token(self, cookies: httpx.Cookies, page: str) -> str:
        """The CSRF token of a page as these cookies see it."""
        with httpx.Client(base_url=self.url, cookies=cookies) as client:
            response = client.get(page)
            assert response.status_code == 200, response.text[:500]
            cookies.update(client.cookies)
            return csrf_of(response.text)

    def get(self, cookies: httpx.Cookies, path: str) -> httpx.Response:
        with httpx.Client(base_url=self.url, cookies=cookies, follow_redirects=False) as client:
            return client.get(path)


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, html[:500]
    return match.group(1)


def campaigns_folder(folder: Path) -> Path:
    """campaigns.example.yaml, `quartier` and their photos in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "campaigns.example.yaml", folder / "campaigns.yaml")
    (folder / "quartier.yaml").write_text(CAMPAIGN, encoding="utf-8")
    shutil.copytree(ROOT / "photos", folder / "photos")
    return folder


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def town(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Town]:
    base = tmp_path_factory.mktemp(f"town-{request.param}-{secrets.token_hex(3)}")
    folder = campaigns_folder(base / "campaigns")
    with _database(request.param, base) as url:
        # Residents' addresses come in X-Forwarded-For, so each test phone has its own limits.
        env = {"BALISES_TRUSTED_PROXIES": "127.0.0.1"}
        server = Server(url, base / "var", folder, WORKERS, env).start()
        engine = db.make_engine(url)
        try:
            yield Town(server, engine)
        finally:
            server.kill()
            engine.dispose()


@contextmanager
def _database(kind: str, base: Path) -> Iterator[str]:
    """The URL of a fresh database of this kind under `base` (on PostgreSQL, a schema)."""
    if kind == "sqlite":
        (base / "var").mkdir(parents=True, exist_ok=True)
        yield f"sqlite:///{base / 'var' / 'balises.db'}"
        return
    with postgres_schema() as url:
        yield url
