"""Every French string of the player templates has its English translation, with the same
placeholders."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from web import i18n

WEB = Path(__file__).resolve().parents[2] / "web"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _template_messages() -> list[str | tuple[str, ...]]:
    options = {"**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}
    # The player site only: the staff area (templates/staff/) is written for French staff.
    methods = [("staff/**", "ignore"), ("**.html", "jinja2")]
    found = extract_from_dir(str(WEB / "templates"), method_map=methods, options_map=options)
    return [message for _file, _line, message, _comments, _context in found]


def test_the_english_catalog_translates_every_template_string() -> None:
    with (WEB / "locale/en/LC_MESSAGES/messages.po").open("rb") as po:
        catalog = read_po(po, locale="en")
    missing = []
    for message in _template_messages():
        key = message[0] if isinstance(message, tuple) else message
        entry = catalog.get(key)
        if entry is None or not entry.string or entry.fuzzy:
            missing.append(key)
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) == set(PLACEHOLDER.findall(key)), key
    assert missing == []


def test_the_catalog_is_compiled_at_import() -> None:
    i18n.use("en")
    try:
        assert i18n.gettext("Mon parcours") == "My progress"
        assert i18n.ngettext("Trouvé avec %(num)s indice", "Trouvé avec %(num)s indices", 2) == (
            "Found with %(num)s hints"
        )
    finally:
        i18n.use("fr")
    assert i18n.gettext("Mon parcours") == "Mon parcours"
