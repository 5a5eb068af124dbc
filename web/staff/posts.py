"""The ready-to-paste posts of the publication kit: one per channel for the campaign and for
each step, within each channel's length limit, never giving an answer away.

The CM announces each riddle on Facebook, Instagram, X, Mastodon and the newsletter
("questionner en multicanal"); by hand, a post runs over X's 280 characters, forgets the
hashtags, or quotes an intro that names another step's answer. Here each post is the title,
the opening date, as much of the text as fits, the link carrying the channel's `?via=` (so the
figures then show what each channel brought: `web.play.channels`) and the hashtags; a post in
which any accepted answer of the campaign appears (the validator's own check,
`campaigns.matching.contains_answer`) loses its text, then its title, until none does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from campaigns.matching import contains_answer
from campaigns.model import Campaign, Step, all_languages, localise
from web.i18n import format_when
from web.play.sharing import plain_text


@dataclass(frozen=True)
class Channel:
    slug: str  # the `?via=` value, and the kit's file name
    name: str
    limit: int  # characters a post may have


CHANNELS = (
    Channel("facebook", "Facebook", 63206),
    Channel("instagram", "Instagram", 2200),
    Channel("twitter", "X", 280),
    Channel("mastodon", "Mastodon", 500),
    Channel("newsletter", "Newsletter", 4000),
)


@dataclass(frozen=True)
class Post:
    channel: Channel
    text: str

    @property
    def length(self) -> int:
        return len(self.text)


def answers_of(campaign: Campaign) -> list[str]:
    """Every answer any step of the campaign accepts (typed answers and the right choices)."""
    found = [answer for step in campaign.steps for answer in step.answers]
    found += [text for step in campaign.steps for text in all_languages(step.correct)]
    return [answer for answer in found if answer.strip()]


def _fit(head: str, body: str, tail: str, limit: int) -> str:
    """`head`, as much of `body` as fits, then `tail`, within `limit` characters."""
    if len(head) + len(tail) + 2 > limit:  # a long title on X: cut the title, keep the link
        head = head[: max(0, limit - len(tail) - 3)].rstrip() + "…"
    room = limit - len(head) - len(tail) - 4
    parts = [head]
    if body and room > 20:
        parts.append(plain_text(body, room) if len(body) > room else body)
    parts.append(tail)
    return "\n\n".join(part for part in parts if part)


def compose(
    channel: Channel, title: str, when: str, body: str, url: str, hashtags: list[str]
) -> str:
    """One post: the title and date, the text that fits, the link and the hashtags."""
    tags = " ".join(f"#{tag.lstrip('#')}" for tag in hashtags if tag.lstrip("#"))
    head = f"{title} — {when}" if when else title
    tail = f"{url}?via={channel.slug}" + (f"\n{tags}" if tags else "")
    if len(head) + len(tail) + 2 > channel.limit:  # X with long hashtags: keep the link
        tail = f"{url}?via={channel.slug}"
    return _fit(head, body, tail, channel.limit)


def safe(channel: Channel, campaign: Campaign, parts: tuple[str, str, str, str]) -> str:
    """The first of the full post, the post without its text, the post without its title,
    that gives no answer away."""
    title, when, body, url = parts
    answers = answers_of(campaign)
    for candidate in ((title, body), (title, ""), ("", "")):
        text = compose(channel, candidate[0], when, candidate[1], url, campaign.hashtags)
        if not contains_answer(text, answers):
            return text
    return compose(channel, "", "", "", url, [])


def opening(campaign: Campaign, when: datetime | None, lang: str) -> str:
    return format_when(when, campaign.tz, lang) if when is not None else ""


def campaign_posts(campaign: Campaign, base_url: str, lang: str) -> list[Post]:
    title = localise(campaign.title, lang)
    intro = plain_text(localise(campaign.intro, lang), 4000)
    when = opening(campaign, campaign.opens_at, lang)
    url = f"{base_url}/c/{campaign.slug}"
    return [Post(c, safe(c, campaign, (title, when, intro, url))) for c in CHANNELS]


def step_posts(campaign: Campaign, step: Step, base_url: str, lang: str) -> list[Post]:
    title = localise(step.title, lang)
    text = plain_text(localise(step.text or step.prompt, lang), 4000)
    opens = campaign.localise_time(step.opens) or campaign.opens_at
    when = opening(campaign, opens, lang)
    url = f"{base_url}/c/{campaign.slug}/{step.id}"
    return [Post(c, safe(c, campaign, (title, when, text, url))) for c in CHANNELS]
