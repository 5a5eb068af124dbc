"""A small campaign without photos for the data, figures and retention tests, and a player
that answers through the TestClient (shared by tests/web/privacy/test_mydata.py, test_retention.py,
test_retro_credit.py and tests/web/staff/test_figures.py, test_ledger.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import String, select
from sqlmodel import SQLModel

from tests.web.conftest import World, csrf_of
from web.store import db

BALADE = """\
version: 1
campaigns:
  - slug: balade
    title: "Balade des ponts"
    order: free
    channels: [qr-mairie]
    opens: {opens}
    closes: {closes}
    contributors:
      - id: archives
        name: "Archives municipales"
    steps:
      - id: tour
        type: question
        title: "Une tour"
        answers: {tour_answers}
        hints: ["Elle a perdu son abbaye.", "Un évêque d'Angers."]
      - id: pont
        type: question
        title: "Un pont"
        answers: ["Pont des Sept-Arches"]
        hints: ["Comptez les voûtes."]
      - id: quiz
        type: question
        title: "Une date"
        choices: ["1791", "1912"]
        correct: "1912"
  - slug: ancienne
    title: "Ancienne balade"
    opens: 2025-01-01T09:00
    closes: 2025-06-30T19:00
    steps:
      - id: halle
        type: question
        title: "Une halle"
        answers: ["Halle aux grains"]
"""


def write_balade(
    folder: Path,
    *,
    opens: str = "2026-01-01T09:00",
    closes: str = "2027-12-31T19:00",
    tour_answers: str = '["Tour Saint-Aubin"]',
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "campaigns.yaml"
    text = BALADE.format(opens=opens, closes=closes, tour_answers=tour_answers)
    path.write_text(text, encoding="utf-8")
    return path


class Walker:
    """A resident on their phone: keeps the cookie and the CSRF token of the last page."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.client = world.client()
        self.token = ""

    def get(self, url: str) -> Any:
        response = self.client.get(url)
        if 'name="csrf"' in response.text:
            self.token = csrf_of(response.text)
        return response

    def post(self, url: str, data: dict[str, str]) -> Any:
        return self.client.post(url, data={"csrf": self.token, **data})

    def visit(self, slug: str, via: str | None = None) -> None:
        url = f"/c/{slug}" + (f"?via={via}" if via else "")
        assert self.get(url).status_code == 200

    def answer(self, slug: str, step: str, text: str, field: str = "answer") -> Any:
        self.get(f"/c/{slug}/{step}")
        response = self.post(f"/c/{slug}/{step}", {field: text})
        assert response.status_code == 303, response.text[:300]
        return response

    def hint(self, slug: str, step: str) -> None:
        self.get(f"/c/{slug}/{step}")
        assert self.post(f"/c/{slug}/{step}/indice", {}).status_code == 303

    @property
    def player_id(self) -> str:
        pid = _session_pid(self.client)
        assert pid, "this walker has no player yet"
        return pid


def _session_pid(client: object) -> str | None:
    """The player id of a TestClient's session cookie (read through the app's own page)."""
    import base64
    import json

    cookie = client.cookies.get("balises")  # type: ignore[attr-defined]
    if not cookie:
        return None
    payload = cookie.split(".")[0]
    data = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    value = data.get("pid")
    return value if isinstance(value, str) else None


def _is_text(kind: object) -> bool:
    return isinstance(kind, String) or isinstance(getattr(kind, "impl", None), String)


def rows_mentioning(world: World, needle: str) -> list[tuple[str, dict[str, object]]]:
    """Every row of every table with a text column containing `needle` (a player id)."""
    found = []
    with db.reading(world.site.engine) as session:
        for table in SQLModel.metadata.sorted_tables:
            texts = [c for c in table.columns if _is_text(c.type)]
            if not texts:
                continue
            condition = texts[0].contains(needle)
            for column in texts[1:]:
                condition = condition | column.contains(needle)
            for row in session.execute(select(table).where(condition)):
                found.append((table.name, dict(row._mapping)))
    return found
