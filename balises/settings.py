"""Every setting of Balises, read once from the environment and loud on a bad value.

Like Starlette's `config.py`, one place says what can be configured. Defaults suit a laptop:
the instance (`balises.instance`) is `BALISES_VAR_DIR`, else `./var` of the current folder, and
holds the SQLite database, the media and the secret key. Reading the settings never writes:
only `balises serve` creates the secret key (`create_secret`), once, so a `balises qr` run from
the wrong folder cannot sign posters with a key the site does not know. With
`BALISES_ENV=production` a missing `BALISES_SECRET_KEY` refuses to start, because a key made on
one machine would print changing QR tokens and log everyone out on the others.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from balises.messages import _

HTMX_VERSION = "2.0.11"
HTMX_URL = f"https://cdn.jsdelivr.net/npm/htmx.org@{HTMX_VERSION}/dist/htmx.min.js"
# sha384 of dist/htmx.min.js in the npm package htmx.org@2.0.11 (checked by tests/conftest.py).
HTMX_SRI = "sha384-2OatzQy1H+Zd/IIrjr1TcuDGqLXeHhbooAyJY1KdQMKnr4LZ22k31GBLdYKHmVjg"

SELF = "self"  # BALISES_HTMX_URL=self: the copy Balises ships (web/static/vendor)
ENVIRONMENTS = ("development", "production", "test")
SECRET_FILE = "secret_key"
SECRET_VARIABLE = "BALISES_SECRET_KEY"
# What harvesters show when the site names its repository nothing (data, not interface: French).
OAI_NAME = "Photos mystères identifiées par les habitants"
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class SettingsError(Exception):
    """A setting has a value Balises cannot use; the message names it and says how to fix it."""


@dataclass(frozen=True)
class Settings:
    env: str = "development"
    var_dir: Path = Path("var")
    database_url: str = ""
    secret_key: str = ""  # "" when the instance has none yet (`balises serve` makes it)
    secret_origin: str = ""  # BALISES_SECRET_KEY, or the file it was read from
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
    new_players_per_minute: int = 30
    session_max_age: int = 400 * 24 * 3600
    # The OAI-PMH repository of accepted identifications (`/oai`): off unless the site says so.
    oai: bool = False
    oai_name: str = ""
    oai_email: str = ""
    oai_page: int = 100  # records (or identifiers) per response, then a resumption token
    map_tiles: Path | None = None  # the city's PMTiles archive or folder (web.maptiles)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise SettingsError(_("%(name)s=%(value)s : attendu true ou false") % _named(name, raw))


def _int(name: str, raw: str, minimum: int = 0) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(
            _("%(name)s=%(value)s : attendu un nombre entier") % _named(name, raw)
        ) from None
    if value < minimum:
        raise SettingsError(
            _("%(name)s=%(value)s : au moins %(minimum)s")
            % {**_named(name, raw), "minimum": minimum}
        )
    return value


def _oai(get: Callable[[str, str], str]) -> dict[str, object]:
    """The repository's settings: `BALISES_OAI=on` needs an admin email, which OAI-PMH's
    Identify must give (harvesters write to it when the repository misbehaves)."""
    on = _bool("BALISES_OAI", get("OAI", "off"))
    email = get("OAI_ADMIN_EMAIL", "").strip()
    if email and not EMAIL.fullmatch(email):
        raise SettingsError(
            _(
                "BALISES_OAI_ADMIN_EMAIL=%(value)s : attendu une adresse e-mail comme"
                " archives@ville.fr"
            )
            % {"value": repr(email)}
        )
    if on and not email:
        raise SettingsError(
            _(
                "BALISES_OAI=on demande BALISES_OAI_ADMIN_EMAIL : l'adresse e-mail à laquelle les"
                " moissonneurs écrivent (celle des archives, par exemple)"
            )
        )
    name = get("OAI_NAME", "").strip() or OAI_NAME
    page = _int("BALISES_OAI_PAGE", get("OAI_PAGE", "100"), 1)
    return {"oai": on, "oai_name": name, "oai_email": email, "oai_page": page}


def _named(name: str, raw: str) -> dict[str, object]:
    return {"name": name, "value": repr(raw)}


def _read_secret(var_dir: Path) -> str:
    """The key `balises serve` made in this instance, or "" when it has none."""
    try:
        return (var_dir / SECRET_FILE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""


def create_secret(var_dir: Path) -> str:
    """The instance's key, made once (for `balises serve` only): QR tokens stay stable.

    Written to a temporary file then renamed, readable by its owner only: the workers that
    `serve` starts next read it, and so do `qr` and the staff's QR printing.
    """
    key = _read_secret(var_dir)
    if key:
        return key
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path = var_dir / SECRET_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(key, encoding="utf-8")
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return key


def require_secret(settings: Settings) -> None:
    """Refuse a site without a key: it would sign sessions and QR tokens with nothing."""
    if not settings.secret_key:
        raise SettingsError(
            _(
                "pas de clé secrète dans %(folder)s : démarrez le site avec `balises serve`, qui"
                " la crée, ou définissez BALISES_SECRET_KEY"
            )
            % {"folder": settings.var_dir}
        )


def load_settings(environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """Read the settings (and nothing else); raise `SettingsError` naming the first bad value.

    Paths are made absolute against the current folder, so what a command prints is where it
    works, and `serve`'s workers agree with it.
    """
    env_map = os.environ if environ is None else environ

    def get(name: str, default: str = "") -> str:
        return env_map.get(f"BALISES_{name}", "") or default

    env = get("ENV", "development")
    if env not in ENVIRONMENTS:
        raise SettingsError(
            _("BALISES_ENV=%(value)s : attendu l'un de %(choices)s")
            % {"value": repr(env), "choices": ", ".join(ENVIRONMENTS)}
        )
    debug = _bool("BALISES_DEBUG", get("DEBUG", "false"))
    if debug and env == "production":
        raise SettingsError(
            _(
                "BALISES_DEBUG=true avec BALISES_ENV=production : les pages d'erreur montreraient"
                " le code et les données du site à tout le monde ; retirez BALISES_DEBUG en"
                " production"
            )
        )
    var_dir = Path(os.path.abspath(get("VAR_DIR", "var")))
    database_url = get("DATABASE_URL") or f"sqlite:///{var_dir / 'balises.db'}"
    if not database_url.startswith(("sqlite", "postgresql")):
        raise SettingsError(
            _("BALISES_DATABASE_URL=%(value)s : attendu sqlite:///CHEMIN ou postgresql://…")
            % {"value": repr(database_url)}
        )
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    secret_key, secret_origin = get("SECRET_KEY"), SECRET_VARIABLE
    if not secret_key:
        if env == "production":
            raise SettingsError(
                _(
                    "BALISES_SECRET_KEY n'est pas définie : en production, Balises refuse de"
                    " démarrer sans elle, car les jetons des QR codes et les sessions sont signés"
                    " avec. Générez-en une avec"
                    " `python -c 'import secrets; print(secrets.token_urlsafe(48))'`"
                )
            )
        secret_key = _read_secret(var_dir)
        secret_origin = str(var_dir / SECRET_FILE) if secret_key else ""
    elif len(secret_key) < 32:
        raise SettingsError(_("BALISES_SECRET_KEY est trop courte : au moins 32 caractères"))
    base_url = get("BASE_URL", "http://localhost:8000").rstrip("/")
    if not base_url.startswith(("http://", "https://")):
        raise SettingsError(
            _("BALISES_BASE_URL=%(value)s : attendu une adresse http(s)://")
            % {"value": repr(base_url)}
        )
    values: dict[str, object] = dict(
        env=env,
        var_dir=var_dir,
        database_url=database_url,
        secret_key=secret_key,
        secret_origin=secret_origin,
        media_dir=Path(os.path.abspath(get("MEDIA_DIR", str(var_dir / "media")))),
        base_url=base_url,
        campaigns_path=Path(get("CAMPAIGNS", "campaigns.example.yaml")),
        htmx_url=get("HTMX_URL", HTMX_URL),
        htmx_sri=get("HTMX_SRI", HTMX_SRI),
        debug=debug,
        trusted_proxies=tuple(p.strip() for p in get("TRUSTED_PROXIES").split(",") if p.strip()),
        max_upload_bytes=_int("BALISES_MAX_UPLOAD_BYTES", get("MAX_UPLOAD_BYTES", "20971520"), 1),
        retention_days=_int("BALISES_RETENTION_DAYS", get("RETENTION_DAYS", "90"), 1),
        answers_per_minute=_int("BALISES_ANSWERS_PER_MINUTE", get("ANSWERS_PER_MINUTE", "10"), 1),
        new_players_per_minute=_int(
            "BALISES_NEW_PLAYERS_PER_MINUTE", get("NEW_PLAYERS_PER_MINUTE", "30"), 1
        ),
        **_oai(get),
        # Never refused here: an unusable archive leaves the map to its plan (web.maptiles).
        map_tiles=Path(os.path.abspath(get("MAP_TILES"))) if get("MAP_TILES") else None,
    )
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]
