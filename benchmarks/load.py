"""City-scale load: residents playing Balises, against minimal reference apps, in one run.

For each database (SQLite with one worker, PostgreSQL with two) it starts, one after the other
and with the same uvicorn options (`--loop uvloop --http httptools --no-access-log`, 127.0.0.1):
Balises (`web.app:create_app`), `ref_answer.py` (parse the form, one insert, a small fragment),
`ref_page.py` (the same `step.html`, no database) and `ref_hello.py` (the stack's ceiling). A
bounded asyncio client (keep-alive connections, raw HTTP/1.1: it costs far less CPU than httpx
on the same two cores) then measures, each for `--duration` seconds after `--warmup`:

- `sessions`: residents playing, each a new player: the campaign page, then for each of the
  first three riddles the step page, a wrong answer, a hint one time in two, the right answer
  (htmx posts, as phones send them). Every player comes through a trusted proxy with its own
  `X-Forwarded-For` address, as behind nginx in production;
- `step GET` vs `ref page`: the riddle page of a player who has started;
- `answer POST` vs `ref answer`: a wrong answer (htmx), stored with the rate-limit counters;
- `hello`.

It prints requests per second, p50/p95/p99 latency, the server's CPU per request (from /proc)
and the ratios the issue sets: answer ≥ 60 % of ref answer, step ≥ 50 % of ref page, and p99 at
most twice the reference's. `--check` exits 1 on a bad response (5xx, or a status other than
expected). The answer rate limit is raised (`BALISES_ANSWERS_PER_MINUTE`) so the answer phase
measures answers, not 429s: the limits are still read and counted on every answer.

    python benchmarks/load.py [--duration 10] [--warmup 2] [--connections 32]
                              [--databases sqlite,postgres] [--check]
"""

from __future__ import annotations

# Run as `python benchmarks/load.py`, benchmarks/ is first on sys.path, where `http.py` would
# shadow the standard library's `http` package: drop it, and make the repository importable.
import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
ROOT = _HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import secrets  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
from collections.abc import Awaitable, Callable, Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from urllib.parse import quote  # noqa: E402

from benchmarks.loadrun import (  # noqa: E402
    Connection,
    Result,
    Window,
    run_phase,
    serving,
)

