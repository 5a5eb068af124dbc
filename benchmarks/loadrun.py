"""The machinery of `load.py`: uvicorn servers started and stopped, raw keep-alive HTTP/1.1
connections on asyncio (far cheaper than httpx on the same two cores, so the client takes less
of the CPU the server needs), the tallies of their responses, and a server's own CPU time.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class Connection:
    """One kept-alive connection with its own cookie jar (one resident's phone)."""

    def __init__(self, port: int, forwarded_for: str | None = None) -> None:
        self.port = port
        self.forwarded_for = forwarded_for
        self.cookies: dict[str, str] = {}
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        if self.writer is None:
            await self._open()
        assert self.reader is not None and self.writer is not None
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if self.forwarded_for:
            lines.append(f"X-Forwarded-For: {self.forwarded_for}")
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        if body or method == "POST":
            lines.append("Content-Type: application/x-www-form-urlencoded")
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        length, chunked, close = 0, False, False
        for line in header_lines:
            name, _sep, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
            elif name == "connection" and value.lower() == "close":
                close = True
            elif name == "set-cookie":
                cookie, _sep, _attrs = value.partition(";")
                key, _sep, val = cookie.partition("=")
                if "max-age=0" in value.lower() or "expires=thu, 01 jan 1970" in value.lower():
                    self.cookies.pop(key.strip(), None)
                else:
                    self.cookies[key.strip()] = val.strip()
        data = await (self._chunks() if chunked else self.reader.readexactly(length))
        if close:
            self.close()
        return status, data

    async def _chunks(self) -> bytes:
        assert self.reader is not None
        data = bytearray()
        while True:
            size = int((await self.reader.readline()).split(b";")[0], 16)
            if size == 0:
                await self.reader.readline()
                return bytes(data)
            data += await self.reader.readexactly(size)
            await self.reader.readline()


@dataclass
class Tally:
    """Latencies (seconds) and statuses of one kind of request during the measured window."""

    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    bad: int = 0

    def add(self, seconds: float, status: int, expected: tuple[int, ...]) -> None:
        self.latencies.append(seconds)
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if status not in expected:
            self.bad += 1

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000


@dataclass
class Result:
    name: str
    seconds: float
    tallies: dict[str, Tally]
    cpu_seconds: float

    @property
    def count(self) -> int:
        return sum(len(t.latencies) for t in self.tallies.values())

    @property
    def rps(self) -> float:
        return self.count / self.seconds

    @property
    def bad(self) -> int:
        return sum(t.bad for t in self.tallies.values())

    def merged(self) -> Tally:
        merged = Tally()
        for tally in self.tallies.values():
            merged.latencies += tally.latencies
            merged.bad += tally.bad
            for status, n in tally.statuses.items():
                merged.statuses[status] = merged.statuses.get(status, 0) + n
        return merged


class Window:
    """Counts only what completes between the end of the warm-up and the end of the run."""

    def __init__(self, warmup: float, duration: float) -> None:
        self.start = time.perf_counter() + warmup
        self.end = self.start + duration
        self.tallies: dict[str, Tally] = {}

    @property
    def over(self) -> bool:
        return time.perf_counter() >= self.end

    async def timed(
        self,
        kind: str,
        call: Awaitable[tuple[int, bytes]],
        expected: tuple[int, ...] = (200,),
    ) -> tuple[int, bytes]:
        began = time.perf_counter()
        status, body = await call
        done = time.perf_counter()
        if self.start <= began and done <= self.end:
            self.tallies.setdefault(kind, Tally()).add(done - began, status, expected)
        return status, body


def server_cpu(pid: int) -> float:
    """CPU seconds used by `pid` and its live children (uvicorn workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    pids += [int(p) for p in out.stdout.split()]
    for each in pids:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


async def run_phase(
    name: str,
    server: Server,
    connections: int,
    warmup: float,
    duration: float,
    worker: Callable[[Window, int], Awaitable[None]],
) -> Result:
    window = Window(warmup, duration)
    await asyncio.sleep(0)
    cpu_before: float | None = None

    async def sample_cpu() -> None:
        nonlocal cpu_before
        await asyncio.sleep(max(0.0, window.start - time.perf_counter()))
        cpu_before = server_cpu(server.pid)

    sampler = asyncio.create_task(sample_cpu())
    await asyncio.gather(*(worker(window, i) for i in range(connections)))
    await sampler
    cpu = server_cpu(server.pid) - (cpu_before or 0.0)
    return Result(name, duration, window.tallies, cpu)


UVICORN = ["--host", "127.0.0.1", "--loop", "uvloop", "--http", "httptools", "--no-access-log"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int

    @property
    def pid(self) -> int:
        return self.process.pid


@contextmanager
def serving(target: str, workers: int, env: dict[str, str], log: Path) -> Iterator[Server]:
    """`uvicorn <target>` on a free loopback port until the block ends (stopped by its pid)."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", target, "--app-dir", str(ROOT)]
    command += ["--factory"] if target.endswith("create_app") else []
    command += [*UVICORN, "--port", str(port), "--workers", str(workers)]
    with open(log, "ab") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(process, port)
    try:
        wait_ready(server, workers, log)
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_ready(server: Server, workers: int, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"server exited:\n{log.read_text(errors='replace')[-3000:]}")
        text = log.read_text(errors="replace") if log.exists() else ""
        if text.count("Application startup complete") >= workers:
            try:
                with socket.create_connection(("127.0.0.1", server.port), timeout=1):
                    return
            except OSError:
                pass
        time.sleep(0.1)
    raise SystemExit(f"server not ready:\n{log.read_text(errors='replace')[-3000:]}")
