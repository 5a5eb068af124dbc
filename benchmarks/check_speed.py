"""How long `balises check` takes, as the community manager runs it: a fresh process each time.

A CM runs `balises check` after every edit, so its cost is mostly interpreter start-up plus
imports; the target is under 0.3 s for the example file and for a 500-step synthetic file. The
median of N runs is compared with `python -c pass` (the floor no CLI can beat on this machine).

    python benchmarks/check_speed.py [--runs 15] [--steps 500] [--target 0.3]

Exits 1 if a median misses the target or a check does not exit 0, so CI can run it.
"""

from __future__ import annotations

# benchmarks/http_bench.py would shadow the standard library's `http` for a script run from here.
import sys
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import struct  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import zlib  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from dataclasses import dataclass  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "campaigns.example.yaml"


def tiny_png() -> bytes:
    """A valid 1×1 grey PNG, so synthetic riddles have a real image beside the YAML."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x80")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def synthetic_campaign(steps: int) -> str:
    """A valid campaign file of `steps` steps mixing every kind the checker works hardest on."""
    lines = [
        "version: 1",
        "campaigns:",
        "  - slug: synthetique",
        '    title: "Campagne synthétique"',
        '    intro: "Un **long** parcours pour mesurer le validateur."',
        "    order: free",
        "    languages: [fr, en]",
        "    contributors:",
        "      - id: archives",
        '        name: "Archives municipales"',
        '        role: {fr: "Photos", en: "Photos"}',
        "    steps:",
    ]
    for i in range(steps):
        kind = ("riddle", "question", "checkpoint", "story", "contribution")[i % 5]
        lines += [f"      - id: etape-{i}", f"        type: {kind}"]
        lines.append(f'        title: {{fr: "Étape numéro {i}", en: "Stage number {i}"}}')
        if i > 0 and i % 7 == 0:
            lines.append(f"        requires: [etape-{i - 1}]")
        if kind == "riddle":
            lines += [
                "        photo: photo.png",
                '        alt: {fr: "Une façade de pierre", en: "A stone front"}',
                "        reveal: [[0.1, 0.1, 0.5, 0.5], [0.0, 0.0, 0.8, 0.8], full]",
                "        credit: archives",
                f'        answers: ["Maison Lebrun {i}", "Lebrun {i}"]',
                '        hints: [{fr: "Regardez la corniche.", en: "Look at the cornice."}]',
            ]
        elif kind == "question":
            lines += [
                '        choices: ["1850", "1900", "1950"]',
                '        correct: "1900"',
            ]
        elif kind == "contribution":
            lines.append('        prompt: {fr: "Envoyez une photo.", en: "Send a photo."}')
        lines.append(
            f'        story: {{fr: "Il était une fois {i}.", en: "Once upon a time {i}."}}'
        )
    lines += ["    finale:", '      title: {fr: "Merci !", en: "Thank you!"}']
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Timing:
    """Medians of one command: wall time (what the CM waits) and CPU time (user + system, which
    barely moves when other processes share the machine)."""

    wall: float
    cpu: float


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def median_seconds(command: Sequence[str], runs: int, expect_zero: bool) -> Timing:
    """Medians of `runs` fresh runs of `command`, after one untimed warm-up."""
    subprocess.run(command, capture_output=True, check=False, cwd=ROOT)
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(runs):
        cpu_before = _cpu_of_children()
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
        walls.append(time.perf_counter() - start)
        cpus.append(_cpu_of_children() - cpu_before)
        if expect_zero and done.returncode != 0:
            raise SystemExit(
                f"{' '.join(command)} exited {done.returncode}:\n{done.stdout}{done.stderr}"
            )
    return Timing(statistics.median(walls), statistics.median(cpus))


def balises_command() -> list[str]:
    """The installed console script beside this interpreter, as a CM would type it."""
    script = Path(sys.executable).with_name("balises")
    if script.exists():
        return [str(script)]
    found = shutil.which("balises")
    if found is None:
        raise SystemExit("`balises` is not installed: run `pip install -e .` first")
    return [found]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--target", type=float, default=0.3)
    args = parser.parse_args(argv)

    balises = balises_command()
    rows: list[tuple[str, Timing]] = []
    rows.append(
        (
            "`python -c pass` (floor)",
            median_seconds([sys.executable, "-c", "pass"], args.runs, True),
        )
    )
    rows.append(
        (
            "`balises check campaigns.example.yaml`",
            median_seconds([*balises, "check", str(EXAMPLE)], args.runs, True),
        )
    )
    with tempfile.TemporaryDirectory(prefix="balises-bench-") as tmp:
        synthetic = Path(tmp) / "synthetique.yaml"
        synthetic.write_text(synthetic_campaign(args.steps), encoding="utf-8")
        (Path(tmp) / "photo.png").write_bytes(tiny_png())
        name = f"`balises check` {args.steps}-step synthetic file"
        rows.append((name, median_seconds([*balises, "check", str(synthetic)], args.runs, True)))

    floor = rows[0][1].wall
    print(f"median of {args.runs} runs, target {args.target:.2f} s (wall)\n")
    print("| command | wall (s) | CPU (s) | wall vs `python -c pass` | target |")
    print("|---|---:|---:|---:|---|")
    failed = False
    for index, (name, timing) in enumerate(rows):
        verdict = "—" if index == 0 else ("ok" if timing.wall < args.target else "MISSED")
        failed = failed or verdict == "MISSED"
        print(
            f"| {name} | {timing.wall:.3f} | {timing.cpu:.3f}"
            f" | {timing.wall / floor:.1f}× | {verdict} |"
        )
    if failed and os.getloadavg()[0] > (os.cpu_count() or 1):
        print(
            f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPU: the machine is"
            " busy, the CPU column is the figure to trust; rerun on a quiet machine",
            file=sys.stderr,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
