"""`site.yaml` re-read by a running site: a CM edits the city's name, colour or texts and the
pages show them without a restart.

The file is looked at as the campaign files are (`web.publication.filewatch`): at most once a
second per process, its bytes read only when its inode, size or times moved, and taken only once
the same bytes have been there for the campaigns' quiet period, since an editor or scp may write
it in pieces. The logo file it names is watched with it, so a replaced logo (or a refused one,
fixed) is seen too. A version with problems is never shown: the pages keep the last valid one
(or Balises' own, when none was ever read), each problem is logged as `balises check` prints it,
and the staff home lists them. Each worker watches for itself; they agree once the file is quiet.
Nothing is kept across a restart: a site started on a broken file is Balises until it is fixed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from campaigns.sitefile import SiteCheck, check_site_text
from web.assets import Assets
from web.identity import Brand, brand_of, log_problems
from web.publication.filewatch import Seen, look_at
from web.publication.registry import QUIET_SECONDS

log = logging.getLogger("balises.web")

Key = tuple[str | None, str | None]  # the hashes of site.yaml and of the logo it names
NO_LOGO = Seen(None, None, None, float("-inf"))  # a file that names none has been quiet always


class SiteWatch:
    """The city's identity as the pages show it now, re-read when `site.yaml` changes."""

    def __init__(
        self,
        path: Path,
        assets: Assets,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        interval: float = 1.0,
        quiet: float = QUIET_SECONDS,
    ) -> None:
        self.path = path
        self._assets = assets
        self._clock = clock
        self._wall_clock = wall_clock
        self._interval = interval
        self._quiet = quiet
        self._lock = threading.Lock()
        now = self._checked = clock()
        self._file = look_at(path, None, now, wall_clock())
        check = self._check(self._file)
        self._logo = self._look_at_logo(check.logo, None, now, wall_clock())
        self._key: Key = (self._file.sha, self._logo.sha)
        log_problems(check)
        if check.problems:
            log.warning("%s: the site runs without its identity until it is fixed", path)
        self._brand = brand_of(check, assets)

    def current(self) -> Brand:
        """The brand to show now (the files looked at, at most once per interval)."""
        self.refresh()
        return self._brand

    def refresh(self) -> None:
        now = self._clock()
        if now - self._checked < self._interval:
            return
        with self._lock:
            if now - self._checked < self._interval:
                return
            self._checked = now
            wall = self._wall_clock()
            self._file = look_at(self.path, self._file, now, wall)
            self._logo = self._look_at_logo(self._brand.check.logo, self._logo, now, wall)
            key = (self._file.sha, self._logo.sha)
            if key == self._key or now - max(self._file.since, self._logo.since) < self._quiet:
                return
            self._key = key
            self._take(self._check(self._file))

    @staticmethod
    def _look_at_logo(path: Path | None, before: Seen | None, now: float, wall: float) -> Seen:
        if path is None:
            return NO_LOGO
        return look_at(path, before if before is not NO_LOGO else None, now, wall)

    def _check(self, seen: Seen) -> SiteCheck:
        if seen.content is None:
            return SiteCheck(self.path, present=False)
        return check_site_text(seen.content, self.path)

    def _take(self, check: SiteCheck) -> None:
        log_problems(check)
        if not check.problems:
            self._brand = brand_of(check, self._assets)
            log.info("%s: read again, the pages show it", self.path)
            return
        if self._brand.identity is not None:
            log.warning("%s: keeping the last valid version on the pages", self.path)
        else:
            log.warning("%s: the site runs without its identity until it is fixed", self.path)
        # The pages keep what they showed; the staff home lists the problems of the file.
        self._brand = replace(self._brand, check=check)
