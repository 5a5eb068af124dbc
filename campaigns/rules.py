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
from campaigns.model import Campaign, Finale, Step, all_languages
from campaigns.photofiles import MediaCheck as MediaCheck  # re-exported: the loader's API
from campaigns.photofiles import PhotoCheck as PhotoCheck
from campaigns.photofiles import PhotoFolder
from campaigns.photofiles import sniff_photo as sniff_photo
from campaigns.places import place_problems
from campaigns.problems import Problem
from campaigns.rulewords import leak_message, reserved_message, why_no_answers
from campaigns.steptypes import StepType
from campaigns.storymedia import is_remote, media_problems
from campaigns.suggestions import did_you_mean
from campaigns.wording import _
from campaigns.yamlsource import DocPath, Marks, describe

# A consensus of one is no consensus; past a hundred, no mystery photo would ever reach one.
MIN_AGREEMENT, MAX_AGREEMENT = 2, 100
NO_ANSWERS = (StepType.checkpoint, StepType.story, StepType.contribution, StepType.identify)
LEAK_NOUNS = ("title", "hints", "alt", "text")


# Pages of a campaign whose address would hide a step of the same id.
RESERVED_STEP_IDS = ("merci", "galerie", "carte", "emporter")


def said_at(where: str, message: str) -> str:
    """`steps[3].reveal[0] : message` in French, `steps[3].reveal[0]: message` in English."""
    return _("%(where)s : %(message)s") % {"where": where, "message": message}


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
        return Problem(self.file, line, col, said_at(label(loc), message))


