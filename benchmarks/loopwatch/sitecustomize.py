"""A watch on a served worker's event loop, for benchmarks/scale.py's `--watch-loop`.

Put this folder first on a `balises serve`'s PYTHONPATH (one worker) and Python imports it at
start: once uvicorn's server runs, a thread asks the loop every 5 ms to run a callback, and when
the callback waits more than `LOOPWATCH_MS` (20 ms), it samples the main thread's stack every
3 ms until the loop is back. Each stall is one line of `LOOPWATCH_LOG`: when it began (epoch
seconds), how long it lasted, and the project frame most sampled during it with its count.

That is what held the loop, which a client's latencies only suggest: a stall with no sample
was the machine's scheduler (the process had no core), not the code.
"""

from __future__ import annotations

import collections
import os
import sys
import threading
import time
from typing import Any

_OURS = (f"{os.sep}web{os.sep}", f"{os.sep}media{os.sep}", f"{os.sep}campaigns{os.sep}")


def _install() -> None:
    if not os.environ.get("LOOPWATCH_LOG"):
        return
    try:
        import uvicorn.server
    except ImportError:
        return
    serve = uvicorn.server.Server.serve

    async def watched(self: Any, sockets: Any = None) -> None:
        import asyncio

        loop = asyncio.get_running_loop()
        main = threading.get_ident()
        threading.Thread(target=_watch, args=(loop, main), daemon=True).start()
        await serve(self, sockets)

    uvicorn.server.Server.serve = watched  # type: ignore[method-assign]


def _where(frame: Any) -> str:
    """The innermost frame of the project's code (`staff/dashboard.py:34 _compute`)."""
    while frame is not None:
        name = frame.f_code.co_filename
        if any(part in name for part in _OURS):
            folder, module = name.rsplit(os.sep, 2)[-2:]
            return f"{folder}/{module}:{frame.f_lineno} {frame.f_code.co_name}"
        frame = frame.f_back
    return "(no project frame)"


def _watch(loop: Any, main: int) -> None:
    limit = float(os.environ.get("LOOPWATCH_MS", "20")) / 1000
    with open(os.environ["LOOPWATCH_LOG"], "a", buffering=1) as out:
        while True:
            back = threading.Event()
            began = time.perf_counter()
            at = time.time()
            loop.call_soon_threadsafe(back.set)
            if back.wait(limit):
                time.sleep(0.005)
                continue
            seen: collections.Counter[str] = collections.Counter()
            while not back.wait(0.003):
                frame = sys._current_frames().get(main)
                if frame is not None:
                    seen[_where(frame)] += 1
            lasted = time.perf_counter() - began
            top, count = seen.most_common(1)[0] if seen else ("(no sample)", 0)
            out.write(f"{at:.3f}\t{lasted * 1000:.1f}\t{count}/{sum(seen.values())}\t{top}\n")


_install()
