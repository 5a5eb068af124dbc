"""What Chromium's own accessibility tree says of a page, beyond what axe-core checks."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page


def invalid_controls(page: Page) -> list[str]:
    """The names of the controls the accessibility tree exposes as invalid (a required tick,
    radio, list or file input is, before any input, unless the page says otherwise)."""
    cdp = page.context.new_cdp_session(page)
    nodes: list[dict[str, Any]] = cdp.send("Accessibility.getFullAXTree")["nodes"]
    found = []
    for node in nodes:
        props = {p["name"]: p["value"].get("value") for p in node.get("properties", [])}
        if props.get("invalid") not in (None, "false", False):
            found.append(str(node.get("name", {}).get("value", node["role"]["value"])))
    return found
