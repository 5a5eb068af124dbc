"""Time a photo upload's processing (`media.library.ingest`) against libvips' `vipsthumbnail`.

Run: `python benchmarks/photo_pipeline.py [--runs 3]` (about 1 minute; needs `vipsthumbnail`,
Debian package `libvips-tools`). In one run it makes a 12-megapixel phone JPEG (4000×3000, q90,
GPS EXIF) and a 40-megapixel archive scan (TIFF 7300×5500, LZW), then for each photo times:

- `ingest`: header check, sha256, original stored (fsync), the six variants (480/960/1600 px
  wide × WebP q80 + JPEG q82, no metadata) and the placeholder, in a fresh media folder;
- `vipsthumbnail`: the same six variants, one process per variant as the CLI works.

Every run is a fresh subprocess, so peak RSS (`ru_maxrss`) is that run's own: for ingest the
whole Python process (its baseline after imports is shown too), for vipsthumbnail the largest
of its six processes. Figures are medians; the issue aims at ingest within 1.5× of libvips.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

WIDTHS = (480, 960, 1600)


def _rss_mb(kilobytes: int) -> float:
    return kilobytes / 1024  # Linux reports ru_maxrss in KiB


def make_photos(folder: Path) -> dict[str, Path]:
    """A noisy 12 MP phone JPEG with GPS, and a smoother 40 MP LZW TIFF scan."""
    from PIL import Image, ImageFilter

    def picture(width: int, height: int, grain: float) -> Image.Image:
        small = (width // 8, height // 8)
        red = Image.linear_gradient("L").resize(small)
        green = Image.radial_gradient("L").resize(small)
        blue = Image.effect_noise(small, 60).filter(ImageFilter.GaussianBlur(3))
        base = Image.merge("RGB", (red, green, blue)).resize((width, height), Image.BICUBIC)
        noise = Image.effect_noise((width, height), grain).convert("RGB")
        return Image.blend(base, noise, 0.15)

    exif = Image.Exif()
    exif[0x0110] = "Pixel 8"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (45.0, 0.0, 47.51), 3: "E", 4: (4.0, 49.0, 38.22)})
    photos = {
        "12 MP JPEG 4000×3000": folder / "phone.jpg",
        "40 MP TIFF 7300×5500": folder / "scan.tif",
    }
    picture(4000, 3000, 40).save(photos["12 MP JPEG 4000×3000"], quality=90, exif=exif)
    picture(7300, 5500, 8).save(photos["40 MP TIFF 7300×5500"], compression="tiff_lzw")
    return photos


def child_ingest(photo: Path) -> dict[str, float]:
    """One upload's processing in this fresh process, with the time of each stage."""
    import media.library
    from media.library import ingest

    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    stages: dict[str, float] = {}

    def timed(name: str, function):  # type: ignore[no-untyped-def]
        def run(*args, **kwargs):  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                stages[name] = (time.perf_counter() - start) * 1000

        return run

    media.library.derive_all = timed("variants", media.library.derive_all)
    media.library.placeholder = timed("placeholder", media.library.placeholder)
    with tempfile.TemporaryDirectory(dir=photo.parent) as work:
        upload = Path(work) / "upload.part"
        shutil.copyfile(photo, upload)
        cpu = time.process_time()
        start = time.perf_counter()
        ingest(upload, media_dir=Path(work) / "media")
        wall = (time.perf_counter() - start) * 1000
        cpu = (time.process_time() - cpu) * 1000
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"ms": wall, "cpu_ms": cpu, "rss_mb": _rss_mb(peak), "base_mb": _rss_mb(baseline)} | {
        f"{name}_ms": ms for name, ms in stages.items()
    }


def _has_gps(path: Path) -> bool:
    from PIL import Image

    with Image.open(path) as image:
        return bool(image.getexif().get_ifd(0x8825))


def vips_commands(photo: Path, out: Path) -> list[list[str]]:
    return [
        [
            "vipsthumbnail",
            str(photo),
            "--size",
            f"{width}x",
            "-o",
            str(out / f"w{width}.{option}"),
        ]
        for width in WIDTHS
        for option in ("webp[Q=80,strip]", "jpg[Q=82,strip,optimize_coding,interlace]")
    ]


