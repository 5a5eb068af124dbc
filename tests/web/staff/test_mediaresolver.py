"""`media:<id>` in campaign files: resolving uploads for the player site, sweeping orphans."""

from __future__ import annotations

import os

from starlette.testclient import TestClient

from media.library import original_path, upload_dir
from tests.web.conftest import World
from tests.web.staff.conftest import photos_in_db, upload
from tests.web.staff.samples import photo
from web.library.resolver import (
    media_checker,
    media_exists,
    media_id_of,
    media_source,
    sweep_uploads,
)


def test_references_resolve_only_to_existing_uploads(
    staff_world: World, staff_client: TestClient
) -> None:
    upload(staff_client, [("a.jpg", photo("JPEG"))])
    [stored] = photos_in_db(staff_world)
    engine, settings = staff_world.site.engine, staff_world.settings
    assert media_id_of(f"media:{stored.id}") == stored.id
    assert media_id_of("photos/tour.jpg") is None
    assert media_source(engine, settings, stored.id) == original_path(
        settings.media_dir, stored.sha256
    )
    check = media_checker(engine)
    assert check(stored.id) and not check("zzzzzzzzzzzz") and not check("../../etc/passwd")
    assert media_source(engine, settings, "zzzzzzzzzzzz") is None
    assert not media_exists(engine, "")


def test_the_startup_sweep_removes_orphans_and_keeps_photos_with_a_row(
    staff_world: World, staff_client: TestClient
) -> None:
    upload(staff_client, [("a.jpg", photo("JPEG"))])
    [stored] = photos_in_db(staff_world)
    media = staff_world.settings.media_dir
    orphan = original_path(media, "ab" * 32)
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"left by a crash before the commit")
    upload_dir(media).mkdir(parents=True, exist_ok=True)
    half = upload_dir(media) / "upload-x.part"
    half.write_bytes(b"half an upload")
    for path in (orphan, half):
        os.utime(path, (0, 0))
    assert sweep_uploads(staff_world.site.engine, staff_world.settings, grace_seconds=0) == 2
    assert not orphan.exists() and not half.exists()
    assert original_path(media, stored.sha256).is_file()
