"""A full disk during an upload, and a campaign file replaced by garbage during play.

The media directory is a 2 MB tmpfs mounted for the test (as root; skipped when mounting is
refused): a photo larger than what is left gives the upload page with status 503 and "disque
plein", no temp file and no row, and the site keeps serving players. A campaign file overwritten
with garbage while residents answer changes nothing for them: the last valid version stays
published and no request fails.
"""

from __future__ import annotations

import html
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

from tests.faults.servers import CSRF, Resident, Server, add_staff, staff_member
from tests.folders import tmpfs
from web.store import db
from web.store.tables.staff import MediaPhoto


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    with tmpfs(tmp_path / "media", "2m") as folder:
        yield folder


def test_full_disk_during_upload_gives_503_and_leaves_nothing(
    tiny_disk: Path, make_server: Callable[..., Server], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'var' / 'balises.db'}"
    server = make_server(url, BALISES_MEDIA_DIR=str(tiny_disk)).start()
    add_staff(server)
    staff = staff_member(server)
    form = staff.get("/staff/photos/nouvelle")
    token = CSRF.search(form.text)
    assert token is not None
    big = os.urandom(3 * 1024 * 1024)  # more than the 2 MB disk
    response = staff.client.post(
        "/staff/photos",
        data={"csrf": token.group(1), "title": "Tour", "licence": "cc-by-sa-4.0"},
        files=[("files", ("tour.jpg", b"\xff\xd8\xff\xe0" + big, "image/jpeg"))],
    )
    assert response.status_code == 503
    assert "disque plein : la photo n'a pas été enregistrée" in html.unescape(response.text)
    leftovers = [p for p in tiny_disk.rglob("*") if p.is_file()]
    assert leftovers == []
    engine = db.make_engine(url)
    try:
        with db.reading(engine) as session:
            assert session.exec(select(func.count()).select_from(MediaPhoto)).one() == 0
    finally:
        engine.dispose()
    player = Resident(server.url)
    assert (
        "Pas tout à fait" in (player.open_step("tour") and player.answer("tour", "Zanzibar")).text
    )
    player.close()
    staff.close()


def test_campaign_replaced_by_garbage_keeps_the_game_going(
    make_server: Callable[..., Server], campaigns_file: Path, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'var' / 'balises.db'}"
    server = make_server(url, BALISES_ANSWERS_PER_MINUTE="100000").start()
    residents = [Resident(server.url) for _ in range(4)]
    for resident in residents:
        resident.open_step("tour")
    statuses: list[int] = []
    stop = threading.Event()

    def play(resident: Resident) -> None:
        n = 0
        while not stop.is_set():
            n += 1
            statuses.append(resident.answer("tour", f"Zanzibar {n}").status_code)
            statuses.append(resident.get("/c/ou-sommes-nous/tour").status_code)

    threads = [threading.Thread(target=play, args=(r,)) for r in residents]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    campaigns_file.write_bytes(b"\x00\xff campaigns: [ {{{ \t: - !!python/object:os.system\n")
    deadline = time.monotonic() + 10  # the quiet period, then at most a second to look
    while "keeping the last valid version online" not in server.log():
        assert time.monotonic() < deadline, "the broken file was never looked at"
        time.sleep(0.2)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    assert statuses and set(statuses) == {200}, sorted(set(statuses))
    for resident in residents:
        solved = resident.answer("tour", "Tour Saint-Aubin")
        assert "Bravo, vous avez trouvé" in solved.text
        resident.close()
    assert "keeping the last valid version online" in server.log()