SLUG = "ou-sommes-nous"
# The first riddles of campaigns.example.yaml (order: sequential) and one right answer each.
RIDDLES = [("tour", "Tour Saint-Aubin"), ("pont", "Sept-Arches"), ("musique", "Kiosque")]
CSRF = re.compile(rb'name="csrf" value="([^"]+)"')
POSTGRES = os.environ.get("BALISES_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


# ── A small keep-alive HTTP/1.1 client ────────────────────────────────────────────────────


# ── Measurement ───────────────────────────────────────────────────────────────────────────


# ── Servers ───────────────────────────────────────────────────────────────────────────────


# ── What the clients do ───────────────────────────────────────────────────────────────────


def form(**fields: str) -> bytes:
    return "&".join(f"{k}={quote(v)}" for k, v in fields.items()).encode()


HTMX = {"HX-Request": "true"}


def address(index: int) -> str:
    return f"10.{(index >> 16) & 255}.{(index >> 8) & 255}.{index & 255}"


async def started_player(port: int, index: int) -> tuple[Connection, bytes]:
    """A resident with a cookie, a player row (one wrong answer sent) and a CSRF token."""
    connection = Connection(port, address(100_000 + index))
    status, page = await connection.request("GET", f"/c/{SLUG}/tour")
    token = CSRF.search(page)
    if status != 200 or token is None:
        raise SystemExit(f"step page: {status} {page[:300]!r}")
    await connection.request(
        "POST", f"/c/{SLUG}/tour", form(csrf=token.group(1).decode(), answer="x"), HTMX
    )
    return connection, token.group(1)


def sessions(port: int) -> Callable[[Window, int], Awaitable[None]]:
    counter = iter(range(1, 10**9))

    async def worker(window: Window, index: int) -> None:
        rng = random.Random(index)
        while not window.over:
            phone = Connection(port, address(next(counter)))
            try:
                await window.timed("campaign GET", phone.request("GET", f"/c/{SLUG}"))
                for step, right in RIDDLES:
                    if window.over:
                        break
                    _status, page = await window.timed(
                        "step GET", phone.request("GET", f"/c/{SLUG}/{step}")
                    )
                    match = CSRF.search(page)
                    if match is None:
                        break
                    token = match.group(1).decode()
                    url = f"/c/{SLUG}/{step}"
                    wrong = form(csrf=token, answer=f"Zanzibar {rng.randrange(1000)}")
                    await window.timed(
                        "answer POST (wrong)", phone.request("POST", url, wrong, HTMX)
                    )
                    if rng.random() < 0.5:
                        await window.timed(
                            "hint POST",
                            phone.request("POST", url + "/indice", form(csrf=token), HTMX),
                        )
                    good = form(csrf=token, answer=right)
                    await window.timed(
                        "answer POST (right)", phone.request("POST", url, good, HTMX)
                    )
            finally:
                phone.close()

    return worker


def repeat(
    kind: str,
    players: list[tuple[Connection, bytes]],
    method: str,
    path: str,
    body: Callable[[bytes], bytes] | None,
    headers: dict[str, str] | None = None,
) -> Callable[[Window, int], Awaitable[None]]:
    async def worker(window: Window, index: int) -> None:
        connection, token = players[index]
        payload = body(token) if body else b""
        while not window.over:
            await window.timed(kind, connection.request(method, path, payload, headers))

    return worker


def plain(port: int, connections: int) -> list[tuple[Connection, bytes]]:
    return [(Connection(port), b"") for _ in range(connections)]


def wrong_answer(token: bytes) -> bytes:
    return form(csrf=token.decode(), answer="Zanzibar")


# ── One database ──────────────────────────────────────────────────────────────────────────


@dataclass
class Run:
    database: str
    workers: int
    results: list[Result] = field(default_factory=list)

    def get(self, name: str) -> Result:
        return next(r for r in self.results if r.name == name)


@contextmanager
def database_url(database: str, work: Path) -> Iterator[str]:
    if database == "sqlite":
        yield f"sqlite:///{work / 'var-sqlite' / 'balises.db'}"
    else:
        with postgres_schema() as url:
            yield url


@contextmanager
def postgres_schema() -> Iterator[str]:
    import psycopg

    schema = f"bench_{secrets.token_hex(5)}"
    with psycopg.connect(POSTGRES, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
        try:
            separator = "&" if "?" in POSTGRES else "?"
            yield f"{POSTGRES}{separator}options=-csearch_path%3D{schema}"
        finally:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


async def measure(
    database: str,
    workers: int,
    url: str,
    work: Path,
    args: argparse.Namespace,
    *,
    with_sessions: bool = True,
) -> Run:
    run = Run(database, workers)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BALISES_", "REF_"))}
    env.update(
        BALISES_ENV="production",
        BALISES_SECRET_KEY=secrets.token_urlsafe(48),
        BALISES_VAR_DIR=str(work / f"var-{database}"),
        BALISES_DATABASE_URL=url,
        BALISES_CAMPAIGNS=str(work / "campaigns" / "campaigns.yaml"),
        BALISES_TRUSTED_PROXIES="127.0.0.1",
        BALISES_ANSWERS_PER_MINUTE="1000000000",
        REF_DATABASE_URL=url,
    )
    c, warm, dur = args.connections, args.warmup, args.duration
    log = work / f"server-{database}.log"

    with serving("web.app:create_app", workers, env, log) as server:
        if with_sessions:
            playing = sessions(server.port)
            run.results.append(await run_phase("sessions", server, c, warm, dur, playing))
        players = [await started_player(server.port, i) for i in range(c)]
        step = repeat("step GET", players, "GET", f"/c/{SLUG}/tour", None)
        run.results.append(await run_phase("step GET", server, c, warm, dur, step))
        answer = repeat("answer POST", players, "POST", f"/c/{SLUG}/tour", wrong_answer, HTMX)
        run.results.append(await run_phase("answer POST", server, c, warm, dur, answer))
        for connection, _token in players:
            connection.close()
    with serving("benchmarks.ref_page:create_app", workers, env, log) as server:
        players = [await started_player_ref(server.port, i) for i in range(c)]
        page = repeat("ref page", players, "GET", f"/c/{SLUG}/tour", None)
        run.results.append(await run_phase("ref page", server, c, warm, dur, page))
    with serving("benchmarks.ref_answer:create_app", workers, env, log) as server:
        body = form(csrf="x" * 90, answer="Zanzibar")
        ref = repeat("ref answer", plain(server.port, c), "POST", "/answer", lambda _t: body)
        run.results.append(await run_phase("ref answer", server, c, warm, dur, ref))
    with serving("benchmarks.ref_hello:app", workers, env, log) as server:
        hello = repeat("hello", plain(server.port, c), "GET", "/", None)
        run.results.append(await run_phase("hello", server, c, warm, dur, hello))
    return run


async def started_player_ref(port: int, index: int) -> tuple[Connection, bytes]:
    connection = Connection(port, address(200_000 + index))
    status, page = await connection.request("GET", f"/c/{SLUG}/tour")
    if status != 200:
        raise SystemExit(f"reference page: {status} {page[:300]!r}")
    return connection, b""


# ── Report ────────────────────────────────────────────────────────────────────────────────


def table(runs: list[Run]) -> str:
    lines = [
        "| database | workers | scenario | requests | rps | p50 ms | p95 ms | p99 ms"
        " | server CPU µs/req | statuses |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for run in runs:
        for result in run.results:
            rows = [(result.name, result.merged(), result.rps, result.cpu_seconds)]
            if result.name == "sessions":
                rows += [
                    (f"  · {kind}", tally, len(tally.latencies) / result.seconds, None)
                    for kind, tally in result.tallies.items()
                ]
            for name, tally, rps, cpu in rows:
                per_request = (
                    f"{cpu / max(1, len(tally.latencies)) * 1e6:,.0f}" if cpu is not None else ""
                )
                statuses = " ".join(f"{s}×{n}" for s, n in sorted(tally.statuses.items()))
                p50, p95, p99 = (tally.percentile(q) for q in (0.50, 0.95, 0.99))
                lines.append(
                    f"| {run.database} | {run.workers} | {name} | {len(tally.latencies):,} "
                    f"| {rps:,.0f} | {p50:.1f} | {p95:.1f} | {p99:.1f} | {per_request} "
                    f"| {statuses} |"
                )
    return "\n".join(lines)


def ratios(runs: list[Run]) -> tuple[str, bool]:
    """The issue's ratios per database: the median over the rounds (each round measures Balises
    and the references one after the other, so the rounds spread the machine's drift), with the
    rounds' range beside it."""
    lines = [
        "| database | workers | measured | vs reference | rps ratio (target) | p99 ratio (≤ 2)"
        " | met | rounds: rps ratio · p99 ratio |",
        "|---|---:|---|---|---:|---:|---|---|",
    ]
    met_all = True
    databases = list(dict.fromkeys(run.database for run in runs))
    for database in databases:
        rounds = [run for run in runs if run.database == database]
        workers = rounds[0].workers
        for mine, ref, target in (
            ("answer POST", "ref answer", 0.60),
            ("step GET", "ref page", 0.50),
        ):
            rps_ratios, p99_ratios = [], []
            for run in rounds:
                a, b = run.get(mine), run.get(ref)
                rps_ratios.append(a.rps / b.rps if b.rps else 0.0)
                p99_ratios.append(a.merged().percentile(0.99) / b.merged().percentile(0.99))
            rps_ratio, p99_ratio = statistics.median(rps_ratios), statistics.median(p99_ratios)
            met = rps_ratio >= target and p99_ratio <= 2.0
            met_all &= met
            each = ", ".join(
                f"{r:.0%} · {q:.2f}" for r, q in zip(rps_ratios, p99_ratios, strict=True)
            )
            lines.append(
                f"| {database} | {workers} | {mine} | {ref} | {rps_ratio:.0%} (≥ {target:.0%}) "
                f"| {p99_ratio:.2f} | {'yes' if met else 'NO'} | {each} |"
            )
        hello = statistics.median(run.get("hello").rps for run in rounds)
        answer = statistics.median(run.get("answer POST").rps for run in rounds) / hello
        step = statistics.median(run.get("step GET").rps for run in rounds) / hello
        lines.append(
            f"| {database} | {workers} | answer POST / step GET | hello "
            f"| {answer:.0%} / {step:.0%} | | | |"
        )
    return "\n".join(lines), met_all


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--check", action="store_true", help="exit 1 on a bad response")
    parser.add_argument("--keep", action="store_true", help="keep the servers' logs and data")
    parser.add_argument("--targets", action="store_true", help="exit 1 when a ratio is missed")
    parser.add_argument(
        "--rounds", type=int, default=1, help="measure everything this many times (median ratios)"
    )
    args = parser.parse_args(argv)
    plan = {"sqlite": 1, "postgres": 2}
    runs: list[Run] = []
    tmp = tempfile.mkdtemp(prefix="balises-load-")
    try:
        work = Path(tmp)
        (work / "campaigns").mkdir()
        shutil.copy(ROOT / "campaigns.example.yaml", work / "campaigns" / "campaigns.yaml")
        shutil.copytree(ROOT / "photos", work / "campaigns" / "photos")
        for database in [d.strip() for d in args.databases.split(",") if d.strip()]:
            workers = plan[database]
            with database_url(database, work) as url:
                for round_ in range(args.rounds):
                    first = round_ == 0
                    measuring = measure(database, workers, url, work, args, with_sessions=first)
                    runs.append(asyncio.run(measuring))
    finally:
        if args.keep:
            print(f"logs and databases kept in {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    for index in range(args.rounds):
        if args.rounds > 1:
            print(f"Round {index + 1} of {args.rounds}\n")
        print(table(runs[index :: args.rounds]))
        print()
    text, met = ratios(runs)
    print(text)
    bad = sum(r.bad for run in runs for r in run.results)
    if bad:
        print(f"\n{bad} bad responses", file=sys.stderr)
    if (args.check and bad) or (args.targets and not met):
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
