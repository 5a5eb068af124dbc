"""The bytes a phone transfers on its first visit: the step page before its photo, and the map
page's JavaScript, CSS and tiles, against the budgets of the trail issue (120 KB, 350 KB).

It starts `balises serve` on the example campaigns with a PMTiles archive built by the tests'
builder (`tests/web/maparchive.py`: synthetic tiles, so the tiles figure is a floor; a city's
real extract weighs more per tile), opens each page in headless Chromium (`/usr/bin/chromium`,
a 360×740 phone, empty cache, 127.0.0.1 only, the htmx CDN URL answered with the npm copy) and
sums what the page fetched. Balises sends bodies uncompressed and nginx compresses them in
front (README), so each body is counted as gzip -6 compresses it, next to its raw size.

    python benchmarks/transfer_budget.py
"""

from __future__ import annotations

import gzip
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Route, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from balises.settings import HTMX_URL  # noqa: E402
from benchmarks.example_site import example_site  # noqa: E402

HTMX = ROOT / "tests" / "vendor" / "htmx.min.js"
STEP_BUDGET = 120 * 1024
MAP_BUDGET = 350 * 1024


@dataclass
class Load:
    raw: int = 0
    packed: int = 0
    rows: list[tuple[str, int, int]] = field(default_factory=list)

    def add(self, url: str, body: bytes) -> None:
        packed = len(gzip.compress(body, 6)) if body else 0
        self.raw += len(body)
        self.packed += packed
        self.rows.append((url, len(body), packed))


def measure(base: str, path: str, counted: tuple[str, ...] | None, skip: tuple[str, ...]) -> Load:
    load = Load()
    with sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"]
        )
        context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)

        def route(request_route: Route) -> None:
            url = request_route.request.url
            if url == HTMX_URL:
                request_route.fulfill(
                    body=HTMX.read_bytes(),
                    headers={"content-type": "text/javascript", "access-control-allow-origin": "*"},
                )
            elif url.startswith(base):
                request_route.continue_()
            else:
                request_route.abort()

        context.route("**/*", route)
        page = context.new_page()

        def finished(request: object) -> None:
            response = request.response()  # type: ignore[attr-defined]
            url = request.url  # type: ignore[attr-defined]
            if response is None or any(part in url for part in skip):
                return
            if counted and not any(part in url for part in counted):
                return
            try:
                load.add(url.replace(base, ""), response.body())
            except Exception:  # a body the browser did not keep (a redirect): nothing counted
                return

        page.on("requestfinished", finished)
        page.goto(base + path, wait_until="networkidle")
        page.wait_for_timeout(1500)
        browser.close()
    return load


def main() -> int:
    with (
        tempfile.TemporaryDirectory(prefix="balises-budget-") as tmp,
        example_site(Path(tmp), ROOT / "campaigns.example.yaml") as base,
    ):
        step = measure(base, "/c/ou-sommes-nous/tour", None, ("/p/",))
        trail = measure(base, "/c/voie-verte/carte", (".js", ".css", "/tuiles/"), ())
    print("| page | what | raw | gzip | budget | ok |")
    print("|---|---|---:|---:|---:|---|")
    for name, what, load, budget in (
        ("step page, first visit", "all but the photo", step, STEP_BUDGET),
        ("map page, first view", "JS, CSS, tiles", trail, MAP_BUDGET),
    ):
        ok = "yes" if load.packed <= budget else "NO"
        print(
            f"| {name} | {what} | {load.raw / 1024:.1f} KB | {load.packed / 1024:.1f} KB"
            f" | {budget // 1024} KB | {ok} |"
        )
    print()
    for name, load in (("step page", step), ("map page", trail)):
        for url, raw, packed in load.rows:
            print(f"- {name}: `{url[:70]}` {raw / 1024:.1f} KB raw, {packed / 1024:.1f} KB gzip")
    return 0 if step.packed <= STEP_BUDGET and trail.packed <= MAP_BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
