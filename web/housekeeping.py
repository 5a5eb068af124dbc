"""The start's housekeeping, done once the site answers rather than before.

Forgetting again the players a restored backup brought back (`web.privacy.tombstones`),
crediting the answers a campaign edit made while the site was down now accepts
(`web.play.retrocredit`: every distinct wrong answer is matched again), the retention purge
(`web.privacy.retention`) and the sweep of photos a crash or the purge left
(`web.participation.gallery`) all grow with what the database holds: done before the first
request, they made a season's start take seconds (7.1 s at 60,000 players), and `/healthz`
waited for them. So `create_app` only builds the site, and the lifespan starts this in a
thread of its own: most of its time is spent in the database, which releases the interpreter
lock, and each step is its own transactions, so residents are served meanwhile. Every worker
runs it, as every worker did at start: each step is safe to run twice at once (a forgotten
player is locked first, purged rows are gone for the second worker).
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy.exc import SQLAlchemyError

from web.participation import gallery
from web.play import retrocredit
from web.privacy import retention, tombstones
from web.site import Site

log = logging.getLogger("balises.web")


class Housekeeping:
    """The start's chores for one site: `start()` them in the background, or `run()` them now."""

    def __init__(self, site: Site) -> None:
        self._site = site
        self._running = threading.Lock()
        self._done = False
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Run the chores in a daemon thread (a stop in the middle leaves each chore's
        transaction rolled back, to be done again at the next start)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self.run, name="balises-housekeeping")
            self._thread.daemon = True
            self._thread.start()

    def run(self) -> None:
        """Do the chores now, once: a second call returns when the first is done."""
        with self._running:
            if not self._done:
                self._chores()
                self._done = True

    def _chores(self) -> None:
        site = self._site
        try:
            # deletion tombstones: forget again whoever a restored backup brought back
            tombstones.reapply(
                site.engine,
                site.settings.var_dir,
                site.registry.campaigns(),
                site.settings.media_dir,
            )
        except SQLAlchemyError:
            log.exception("re-applying deletion tombstones failed; it is tried at each start")
        retrocredit.credit_safely(site.engine, site.registry.campaigns())  # edits made while down
        retention.purge_on_start(site)  # player data past retention
        gallery.sweep_photos(site)  # photos left by a crash or the purge
        log.info("start-up housekeeping done")

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the background run; whether it is over."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return self._done
