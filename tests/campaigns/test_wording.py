"""The problems of campaign files: French by default, English from the catalog, complete."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from campaigns import wording
from campaigns.changes import removal_warning
from campaigns.loading import load_paths, load_text
from campaigns.model import Campaign
from campaigns.photofiles import sniff_photo
from campaigns.yamlsource import MAX_DEPTH, YamlSourceError, parse_yaml
from tests.factories import make_campaign

CAMPAIGNS = Path(__file__).resolve().parents[2] / "campaigns"
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0-9.]*[sdX]")

HEAD = """\
version: 1
campaigns:
  - slug: jep
    title: Jep
    languages: [fr]
    steps:
"""


def printed(text: str) -> list[str]:
    return [str(p) for p in load_text(text, "c.yaml").problems]


def test_the_english_catalog_translates_every_problem() -> None:
    found = list(extract_from_dir(str(CAMPAIGNS), method_map=[("**.py", "python")]))
    files = {file for file, *_rest in found}
    assert files >= {"rules.py", "schemaerrors.py", "yamlsource.py", "loading.py"}
    assert files >= {"photofiles.py", "suggestions.py", "localisation.py", "changes.py"}
    with (CAMPAIGNS / "locale/en/LC_MESSAGES/messages.po").open("rb") as po:
        catalog = read_po(po, locale="en")
    missing = []
    for _file, _line, message, _comments, _context in found:
        key = message[0] if isinstance(message, tuple) else message
        entry = catalog.get(key)
        if entry is None or not entry.string or entry.fuzzy:
            missing.append(key)
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for string in strings:
            assert set(PLACEHOLDER.findall(str(string))) == set(PLACEHOLDER.findall(key)), key
    assert missing == []


def test_problems_are_french_unless_english_is_asked_for() -> None:
    text = HEAD + "      - {id: a, type: story, title: A, anwser: x}\n"
    french = "c.yaml:7:40: steps[0] : la clé 'anwser' est inconnue ; vouliez-vous dire 'answers' ?"
    assert printed(text) == [french]
    with wording.speaking("en"):
        assert printed(text) == [
            "c.yaml:7:40: steps[0]: unknown key 'anwser'; did you mean 'answers'?"
        ]
    with wording.speaking("de"):  # a language the checks do not speak: French
        assert printed(text) == [french]
    assert printed(text) == [french]


def test_cross_checks_in_english() -> None:
    text = HEAD + "      - {id: a, type: story, title: A, requires: [a]}\n"
    with wording.speaking("en"):
        assert printed(text) == [
            "c.yaml:7:51: steps[0].requires[0]: a step cannot require itself; remove it"
        ]


def test_yaml_errors_in_english_with_a_plural() -> None:
    nested = "[" * 60 + "]" * 60
    for lang, message in [
        ("fr", f"les valeurs sont imbriquées sur plus de {MAX_DEPTH} niveaux"),
        ("en", f"values are nested more than {MAX_DEPTH} deep"),
    ]:
        with wording.speaking(lang):
            try:
                parse_yaml(nested)
            except YamlSourceError as error:
                assert error.message == message
            else:
                raise AssertionError("too deep a file must be refused")


def test_a_length_limit_speaks_of_characters_in_the_plural() -> None:
    text = HEAD.replace("    steps:\n", f"    channels: [{'x' * 33}]\n    steps:\n")
    text += "      - {id: a, type: story, title: A}\n"
    assert printed(text) == [
        "c.yaml:6:16: channels[0] : ceci dépasse 32 caractères ; raccourcissez-le"
    ]
    with wording.speaking("en"):
        assert printed(text) == [
            "c.yaml:6:16: channels[0]: this is longer than 32 characters; shorten it"
        ]


def test_a_folder_without_campaign_files_in_english(tmp_path: Path) -> None:
    assert [p.message for p in load_paths([tmp_path]).problems] == [
        "aucun fichier .yaml ou .yml dans ce dossier"
    ]
    with wording.speaking("en"):
        assert [p.message for p in load_paths([tmp_path]).problems] == [
            "no .yaml or .yml file in this folder"
        ]


def test_the_photo_check_in_english(tmp_path: Path) -> None:
    path = tmp_path / "notes.jpg"
    path.write_bytes(b"%PDF-1.7")
    assert sniff_photo(path) == (
        "'notes.jpg' n'est pas une photo (JPEG, PNG, WebP, TIFF ou HEIC) ; exportez-la en JPEG"
    )
    with wording.speaking("en"):
        assert sniff_photo(path) == (
            "'notes.jpg' is not a photo (JPEG, PNG, WebP, TIFF or HEIC); export it as JPEG"
        )


def test_a_time_zone_typo_in_english() -> None:
    text = HEAD.replace("    languages", "    timezone: Europe/Pariss\n    languages")
    text += "      - {id: a, type: story, title: A}\n"
    with wording.speaking("en"):
        assert printed(text) == [
            "c.yaml:5:15: timezone: 'Europe/Pariss' is not a time zone; "
            "did you mean 'Europe/Paris'?"
        ]


def test_the_removal_warning_has_a_singular_and_a_plural_in_both_languages() -> None:
    steps = [{"id": step_id, "type": "story", "title": step_id} for step_id in ("a", "b", "c")]
    old = Campaign.model_validate(make_campaign(slug="jep", steps=steps))
    one = Campaign.model_validate(make_campaign(slug="jep", steps=steps[:2]))
    two = Campaign.model_validate(make_campaign(slug="jep", steps=steps[:1]))
    first, second = "'b'", "'c'"
    assert removal_warning(old, one) == (
        f"campagne 'jep' : l'étape {second} n'est plus dans le fichier ; les réponses des joueurs "
        "à cette étape sont gardées, mais sa page et son code QR ne s'ouvrent plus ; si vous "
        "l'avez seulement renommée, rendez-lui son ancien id"
    )
    assert removal_warning(old, two) == (
        f"campagne 'jep' : les étapes {first}, {second} ne sont plus dans le fichier ; les "
        "réponses des joueurs à ces étapes sont gardées, mais leurs pages et leurs codes QR ne "
        "s'ouvrent plus ; si vous les avez seulement renommées, rendez-leur leurs anciens ids"
    )
    with wording.speaking("en"):
        assert removal_warning(old, one) == (
            f"campaign 'jep': the step {second} is no longer in the file; players' answers to "
            "it are kept, but its page and QR code no longer open; if you only renamed it, give "
            "it back its old id"
        )
        assert removal_warning(old, two) == (
            f"campaign 'jep': the steps {first}, {second} are no longer in the file; players' "
            "answers to them are kept, but their pages and QR codes no longer open; if you only "
            "renamed them, give them back their old ids"
        )
