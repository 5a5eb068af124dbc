"""A season's data: the figures, start-up, the purge and residents' pages at city scale.

Seeds a database through the app's own tables (`benchmarks/season.py`: players, answers, hints,
solves, as the site writes them; on the code under test its triggers keep the figures' tallies),
times in-process the campaign page's "N habitants ont joué" uncached, then starts a real
`balises serve` (one worker) on it and measures:

- start-up: from the process's start to `/healthz` answering 200;
- the CM's figures page, its JSON and its CSV (median of `--runs`);
- a resident's step page, p50 and p99 of sequential requests, alone and then while a CM loads
  the figures every second and, with `--tiff`, a staff member uploads 40-megapixel TIFFs;
- a resident's `/moi` and its JSON export, the staff identification queue, the credits page;
- `balises purge` on that database (nothing is due: what every start used to pay).

It imports whatever `web` is on the path, so the same script measures another checkout:
`PYTHONPATH=/path/to/old/checkout .venv/bin/python benchmarks/scale.py` (the server inherits
PYTHONPATH). Only tables both versions have are written.

    python benchmarks/scale.py [--database sqlite|postgresql://…] [--players 60000]
                               [--attempts 1000000] [--runs 5] [--tiff]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from season import SLUG, measured, seed

from web.store import db

ROOT = Path(__file__).resolve().parents[1]
BALISES = Path(sys.executable).with_name("balises")
LOOPWATCH = ROOT / "benchmarks" / "loopwatch"
RIGHT = {"tour": "Tour Saint-Aubin", "pont": "Sept-Arches"}
PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
TIFFS = 10  # more than 15 s of uploads use: an ingest takes about 2 s


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def environ(var: Path, url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BALISES_")}
    env.update(
        BALISES_ENV="production",
        BALISES_VAR_DIR=str(var),
        BALISES_DATABASE_URL=url,
        BALISES_SECRET_KEY="k" * 48,
        BALISES_CAMPAIGNS=str(var / "campaigns.yaml"),
        BALISES_ANSWERS_PER_MINUTE="1000000000",
    )
    return env


def start(
    var: Path, url: str, port: int, stalls: Path | None = None
) -> tuple[subprocess.Popen[bytes], float]:
    """A `balises serve` worker on `port`; with `stalls`, its event loop watched
    (benchmarks/loopwatch), each stall over 20 ms a line of that file."""
    began = time.perf_counter()
    log = open(var / "server.log", "ab")  # noqa: SIM115
    env = environ(var, url)
    if stalls is not None:
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(LOOPWATCH), env.get("PYTHONPATH", "")) if p
        )
        env["LOOPWATCH_LOG"] = str(stalls)
    process = subprocess.Popen(
        [str(BALISES), "serve", "--port", str(port), "--workers", "1"],
        cwd=var,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    while time.perf_counter() - began < 300:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process, time.perf_counter() - began
        except httpx.HTTPError:
            time.sleep(0.02)
    raise SystemExit("the server did not answer /healthz in 300 s")


def timed(client: httpx.Client, url: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - began)
        if response.status_code != 200:
            raise SystemExit(f"{url}: {response.status_code}")
    return statistics.median(times)


def staff(base: str, var: Path, url: str) -> httpx.Client:
    name = f"cm{os.getpid()}"  # a database measured twice already has the first run's
    subprocess.run(
        [str(BALISES), "user", "add", name, "--role", "cm"],
        input=PASSWORD + "\n", text=True, env=environ(var, url), cwd=var, check=True,
        capture_output=True,
    )  # fmt: skip
    client = httpx.Client(base_url=base, timeout=120)
    token = CSRF.search(client.get("/staff/login").text)
    assert token
    data = {"csrf": token.group(1), "name": name, "password": PASSWORD, "next": "/staff"}
    assert client.post("/staff/login", data=data).status_code == 303
    return client


def resident(base: str) -> httpx.Client:
    """A resident who has played the first two riddles (so `/moi` and the export have rows)."""
    client = httpx.Client(base_url=base, timeout=60)
    for step in ("tour", "pont"):
        token = CSRF.search(client.get(f"/c/{SLUG}/{step}").text)
        assert token
        client.post(f"/c/{SLUG}/{step}", data={"csrf": token.group(1), "answer": RIGHT[step]})
    return client


async def step_latencies(base: str, cookies: httpx.Cookies, seconds: float) -> list[float]:
    async with httpx.AsyncClient(base_url=base, cookies=cookies, timeout=60) as client:
        times: list[float] = []
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            began = time.perf_counter()
            response = await client.get(f"/c/{SLUG}/tour")
            times.append(time.perf_counter() - began)
            assert response.status_code == 200
            await asyncio.sleep(0.01)
        return times


async def cm_refreshing(base: str, cookies: httpx.Cookies, seconds: float) -> int:
    async with httpx.AsyncClient(base_url=base, cookies=cookies, timeout=120) as client:
        end, loads = time.perf_counter() + seconds, 0
        while time.perf_counter() < end:
            began = time.perf_counter()
            assert (await client.get(f"/staff/chiffres/{SLUG}")).status_code == 200
            loads += 1
            await asyncio.sleep(max(0.0, 1 - (time.perf_counter() - began)))
        return loads


def make_tiffs(folder: Path, count: int) -> list[Path]:
    """`count` different 40-megapixel TIFFs (deflate, ~2 MB each: under the upload limit).

    Made before the measured window, never during it: making one is 1.5–3 s of the client's CPU
    with its event loop held, and a step page in flight meanwhile was timed with it (the 0.9–1 s
    p99 of the long form's first figures was this script's own pause, not the server's)."""
    from PIL import Image

    size = (7744, 5168)
    red = Image.linear_gradient("L").resize(size)
    green = red.rotate(90).resize(size)
    made = []
    for number in range(count):
        blue = Image.new("L", size, (number * 37 + random.randrange(256)) % 256)
        path = folder / f"grand-{number}.tif"
        Image.merge("RGB", (red, green, blue)).save(path, compression="tiff_adobe_deflate")
        made.append(path)
    return made


async def uploading(base: str, cookies: httpx.Cookies, tiffs: list[Path], seconds: float) -> int:
    """Upload `tiffs` one after the other (each once: the same photo twice is not ingested
    twice) until `seconds` have passed; how many were uploaded."""
    async with httpx.AsyncClient(base_url=base, cookies=cookies, timeout=300) as client:
        end, uploads = time.perf_counter() + seconds, 0
        while time.perf_counter() < end and uploads < len(tiffs):
            token = CSRF.search((await client.get("/staff/photos/nouvelle")).text)
            assert token
            files = {"files": (f"grand-{uploads}.tif", tiffs[uploads].read_bytes(), "image/tiff")}
            data = {
                "csrf": token.group(1),
                "title": f"Grand format {uploads}",
                "licence": "cc-by-4.0",
            }
            response = await client.post("/staff/photos", data=data, files=files)
            assert response.status_code == 200, (
                response.status_code,
                re.findall(r"<p[^>]*>([^<]+)", response.text),
            )
            uploads += 1
        return uploads


async def client_lag(seconds: float) -> float:
    """The worst delay of this script's own event loop over `seconds`: a step page's time
    includes it, so it must stay far under the figure measured."""
    worst, end = 0.0, time.perf_counter() + seconds
    while time.perf_counter() < end:
        began = time.perf_counter()
        await asyncio.sleep(0.005)
        worst = max(worst, time.perf_counter() - began - 0.005)
    return worst


def stalls_between(log: Path, began: float, ended: float) -> str:
    """The worker's loop stalls over 20 ms between two instants (epoch seconds): how many, the
    longest, and for the three longest the project frame most sampled while they lasted."""
    rows = []
    for line in log.read_text().splitlines() if log.exists() else []:
        at, lasted, samples, where = line.split("\t")
        if began <= float(at) <= ended:
            rows.append((float(lasted), samples, where))
    if not rows:
        return "none over 20 ms"
    rows.sort(reverse=True)
    worst = "; ".join(f"{ms:.0f} ms in {where} ({n} samples)" for ms, n, where in rows[:3])
    return f"{len(rows)}, longest {worst}"


def percentiles(times: list[float]) -> str:
    ordered = sorted(times)
    p50 = ordered[len(ordered) // 2]
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"{p50 * 1000:.1f} ms / {p99 * 1000:.1f} ms ({len(ordered)} requests)"


async def under_load(
    base: str, cm: httpx.Client, me: httpx.Client, tiffs: list[Path] | None
) -> str:
    seconds = 15.0
    jobs: list[Any] = [
        step_latencies(base, me.cookies, seconds),
        client_lag(seconds),
        cm_refreshing(base, cm.cookies, seconds),
    ]
    if tiffs is not None:
        jobs.append(uploading(base, cm.cookies, tiffs, seconds))
    latencies, lag, loads, *uploads = await asyncio.gather(*jobs)
    told = f"{percentiles(latencies)}; {loads} figures loads"
    if uploads:
        told += f", {uploads[0]} TIFFs uploaded"
    return f"{told}; the client's own loop late by {lag * 1000:.0f} ms at worst"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="sqlite")
    parser.add_argument("--players", type=int, default=60_000)
    parser.add_argument("--attempts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--seeded",
        type=Path,
        help="SQLite: a database seeded before (by this script, maybe on another checkout), "
        "migrated to this checkout's schema and used; made there when it does not exist",
    )
    parser.add_argument("--seed-only", action="store_true", help="seed `--database`, then stop")
    parser.add_argument(
        "--no-seed",
        action="store_true",
        help="PostgreSQL: measure the database as it is (seeded by `--seed-only`, maybe by "
        "another checkout), migrated to this checkout's schema",
    )
    parser.add_argument("--tiff", action="store_true", help="also upload 40 MP TIFFs meanwhile")
    parser.add_argument(
        "--watch-loop",
        action="store_true",
        help="watch the worker's event loop (benchmarks/loopwatch) and print its stalls over "
        "20 ms in each loaded window, with the code that held it",
    )
    args = parser.parse_args()
    var = Path(tempfile.mkdtemp(prefix="balises-scale-"))
    shutil.copy(ROOT / "campaigns.example.yaml", var / "campaigns.yaml")
    shutil.copytree(ROOT / "photos", var / "photos")
    url = f"sqlite:///{var / 'balises.db'}" if args.database == "sqlite" else args.database
    rows: list[tuple[str, str]] = []
    if args.no_seed:
        began = time.perf_counter()
        engine = db.make_engine(url)
        db.migrate(engine, var)
        engine.dispose()
        rows.append(("migrating the seeded database", f"{time.perf_counter() - began:.1f} s"))
    elif args.seeded is not None and args.seeded.exists():
        shutil.copy(args.seeded, var / "balises.db")
        began = time.perf_counter()
        engine = db.make_engine(url)
        db.migrate(engine, var)
        engine.dispose()
        rows.append(("migrating the seeded database", f"{time.perf_counter() - began:.1f} s"))
    else:
        seeded = seed(url, var, args.players, args.attempts)
        rows.append(
            ("seeding", f"{seeded:.0f} s ({args.players} players, ~{args.attempts} answers)")
        )
        if args.seeded is not None:
            shutil.copy(var / "balises.db", args.seeded)
        if args.seed_only:
            print(rows[-1][1])
            return
    size, played = measured(url)
    counted = "—" if played is None else f"{played * 1000:.1f} ms"
    rows.append(("residents who played (campaign page, uncached)", counted))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    stalls = var / "stalls.log" if args.watch_loop else None
    process, startup = start(var, url, port, stalls)
    try:
        rows.append(("start-up to /healthz", f"{startup:.2f} s"))
        cm = staff(base, var, url)
        for label, path in (
            ("figures page", f"/staff/chiffres/{SLUG}"),
            ("figures JSON", f"/staff/chiffres/{SLUG}.json"),
            ("figures CSV (steps)", f"/staff/chiffres/{SLUG}?format=csv&table=steps"),
            ("identification queue", "/staff/identifications"),
        ):
            rows.append((label, f"{timed(cm, path, args.runs) * 1000:.0f} ms"))
        me = resident(base)
        for label, path in (
            ("/moi", "/moi"),
            ("/moi/donnees.json", "/moi/donnees.json"),
            ("credits page", f"/c/{SLUG}/merci"),
            ("gallery", f"/c/{SLUG}/galerie"),
        ):
            rows.append((label, f"{timed(me, path, args.runs) * 1000:.0f} ms"))
        alone = asyncio.run(step_latencies(base, me.cookies, 5))
        rows.append(("step page p50 / p99, alone", percentiles(alone)))
        began = time.time()
        loaded = asyncio.run(under_load(base, cm, me, None))
        rows.append(("step page p50 / p99, CM refreshing the figures every second", loaded))
        if stalls is not None:
            rows.append(("… the worker's loop stalls", stalls_between(stalls, began, time.time())))
        if args.tiff:
            tiffs = make_tiffs(var, TIFFS)
            began = time.time()
            both = asyncio.run(under_load(base, cm, me, tiffs))
            rows.append(("… and a staff member uploading 40 MP TIFFs one after another", both))
            if stalls is not None:
                stalled = stalls_between(stalls, began, time.time())
                rows.append(("… the worker's loop stalls", stalled))
    finally:
        process.terminate()
        process.wait(timeout=30)
    began = time.perf_counter()
    subprocess.run([str(BALISES), "purge"], cwd=var, env=environ(var, url), check=True,
                   capture_output=True)  # fmt: skip
    rows.append(("`balises purge` (nothing due)", f"{time.perf_counter() - began:.2f} s"))
    print(f"| {args.database.split(':')[0]}, {size} | |\n|---|---:|")
    for label, value in rows:
        print(f"| {label} | {value} |")
    shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
