"""Requests per second of the Balises step page and answer POST, against a bare Starlette app.

In ONE run, on this machine, under the same server (uvicorn, uvloop, httptools, no access log,
one worker, loopback only), it measures:

- `hello`: `benchmarks/ref_hello.py`, the ceiling of the stack;
- `step GET`: `/c/ou-sommes-nous/<first step>` of `campaigns.example.yaml`, with a player cookie;
- `answer POST (htmx)`: a wrong answer with a valid CSRF token, as htmx sends it (fragment back);
- `answer POST (no JS)`: the same answer as a plain form post (303 back to the step).

and prints a markdown table with each figure as a fraction of `hello`, and the CPU time the server
process spent per request (read from /proc: it stays meaningful on a shared, busy machine, where
requests per second do not). The answer rate limit is
raised through `BALISES_ANSWERS_PER_MINUTE` for the run (it would otherwise answer 429 quickly,
which measures nothing). Load comes from `wrk` when installed (`apt-get install -y wrk`), else
from a bounded asyncio keep-alive client in this process (it costs CPU on the same machine, so
its `hello` figure is lower than wrk's; the ratios remain comparable).

    python benchmarks/http_bench.py [--duration 8] [--connections 32] [--client auto|wrk|asyncio]

Every phase is bounded in time; the whole run takes about a minute.
"""

from __future__ import annotations

# `python benchmarks/http_bench.py` puts benchmarks/ first on sys.path, where this file would shadow
# the standard library's `http` package for every import below.
import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import argparse  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import secrets  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterator, Sequence  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import IO  # noqa: E402
from urllib.parse import urlencode  # noqa: E402

import httpx  # noqa: E402

from benchmarks.http_clients import Result, Target, run_asyncio, run_wrk  # noqa: E402

ROOT = _HERE.parent
EXAMPLE = ROOT / "campaigns.example.yaml"
CAMPAIGN = "ou-sommes-nous"
WRONG_ANSWER = "La tour Eiffel"
SERVER_ARGS = ["--loop", "uvloop", "--http", "httptools", "--no-access-log", "--workers", "1"]


@dataclass(frozen=True)
class Server:
    url: str
    pid: int

    def cpu_seconds(self) -> float:
        """User + system CPU time the server process has used so far (from /proc)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def uvicorn_server(
    app: str, env: dict[str, str], port: int, factory: bool = False
) -> Iterator[Server]:
    """Run `app` under uvicorn in a subprocess on loopback; yield it once it answers."""
    command = [sys.executable, "-m", "uvicorn", app, *SERVER_ARGS]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    if factory:
        command.append("--factory")
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_until_up(base, process, log, app)
            yield Server(base, process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(base: str, process: subprocess.Popen[bytes], log: IO[bytes], app: str) -> None:
    deadline = time.monotonic() + 120  # a loaded machine starts the site in tens of seconds
    while True:
        try:
            httpx.get(base + "/", timeout=1)
            return
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                output = log.read().decode(errors="replace")
                raise SystemExit(f"{app} did not start:\n{output}") from None
            time.sleep(0.1)


def first_step_id() -> str:
    from campaigns.loading import load_file

    loaded = load_file(EXAMPLE)
    if loaded.problems:
        raise SystemExit("campaigns.example.yaml does not validate: run `balises check` on it")
    campaign = next(c for c in loaded.campaigns if c.slug == CAMPAIGN)
    return campaign.steps[0].id


CSRF_INPUT = re.compile(
    r"<input\b(?=[^>]*\bname=\"(?P<name>[^\"]*csrf[^\"]*)\")(?=[^>]*\bvalue=\"(?P<value>[^\"]*)\")",
    re.IGNORECASE,
)


def _remember_cookies(jar: dict[str, str], response: httpx.Response) -> None:
    """Keep name=value of every Set-Cookie by hand: a production cookie is `Secure`, and an
    http.cookiejar would then never send it to http://127.0.0.1."""
    for header in response.headers.get_list("set-cookie"):
        name, _sep, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]


def _get(client: httpx.Client, url: str, jar: dict[str, str]) -> httpx.Response:
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    response = client.get(url, headers={"Cookie": cookie} if cookie else {})
    response.raise_for_status()
    _remember_cookies(jar, response)
    return response


def _csrf_body(page: str, url: str) -> str:
    match = CSRF_INPUT.search(page)
    if match is None:
        raise SystemExit(f"no CSRF input in the form of {url}")
    return urlencode({match["name"]: match["value"], "answer": WRONG_ANSWER})


