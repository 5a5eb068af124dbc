"""Coordinates that look swapped are a warning: the campaign goes online and the log says it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.web.conftest import World


def test_swapped_coordinates_are_logged_and_the_campaign_is_online(
    make_world: Callable[..., World], campaign_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    yaml_file = campaign_dir / "campaigns.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    placed = "where: {lat: 47.3941, lon: 0.6848}"
    assert text.count(placed) == 1
    yaml_file.write_text(text.replace(placed, "where: {lat: 0.6848, lon: 47.3941}"), "utf-8")
    caplog.set_level(logging.WARNING)
    world = make_world()
    assert world.site.registry.get("voie-verte") is not None
    assert any(
        "steps[0].where : attention : lat et lon semblent inversés : lat 0.6848, lon 47.3941"
        in r.getMessage()
        for r in caplog.records
    )
