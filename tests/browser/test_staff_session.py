"""The end of a 12-hour staff login in a real browser: a page left open warns when its last
15 minutes begin (shown, and said by the live region), and a form sent after the end comes back
filled in once its author has logged in again.

The tests move the login's end in the database (the state under test), never the behaviour.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from .accounts import PASSWORD, add_account
from .axe import assert_accessible
from .axtree import invalid_controls
from .conftest import LiveSite, PhoneFactory

pytestmark = pytest.mark.browser

NOTE = "Merci pour les cartes postales de la rue Haute."


def end_login_at(site: LiveSite, name: str, when: datetime) -> None:
    """Make every login of `name` end at `when`."""
    from sqlmodel import select

    from web.staff import accounts
    from web.store import db
    from web.store.tables.staff import StaffSession

    engine = db.make_engine(site.settings.database_url)
    try:
        with db.writing(engine) as session:
            user = accounts.find_user(session, name)
            assert user is not None
            for row in session.exec(select(StaffSession).where(StaffSession.user_id == user.id)):
                row.expires_at = when
                session.add(row)
    finally:
        engine.dispose()


def log_in(page: Page, name: str) -> None:
    page.get_by_label("Nom de compte").fill(name)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_a_page_left_open_warns_before_the_login_ends(
    open_phone: PhoneFactory, live_site: LiveSite
) -> None:
    name = add_account(live_site, "staff")
    page = open_phone()
    page.goto(live_site("/staff/login"))
    log_in(page, name)
    expect(page.get_by_text("Session ouverte jusqu'au")).to_be_visible()
    end_login_at(live_site, name, datetime.now(UTC) + timedelta(minutes=15, seconds=20))
    page.clock.install()
    page.goto(live_site("/staff"))
    warning = page.locator("#session-warning")
    expect(warning).to_be_hidden()
    page.clock.run_for(30_000)
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("Votre session se termine le")
    expect(page.locator("#announcer")).to_contain_text("Votre session se termine le")
    assert_accessible(page)


def test_a_form_sent_after_the_end_comes_back_filled_in(
    open_phone: PhoneFactory, live_site: LiveSite
) -> None:
    name = add_account(live_site, "cm")
    page = open_phone()
    page.goto(live_site("/staff/merci"))
    log_in(page, name)
    expect(page.get_by_role("heading", name="Noter un remerciement")).to_be_visible()
    assert invalid_controls(page) == []  # its required list and date are not wrong yet
    page.get_by_label("À qui").select_option(index=1)
    page.get_by_label("Ce qui a été offert").fill("Un livre")
    page.get_by_label("Date").fill("2026-10-01")
    page.get_by_label("Note (visible par la personne remerciée)").fill(NOTE)
    end_login_at(live_site, name, datetime.now(UTC) - timedelta(minutes=1))

    # Sent from the keyboard: under a loaded machine's slow layout, a click at the button's
    # place could land on the form around it while the page still moved.
    page.get_by_role("button", name="Enregistrer").press("Enter")
    told = page.get_by_text("Votre session avait pris fin : connectez-vous de nouveau")
    expect(told).to_be_visible()
    log_in(page, name)
    expect(page).to_have_url(live_site("/staff/merci"))
    draft = page.locator("#draft")
    expect(draft).to_be_focused()
    expect(draft).to_contain_text("rien n'a été enregistré")
    expect(page.get_by_label("Note (visible par la personne remerciée)")).to_have_value(NOTE)
    expect(page.get_by_label("Ce qui a été offert")).to_have_value("Un livre")
    assert_accessible(page)
    page.reload()
    expect(page.locator("#draft")).to_have_count(0)  # given back once
