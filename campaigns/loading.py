"""Loading campaign files: YAML text in, validated campaigns or every problem found out.

A file is all or nothing: a file with any problem contributes no campaign, so a broken edit
never half-applies and the last good version stays online. Every problem is reported at once,
sorted by line, as `file:line:col: where: what is wrong; how to fix it`, like a compiler.

Where a problem is (the part before the message) is written as the CM reads their file:
inside a campaign it starts at the campaign (`steps[3].reveal[0]`, `closes`,
`contributors[1].url`, `title.en`) since the line number already tells which campaign; the
campaign itself is `campaigns[1]`; above it the path starts at the document (`version`,
`campaigns`); a problem with the whole file has no path. Unknown keys are reported on their
parent (`steps[0] : la clé 'anwser' est inconnue ; vouliez-vous dire 'answers' ?`), at the
key's position;
missing keys on their parent mapping.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from campaigns import rules
from campaigns.advice import Advice, advice
from campaigns.model import Campaign, CampaignFile
from campaigns.photofiles import MediaCheck, PhotoCheck, PhotoFolder, sniff_photo
from campaigns.problems import Problem
from campaigns.schemaerrors import schema_problems
from campaigns.sitemodel import SITE_FILE
from campaigns.wording import _
from campaigns.yamlsource import MAX_BYTES, YamlSourceError, parse_yaml, too_large_message

__all__ = ["LoadResult", "MediaCheck", "PhotoCheck", "load_file", "load_paths", "load_text"]


@dataclass
class LoadResult:
    """The campaigns of the files with no problem, every problem found, and where each came from.

    `sources` maps a published campaign's slug to its file, so a reload knows which campaigns
    a changed file holds; `files` lists every file that was read, good or bad. `advice` is
    what the files may do but should not (`campaigns.advice`): printed, never refused.
    """

    campaigns: list[Campaign] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    advice: list[Advice] = field(default_factory=list)
    sources: dict[str, Path] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)


@dataclass
class _Outcome:
    """One file's checked campaigns (even when it has problems) and where their slugs are."""

    file: str
    campaigns: list[Campaign] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    advice: list[Advice] = field(default_factory=list)
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
    """One file; its photos are looked for in its folder."""
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
            found = sorted(
                p for p in {*given.glob("*.yaml"), *given.glob("*.yml")} if p.name != SITE_FILE
            )
            if not found:
                message = _("aucun fichier .yaml ou .yml dans ce dossier")
                problem = Problem(str(given), 1, 1, message)
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
    for outcome, _path in outcomes:
        for slug, (line, col) in outcome.slugs.items():
            if slug in defined:
                outcome.problems.append(
                    Problem(
                        outcome.file,
                        line,
                        col,
                        _(
                            "slug : la campagne '%(slug)s' est déjà définie dans %(where)s ; "
                            "donnez à chaque campagne son propre slug"
                        )
                        % {"slug": slug, "where": defined[slug]},
                    )
                )
            defined.setdefault(slug, f"{outcome.file}:{line}")
    return _combine(outcomes)


def _combine(outcomes: list[tuple[_Outcome, Path | None]]) -> LoadResult:
    result = LoadResult()
    for outcome, path in outcomes:
        result.problems += outcome.problems
        result.advice += outcome.advice
        if path is not None:
            result.files.append(path)
        if not outcome.problems:
            result.campaigns += outcome.campaigns
            if path is not None:
                result.sources.update({c.slug: path for c in outcome.campaigns})
    result.problems.sort()
    result.advice.sort()
    return result


def _check_file(path: Path, photo_check: PhotoCheck | None, media: MediaCheck | None) -> _Outcome:
    try:
        with path.open("rb") as handle:
            content = handle.read(MAX_BYTES + 1)
            size = path.stat().st_size
    except OSError as error:
        reason = error.strerror or str(error)
        message = _("impossible de lire le fichier : %(reason)s") % {"reason": reason}
        return _Outcome(str(path), problems=[Problem(str(path), 1, 1, message)])
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
        if data is None:
            message = _(
                "ce fichier est vide ; commencez-le par 'version: 1' et une liste 'campaigns:'"
            )
        else:
            message = _(
                "ce fichier n'est pas un ensemble de clés ; commencez-le par 'version: 1' et une "
                "liste 'campaigns:'"
            )
        outcome.problems.append(Problem(file, *marks.value(()), message))
        return outcome
    try:
        checked: list[tuple[int, Campaign]] = list(
            enumerate(CampaignFile.model_validate(data).campaigns)
        )
    except ValidationError as error:
        outcome.problems += schema_problems(error.errors(), marks, file)
        checked = _valid_campaigns(data, error.errors())
    photos = PhotoFolder(file, base_dir, photo_check or sniff_photo, media_exists)
    context = rules.Context(file, marks, photos)
    outcome.problems += rules.check_campaigns(checked, context)
    outcome.advice = advice(checked, context)
    outcome.campaigns = [campaign for _index, campaign in checked]
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
