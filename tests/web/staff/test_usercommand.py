"""`balises user add NAME --role cm|staff`: password twice at a terminal, or from stdin."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from balises.settings import Settings, load_settings
from balises.usercommand import run_user_add, run_user_disable
from web.staff import accounts
from web.store import db


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(
        {
            "BALISES_ENV": "test",
            "BALISES_VAR_DIR": str(tmp_path / "var"),
            "BALISES_SECRET_KEY": "s" * 48,
            "BALISES_DATABASE_URL": f"sqlite:///{tmp_path / 'balises.db'}",
        }
    )


def _prompts(*answers: str) -> Iterator[str]:
    yield from answers


def _check(settings: Settings, name: str, password: str) -> str | None:
    engine = db.make_engine(settings.database_url)
    db.migrate(engine, settings.var_dir)
    try:
        with db.writing(engine) as session:
            user = accounts.authenticate(session, name, password)
            return user.role if user else None
    finally:
        engine.dispose()


def test_password_asked_twice_at_a_terminal(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = _prompts("une longue phrase", "une longue phrase")
    code = run_user_add(
        "lea", "staff", settings, stdin=Terminal(), prompt=lambda _label: next(answers)
    )
    assert code == 0
    assert "compte « lea » créé (rôle staff)" in capsys.readouterr().out
    assert _check(settings, "lea", "une longue phrase") == "staff"


def test_two_different_passwords_create_nothing(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = _prompts("une longue phrase", "une autre phrase")
    code = run_user_add(
        "lea", "staff", settings, stdin=Terminal(), prompt=lambda _label: next(answers)
    )
    assert code == 1
    assert "les deux mots de passe ne sont pas identiques" in capsys.readouterr().err
    assert _check(settings, "lea", "une longue phrase") is None


def test_password_from_stdin_for_scripts(settings: Settings) -> None:
    code = run_user_add("camille", "cm", settings, stdin=io.StringIO("le phare de la côte\n"))
    assert code == 0
    assert _check(settings, "camille", "le phare de la côte") == "cm"


def test_short_password_is_refused(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    code = run_user_add("lea", "staff", settings, stdin=io.StringIO("court\n"))
    assert code == 1
    assert capsys.readouterr().err == (
        "balises user add : mot de passe trop court : 10 caractères au moins"
        " (une phrase de quelques mots est plus facile à retenir)\n"
    )


def test_duplicate_name_is_refused(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_user_add("lea", "staff", settings, password="une longue phrase") == 0
    assert run_user_add("lea", "cm", settings, password="une autre phrase") == 1
    assert "balises user add : un compte « lea » existe déjà" in capsys.readouterr().err
    assert _check(settings, "lea", "une longue phrase") == "staff"


def test_unknown_role_is_refused(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_user_add("lea", "admin", settings, password="une longue phrase") == 1
    assert "rôle inconnu « admin » : cm ou staff" in capsys.readouterr().err


def test_disable_ends_the_account(settings: Settings) -> None:
    assert run_user_add("lea", "staff", settings, password="une longue phrase") == 0
    assert run_user_disable("lea", settings) == 0
    assert _check(settings, "lea", "une longue phrase") is None
    assert run_user_disable("personne", settings) == 1
