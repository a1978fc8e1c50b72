"""Parts of the document owned by other apps (governance): what a section is given and what it gives back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from centers.models import Municipality, OrgVersion, Person, Post, Unit

    from .validation import Checker


@dataclass
class LoadContext:
    """What a section writes from: the document and the rows the loader has written, by key."""

    municipality: Municipality
    data: dict
    versions: dict[str, OrgVersion]
    units: dict[str, dict[str, Unit]]
    posts: dict[str, dict[str, Post]]
    people: dict[str, Person]
    # Every row the section writes, by model: the loader records one history baseline per model from these.
    written: dict[type, list[Any]] = field(default_factory=dict)

    def record(self, rows: list) -> list:
        if rows:
            self.written.setdefault(type(rows[0]), []).extend(rows)
        return rows


@dataclass
class SectionExport:
    """A section's part of an exported document: top-level keys, and keys per version (by version id)."""

    top_level: dict[str, Any]
    per_version: dict[int, dict[str, Any]]


class StructureSection(Protocol):
    def check(self, checker: Checker) -> None: ...

    def write(self, context: LoadContext) -> None: ...

    def export(self, municipality: Municipality, versions: list[OrgVersion]) -> SectionExport: ...
