"""The published campaigns, reloaded when their files change.

A CM edits the YAML of a live campaign in a text editor. The registry notices the change (it
stats the files at most once a second per process, so a busy site does not hammer the disk) and
publishes the new version only if it validates; otherwise the last good version stays online,
each problem is logged at WARNING and kept in `last_problems` for the staff area. Each file is
loaded on its own, so a typo in one file never takes another file's campaigns offline.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from campaigns.changes import removal_warning
from campaigns.model import Campaign
from campaigns.problems import Problem

log = logging.getLogger("balises.campaigns")

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class _FileState:
    signature: tuple[int, int] | None = None
    campaigns: list[Campaign] = field(default_factory=list)
    sources: dict[str, Path] = field(default_factory=dict)


def _default_loader(paths: Sequence[Path]) -> Any:
    from campaigns.loading import load_paths

    return load_paths(paths)


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


class Registry:
    """The campaigns of a YAML file or a folder of them, as last validated."""

    def __init__(
        self,
        path: Path,
        *,
        loader: Callable[[Sequence[Path]], Any] = _default_loader,
        clock: Callable[[], float] = time.monotonic,
        interval: float = 1.0,
    ) -> None:
        self.path = path
        self.last_problems: dict[Path, list[Problem]] = {}
        self._loader = loader
        self._clock = clock
        self._interval = interval
        self._files: dict[Path, _FileState] = {}
        self._by_slug: dict[str, Campaign] = {}
        self._sources: dict[str, Path] = {}
        self._checked = float("-inf")
        self._lock = threading.Lock()
        # issue 6: called with the published campaigns after each reload (retro-crediting)
        self.on_publish: list[Callable[[list[Campaign]], None]] = []
        self.refresh(force=True)

    def _paths(self) -> list[Path]:
        if self.path.is_dir():
            return sorted(
                p for p in self.path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file()
            )
        return [self.path]

    def refresh(self, *, force: bool = False) -> None:
        """Reload the files that changed since the last look (at most once per interval)."""
        now = self._clock()
        if not force and now - self._checked < self._interval:
            return
        with self._lock:
            if not force and now - self._checked < self._interval:
                return
            self._checked = now
            paths = self._paths()
            changed = False
            for path in paths:
                signature = _signature(path)
                state = self._files.get(path)
                if state is None or state.signature != signature:
                    self._load(path, signature, state)
                    changed = True
            for gone in set(self._files) - set(paths):
                log.warning("%s: campaign file removed; its campaigns are offline", gone)
                del self._files[gone]
                self.last_problems.pop(gone, None)
                changed = True
            if changed:
                self._publish()
        if changed:  # issue 6: outside the lock, so a listener may read the registry
            self.notify()

    def notify(self) -> None:
        """Run every `on_publish` listener; one that fails is logged, never breaks a reload."""
        campaigns = list(self._by_slug.values())
        for listener in list(self.on_publish):
            try:
                listener(campaigns)
            except Exception:
                log.exception("a listener of campaign reloads failed")

    def _load(
        self, path: Path, signature: tuple[int, int] | None, state: _FileState | None
    ) -> None:
        result = self._loader([path])
        problems: list[Problem] = list(result.problems)
        if problems:
            for problem in problems:
                log.warning("%s", problem)
            self.last_problems[path] = problems
        else:
            self.last_problems.pop(path, None)
        if problems and state is not None and state.campaigns:
            log.warning("%s: keeping the last valid version online", path)
            state.signature = signature
            return
        if state is not None and not problems:
            previous = {c.slug: c for c in state.campaigns}
            for campaign in result.campaigns:
                old = previous.get(campaign.slug)
                warning = removal_warning(old, campaign) if old is not None else None
                if warning:
                    log.warning("%s: %s", path, warning)
                    self.last_problems.setdefault(path, []).append(
                        Problem(str(path), 1, 1, warning)
                    )
        sources = {slug: Path(source) for slug, source in result.sources.items()}
        self._files[path] = _FileState(signature, list(result.campaigns), sources)
        if problems and result.campaigns:
            names = ", ".join(c.slug for c in result.campaigns)
            log.warning("%s: publishing only the campaigns that validate: %s", path, names)

    def _publish(self) -> None:
        by_slug: dict[str, Campaign] = {}
        sources: dict[str, Path] = {}
        for path, state in sorted(self._files.items()):
            for campaign in state.campaigns:
                if campaign.slug in by_slug:
                    log.warning(
                        "%s: campaign %r is already published from %s; ignored",
                        path,
                        campaign.slug,
                        sources[campaign.slug],
                    )
                    continue
                by_slug[campaign.slug] = campaign
                sources[campaign.slug] = state.sources.get(campaign.slug, path)
        self._by_slug = by_slug
        self._sources = sources

    def campaigns(self) -> list[Campaign]:
        self.refresh()
        return list(self._by_slug.values())

    def get(self, slug: str) -> Campaign | None:
        self.refresh()
        return self._by_slug.get(slug)

    def source(self, slug: str) -> Path | None:
        """The YAML file a campaign came from: its photos are named relative to its folder."""
        return self._sources.get(slug)
