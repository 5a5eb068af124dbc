"""Loading campaign files: YAML text in, validated campaigns or every problem found out.

A file is all or nothing: a file with any problem contributes no campaign, so a broken edit
never half-applies and the last good version stays online. Every problem is reported at once,
sorted by line, as `file:line:col: where: what is wrong; how to fix it`, like a compiler.

Where a problem is (the part before the message) is written as the CM reads their file:
inside a campaign it starts at the campaign (`steps[3].reveal[0]`, `closes`,
`contributors[1].url`, `title.en`) since the line number already tells which campaign; the
campaign itself is `campaigns[1]`; above it the path starts at the document (`version`,
`campaigns`); a problem with the whole file has no path. Unknown keys are reported on their
parent (`steps[0]: unknown key 'anwser'; did you mean 'answers'?`), at the key's position;
missing keys on their parent mapping.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from campaigns import rules
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
from campaigns.problems import Problem
from campaigns.rules import MediaCheck, PhotoCheck, label
from campaigns.suggestions import did_you_mean, slug_like
from campaigns.yamlsource import (
    MAX_BYTES,
    DocPath,
    Marks,
    YamlSourceError,
    parse_yaml,
    too_large_message,
)

__all__ = ["LoadResult", "MediaCheck", "PhotoCheck", "load_file", "load_paths", "load_text"]

PRIZE_KEYS = frozenset(
    {"prize", "prizes", "lottery", "draw", "winner", "winners", "ranking", "rankings"}
    | {"leaderboard", "countdown", "score", "scores", "points", "timer", "reward", "rewards"}
)
PRIZE_MESSAGE = (
    "Balises thanks people instead of rewarding them: no prizes, draws, rankings or race "
    "against the clock; credit the people who helped in 'contributors' and 'credit', "
    "and thank everyone in 'finale'"
)
UNION_TAGS = frozenset({"str", "dict[str,str]", "tuple[float, float, float, float]"})
UNION_TAGS |= {"literal['full']"}
TEXT_EXAMPLE = "a text, or one text per language (fr: ..., en: ...)"
CROP_BOX = "crop box must be 4 numbers between 0 and 1"
ENUMS: dict[str, list[str]] = {
    "type": [t.value for t in StepType],
    "tolerance": [t.value for t in Tolerance],
    "order": [o.value for o in Order],
}


@dataclass
class LoadResult:
    campaigns: list[Campaign] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sources: dict[str, Path] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)


@dataclass
class _Outcome:
    """One file's checked campaigns (even when it has problems) and where their slugs are."""

    file: str
    campaigns: list[Campaign] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    slugs: dict[str, tuple[int, int]] = field(default_factory=dict)


def load_text(
    text: str | bytes,
    path: str = "<string>",
    base_dir: Path | None = None,
    *,
    photo_check: PhotoCheck | None = None,
    media_exists: MediaCheck | None = None,
) -> LoadResult:
    """Check a file's content; photo files are only checked when `base_dir` is given."""
    outcome = _check(text, path, base_dir, photo_check, media_exists)
    return _combine([(outcome, None)])


def load_file(
    path: Path, *, photo_check: PhotoCheck | None = None, media_exists: MediaCheck | None = None
) -> LoadResult:
    return _combine([(_check_file(path, photo_check, media_exists), path)])


