"""Campaign files are reloaded when they change; a broken edit keeps the last good version."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from tests.web.conftest import World


def _touch_later(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def test_an_edit_is_published_and_a_broken_one_keeps_the_last_good_version(
    world: World, campaign_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    registry = world.site.registry
    registry._interval = 0  # look at the files at every request in this test
    path = campaign_dir / "campaigns.yaml"
    original = path.read_text(encoding="utf-8")
    assert "Balises" in world.client().get("/").text

    edited = original.replace("Où sommes-nous", "Où sommes-nous donc", 1)
    path.write_text(edited, encoding="utf-8")
    _touch_later(path)
    assert "Où sommes-nous donc" in world.client().get("/c/ou-sommes-nous").text

    with caplog.at_level(logging.WARNING, logger="balises.campaigns"):
        path.write_text(edited + "\n  - slug: [broken\n", encoding="utf-8")
        _touch_later(path)
        page = world.client().get("/c/ou-sommes-nous")
    assert page.status_code == 200
    assert "Où sommes-nous donc" in page.text
    assert registry.last_problems[path]
    logged = [r.getMessage() for r in caplog.records]
    assert str(registry.last_problems[path][0]) in logged
    assert any("keeping the last valid version" in m for m in logged)

    path.write_text(original, encoding="utf-8")
    _touch_later(path)
    assert "Où sommes-nous donc" not in world.client().get("/c/ou-sommes-nous").text
    assert path not in registry.last_problems


def test_files_are_looked_at_at_most_once_a_second(world: World, campaign_dir: Path) -> None:
    registry = world.site.registry
    calls = []
    original = registry._load
    registry._load = lambda *a: (calls.append(a), original(*a))  # type: ignore[method-assign]
    path = campaign_dir / "campaigns.yaml"
    _touch_later(path)
    for _ in range(5):
        world.client().get("/")
    assert len(calls) <= 1


def test_an_edit_that_removes_a_step_is_published_with_a_warning(
    world: World, campaign_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    registry = world.site.registry
    registry._interval = 0
    path = campaign_dir / "campaigns.yaml"
    original = path.read_text(encoding="utf-8")
    edited = original.replace("- id: musique", "- id: le-mail", 1)
    with caplog.at_level(logging.WARNING, logger="balises.campaigns"):
        path.write_text(edited, encoding="utf-8")
        _touch_later(path)
        assert world.client().get("/c/ou-sommes-nous/le-mail").status_code == 200
    assert world.client().get("/c/ou-sommes-nous/musique").status_code == 404
    warnings = [r.getMessage() for r in caplog.records if "no longer in the file" in r.getMessage()]
    assert warnings and "'musique'" in warnings[0]
    assert any("'musique'" in p.message for p in registry.last_problems[path])
