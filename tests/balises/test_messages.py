"""The command line's messages: French by default, English when the terminal asks, complete."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from balises import messages

BALISES = Path(__file__).resolve().parents[2] / "balises"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def test_the_english_catalog_translates_every_message_of_the_command_line() -> None:
    found = list(extract_from_dir(str(BALISES), method_map=[("**.py", "python")]))
    assert {file for file, *_rest in found} >= {"cli.py", "instance.py", "qrcommand.py"}
    with (BALISES / "locale/en/LC_MESSAGES/messages.po").open("rb") as po:
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


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({}, "fr"),
        ({"LANG": "C.UTF-8"}, "fr"),
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "fr"),  # a language Balises does not speak: its own
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"LC_ALL": "fr_FR.UTF-8", "LANG": "en_GB.UTF-8"}, "fr"),
        ({"LANGUAGE": "de:en", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANGUAGE": "", "LC_MESSAGES": "en_IE@euro"}, "en"),
    ],
)
def test_the_language_is_the_terminal_one(
    environ: dict[str, str], language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    assert messages.language() == language


@pytest.mark.parametrize(
    ("lang", "counts"),
    [
        ("fr", ["0 problème trouvé", "1 problème trouvé", "2 problèmes trouvés"]),
        ("en", ["0 problems found", "1 problem found", "2 problems found"]),
    ],
)
def test_plurals_follow_each_language(
    lang: str, counts: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANGUAGE", lang)
    said = [
        messages.ngettext("%(num)s problème trouvé", "%(num)s problèmes trouvés", n) % {"num": n}
        for n in (0, 1, 2)
    ]
    assert said == counts