def check_campaigns(checked: list[tuple[int, Campaign]], ctx: Context) -> list[Problem]:
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    for index, campaign in checked:
        here = ("campaigns", index, "slug")
        if campaign.slug in first_line:
            problems.append(
                ctx.problem(
                    here,
                    _(
                        "la campagne '%(slug)s' est déjà définie à la ligne %(line)s ; "
                        "donnez à chaque campagne son propre slug"
                    )
                    % {"slug": campaign.slug, "line": first_line[campaign.slug]},
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
        if c.finale:
            self.story_media(("finale",), c.finale)
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
                        _(
                            "cette introduction dévoile la réponse de steps[%(index)s] "
                            "('%(found)s') ; reformulez-la"
                        )
                        % {"index": j, "found": found},
                    )
        return self.problems

    def duplicate(self, what: str, ident: str, seen: dict[str, int]) -> str:
        plural = "contributors" if what == "contributor" else "steps"
        line = self.ctx.marks.value((*self.at, plural, seen[ident]))[0]
        if what == "contributor":
            message = _(
                "l'id de contributeur '%(id)s' est déjà utilisé par contributors[%(index)s] "
                "(ligne %(line)s) ; donnez à chaque contributeur son propre id"
            )
        else:
            message = _(
                "l'id d'étape '%(id)s' est déjà utilisé par steps[%(index)s] (ligne %(line)s) ; "
                "donnez à chaque étape son propre id"
            )
        return message % {"id": ident, "index": seen[ident], "line": line}

    def story_media(self, loc: DocPath, owner: Step | Finale) -> None:
        """The recording and film of a step or of the finale (`campaigns.storymedia`)."""
        if owner.video is not None and is_remote(owner.video) and not _web_address(owner.video):
            self.add((*loc, "video"), self.not_web(owner.video))
        photos = self.ctx.photos
        for where, message in media_problems(owner, photos.file, photos.base_dir):
            self.add((*loc, *where), message)

    @staticmethod
    def not_web(url: str) -> str:
        return _(
            "'%(url)s' n'est pas une adresse web ; écrivez-la en entier, en commençant par https://"
        ) % {"url": url}

    def when(self, value: datetime) -> datetime:
        return value.replace(tzinfo=self.zone) if value.tzinfo is None else value

    def window(
        self, loc: DocPath, opens: datetime | None, closes: datetime | None, what: str
    ) -> None:
        if opens and closes and self.when(closes) <= self.when(opens):
            if what == "campaign":
                message = _(
                    "doit être après opens (%(opens)s) ; cette campagne ne serait jamais ouverte"
                )
            else:
                message = _(
                    "doit être après opens (%(opens)s) ; cette étape ne serait jamais ouverte"
                )
            self.add((*loc, "closes"), message % {"opens": opens.isoformat(timespec="minutes")})

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
                    _(
                        "ces étapes se demandent l'une l'autre en cercle, donc aucune ne peut "
                        "s'ouvrir : %(circle)s ; supprimez une de ces conditions"
                    )
                    % {"circle": " → ".join([*circle, circle[0]])},
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
            self.add(("id",), reserved_message(s.id) % {"id": s.id})
        contributors = [p.id for p in c.contributors]
        for k, who in enumerate(s.credit):
            if who not in contributors:
                hint = did_you_mean(who, contributors) or _(" ; ajoutez-le sous 'contributors'")
                message = _("aucun contributeur n'a l'id '%(id)s'") % {"id": who}
                self.add(("credit", k), message + hint)
        step_ids = [other.id for other in c.steps]
        for k, needed in enumerate(s.requires):
            if needed == s.id:
                self.add(
                    ("requires", k), _("une étape ne peut pas se demander elle-même ; supprimez-la")
                )
            elif needed not in step_ids:
                hint = did_you_mean(needed, step_ids)
                message = _("aucune étape n'a l'id '%(id)s'") % {"id": needed}
                self.add(("requires", k), message + hint)
        self.rules.window(self.at, s.opens, s.closes, "step")
        self.inside_campaign()
        self.kind()
        for loc, message in self.rules.ctx.photos.step_problems(s):
            self.add(loc, message)
        self.rules.story_media(self.at, s)
        for loc, message in place_problems(s):
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
                message = _("%(when)s est avant l'ouverture de la campagne (%(opens)s)")
                self.add((name,), message % {"when": shown, "opens": f"{c.opens:%Y-%m-%dT%H:%M}"})
            elif c.closes and when(value) > when(c.closes):
                message = _("%(when)s est après la fermeture de la campagne (%(closes)s)")
                self.add((name,), message % {"when": shown, "closes": f"{c.closes:%Y-%m-%dT%H:%M}"})

    def kind(self) -> None:
        s = self.step
        if s.type in NO_ANSWERS and s.answers:
            self.add(
                ("answers",),
                _("une étape de type %(type)s n'a pas de réponses (%(why)s) ; supprimez 'answers'")
                % {"type": s.type.value, "why": why_no_answers(s.type)},
            )
        if s.type != StepType.question and (s.choices or s.correct is not None):
            name = "choices" if s.choices else "correct"
            message = _("seule une étape de type question a '%(key)s' ; supprimez-le")
            self.add((name,), message % {"key": name})
        if s.after_hints is not None and not s.answerable:
            self.add(
                ("after_hints",),
                _(
                    "seule une énigme ou une question a 'after_hints' (ce que le joueur peut "
                    "faire après le dernier indice) ; supprimez-le"
                ),
            )
        if s.type in (StepType.riddle, StepType.identify) and s.photo is None:
            self.add(
                (),
                _(
                    "une étape de type %(type)s a besoin d'une 'photo' : un fichier à côté de ce "
                    "fichier YAML, ou media:<id>"
                )
                % {"type": s.type.value},
            )
        if s.type == StepType.riddle and not s.answers:
            self.add((), _("une énigme a besoin de 'answers' : les réponses à accepter"))
        if s.type == StepType.contribution and not s.accept:
            self.add(
                ("accept",),
                _("dites ce que les habitants peuvent envoyer : [photo], [text] ou [photo, text]"),
            )
        self.agreement()
        if s.type != StepType.question:
            return
        if s.answers and s.choices:
            self.add(
                (),
                _(
                    "donnez soit 'answers' (réponse tapée), soit 'choices' avec 'correct', "
                    "pas les deux"
                ),
            )
        elif not s.answers and not s.choices:
            self.add((), _("une question a besoin de 'answers', ou de 'choices' et 'correct'"))
        elif s.choices and s.correct is None:
            self.add(
                (),
                _("'correct' manque ; écrivez le bon choix, copié depuis 'choices'"),
            )
        elif s.choices and not any(
            s.correct == choice or (isinstance(choice, dict) and s.correct in choice.values())
            for choice in s.choices
        ):
            self.add(
                ("correct",),
                _("ce n'est pas un des choix ; copiez exactement le bon choix"),
            )

    def agreement(self) -> None:
        s = self.step
        if s.agreement is None:
            return
        if s.type != StepType.identify:
            message = _("seule une étape de type identify a 'agreement' ; supprimez-le")
            self.add(("agreement",), message)
        elif not MIN_AGREEMENT <= s.agreement <= MAX_AGREEMENT:
            self.add(
                ("agreement",),
                _(
                    "'agreement' est le nombre d'habitants distincts qui doivent proposer la même"
                    " chose : entre %(least)s et %(most)s"
                )
                % {"least": MIN_AGREEMENT, "most": MAX_AGREEMENT},
            )

    def leaks(self) -> None:
        """Titles, hints, alt texts and texts must not show the answer they ask for."""
        found_in_id = contains_answer(self.step.id, self.step.answers)
        if found_in_id:
            self.add(
                ("id",),
                _(
                    "cet id d'étape dévoile la réponse ('%(found)s') : il figure dans l'adresse "
                    "de la page ; choisissez un id neutre"
                )
                % {"found": found_in_id},
            )
        texts: list[tuple[DocPath, str, str]] = []
        for name in LEAK_NOUNS:
            value = getattr(self.step, name)
            items = enumerate(value) if isinstance(value, list) else [(None, value)]
            for k, text in items:
                loc: DocPath = (name,) if k is None else (name, k)
                texts += [(loc, name, string) for string in all_languages(text)]
        for k, stage in enumerate(self.step.reveal):
            loc = ("reveal", k, "alt")
            texts += [(loc, "alt", string) for string in all_languages(stage.alt)]
        # One look at everything first: almost every step gives nothing away.
        if not contains_answer("\n".join(t for _loc, _name, t in texts), self.step.answers):
            return
        spoiled: set[DocPath] = set()
        for loc, name, string in texts:
            found = contains_answer(string, self.step.answers)
            if found and loc not in spoiled:
                spoiled.add(loc)
                self.add(loc, leak_message(name) % {"found": found})
