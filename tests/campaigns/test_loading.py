"""Loading campaign files: what `balises check` prints, line by line, and all-or-nothing files."""

from __future__ import annotations

import textwrap
from datetime import datetime
from pathlib import Path

from campaigns.loading import load_file, load_paths, load_text
from tests.factories import make_campaign, make_campaign_file, make_step

REPO = Path(__file__).resolve().parents[2]

HEAD = """\
version: 1
campaigns:
  - slug: jep
    title: Journées du patrimoine
    steps:
"""


def printed(text: str, **options: object) -> list[str]:
    result = load_text(textwrap.dedent(text), "campaigns.yaml", **options)  # type: ignore[arg-type]
    return [str(problem) for problem in result.problems]


def test_valid_file_loads_its_campaigns(tmp_path: Path) -> None:
    path = make_campaign_file(tmp_path)
    result = load_file(path)
    assert result.problems == []
    assert [c.slug for c in result.campaigns] == ["ou-sommes-nous"]
    assert result.sources == {"ou-sommes-nous": path}
    assert result.files == [path]
    assert result.campaigns[0].opens == datetime(2026, 9, 19, 9, 0)


def test_example_file_loads_without_problems() -> None:
    result = load_file(REPO / "campaigns.example.yaml")
    assert [str(p) for p in result.problems] == []
    assert result.campaigns


def test_tab_indentation_is_reported_and_nothing_is_loaded() -> None:
    # BAD_INPUTS 1
    result = load_text(HEAD + "\t- id: a\n", "campaigns.yaml")
    assert [str(p) for p in result.problems] == [
        "campaigns.yaml:6:1: une tabulation sert à indenter ; YAML n'indente qu'avec des espaces"
    ]
    assert result.campaigns == []


def test_unclosed_quote() -> None:
    assert printed(HEAD + '      - id: "tour\n        type: riddle\n') == [
        (
            "campaigns.yaml:8:1: le guillemet ouvert à la ligne 6 n'est jamais fermé ; ajoutez le "
            "guillemet fermant"
        )
    ]


def test_duplicate_answer_key() -> None:
    # BAD_INPUTS 2
    text = HEAD + "      - id: tour\n        answer: a\n        answer: b\n"
    assert printed(text) == [
        "campaigns.yaml:8:9: la clé 'answer' est en double (d'abord à la ligne 7) ; "
        "n'en gardez qu'une"
    ]


def test_values_yaml_would_retype_stay_text() -> None:
    # BAD_INPUTS 3: `no` would be False, 1912 an int, 01000 the octal 512, 12:30 the number 750.
    text = """\
        version: 1
        campaigns:
          - slug: no-title
            title: no
            steps:
              - id: annee
                type: question
                title: En quelle année ?
                answers: [1912, 01000, 12:30, 0.10]
    """
    result = load_text(textwrap.dedent(text), "campaigns.yaml")
    assert result.problems == []
    campaign = result.campaigns[0]
    assert campaign.title == "no"
    assert campaign.steps[0].answers == ["1912", "01000", "12:30", "0.10"]


def test_python_tag_is_refused() -> None:
    # BAD_INPUTS 4
    assert printed("version: 1\ncampaigns: !!python/object/apply:os.system [echo hi]\n") == [
        "campaigns.yaml:2:12: l'étiquette '!!python/object/apply:os.system' n'est pas permise ; "
        "supprimez-la (chaque valeur est lue comme du texte ; mettez-la entre guillemets si "
        "besoin)"
    ]


def test_alias_bomb_is_refused() -> None:
    # BAD_INPUTS 5
    text = 'version: 1\nx: &a ["lol", "lol"]\ny: &b [*a, *a, *a, *a]\ncampaigns: [*b, *b]\n'
    assert printed(text) == [
        "campaigns.yaml:2:4: les ancres et les alias (&nom, *nom) ne sont pas permis dans un "
        "fichier de campagne ; écrivez la valeur en entier"
    ]


def test_fifty_megabyte_file_is_refused_unread(tmp_path: Path) -> None:
    # BAD_INPUTS 5
    path = tmp_path / "big.yaml"
    with path.open("wb") as handle:
        handle.truncate(50_000_000)
    assert [str(p) for p in load_file(path).problems] == [
        f"{path}:1:1: ce fichier est trop gros (50,0 Mo) ; un fichier de campagne doit rester "
        "sous 1 Mo : mettez les photos à côté, pas dedans"
    ]


