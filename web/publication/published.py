"""The version of the campaign files that is online, kept in the instance (`var/published/`).

Every worker of a site, `balises publish` and the next start read and write the same record, so
they agree on what is online, on a version held for a CM's confirmation and on that
confirmation: a worker never decides alone. The record (`state.json`) names each published file
by its name in the campaigns folder and the sha256 of its bytes; the bytes themselves are kept
beside it (`files/<sha256>.yaml`), so a restart serves the last good version even while the file
on disk is broken. Writes go to a temporary file renamed over the old one (a crash leaves the
old record or the new, never half of one), and decisions are taken under an `flock`.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from campaigns.changes import Removal

log = logging.getLogger("balises.campaigns")

STATE = "state.json"


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def digest_of(files: Mapping[str, str]) -> str:
    """One name for a whole version: the hash of its files' names and hashes."""
    lines = "".join(f"{name}\0{sha}\n" for name, sha in sorted(files.items()))
    return sha256(lines.encode("utf-8"))


@dataclass(frozen=True)
class Version:
    """The files online: name in the campaigns folder → sha256 of the published bytes."""

    files: dict[str, str] = field(default_factory=dict)
    published_at: datetime | None = None

    @property
    def digest(self) -> str:
        return digest_of(self.files)


@dataclass(frozen=True)
class Held:
    """A valid new version kept offline: it removes what players have progress in."""

    files: dict[str, str]
    since: datetime
    removals: list[tuple[Removal, int]]  # each removal and how many players have progress in it

    @property
    def digest(self) -> str:
        return digest_of(self.files)


@dataclass(frozen=True)
class State:
    root: str = ""  # the campaigns file or folder the record is about (resolved)
    version: Version = field(default_factory=Version)
    held: Held | None = None
    confirmed: str | None = None  # the digest of a held version a CM confirmed


def _when(raw: Any) -> datetime | None:
    return datetime.fromisoformat(raw) if isinstance(raw, str) else None


def _files(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        return {}
    return {str(name): str(sha) for name, sha in raw.items()}


def _decode(data: Any) -> State:
    version = data.get("version") or {}
    held = data.get("held")
    kept = None
    if isinstance(held, dict):
        removals = [
            (Removal(str(r["campaign"]), r.get("step")), int(r.get("players", 0)))
            for r in held.get("removals", [])
        ]
        kept = Held(_files(held.get("files")), _when(held.get("since")) or datetime.min, removals)
    confirmed = data.get("confirmed")
    return State(
        root=str(data.get("root", "")),
        version=Version(_files(version.get("files")), _when(version.get("published_at"))),
        held=kept,
        confirmed=confirmed if isinstance(confirmed, str) else None,
    )


def _encode(state: State) -> dict[str, Any]:
    held = None
    if state.held is not None:
        held = {
            "files": state.held.files,
            "since": state.held.since.isoformat(),
            "removals": [
                {"campaign": r.campaign, "step": r.step, "players": n}
                for r, n in state.held.removals
            ],
        }
    published_at = state.version.published_at
    return {
        "root": state.root,
        "version": {
            "files": state.version.files,
            "published_at": published_at.isoformat() if published_at else None,
        },
        "held": held,
        "confirmed": state.confirmed,
    }


def _write_atomically(path: Path, content: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with tmp.open("wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


class Store:
    """The record and the kept files, in `folder`; in memory only when `folder` is None."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._memory: tuple[State, dict[str, bytes]] = (State(), {})
        self._cached: tuple[tuple[int, int, int] | None, State] | None = None
        self._thread_lock = threading.Lock()

    def read(self) -> State:
        """The record as last written by anyone (re-read only when the file changed)."""
        if self.folder is None:
            return self._memory[0]
        path = self.folder / STATE
        try:
            stat = path.stat()
            signature: tuple[int, int, int] | None = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        except OSError:
            signature = None
        if self._cached is not None and self._cached[0] == signature:
            return self._cached[1]
        state = State()
        if signature is not None:
            try:
                state = _decode(json.loads(path.read_bytes()))
            except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
                log.warning("%s: unreadable (%s); no published version is kept", path, error)
        self._cached = (signature, state)
        return state

    def write(self, state: State) -> None:
        if self.folder is None:
            self._memory = (state, self._memory[1])
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(_encode(state), indent=2, sort_keys=True, ensure_ascii=False)
        _write_atomically(self.folder / STATE, text.encode("utf-8"))

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Only one decision at a time, across the threads and processes of the instance."""
        with self._thread_lock:
            if self.folder is None:
                yield
                return
            self.folder.mkdir(parents=True, exist_ok=True)
            with (self.folder / "lock").open("a") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)

    def keep(self, content: bytes) -> str:
        """Keep a published file's bytes; its sha256."""
        sha = sha256(content)
        if self.folder is None:
            self._memory[1][sha] = content
            return sha
        files = self.folder / "files"
        files.mkdir(parents=True, exist_ok=True)
        if not (files / f"{sha}.yaml").exists():
            _write_atomically(files / f"{sha}.yaml", content)
        return sha

    def content(self, sha: str) -> bytes | None:
        """The kept bytes of a published file, None when they are not (or no longer) kept."""
        if self.folder is None:
            return self._memory[1].get(sha)
        try:
            return (self.folder / "files" / f"{sha}.yaml").read_bytes()
        except OSError:
            return None

    def prune(self, keep: set[str]) -> None:
        """Forget the kept files no version or held version names any more."""
        if self.folder is None:
            for sha in set(self._memory[1]) - keep:
                del self._memory[1][sha]
            return
        for path in (self.folder / "files").glob("*.yaml"):
            if path.stem not in keep:
                path.unlink(missing_ok=True)
