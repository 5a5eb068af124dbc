"""One rule for the instance every command works on, run in-process from a folder elsewhere.

The site runs in `site/` (its instance `site/var/`); the CM's shell is in `elsewhere/`, with no
`BALISES_*` setting. A command that is not pointed at the instance must refuse and leave the
folder as it was; pointed at it (`--instance`, before or after the sub-command, or
`BALISES_VAR_DIR`), it uses the site's key, database and media.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from balises.cli import main
from campaigns.checkpoints import verify_token
from tests.balises.instances import (
    UPLOADED,
    make_instance,
    tree,
    uploaded_campaign,
    without_balises_settings,
)
from tests.factories import make_campaign, make_campaign_file, make_step
from tests.media.qr_reading import read_png

POINTING = (
    "Lancez la commande depuis le dossier où tourne `balises serve`, ou indiquez son instance :"
    " --instance DOSSIER (ou BALISES_VAR_DIR=DOSSIER). `balises serve` crée l'instance à son"
    " premier démarrage."
)


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The CM's current folder, empty, in a shell without Balises settings."""
    for name in list(os.environ):
        if name not in without_balises_settings(dict(os.environ)):
            monkeypatch.delenv(name)
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The instance `balises serve` made in the site's folder."""
    return make_instance(tmp_path / "site" / "var")