def test_every_model_error_is_listed_at_once_in_line_order() -> None:
    # BAD_INPUTS 6: a missing field, an unknown key and more, all in one run.
    text = HEAD + textwrap.indent(
        textwrap.dedent("""\
        - id: Tour
          type: riddel
          anwser: Saint-Aubin
        - id: pont
          type: question
          title: [a, b]
          tolerance: loose
    """),
        "      ",
    )
    assert printed(text) == [
        "campaigns.yaml:6:9: steps[0] : 'title' manque ; ajoutez-le",
        "campaigns.yaml:6:13: steps[0].id : 'Tour' n'est pas un id valide : n'utilisez que des "
        "minuscules, des chiffres et des tirets [a-z0-9-], pas au début ni à la fin ; par exemple "
        "'tour'",
        "campaigns.yaml:7:15: steps[0].type : 'riddel' n'est pas une valeur permise pour type ; "
        "vouliez-vous dire 'riddle' ? (utilisez riddle, question, checkpoint, contribution, "
        "identify ou story)",
        (
            "campaigns.yaml:8:9: steps[0] : la clé 'anwser' est inconnue ; vouliez-vous dire "
            "'answers' ?"
        ),
        "campaigns.yaml:11:16: steps[1].title : il faut un texte, ou un texte par langue "
        "(fr: ..., en: ...), pas une liste",
        "campaigns.yaml:12:20: steps[1].tolerance : 'loose' n'est pas une valeur permise pour "
        "tolerance (utilisez strict, normal ou lenient)",
    ]


def test_prize_keys_are_refused_with_the_reason() -> None:
    text = HEAD.replace("    steps:\n", "    prizes: [un vélo]\n    steps: []\n")
    assert printed(text)[0] == (
        "campaigns.yaml:5:5: campaigns[0] : la clé 'prizes' n'est pas permise : Balises remercie "
        "les gens au lieu de les récompenser ; pas de prix, de tirage au sort, de classement ni "
        "de course contre la montre ; citez les personnes qui ont aidé dans 'contributors' et "
        "'credit', et remerciez tout le monde dans 'finale'"
    )


def test_prize_key_in_a_step() -> None:
    text = HEAD + "      - id: a\n        type: story\n        title: A\n        timer: 60\n"
    assert printed(text) == [
        "campaigns.yaml:9:9: steps[0] : la clé 'timer' n'est pas permise : Balises remercie les "
        "gens au lieu de les récompenser ; pas de prix, de tirage au sort, de classement ni de "
        "course contre la montre ; citez les personnes qui ont aidé dans 'contributors' et "
        "'credit', et remerciez tout le monde dans 'finale'"
    ]


def test_no_steps() -> None:
    assert printed(HEAD.replace("    steps:\n", "    steps: []\n")) == [
        "campaigns.yaml:5:12: steps : ajoutez au moins une étape"
    ]


def test_slug_pattern_explains_the_allowed_characters() -> None:
    text = (
        HEAD.replace("slug: jep", "slug: Où_sommes-nous")
        + "      - {id: a, type: story, title: A}\n"
    )
    assert printed(text) == [
        "campaigns.yaml:3:11: slug : 'Où_sommes-nous' n'est pas un slug valide : n'utilisez que "
        "des minuscules, des chiffres et des tirets [a-z0-9-], pas au début ni à la fin ; par "
        "exemple 'ou-sommes-nous'"
    ]


def test_channels_are_ids_of_at_most_32_characters() -> None:
    text = (
        HEAD.replace("    steps:\n", f"    channels: [Bulletin Été, {'x' * 33}]\n    steps:\n")
        + "      - {id: a, type: story, title: A}\n"
    )
    assert printed(text) == [
        "campaigns.yaml:5:16: channels[0] : 'Bulletin Été' n'est pas un id valide : n'utilisez "
        "que des minuscules, des chiffres et des tirets [a-z0-9-], pas au début ni à la fin ; par "
        "exemple 'bulletin-ete'",
        "campaigns.yaml:5:30: channels[1] : ceci dépasse 32 caractères ; raccourcissez-le",
    ]


def test_wrong_version_and_missing_campaigns() -> None:
    assert printed("version: 2\n") == [
        "campaigns.yaml:1:1: 'campaigns' manque ; ajoutez-le",
        "campaigns.yaml:1:10: version : la seule version est 1 ; écrivez 'version: 1'",
    ]


def test_empty_file() -> None:
    assert printed("# à remplir\n") == [
        (
            "campaigns.yaml:1:1: ce fichier est vide ; commencez-le par 'version: 1' et une liste "
            "'campaigns:'"
        )
    ]


def test_bad_date() -> None:
    text = HEAD.replace("    steps:\n", "    opens: 19/09/2026\n    steps:\n")
    assert printed(text + "      - {id: a, type: story, title: A}\n") == [
        "campaigns.yaml:5:12: opens : '19/09/2026' n'est pas une date avec une heure ; écrivez-la "
        "comme 2026-09-19T09:00 (heure locale du fuseau horaire de la campagne)"
    ]


