"""The validated shape of a campaign file.

These pydantic models are the single description of the YAML format: the loader feeds them the
plain strings it read (every scalar stays text until a field asks for a number or a date), so a
CM's `1912` or `no` is never silently turned into an integer or a boolean. Cross-references
(contributor ids, `requires`, photos) are checked afterwards in `rules.py`, where every problem
can point at its line.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from campaigns.steptypes import KINDS, StepKind, StepType

SLUG_PATTERN = r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=64)]
# A `?via=` channel the campaign's start page counts besides the built-in ones (web.play.channels).
Channel = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=32)]

# A human text: one string for every language, or one string per language code.
Text = str | dict[str, str]

Accepted = Literal["photo", "text"]
# How a checkpoint is opened on site: its QR code scanned, or the phone's position (`where`).
Arrival = Literal["qr", "gps"]
ALL_ACCEPTED: tuple[Accepted, ...] = ("photo", "text")

CropBox = tuple[float, float, float, float]
StageBox = CropBox | Literal["full"]


class Strict(BaseModel):
    """Unknown keys are errors: a typo must never be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Tolerance(StrEnum):
    strict = "strict"
    normal = "normal"
    lenient = "lenient"


class Order(StrEnum):
    sequential = "sequential"
    free = "free"


class AfterHints(StrEnum):
    """What a player stuck after the last hint may do (SPEC "Access"): move on to the next step
    (`skip`, the default), or also see the answer and the story (`answer`)."""

    skip = "skip"
    answer = "answer"


class RevealStage(Strict):
    """One stage of a riddle's progressive photo: its crop box (or `full`) and, optionally, its
    own alternative text (SPEC "Access"): what a blind player hears of this crop, no more, so
    they learn as much as a sighted player at each hint. Written `[l, t, r, b]` or `full` alone,
    or `{box: [l, t, r, b], alt: "…"}`; a stage without `alt` uses the step's."""

    box: StageBox
    alt: Text | None = None


class Contributor(Strict):
    id: Slug
    name: Text
    role: Text | None = None
    url: str | None = None


class Finale(Strict):
    title: Text
    text: Text | None = None  # Markdown
    # The film that is the gift: a file beside the YAML (with `captions`) or a web address, shown
    # as a link; and a recording, with its `transcript` (`campaigns.storymedia`).
    video: str | None = None
    captions: str | None = None  # a WebVTT file beside the YAML
    audio: str | None = None  # a file beside the YAML: MP3, Opus or M4A
    transcript: Text | None = None  # Markdown: what the recording says, for who cannot hear it


class Place(Strict):
    """Where a step happens: WGS84 degrees, and how near counts as arrived (metres).

    Ranges are checked in `campaigns.places`, where each mistake gets its own sentence; here
    a value only has to be a finite number (`nan` or `inf` typed by mistake is refused)."""

    lat: Annotated[float, Field(allow_inf_nan=False)]
    lon: Annotated[float, Field(allow_inf_nan=False)]
    radius: Annotated[float, Field(allow_inf_nan=False)] = 30.0