def load_paths(
    paths: Sequence[Path],
    *,
    photo_check: PhotoCheck | None = None,
    media_exists: MediaCheck | None = None,
) -> LoadResult:
    """Files, or folders of `*.yaml`/`*.yml` files; a slug defined twice is a problem."""
    outcomes: list[tuple[_Outcome, Path | None]] = []
    files: list[Path] = []
    for given in paths:
        if given.is_dir():
            found = sorted({*given.glob("*.yaml"), *given.glob("*.yml")})
            if not found:
                problem = Problem(str(given), 1, 1, "no .yaml or .yml file in this folder")
                outcomes.append((_Outcome(str(given), problems=[problem]), None))
            files += found
        else:
            files.append(given)
    seen: set[Path] = set()
    for file in files:
        if file.resolve() not in seen:  # a file named twice is still loaded once
            seen.add(file.resolve())
            outcomes.append((_check_file(file, photo_check, media_exists), file))
    defined: dict[str, str] = {}
    for outcome, _ in outcomes:
        for slug, (line, col) in outcome.slugs.items():
            if slug in defined:
                outcome.problems.append(
                    Problem(
                        outcome.file,
                        line,
                        col,
                        f"slug: the campaign '{slug}' is already defined in {defined[slug]}; "
                        "give each campaign its own slug",
                    )
                )
            defined.setdefault(slug, f"{outcome.file}:{line}")
    return _combine(outcomes)


def _combine(outcomes: list[tuple[_Outcome, Path | None]]) -> LoadResult:
    result = LoadResult()
    for outcome, path in outcomes:
        result.problems += outcome.problems
        if path is not None:
            result.files.append(path)
        if not outcome.problems:
            result.campaigns += outcome.campaigns
            if path is not None:
                result.sources.update({c.slug: path for c in outcome.campaigns})
    result.problems.sort()
    return result


def _check_file(path: Path, photo_check: PhotoCheck | None, media: MediaCheck | None) -> _Outcome:
    try:
        with path.open("rb") as handle:
            content = handle.read(MAX_BYTES + 1)
            size = path.stat().st_size
    except OSError as error:
        reason = error.strerror or str(error)
        return _Outcome(str(path), problems=[Problem(str(path), 1, 1, f"cannot read: {reason}")])
    if len(content) > MAX_BYTES:
        problem = Problem(str(path), 1, 1, too_large_message(size))
        return _Outcome(str(path), problems=[problem])
    return _check(content, str(path), path.parent, photo_check, media)


def _check(
    text: str | bytes,
    file: str,
    base_dir: Path | None,
    photo_check: PhotoCheck | None,
    media_exists: MediaCheck | None,
) -> _Outcome:
    outcome = _Outcome(file)
    try:
        document = parse_yaml(text)
    except YamlSourceError as error:
        outcome.problems.append(Problem(file, error.line, error.col, error.message))
        return outcome
    data, marks = document.data, document.marks
    if not isinstance(data, dict):
        what = "empty" if data is None else "not a mapping of keys"
        message = f"this file is {what}; start it with 'version: 1' and a 'campaigns:' list"
        outcome.problems.append(Problem(file, *marks.value(()), message))
        return outcome
    try:
        checked: list[tuple[int, Campaign]] = list(
            enumerate(CampaignFile.model_validate(data).campaigns)
        )
    except ValidationError as error:
        outcome.problems += _translate(error.errors(), marks, file)
        checked = _valid_campaigns(data, error.errors())
    context = rules.Context(file, marks, base_dir, photo_check or rules.sniff_photo, media_exists)
    outcome.problems += rules.check_campaigns(checked, context)
    outcome.campaigns = [campaign for _, campaign in checked]
    outcome.slugs = {c.slug: marks.value(("campaigns", i, "slug")) for i, c in checked}
    return outcome


def _valid_campaigns(data: dict[str, Any], errors: list[Any]) -> list[tuple[int, Campaign]]:
    """The campaigns that passed the model, so their cross checks are reported too."""
    raw = data.get("campaigns")
    if not isinstance(raw, list):
        return []
    failed = {e["loc"][1] for e in errors if e["loc"][:1] == ("campaigns",) and len(e["loc"]) > 1}
    return [
        (i, Campaign.model_validate(item))
        for i, item in enumerate(raw)
        if i not in failed and isinstance(item, dict)
    ]


def _translate(errors: list[Any], marks: Marks, file: str) -> list[Problem]:
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
        message = "this is longer than 64 characters; shorten it"
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
