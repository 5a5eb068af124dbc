"""A resident's phone against the concurrency suite's server: its cookies, its own address.

The server trusts X-Forwarded-For from 127.0.0.1 (`conftest.town`), so each phone gets limits
of its own, as residents behind different carriers would; a test wanting one address shared by
many phones gives them the same one.
"""

from __future__ import annotations

import itertools

import httpx

from tests.concurrency.barrier import Post
from tests.concurrency.conftest import Town, csrf_of

HTMX = {"HX-Request": "true"}
_numbers = itertools.count(1)


def new_address(town: Town, network: int) -> str:
    """An address no other phone of this run has (unique per test module and server)."""
    number = next(_numbers)
    return f"10.{network}.{number // 250}.{number % 250 + 1}"


class Phone:
    """One resident's browser, with an address of its own (behind the trusted proxy)."""

    def __init__(self, town: Town, address: str) -> None:
        self.headers = {"X-Forwarded-For": address}
        self.client = httpx.Client(base_url=town.url, headers=self.headers, timeout=60)
        self.token = ""

    def get(self, path: str) -> httpx.Response:
        """GET a page with a form, keeping its CSRF token (a first visit gets its cookie)."""
        response = self.client.get(path)
        assert response.status_code == 200, response.text[:300]
        self.token = csrf_of(response.text)
        return response

    def post(self, path: str, **data: str) -> httpx.Response:
        response = self.client.post(path, data={"csrf": self.token, **data})
        assert response.status_code in (200, 303), (path, response.status_code)
        return response

    def form(self, path: str, htmx: bool = False, **data: str) -> Post:
        """The POST this phone would send, to release with others (`barrier.posts_at_once`)."""
        headers = {**self.headers, **(HTMX if htmx else {})}
        return Post(self.client.cookies, path, {"csrf": self.token, **data}, headers)

    def close(self) -> None:
        self.client.close()
