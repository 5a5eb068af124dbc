"""Real-browser fixtures: the real site under uvicorn, headless Chromium dressed as a phone.

The site runs in a background thread on a free loopback port with its own SQLite var dir, so
the browser talks HTTP to exactly the app `balises serve` runs. Chromium is the system one
(`/usr/bin/chromium`): `playwright install` downloads browsers from the internet, which this
project never does. Without it the browser tests skip on a laptop but fail in CI (`CI=true`).

Every page is offline by construction: the htmx CDN URL is answered with the local copy fetched
from npm and checked against the pinned SRI (so the browser's own integrity check still runs),
and any other request that leaves the machine is aborted and recorded, so a test can prove
residents' phones never talk to a third party.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Route,
    sync_playwright,
)

from balises.settings import Settings, load_settings
from campaigns.model import Campaign, Step, localise
from campaigns.steptypes import StepType

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "campaigns.example.yaml"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def unavailable(reason: str) -> None:
    """A missing browser prerequisite: skip on a laptop, fail in CI where it must be there."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: browser tests must run)", pytrace=False)
    pytest.skip(reason)


def _fetch_htmx_module() -> Any:
    path = ROOT / "tests" / "vendor" / "fetch_htmx.py"
    spec = importlib.util.spec_from_file_location("balises_tests_fetch_htmx", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def htmx_js() -> bytes:
    """The htmx file production pins, from npm, its SRI checked (fetched once if missing)."""
    fetch = _fetch_htmx_module()
    if not fetch.HTMX_PATH.exists() and not in_ci():
        import shutil

        if shutil.which("npm") is None:
            pytest.skip("npm is missing: cannot fetch htmx for the browser tests")
    path: Path = fetch.ensure_htmx()  # a hash mismatch raises: never skipped
    return path.read_bytes()


@dataclass
class LiveSite:
    """The running site: its base URL and the settings it was built with."""

    url: str
    settings: Settings

    def __call__(self, path: str) -> str:
        return self.url + path


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def site_settings(var_dir: Path, base: str, **environ: str) -> Settings:
    return load_settings(
        {
            "BALISES_ENV": "test",
            "BALISES_VAR_DIR": str(var_dir),
            "BALISES_SECRET_KEY": "b" * 48,
            "BALISES_CAMPAIGNS": str(EXAMPLE),
            "BALISES_BASE_URL": base,
            # Every test is a new player but all share 127.0.0.1: keep the per-address limit
            # out of the way of the few wrong answers the tests give on purpose.
            "BALISES_ANSWERS_PER_MINUTE": "1000",
            **environ,
        }
    )


@contextmanager
def serving(
    sock: socket.socket, settings: Settings, clock: Callable[[], datetime] | None = None
) -> Iterator[LiveSite]:
    """The site of `settings` (and `clock`) under uvicorn in a background thread, on `sock`."""
    from web.app import create_app

    app = create_app(settings, clock=clock)
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", access_log=False, lifespan="auto")
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the site did not start under uvicorn (see the log above)")
        time.sleep(0.05)
    try:
        yield LiveSite(settings.base_url, settings)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextmanager
def site_with(var_dir: Path, **environ: str) -> Iterator[LiveSite]:
    """The example campaigns on a free loopback port, with `environ` added to the settings (a
    site of its own, for a test that needs other limits)."""
    sock = free_socket()
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    with serving(sock, site_settings(var_dir, base, **environ)) as live:
        yield live


@pytest.fixture(scope="session")
def live_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    sock = free_socket()
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    with serving(sock, site_settings(tmp_path_factory.mktemp("browser-var"), base)) as live:
        yield live


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing: install the distribution's chromium package")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    chromium = playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    try:
        yield chromium
    finally:
        chromium.close()


@dataclass
class Traffic:
    """What the pages did beyond the site: CDN hits (served locally), blocked requests, and
    console errors (a CSP violation or a script error shows there and nowhere else)."""

    cdn: list[str] = field(default_factory=list)
    offsite: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


PhoneFactory = Callable[..., Page]


@pytest.fixture
def open_phone(
    browser: Browser, live_site: LiveSite, htmx_js: bytes, traffic: Traffic
) -> Iterator[PhoneFactory]:
    """Open a new phone (its own context: a new player) → a page; `javascript=False` for no JS."""
    contexts: list[BrowserContext] = []

    def route(route: Route) -> None:
        url = route.request.url
        if url == live_site.settings.htmx_url:
            traffic.cdn.append(url)
            route.fulfill(
                status=200,
                body=htmx_js,
                headers={
                    "content-type": "text/javascript; charset=utf-8",
                    "access-control-allow-origin": "*",
                    "cache-control": "public, max-age=31536000, immutable",
                },
            )
        elif urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            traffic.offsite.append(url)
            route.abort("blockedbyclient")

    def factory(javascript: bool = True, width: int = PHONE["width"]) -> Page:
        context = browser.new_context(
            viewport={"width": width, "height": PHONE["height"]},
            screen={"width": width, "height": PHONE["height"]},
            is_mobile=True,
            has_touch=True,
            locale="fr-FR",
            timezone_id="Europe/Paris",
            java_script_enabled=javascript,
            extra_http_headers={"Accept-Language": "fr-FR,fr;q=0.9"},
        )
        context.set_default_timeout(10_000)
        context.route("**/*", route)
        contexts.append(context)
        page = context.new_page()

        def console(message: ConsoleMessage) -> None:
            # The document's own status (a 404 page is meant to be a 404) is not an error.
            own_status = message.location.get("url") == page.url and message.text.startswith(
                "Failed to load resource"
            )
            if message.type == "error" and not own_status:
                traffic.console_errors.append(f"{page.url}: {message.text}")

        page.on("console", console)
        page.on("pageerror", lambda error: traffic.console_errors.append(f"{page.url}: {error}"))
        return page

    yield factory
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_phone: PhoneFactory) -> Page:
    """A 360×740 touch phone in French, with JavaScript (htmx) on."""
    return open_phone()


