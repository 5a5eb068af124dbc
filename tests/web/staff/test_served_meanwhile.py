"""A resident's step page answers while the same worker does staff work: the CM's figures being
counted, a photo's body still arriving. On SQLite the database work of a request runs on the
worker's event loop unless it is sent aside, and whatever holds that loop holds every resident's
page behind it (benchmarks/scale.py measures the step page's p99 meanwhile).

A real uvicorn server on loopback, in a thread of the test, serves the world's app: the
TestClient would run each request to its end before the next one starts."""

from __future__ import annotations

import io
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import uvicorn
from PIL import Image

from tests.web.conftest import World, csrf_of
from tests.web.staff.conftest import CM_PASSWORD, photos_in_db
from web.staff import figures

STEP = "/c/ou-sommes-nous/tour"
SLOW = 1.5  # seconds the figures take in the first test; a step page must not wait for them
BOUNDARY = "----balises-slow-upload"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def served(request: pytest.FixtureRequest, staff_world: World) -> Iterator[str]:
    """The base URL of `staff_world`'s app served by uvicorn on a free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    config = uvicorn.Config(
        staff_world.app,  # type: ignore[arg-type]
        host="127.0.0.1",
        port=port,
        lifespan="off",
        log_level="warning",
        loop="asyncio",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def _logged_in(base: str, name: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    token = csrf_of(client.get("/staff/login").text)
    data = {"csrf": token, "name": name, "password": password, "next": "/staff"}
    assert client.post("/staff/login", data=data).status_code == 303
    return client


def _resident(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    assert client.get(STEP).status_code == 200
    return client


def _seconds_for_step_page(resident: httpx.Client) -> float:
    began = time.perf_counter()
    page = resident.get(STEP)
    assert page.status_code == 200
    assert "Cette tour vous dit quelque chose" in page.text
    return time.perf_counter() - began


def test_a_step_page_answers_while_the_cm_figures_are_counted(
    served: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At city scale the figures' counts take tens of milliseconds, more on a loaded machine;
    here they take `SLOW` seconds and a resident's page must not wait for them."""
    counted = figures.compute

    def slow_count(*args: object, **kwargs: object) -> figures.CampaignFigures:
        time.sleep(SLOW)  # the database counting 100,000 journeys, made long enough to see
        return counted(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(figures, "compute", slow_count)
    cm = _logged_in(served, "camille", CM_PASSWORD)
    resident = _resident(served)
    with ThreadPoolExecutor(1) as other:
        began = time.perf_counter()
        page = other.submit(cm.get, "/staff/chiffres/ou-sommes-nous")
        time.sleep(0.3)  # the figures request is in the server, counting
        assert not page.done()
        waited = _seconds_for_step_page(resident)
        assert not page.done(), "the step page was served after the figures, not meanwhile"
        figures_page = page.result()
    assert figures_page.status_code == 200
    assert "Cette tour vous dit quelque chose" in figures_page.text  # its row of figures
    assert time.perf_counter() - began >= SLOW
    assert waited < SLOW / 2, f"the step page waited {waited:.2f} s for the figures"


def _tiff(size: tuple[int, int] = (640, 480)) -> bytes:
    buffer = io.BytesIO()
    Image.linear_gradient("L").resize(size).convert("RGB").save(buffer, "TIFF")
    return buffer.getvalue()


def test_a_step_page_answers_while_a_photo_body_is_still_arriving(
    served: str, staff_world: World
) -> None:
    """A staff member on a slow connection sends a photo in pieces; between two pieces a
    resident's page is served at once, and the photo is stored when its last byte arrives."""
    staff = _logged_in(served, "lea", "correct horse battery")
    resident = _resident(served)
    token = csrf_of(staff.get("/staff/photos/nouvelle").text)
    photo = _tiff()
    fields = {"csrf": token, "title": "La halle en grand", "licence": "cc-by-4.0"}
    head = b"".join(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )
    head += (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; '
        'filename="halle.tif"\r\nContent-Type: image/tiff\r\n\r\n'
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    body = head + photo + tail
    cookies = "; ".join(f"{name}={value}" for name, value in staff.cookies.items())
    port = int(served.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(
            (
                "POST /staff/photos HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
                f"Content-Length: {len(body)}\r\nCookie: {cookies}\r\nConnection: close\r\n\r\n"
            ).encode()
        )
        pieces = [body[at : at + 64 * 1024] for at in range(0, len(body), 64 * 1024)]
        waits = []
        for piece in pieces[:-1]:
            connection.sendall(piece)
            waits.append(_seconds_for_step_page(resident))
        assert photos_in_db(staff_world) == []  # nothing is stored before the last byte
        connection.sendall(pieces[-1])
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200"), answer[:300]
    assert "La halle en grand" in answer.decode("utf-8", "replace")
    assert len(waits) >= 3
    assert max(waits) < 1.0, f"step pages waited up to {max(waits):.2f} s during the upload"
    assert [photo.title for photo in photos_in_db(staff_world)] == ["La halle en grand"]
