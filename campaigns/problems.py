"""The one shape of every error a community manager reads.

The CLI, the start-up log and the staff page all print the same `Problem` list, so a CM learns
the same sentence wherever they meet it, like a compiler's `file:line:col: message`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


class CampaignError(Exception):
    """Raised when a campaign file cannot be published; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