def trail(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    steps = [make_step(), {"id": "pont", "type": "checkpoint", "title": "Le pont"}]
    return make_campaign_file(folder, [make_campaign(slug="velo", steps=steps)])


def lines_of(var: Path, secret: str) -> str:
    return (
        f"instance : {var}\n"
        f"  base de données : sqlite:///{var / 'balises.db'}\n"
        f"  médias : {var / 'media'}\n"
        f"  clé secrète : {secret}\n"
    )


def test_qr_without_the_instance_refuses_and_creates_nothing(
    elsewhere: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = trail(tmp_path / "campagnes")
    assert main(["qr", str(file), "--campaign", "velo", "--out", "velo.pdf"]) == 1
    var = elsewhere / "var"
    assert capsys.readouterr().err == lines_of(var, "aucune") + (
        f"balises qr : pas de clé secrète dans l'instance {var} (ni BALISES_SECRET_KEY, ni"
        f" fichier {var / 'secret_key'}) : des QR codes signés avec une autre clé que celle du"
        f" site ne s'ouvriraient pas. {POINTING}\n"
    )
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize(
    "pointing",
    [
        ["--instance", "{var}", "qr"],  # before the sub-command
        ["qr", "--instance", "{var}"],  # after it
        ["qr"],  # through BALISES_VAR_DIR
    ],
)
def test_qr_pointed_at_the_instance_signs_with_the_site_key(
    pointing: list[str],
    elsewhere: Path,
    site: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if pointing == ["qr"]:
        monkeypatch.setenv("BALISES_VAR_DIR", str(site))
    monkeypatch.setenv("BALISES_BASE_URL", "https://jeu.example.fr")
    file = trail(tmp_path / "campagnes")
    command = [part.format(var=site) for part in pointing]
    assert main([*command, str(file), "--campaign", "velo", "--format", "png", "--out", "c"]) == 0
    assert capsys.readouterr().err == lines_of(site, str(site / "secret_key"))
    (url,) = read_png((elsewhere / "c" / "pont.png").read_bytes())
    key = (site / "secret_key").read_text(encoding="utf-8")
    assert verify_token(key, "velo", "pont", url.rsplit("/", 1)[1])
    assert sorted(p.name for p in elsewhere.iterdir()) == ["c"]


def test_the_option_wins_over_the_variable(
    elsewhere: Path, site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = make_instance(tmp_path / "other" / "var")
    monkeypatch.setenv("BALISES_VAR_DIR", str(other))
    file = trail(tmp_path / "campagnes")
    command = ["qr", str(file), "--campaign", "velo", "--format", "png", "--out", "c"]
    assert main([*command, "--instance", str(site)]) == 0
    (url,) = read_png((elsewhere / "c" / "pont.png").read_bytes())
    key = (site / "secret_key").read_text(encoding="utf-8")
    assert verify_token(key, "velo", "pont", url.rsplit("/", 1)[1])
    assert os.environ["BALISES_VAR_DIR"] == str(other)  # the option lasted for the command only


@pytest.mark.parametrize(
    ("command", "needs"),
    [
        (["user", "add", "lea", "--role", "staff"], "user add"),
        (["user", "disable", "lea"], "user disable"),
        (["purge"], "purge"),
        (["backup", "copie.db"], "backup"),
    ],
)
def test_commands_without_the_instance_refuse_and_create_nothing(
    command: list[str],
    needs: str,
    elsewhere: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    assert main(command) == 1
    var = elsewhere / "var"
    assert capsys.readouterr().err == lines_of(var, "aucune") + (
        f"balises {needs} : pas d'instance dans {var} (pas de base de données"
        f" {var / 'balises.db'}). {POINTING}\n"
    )
    assert list(elsewhere.iterdir()) == []


def test_user_add_pointed_at_the_instance_writes_the_site_database(
    elsewhere: Path, site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from web.staff import accounts
    from web.store import db

    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    assert main(["user", "add", "lea", "--role", "staff", "--instance", str(site)]) == 0
    out, err = capsys.readouterr()
    assert (out, err) == (
        "compte « lea » créé (rôle staff)\n",
        lines_of(site, str(site / "secret_key")),
    )
    engine = db.make_engine(f"sqlite:///{site / 'balises.db'}")
    with db.writing(engine) as session:
        assert accounts.authenticate(session, "lea", "correct horse battery") is not None
    engine.dispose()
    assert list(elsewhere.iterdir()) == []


def test_purge_refuses_an_instance_without_its_media(
    elsewhere: Path, site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "media").rmdir()
    assert main(["purge", "--instance", str(site)]) == 1
    assert capsys.readouterr().err.endswith(
        f"balises purge : pas de dossier des médias {site / 'media'} dans l'instance {site}."
        f" {POINTING}\n"
    )


def test_check_without_an_instance_says_so_once_and_creates_nothing(
    elsewhere: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    campaign, _row = uploaded_campaign(tmp_path / "campagnes")
    before = tree(tmp_path)
    assert main(["check", str(campaign)]) == 1
    var = elsewhere / "var"
    assert capsys.readouterr() == (
        "",
        "balises check : les photos media:<id> ne sont pas vérifiées : pas d'instance dans"
        f" {var} (pas de base de données {var / 'balises.db'}). {POINTING}\n",
    )
    assert tree(tmp_path) == before


def test_check_reads_the_instance_and_writes_nothing_in_it(
    elsewhere: Path, site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    campaign, row = uploaded_campaign(tmp_path / "campagnes")
    before = tree(tmp_path)
    assert main(["check", str(campaign), "--instance", str(site)]) == 1
    assert capsys.readouterr() == (
        f"{campaign}:{row}:16: steps[0].photo : aucune photo téléversée n'a l'id '{UPLOADED}'"
        " ; copiez-le depuis l'espace de l'équipe\n",
        "1 problème trouvé\n",
    )
    assert tree(tmp_path) == before  # no -wal, no -shm, no lock file, no migration


def test_check_never_migrates_a_database(
    elsewhere: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    var = tmp_path / "site" / "var"
    var.mkdir(parents=True)
    (var / "balises.db").write_bytes(b"")  # a database no site has started on yet
    campaign, _row = uploaded_campaign(tmp_path / "campagnes")
    before = tree(tmp_path)
    assert main(["check", str(campaign), "--instance", str(var)]) == 1
    assert capsys.readouterr().err == (
        "balises check : les photos media:<id> ne sont pas vérifiées : la base de données"
        f" sqlite:///{var / 'balises.db'} ne peut pas être lue (no such table: mediaphoto).\n"
    )
    assert tree(tmp_path) == before


@pytest.mark.postgres
def test_check_on_postgresql_runs_read_only(
    elsewhere: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import psycopg

    from tests.databases import postgres_schema

    campaign, _row = uploaded_campaign(tmp_path / "campagnes")
    with postgres_schema() as url:
        monkeypatch.setenv("BALISES_DATABASE_URL", url)
        assert main(["check", str(campaign)]) == 1
        assert capsys.readouterr().err.endswith(
            'ne peut pas être lue (relation "mediaphoto" does not exist).\n'
        )
        with psycopg.connect(url) as connection:
            tables = connection.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
            ).fetchone()
        assert tables == (0,)  # not migrated
    assert list(elsewhere.iterdir()) == []


def test_the_command_line_speaks_english_when_the_terminal_does(
    elsewhere: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = elsewhere / "saison"
    folder.mkdir()
    (folder / "a.yaml").write_text(
        "version: 1\ncampaigns:\n  - slug: jep\n    title: Balade\n    steps:\n"
        "      - id: debut\n        type: story\n        title: Bienvenue\n",
        encoding="utf-8",
    )
    assert main(["check", "saison"]) == 0
    assert capsys.readouterr().err == "ok : 1 campagne (jep)\n"
    monkeypatch.setenv("LANGUAGE", "")
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    assert main(["check", "saison"]) == 0
    assert capsys.readouterr().err == "ok: 1 campaign (jep)\n"
    assert main(["qr", "saison/a.yaml", "--campaign", "jep", "--out", "x.pdf"]) == 1
    assert capsys.readouterr().err.endswith(
        "QR codes signed with another key than the site's would not open. Run the command from"
        " the folder where `balises serve` runs, or point it at its instance: --instance DIR (or"
        " BALISES_VAR_DIR=DIR). `balises serve` creates the instance when it first starts.\n"
    )
