"""Folders that refuse writes, as a real deployment's can: read-only, or on a tiny disk.

`read_only` bind-mounts a folder read-only over itself when the tests run as root (as in CI's
container; `chmod` does not stop root), else takes the write permission away. `tmpfs` mounts a
small RAM disk, so a write past its size fails with ENOSPC. A test that cannot have either
here is skipped, never faked.
"""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _mount(*arguments: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["mount", *arguments], capture_output=True, check=False)


def _umount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """`folder` and everything under it read-only for the server, until the block ends."""
    if os.geteuid() != 0:
        folders = [folder, *(p for p in folder.rglob("*") if p.is_dir())]
        modes = {p: p.stat().st_mode for p in folders}
        for path in folders:
            path.chmod(stat.S_IMODE(modes[path]) & ~0o222)
        try:
            yield
        finally:
            for path in reversed(folders):
                path.chmod(stat.S_IMODE(modes[path]))
        return
    bound = _mount("--bind", str(folder), str(folder))
    if bound.returncode != 0:
        pytest.skip(f"cannot bind-mount here: {bound.stderr.decode().strip()}")
    made = _mount("-o", "remount,bind,ro", str(folder))
    if made.returncode != 0:
        _umount(folder)
        pytest.skip(f"cannot remount read-only here: {made.stderr.decode().strip()}")
    try:
        yield
    finally:
        _umount(folder)


@contextmanager
def tmpfs(folder: Path, size: str) -> Iterator[Path]:
    """A RAM disk of `size` (mount's syntax: 2m, 700k) mounted on `folder` (created)."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = _mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder))
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        _umount(folder)
