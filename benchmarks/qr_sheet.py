"""Time the checkpoint QR codes of a 200-checkpoint trail: encode, PNG, SVG, and the A4 sheet.

Run: `python benchmarks/qr_sheet.py [--runs 5] [--count 200]`. Each run starts with an empty
code cache (`qr_matrix` is memoised), so the figures are what `balises qr` costs the first time.
Compare with PERF_BASELINES.md §5 (qrcode with mask search: 5.35 ms/code encode, 6.92 ms PNG;
Pillow 300 dpi bitmap sheet, 4 codes/page: 2.7 s for 200 codes, 445 MB peak RSS).
"""

from __future__ import annotations

import argparse
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import qrcode  # noqa: E402
from qrcode.constants import ERROR_CORRECT_H  # noqa: E402

from campaigns.checkpoints import checkpoint_path  # noqa: E402
from media.qr import qr_matrix, qr_png, qr_svg  # noqa: E402
from media.sheet import checkpoint_sheet_pdf  # noqa: E402

SECRET = "benchmark-secret-key-of-at-least-32-characters"
BASE_URL = "https://balises.ville-exemple.fr"


def trail(count: int) -> list[tuple[str, str]]:
    return [
        (
            f"Borne {n} : le pont de la Mayenne",
            BASE_URL + checkpoint_path(SECRET, "veloroute-mayenne", f"borne-{n}"),
        )
        for n in range(1, count + 1)
    ]


def searched(url: str) -> object:
    """The reference of PERF_BASELINES.md §5: qrcode choosing the best of the 8 masks."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_H, border=4)
    code.add_data(url)
    code.make(fit=True)
    return code.get_matrix()


def timed(label: str, runs: int, count: int, work: Callable[[], object]) -> float:
    """Run `work` `runs` times from a cold code cache; print and return the median seconds."""
    seconds = []
    for _ in range(runs):
        qr_matrix.cache_clear()
        start = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - start)
    median = statistics.median(seconds)
    print(
        f"{label:<34} {median:7.3f} s  ({min(seconds):.3f}–{max(seconds):.3f})"
        f"  {median / count * 1000:6.2f} ms/code"
    )
    return median


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    items = trail(args.count)
    urls = [url for _, url in items]
    print(f"python {platform.python_version()}, {args.count} checkpoints, median of {args.runs}")
    print(f"URL example ({len(urls[0])} chars): {urls[0]}")
    timed(
        "ref: qrcode encode, mask search",
        args.runs,
        args.count,
        lambda: [searched(u) for u in urls],
    )
    timed("encode only (fixed mask)", args.runs, args.count, lambda: [qr_matrix(u) for u in urls])
    timed("PNG, 10 px/module", args.runs, args.count, lambda: [qr_png(u) for u in urls])
    timed("SVG", args.runs, args.count, lambda: [qr_svg(u) for u in urls])
    timed(
        "A4 sheet PDF, 6/page, vector",
        args.runs,
        args.count,
        lambda: checkpoint_sheet_pdf(items, title="Véloroute de la Mayenne"),
    )
    pdf = checkpoint_sheet_pdf(items, title="Véloroute de la Mayenne")
    pages = -(-args.count // 6)
    print(f"sheet: {pages} pages, {len(pdf) / 1024:.0f} KiB")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
