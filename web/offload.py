"""A small pool of processes for the work that would hold a worker's interpreter.

Drawing a QR sheet (pure-Python QR codes and PDF), a share card and ingesting a 40 MP photo
(decoding, EXIF rotation, every variant) are seconds of CPU, much of it holding the interpreter
lock: run in a thread, they stalled every resident served by the same worker (benchmarks/scale.py
measures a step page's p99 while they run). Here they run in separate processes, at most `CAP`
at once per worker (more wait their turn in the pool's queue), so a worker's event loop only
waits for the result.

The functions sent here come from `media/` and take and return plain values (paths, bytes,
dataclasses), so they pickle. The pool is one per process, made at the first use and shared by
every app of the process (the test suite builds many). Processes are spawned, not forked: a
forked copy of a worker would inherit its threads' locks and its database connections.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

CAP = 2  # processes per worker: the machines Balises runs on have two to four cores
NICENESS = 15

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None


def _executor() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(
                CAP,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_lower_priority,
            )
        return _pool


def _lower_priority() -> None:
    """In each process of the pool: yield the cores to the site's workers. On a two-core
    machine two processes decoding a 40 MP TIFF would otherwise take both cores from the
    worker that serves residents; niced, they get what the worker leaves."""
    os.nice(NICENESS)


def _discard(broken: ProcessPoolExecutor) -> None:
    """Forget a pool whose process died (killed for memory, say): the next call makes another."""
    global _pool
    with _lock:
        if _pool is broken:
            _pool = None
    broken.shutdown(wait=False, cancel_futures=True)


async def run(function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """`function(*args, **kwargs)` in a process of the pool; its exceptions are raised here."""
    pool = _executor()
    loop = asyncio.get_running_loop()
    try:
        return await loop.run_in_executor(pool, partial(function, *args, **kwargs))
    except BrokenProcessPool:
        _discard(pool)
        raise
