"""A real nginx in front of a real `balises serve`, configured with the README's own block.

The server block is cut out of README.md ("Reverse proxy") and changed only where a test must:
the upstream points at the Balises server's real port, `listen 443` becomes a free loopback
port, and the certificate paths point at a self-signed certificate made with `openssl` for the
test. Everything else (body and header limits, the forwarded headers) is the README's text, so a
change there is tested here. nginx runs unprivileged-style: `-p <tmpdir> -c <conf>`, in the
foreground, a single process (no user switch when run as root), every pid, log and temp path in
the test's folder.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.faults.servers import ROOT, free_port

README = ROOT / "README.md"
HOSTNAME = "jeu.example.fr"  # the README's server_name; BALISES_BASE_URL is https://HOSTNAME
_BLOCK = re.compile(r"\*\*Reverse proxy\.\*\*.*?```nginx\n(.*?)```", re.DOTALL)
# What the test changes in the README's block, each of which must be there exactly once.
_UPSTREAM = re.compile(r"(upstream balises \{\s*server) 127\.0\.0\.1:8000;")
_LISTEN = re.compile(r"listen 443 ssl")
_CERTIFICATE = re.compile(r"ssl_certificate\s+\S+;")
_KEY = re.compile(r"ssl_certificate_key\s+\S+;")


def nginx_binary() -> str:
    """nginx from the Debian package; missing, skip on a laptop and fail in CI (`CI=true`)."""
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if found is None:
        reason = "nginx is missing: scripts/setup.sh --test installs the Debian nginx-light"
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(f"{reason} (CI=true: the nginx test must run)", pytrace=False)
        pytest.skip(reason)
    return found


def readme_server_block() -> str:
    """The nginx configuration the README documents, as written there."""
    match = _BLOCK.search(README.read_text(encoding="utf-8"))
    assert match is not None, "README.md has no ```nginx block under **Reverse proxy.**"
    return match.group(1)


def _replace_once(pattern: re.Pattern[str], replacement: str, text: str) -> str:
    changed, count = pattern.subn(replacement, text)
    assert count == 1, f"the README's nginx block should have one {pattern.pattern!r}: {count}"
    return changed


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate and key for HOSTNAME, made now (valid a day)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    names = f"subjectAltName=DNS:{HOSTNAME},IP:127.0.0.1"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", f"/CN={HOSTNAME}", "-addext", names),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def configuration(folder: Path, upstream_port: int, port: int, cert: Path, key: Path) -> str:
    """The whole nginx.conf: a minimal main context around the README's server block."""
    block = readme_server_block()
    block = _replace_once(_UPSTREAM, rf"\1 127.0.0.1:{upstream_port};", block)
    block = _replace_once(_LISTEN, f"listen 127.0.0.1:{port} ssl", block)
    block = _replace_once(_CERTIFICATE, f"ssl_certificate {cert};", block)
    block = _replace_once(_KEY, f"ssl_certificate_key {key};", block)
    temp = "\n".join(
        f"    {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi")
    )
    temp += f"\n    uwsgi_temp_path {folder / 'uwsgi'};\n    scgi_temp_path {folder / 'scgi'};"
    return f"""daemon off;
master_process off;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 256; }}
http {{
    access_log {folder / "access.log"};
{temp}
{block}
}}
"""


@dataclass
class Nginx:
    """nginx on `port` (TLS) in front of the Balises server on `upstream_port`."""

    folder: Path
    upstream_port: int
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    certificate: Path | None = None

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def trust(self) -> ssl.SSLContext:
        """A TLS context that checks nginx's certificate (for 127.0.0.1) as a phone would."""
        assert self.certificate is not None
        return ssl.create_default_context(cafile=str(self.certificate))

    def start(self, timeout: float = 10.0) -> Nginx:
        binary = nginx_binary()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = self.port or free_port()
        cert, key = self_signed_certificate(self.folder)
        self.certificate = cert
        conf = self.folder / "nginx.conf"
        conf.write_text(configuration(self.folder, self.upstream_port, self.port, cert, key))
        log = open(self.folder / "nginx.out", "ab")  # noqa: SIM115
        self.process = subprocess.Popen(
            [binary, "-p", str(self.folder), "-c", str(conf)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self._wait_ready(timeout)
        return self

    def _wait_ready(self, timeout: float) -> None:
        context = self.trust()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"nginx exited early:\n{self.log()}")
            with contextlib.suppress(OSError):
                raw = socket.create_connection(("127.0.0.1", self.port), timeout=2)
                with context.wrap_socket(raw, server_hostname="127.0.0.1"):
                    return
            time.sleep(0.05)
        self.stop()
        raise AssertionError(f"nginx not ready after {timeout} s:\n{self.log()}")

    def log(self) -> str:
        parts = [self.folder / "nginx.out", self.folder / "error.log"]
        return "\n".join(p.read_text(errors="replace") for p in parts if p.exists())

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None
