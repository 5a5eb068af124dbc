"""What is sent offline is judged as of its arrival: a QR code scanned without network opens
its checkpoint once the network is back; an answer kept offline that arrives after the campaign
closed is refused (410) and the page says so instead of pretending it was accepted."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from .conftest import Game, LiveSite, free_socket, serving, site_settings

pytestmark = pytest.mark.browser


class Clock:
    def __init__(self) -> None:
        self.now: datetime | None = None

    def __call__(self) -> datetime:
        return self.now or datetime.now(UTC)


CLOCK = Clock()


@pytest.fixture(scope="module")
def live_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    sock = free_socket()
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    settings = site_settings(tmp_path_factory.mktemp("browser-late-var"), base)
    with serving(sock, settings, clock=CLOCK) as live:
        yield live


@pytest.fixture(scope="module")
def game(live_site: LiveSite) -> Game:
    return Game(live_site)


@pytest.fixture(autouse=True)
def real_time() -> Iterator[None]:
    CLOCK.now = None
    yield
    CLOCK.now = None


def controlled(page: Page) -> None:
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.ready")
    page.evaluate("() => navigator.serviceWorker.ready")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def test_a_qr_code_scanned_offline_opens_the_marker_when_the_network_is_back(
    page: Page, game: Game
) -> None:
    page.goto(game.url("voie-verte"))
    controlled(page)
    page.context.set_offline(True)
    page.goto(game.checkpoint_url("voie-verte", "borne-1"))
    expect(page.get_by_role("heading", name="Pas de réseau")).to_be_visible()
    expect(page.locator(".feedback-queued")).to_contain_text(
        "Enregistré, vérifié dès le retour du réseau."
    )
    page.context.set_offline(False)
    expect(page.locator(".feedback-scanned")).to_contain_text("Balise trouvée !")
    expect(page.locator(".story")).to_contain_text("Le premier train entra en gare")


def test_an_answer_that_arrives_after_the_end_is_said_to_be_late(page: Page, game: Game) -> None:
    riddle = game.first_riddle()
    page.goto(game.url("ou-sommes-nous"))
    controlled(page)
    page.goto(game.url("ou-sommes-nous", riddle.id))
    page.context.set_offline(True)
    page.get_by_label("Votre réponse").fill(riddle.answers[0])
    page.get_by_role("button", name="Répondre").click()
    expect(page.locator(".feedback-queued")).to_contain_text("Enregistré")
    CLOCK.now = datetime(2028, 1, 2, 12, 0, tzinfo=UTC)  # the campaign closed meanwhile
    page.context.set_offline(False)
    expect(page.locator(".feedback-late")).to_contain_text(
        "Envoyé hors ligne, arrivé après la fin : ce n’est pas pris en compte, la campagne est "
        "terminée."
    )
    expect(page.get_by_text("Bravo, vous avez trouvé")).to_have_count(0)
    expect(page.locator(".found")).to_have_count(0)