def test_html_and_template_syntax_in_texts_load_unchanged() -> None:
    # BAD_INPUTS 9: the loader keeps the text; the renderer makes it inert.
    text = (
        HEAD + '      - id: a\n        type: story\n        title: "<script>{{ 7*7 }}</script>"\n'
    )
    result = load_text(text, "campaigns.yaml")
    assert result.problems == []
    assert result.campaigns[0].steps[0].title == "<script>{{ 7*7 }}</script>"


def test_latin1_file(tmp_path: Path) -> None:
    # BAD_INPUTS 10
    path = tmp_path / "jep.yaml"
    path.write_bytes((HEAD + "      - {id: a, type: story, title: Fête}\n").encode("latin-1"))
    assert [str(p) for p in load_file(path).problems] == [
        f"{path}:4:17: ce fichier n'est pas du texte UTF-8 (octet 0xE9) ; enregistrez-le à nouveau "
        "avec l'encodage UTF-8 dans votre éditeur"
    ]


def test_bom_and_crlf_file(tmp_path: Path) -> None:
    # BAD_INPUTS 10
    path = tmp_path / "jep.yaml"
    text = HEAD + "      - {id: a, type: story, title: Fête}\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    result = load_file(path)
    assert result.problems == []
    assert result.campaigns[0].steps[0].title == "Fête"


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.yaml"
    assert [str(p) for p in load_file(path).problems] == [
        f"{path}:1:1: impossible de lire le fichier : No such file or directory"
    ]


def test_folder_loads_every_yaml_file(tmp_path: Path) -> None:
    first = make_campaign_file(tmp_path, [make_campaign(slug="a")], name="a.yaml")
    second = make_campaign_file(tmp_path, [make_campaign(slug="b")], name="b.yml")
    (tmp_path / "notes.txt").write_text("pas une campagne", encoding="utf-8")
    result = load_paths([tmp_path])
    assert result.problems == []
    assert result.files == [first, second]
    assert result.sources == {"a": first, "b": second}


def test_a_broken_file_contributes_nothing_but_others_load(tmp_path: Path) -> None:
    make_campaign_file(tmp_path, [make_campaign(slug="good")], name="a.yaml")
    broken = [make_campaign(slug="broken"), make_campaign(slug="also", title=None)]
    path = make_campaign_file(tmp_path, broken, name="b.yaml")
    lines = path.read_text(encoding="utf-8").splitlines()
    line = lines.index("  title: null") + 1
    result = load_paths([tmp_path])
    assert [c.slug for c in result.campaigns] == ["good"]
    assert [str(p) for p in result.problems] == [
        f"{path}:{line}:10: title : ce texte est vide ; écrivez un texte, ou un texte "
        "par langue (fr: ..., en: ...)"
    ]


def test_duplicate_slug_across_files(tmp_path: Path) -> None:
    # BAD_INPUTS 7
    make_campaign_file(tmp_path, [make_campaign(slug="jep")], name="a.yaml")
    make_campaign_file(tmp_path, [make_campaign(slug="jep")], name="b.yaml")
    result = load_paths([tmp_path])
    assert [str(p) for p in result.problems] == [
        f"{tmp_path / 'b.yaml'}:3:9: slug : la campagne 'jep' est déjà définie dans "
        f"{tmp_path / 'a.yaml'}:3 ; donnez à chaque campagne son propre slug"
    ]
    assert result.sources == {"jep": tmp_path / "a.yaml"}


def test_empty_folder(tmp_path: Path) -> None:
    assert [str(p) for p in load_paths([tmp_path]).problems] == [
        f"{tmp_path}:1:1: aucun fichier .yaml ou .yml dans ce dossier"
    ]


def test_five_hundred_steps_load(tmp_path: Path) -> None:
    steps = [
        make_step(id=f"etape-{i}", answers=[f"Lieu {i}"], hints=[f"Indice {i}"]) for i in range(500)
    ]
    result = load_file(make_campaign_file(tmp_path, [make_campaign(steps=steps)]))
    assert result.problems == []
    assert len(result.campaigns[0].steps) == 500


def test_a_file_named_twice_is_loaded_once(tmp_path: Path) -> None:
    path = make_campaign_file(tmp_path)
    result = load_paths([path, tmp_path])
    assert result.problems == []
    assert [c.slug for c in result.campaigns] == ["ou-sommes-nous"]


def test_any_broken_line_gives_problems_never_a_traceback(tmp_path: Path) -> None:
    lines = make_campaign_file(tmp_path).read_text(encoding="utf-8").splitlines(keepends=True)
    for cut in range(len(lines)):
        for broken in ("", "\t" + lines[cut], lines[cut].replace(":", "", 1), '"' + lines[cut]):
            text = "".join([*lines[:cut], broken, *lines[cut + 1 :]])
            result = load_text(text, "campaigns.yaml", tmp_path)
            assert result.problems or result.campaigns