def prepare_site_targets(base: str) -> list[Target]:
    """Become a player (cookie, one first answer), read the CSRF field, check each request."""
    step_url = f"{base}/c/{CAMPAIGN}/{first_step_id()}"
    jar: dict[str, str] = {}
    with httpx.Client(timeout=10) as client:
        _get(client, f"{base}/c/{CAMPAIGN}", jar)
        body = _csrf_body(_get(client, step_url, jar).text, step_url)
        first = client.post(
            step_url,
            content=body,
            headers={
                "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": base,
            },
        )
        _remember_cookies(jar, first)  # the player exists from the first answer on
        body = _csrf_body(_get(client, step_url, jar).text, step_url)
    cookie = "; ".join(f"{name}={value}" for name, value in jar.items())
    common = {"Cookie": cookie}
    post = {
        **common,
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": base,
        "Referer": step_url,
    }
    targets = [
        Target("step GET", step_url, headers=common),
        Target(
            "answer POST (htmx)",
            step_url,
            "POST",
            {**post, "HX-Request": "true", "HX-Current-URL": step_url},
            body,
        ),
        Target("answer POST (no JS)", step_url, "POST", post, body, expect=303),
    ]
    for target in targets:  # a benchmark of a 403 or a 429 would measure nothing
        response = httpx.request(
            target.method, target.url, headers=target.headers, content=target.body, timeout=10
        )
        if response.status_code != target.expect:
            raise SystemExit(
                f"{target.name}: expected {target.expect}, got {response.status_code}:\n"
                f"{response.text[:500]}"
            )
    return targets


def measure(
    load: Callable[[Target, float, int], Result],
    server: Server,
    target: Target,
    args: argparse.Namespace,
) -> Result:
    """Warm up, then load `target` and note the server's CPU time per request."""
    print(f"  measuring {target.name}…", file=sys.stderr)
    load(target, args.warmup, args.connections)
    before = server.cpu_seconds()
    result = load(target, args.duration, args.connections)
    return result.with_server_cpu(server.cpu_seconds() - before)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} CPU, {platform.system()} {platform.release()},"
        f" Python {platform.python_version()}"
    )


def ratio(value: float, reference: float) -> str:
    """`0.010 (1/99)`: a fraction of `hello`, and how many times slower."""
    share = value / reference
    return f"{share:.3f} (1/{1 / share:.0f})" if share else "0"


def markdown_table(results: Sequence[Result]) -> str:
    hello = results[0].requests_per_second
    lines = [
        "| endpoint | requests/s | p50 (ms) | p99 (ms) | vs hello | server CPU/request (ms)"
        " | bad responses |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.requests_per_second:,.0f} | {r.p50_ms:.2f} | {r.p99_ms:.2f}"
            f" | {ratio(r.requests_per_second, hello)} | {r.server_cpu_ms:.3f}"
            f" | {r.bad_responses} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=8.0, help="seconds per measurement")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds before each one")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--client", choices=["auto", "wrk", "asyncio"], default="auto")
    args = parser.parse_args(argv)
    if args.duration > 20 or args.warmup > 10:
        parser.error("keep the run bounded: --duration at most 20, --warmup at most 10")
    use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk"))
    if args.client == "wrk" and not shutil.which("wrk"):
        parser.error("wrk is not installed (apt-get install -y wrk)")
    load = run_wrk if use_wrk else run_asyncio

    with tempfile.TemporaryDirectory(prefix="balises-bench-") as var_dir:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        site_env = {
            **env,
            "BALISES_ENV": "production",
            "BALISES_SECRET_KEY": secrets.token_urlsafe(48),
            "BALISES_VAR_DIR": var_dir,
            "BALISES_CAMPAIGNS": str(EXAMPLE),
            "BALISES_ANSWERS_PER_MINUTE": "1000000000",
        }
        print(f"machine: {machine()}", file=sys.stderr)
        print(
            f"client: {'wrk' if use_wrk else 'asyncio (Python)'}, {args.connections} connections,"
            f" {args.duration:g} s per measurement after {args.warmup:g} s of warm-up",
            file=sys.stderr,
        )
        results: list[Result] = []
        with uvicorn_server("benchmarks.ref_hello:app", env, free_port()) as hello:
            results.append(measure(load, hello, Target("hello", hello.url + "/"), args))
        port = free_port()
        site_env["BALISES_BASE_URL"] = f"http://127.0.0.1:{port}"
        with uvicorn_server("web.app:create_app", site_env, port, factory=True) as site:
            for target in prepare_site_targets(site.url):
                results.append(measure(load, site, target, args))
    print(markdown_table(results))
    return 1 if any(r.bad_responses for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
