"""Cross checks a schema cannot express, each reported at the line the CM must change.

The pydantic model says what each value looks like; these rules say whether the values fit
together: ids are unique and referenced ids exist, no step requires itself in a circle, dates
are in order, each step type has what it needs (a riddle its photo and answers, a question its
choices), and no clue, title or alt text gives the answer away (a riddle a screen reader reads
out must not be spoiled). The photo files are checked in `photofiles.py`, the time zone and the
languages of every text in `localisation.py`.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from campaigns.localisation import locale_problems, zone
from campaigns.matching import contains_answer
from campaigns.model import Campaign, Step, StepType, all_languages
from campaigns.photofiles import MediaCheck as MediaCheck  # re-exported: the loader's API
from campaigns.photofiles import PhotoCheck as PhotoCheck
from campaigns.photofiles import PhotoFolder
from campaigns.photofiles import sniff_photo as sniff_photo
from campaigns.problems import Problem
from campaigns.suggestions import did_you_mean
from campaigns.yamlsource import DocPath, Marks, describe

NO_ANSWERS = {
    StepType.checkpoint: "it opens when its QR code is scanned",
    StepType.story: "it is read, not solved",
    StepType.contribution: "residents send a photo or a text",
    StepType.identify: "residents propose what they recognise and staff accept the right ones",
}
LEAK_NOUNS = {"title": "title", "hints": "hint", "alt": "alt text", "text": "text"}


# Pages of a campaign whose address would hide a step of the same id.
RESERVED_STEP_IDS = {"merci": "thank-you page", "galerie": "gallery"}


def label(loc: DocPath) -> str:
    """A path as printed: relative to its campaign (`steps[3].reveal[0]`), see loading.py."""
    if len(loc) >= 2 and loc[0] == "campaigns" and isinstance(loc[1], int):
        return describe(loc[:2]) if len(loc) == 2 else describe(loc[2:])
    return describe(loc)


@dataclass(frozen=True)
class Context:
    file: str
    marks: Marks
    photos: PhotoFolder

    def problem(self, loc: DocPath, message: str, *, key: bool = False) -> Problem:
        line, col = self.marks.key(loc) if key else self.marks.value(loc)
        return Problem(self.file, line, col, f"{label(loc)}: {message}")


def check_campaigns(checked: list[tuple[int, Campaign]], ctx: Context) -> list[Problem]:
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    for index, campaign in checked:
        here = ("campaigns", index, "slug")
        if campaign.slug in first_line:
            problems.append(
                ctx.problem(
                    here,
                    f"the campaign '{campaign.slug}' is already defined at line "
                    f"{first_line[campaign.slug]}; give each campaign its own slug",
                )
            )
        first_line.setdefault(campaign.slug, ctx.marks.value(here)[0])
        problems += CampaignRules(campaign, ("campaigns", index), ctx).check()
    return problems


def _web_address(url: str) -> bool:
    try:
        parsed = urlparse(url)
        return parsed.scheme in ("http", "https") and bool(parsed.hostname)
    except ValueError:  # "https://[bad" is not an address either
        return False


class CampaignRules:
    """The checks of one campaign; `at` is its document path, `('campaigns', 0)`."""

    def __init__(self, campaign: Campaign, at: DocPath, ctx: Context) -> None:
        self.c = campaign
        self.at = at
        self.ctx = ctx
        self.problems: list[Problem] = []
        self.zone = zone(campaign.timezone) or ZoneInfo("UTC")

    def add(self, loc: DocPath, message: str, *, key: bool = False) -> None:
        self.problems.append(self.ctx.problem((*self.at, *loc), message, key=key))

    def check(self) -> list[Problem]:
        c = self.c
        for loc, message, key in locale_problems(c):
            self.add(loc, message, key=key)
        self.window((), c.opens, c.closes, "campaign")
        seen: dict[str, int] = {}
        for k, person in enumerate(c.contributors):
            if person.id in seen:
                self.add(("contributors", k, "id"), self.duplicate("contributor", person.id, seen))
            seen.setdefault(person.id, k)
            if person.url is not None and not _web_address(person.url):
                self.add(("contributors", k, "url"), self.not_web(person.url))
        if c.finale and c.finale.video is not None and not _web_address(c.finale.video):
            self.add(("finale", "video"), self.not_web(c.finale.video))
        step_ids: dict[str, int] = {}
        for j, step in enumerate(c.steps):
            if step.id in step_ids:
                self.add(("steps", j, "id"), self.duplicate("step", step.id, step_ids))
            step_ids.setdefault(step.id, j)
            StepRules(self, step, ("steps", j)).check()
        self.cycles()
        answers = [a for step in c.steps if step.answerable for a in step.answers]
        intro = "\n".join(all_languages(c.intro))
        if intro and contains_answer(intro, answers):  # rare: then find which step it spoils
            for j, step in enumerate(c.steps):
                found = contains_answer(intro, step.answers) if step.answerable else None
                if found:
                    self.add(
                        ("intro",),
                        f"this introduction gives away the answer to steps[{j}] ('{found}'); "
                        "reword it",
                    )
        return self.problems

    def duplicate(self, what: str, ident: str, seen: dict[str, int]) -> str:
        plural = "contributors" if what == "contributor" else "steps"
        line = self.ctx.marks.value((*self.at, plural, seen[ident]))[0]
        return (
            f"the {what} id '{ident}' is already used by {plural}[{seen[ident]}] (line {line}); "
            f"give each {what} its own id"
        )

    @staticmethod
    def not_web(url: str) -> str:
        return f"'{url}' is not a web address; write it in full, starting with https://"

    def when(self, value: datetime) -> datetime:
        return value.replace(tzinfo=self.zone) if value.tzinfo is None else value

    def window(
        self, loc: DocPath, opens: datetime | None, closes: datetime | None, what: str
    ) -> None:
        if opens and closes and self.when(closes) <= self.when(opens):
            self.add(
                (*loc, "closes"),
                f"must be after opens ({opens.isoformat(timespec='minutes')}); "
                f"this {what} would never be open",
            )

    def cycles(self) -> None:
        """Steps that require each other in a circle can never open: name the circle."""
        needs: dict[str, list[str]] = {}
        for s in self.c.steps:
            needs.setdefault(s.id, []).extend(r for r in s.requires if self.c.step(r))
        reported: set[str] = set()
        for j, step in enumerate(self.c.steps):
            if step.id in reported or step.id in step.requires:
                continue
            circle = _circle(step.id, needs)
            if circle:
                reported.update(circle)
                self.add(
                    ("steps", j, "requires"),
                    "these steps require each other in a circle, so none of them can open: "
                    f"{' → '.join([*circle, circle[0]])}; remove one of these requirements",
                )


def _circle(start: str, needs: dict[str, list[str]]) -> list[str]:
    """The shortest chain of requirements from `start` back to itself, or []."""
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        for nxt in needs.get(current, []):
            if nxt == start:
                chain = [current]
                while chain[-1] != start:
                    chain.append(came_from[chain[-1]])
                return chain[::-1]
            if nxt not in came_from:
                came_from[nxt] = current
                queue.append(nxt)
    return []


class StepRules:
    """The checks of one step, reported through its campaign's rules."""

    def __init__(self, campaign: CampaignRules, step: Step, at: DocPath) -> None:
        self.rules = campaign
        self.step = step
        self.at = at

    def add(self, loc: DocPath, message: str) -> None:
        self.rules.add((*self.at, *loc), message)

    def check(self) -> None:
        s, c = self.step, self.rules.c
        if s.id in RESERVED_STEP_IDS:
            self.add(
                ("id",),
                f"'{s.id}' is reserved for the campaign's {RESERVED_STEP_IDS[s.id]}"
                f" (/c/<campaign>/{s.id}); choose another id",
            )
        contributors = [p.id for p in c.contributors]
        for k, who in enumerate(s.credit):
            if who not in contributors:
                hint = did_you_mean(who, contributors) or "; add it under 'contributors'"
                self.add(("credit", k), f"no contributor has the id '{who}'{hint}")
        step_ids = [other.id for other in c.steps]
        for k, needed in enumerate(s.requires):
            if needed == s.id:
                self.add(("requires", k), "a step cannot require itself; remove it")
            elif needed not in step_ids:
                hint = did_you_mean(needed, step_ids)
                self.add(("requires", k), f"no step has the id '{needed}'{hint}")
        self.rules.window(self.at, s.opens, s.closes, "step")
        self.inside_campaign()
        self.kind()
        for loc, message in self.rules.ctx.photos.step_problems(s):
            self.add(loc, message)
        if s.answerable and s.answers:
            self.leaks()

    def inside_campaign(self) -> None:
        s, c, when = self.step, self.rules.c, self.rules.when
        for name, value in (("opens", s.opens), ("closes", s.closes)):
            if value is None:
                continue
            shown = value.isoformat(timespec="minutes")
            if c.opens and when(value) < when(c.opens):
                self.add(
                    (name,), f"{shown} is before the campaign opens ({c.opens:%Y-%m-%dT%H:%M})"
                )
            elif c.closes and when(value) > when(c.closes):
                self.add(
                    (name,), f"{shown} is after the campaign closes ({c.closes:%Y-%m-%dT%H:%M})"
                )

    def kind(self) -> None:
        s = self.step
        if s.type in NO_ANSWERS and s.answers:
            self.add(
                ("answers",),
                f"a {s.type.value} step has no answers ({NO_ANSWERS[s.type]}); remove 'answers'",
            )
        if s.type != StepType.question and (s.choices or s.correct is not None):
            name = "choices" if s.choices else "correct"
            self.add((name,), f"only a question step has '{name}'; remove it")
        if s.type in (StepType.riddle, StepType.identify) and s.photo is None:
            self.add(
                (),
                f"a {s.type.value} step needs a 'photo': a file beside this YAML file "
                "or media:<id>",
            )
        if s.type == StepType.riddle and not s.answers:
            self.add((), "a riddle needs 'answers': the answers to accept")
        if s.type == StepType.contribution and not s.accept:
            self.add(("accept",), "say what residents may send: [photo], [text] or [photo, text]")
        if s.type != StepType.question:
            return
        if s.answers and s.choices:
            self.add((), "give either 'answers' (typed) or 'choices' with 'correct', not both")
        elif not s.answers and not s.choices:
            self.add((), "a question needs 'answers', or 'choices' and 'correct'")
        elif s.choices and s.correct is None:
            self.add((), "'correct' is missing; write the right choice, copied from 'choices'")
        elif s.choices and not any(
            s.correct == choice or (isinstance(choice, dict) and s.correct in choice.values())
            for choice in s.choices
        ):
            self.add(("correct",), "this is not one of the choices; copy the right choice exactly")

    def leaks(self) -> None:
        """Titles, hints, alt texts and texts must not show the answer they ask for."""
        found_in_id = contains_answer(self.step.id, self.step.answers)
        if found_in_id:
            self.add(
                ("id",),
                f"this step id gives the answer away ('{found_in_id}'): it is in the page's"
                " address; choose a neutral id",
            )
        texts: list[tuple[DocPath, str, str]] = []
        for name, noun in LEAK_NOUNS.items():
            value = getattr(self.step, name)
            items = enumerate(value) if isinstance(value, list) else [(None, value)]
            for k, text in items:
                loc: DocPath = (name,) if k is None else (name, k)
                texts += [(loc, noun, string) for string in all_languages(text)]
        # One look at everything first: almost every step gives nothing away.
        if not contains_answer("\n".join(t for _, _, t in texts), self.step.answers):
            return
        spoiled: set[DocPath] = set()
        for loc, noun, string in texts:
            found = contains_answer(string, self.step.answers)
            if found and loc not in spoiled:
                spoiled.add(loc)
                self.add(loc, f"this {noun} gives the answer away ('{found}'); reword it")
