"""What a resident reads on a step, word for word in French and English: where to find a
checkpoint's marker, who is credited and for what, what a hint brought, what a wrong answer
suggests, and counts said in the singular and the plural."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

import pytest

from campaigns.checkpoints import checkpoint_path
from tests.web.conftest import World
from tests.web.playing import Resident

# A riddle whose photo has more stages than hints (the second hint is a larger view alone) and
# a question whose hint is a text alone, appended to the example campaigns.
HINTED = """
  - slug: indices
    title: "Indices"
    order: free
    languages: [fr, en]
    steps:
      - id: recadre
        type: riddle
        title: "Un détail"
        photo: photos/enigme-1-pierre.jpg
        alt: "Le haut d'une tour de pierre claire."
        reveal:
          - [0.38, 0.40, 0.66, 0.60]
          - [0.20, 0.00, 0.90, 0.65]
          - full
        answers: ["Tour Saint-Aubin"]
        hints: ["Elle a perdu son abbaye."]
      - id: date
        type: question
        title: "Une date"
        answers: ["1912"]
        hints: ["Avant la Grande Guerre."]
"""


@pytest.fixture
def campaign_dir(campaign_dir: Path) -> Path:
    yaml_file = campaign_dir / "campaigns.yaml"
    yaml_file.write_text(yaml_file.read_text(encoding="utf-8") + HINTED, encoding="utf-8")
    return campaign_dir


def text_of(response_text: str) -> str:
    return html.unescape(response_text)


def scan(resident: Resident, slug: str, step_id: str) -> str:
    page = resident.get(checkpoint_path(resident.world.settings.secret_key, slug, step_id))
    assert page.status_code == 200
    return text_of(page.text)


# --- A checkpoint says where its marker is ----------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "where", "scan_it"),
    [
        (
            "fr",
            "La borne 1 vous attend devant l'ancienne gare, côté quai.",
            "Rendez-vous sur place et scannez le QR code de la balise pour ouvrir cette étape.",
        ),
        (
            "en",
            "Marker 1 is waiting for you outside the old station, on the platform side.",
            "Go to the place and scan the marker's QR code to open this step.",
        ),
    ],
)
def test_a_checkpoint_page_says_where_to_find_its_marker(
    world: World, lang: str, where: str, scan_it: str
) -> None:
    resident = Resident(world, lang=lang)
    trail = text_of(resident.get("/c/voie-verte").text)
    assert 'href="/c/voie-verte/borne-1"' in trail  # the page is reachable before the scan
    page = text_of(resident.get("/c/voie-verte/borne-1").text)
    assert f"<p>{where}</p>" in page
    assert scan_it in page
    scanned = scan(resident, "voie-verte", "borne-1")  # found: its story replaces the directions
    assert f"<p>{where}</p>" not in scanned and scan_it not in scanned


# --- Credits by role, with or without a photo -------------------------------------------------


def test_a_step_without_a_photo_credits_its_contributors_by_role(world: World) -> None:
    french = scan(Resident(world), "voie-verte", "borne-1")
    assert (
        '<p>Histoire de la ligne : <a href="https://example.fr/amis-du-vieux-val" '
        'rel="noopener">Les Amis du Vieux Val</a></p>' in french
    )
    assert "Photo :" not in french
    english = scan(Resident(world, lang="en"), "voie-verte", "borne-1")
    assert "<p>History of the railway line: <a " in english


def test_a_photo_step_names_each_contributor_for_what_they_gave(world: World) -> None:
    resident = Resident(world)
    scan(resident, "voie-verte", "borne-1")
    scan(resident, "voie-verte", "borne-2")
    page = scan(resident, "voie-verte", "borne-3")
    assert "Photographies : <a" in page and ">Photothèque municipale</a>" in page
    assert "Histoire de la ligne : <a" in page
    assert "<figcaption>" not in page  # a photo beside the YAML has no description of its own


# --- Hints and answers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "messages"),
    [
        (
            "fr",
            [
                "Voici un indice, et une vue plus large de la photo.",
                "Voici une vue plus large de la photo.",
            ],
        ),
        (
            "en",
            [
                "Here's a hint, and a larger view of the photo.",
                "Here's a larger view of the photo.",
            ],
        ),
    ],
)
def test_a_hint_says_what_it_brought(world: World, lang: str, messages: list[str]) -> None:
    resident = Resident(world, lang=lang)
    url = "/c/indices/recadre"
    resident.get(url)
    for message in messages:
        shown = text_of(resident.outcome(resident.post(url + "/indice", {}), url))
        assert f"<p>{message}</p>" in shown
    resident.get("/c/indices/date")
    text_only = resident.post("/c/indices/date/indice", {})
    expected = "Voici un indice." if lang == "fr" else "Here's a hint."
    assert f"<p>{expected}</p>" in text_of(resident.outcome(text_only, "/c/indices/date"))


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize(
    ("lang", "with_hint", "without"),
    [
        (
            "fr",
            "Pas tout à fait… Essayez encore, ou demandez un indice.",
            "Pas tout à fait… Essayez encore, ou passez cette étape pour y revenir plus tard.",
        ),
        (
            "en",
            "Not quite… Try again, or ask for a hint.",
            "Not quite… Try again, or skip this step and come back to it later.",
        ),
    ],
)
def test_a_wrong_answer_suggests_a_hint_while_there_is_one_then_to_move_on(
    world: World, lang: str, with_hint: str, without: str, htmx: bool
) -> None:
    resident = Resident(world, lang=lang, htmx=htmx)
    url = "/c/indices/date"
    resident.get(url)
    first = text_of(resident.outcome(resident.post(url, {"answer": "1789"}), url))
    assert f"<p>{with_hint}</p>" in first
    resident.post(url + "/indice", {})
    page = text_of(resident.get(url).text)
    assert "Un indice ?" not in page and "Another hint?" not in page  # no hint button left
    second = text_of(resident.outcome(resident.post(url, {"answer": "1789"}), url))
    assert f"<p>{without}</p>" in second
    assert "indice." not in second and "hint." not in second


@pytest.mark.parametrize(
    ("lang", "found"), [("fr", "Trouvé sans indice"), ("en", "Found without a hint")]
)
def test_a_step_found_without_a_hint_says_so(world: World, lang: str, found: str) -> None:
    resident = Resident(world, lang=lang)
    url = "/c/indices/date"
    resident.get(url)
    page = text_of(resident.outcome(resident.post(url, {"answer": "1912"}), url))
    assert f'<p class="found">{found}</p>' in page
    assert "0 indice" not in page and "0 hint" not in page


# --- Counts through the catalogs --------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "none", "one"),
    [
        ("fr", "0 étape faite sur 2", "1 étape faite sur 2"),
        ("en", "0 steps done out of 2", "1 step done out of 2"),
    ],
)
def test_the_trail_counts_done_steps_in_the_singular_and_plural(
    world: World, lang: str, none: str, one: str
) -> None:
    resident = Resident(world, lang=lang)
    assert f'<p class="progress">{none}</p>' in resident.get("/c/indices").text
    resident.get("/c/indices/date")
    resident.post("/c/indices/date", {"answer": "1912"})
    assert f'<p class="progress">{one}</p>' in resident.get("/c/indices").text
    assert "(s)" not in resident.get("/c/indices").text


@pytest.mark.parametrize(
    ("lang", "days"), [("fr", "effacées 1 jour après"), ("en", "deleted 1 day after")]
)
def test_the_retention_period_of_one_day_is_singular(
    make_world: Callable[..., World], lang: str, days: str
) -> None:
    world = make_world(retention_days=1)
    resident = Resident(world, lang=lang)
    resident.get("/c/indices/date")
    resident.post("/c/indices/date", {"answer": "1912"})  # a player now: /moi shows their data
    assert days in text_of(resident.get("/moi").text)
