"""The rules of publication: a file goes online only once it stopped changing and validates; a
version that removes what players have progress in waits for a CM; the version online is kept
in the instance, shared by every worker and by the next start."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from campaigns.changes import Removal
from tests.campaign_cuts import cut_inside_text_block
from tests.web.conftest import World
from web.publication.published import Store
from web.publication.registry import QUIET_SECONDS, Registry

WHEN = datetime(2026, 10, 3, 14, 30, tzinfo=UTC)
TOUR = "Cette tour vous dit quelque chose ?"


class Ticks:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def yaml_file(campaign_dir: Path) -> Path:
    return campaign_dir / "campaigns.yaml"


@pytest.fixture
def make_registry(yaml_file: Path, tmp_path: Path) -> Callable[..., tuple[Registry, Ticks]]:
    def make(
        progress: Callable[[Sequence[Removal]], dict[Removal, int]] | None = None,
        path: Path | None = None,
        wall: datetime = WHEN,
    ) -> tuple[Registry, Ticks]:
        ticks = Ticks()
        registry = Registry(
            path or yaml_file,
            store=Store(tmp_path / "var" / "published"),
            progress=progress,
            clock=ticks,
            wall_clock=lambda: wall,
            interval=1.0,
        )
        return registry, ticks

    return make


def steps_of(registry: Registry, slug: str = "ou-sommes-nous") -> int | None:
    campaign = registry.get(slug)
    return None if campaign is None else len(campaign.steps)


def settle(registry: Registry, ticks: Ticks) -> None:
    """The worker sees the new content at its next look, then again once it stayed quiet."""
    ticks.now += 1.1
    registry.refresh()
    ticks.now += QUIET_SECONDS
    registry.refresh()


def first_title(registry: Registry) -> str:
    campaign = registry.get("ou-sommes-nous")
    assert campaign is not None
    title = campaign.steps[0].title
    return title if isinstance(title, str) else title["fr"]


def everyone_has_progress(removed: Sequence[Removal]) -> dict[Removal, int]:
    return {r: 3 if r.step is None else 2 for r in removed}


def test_a_file_is_published_only_once_it_stopped_changing(
    make_registry: Callable[..., tuple[Registry, Ticks]], yaml_file: Path
) -> None:
    registry, ticks = make_registry()
    full = yaml_file.read_text(encoding="utf-8")
    edited = full.replace(TOUR, "Cette tour, vous la voyez ?")
    yaml_file.write_text(cut_inside_text_block(edited), encoding="utf-8")  # the upload begins
    for missing in (3000, 2000, 1000):
        ticks.now += 1.5  # the upload goes on: each look sees another content
        registry.refresh()
        assert steps_of(registry) == 10 and steps_of(registry, "voie-verte") == 4
        yaml_file.write_text(edited[:-missing], encoding="utf-8")
    yaml_file.write_text(edited, encoding="utf-8")  # the last block
    ticks.now += 1.5
    registry.refresh()
    assert first_title(registry) == TOUR
    assert [f.kind for f in registry.status().files] == ["waiting"]
    ticks.now += QUIET_SECONDS
    registry.refresh()
    assert first_title(registry) == "Cette tour, vous la voyez ?"
    assert [f.kind for f in registry.status().files] == ["online"]


def test_the_content_counts_not_the_mtime(
    make_registry: Callable[..., tuple[Registry, Ticks]], yaml_file: Path
) -> None:
    registry, ticks = make_registry()
    published = registry.status().version
    stat = yaml_file.stat()
    os.utime(yaml_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))  # touched
    settle(registry, ticks)
    assert registry.status().version == published  # same bytes: not published again
    # Same size, mtime put back (`cp -p`, `scp -p`): only the bytes say it changed.
    text = yaml_file.read_text(encoding="utf-8")
    yaml_file.write_text(text.replace(TOUR, TOUR.replace("tour", "TOUR")), encoding="utf-8")
    os.utime(yaml_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert yaml_file.stat().st_size == stat.st_size
    ticks.now += 1.1
    registry.refresh()
    assert registry.status().files[0].kind == "waiting"
    ticks.now += QUIET_SECONDS
    registry.refresh()
    assert "TOUR" in first_title(registry)


def test_a_file_edited_while_nobody_looked_is_dated_from_its_last_write(
    make_registry: Callable[..., tuple[Registry, Ticks]], yaml_file: Path
) -> None:
    """No visitor for a while (no look), or a restart: the bytes have been quiet all along."""
    later = datetime.now(UTC) + timedelta(seconds=QUIET_SECONDS + 1)
    registry, ticks = make_registry(wall=later)
    yaml_file.write_text(yaml_file.read_text(encoding="utf-8").replace(TOUR, "Et cette tour ?"))
    ticks.now += 1.1
    registry.refresh()
    assert first_title(registry) == "Et cette tour ?"


def test_files_are_looked_at_at_most_once_a_second(
    make_registry: Callable[..., tuple[Registry, Ticks]], yaml_file: Path
) -> None:
    registry, ticks = make_registry()
    yaml_file.write_text("garbage: [", encoding="utf-8")
    ticks.now += 0.5
    registry.refresh()
    assert registry.status().files[0].on_disk == registry.status().files[0].online  # not seen
    ticks.now += 0.6
    registry.refresh()
    assert registry.status().files[0].on_disk != registry.status().files[0].online


def test_a_broken_file_keeps_the_online_version_and_says_so(
    make_registry: Callable[..., tuple[Registry, Ticks]],
    yaml_file: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    registry, ticks = make_registry()
    with caplog.at_level(logging.WARNING, logger="balises.campaigns"):
        yaml_file.write_text(yaml_file.read_text(encoding="utf-8") + "\n  - slug: [broken\n")
        settle(registry, ticks)
    assert steps_of(registry) == 10
    [file] = registry.status().files
    assert file.kind == "broken" and file.online is not None and file.problems
    assert registry.last_problems[yaml_file] == file.problems
    logged = [r.getMessage() for r in caplog.records]
    assert str(file.problems[0]) in logged
    assert f"{yaml_file}: keeping the last valid version online" in logged


def test_a_version_that_removes_progress_is_held_until_a_cm_confirms_it(
    make_registry: Callable[..., tuple[Registry, Ticks]], yaml_file: Path
) -> None:
    registry, ticks = make_registry(progress=everyone_has_progress)
    online = registry.status().version
    yaml_file.write_text(cut_inside_text_block(yaml_file.read_text(encoding="utf-8")))
    settle(registry, ticks)
    assert steps_of(registry) == 10 and steps_of(registry, "voie-verte") == 4
    status = registry.status()
    assert status.version == online
    assert status.held is not None and status.held.since == WHEN
    assert [f.kind for f in status.files] == ["held"]
    removed = [(r.campaign, r.step, n) for r, n in status.held.removals]
    assert removed[0] == ("ou-sommes-nous", "entracte", 2)
    assert ("voie-verte", None, 3) in removed and len(removed) == 8  # 7 steps and a campaign
    assert not registry.confirm("0" * 64)  # not the held version: nothing happens
    assert steps_of(registry) == 10
    assert registry.confirm(status.held.digest)
    assert steps_of(registry) == 3 and registry.get("voie-verte") is None
    after = registry.status()
    assert after.held is None and after.version.digest == status.held.digest
    assert after.version.published_at == WHEN


def test_a_removal_nobody_has_progress_in_is_published_with_a_warning(
    make_registry: Callable[..., tuple[Registry, Ticks]], yaml_file: Path
) -> None:
    registry, ticks = make_registry(progress=lambda removed: {r: 0 for r in removed})
    yaml_file.write_text(yaml_file.read_text().replace("- id: musique", "- id: le-mail", 1))
    settle(registry, ticks)
    campaign = registry.get("ou-sommes-nous")
    assert campaign is not None and campaign.step("le-mail") and not campaign.step("musique")
    assert any("'musique'" in p.message for p in registry.last_problems[yaml_file])


def test_putting_the_file_back_ends_the_hold(
    make_registry: Callable[..., tuple[Registry, Ticks]], yaml_file: Path
) -> None:
    registry, ticks = make_registry(progress=everyone_has_progress)
    full = yaml_file.read_text(encoding="utf-8")
    yaml_file.write_text(cut_inside_text_block(full))
    settle(registry, ticks)
    assert registry.status().held is not None
    yaml_file.write_text(full)
    ticks.now += 1.1
    registry.refresh()
    status = registry.status()
    assert status.held is None and [f.kind for f in status.files] == ["online"]


def test_two_workers_share_the_hold_the_confirmation_and_the_version(
    make_registry: Callable[..., tuple[Registry, Ticks]], yaml_file: Path
) -> None:
    first, first_ticks = make_registry(progress=everyone_has_progress)
    second, second_ticks = make_registry(progress=everyone_has_progress)
    yaml_file.write_text(cut_inside_text_block(yaml_file.read_text(encoding="utf-8")))
    settle(first, first_ticks)
    second_ticks.now += 1.1  # the second worker only just saw the new content
    held = second.status().held
    assert held is not None  # the first one's decision, read from the instance
    assert steps_of(second) == 10
    assert second.confirm(held.digest)
    assert steps_of(second) == 3
    first_ticks.now += 1.1
    first.refresh()
    assert steps_of(first) == 3 and first.get("voie-verte") is None


def test_a_restart_serves_the_kept_version_while_the_file_is_broken(
    make_registry: Callable[..., tuple[Registry, Ticks]], yaml_file: Path
) -> None:
    registry, ticks = make_registry()
    yaml_file.write_text(yaml_file.read_text(encoding="utf-8").replace(TOUR, "Et cette tour ?"))
    settle(registry, ticks)
    published = registry.status().version
    yaml_file.write_bytes(b"\x00\xff campaigns: [ {{{")
    # Restarted a while after the file was broken: its bytes are dated from their last write.
    restarted, _ticks = make_registry(wall=datetime.now(UTC) + timedelta(seconds=QUIET_SECONDS))
    assert steps_of(restarted) == 10 and steps_of(restarted, "voie-verte") == 4
    assert first_title(restarted) == "Et cette tour ?"
    status = restarted.status()
    assert status.version == published
    assert [f.kind for f in status.files] == ["broken"]
    assert restarted.last_problems[yaml_file]


def test_a_restart_keeps_a_held_version_held(
    make_registry: Callable[..., tuple[Registry, Ticks]], yaml_file: Path
) -> None:
    registry, ticks = make_registry(progress=everyone_has_progress)
    yaml_file.write_text(cut_inside_text_block(yaml_file.read_text(encoding="utf-8")))
    settle(registry, ticks)
    held = registry.status().held
    restarted, _ticks = make_registry(progress=everyone_has_progress)
    assert steps_of(restarted) == 10
    assert restarted.status().held == held


def test_a_file_removed_from_a_folder_is_a_removal_too(
    make_registry: Callable[..., tuple[Registry, Ticks]], campaign_dir: Path, yaml_file: Path
) -> None:
    text = yaml_file.read_text(encoding="utf-8")
    start = text.index("  - slug: voie-verte")
    yaml_file.write_text(text[:start])
    (campaign_dir / "voie-verte.yaml").write_text("version: 1\ncampaigns:\n" + text[start:])
    registry, ticks = make_registry(progress=everyone_has_progress, path=campaign_dir)
    assert steps_of(registry, "voie-verte") == 4
    (campaign_dir / "voie-verte.yaml").unlink()
    settle(registry, ticks)
    status = registry.status()
    assert steps_of(registry, "voie-verte") == 4
    assert status.held is not None
    assert [(r.campaign, r.step) for r, _n in status.held.removals] == [("voie-verte", None)]


def test_the_site_publishes_an_edit_after_the_quiet_period(
    world: World, campaign_dir: Path
) -> None:
    """In the app: `refresh(force=True)` skips the wait, as `balises publish` does."""
    path = campaign_dir / "campaigns.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Où sommes-nous", "Où donc", 1))
    world.site.registry._checked = float("-inf")
    assert "Où donc" not in world.client().get("/c/ou-sommes-nous").text
    world.site.registry.refresh(force=True)
    assert "Où donc" in world.client().get("/c/ou-sommes-nous").text
    kept = world.settings.var_dir / "published" / "files"
    assert [p.read_text(encoding="utf-8") for p in kept.iterdir()] == [path.read_text()]
