"""Reading a multipart upload form as it streams, straight to temp files on the media disk.

Starlette's `request.form()` would spool every file in memory or /tmp before a handler sees it,
so a 2 GB body could fill either. Here python-multipart's push parser runs over
`request.stream()`: the declared Content-Length is checked against `max_upload_bytes` before
anything is read, bytes are counted while they arrive (a chunked body declares nothing), and each
file part goes to its own temp file in `media.library.upload_dir` (same file system as the
originals, swept at start-up). A media folder that is read-only or gone refuses the upload (503)
before a byte is read. The CSRF token must arrive before the first file: a forged form is
refused before any file byte touches the disk. Whatever goes wrong, every temp file is gone when
`read_upload` raises.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from media.library import MEDIA_UNAVAILABLE, UploadRejected, refusal_of, too_heavy, upload_dir
from media.storage import UNWRITABLE, UPLOAD_PREFIX, UPLOAD_SUFFIX, folder_problem

MAX_FILES = 20
MAX_FIELDS = 30
MAX_FIELD_BYTES = 16 * 1024
MAX_NAME = 255
BAD_FORM = "formulaire illisible : rechargez la page et réessayez"
TOO_MANY = f"trop de fichiers d'un coup : {MAX_FILES} au plus"
FORGED = "FORGED"  # message of the rejection raised when the CSRF check fails


@dataclass
class ReceivedFile:
    """One file of the form, on disk; `name` is the sender's file name, for display only."""

    path: Path
    name: str
    size: int = 0


@dataclass
class Upload:
    fields: dict[str, str] = field(default_factory=dict)
    files: list[ReceivedFile] = field(default_factory=list)

    def discard(self) -> None:
        for received in self.files:
            with contextlib.suppress(OSError):  # a folder that refuses even that: the sweep
                received.path.unlink(missing_ok=True)


def _display_name(raw: bytes) -> str:
    """The sender's file name as text to show (never a path to use)."""
    name = raw.decode("utf-8", errors="replace").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c for c in name if c.isprintable())[:MAX_NAME]


class _Parser:
    """The callbacks of python-multipart, writing file parts as they come."""

    def __init__(self, tmp_dir: Path, check_csrf: Callable[[dict[str, str]], bool]) -> None:
        self.tmp_dir = tmp_dir
        self.check_csrf = check_csrf
        self.upload = Upload()
        self._header_name = b""
        self._header_value = b""
        self._disposition = b""
        self._field: str | None = None
        self._data = bytearray()
        self._out: IO[bytes] | None = None
        self._current: ReceivedFile | None = None
        self._csrf_checked = False

    def on_part_begin(self) -> None:
        self._disposition = b""
        self._field = None
        self._data = bytearray()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        if self._header_name.strip().lower() == b"content-disposition":
            self._disposition = self._header_value
        self._header_name = b""
        self._header_value = b""

    def on_headers_finished(self) -> None:
        _kind, options = parse_options_header(self._disposition)
        name = options.get(b"name")
        if name is None:
            raise UploadRejected(BAD_FORM)
        self._field = name.decode("utf-8", errors="replace")[:100]
        if b"filename" not in options:
            if len(self.upload.fields) >= MAX_FIELDS:
                raise UploadRejected(BAD_FORM)
            return
        if not self._csrf_checked:
            if not self.check_csrf(self.upload.fields):
                raise UploadRejected(FORGED, 403)
            self._csrf_checked = True
        if len(self.upload.files) >= MAX_FILES:
            raise UploadRejected(TOO_MANY)
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, path = tempfile.mkstemp(dir=self.tmp_dir, prefix=UPLOAD_PREFIX, suffix=UPLOAD_SUFFIX)
        self._current = ReceivedFile(Path(path), _display_name(options[b"filename"]))
        self.upload.files.append(self._current)
        self._out = os.fdopen(fd, "wb")

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._out is not None and self._current is not None:
            self._out.write(data[start:end])
            self._current.size += end - start
            return
        self._data.extend(data[start:end])
        if len(self._data) > MAX_FIELD_BYTES:
            raise UploadRejected(BAD_FORM)

    def on_part_end(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None
            self._current = None
            return
        if self._field is not None:
            self.upload.fields.setdefault(self._field, self._data.decode("utf-8", "replace"))

    def close(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None


async def read_upload(
    request: Request,
    *,
    max_bytes: int,
    media_dir: Path,
    media_root: Path,
    check_csrf: Callable[[dict[str, str]], bool],
) -> Upload:
    """The form's fields and files (files with an empty name, i.e. none chosen, are dropped).

    `media_dir` is where the files go (a folder of `media_root`, the instance's media folder).
    Raises `UploadRejected`: 413 over `max_bytes`, 400 for a broken form, 403 when
    `check_csrf(fields_so_far)` refuses, 503 when the media folder is full, read-only or gone;
    then no temp file remains.
    """
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > max_bytes:
        raise UploadRejected(too_heavy(max_bytes), 413)
    if folder_problem(media_root) in UNWRITABLE:
        raise UploadRejected(MEDIA_UNAVAILABLE, 503)
    kind, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise UploadRejected(BAD_FORM)
    parser = _Parser(upload_dir(media_dir), check_csrf)
    callbacks = {
        "on_part_begin": parser.on_part_begin,
        "on_part_data": parser.on_part_data,
        "on_part_end": parser.on_part_end,
        "on_header_field": parser.on_header_field,
        "on_header_value": parser.on_header_value,
        "on_header_end": parser.on_header_end,
        "on_headers_finished": parser.on_headers_finished,
    }
    received = 0
    try:
        multipart = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
        async for chunk in request.stream():
            received += len(chunk)
            if received > max_bytes:
                raise UploadRejected(too_heavy(max_bytes), 413)
            multipart.write(chunk)
        multipart.finalize()
    except FormParserError:
        parser.close()
        parser.upload.discard()
        raise UploadRejected(BAD_FORM) from None
    except OSError as error:
        with contextlib.suppress(OSError):
            parser.close()
        parser.upload.discard()
        rejected = refusal_of(error)
        if rejected is None:
            raise
        raise rejected from None
    except BaseException:
        parser.close()
        parser.upload.discard()
        raise
    parser.close()
    upload = parser.upload
    for empty in [f for f in upload.files if f.size == 0 and not f.name]:
        empty.path.unlink(missing_ok=True)
        upload.files.remove(empty)
    return upload
