"""Lighthouse's scores of the step page, the campaign page and the map (mobile preset, Debian's
Chromium), against the trail issue's budgets: performance ≥ 95, accessibility 100.

Lighthouse is an npm package, not a dependency of Balises: install it once beside the
repository (`npm install --prefix /tmp/lh lighthouse@12.2.3`) and give its folder with
`--lighthouse`. The script starts `balises serve` on the example campaigns (production mode,
htmx self-hosted from the npm copy of the tests so no request leaves the machine, and a
PMTiles archive from the tests' builder) and runs Lighthouse once a page, one after the other.

    python benchmarks/lighthouse.py --lighthouse /tmp/lh
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from balises.settings import HTMX_SRI  # noqa: E402
from tests.web.maparchive import build_archive  # noqa: E402

BALISES = Path(sys.executable).with_name("balises")
PAGES = {
    "step page": "/c/ou-sommes-nous/tour",
    "campaign page": "/c/voie-verte",
    "map": "/c/voie-verte/carte",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run(lighthouse: Path, url: str, out: Path) -> dict[str, float]:
    command = [
        str(lighthouse / "node_modules" / ".bin" / "lighthouse"),
        url,
        "--only-categories=performance,accessibility",
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    environ = {**os.environ, "CHROME_PATH": "/usr/bin/chromium"}
    done = subprocess.run(command, env=environ, timeout=240, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"lighthouse failed on {url}:\n{done.stderr[-2000:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    return {name: report["categories"][name]["score"] * 100 for name in report["categories"]}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lighthouse", type=Path, required=True, help="where npm put it")
    args = parser.parse_args()
    vendor = ROOT / "web" / "static" / "vendor"
    vendor.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "tests" / "vendor" / "htmx.min.js", vendor / "htmx.min.js")
    with tempfile.TemporaryDirectory(prefix="balises-lighthouse-") as tmp:
        folder = Path(tmp)
        build_archive(folder / "val-de-loir.pmtiles")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        environ = {k: v for k, v in os.environ.items() if not k.startswith("BALISES_")}
        environ.update(
            BALISES_ENV="production",
            BALISES_SECRET_KEY=secrets.token_urlsafe(48),
            BALISES_VAR_DIR=str(folder / "var"),
            BALISES_CAMPAIGNS=str(ROOT / "campaigns.example.yaml"),
            BALISES_MAP_TILES=str(folder / "val-de-loir.pmtiles"),
            BALISES_BASE_URL=base,
            BALISES_HTMX_URL="/static/vendor/htmx.min.js",
            BALISES_HTMX_SRI=HTMX_SRI,
        )
        server = subprocess.Popen(
            [str(BALISES), "serve", "--port", str(port)],
            env=environ,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        scores: dict[str, dict[str, float]] = {}
        try:
            deadline = time.monotonic() + 40
            while time.monotonic() < deadline:
                try:
                    if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            for name, path in PAGES.items():
                scores[name] = run(args.lighthouse, base + path, folder / "report.json")
        finally:
            server.terminate()
            server.wait(timeout=10)
    print("| page | performance | accessibility | ok |")
    print("|---|---:|---:|---|")
    good = True
    for name, score in scores.items():
        ok = score["performance"] >= 95 and score["accessibility"] == 100
        good = good and ok
        print(
            f"| {name} | {score['performance']:.0f} | {score['accessibility']:.0f}"
            f" | {'yes' if ok else 'NO'} |"
        )
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
