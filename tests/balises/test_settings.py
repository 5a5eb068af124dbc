"""Settings are read once, refuse bad values loudly, and never write anything."""

import os
from pathlib import Path

import pytest

from balises.settings import SettingsError, create_secret, load_settings, require_secret


def test_defaults_suit_a_laptop(tmp_path: Path) -> None:
    settings = load_settings({"BALISES_VAR_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'balises.db'}"
    assert settings.media_dir == tmp_path / "media"


def test_the_instance_is_var_of_the_current_folder_made_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings({})
    assert settings.var_dir == tmp_path / "var"
    assert settings.database_url == f"sqlite:///{tmp_path / 'var' / 'balises.db'}"
    assert settings.media_dir == tmp_path / "var" / "media"
    relative = load_settings({"BALISES_VAR_DIR": "site/var", "BALISES_MEDIA_DIR": "photos"})
    assert (relative.var_dir, relative.media_dir) == (tmp_path / "site/var", tmp_path / "photos")


def test_reading_the_settings_creates_no_file_and_no_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings({})
    assert (settings.secret_key, settings.secret_origin) == ("", "")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(SettingsError, match="pas de clé secrète dans"):
        require_secret(settings)


def test_the_key_serve_made_is_read_by_every_later_command(tmp_path: Path) -> None:
    made = create_secret(tmp_path / "var")
    assert len(made) >= 32
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o777 == 0o600
    assert create_secret(tmp_path / "var") == made  # made once
    settings = load_settings({"BALISES_VAR_DIR": str(tmp_path / "var")})
    assert settings.secret_key == made
    assert settings.secret_origin == str(tmp_path / "var" / "secret_key")


def test_the_environment_key_wins_over_the_file(tmp_path: Path) -> None:
    create_secret(tmp_path)
    settings = load_settings({"BALISES_VAR_DIR": str(tmp_path), "BALISES_SECRET_KEY": "e" * 40})
    assert (settings.secret_key, settings.secret_origin) == ("e" * 40, "BALISES_SECRET_KEY")


def test_production_without_secret_refuses_to_start(tmp_path: Path) -> None:
    create_secret(tmp_path)  # a key file is not enough in production
    with pytest.raises(SettingsError, match="BALISES_SECRET_KEY n'est pas définie"):
        load_settings({"BALISES_ENV": "production", "BALISES_VAR_DIR": str(tmp_path)})


def test_debug_in_production_refuses_to_start(tmp_path: Path) -> None:
    environ = {
        "BALISES_ENV": "production",
        "BALISES_DEBUG": "true",
        "BALISES_SECRET_KEY": "p" * 48,
        "BALISES_VAR_DIR": str(tmp_path),
    }
    with pytest.raises(SettingsError) as refused:
        load_settings(environ)
    assert str(refused.value) == (
        "BALISES_DEBUG=true avec BALISES_ENV=production : les pages d'erreur montreraient le"
        " code et les données du site à tout le monde ; retirez BALISES_DEBUG en production"
    )
    assert load_settings({**environ, "BALISES_ENV": "development"}).debug
    assert not load_settings({**environ, "BALISES_DEBUG": "false"}).debug


def test_the_debug_refusal_stops_serve_before_it_listens(tmp_path: Path) -> None:
    import subprocess
    import sys

    environ = {k: v for k, v in os.environ.items() if not k.startswith("BALISES_")}
    environ.update(BALISES_ENV="production", BALISES_DEBUG="1", BALISES_SECRET_KEY="p" * 48)
    done = subprocess.run(
        [str(Path(sys.executable).with_name("balises")), "serve", "--port", "1"],
        cwd=tmp_path,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("balises : BALISES_DEBUG=true avec BALISES_ENV=production")
    assert list(tmp_path.iterdir()) == []


def test_short_secret_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="trop courte"):
        load_settings({"BALISES_SECRET_KEY": "abc", "BALISES_VAR_DIR": str(tmp_path)})


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("BALISES_ENV", "prod", "attendu l'un de development, production, test"),
        ("BALISES_DEBUG", "maybe", "attendu true ou false"),
        ("BALISES_RETENTION_DAYS", "ninety", "attendu un nombre entier"),
        ("BALISES_RETENTION_DAYS", "0", "au moins 1"),
        ("BALISES_DATABASE_URL", "mysql://x", "attendu sqlite:///CHEMIN ou postgresql://"),
        ("BALISES_BASE_URL", "example.fr", "attendu une adresse http(s)://"),
        ("BALISES_OAI", "oui-da", "attendu true ou false"),
        ("BALISES_OAI", "on", "demande BALISES_OAI_ADMIN_EMAIL : l'adresse e-mail"),
        ("BALISES_OAI_ADMIN_EMAIL", "archives", "attendu une adresse e-mail"),
        ("BALISES_OAI_PAGE", "0", "au moins 1"),
    ],
)
def test_bad_values_name_the_setting(tmp_path: Path, name: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError) as info:
        load_settings({name: value, "BALISES_VAR_DIR": str(tmp_path)})
    assert str(info.value).startswith(name)
    assert message in str(info.value)


def test_a_refusal_speaks_english_when_the_terminal_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANGUAGE", "en_GB:fr")
    with pytest.raises(SettingsError) as info:
        load_settings({"BALISES_RETENTION_DAYS": "0", "BALISES_VAR_DIR": str(tmp_path)})
    assert str(info.value) == "BALISES_RETENTION_DAYS='0': must be at least 1"


def test_postgresql_url_uses_psycopg(tmp_path: Path) -> None:
    settings = load_settings(
        {"BALISES_DATABASE_URL": "postgresql://u@h/db", "BALISES_VAR_DIR": str(tmp_path)}
    )
    assert settings.database_url == "postgresql+psycopg://u@h/db"


def test_the_oai_repository_is_off_unless_asked_and_then_has_its_name_and_email(
    tmp_path: Path,
) -> None:
    assert load_settings({"BALISES_VAR_DIR": str(tmp_path)}).oai is False
    settings = load_settings(
        {
            "BALISES_VAR_DIR": str(tmp_path),
            "BALISES_OAI": "on",
            "BALISES_OAI_ADMIN_EMAIL": "archives@val-de-loir.example.fr",
            "BALISES_OAI_NAME": "Archives de Val-de-Loir",
        }
    )
    assert (settings.oai, settings.oai_name, settings.oai_email, settings.oai_page) == (
        True,
        "Archives de Val-de-Loir",
        "archives@val-de-loir.example.fr",
        100,
    )
