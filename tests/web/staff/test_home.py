"""The staff home at a desk: the work waiting, each queue linked; successes that look like it."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from tests.sitefiles import edited, write_site
from tests.web.conftest import World
from tests.web.participation.residents import Phone, cm, town
from tests.web.participation.test_identifications import archivist, propose
from tests.web.staff.conftest import cheap_argon2
from web.store import db
from web.store.tables.markers import MarkerReport

__all__ = ["cheap_argon2", "town"]

WAITING = re.compile(r'<ul class="waiting">(.*?)</ul>', re.S)


def waiting(page: str) -> list[str]:
    found = WAITING.search(page)
    return re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', found.group(1)) if found else []


def test_the_home_counts_the_work_waiting(town: World) -> None:
    for text in ("Pont Wilson", "pont wilson", "Pont de fil"):
        propose(Phone(town), text)
    for memory in ("La gare en 1950", "Le marché du samedi"):
        assert Phone(town).contribute("temoignage", text=memory).status_code == 303
    with db.writing(town.site.engine) as session:
        session.add(MarkerReport(campaign="quartier", step="mystere", comment="tag"))
    page = cm(town).get("/staff").text
    assert waiting(page) == [
        ("/staff/moderation", "2 contributions à modérer"),
        ("/staff/identifications", "2 propositions d&#39;identification à examiner"),
        ("/staff/signalements", "1 balise signalée abîmée"),
    ]


def test_a_staff_member_sees_the_queue_they_may_work_on(town: World) -> None:
    propose(Phone(town), "Pont Wilson")
    Phone(town).contribute("temoignage", text="La gare en 1950")
    page = archivist(town).get("/staff").text
    assert waiting(page) == [
        ("/staff/identifications", "1 proposition d&#39;identification à examiner")
    ]


def test_nothing_waiting(world: World) -> None:
    page = cm(world).get("/staff?lang=en").text
    assert waiting(page) == []
    assert "Nothing waits for a decision" in page


def test_problems_are_work_waiting(campaign_dir: Path, make_world: Callable[..., World]) -> None:
    write_site(campaign_dir, edited(colour='"red"', rate="42"))
    (campaign_dir / "cassee.yaml").write_text("version: 1\ncampaigns: []\n", encoding="utf-8")
    page = cm(make_world(campaigns_path=campaign_dir)).get("/staff").text
    assert waiting(page) == [
        ("/staff/campagnes", "1 fichier de campagne avec des problèmes"),
        ("/staff#identite", "2 problèmes dans site.yaml"),
    ]


def test_a_success_looks_like_one(world: World) -> None:
    home = cm(world).get("/staff?motdepasse=ok").text
    assert '<div class="notice notice-success" role="status"><p>Mot de passe changé' in home
    assert home.count('aria-current="page"') == 1


def test_the_menu_marks_the_page_shown(world: World) -> None:
    client = cm(world)
    page = client.get("/staff/photos").text
    assert '<a href="/staff/photos" aria-current="page">Photothèque</a>' in page
    assert '<nav class="staff-menu"' in page
