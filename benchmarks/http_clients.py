"""The two load clients of `http_bench.py`: wrk when it is installed, else a bounded asyncio client
of raw keep-alive HTTP/1.1 requests; both return the same `Result`.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

_DURATION_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def _wrk_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if match is None:
        raise ValueError(text)
    if match[2] == "m":
        return float(match[1]) * 60_000
    return float(match[1]) * _DURATION_UNITS[match[2]]


def run_wrk(target: Target, duration: float, connections: int) -> Result:
    wrk = shutil.which("wrk")
    assert wrk is not None
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(f'wrk.method = "{target.method}"\n')
        script.write(f"wrk.body = {lua_string(target.body)}\n")
        for name, value in target.headers.items():
            script.write(f"wrk.headers[{lua_string(name)}] = {lua_string(value)}\n")
    try:
        base = [wrk, "-t1", f"-c{connections}", "-s", script.name, "--latency"]
        done = subprocess.run(
            [*base, f"-d{duration:g}s", "--timeout", "10s", target.url],
            capture_output=True,
            text=True,
            check=True,
            timeout=duration + 30,
        )
    finally:
        os.unlink(script.name)
    out = done.stdout

    def field(pattern: str) -> str:
        match = re.search(pattern, out, re.MULTILINE)
        if match is None:
            raise SystemExit(f"{target.name}: cannot read {pattern!r} in wrk's output:\n{out}")
        return match[1]

    rps = float(field(r"Requests/sec:\s+([\d.]+)"))
    p50 = _wrk_ms(field(r"^\s+50%\s+(\S+)\s*$"))
    p99 = _wrk_ms(field(r"^\s+99%\s+(\S+)\s*$"))
    count = int(field(r"(\d+) requests in"))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    if errors:
        print(f"  {target.name}: {errors[0]}", file=sys.stderr)
    return Result(target.name, rps, p50, p99, int(bad[1]) if bad else 0, count)


def lua_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _raw_request(target: Target) -> bytes:
    """The bytes of one keep-alive HTTP/1.1 request for `target`."""
    parts = urlsplit(target.url)
    body = target.body.encode()
    lines = [f"{target.method} {parts.path or '/'} HTTP/1.1", f"Host: {parts.netloc}"]
    lines += [f"{name}: {value}" for name, value in target.headers.items()]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _read_response(reader: asyncio.StreamReader) -> int:
    """Read one response (uvicorn always sends Content-Length here); return its status."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _sep, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
        elif name.strip().lower() == b"transfer-encoding":
            raise SystemExit("chunked responses are not supported by the asyncio client: use wrk")
    await reader.readexactly(length)
    return status


async def _asyncio_load(
    target: Target, duration: float, connections: int, max_requests: int
) -> Result:
    """`connections` keep-alive connections, each sending one request after the other."""
    latencies: list[float] = []
    bad = 0
    request = _raw_request(target)
    parts = urlsplit(target.url)
    stop = time.perf_counter() + duration

    async def connection() -> None:
        nonlocal bad
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        try:
            while time.perf_counter() < stop and len(latencies) < max_requests:
                start = time.perf_counter()
                writer.write(request)
                status = await asyncio.wait_for(_read_response(reader), timeout=10)
                latencies.append((time.perf_counter() - start) * 1000)
                bad += status != target.expect
        finally:
            writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(connections)))
    elapsed = time.perf_counter() - began
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return Result(
        target.name,
        len(latencies) / elapsed,
        statistics.median(latencies),
        p99,
        bad,
        len(latencies),
    )


def run_asyncio(target: Target, duration: float, connections: int) -> Result:
    return asyncio.run(_asyncio_load(target, duration, connections, 10_000_000))


@dataclass
class Target:
    """One thing to load: a URL, and what to send to it."""

    name: str
    url: str
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""
    expect: int = 200


@dataclass
class Result:
    name: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    bad_responses: int
    requests: int
    server_cpu_ms: float = 0.0  # the server process's CPU time per request

    def with_server_cpu(self, cpu_seconds: float) -> Result:
        self.server_cpu_ms = cpu_seconds * 1000 / max(self.requests, 1)
        return self
