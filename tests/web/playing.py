"""A resident playing through the TestClient: with or without htmx, in one language."""

from __future__ import annotations

from typing import Any

import httpx

from campaigns.checkpoints import checkpoint_path
from campaigns.model import Step, localise
from campaigns.steptypes import StepType
from tests.web.conftest import World, csrf_of

MESSAGES = {
    "fr": {
        "wrong": "Pas tout à fait",
        "solved": "Bravo, vous avez trouvé",
        "already": "Déjà trouvé",
        "hint": "Voici un indice",
        "read": "C'est noté",
        "contributed": "Merci ! Votre contribution",
        "scanned": "Balise trouvée",
    },
    "en": {
        "wrong": "Not quite",
        "solved": "Well done, you found it",
        "already": "Already found",
        "hint": "Here's a hint",
        "read": "Noted, you can go on",
        "contributed": "Thank you! Your contribution",
        "scanned": "Marker found",
    },
}


class Resident:
    def __init__(self, world: World, *, lang: str = "fr", htmx: bool = False) -> None:
        self.world = world
        self.lang = lang
        self.htmx = htmx
        self.client = world.client(headers={"Accept-Language": f"{lang},fr;q=0.5"})
        self.token = ""

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        response = self.client.get(url, **kwargs)
        if 'name="csrf"' in response.text:
            self.token = csrf_of(response.text)
        return response

    def post(self, url: str, data: dict[str, str], *, htmx: bool | None = None) -> httpx.Response:
        headers = {"HX-Request": "true"} if (self.htmx if htmx is None else htmx) else {}
        return self.client.post(url, data={"csrf": self.token, **data}, headers=headers)

    def outcome(self, response: httpx.Response, url: str) -> str:
        """The text the resident reads after a POST (following the no-JS redirect)."""
        if self.htmx:
            assert response.status_code == 200, response.text
            assert "<html" not in response.text
            assert response.headers["vary"].lower().count("hx-request") == 1
            return response.text
        assert response.status_code == 303, response.text
        assert response.headers["location"].split("#")[0] == url
        return self.get(url).text

    def say(self, key: str) -> str:
        return MESSAGES[self.lang][key]

    def play_step(self, slug: str, step: Step) -> str:
        url = f"/c/{slug}/{step.id}"
        if step.type is StepType.checkpoint:
            secret = self.world.settings.secret_key
            page = self.get(checkpoint_path(secret, slug, step.id))
            assert page.status_code == 200
            assert self.say("scanned") in page.text
            return page.text
        page = self.get(url)
        assert page.status_code == 200, page.text
        if step.type in (StepType.riddle, StepType.question):
            field = "choice" if step.choices else "answer"
            wrong = self.post(url, {field: "Zanzibar"})
            assert self.say("wrong") in self.outcome(wrong, url)
            if step.hints:
                hint = self.post(url + "/indice", {})
                text = self.outcome(hint, url)
                assert self.say("hint") in text
            right = localise(step.correct, self.lang) if step.choices else step.answers[0]
            text = self.outcome(self.post(url, {field: right}), url)
            assert self.say("solved") in text
            return text
        if step.type is StepType.story:
            text = self.outcome_full(self.post(url, {}, htmx=False), url)
            assert self.say("read") in text
            return text
        text = self.outcome_full(
            # A contribution needs the publication licence ticked
            self.post(
                url, {"text": "Mon grand-père y allait.", "licence": "cc-by-sa-4.0"}, htmx=False
            ),
            url,
        )
        assert self.say("contributed") in text
        return text

    def outcome_full(self, response: httpx.Response, url: str) -> str:
        assert response.status_code == 303, response.text
        return self.get(url).text