def child_vips(photo: Path) -> dict[str, float]:
    """The six variants with the vipsthumbnail CLI, in this fresh process's children."""
    with tempfile.TemporaryDirectory(dir=photo.parent) as work:
        start = time.perf_counter()
        for command in vips_commands(photo, Path(work)):
            subprocess.run(command, check=True)
        wall = (time.perf_counter() - start) * 1000
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        leaks = sum(_has_gps(p) for p in Path(work).iterdir())
    return {
        "ms": wall,
        "cpu_ms": (usage.ru_utime + usage.ru_stime) * 1000,
        "rss_mb": _rss_mb(usage.ru_maxrss),
        "gps_leaks": leaks,
    }


def measure(kind: str, photo: Path, runs: int) -> list[dict[str, float]]:
    results = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, __file__, "--child", kind, str(photo)],
            check=True,
            capture_output=True,
            text=True,
        )
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return results


def median(results: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", choices=("ingest", "vips", "make"))
    parser.add_argument("photo", nargs="?", type=Path)
    args = parser.parse_args()
    if args.child == "make":
        print(json.dumps({k: str(v) for k, v in make_photos(args.photo).items()}))
        return 0
    if args.child:
        work = child_ingest if args.child == "ingest" else child_vips
        print(json.dumps(work(args.photo)))
        return 0
    if shutil.which("vipsthumbnail") is None:
        print("vipsthumbnail not found: apt-get install libvips-tools", file=sys.stderr)
        return 1
    vips_version = subprocess.run(
        ["vips", "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    from importlib.metadata import version

    pillow_version = version("pillow")
    print(
        f"Python {platform.python_version()}, Pillow {pillow_version}, {vips_version},"
        f" {os.cpu_count()} CPU, {args.runs} runs per row (median), each in a fresh process"
    )
    with tempfile.TemporaryDirectory(prefix="balises-bench-") as folder:
        start = time.perf_counter()
        # In a child: Linux keeps a process's peak RSS across fork+exec, so a parent that held
        # the 40 MP image would inflate every measured child's ru_maxrss.
        made = subprocess.run(
            [sys.executable, __file__, "--child", "make", folder],
            check=True,
            capture_output=True,
            text=True,
        )
        photos = {k: Path(v) for k, v in json.loads(made.stdout).items()}
        print(f"samples made in {time.perf_counter() - start:.1f} s: ", end="")
        print(", ".join(f"{p.name} {p.stat().st_size / 1e6:.1f} MB" for p in photos.values()))
        print()
        print(
            "| photo | pipeline | ms/photo median (min–max) | CPU ms | peak RSS MB |"
            " ratio to vipsthumbnail: time · CPU · RSS |"
        )
        print("|---|---|---|---|---|---|")
        for label, photo in photos.items():
            vips = measure("vips", photo, args.runs)
            ours = measure("ingest", photo, args.runs)
            reference = {key: median(vips, key) for key in ("ms", "cpu_ms", "rss_mb")}
            for name, results in (("`ingest` (Pillow)", ours), ("vipsthumbnail ×6", vips)):
                times = [r["ms"] for r in results]
                rss = f"{median(results, 'rss_mb'):.0f}"
                if "base_mb" in results[0]:
                    rss += f" (after imports {median(results, 'base_mb'):.0f})"
                print(
                    f"| {label} | {name} | **{median(results, 'ms'):.0f}**"
                    f" ({min(times):.0f}–{max(times):.0f}) | {median(results, 'cpu_ms'):.0f}"
                    f" | {rss} | "
                    + " · ".join(f"{median(results, k) / v:.2f}×" for k, v in reference.items())
                    + " |"
                )
            stages = ", ".join(
                f"{key.removesuffix('_ms')} {median(ours, key):.0f} ms"
                for key in ours[0]
                if key.endswith("_ms") and key != "cpu_ms"
            )
            leaks = max(r["gps_leaks"] for r in vips)
            print(f"|  | ingest stages: {stages}; vipsthumbnail outputs with GPS: {leaks:.0f}/6 |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
