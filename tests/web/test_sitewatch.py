"""`site.yaml` edited under a running site: the pages follow once the file is quiet, a version
with problems is never shown (the last valid one stays), and the staff are told."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.sitefiles import LOGO_SVG, SITE_YAML, edited, write_site
from web.assets import Assets
from web.publication.registry import QUIET_SECONDS
from web.sitewatch import SiteWatch
from web.templating import STATIC

NAME = "Ville de Val-de-Loir"


class Ticks:
    """A monotonic clock the test moves; the wall clock moves with it."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.start = self.now
        self.wall = time.time()

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return self.wall + self.now - self.start

    def wait(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def ticks() -> Ticks:
    return Ticks()


def watch(folder: Path, ticks: Ticks) -> SiteWatch:
    return SiteWatch(
        folder / "site.yaml", Assets(STATIC), clock=ticks.monotonic, wall_clock=ticks.time
    )


def test_an_edit_shows_once_the_file_is_quiet(tmp_path: Path, ticks: Ticks) -> None:
    write_site(tmp_path)
    site = watch(tmp_path, ticks)
    assert site.current().name == NAME
    (tmp_path / "site.yaml").write_text(edited(name='"Val-de-Loir en jeux"'), encoding="utf-8")
    ticks.wait(2)
    assert site.current().name == NAME  # scp may still be writing it
    ticks.wait(QUIET_SECONDS)
    assert site.current().name == "Val-de-Loir en jeux"
    assert not site.current().check.problems


def test_a_bad_edit_keeps_the_last_valid_version(
    tmp_path: Path, ticks: Ticks, caplog: pytest.LogCaptureFixture
) -> None:
    write_site(tmp_path)
    site = watch(tmp_path, ticks)
    colours = site.current().colour
    (tmp_path / "site.yaml").write_text(edited(colour='"#7fb0a0"', name='"Autre"'), "utf-8")
    ticks.wait(QUIET_SECONDS + 1)
    brand = site.current()
    assert (brand.name, brand.colour) == (NAME, colours)
    assert brand.kept
    assert [p.line for p in brand.check.problems] == [6]
    logged = [r.getMessage() for r in caplog.records]
    assert any("site.yaml:6:11: site.colour : la couleur #7fb0a0" in m for m in logged)
    assert any("keeping the last valid version" in m for m in logged)
    (tmp_path / "site.yaml").write_text(edited(name='"Autre"'), encoding="utf-8")
    ticks.wait(QUIET_SECONDS + 1)
    assert site.current().name == "Autre" and not site.current().kept


def test_a_site_started_on_a_broken_file_is_balises_until_it_is_fixed(
    tmp_path: Path, ticks: Ticks
) -> None:
    write_site(tmp_path, edited(colour='"red"'))
    site = watch(tmp_path, ticks)
    assert site.current().name == "Balises" and not site.current().kept
    write_site(tmp_path)
    ticks.wait(QUIET_SECONDS + 1)
    assert site.current().name == NAME


def test_a_new_logo_is_seen_without_touching_site_yaml(tmp_path: Path, ticks: Ticks) -> None:
    write_site(tmp_path)
    site = watch(tmp_path, ticks)
    before = site.current().logo_url
    (tmp_path / "logo.svg").write_text(LOGO_SVG.replace("#0b5c4b", "#1a4d8f"), "utf-8")
    ticks.wait(QUIET_SECONDS + 1)
    after = site.current().logo_url
    assert after is not None and after != before


def test_a_refused_logo_fixed_is_seen(tmp_path: Path, ticks: Ticks) -> None:
    write_site(tmp_path, logo='<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
    site = watch(tmp_path, ticks)
    assert site.current().name == "Balises"
    (tmp_path / "logo.svg").write_text(LOGO_SVG, encoding="utf-8")
    ticks.wait(QUIET_SECONDS + 1)
    assert site.current().name == NAME and site.current().logo_url


def test_a_file_created_or_removed_is_followed(tmp_path: Path, ticks: Ticks) -> None:
    site = watch(tmp_path, ticks)
    assert site.current().name == "Balises" and not site.current().check.present
    (tmp_path / "logo.svg").write_text(LOGO_SVG, encoding="utf-8")
    (tmp_path / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    ticks.wait(QUIET_SECONDS + 1)
    assert site.current().name == NAME
    (tmp_path / "site.yaml").unlink()
    ticks.wait(1)
    assert site.current().name == NAME  # a file gone is dated from the look that found it so
    ticks.wait(QUIET_SECONDS)
    assert site.current().name == "Balises"
