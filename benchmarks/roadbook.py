"""Time the printable roadbook (`/c/{campaign}/carnet.pdf`) of a long trail, as drawn in the
process pool: the first time (every photo's first crop derived, then laid out) and from a photo
cache already warm (the layout alone); a request that finds it in the roadbook cache reads a file.

Run: `python benchmarks/roadbook.py [--runs 5] [--steps 10,50]`. Photos are the example's six
riddles (`photos/`), each step with a text of about 40 words, a crop, two lines to write on.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import reportlab  # noqa: E402

from media.roadbook import PrintedPhoto, PrintedStep, Roadbook, roadbook_pdf  # noqa: E402

PHOTOS = sorted(Path("photos").glob("enigme-*.jpg"))


def book(steps: int) -> Roadbook:
    printed = tuple(
        PrintedStep(
            n,
            f"Étape {n} : sous la charpente, on pesait le samedi",
            text="Au pied du portail, un trait gravé marque la plus haute crue du Loir. " * 3,
            photo=PrintedPhoto(PHOTOS[n % len(PHOTOS)], (0.2, 0.2, 0.6, 0.6), "Un mur", "Photo"),
            write_label="Votre réponse :",
            write_lines=2,
        )
        for n in range(1, steps + 1)
    )
    return Roadbook(
        "Ville de Val-de-Loir", "Où sommes-nous ?", "Six photos, six lieux. " * 10,
        "https://jeux.val-de-loir.fr/c/ou-sommes-nous?via=carnet", (), "Jouez sur votre téléphone",
        "Les étapes", printed, "Avec la participation de", (("Archives", "Cartes postales"),),
        "Page %(num)s", "fr",
    )  # fmt: skip


def timed(steps: int, warm_photos: bool) -> float:
    with tempfile.TemporaryDirectory() as folder:
        cache = Path(folder)
        if warm_photos:
            roadbook_pdf(book(steps), cache)
            for kept in (cache / "roadbooks").glob("*.pdf"):
                kept.unlink()
        start = time.perf_counter()
        made = roadbook_pdf(book(steps), cache)
        elapsed = time.perf_counter() - start
        assert isinstance(made, Path) and made.stat().st_size > 0
        return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--steps", default="10,50")
    args = parser.parse_args()
    print(
        f"Python {platform.python_version()}, reportlab {reportlab.Version}, "
        f"load average {os.getloadavg()[0]:.1f}\n"
    )
    print("| steps | first time, median (s) | min–max | photos derived, median (s) | min–max |")
    print("|---:|---:|---|---:|---|")
    for steps in (int(s) for s in args.steps.split(",")):
        cold = [timed(steps, False) for _ in range(args.runs)]
        warm = [timed(steps, True) for _ in range(args.runs)]
        print(
            f"| {steps} | {statistics.median(cold):.3f} | {min(cold):.3f}–{max(cold):.3f} "
            f"| {statistics.median(warm):.3f} | {min(warm):.3f}–{max(warm):.3f} |"
        )


if __name__ == "__main__":
    main()
