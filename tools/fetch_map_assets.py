"""Fetch the map library from the npm registry into web/static/vendor/, its integrity checked.

`scripts/setup.sh` runs it; it is idempotent (a file already there with the pinned hash is
kept). A file whose sha384 is not the one pinned in `web/mapassets.py` is refused: the page's
integrity attribute would make browsers refuse it too.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from web.mapassets import ASSETS, VENDOR, sri_of


def _pack(package: str, workdir: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed: it is needed once to fetch the map library")
    done = subprocess.run(
        [npm, "pack", package, "--pack-destination", str(workdir), "--silent"],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"`npm pack {package}` failed:\n{done.stderr.strip()}")
    name = package.rsplit("@", 1)[0].lstrip("@").replace("/", "-")
    tarballs = sorted(workdir.glob(f"{name}-*.tgz"))
    if not tarballs:
        raise RuntimeError(f"`npm pack {package}` produced no tarball")
    return tarballs[0]


def ensure() -> list[Path]:
    missing = [a for a in ASSETS if not a.path.exists() or sri_of(a.path.read_bytes()) != a.sri]
    with tempfile.TemporaryDirectory(prefix="balises-map-") as tmp:
        tarballs: dict[str, Path] = {}
        for asset in missing:
            if asset.package not in tarballs:
                tarballs[asset.package] = _pack(asset.package, Path(tmp))
            with tarfile.open(tarballs[asset.package], "r:gz") as archive:
                handle = archive.extractfile(asset.member)
                if handle is None:
                    raise RuntimeError(f"{asset.package} has no {asset.member}")
                data = handle.read()
            if sri_of(data) != asset.sri:
                raise RuntimeError(
                    f"{asset.package} {asset.member} has integrity {sri_of(data)}, not the"
                    f" pinned {asset.sri} (web/mapassets.py)"
                )
            VENDOR.mkdir(parents=True, exist_ok=True)
            partial = asset.path.with_suffix(".tmp")
            partial.write_bytes(data)
            partial.replace(asset.path)
    return [a.path for a in ASSETS]


def main() -> int:
    try:
        paths = ensure()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as error:
        print(f"fetch_map_assets: {error}", file=sys.stderr)
        return 1
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
