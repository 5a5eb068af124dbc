"""The process pool of `web.offload`: what it runs comes back, refusals with their status, and
its processes give the cores to the workers that serve residents."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pytest

from media.library import UploadRejected
from web import offload

T = TypeVar("T")


def _pid_and_niceness() -> tuple[int, int]:
    return os.getpid(), os.nice(0)


def _refuse() -> None:
    raise UploadRejected("Fichier trop lourd : 20 Mo au plus.", status=413)


def _awaited(function: Callable[[], T]) -> T:
    """`offload.run(function)` awaited in an event loop of its own thread (the browser tests
    leave one running in the main thread)."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, offload.run(function)).result()


def test_work_runs_in_another_process_that_yields_the_cores() -> None:
    pid, niceness = _awaited(_pid_and_niceness)
    assert pid != os.getpid()
    assert niceness == min(19, os.nice(0) + offload.NICENESS)


def test_a_refusal_raised_in_the_pool_comes_back_with_its_message_and_status() -> None:
    with pytest.raises(UploadRejected) as refused:
        _awaited(_refuse)
    assert (refused.value.message, refused.value.status) == (
        "Fichier trop lourd : 20 Mo au plus.",
        413,
    )
