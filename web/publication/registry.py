"""The published campaigns: a file is published once it has stopped changing, and validates.

A CM edits the YAML of a live campaign in a text editor, or uploads it with scp or FTP, which
write it in pieces over seconds; a piece cut inside a text block is still valid YAML. So the
registry looks at the files at most once a second per process (stat; the bytes are read and
hashed only when inode, size, mtime or ctime moved) and takes a file's new content only once the
same bytes have been seen for `QUIET_SECONDS`. A content that has problems is never published:
the last good version stays online (and is logged at WARNING, kept in `last_problems`, and in
every language the checks speak for the staff page, `problems_in`). Advice on a file
(`campaigns.advice`) is logged too and kept for the staff page (`advice_in`). A valid
version that removes campaigns or steps players have progress in is held until a CM confirms
it (`confirm`, from the staff area or `balises publish --confirm`).

What is online is decided once for the whole instance, in `web.publication.published.Store` (the
var dir):
every worker serves the version recorded there, so two workers never serve two versions, and a
restart serves it even while the file on disk is broken. Each file is its own entry, so a typo
in one file never takes another file's campaigns offline.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from campaigns import wording
from campaigns.advice import Advice
from campaigns.changes import Removal, removal_warning, removals
from campaigns.loading import LoadResult, load_text
from campaigns.model import Campaign
from campaigns.photofiles import MediaCheck
from campaigns.problems import Problem
from campaigns.sitemodel import SITE_FILE
from web.publication.filewatch import Seen, look_at
from web.publication.published import Held, State, Store, Version, digest_of
from web.publication.status import FileKind, FileStatus, PublicationStatus

log = logging.getLogger("balises.campaigns")

YAML_SUFFIXES = (".yaml", ".yml")


def campaign_files(path: Path) -> list[Path]:
    """The campaign files a campaigns path names: the YAML files of a folder, or the one file."""
    if path.is_dir():
        site = path / SITE_FILE  # the city's identity (`campaigns.sitefile`), not a campaign
        found = (p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())
        return sorted(p for p in found if p != site)
    return [path]


# An editor saves in milliseconds; scp and FTP write a ≤ 1 MB file in blocks, and a weak link
# stalls for TCP's retransmission timeouts (1 s, then 2 s): 5 s without a change outlasts two
# losses in a row, and is still a short wait for a CM who saved and reloads the page.
QUIET_SECONDS = 5.0

ProgressCounter = Callable[[Sequence[Removal]], dict[Removal, int]]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Registry:
    """The campaigns of a YAML file or a folder of them, as published for the instance."""

    def __init__(
        self,
        path: Path,
        *,
        store: Store | None = None,
        media_exists: MediaCheck | None = None,
        progress: ProgressCounter | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] = _utc_now,
        interval: float = 1.0,
        quiet: float = QUIET_SECONDS,
    ) -> None:
        self.path = path
        self.quiet = quiet
        self._store = store or Store(None)
        self._media_exists = media_exists
        self._progress = progress
        self._clock = clock
        self._wall_clock = wall_clock
        self._interval = interval
        self._root = str(path.resolve())
        self._seen: dict[str, Seen] = {}
        self._parsed: dict[tuple[str, str], LoadResult] = {}
        self._served: dict[str, str] | None = None
        self._by_slug: dict[str, Campaign] = {}
        self._sources: dict[str, Path] = {}
        self._warnings: dict[Path, list[Problem]] = {}
        # `_parsed` (when it has problems or advice) and `_warnings` in each of
        # `wording.LANGUAGES`.
        self._parsed_in: dict[tuple[str, str, str], LoadResult] = {}
        self._warnings_in: dict[str, dict[Path, list[Problem]]] = {}
        self._checked = float("-inf")
        self._lock = threading.Lock()
        # Called with the published campaigns after each reload (retro-crediting)
        self.on_publish: list[Callable[[list[Campaign]], None]] = []
        with self._lock:
            now = self._checked = self._clock()
            # Nothing kept yet (a first start): nothing else to serve, so no quiet period.
            self._look(now, skip_quiet=not self._online(self._store.read()))
            self._serve()
            for name, seen in sorted(self._seen.items()):
                if seen.sha is not None:
                    self._result(name, seen.sha)  # every problem is printed at start

    # --- what players get ---

    def campaigns(self) -> list[Campaign]:
        self.refresh()
        return list(self._by_slug.values())

    def get(self, slug: str) -> Campaign | None:
        self.refresh()
        return self._by_slug.get(slug)

    def source(self, slug: str) -> Path | None:
        """The YAML file a campaign came from: its photos are named relative to its folder."""
        return self._sources.get(slug)

    @property
    def last_problems(self) -> dict[Path, list[Problem]]:
        """The problems of each file on disk as last read, and what the last publication removed."""
        found: dict[Path, list[Problem]] = {}
        for name, seen in sorted(self._seen.items()):
            result = self._parsed.get((name, seen.sha or ""))
            if result is not None and result.problems:
                found[self._full(name)] = list(result.problems)
        for path, warnings in self._warnings.items():
            found.setdefault(path, []).extend(warnings)
        return found

    def problems_in(self, lang: str) -> dict[Path, list[Problem]]:
        """`last_problems` worded in `lang` (the staff page's language) if the checks speak it."""
        found = {path: list(said.problems) for path, said in self._read_in(lang) if said.problems}
        for path, warnings in self._warnings_in.get(lang, self._warnings).items():
            found.setdefault(path, []).extend(warnings)
        return found

    def advice_in(self, lang: str) -> dict[Path, list[Advice]]:
        """The advice on each file on disk as last read (`campaigns.advice`), worded in `lang`:
        what it may do but should not, whether or not it is online."""
        return {path: list(said.advice) for path, said in self._read_in(lang) if said.advice}

    def _read_in(self, lang: str) -> Iterator[tuple[Path, LoadResult]]:
        """What was said of each file on disk as last read, in `lang` if the checks speak it."""
        for name, seen in sorted(self._seen.items()):
            result = self._parsed.get((name, seen.sha or ""))
            if result is not None:
                yield self._full(name), self._parsed_in.get((name, seen.sha or "", lang), result)

    def refresh(self, *, force: bool = False) -> None:
        """Look at the files (at most once per interval); `force`: now, with no quiet period."""
        now = self._clock()
        if not force and now - self._checked < self._interval:
            return
        with self._lock:
            if not force and now - self._checked < self._interval:
                return
            self._checked = now
            self._look(now, skip_quiet=force)
            changed = self._serve()
        if changed:  # Outside the lock, so a listener may read the registry
            self.notify()

    def notify(self) -> None:
        """Run every `on_publish` listener; one that fails is logged, never breaks a reload."""
        campaigns = list(self._by_slug.values())
        for listener in list(self.on_publish):
            try:
                listener(campaigns)
            except Exception:
                log.exception("a listener of campaign reloads failed")

    # --- what the CM sees and confirms ---

    def status(self) -> PublicationStatus:
        """The truth about what is online and what waits, for the staff page and the CLI."""
        self.refresh()
        with self._lock:
            state = self._store.read()
            online = self._online(state)
            now = self._clock()
            files = []
            for name in sorted(set(self._seen) | set(online)):
                seen = self._seen.get(name, Seen.gone(now))
                files.append(self._file_status(name, seen, state, online, now))
            held = state.held if state.held is not None and state.held.files != online else None
            return PublicationStatus(
                version=Version(online, state.version.published_at if online else None),
                held=held,
                files=files,
                quiet=self.quiet,
            )

    def confirm(self, digest: str) -> bool:
        """Publish the held version named `digest` (False when no such version is held)."""
        with self._lock:
            with self._store.locked():
                state = self._store.read()
                if state.held is None or state.held.digest != digest:
                    return False
                self._store.write(replace(state, confirmed=digest))
            now = self._checked = self._clock()
            self._look(now, skip_quiet=False)
            changed = self._serve()
        if changed:
            self.notify()
        return True

    # --- looking and deciding (under self._lock) ---

    def _paths(self) -> list[Path]:
        return campaign_files(self.path)

    def _name(self, path: Path) -> str:
        return path.relative_to(self.path).as_posix() if path != self.path else path.name

    def _full(self, name: str) -> Path:
        return self.path / name if self.path.is_dir() or name != self.path.name else self.path

    def _online(self, state: State) -> dict[str, str]:
        return dict(state.version.files) if state.root == self._root else {}

    def _look(self, now: float, *, skip_quiet: bool) -> None:
        listed = {self._name(p): p for p in self._paths()}
        wall = self._wall_clock().timestamp()
        for name in set(self._seen) | set(listed):
            before = self._seen.get(name)
            seen = look_at(listed.get(name), before, now, wall)
            if before is None or seen.signature != before.signature:
                for key in [k for k in self._parsed if k[0] == name]:
                    del self._parsed[key]  # photos may have changed too: check it again
            self._seen[name] = seen
        state = self._store.read()
        if self._wants_decision(state, self._candidate(state, now, skip_quiet)):
            with self._store.locked():
                self._decide(self._store.read(), now, skip_quiet)

    def _quiet(self, name: str, seen: Seen, state: State, now: float, skip: bool) -> bool:
        held = state.held is not None and state.held.files.get(name) == seen.sha
        return skip or held or now - seen.since >= self.quiet  # a held content was quiet once

    def _candidate(self, state: State, now: float, skip_quiet: bool) -> dict[str, str]:
        """The next version: each quiet, valid file's content; the online one otherwise."""
        files = self._online(state)
        for name, seen in sorted(self._seen.items()):
            if seen.sha == files.get(name) or not self._quiet(name, seen, state, now, skip_quiet):
                continue
            if seen.sha is None:
                files.pop(name)
            elif not self._result(name, seen.sha).problems:
                files[name] = seen.sha
        return files

    def _wants_decision(self, state: State, files: dict[str, str]) -> bool:
        if files == self._online(state):
            return state.held is not None  # the file went back: nothing is held any more
        held = state.held
        return held is None or held.digest != digest_of(files) or state.confirmed == held.digest

    def _decide(self, state: State, now: float, skip_quiet: bool) -> None:
        files = self._candidate(state, now, skip_quiet)
        online = self._online(state)
        if files == online:
            if state.held is not None:
                self._store.write(replace(state, held=None, confirmed=None))
            return
        digest = digest_of(files)
        if state.held is not None and state.held.digest == digest and state.confirmed != digest:
            return
        gone = removals(self._campaigns_of(online), self._campaigns_of(files))
        counts = self._progress(gone) if gone and self._progress is not None else {}
        if any(counts.get(r, 0) for r in gone) and state.confirmed != digest:
            same = state.held is not None and state.held.digest == digest
            since = state.held.since if same and state.held else self._wall_clock()
            held = Held(files, since, [(r, counts.get(r, 0)) for r in gone])
            self._store.write(replace(state, root=self._root, held=held, confirmed=None))
            log.warning("new version %s held: it removes what players have progress in", digest)
            return
        for name, sha in files.items():
            seen = self._seen.get(name)
            if online.get(name) != sha and seen is not None and seen.content is not None:
                self._store.keep(seen.content)
        version = Version(files, self._wall_clock())
        self._store.write(State(root=self._root, version=version))
        self._store.prune(set(files.values()))
        log.info("published version %s", version.digest[:12])

    def _result(self, name: str, sha: str) -> LoadResult:
        """The checked content `sha` of file `name`: from disk if it still has it, else kept."""
        key = (name, sha)
        if key not in self._parsed:
            path = self._full(name)
            seen = self._seen.get(name)
            content = seen.content if seen is not None and seen.sha == sha else None
            if content is None:
                content = self._store.content(sha)
            if content is None:
                missing = f"the published copy {sha[:12]} is missing from the instance"
                result = LoadResult(problems=[Problem(str(path), 1, 1, missing)])
            else:
                result = load_text(content, str(path), path.parent, media_exists=self._media_exists)
                result.sources = {c.slug: path for c in result.campaigns}
                for lang in wording.LANGUAGES if result.problems or result.advice else ():
                    with wording.speaking(lang):
                        worded = load_text(
                            content, str(path), path.parent, media_exists=self._media_exists
                        )
                    # What is said only: the campaigns are those of `result`.
                    self._parsed_in[(name, sha, lang)] = LoadResult(
                        problems=worded.problems, advice=worded.advice
                    )
            for line in [*result.problems, *result.advice]:  # advice refuses nothing
                log.warning("%s", line)
            from_disk = seen is not None and seen.sha == sha
            if result.problems and from_disk and name in self._online(self._store.read()):
                log.warning("%s: keeping the last valid version online", path)
            self._parsed[key] = result
        return self._parsed[key]

    def _campaigns_of(self, files: dict[str, str]) -> list[Campaign]:
        found: dict[str, Campaign] = {}
        for name, sha in sorted(files.items()):
            for campaign in self._result(name, sha).campaigns:
                found.setdefault(campaign.slug, campaign)
        return list(found.values())

    def _file_status(
        self, name: str, seen: Seen, state: State, online: dict[str, str], now: float
    ) -> FileStatus:
        path = self._full(name)
        result = self._parsed.get((name, seen.sha or ""))
        problems = list(result.problems) if result is not None else []
        kind: FileKind
        if seen.sha == online.get(name):
            kind = "online"
        elif not self._quiet(name, seen, state, now, False):
            kind = "waiting"
        elif problems:
            kind = "broken"
        elif state.held is not None and state.held.files.get(name) == seen.sha:
            kind = "held"
        else:
            kind = "waiting"
        if kind == "online" and problems:
            kind = "broken"  # the kept version no longer loads (a photo gone)
        advice = list(result.advice) if result is not None else []
        return FileStatus(name, path, online.get(name), seen.sha, kind, problems, advice)

    def _serve(self) -> bool:
        """Serve the version the store names; True when it is not the one served until now."""
        state = self._store.read()
        online = self._online(state)
        if online == self._served:
            return False
        previous = dict(self._by_slug)
        by_slug: dict[str, Campaign] = {}
        sources: dict[str, Path] = {}
        warnings: dict[Path, list[Problem]] = {}
        warnings_in: dict[str, dict[Path, list[Problem]]] = {}
        for name, sha in sorted(online.items()):
            path = self._full(name)
            result = self._result(name, sha)
            if result.problems:
                log.warning("%s: the published version no longer loads; offline", path)
            for campaign in result.campaigns:
                if campaign.slug in by_slug:
                    log.warning(
                        "%s: campaign %r is already published from %s; ignored",
                        path,
                        campaign.slug,
                        sources[campaign.slug],
                    )
                    continue
                by_slug[campaign.slug] = campaign
                sources[campaign.slug] = path
                old = previous.get(campaign.slug)
                warning = removal_warning(old, campaign) if old is not None else None
                if warning:
                    log.warning("%s: %s", path, warning)
                    warnings.setdefault(path, []).append(Problem(str(path), 1, 1, warning))
                    for lang in wording.LANGUAGES:
                        with wording.speaking(lang):
                            worded = removal_warning(old, campaign) if old else None
                        here = warnings_in.setdefault(lang, {}).setdefault(path, [])
                        here.append(Problem(str(path), 1, 1, worded or warning))
        self._warnings, self._warnings_in = warnings, warnings_in
        self._by_slug, self._sources, self._served = by_slug, sources, online
        return True
