"""Fetch htmx for the browser tests exactly as production gets it, and prove it is the same file.

Production loads htmx from its CDN URL pinned by an SRI hash (`balises.settings.HTMX_SRI`). The
browser tests have no internet (only package registries), so they serve a local copy in place of
the CDN. That copy comes from the npm package the CDN mirrors (`npm pack htmx.org@VERSION`), and
its sha384 must equal the pinned SRI: if it did not, a browser would refuse the real CDN file too,
and the tests would be testing a page residents never get.

Run it directly (`python tests/vendor/fetch_htmx.py`) or call `ensure_htmx()`; it is idempotent:
an existing copy whose hash matches is kept, one that does not match is fetched again.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from balises.settings import HTMX_SRI, HTMX_VERSION

VENDOR_DIR = Path(__file__).resolve().parent
HTMX_PATH = VENDOR_DIR / "htmx.min.js"
PACKAGE_MEMBER = "package/dist/htmx.min.js"


class HtmxFetchError(RuntimeError):
    """htmx could not be fetched, or the fetched file is not the one production pins."""


def sri_of(data: bytes) -> str:
    """The Subresource Integrity value a browser computes for `data` (sha384, base64)."""
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


def _npm_pack(workdir: Path, version: str) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise HtmxFetchError("npm is not installed: it is needed once to fetch htmx for the tests")
    spec = f"htmx.org@{version}"
    try:
        done = subprocess.run(
            [npm, "pack", spec, "--pack-destination", str(workdir), "--silent"],
            cwd=workdir,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise HtmxFetchError(f"`npm pack {spec}` took more than 3 minutes") from None
    if done.returncode != 0:
        raise HtmxFetchError(f"`npm pack {spec}` failed:\n{done.stderr.strip()}")
    tarballs = sorted(workdir.glob("htmx.org-*.tgz"))
    if not tarballs:
        raise HtmxFetchError(f"`npm pack {spec}` produced no tarball in {workdir}")
    return tarballs[0]


def _extract_member(tarball: Path) -> bytes:
    with tarfile.open(tarball, "r:gz") as archive:
        try:
            member = archive.getmember(PACKAGE_MEMBER)
        except KeyError:
            raise HtmxFetchError(f"{tarball.name} has no {PACKAGE_MEMBER}") from None
        handle = archive.extractfile(member)
        if handle is None:
            raise HtmxFetchError(f"{PACKAGE_MEMBER} in {tarball.name} is not a regular file")
        return handle.read()


def ensure_htmx(
    target: Path = HTMX_PATH, version: str = HTMX_VERSION, expected_sri: str = HTMX_SRI
) -> Path:
    """The path of a local htmx.min.js whose SRI is `expected_sri`, fetched if needed."""
    if target.exists() and sri_of(target.read_bytes()) == expected_sri:
        return target
    with tempfile.TemporaryDirectory(prefix="balises-htmx-") as tmp:
        data = _extract_member(_npm_pack(Path(tmp), version))
    actual = sri_of(data)
    if actual != expected_sri:
        raise HtmxFetchError(
            f"htmx.org@{version} dist/htmx.min.js has integrity {actual}, but"
            f" balises.settings.HTMX_SRI is {expected_sri}: browsers would refuse the CDN file."
            " Fix HTMX_SRI (or HTMX_VERSION) in balises/settings.py."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".tmp")
    partial.write_bytes(data)
    partial.replace(target)
    return target


def main(argv: list[str]) -> int:
    """`fetch_htmx.py [TARGET]`: the tests' copy, or TARGET (setup.sh fetches the copy the site
    serves with `BALISES_HTMX_URL=self` into web/static/vendor/htmx.min.js, packaged with it)."""
    try:
        path = ensure_htmx(Path(argv[0])) if argv else ensure_htmx()
    except HtmxFetchError as error:
        print(f"fetch_htmx: {error}", file=sys.stderr)
        return 1
    print(f"{path} ({HTMX_SRI})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
