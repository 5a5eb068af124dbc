"""Pydantic's validation errors reworded as sentences a community manager can act on.

Pydantic writes for programmers (`Input should be a valid string`, one error per branch of a
union); a CM needs one sentence per mistake, at the line they typed it, that says how to fix
it: `steps[0]: unknown key 'anwser'; did you mean 'answers'?`. Keys that belong to prize
contests get their own explanation, since the engine thanks people instead of rewarding them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from campaigns.model import (
    Campaign,
    CampaignFile,
    Contributor,
    Finale,
    Order,
    Step,
    StepType,
    Tolerance,
)
from campaigns.photofiles import CROP_BOX
from campaigns.problems import Problem
from campaigns.rules import label
from campaigns.suggestions import did_you_mean, slug_like
from campaigns.yamlsource import DocPath, Marks

PRIZE_KEYS = frozenset(
    {"prize", "prizes", "lottery", "draw", "winner", "winners", "ranking", "rankings"}
    | {"leaderboard", "countdown", "score", "scores", "points", "timer", "reward", "rewards"}
)
PRIZE_MESSAGE = (
    "Balises thanks people instead of rewarding them: no prizes, draws, rankings or race "
    "against the clock; credit the people who helped in 'contributors' and 'credit', "
    "and thank everyone in 'finale'"
)
# The branch names pydantic puts in an error's location for a `Text` or a `RevealStage`.
UNION_TAGS = frozenset({"str", "dict[str,str]", "tuple[float, float, float, float]"})
UNION_TAGS |= {"literal['full']"}
TEXT_EXAMPLE = "a text, or one text per language (fr: ..., en: ...)"
ENUMS: dict[str, list[str]] = {
    "type": [t.value for t in StepType],
    "tolerance": [t.value for t in Tolerance],
    "order": [o.value for o in Order],
}


def schema_problems(errors: list[Any], marks: Marks, file: str) -> list[Problem]:
    """Every pydantic error as one CM sentence; a union's alternatives become one message."""
    problems: list[Problem] = []
    done: set[DocPath] = set()
    for error in errors:
        loc: DocPath = tuple(error["loc"])
        if "reveal" in loc[:-1] and isinstance(loc[loc.index("reveal") + 1], int):
            site = loc[: loc.index("reveal") + 2]
            if site not in done:
                done.add(site)
                problems.append(
                    _problem(file, marks, site, f"{CROP_BOX}, like [0.4, 0.1, 0.6, 0.3], or full")
                )
            continue
        cut = next((k for k, part in enumerate(loc) if part in UNION_TAGS), None)
        if cut is not None:
            site = loc[:cut]
            siblings = [
                tuple(e["loc"])
                for e in errors
                if tuple(e["loc"][:cut]) == site
                and len(e["loc"]) > cut
                and e["loc"][cut] in UNION_TAGS
            ]
            if not any(len(other) > cut + 1 for other in siblings):
                if site not in done:
                    done.add(site)
                    problems.append(_problem(file, marks, site, _text_message(error["input"])))
                continue
            if len(loc) == cut + 1:
                continue
            loc = site + loc[cut + 1 :]
        problems.append(_one(error["type"], loc, error, marks, file))
    return problems


def _one(kind: str, loc: DocPath, error: Any, marks: Marks, file: str) -> Problem:
    value = error["input"]
    name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    if kind == "extra_forbidden":
        key = str(loc[-1])
        if key.casefold() in PRIZE_KEYS:
            message = f"the key '{key}' is not allowed: {PRIZE_MESSAGE}"
        else:
            model = _model_at(loc[:-1])
            known = list(model.model_fields) if model else []
            hint = did_you_mean(key, known) or "; remove it or fix its spelling"
            message = f"unknown key '{key}'{hint}"
        return _problem(file, marks, loc[:-1], message, at=marks.key(loc))
    if kind == "missing":
        return _problem(file, marks, loc[:-1], _missing(str(loc[-1])))
    while loc and loc not in marks.values:
        loc = loc[:-1]
    if kind == "string_pattern_mismatch":
        what = "slug" if name == "slug" else "id"
        example = slug_like(str(value)) or "tour-saint-aubin"
        message = (
            f"'{value}' is not a valid {what}: use only lowercase letters, digits and hyphens "
            f"[a-z0-9-], not at the start or end; for example '{example}'"
        )
    elif kind == "string_too_long":
        longest = (error.get("ctx") or {}).get("max_length", 64)
        message = f"this is longer than {longest} characters; shorten it"
    elif kind == "enum" and name in ENUMS:
        options = ENUMS[name]
        message = f"'{value}' is not a valid {name}{did_you_mean(str(value), options)}"
        message += f" (use {', '.join(options[:-1])} or {options[-1]})"
    elif kind == "literal_error":
        message = f"'{value}' is not allowed here; use {error['ctx']['expected']}"
    elif kind.startswith("datetime"):
        message = (
            f"'{value}' is not a date and time; write it like 2026-09-19T09:00 "
            "(local time in the campaign's timezone)"
        )
    elif name == "version":
        message = "the only version is 1; write 'version: 1'"
    elif kind == "too_short":
        thing = "step" if name == "steps" else "campaign" if name == "campaigns" else "item"
        message = f"add at least one {thing}"
    else:
        message = _shape_message(kind, value, str(error["msg"]))
    return _problem(file, marks, loc, message)


def _missing(key: str) -> str:
    if key == "version":
        return "'version' is missing; add 'version: 1' at the top of the file"
    if key == "type":
        return f"'type' is missing; add one of {', '.join(ENUMS['type'])}"
    return f"'{key}' is missing; add it"


def _kind(value: object) -> str:
    return (
        "a list"
        if isinstance(value, list)
        else "a mapping"
        if isinstance(value, dict)
        else "a text"
    )


def _text_message(value: object) -> str:
    if value is None:
        return f"this text is empty; write {TEXT_EXAMPLE}"
    return f"expected {TEXT_EXAMPLE}, not {_kind(value)}"


def _shape_message(kind: str, value: object, fallback: str) -> str:
    """A value of the wrong shape: a list where a text was expected, an empty key, …"""
    if kind == "string_type":
        return (
            "this text is empty; write it"
            if value is None
            else f"expected a text, not {_kind(value)}"
        )
    if kind == "list_type":
        if value is None:
            return "this list is empty; write items like [a, b] or remove the key"
        return f"expected a list like [a, b], not {_kind(value)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        if value is None:
            return "this is empty; write its keys below it, indented, or remove it"
        return f"expected a mapping of 'key: value' lines, not {_kind(value)}"
    return fallback


def _model_at(path: DocPath) -> type[BaseModel] | None:
    """The model whose keys are allowed at `path`, to suggest the key a typo meant."""
    if not path:
        return CampaignFile
    if path[-1] == "finale":
        return Finale
    if len(path) >= 2 and isinstance(path[-1], int):
        models: dict[object, type[BaseModel]] = {
            "campaigns": Campaign,
            "steps": Step,
            "contributors": Contributor,
        }
        return models.get(path[-2])
    return None


def _problem(
    file: str, marks: Marks, loc: DocPath, message: str, at: tuple[int, int] | None = None
) -> Problem:
    where = label(loc)
    line, col = at or marks.value(loc)
    return Problem(file, line, col, f"{where}: {message}" if where else message)
