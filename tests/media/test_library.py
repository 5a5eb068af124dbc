"""Uploads: each photo format stored once with its variants; every bad file refused, no trace."""

from __future__ import annotations

import asyncio
import errno
import hashlib
import io
import os
import time
from collections.abc import AsyncIterator, Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageFile

import media.photocache
import media.photos
from media.library import (
    StoredPhoto,
    UploadRejected,
    ingest,
    original_path,
    receive,
    remove,
    sweep,
    upload_dir,
)
from media.photos import WIDTHS, derive
from tests.media import samples

MAX_BYTES = 20 * 1024 * 1024
NOT_A_PHOTO = "ce fichier n'est pas une photo (JPEG, PNG, WebP, TIFF ou HEIC attendu)"
DISK_FULL = "disque plein : la photo n'a pas été enregistrée"


def run_apart(coroutine: Coroutine[Any, Any, Path]) -> Path:
    """`asyncio.run(coroutine)` on a thread of its own: in the same pytest worker, the browser
    tests' Playwright keeps an event loop running on this one, and asyncio.run refuses to start
    inside it."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


@pytest.fixture
def media_dir(tmp_path: Path) -> Path:
    return tmp_path / "media"


@pytest.fixture
def tmp_dir(media_dir: Path) -> Path:
    return upload_dir(media_dir)


def upload(data: bytes, media_dir: Path, tmp_dir: Path) -> StoredPhoto:
    """What the staff area does: stream the body to disk, then check and store it."""
    received = run_apart(receive(samples.stream(data), max_bytes=MAX_BYTES, tmp_dir=tmp_dir))
    assert received.read_bytes() == data
    assert received.stat().st_mode & 0o777 == 0o600
    return ingest(received, media_dir=media_dir)


ACCEPTED = {
    "jpeg": (samples.jpeg, "JPEG"),
    "png": (samples.png, "PNG"),
    "webp": (samples.webp, "WEBP"),
    "tiff-2-pages": (samples.multipage_tiff, "TIFF"),
    "heic": (samples.heic, "HEIF"),
}


@pytest.mark.parametrize("kind", ACCEPTED)
def test_each_accepted_format_is_stored_with_every_variant(
    kind: str, media_dir: Path, tmp_dir: Path
) -> None:
    make, pillow_format = ACCEPTED[kind]
    data = make(120, 80)
    photo = upload(data, media_dir, tmp_dir)

    assert photo == StoredPhoto(hashlib.sha256(data).hexdigest(), 120, 80, pillow_format, len(data))
    assert original_path(media_dir, photo.sha256).read_bytes() == data
    assert samples.files_under(tmp_dir) == set()
    stored = samples.files_under(media_dir)
    assert len(stored) == 1 + 6 + 1  # the original, 3 widths × 2 formats, the placeholder
    served = samples.served_files(media_dir, photo.sha256)
    assert samples.files_under(media_dir) == stored  # all already made: nothing rendered now
    for path in served[:-1]:
        with Image.open(path) as image:
            assert image.size == (120, 80)  # never upscaled
            samples.assert_upright(image)  # the TIFF's first page, not its blue back


def test_phone_photo_variants_are_upright_and_carry_no_exif(media_dir: Path, tmp_dir: Path) -> None:
    data = samples.jpeg(2000, 1500, orientation=6, gps=True)
    assert Image.open(io.BytesIO(data)).size == (1500, 2000)  # stored sideways
    photo = upload(data, media_dir, tmp_dir)
    assert (photo.width, photo.height) == (2000, 1500)  # as displayed

    served = samples.served_files(media_dir, photo.sha256)
    for path, width in zip(served, [w for w in WIDTHS for _ in range(2)] + [24], strict=True):
        raw = path.read_bytes()
        assert b"Exif" not in raw and b"GPS" not in raw and b"Dupont" not in raw
        with Image.open(path) as image:
            assert len(image.getexif()) == 0
            assert "comment" not in image.info
            assert image.size == (width, width * 3 // 4)
            if width > 24:
                samples.assert_upright(image)


def test_same_photo_uploaded_twice_is_stored_once(media_dir: Path, tmp_dir: Path) -> None:
    data = samples.jpeg(300, 200, orientation=6)
    first = upload(data, media_dir, tmp_dir)
    stored = {p: p.stat().st_ino for p in samples.files_under(media_dir)}
    second = upload(data, media_dir, tmp_dir)
    assert second == first
    assert {p: p.stat().st_ino for p in samples.files_under(media_dir)} == stored
    assert samples.files_under(tmp_dir) == set()
    other = upload(samples.png(300, 200), media_dir, tmp_dir)
    assert other.sha256 != first.sha256
    assert len(samples.files_under(media_dir / "originals")) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (samples.png_bomb(), "photo trop grande : 30000 × 30000 pixels, au plus 50 mégapixels"),
        (
            samples.png_bomb(8000, 7000),
            "photo trop grande : 8000 × 7000 pixels, au plus 50 mégapixels",
        ),
        (  # between our cap and Pillow's: Pillow only warns, and must not be asked
            samples.png_bomb(10_000, 10_000),
            "photo trop grande : 10000 × 10000 pixels, au plus 50 mégapixels",
        ),
        (samples.truncated_jpeg(), "photo illisible ou tronquée"),
        (samples.PDF, NOT_A_PHOTO),
        (samples.SVG, NOT_A_PHOTO),
        (samples.HTML, NOT_A_PHOTO),
        (samples.BROKEN_HEIC, "format non lisible, exportez en JPEG"),
        (b"", "fichier vide"),
    ],
    ids=[
        "bomb",
        "bomb-56mp",
        "bomb-100mp",
        "truncated",
        "pdf",
        "svg",
        "html",
        "broken-heic",
        "empty",
    ],
)
@pytest.mark.filterwarnings("error")
def test_bad_files_are_refused_with_a_clear_message_and_leave_nothing(
    content: bytes, message: str, media_dir: Path, tmp_dir: Path
) -> None:
    tmp_dir.mkdir(parents=True)
    renamed = tmp_dir / "IMG_0042.jpg"  # the name says JPEG; only the content counts
    renamed.write_bytes(content)
    with pytest.raises(UploadRejected) as refused:
        ingest(renamed, media_dir=media_dir)
    assert (refused.value.message, refused.value.status) == (message, 400)
    assert str(refused.value) == message
    assert samples.files_under(media_dir) == set()


def test_bomb_is_refused_from_its_header_without_decoding_pixels(
    media_dir: Path, tmp_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_decoding(self: ImageFile.ImageFile) -> None:
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    bomb = samples.png_bomb()
    assert len(bomb) < 200
    with pytest.raises(UploadRejected, match=r"^photo trop grande : 30000 × 30000 pixels"):
        upload(bomb, media_dir, tmp_dir)
    assert samples.files_under(media_dir) == set()


def test_over_size_stream_is_refused_at_the_limit_without_a_temp_file(tmp_dir: Path) -> None:
    pulled = 0

    async def endless() -> AsyncIterator[bytes]:  # a 2 GB body, sent 64 KB at a time
        nonlocal pulled
        chunk = b"\xff" * 65536
        for _ in range(32_768):
            pulled += 1
            yield chunk

    with pytest.raises(UploadRejected) as refused:
        run_apart(receive(endless(), max_bytes=MAX_BYTES, tmp_dir=tmp_dir))
    assert (refused.value.message, refused.value.status) == (
        "fichier trop lourd : au plus 20 Mo",
        413,
    )
    assert pulled == MAX_BYTES // 65536 + 1  # stopped reading right past the limit
    assert samples.files_under(tmp_dir) == set()


def test_a_body_exactly_at_the_limit_is_received(tmp_dir: Path) -> None:
    data = samples.jpeg(64, 48)
    path = run_apart(receive(samples.stream(data, 100), max_bytes=len(data), tmp_dir=tmp_dir))
    assert path.read_bytes() == data


def test_dropped_connection_leaves_no_temp_file(tmp_dir: Path) -> None:
    async def dropped() -> AsyncIterator[bytes]:
        yield b"\xff\xd8\xff" + b"\0" * 1000
        raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        run_apart(receive(dropped(), max_bytes=MAX_BYTES, tmp_dir=tmp_dir))
    assert samples.files_under(tmp_dir) == set()


def test_disk_full_while_receiving_is_a_503_without_temp_file(
    tmp_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, fd: int, mode: str) -> None:
            self.file = real_fdopen(fd, mode)

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            self.file.close()

        def write(self, chunk: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("media.library.os.fdopen", FullDisk)
    with pytest.raises(UploadRejected) as refused:
        run_apart(receive(samples.stream(samples.png()), max_bytes=MAX_BYTES, tmp_dir=tmp_dir))
    monkeypatch.undo()
    assert (refused.value.message, refused.value.status) == (DISK_FULL, 503)
    assert samples.files_under(tmp_dir) == set()


@pytest.mark.parametrize("writes", [0, 1, 4, 7], ids=["original", "1-variant", "4", "placeholder"])
def test_disk_full_in_the_middle_leaves_no_file(
    writes: int, media_dir: Path, tmp_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import media.library

    # One budget shared by the original (written by the library) and the variants (by photos).
    budget = samples.disk_full_after(writes, media.photocache.write_atomically)
    monkeypatch.setattr(media.library, "write_atomically", budget)
    monkeypatch.setattr(media.photos, "write_atomically", budget)
    with pytest.raises(UploadRejected) as refused:
        upload(samples.jpeg(2000, 1500, orientation=6, gps=True), media_dir, tmp_dir)
    assert (refused.value.message, refused.value.status) == (DISK_FULL, 503)
    assert samples.files_under(media_dir) == set()


def test_failing_derive_removes_the_original_it_just_stored(
    media_dir: Path, tmp_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("media.library.derive_all", full)
    with pytest.raises(UploadRejected, match=f"^{DISK_FULL}$"):
        upload(samples.png(), media_dir, tmp_dir)
    assert samples.files_under(media_dir) == set()


def test_failed_second_upload_keeps_the_photo_already_stored(
    media_dir: Path, tmp_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = samples.jpeg(2000, 1500)
    photo = upload(data, media_dir, tmp_dir)
    before = samples.files_under(media_dir)
    lost = samples.served_files(media_dir, photo.sha256)[0]
    lost.unlink()  # a cache clean-up: the next upload of the photo makes it again...
    monkeypatch.setattr(
        media.photos, "write_atomically", samples.disk_full_after(0, lambda *a: None)
    )
    with pytest.raises(UploadRejected, match=f"^{DISK_FULL}$"):  # ...on a full disk
        upload(data, media_dir, tmp_dir)
    assert samples.files_under(media_dir) == before - {lost}
    assert original_path(media_dir, photo.sha256).read_bytes() == data


def test_remove_deletes_the_original_and_its_variants_only(media_dir: Path, tmp_dir: Path) -> None:
    kept = upload(samples.png(), media_dir, tmp_dir)
    kept_files = samples.files_under(media_dir)
    gone = upload(samples.jpeg(), media_dir, tmp_dir)
    # A riddle crop of the removed photo goes with it.
    derive(
        original_path(media_dir, gone.sha256),
        box=(0.0, 0.0, 0.5, 0.5),
        width=480,
        fmt="webp",
        cache_dir=media_dir / "cache",
    )
    remove(media_dir, gone.sha256)
    assert samples.files_under(media_dir) == kept_files
    remove(media_dir, gone.sha256)  # already gone: not an error
    assert original_path(media_dir, kept.sha256).exists()


def test_sweep_removes_what_a_crash_left_and_keeps_the_rest(media_dir: Path, tmp_dir: Path) -> None:
    kept = upload(samples.png(), media_dir, tmp_dir)
    kept_files = samples.files_under(media_dir)
    orphan = upload(samples.jpeg(), media_dir, tmp_dir)  # stored, then killed before the commit
    tmp_dir.mkdir(exist_ok=True)
    leftovers = [
        tmp_dir / "upload-abc123.part",  # a body half received
        original_path(media_dir, orphan.sha256).parent / ".x1y2.tmp",  # half an original
        next(iter(samples.files_under(media_dir / "cache"))).parent / ".z3.tmp",
    ]
    for path in leftovers:
        path.write_bytes(b"half")
    other = tmp_dir / "notes.txt"  # not ours: never touched
    other.write_bytes(b"x")

    assert sweep(media_dir, {kept.sha256}) == 0  # all too recent: another worker may own them
    long_ago = time.time() - 3600
    for path in samples.files_under(media_dir):
        os.utime(path, (long_ago, long_ago))
    assert sweep(media_dir, {kept.sha256}) == 4
    assert samples.files_under(media_dir) == kept_files | {other}
    assert sweep(media_dir, {kept.sha256}) == 0


@pytest.mark.parametrize("sha", ["../../etc/passwd", "ab", "A" * 64, "g" * 64])
def test_only_a_sha256_names_a_stored_file(sha: str, media_dir: Path) -> None:
    with pytest.raises(ValueError, match="not a sha256"):
        original_path(media_dir, sha)
    with pytest.raises(ValueError):
        remove(media_dir, sha)
