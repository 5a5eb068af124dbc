"""The layers of ARCHITECTURE.md hold, and the check that says so would catch a breach.

`lint-imports` (import-linter, configured in pyproject.toml) runs in scripts/test.sh on the
tree itself; here it also runs on a copy of the tree where a lower layer imports a higher one,
inside a function, and must refuse it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")
PACKAGES = ("balises", "campaigns", "media", "web")


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _copy(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    tree.mkdir()
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    for name in PACKAGES:
        shutil.copytree(
            ROOT / name, tree / name, ignore=shutil.ignore_patterns("__pycache__", "*.po")
        )
    return tree


def test_the_layers_hold(tmp_path: Path) -> None:
    result = _lint(_copy(tmp_path))
    assert result.returncode == 0, result.stdout[-3000:]
    assert "BROKEN" not in result.stdout
    assert "6 kept, 0 broken" in result.stdout


def test_a_lower_layer_importing_a_higher_one_inside_a_function_is_refused(
    tmp_path: Path,
) -> None:
    tree = _copy(tmp_path)
    store = tree / "web" / "store" / "progress.py"
    store.write_text(
        store.read_text(encoding="utf-8")
        + "\n\ndef _sneaky() -> None:\n    from web.staff import auth  # noqa: F401\n",
        encoding="utf-8",
    )

    result = _lint(tree)

    assert result.returncode == 1
    assert "web.store is not allowed to import web.staff" in result.stdout
    assert "web.store.progress -> web.staff.auth" in result.stdout


def test_the_campaign_model_importing_the_database_is_refused(tmp_path: Path) -> None:
    tree = _copy(tmp_path)
    model = tree / "campaigns" / "model.py"
    model.write_text(
        model.read_text(encoding="utf-8") + "\n\nimport sqlalchemy  # noqa: E402, F401\n",
        encoding="utf-8",
    )

    result = _lint(tree)

    assert result.returncode == 1
    assert "campaigns.model -> sqlalchemy" in result.stdout


def test_the_command_line_reaching_past_the_console_is_refused(tmp_path: Path) -> None:
    tree = _copy(tmp_path)
    command = tree / "balises" / "purgecommand.py"
    command.write_text(
        command.read_text(encoding="utf-8") + "\n\nfrom web.store import db  # noqa: E402, F401\n",
        encoding="utf-8",
    )

    result = _lint(tree)

    assert result.returncode == 1
    assert "balises.purgecommand -> web.store.db" in result.stdout