Shoot = Callable[[Page, str], Path]


@pytest.fixture(scope="session")
def shoot() -> Shoot:
    """Save a full-page screenshot of a page type under test-artifacts/screenshots/NAME.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(page: Page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


class Game:
    """The example campaigns as a player meets them, and shortcuts to reach a given state.

    The shortcuts post through the page's own cookies (`page.request` shares the browser
    context) with the CSRF token the page shows, so the server sees the same player; tests use
    them only to reach the state under test, never for the behaviour they assert.
    """

    def __init__(self, site: LiveSite) -> None:
        from campaigns.loading import load_file

        loaded = load_file(EXAMPLE)
        assert not loaded.problems, loaded.problems
        self.site = site
        self.campaigns = {c.slug: c for c in loaded.campaigns}

    def campaign(self, slug: str) -> Campaign:
        return self.campaigns[slug]

    def step(self, slug: str, step_id: str) -> Step:
        step = self.campaigns[slug].step(step_id)
        assert step is not None, f"{slug} has no step {step_id}"
        return step

    def first_riddle(self, slug: str = "ou-sommes-nous") -> Step:
        return next(s for s in self.campaigns[slug].steps if s.type is StepType.riddle)

    def url(self, slug: str, step_id: str | None = None) -> str:
        return self.site(f"/c/{slug}" + (f"/{step_id}" if step_id else ""))

    def checkpoint_url(self, slug: str, step_id: str) -> str:
        from campaigns.checkpoints import checkpoint_path

        return self.site(checkpoint_path(self.site.settings.secret_key, slug, step_id))

    def form_for(self, step: Step) -> dict[str, str]:
        """What a player who knows the answer sends for `step`."""
        if step.choices:
            return {"choice": localise(step.correct, "fr")}
        if step.answers:
            return {"answer": step.answers[0]}
        if step.type in (StepType.contribution, StepType.identify):
            # A contribution needs the publication licence ticked
            return {"text": "La boulangerie de la rue Haute, vers 1930.", "licence": "cc-by-sa-4.0"}
        return {}

    def complete(self, page: Page, slug: str, step_id: str) -> None:
        """Do one step (answer, read, contribute or scan) as the player of `page`."""
        step = self.step(slug, step_id)
        if step.type is StepType.checkpoint:
            scanned = page.goto(self.checkpoint_url(slug, step_id))
            assert scanned is not None and scanned.ok, f"scan of {step_id} failed"
            return
        url = self.url(slug, step_id)
        page.goto(url)
        token = page.locator("input[name=csrf]").first.get_attribute("value")
        assert token, f"no CSRF token on {url}"
        response = page.request.post(
            url, form={"csrf": token, **self.form_for(step)}, headers={"Origin": self.site.url}
        )
        assert response.ok, f"{step_id}: {response.status} {response.text()[:300]}"

    def complete_until(self, page: Page, slug: str, step_id: str | None = None) -> None:
        """Do every step of `slug` before `step_id` (all of them when None), in order."""
        for step in self.campaigns[slug].steps:
            if step.id == step_id:
                return
            self.complete(page, slug, step.id)


@pytest.fixture(scope="session")
def game(live_site: LiveSite) -> Game:
    return Game(live_site)
