"""Every setting of Balises, read once from the environment and loud on a bad value.

Like Starlette's `config.py`, one place says what can be configured. Defaults suit a laptop
(SQLite and media under `./var/`, a secret generated once and kept there); with
`BALISES_ENV=production` a missing secret key refuses to start, because a per-process random key
would print guessable or changing QR tokens and log everyone out at each restart.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

HTMX_VERSION = "2.0.11"
HTMX_URL = f"https://cdn.jsdelivr.net/npm/htmx.org@{HTMX_VERSION}/dist/htmx.min.js"
# sha384 of dist/htmx.min.js in the npm package htmx.org@2.0.11 (checked by tests/conftest.py).
HTMX_SRI = "sha384-2OatzQy1H+Zd/IIrjr1TcuDGqLXeHhbooAyJY1KdQMKnr4LZ22k31GBLdYKHmVjg"

ENVIRONMENTS = ("development", "production", "test")


class SettingsError(Exception):
    """A setting has a value Balises cannot use; the message names it and says how to fix it."""


@dataclass(frozen=True)
class Settings:
    env: str = "development"
    var_dir: Path = Path("var")
    database_url: str = ""
    secret_key: str = ""
    media_dir: Path = Path("var/media")
    base_url: str = "http://localhost:8000"
    campaigns_path: Path = Path("campaigns.example.yaml")
    htmx_url: str = HTMX_URL
    htmx_sri: str = HTMX_SRI
    debug: bool = False
    trusted_proxies: tuple[str, ...] = ()
    max_upload_bytes: int = 20 * 1024 * 1024
    retention_days: int = 90
    answers_per_minute: int = 10
    session_max_age: int = 400 * 24 * 3600
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise SettingsError(f"{name}={raw!r}: expected true or false")


def _int(name: str, raw: str, minimum: int = 0) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r}: expected a whole number") from None
    if value < minimum:
        raise SettingsError(f"{name}={raw!r}: must be at least {minimum}")
    return value


def _generated_secret(var_dir: Path) -> str:
    """A laptop's secret: made once, kept under var/, so QR tokens stay stable across restarts."""
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(key, encoding="utf-8")
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return key


def load_settings(environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """Read the settings; raise `SettingsError` naming the first bad value."""
    env_map = os.environ if environ is None else environ

    def get(name: str, default: str = "") -> str:
        return env_map.get(f"BALISES_{name}", default)

    env = get("ENV", "development")
    if env not in ENVIRONMENTS:
        raise SettingsError(f"BALISES_ENV={env!r}: expected one of {', '.join(ENVIRONMENTS)}")
    var_dir = Path(get("VAR_DIR", "var"))
    database_url = get("DATABASE_URL") or f"sqlite:///{var_dir / 'balises.db'}"
    if not database_url.startswith(("sqlite", "postgresql")):
        raise SettingsError(
            f"BALISES_DATABASE_URL={database_url!r}: expected sqlite:///PATH or postgresql://…"
        )
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    secret_key = get("SECRET_KEY")
    if not secret_key:
        if env == "production":
            raise SettingsError(
                "BALISES_SECRET_KEY is not set: in production Balises refuses to start without it,"
                " since QR tokens and sessions are signed with it. Generate one with"
                " `python -c 'import secrets; print(secrets.token_urlsafe(48))'`"
            )
        secret_key = _generated_secret(var_dir)
    elif len(secret_key) < 32:
        raise SettingsError("BALISES_SECRET_KEY is too short: use at least 32 characters")
    base_url = get("BASE_URL", "http://localhost:8000").rstrip("/")
    if not base_url.startswith(("http://", "https://")):
        raise SettingsError(f"BALISES_BASE_URL={base_url!r}: expected an http(s):// address")
    values: dict[str, object] = dict(
        env=env,
        var_dir=var_dir,
        database_url=database_url,
        secret_key=secret_key,
        media_dir=Path(get("MEDIA_DIR", str(var_dir / "media"))),
        base_url=base_url,
        campaigns_path=Path(get("CAMPAIGNS", "campaigns.example.yaml")),
        htmx_url=get("HTMX_URL", HTMX_URL),
        htmx_sri=get("HTMX_SRI", HTMX_SRI),
        debug=_bool("BALISES_DEBUG", get("DEBUG", "false")),
        trusted_proxies=tuple(p.strip() for p in get("TRUSTED_PROXIES").split(",") if p.strip()),
        max_upload_bytes=_int("BALISES_MAX_UPLOAD_BYTES", get("MAX_UPLOAD_BYTES", "20971520"), 1),
        retention_days=_int("BALISES_RETENTION_DAYS", get("RETENTION_DAYS", "90"), 1),
        answers_per_minute=_int("BALISES_ANSWERS_PER_MINUTE", get("ANSWERS_PER_MINUTE", "10"), 1),
    )
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]
