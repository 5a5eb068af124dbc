"""Every French string of the site (player and staff templates, `gettext` calls in `web/`) has
its English translation, with the same placeholders."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from web import i18n

WEB = Path(__file__).resolve().parents[2] / "web"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _template_messages() -> list[tuple[str, str | tuple[str, ...]]]:
    """(file, message) of every `_()`/`{% trans %}` of the player's and the staff's templates."""
    options = {"**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}
    methods = [("**.html", "jinja2")]
    found = extract_from_dir(str(WEB / "templates"), method_map=methods, options_map=options)
    return [(file, message) for file, _line, message, _comments, _context in found]


def _code_messages() -> list[tuple[str, str | tuple[str, ...]]]:
    """(file, message) of every `gettext`/`_()`/`ngettext` call of the Python modules of `web/`."""
    found = extract_from_dir(str(WEB), method_map=[("**.py", "python")])
    return [(file, message) for file, _line, message, _comments, _context in found]


def test_the_extraction_sees_the_staff_area() -> None:
    """The check below covers the staff pages and the messages their handlers write."""
    files = {file for file, _message in _template_messages() + _code_messages()}
    assert {"staff/moderation.html", "staff/_nav.html", "staff/photo.html"} <= files
    assert {"staff/auth.py", "library/catalogue.py", "staff/refusals.py"} <= files


@pytest.mark.parametrize("source", [_template_messages, _code_messages])
def test_the_english_catalog_translates_every_string(
    source: Callable[[], list[tuple[str, str | tuple[str, ...]]]],
) -> None:
    with (WEB / "locale/en/LC_MESSAGES/messages.po").open("rb") as po:
        catalog = read_po(po, locale="en")
    missing = []
    for _file, message in source():
        key = message[0] if isinstance(message, tuple) else message
        entry = catalog.get(key)
        if entry is None or not entry.string or entry.fuzzy:
            missing.append(key)
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for string in strings:
            assert set(PLACEHOLDER.findall(str(string))) == set(PLACEHOLDER.findall(key)), key
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
