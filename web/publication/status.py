"""What the staff page and `balises publish` say about the campaign files: the truth.

Which version is online (its hash, when it was published), and for each file on disk whether
it is that version, a newer content still changing (waiting for the quiet period), a content
with problems (the online version stays), or part of a version held for a CM's confirmation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from campaigns.advice import Advice
from campaigns.problems import Problem
from web.publication.published import Held, Version

FileKind = Literal["online", "waiting", "broken", "held"]


@dataclass(frozen=True)
class FileStatus:
    name: str  # in the campaigns folder
    path: Path
    online: str | None  # sha256 of the version online, None when the file has none online
    on_disk: str | None  # sha256 of the bytes on disk, None when the file is gone
    kind: FileKind
    problems: list[Problem] = field(default_factory=list)
    advice: list[Advice] = field(default_factory=list)  # said, never keeps it offline


@dataclass(frozen=True)
class PublicationStatus:
    version: Version
    held: Held | None
    files: list[FileStatus]
    quiet: float

    @property
    def digest(self) -> str | None:
        """The short name of the version online, None when nothing is published."""
        return self.version.digest[:12] if self.version.files else None

    @property
    def up_to_date(self) -> bool:
        """Whether every file on disk is what is online."""
        return all(f.kind == "online" and not f.problems for f in self.files)