class Step(Strict):
    id: Slug
    type: StepType
    title: Text
    text: Text | None = None  # Markdown: what the step says before it is solved
    photo: str | None = None  # a file beside the YAML, or media:<id>
    alt: Text | None = None
    reveal: list[RevealStage] = Field(default_factory=list)
    credit: list[str] = Field(default_factory=list)
    answers: list[str] = Field(default_factory=list)
    choices: list[Text] = Field(default_factory=list)
    correct: Text | None = None
    tolerance: Tolerance = Tolerance.normal
    hints: list[Text] = Field(default_factory=list)
    story: Text | None = None  # Markdown: the reward, shown once solved
    # The story heard or watched, shown with it (`campaigns.storymedia`): as on the finale.
    audio: str | None = None
    transcript: Text | None = None
    video: str | None = None
    captions: str | None = None
    requires: list[str] = Field(default_factory=list)
    opens: datetime | None = None  # local time in the campaign's time zone
    closes: datetime | None = None
    prompt: Text | None = None  # Markdown, contribution and identify steps
    accept: list[Accepted] = Field(default_factory=lambda: list(ALL_ACCEPTED))
    # identify steps: how many distinct residents (players and addresses) proposing the same
    # thing make a consensus shown to staff (who still decide)
    agreement: int | None = None
    where: Place | None = None
    arrive: list[Arrival] | None = None  # checkpoints only; `arrivals` gives the default
    after_hints: AfterHints | None = None  # None: the campaign's

    @field_validator("credit", "requires", "answers", "hints", "accept", "arrive", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        """`credit: archives` is as good as `credit: [archives]`."""
        return [value] if isinstance(value, str | dict) else value

    @field_validator("reveal", mode="before")
    @classmethod
    def _stages(cls, value: object) -> object:
        """A bare crop box or `full` is a stage without an alt of its own."""
        if not isinstance(value, list):
            return value
        return [item if isinstance(item, dict) else {"box": item} for item in value]

    def stage_alt(self, index: int | None) -> Text | None:
        """The alternative text of reveal stage `index` (None: the whole photo, once solved):
        the stage's own, else the step's."""
        if index is None:
            whole = [s.alt for s in self.reveal if s.box == "full" and s.alt is not None]
            return whole[-1] if whole else self.alt
        if 0 <= index < len(self.reveal) and self.reveal[index].alt is not None:
            return self.reveal[index].alt
        return self.alt

    @property
    def kind(self) -> StepKind:
        """What this type of step is (`campaigns.steptypes`)."""
        return KINDS[self.type]

    @property
    def answerable(self) -> bool:
        """Steps solved by typing or choosing an answer."""
        return KINDS[self.type].answerable

    @property
    def arrivals(self) -> tuple[Arrival, ...]:
        """How this checkpoint opens on site: by QR code unless the file says otherwise."""
        if not self.kind.scanned:
            return ()
        return tuple(self.arrive) if self.arrive is not None else ("qr",)

    @property
    def by_qr(self) -> bool:
        return "qr" in self.arrivals

    @property
    def by_gps(self) -> bool:
        return "gps" in self.arrivals and self.where is not None


class Campaign(Strict):
    slug: Slug
    title: Text
    intro: Text | None = None  # Markdown
    opens: datetime | None = None
    closes: datetime | None = None
    timezone: str = "Europe/Paris"
    order: Order = Order.sequential
    after_hints: AfterHints = AfterHints.skip
    hashtags: list[str] = Field(default_factory=list)
    channels: list[Channel] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=lambda: ["fr"])
    contributors: list[Contributor] = Field(default_factory=list)
    steps: list[Step] = Field(min_length=1)
    finale: Finale | None = None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def after_hints_of(self, step: Step) -> AfterHints:
        """What the step allows after its last hint: its own `after_hints`, else the campaign's."""
        return step.after_hints or self.after_hints

    def contributor(self, contributor_id: str) -> Contributor | None:
        return next((c for c in self.contributors if c.id == contributor_id), None)

    def localise_time(self, value: datetime | None) -> datetime | None:
        """A naive YAML time read as wall-clock time in the campaign's zone."""
        if value is None:
            return None
        return value.replace(tzinfo=self.tz) if value.tzinfo is None else value

    @property
    def opens_at(self) -> datetime | None:
        return self.localise_time(self.opens)

    @property
    def closes_at(self) -> datetime | None:
        return self.localise_time(self.closes)


class CampaignFile(Strict):
    version: Annotated[int, Field(ge=1, le=1)]
    campaigns: list[Campaign] = Field(min_length=1)


def localise(text: Text | None, lang: str, fallback: str = "fr") -> str:
    """The text in `lang`, else in the fallback language, else in any language it has."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    if lang in text:
        return text[lang]
    if fallback in text:
        return text[fallback]
    return next(iter(text.values()), "")


def shown_language(text: Text | None, lang: str, languages: list[str], fallback: str = "fr") -> str:
    """The language `localise(text, lang, fallback)` shows, for a `lang` attribute.

    A plain string is written for every language the campaign lists (a name often needs no
    translation), so it speaks `lang` when the campaign offers it, else the campaign's first
    language: a French-only campaign listed on an English page is French there.
    """
    if text is None or isinstance(text, str):
        return lang if lang in languages or not languages else languages[0]
    if lang in text:
        return lang
    if fallback in text:
        return fallback
    return next(iter(text), lang)


def all_languages(text: Text | None) -> list[str]:
    """Every string of a text, whatever its language (used to look for leaked answers)."""
    if text is None:
        return []
    return [text] if isinstance(text, str) else list(text.values())
