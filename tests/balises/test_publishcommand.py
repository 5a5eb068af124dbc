"""`balises publish [--confirm]` and the check `balises serve` makes before it starts."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from balises.cli import main
from balises.publishcommand import check_before_serving, run_publish
from balises.settings import Settings, load_settings
from tests.campaign_cuts import cut_inside_text_block
from web.publication.published import Store
from web.store import db
from web.store.tables.play import Checkin, Player, Solve

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def french(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def settings_for(tmp_path: Path, campaigns: Path) -> Settings:
    return load_settings(
        {
            "BALISES_ENV": "test",
            "BALISES_VAR_DIR": str(tmp_path / "var"),
            "BALISES_SECRET_KEY": "s" * 48,
            "BALISES_DATABASE_URL": f"sqlite:///{tmp_path / 'balises.db'}",
            "BALISES_CAMPAIGNS": str(campaigns),
        }
    )


@pytest.fixture
def yaml_file(tmp_path: Path) -> Path:
    folder = tmp_path / "campaigns"
    folder.mkdir()
    shutil.copy(ROOT / "campaigns.example.yaml", folder / "campaigns.yaml")
    shutil.copytree(ROOT / "photos", folder / "photos")
    return folder / "campaigns.yaml"


def publish(settings: Settings, *, confirm: bool = False) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = run_publish(settings, confirm=confirm, out=out)
    return code, out.getvalue().splitlines()


def add_progress(settings: Settings) -> None:
    """Two players scanned the first marker of voie-verte; one solved the first riddle."""
    engine = db.make_engine(settings.database_url)
    with db.writing(engine) as session:
        for pid, code in (("p1", "AAAA1111"), ("p2", "BBBB2222")):
            session.add(Player(id=pid, resume_code=code))
        session.flush()
        session.add(Checkin(player_id="p1", campaign="voie-verte", step="borne-1"))
        session.add(Checkin(player_id="p2", campaign="voie-verte", step="borne-1"))
        session.add(Solve(player_id="p1", campaign="ou-sommes-nous", step="tour"))
    engine.dispose()


def test_publish_publishes_and_holds_a_version_that_removes_progress(
    tmp_path: Path, yaml_file: Path
) -> None:
    settings = settings_for(tmp_path, yaml_file)
    code, lines = publish(settings)
    store = Store(settings.var_dir / "published")
    first = store.read().version
    assert code == 0
    assert lines[0].startswith(f"Version en ligne : {first.digest[:12]}, publiée le ")
    sha = first.files["campaigns.yaml"]
    assert lines[1:] == [f"campaigns.yaml : c'est la version en ligne ({sha[:12]})."]

    add_progress(settings)
    full = yaml_file.read_text(encoding="utf-8")
    yaml_file.write_text(cut_inside_text_block(full), encoding="utf-8")
    code, lines = publish(settings)
    held = store.read().held
    assert code == 1 and held is not None
    assert store.read().version == first  # nothing published
    assert lines[1] == (
        "campaigns.yaml : la nouvelle version attend votre confirmation (voir ci-dessous)."
    )
    assert lines[2].startswith(f"La nouvelle version {held.digest[:12]}, valide, retire ")
    assert lines[3:5] == [
        "  - l'étape « entracte » de la campagne « ou-sommes-nous » : 0 joueur y a avancé",
        "  - l'étape « eglise » de la campagne « ou-sommes-nous » : 0 joueur y a avancé",
    ]
    assert "  - la campagne « voie-verte » : 2 joueurs y ont avancé" in lines
    assert lines[-1] == "Pour la publier quand même : balises publish --confirm"

    code, lines = publish(settings, confirm=True)
    assert code == 0
    assert store.read().version.digest == held.digest and store.read().held is None
    assert lines[0].startswith(f"Version en ligne : {held.digest[:12]}, publiée le ")

    code, lines = publish(settings, confirm=True)
    assert (code, lines) == (1, ["Aucune version n'attend de confirmation."])


def test_publish_speaks_english_when_the_locale_asks(
    tmp_path: Path, yaml_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(tmp_path, yaml_file)
    publish(settings)
    add_progress(settings)
    yaml_file.write_text(cut_inside_text_block(yaml_file.read_text(encoding="utf-8")))
    monkeypatch.setenv("LANGUAGE", "en_GB:en")
    code, lines = publish(settings)
    assert code == 1
    assert "  - the campaign “voie-verte”: 2 players have progress in it" in lines
    assert lines[-1] == "To publish it anyway: balises publish --confirm"


def test_publish_of_a_broken_file_keeps_the_version_and_prints_its_problems(
    tmp_path: Path, yaml_file: Path
) -> None:
    settings = settings_for(tmp_path, yaml_file)
    publish(settings)
    sha = Store(settings.var_dir / "published").read().version.files["campaigns.yaml"]
    break_order(yaml_file)
    code, lines = publish(settings)
    assert code == 1
    assert lines[1] == (
        f"campaigns.yaml : la version sur le disque a des problèmes ; la version en ligne "
        f"({sha[:12]}) reste servie tant qu'ils ne sont pas corrigés."
    )
    assert lines[2] == (
        f"  {yaml_file}:52:12: order : 'x' n'est pas une valeur permise pour order "
        "(utilisez sequential ou free)"
    )


def break_order(yaml_file: Path) -> None:
    text = yaml_file.read_text(encoding="utf-8")
    yaml_file.write_text(text.replace("order: sequential", "order: x"), encoding="utf-8")


def check_lines(capsys: pytest.CaptureFixture[str], path: Path) -> list[str]:
    assert main(["check", str(path)]) == 1
    captured = capsys.readouterr()
    return captured.out.splitlines() + captured.err.splitlines()


def test_a_first_start_with_only_invalid_files_is_refused_as_check_says(
    tmp_path: Path, yaml_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    break_order(yaml_file)
    bad = yaml_file.parent / "autre.yaml"
    bad.write_text("version: 1\ncampaigns:\n\t- slug: jep\n", encoding="utf-8")
    settings = settings_for(tmp_path, yaml_file.parent)
    err = io.StringIO()
    assert check_before_serving(settings, err) == 1
    printed = err.getvalue().splitlines()
    assert printed[:-1] == check_lines(capsys, yaml_file.parent)
    assert printed[-1] == (
        f"balises serve : aucune campagne valide à publier, et aucune version publiée n'est "
        f"gardée dans l'instance {settings.var_dir}. Corrigez ces problèmes (balises check "
        f"{yaml_file.parent}), puis relancez."
    )


def test_an_empty_folder_or_a_kept_version_or_one_good_file_starts(
    tmp_path: Path, yaml_file: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    err = io.StringIO()
    assert check_before_serving(settings_for(tmp_path, empty), err) == 0
    settings = settings_for(tmp_path, yaml_file.parent)
    (yaml_file.parent / "autre.yaml").write_text("version: 1\ncampaigns: [", encoding="utf-8")
    assert check_before_serving(settings, err) == 0  # campaigns.yaml is good
    publish(settings)
    yaml_file.write_text("campaigns: [", encoding="utf-8")
    assert check_before_serving(settings, err) == 0  # the kept version will be served
    assert err.getvalue() == ""


def test_publish_prints_the_advice_on_a_file_it_publishes(tmp_path: Path, yaml_file: Path) -> None:
    text = yaml_file.read_text(encoding="utf-8")
    placed = "where: {lat: 47.3941, lon: 0.6848}"
    yaml_file.write_text(text.replace(placed, "where: {lat: 0.6848, lon: 47.3941}"), "utf-8")
    code, lines = publish(settings_for(tmp_path, yaml_file))
    assert code == 0
    assert lines[1].startswith("campaigns.yaml : c'est la version en ligne (")
    [advice] = lines[2:]
    assert advice.startswith(f"  {yaml_file}:")
    assert advice.endswith(
        ": steps[0].where : attention : lat et lon semblent inversés : lat 0.6848, lon 47.3941 "
        "tombe loin de la France, et l'inverse en France ; échangez-les si c'est le cas"
    )
