"""axe-core in the real browser: no page may have a serious or critical violation."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

BLOCKING = ("serious", "critical")


def serious_violations(page: Page) -> list[dict[str, object]]:
    violations: list[dict[str, object]] = Axe().run(page).response["violations"]
    return [v for v in violations if v.get("impact") in BLOCKING]


def describe(violations: list[dict[str, object]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:  # type: ignore[attr-defined]
            lines.append(f"    {node['target']}: {node.get('failureSummary', '')}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    violations = serious_violations(page)
    assert not violations, f"axe-core on {page.url}:\n{describe(violations)}"
