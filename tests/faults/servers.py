"""Real `balises serve` processes on free loopback ports, and residents who play against them.

The fault and abuse tests need what an in-process TestClient cannot give: several uvicorn
workers sharing one socket, a process killed with SIGKILL, uvicorn's own header limits. Each
server gets its own var dir, campaign copy and database (a SQLite file or a PostgreSQL schema),
so tests run side by side under `pytest -n 2`.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
BALISES = Path(sys.executable).with_name("balises")
SECRET = "k" * 48
SLUG = "ou-sommes-nous"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
STAFF_PASSWORD = "correct horse battery"
# The first three riddles of campaigns.example.yaml (order: sequential) and a right answer each.
RIDDLES = [("tour", "Tour Saint-Aubin"), ("pont", "Sept-Arches"), ("musique", "Kiosque")]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def copy_campaigns(folder: Path) -> Path:
    """A private copy of the example campaign and its photos; returns the YAML file."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "campaigns.example.yaml", folder / "campaigns.yaml")
    if not (folder / "photos").exists():
        shutil.copytree(ROOT / "photos", folder / "photos")
    return folder / "campaigns.yaml"


@dataclass
class Server:
    """One `balises serve` (and its workers) in its own process group."""

    database_url: str
    var_dir: Path
    campaigns: Path
    workers: int = 1
    env: Mapping[str, str | None] = field(default_factory=dict)  # None: leave the setting unset
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    cwd: Path | None = None  # the folder `balises serve` runs in (default: the var dir)
    started_at_log: int = 0  # length of the log when the last start began (a restart appends)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environ(self) -> dict[str, str]:
        environ = {k: v for k, v in os.environ.items() if not k.startswith("BALISES_")}
        environ.update(
            BALISES_ENV="test",
            BALISES_VAR_DIR=str(self.var_dir),
            BALISES_DATABASE_URL=self.database_url,
            BALISES_SECRET_KEY=SECRET,
            BALISES_CAMPAIGNS=str(self.campaigns),
        )
        for name, value in self.env.items():
            if value is None:
                environ.pop(name, None)
            else:
                environ[name] = value
        return environ

    def start(self, timeout: float = 40.0) -> Server:
        self.var_dir.mkdir(parents=True, exist_ok=True)
        self.started_at_log = len(self.log())
        log = open(self.var_dir / f"server-{self.port}.log", "ab")  # noqa: SIM115
        command = [str(BALISES), "serve", "--port", str(self.port)]
        command += ["--workers", str(self.workers)]
        self.process = subprocess.Popen(
            command,
            cwd=self.cwd or self.var_dir,
            env=self.environ(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: SIGKILL reaches every worker
        )
        log.close()
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"server exited early:\n{self.log()}")
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    # With several workers, /healthz answers as soon as one is up: give the
                    # others the time to import and migrate too.
                    if self.workers > 1:
                        self._wait_workers(deadline)
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.kill()
        raise AssertionError(f"server not ready after {timeout} s:\n{self.log()}")

    def _wait_workers(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            since = self.log()[self.started_at_log :]
            if since.count("Application startup complete") >= self.workers:
                return
            time.sleep(0.1)

    def log(self) -> str:
        path = self.var_dir / f"server-{self.port}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def worker_pids(self) -> set[int]:
        assert self.process is not None
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.process.pid)],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        return {int(p) for p in out.split()}

    def kill(self) -> None:
        """SIGKILL the whole process group: no shutdown handler, no flush, like a power cut."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None


class Resident:
    """A phone playing the campaign: a cookie jar, the page's CSRF token, htmx requests.

    `fresh_connections` opens a new TCP connection for every request, so with several workers
    consecutive requests of one resident land on whichever worker accepts first. `address` is
    the loopback address the phone connects from (127.0.0.2, 127.0.0.3…: distinct residents as
    a proxy in front sees them); `verify` what an https `url` is checked against.
    """

    def __init__(
        self,
        url: str,
        *,
        fresh_connections: bool = False,
        headers: Mapping[str, str] | None = None,
        timeout: float = 30.0,
        address: str | None = None,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        limits = httpx.Limits(max_keepalive_connections=0 if fresh_connections else 5)
        transport = httpx.HTTPTransport(verify=verify, limits=limits, local_address=address)
        self.client = httpx.Client(
            base_url=url,
            follow_redirects=False,
            timeout=timeout,
            transport=transport,
            headers=dict(headers or {}),
        )
        self.token = ""

    def close(self) -> None:
        self.client.close()

    def get(self, path: str) -> httpx.Response:
        response = self.client.get(path)
        match = CSRF.search(response.text)
        if match:
            self.token = match.group(1)
        return response

    def post(self, path: str, data: Mapping[str, str], *, htmx: bool = True) -> httpx.Response:
        headers = {"HX-Request": "true"} if htmx else {}
        return self.client.post(path, data={"csrf": self.token, **data}, headers=headers)

    def answer(self, step: str, guess: str) -> httpx.Response:
        return self.post(f"/c/{SLUG}/{step}", {"answer": guess})

    def hint(self, step: str) -> httpx.Response:
        return self.post(f"/c/{SLUG}/{step}/indice", {})

    def open_step(self, step: str = "tour") -> httpx.Response:
        response = self.get(f"/c/{SLUG}/{step}")
        assert response.status_code == 200, response.text[:500]
        return response

    @property
    def cookie(self) -> str:
        return self.client.cookies.get("balises") or ""


def raw_request(
    connection: http.client.HTTPConnection,
    method: str,
    path: str,
    *,
    body: str = "",
    headers: Mapping[str, str] | None = None,
) -> tuple[int, str]:
    """One request on a kept-alive connection (which stays on the worker that accepted it)."""
    sent = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
    connection.request(method, path, body=body.encode() if body else None, headers=sent)
    response = connection.getresponse()
    return response.status, response.read().decode("utf-8", errors="replace")


def worker_of(connection: http.client.HTTPConnection, server_port: int) -> int:
    """The pid of the worker process holding the server end of this connection (from `ss`)."""
    assert connection.sock is not None
    client_port = connection.sock.getsockname()[1]
    out = subprocess.run(
        ["ss", "-Htnp", "state", "established", f"( sport = :{server_port} )"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for line in out.splitlines():
        if f"127.0.0.1:{client_port} " in line + " " and "pid=" in line:
            return int(re.search(r"pid=(\d+)", line).group(1))  # type: ignore[union-attr]
    raise AssertionError(f"no worker holds the connection from port {client_port}:\n{out}")


def one_connection_per_worker(server: Server) -> dict[int, http.client.HTTPConnection]:
    """A kept-alive connection on each worker (opening more until every worker has one)."""
    found: dict[int, http.client.HTTPConnection] = {}
    spare: list[http.client.HTTPConnection] = []
    for _ in range(60):
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        status, _body = raw_request(connection, "GET", "/healthz")
        assert status == 200
        pid = worker_of(connection, server.port)
        if pid in found:
            spare.append(connection)  # kept open so the next one may go to the other worker
        else:
            found[pid] = connection
        if len(found) == server.workers:
            break
    for connection in spare:
        connection.close()
    assert len(found) == server.workers, f"only reached workers {sorted(found)}"
    assert set(found) <= server.worker_pids()
    return found


def add_staff(server: Server, name: str = "lea", role: str = "staff") -> None:
    """A staff account on the server's instance, made as a cm would: `balises user add`."""
    subprocess.run(
        [str(BALISES), "user", "add", name, "--role", role],
        input=STAFF_PASSWORD + "\n",
        text=True,
        env=server.environ(),
        cwd=server.var_dir,
        check=True,
        capture_output=True,
    )


def staff_member(server: Server, name: str = "lea", **headers: str) -> Resident:
    """A browser logged into the staff area as `name` (see `add_staff`)."""
    staff = Resident(server.url, headers=headers)
    assert staff.get("/staff/login").status_code == 200
    logged = staff.client.post(
        "/staff/login",
        data={"csrf": staff.token, "name": name, "password": STAFF_PASSWORD, "next": "/staff"},
    )
    assert logged.status_code == 303, logged.text[:300]
    return staff
