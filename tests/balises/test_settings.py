"""Settings are read once and refuse bad values loudly."""

from pathlib import Path

import pytest

from balises.settings import SettingsError, load_settings


def test_defaults_suit_a_laptop(tmp_path: Path) -> None:
    settings = load_settings({"BALISES_VAR_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'balises.db'}"
    assert settings.media_dir == tmp_path / "media"
    assert len(settings.secret_key) >= 32


def test_generated_secret_is_kept_across_starts(tmp_path: Path) -> None:
    first = load_settings({"BALISES_VAR_DIR": str(tmp_path)}).secret_key
    second = load_settings({"BALISES_VAR_DIR": str(tmp_path)}).secret_key
    assert first == second
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_production_without_secret_refuses_to_start(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="BALISES_SECRET_KEY is not set"):
        load_settings({"BALISES_ENV": "production", "BALISES_VAR_DIR": str(tmp_path)})
    assert not (tmp_path / "secret_key").exists()


def test_short_secret_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="too short"):
        load_settings({"BALISES_SECRET_KEY": "abc", "BALISES_VAR_DIR": str(tmp_path)})


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("BALISES_ENV", "prod", "expected one of development, production, test"),
        ("BALISES_DEBUG", "maybe", "expected true or false"),
        ("BALISES_RETENTION_DAYS", "ninety", "expected a whole number"),
        ("BALISES_RETENTION_DAYS", "0", "must be at least 1"),
        ("BALISES_DATABASE_URL", "mysql://x", "expected sqlite:///PATH or postgresql://"),
        ("BALISES_BASE_URL", "example.fr", "expected an http(s):// address"),
    ],
)
def test_bad_values_name_the_setting(tmp_path: Path, name: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError) as info:
        load_settings({name: value, "BALISES_VAR_DIR": str(tmp_path)})
    assert str(info.value).startswith(name)
    assert message in str(info.value)


def test_postgresql_url_uses_psycopg(tmp_path: Path) -> None:
    settings = load_settings(
        {"BALISES_DATABASE_URL": "postgresql://u@h/db", "BALISES_VAR_DIR": str(tmp_path)}
    )
    assert settings.database_url == "postgresql+psycopg://u@h/db"
