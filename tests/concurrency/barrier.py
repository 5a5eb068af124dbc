"""Requests released at the same instant against a real server: what a double tap, a retrying
phone or two staff members in the same queue really send.

Each request gets its own thread and its own HTTP connection, opened (and its TCP handshake
done) before a `threading.Barrier` lets them all go at once. With `balises serve --workers 2`
the connections are spread over both workers by the kernel, so the requests race in two
processes, as on a city's server; the tests then assert exact counts.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import httpx

R = TypeVar("R")


class Line:
    """One HTTP connection of its own, already open, carrying a copy of some cookies."""

    def __init__(
        self, url: str, cookies: httpx.Cookies | None = None, *, timeout: float = 60.0
    ) -> None:
        self.client = httpx.Client(
            base_url=url,
            follow_redirects=False,
            timeout=timeout,
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
            cookies=httpx.Cookies(cookies) if cookies is not None else None,
        )
        # The connection is opened now, not when the barrier opens.
        assert self.client.get("/healthz").status_code == 200

    def post(
        self, path: str, data: Mapping[str, str], headers: Mapping[str, str] | None = None
    ) -> httpx.Response:
        return self.client.post(path, data=dict(data), headers=dict(headers or {}))

    def close(self) -> None:
        self.client.close()


def at_once(sends: Sequence[Callable[[], R]], timeout: float = 60.0) -> list[R]:
    """Run every callable in its own thread, all released together; their results in order.

    A callable that raises makes the whole call raise (after every thread is done), so a
    connection error is a failed test, never a silently missing result.
    """
    barrier = threading.Barrier(len(sends))
    results: list[R | None] = [None] * len(sends)
    failures: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout)
            results[index] = sends[index]()
        except BaseException as error:  # re-raised in the caller's thread
            failures.append(error)
            barrier.abort()

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(len(sends))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout + 30)
    if failures:
        raise failures[0]
    assert all(not thread.is_alive() for thread in threads), "a request never came back"
    return list(results)  # type: ignore[arg-type]  # every slot is filled when none failed


@dataclass(frozen=True)
class Post:
    """One form POST: whose cookies, where, what, with which headers."""

    cookies: httpx.Cookies | None
    path: str
    data: Mapping[str, str]
    headers: Mapping[str, str] = field(default_factory=dict)


def posts_at_once(url: str, posts: Sequence[Post]) -> list[httpx.Response]:
    """Send every POST on a connection of its own, all at the same instant."""
    lines = [Line(url, post.cookies) for post in posts]
    try:
        sends = [
            (lambda line=line, post=post: line.post(post.path, post.data, post.headers))
            for line, post in zip(lines, posts, strict=True)
        ]
        return at_once(sends)
    finally:
        for line in lines:
            line.close()
