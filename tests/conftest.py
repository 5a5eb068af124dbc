"""What every test shares: the command line speaks French unless a test asks for English.

`balises.messages` reads the terminal's language from the environment; a developer's
`LANG=en_GB.UTF-8` must not change what the tests see. The site's own language (`web.i18n`, a
context variable) starts each test in French too: a command run in-process speaks the terminal's
language in the test's thread (`web.console.speak`) and would otherwise leave it to the next test
that builds a site there, whose start-up texts (map-tile problems, the privacy notice's third
parties) would come out in English.
"""

from __future__ import annotations

import pytest

from web import i18n


@pytest.fixture(autouse=True)
def french_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGUAGE", "fr")
    i18n.use("fr")
