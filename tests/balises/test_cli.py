"""`balises check`: what a community manager sees in their terminal before publishing a file."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from balises.cli import main
from campaigns.loading import load_paths
from tests.balises.instances import UPLOADED, make_instance, uploaded_campaign

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "campaigns.example.yaml"

TAB_INDENT = "version: 1\ncampaigns:\n\t- slug: jep\n"
TAB_PROBLEM = "tab.yaml:3:1: une tabulation sert à indenter ; YAML n'indente qu'avec des espaces"

# Two campaigns: the first breaks the schema, the second only the cross checks, so both kinds
# of problem are reported in one run.
MANY_MISTAKES = """\
version: 1
campaigns:
  - slug: concours
    title: Grand concours
    prizes: [un vélo]
    steps:
      - id: pont
        type: question
        title: Quel pont ?
        anwsers: [Pont Wilson]
  - slug: jep
    title: Où sommes-nous ?
    opens: 2026-09-21T19:00
    closes: 2026-09-19T09:00
    contributors:
      - id: archives
        name: Archives municipales
    steps:
      - id: tour
        type: riddle
        title: Cette tour vous dit quelque chose ?
        photo: media:7
        reveal:
          - [0.4, 0.1, 1.6, 0.3]
        credit: archive
        answers: [Tour Saint-Aubin]
        hints: [C'est la tour Saint-Aubin.]
        requires: [pont]
      - id: pont
        type: checkpoint
        title: Le pont
        requires: [tour]
      - id: tour
        type: story
        title: Fin
"""
MANY_PROBLEMS = [
    "many.yaml:5:5: campaigns[0] : la clé 'prizes' n'est pas permise : Balises remercie les gens "
    "au lieu de les récompenser ; pas de prix, de tirage au sort, de classement ni de course "
    "contre la montre ; citez les personnes qui ont aidé dans 'contributors' et 'credit', et "
    "remerciez tout le monde dans 'finale'",
    "many.yaml:10:9: steps[0] : la clé 'anwsers' est inconnue ; vouliez-vous dire 'answers' ?",
    "many.yaml:14:13: closes : doit être après opens (2026-09-21T19:00) ; cette campagne ne "
    "serait jamais ouverte",
    "many.yaml:19:9: steps[0] : une photo a besoin de 'alt' : une courte description pour les "
    "personnes qui ne la voient pas (elle ne doit pas donner la réponse)",
    "many.yaml:22:16: steps[0].photo : aucune photo téléversée n'a l'id '7' ; copiez-le depuis "
    "l'espace de l'équipe",
    "many.yaml:24:13: steps[0].reveal[0] : un cadrage doit être 4 nombres entre 0 et 1",
    "many.yaml:25:17: steps[0].credit[0] : aucun contributeur n'a l'id 'archive' ; vouliez-vous "
    "dire 'archives' ?",
    "many.yaml:27:17: steps[0].hints[0] : cet indice dévoile la réponse ('Tour Saint-Aubin') ; "
    "reformulez-le",
    "many.yaml:28:19: steps[0].requires : ces étapes se demandent l'une l'autre en cercle, donc "
    "aucune ne peut s'ouvrir : tour → pont → tour ; supprimez une de ces conditions",
    "many.yaml:33:13: steps[2].id : l'id d'étape 'tour' est déjà utilisé par steps[0] (ligne "
    "19) ; donnez à chaque étape son propre id",
]


def story_campaign(slug: str, comment: str = "") -> str:
    return (
        f"{comment}version: 1\ncampaigns:\n  - slug: {slug}\n    title: Balade\n"
        "    steps:\n      - id: debut\n        type: story\n        title: Bienvenue\n"
    )


def run_check(capsys: pytest.CaptureFixture[str], *files: str) -> tuple[int, list[str], str]:
    """Exit code, the problem lines on stdout, and the summary on stderr."""
    code = main(["check", *files])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_the_example_file_passes(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, summary = run_check(capsys, str(EXAMPLE))
    assert (code, lines) == (0, [])
    assert summary.startswith("ok : 2 campagnes (ou-sommes-nous, ")


def test_a_tab_indent_is_one_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("tab.yaml").write_text(TAB_INDENT, encoding="utf-8")
    assert run_check(capsys, "tab.yaml") == (1, [TAB_PROBLEM], "1 problème trouvé\n")


def test_the_problems_speak_the_terminal_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    Path("tab.yaml").write_text(TAB_INDENT, encoding="utf-8")
    english = "tab.yaml:3:1: a tab is used for indentation; YAML indents with spaces only"
    assert run_check(capsys, "tab.yaml") == (1, [english], "1 problem found\n")
    assert [str(p) for p in load_paths([Path("tab.yaml")]).problems] == [TAB_PROBLEM]
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert run_check(capsys, "tab.yaml") == (1, [TAB_PROBLEM], "1 problème trouvé\n")


def test_every_problem_of_a_file_is_printed_sorted_by_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    make_instance(tmp_path / "var")  # `media:7` is looked up in the instance of this folder
    Path("many.yaml").write_text(MANY_MISTAKES, encoding="utf-8")
    assert run_check(capsys, "many.yaml") == (1, MANY_PROBLEMS, "10 problèmes trouvés\n")


def test_a_folder_loads_every_yaml_file_and_finds_a_slug_used_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("saison").mkdir()
    Path("saison/a.yaml").write_text(story_campaign("jep"), encoding="utf-8")
    Path("saison/b.yaml").write_text(story_campaign("jep", "# encore\n"), encoding="utf-8")
    Path("saison/c.yaml").write_text(TAB_INDENT, encoding="utf-8")
    Path("saison/notes.txt").write_text("\tnot a campaign", encoding="utf-8")
    assert run_check(capsys, "saison") == (
        1,
        [
            "saison/b.yaml:4:11: slug : la campagne 'jep' est déjà définie dans "
            "saison/a.yaml:3 ; donnez à chaque campagne son propre slug",
            f"saison/c{TAB_PROBLEM.removeprefix('tab')}",
        ],
        "2 problèmes trouvés\n",
    )


def test_a_folder_of_good_files_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("saison").mkdir()
    Path("saison/a.yaml").write_text(story_campaign("jep"), encoding="utf-8")
    Path("saison/b.yml").write_text(story_campaign("velo"), encoding="utf-8")
    assert run_check(capsys, "saison") == (0, [], "ok : 2 campagnes (jep, velo)\n")


@pytest.mark.parametrize("missing", ["absent.yaml", "absent-folder/"])
def test_a_missing_path_is_a_clear_problem(
    missing: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("ok.yaml").write_text(story_campaign("jep"), encoding="utf-8")
    code, lines, summary = run_check(capsys, missing, "ok.yaml")
    assert (code, summary) == (1, "1 problème trouvé\n")
    assert lines == [
        f"{missing.rstrip('/')}:1:1: impossible de lire le fichier : No such file or directory"
    ]


def installed_balises() -> list[str]:
    """The `balises` script of the environment running the tests (CI installs into .venv)."""
    beside = Path(sys.executable).with_name("balises")
    found = str(beside) if beside.exists() else shutil.which("balises")
    assert found, "the project is not installed: pip install -e ."
    return [found]


def test_the_installed_command_exits_1_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "tab.yaml").write_text(TAB_INDENT, encoding="utf-8")
    done = subprocess.run(
        [*installed_balises(), "check", "tab.yaml", "absent.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "absent.yaml:1:1: impossible de lire le fichier : No such file or directory",
        TAB_PROBLEM,
    ]
    assert done.stderr == "2 problèmes trouvés\n"


def test_check_does_not_import_the_web_stack() -> None:
    # `balises check` runs on a CM's laptop or in CI: it must not need the site's libraries.
    script = (
        "import sys\n"
        "from balises.cli import main\n"
        f"code = main(['check', {str(EXAMPLE)!r}])\n"
        "heavy = ('starlette', 'sqlalchemy', 'PIL', 'sqlmodel')\n"
        "print(code, sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in heavy}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.stdout == "0 []\n", done.stderr


def test_user_add_creates_an_account_from_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    make_instance(tmp_path)
    monkeypatch.setenv("BALISES_VAR_DIR", str(tmp_path))
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    assert main(["user", "add", "alice", "--role", "cm"]) == 0
    assert "compte « alice » créé (rôle cm)" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    assert main(["user", "add", "alice", "--role", "staff"]) == 1
    assert "un compte « alice » existe déjà" in capsys.readouterr().err


def test_check_looks_up_uploaded_photos_in_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sqlmodel import Session

    from web.store import db
    from web.store.tables.staff import MediaPhoto

    make_instance(tmp_path / "var")
    monkeypatch.setenv("BALISES_VAR_DIR", str(tmp_path / "var"))
    campaign, row = uploaded_campaign(tmp_path)

    assert main(["check", str(campaign)]) == 1
    assert capsys.readouterr().out == (
        f"{campaign}:{row}:16: steps[0].photo : aucune photo téléversée n'a l'id '{UPLOADED}'"
        " ; copiez-le depuis l'espace de l'équipe\n"
    )

    engine = db.make_engine(f"sqlite:///{tmp_path / 'var' / 'balises.db'}")
    with Session(engine) as session:
        session.add(
            MediaPhoto(
                id=UPLOADED,
                sha256="0" * 64,
                title="Tour",
                credit="Archives",
                licence="cc-by-sa-4.0",
                width=10,
                height=10,
            )
        )
        session.commit()
    engine.dispose()
    assert main(["check", str(campaign)]) == 0


def test_swapped_coordinates_are_a_warning_and_check_still_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    text = story_campaign("balade") + "        where: {lat: 0.6848, lon: 47.3941}\n"
    Path("balade.yaml").write_text(text, encoding="utf-8")
    code, lines, summary = run_check(capsys, "balade.yaml")
    assert code == 0
    assert lines == [
        "balade.yaml:9:16: steps[0].where : attention : lat et lon semblent inversés : lat "
        "0.6848, lon 47.3941 tombe loin de la France, et l'inverse en France ; échangez-les si "
        "c'est le cas"
    ]
    assert summary == (
        "1 avertissement : vérifiez-le, le fichier reste valable\nok : 1 campagne (balade)\n"
    )
