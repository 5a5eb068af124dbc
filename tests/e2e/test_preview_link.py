"""A cm's preview link on a real `balises serve`: made on the staff page, opened by an élu
without an account on another "phone" before the campaign opens, played (nothing reaches the
database), then revoked: the élu's next page is the plain 404, like a forged link's."""

from __future__ import annotations

import html
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.servers import Resident, Server, add_staff, staff_member

SLUG = "plus-tard"
LATER = f"""\
version: 1
campaigns:
  - slug: {SLUG}
    title: "Plus tard"
    opens: 2099-01-01T09:00
    steps:
      - id: kiosque
        type: question
        title: "Un kiosque"
        answers: ["Kiosque à musique"]
"""
COUNTED = ("player", "attempt", "solve", "stepprogress", "checkin", "viacount")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("preview")
    (folder / "campaigns.yaml").write_text(LATER, encoding="utf-8")
    database = f"sqlite:///{folder / 'var' / 'balises.db'}"
    running = Server(database, folder / "var", folder / "campaigns.yaml")
    running.start()
    try:
        yield running
    finally:
        running.stop()


def _counted(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as connection:
        return {t: connection.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in COUNTED}


def test_a_preview_link_is_made_played_and_revoked_on_a_real_server(server: Server) -> None:
    add_staff(server, "camille", "cm")
    cm = staff_member(server, "camille")
    cm.get("/staff/apercus")
    made = cm.client.post("/staff/apercus", data={"csrf": cm.token, "campaign": SLUG, "days": "2"})
    assert made.status_code == 201
    found = re.search(r'<code id="made-link">[^<]*?(/apercu/[^<]+)</code>', made.text)
    assert found is not None
    path = found.group(1)
    before = _counted(server.var_dir / "balises.db")

    elu = Resident(server.url)
    assert elu.get(f"/c/{SLUG}").status_code == 404  # before it opens, for everyone else
    assert elu.client.get(path).status_code == 303
    page = elu.get(f"/c/{SLUG}/kiosque")
    assert "Aperçu : rien de ce que vous faites n'est compté" in html.unescape(page.text)
    answered = elu.client.post(
        f"/c/{SLUG}/kiosque", data={"csrf": elu.token, "answer": "kiosque a musique"}
    )
    assert answered.status_code == 303
    assert "1 étape faite sur 1" in elu.get(f"/c/{SLUG}").text
    assert _counted(server.var_dir / "balises.db") == before

    listed = cm.get("/staff/apercus")
    link = re.search(r'action="/staff/apercus/([0-9a-f]{64})/revoquer"', listed.text)
    assert link is not None
    revoked = cm.client.post(f"/staff/apercus/{link.group(1)}/revoquer", data={"csrf": cm.token})
    assert revoked.status_code == 303
    forged = Resident(server.url).client.get(path[:-2] + "zz")
    gone = elu.client.get(f"/c/{SLUG}")
    assert gone.status_code == forged.status_code == 404
    assert Resident(server.url).client.get(path).status_code == 404
