"""What every test shares: the command line speaks French unless a test asks for English.

`balises.messages` reads the terminal's language from the environment; a developer's
`LANG=en_GB.UTF-8` must not change what the tests see.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def french_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGUAGE", "fr")
