"""Lighthouse's scores of the home, campaign and step pages and the map (mobile preset, Debian's
Chromium), against the budgets: performance ≥ 95 and accessibility 100 everywhere, best
practices and SEO 100 on the home, campaign and step pages.

Lighthouse is an npm package, not a dependency of Balises: install it once beside the
repository (`npm install --prefix /tmp/lh lighthouse@12.2.3`) and give its folder with
`--lighthouse`. The script starts `balises serve` on the example campaigns (production mode,
htmx self-hosted from the npm copy of the tests so no request leaves the machine, and a
PMTiles archive from the tests' builder) and runs Lighthouse once a page, one after the other.
`--site` adds the tests' `site.yaml` and logo beside the campaigns (a city's own site);
`--reports DIR` keeps each page's JSON report, and every audit that lost points is printed.

    python benchmarks/lighthouse.py --lighthouse /tmp/lh [--site]

It measures the tree it is in: copied into a git worktree of an older commit and run with
`PYTHONPATH` on that worktree, it measures that commit (benchmarks/README.md, "before").
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from balises.settings import HTMX_SRI  # noqa: E402
from benchmarks.example_site import example_site  # noqa: E402

PAGES = {
    "home": "/",
    "campaign page": "/c/voie-verte",
    "step page": "/c/ou-sommes-nous/tour",
    "map": "/c/voie-verte/carte",
}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
# Best practices and SEO must be 100 on these; the map is a tool page, measured all the same.
FULL_MARKS = {"home", "campaign page", "step page"}

try:  # a tree that serves its own pinned copy of htmx, under a fingerprinted URL
    from balises.settings import SELF as HTMX_SELF
except ImportError:  # an older tree: the copy served as a plain static file
    HTMX_SELF = "/static/vendor/htmx.min.js"


def run(lighthouse: Path, url: str, out: Path) -> dict[str, float]:
    command = [
        str(lighthouse / "node_modules" / ".bin" / "lighthouse"),
        url,
        "--only-categories=" + ",".join(CATEGORIES),
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    environ = {**os.environ, "CHROME_PATH": "/usr/bin/chromium"}
    # On a loaded machine Lighthouse sometimes loses its trace of the page load (NO_NAVSTART)
    # or fails to launch Chromium: a second try, said on stderr, before giving up.
    for attempt in (1, 2):
        done = subprocess.run(command, env=environ, timeout=240, capture_output=True, text=True)
        if done.returncode == 0:
            break
        print(f"  {url}: lighthouse failed (try {attempt})", file=sys.stderr)
    else:
        raise RuntimeError(f"lighthouse failed on {url}:\n{done.stderr[-2000:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    for name, category in report["categories"].items():
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                print(f"  {url} {name}: {ref['id']} {audit['score']}", file=sys.stderr)
    scores = {name: report["categories"][name]["score"] * 100 for name in report["categories"]}
    # Lighthouse's measure of the machine's speed during the run: a loaded machine scores low.
    scores["cpu"] = report["environment"]["benchmarkIndex"]
    return scores


def campaigns_folder(folder: Path, site: bool) -> Path:
    """The example campaigns as served: the file itself, or a copy beside the tests' site.yaml."""
    if not site:
        return ROOT / "campaigns.example.yaml"
    from tests.sitefiles import write_site

    games = folder / "jeux"
    games.mkdir()
    shutil.copy(ROOT / "campaigns.example.yaml", games / "campaigns.yaml")
    shutil.copytree(ROOT / "photos", games / "photos")
    write_site(games)
    return games


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lighthouse", type=Path, required=True, help="where npm put it")
    parser.add_argument("--site", action="store_true", help="with the tests' site.yaml")
    parser.add_argument("--reports", type=Path, help="keep each page's JSON report here")
    args = parser.parse_args()
    vendor = ROOT / "web" / "static" / "vendor"
    vendor.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "tests" / "vendor" / "htmx.min.js", vendor / "htmx.min.js")
    with tempfile.TemporaryDirectory(prefix="balises-lighthouse-") as tmp:
        folder = Path(tmp)
        scores: dict[str, dict[str, float]] = {}
        campaigns = campaigns_folder(folder, args.site)
        served = {"BALISES_HTMX_URL": HTMX_SELF, "BALISES_HTMX_SRI": HTMX_SRI}
        with example_site(folder, campaigns, **served) as base:
            for name, path in PAGES.items():
                report = folder / "report.json"
                scores[name] = run(args.lighthouse, base + path, report)
                if args.reports is not None:
                    args.reports.mkdir(parents=True, exist_ok=True)
                    shutil.copy(report, args.reports / f"{name.replace(' ', '-')}.json")
    print("| page | performance | accessibility | best practices | SEO | ok | CPU index |")
    print("|---|---:|---:|---:|---:|---|---:|")
    good = True
    for name, score in scores.items():
        ok = score["performance"] >= 95 and score["accessibility"] == 100
        if name in FULL_MARKS:
            ok = ok and score["best-practices"] == 100 and score["seo"] == 100
        good = good and ok
        figures = " | ".join(f"{score[category]:.0f}" for category in CATEGORIES)
        print(f"| {name} | {figures} | {'yes' if ok else 'NO'} | {score['cpu']:.0f} |")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
