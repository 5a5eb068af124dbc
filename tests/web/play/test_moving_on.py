"""No dead end: after the last hint a resident may pass the step or, where the campaign allows
it, see its answer — word for word in French and English, with and without htmx, and the step
seen is never counted as found (the trail, /moi, the figures)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from sqlmodel import select

from tests.web.conftest import World
from tests.web.playing import Resident
from web.staff import figures
from web.store import db
from web.store.tables.play import Solve

# A sequential trail: a riddle without answers to see, one whose answer may be seen, and a last
# step that the first two must not keep locked.
STUCK = """
  - slug: coince
    title: "Coincé"
    order: sequential
    languages: [fr, en]
    steps:
      - id: date
        type: question
        title: "Une date"
        answers: ["1912"]
        hints: ["Avant la Grande Guerre."]
        story: "Le pont fut inauguré cette année-là."
      - id: nom
        type: question
        title: "Un nom"
        answers: ["Saint-Aubin", "Aubin"]
        hints: ["Un évêque d'Angers."]
        after_hints: answer
        story: "La tour porte le nom de l'abbaye disparue."
      - id: fin
        type: question
        title: "La fin"
        answers: ["Loir"]
"""

WORDS = {
    "fr": {
        "pass": "Passer cette étape",
        "see": "Voir la réponse",
        "wrong-pass": "Pas tout à fait… Essayez encore, ou passez cette étape pour y revenir "
        "plus tard.",
        "wrong-both": "Pas tout à fait… Essayez encore, passez cette étape ou voyez la réponse.",
        "wrong-answer": "Pas tout à fait… Essayez encore, ou voyez la réponse.",
        "passed": "Étape passée : elle reste ouverte, revenez-y quand vous voulez.",
        "still-open": "Vous avez passé cette étape : elle reste ouverte, vous pouvez encore y "
        "répondre.",
        "seen-now": "Voici la réponse. L'étape est marquée « réponse vue ».",
        "seen": "Réponse vue",
        "answer": "La réponse : Saint-Aubin",
        "seen-again": "Vous avez vu la réponse de cette étape.",
        "hints-first": "Demandez d'abord les indices de cette étape.",
        "no-answer": "Cette étape ne montre pas sa réponse : passez-la, ou revenez-y plus tard.",
        "next": "Étape suivante : La fin",
        "label-passed": "Passée, à reprendre",
    },
    "en": {
        "pass": "Skip this step",
        "see": "See the answer",
        "wrong-pass": "Not quite… Try again, or skip this step and come back to it later.",
        "wrong-both": "Not quite… Try again, skip this step or see the answer.",
        "wrong-answer": "Not quite… Try again, or see the answer.",
        "passed": "Step skipped: it stays open, come back to it whenever you like.",
        "still-open": "You skipped this step: it stays open, you can still answer it.",
        "seen-now": "Here is the answer. The step is marked “answer seen”.",
        "seen": "Answer seen",
        "answer": "The answer: Saint-Aubin",
        "seen-again": "You have seen this step's answer.",
        "hints-first": "Ask for this step's hints first.",
        "no-answer": "This step does not show its answer: skip it, or come back to it later.",
        "next": "Next step: La fin",
        "label-passed": "Skipped, to come back to",
    },
}


@pytest.fixture
def campaign_dir(campaign_dir: Path) -> Path:
    yaml_file = campaign_dir / "campaigns.yaml"
    yaml_file.write_text(yaml_file.read_text(encoding="utf-8") + STUCK, encoding="utf-8")
    return campaign_dir


def _text(response_text: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", response_text))


def _post(resident: Resident, url: str, data: dict[str, str] | None = None) -> tuple[int, str]:
    """The status of a POST and what the resident then reads (the no-JS redirect followed)."""
    response = resident.post(url, data or {})
    if response.status_code == 303:
        page = resident.get(response.headers["location"].split("#")[0])
        return 303, _text(page.text)
    return response.status_code, _text(response.text)


def _solves(world: World) -> list[tuple[str, str]]:
    with db.reading(world.site.engine) as session:
        return [(s.campaign, s.step) for s in session.exec(select(Solve)).all()]


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_after_the_last_hint_a_player_passes_the_step_and_the_next_one_opens(
    world: World, lang: str, htmx: bool
) -> None:
    words = WORDS[lang]
    resident = Resident(world, lang=lang, htmx=htmx)
    url = "/c/coince/date"
    page = _text(resident.get(url).text)
    assert words["pass"] not in page  # a hint is left: ask it first
    status, refused = _post(resident, url + "/passer")
    assert status == 403 and words["hints-first"] in refused
    assert words["next"] not in _text(resident.get("/c/coince/nom").text)  # still locked

    _post(resident, url + "/indice")
    page = _text(resident.get(url).text)
    assert words["pass"] in page and words["see"] not in page  # after_hints: skip
    _status, wrong = _post(resident, url, {"answer": "1789"})
    assert f"<p>{words['wrong-pass']}</p>" in wrong
    status, no_answer = _post(resident, url + "/reponse")
    assert status == 403 and words["no-answer"] in no_answer

    status, passed = _post(resident, url + "/passer")
    assert status == (303 if not htmx else 200)
    assert words["passed"] in passed and words["still-open"] in passed
    assert "Étape suivante : Un nom" in passed or "Next step: Un nom" in passed
    assert words["pass"] not in passed  # passed once

    nom = _text(resident.get("/c/coince/nom").text)
    assert 'name="answer"' in nom  # the next step is open in a sequential trail
    trail = _text(resident.get("/c/coince").text)
    assert words["label-passed"] in trail

    # The passed step is still open: answering it right later is a real solve.
    _post(resident, url, {"answer": "1912"})
    assert _solves(world) == [("coince", "date")]


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_where_the_campaign_allows_it_a_player_sees_the_answer_and_the_story_not_a_solve(
    world: World, lang: str, htmx: bool
) -> None:
    words = WORDS[lang]
    resident = Resident(world, lang=lang, htmx=htmx)
    resident.get("/c/coince/date")
    _post(resident, "/c/coince/date/indice")
    _post(resident, "/c/coince/date/passer")
    url = "/c/coince/nom"
    page = _text(resident.get(url).text)
    assert words["see"] not in page
    _post(resident, url + "/indice")
    page = _text(resident.get(url).text)
    assert words["pass"] in page and words["see"] in page
    assert "Saint-Aubin" not in page
    _status, wrong = _post(resident, url, {"answer": "Wilson"})
    assert f"<p>{words['wrong-both']}</p>" in wrong

    status, seen = _post(resident, url + "/reponse")
    assert status == (303 if not htmx else 200)
    assert words["seen-now"] in seen and words["answer"] in seen
    assert words["seen"] in seen
    assert "La tour porte le nom de l'abbaye disparue." in seen
    assert words["next"] in seen
    assert "Trouvé" not in seen and "Found" not in seen

    # Seen is final: answering now stores no solve, and the page keeps saying "réponse vue".
    _status, again = _post(resident, url, {"answer": "Saint-Aubin"})
    assert words["seen-again"] in again
    assert _solves(world) == []
    assert words["seen"] in _text(resident.get("/c/coince").text)
    assert 'name="answer"' in _text(resident.get("/c/coince/fin").text)


def test_a_passed_step_offers_its_answer_still_and_the_wrong_answer_says_so(world: World) -> None:
    resident = Resident(world)
    for step in ("date", "nom"):
        resident.get(f"/c/coince/{step}")
        _post(resident, f"/c/coince/{step}/indice")
        _post(resident, f"/c/coince/{step}/passer")
    page = _text(resident.get("/c/coince/nom").text)
    assert "Voir la réponse" in page and "Passer cette étape" not in page
    _status, wrong = _post(resident, "/c/coince/nom", {"answer": "Wilson"})
    assert f"<p>{WORDS['fr']['wrong-answer']}</p>" in wrong


def test_an_answer_seen_is_not_found_on_my_page_nor_in_the_figures(world: World) -> None:
    resident = Resident(world)
    resident.get("/c/coince/date")
    _post(resident, "/c/coince/date", {"answer": "1912"})
    resident.get("/c/coince/nom")
    _post(resident, "/c/coince/nom/indice")
    _post(resident, "/c/coince/nom/reponse")
    _post(resident, "/c/coince/fin", {"answer": "Loir"})
    me = _text(resident.get("/moi").text)
    # Counted as not finished: no "— terminé" after the count.
    assert "2 étapes faites sur 3</li>" in me
    with db.reading(world.site.engine) as session:
        counted = figures.compute(session, world.campaign("coince")).as_json()
    done = {step["step"]: step["done"] for step in counted["steps"]}  # type: ignore[index, union-attr]
    assert done == {"date": 1, "nom": 0, "fin": 1}
    assert counted["finished"] == 0
    # The trail is over for the player: the finale is theirs.
    assert "Découvrir le final" in _text(resident.get("/c/coince/fin").text)


def test_another_player_never_sees_the_answer_someone_else_asked_for(world: World) -> None:
    first, second = Resident(world), Resident(world)
    for resident in (first, second):
        for step in ("date", "nom"):
            resident.get(f"/c/coince/{step}")
            _post(resident, f"/c/coince/{step}/indice")
        _post(resident, "/c/coince/date/passer")
    _post(first, "/c/coince/nom/reponse")
    for url in ("/c/coince/nom", "/c/coince", "/moi", "/c/coince/merci"):
        assert "Saint-Aubin" not in _text(second.get(url).text)
