"""Parts of the document owned by other apps (governance): what a section is given and what it gives back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from centers.models import Municipality, OrgVersion, Person, Post, Unit

    from .validation import Checker


@dataclass
class LoadContext:
    """What a section writes from: the document and the rows the loader has written, by key.

    A full load writes a new municipality and every version of the document. `add_versions` writes only some
    versions of a municipality that exists (`new_municipality` is False): a section then writes only the rows of
    `version_specs` and finds the municipality's own rows (committees, people) in the database. `versions`,
    `units`, `posts` and `people` hold the rows written and the stored ones the written versions refer to.
    """

    municipality: Municipality
    data: dict
    versions: dict[str, OrgVersion]
    units: dict[str, dict[str, Unit]]
    posts: dict[str, dict[str, Post]]
    people: dict[str, Person]
    # Every row written, by the loader and by the sections, by model: the loader records a history baseline (one
    # "+" record) for every row of every model with history from these.
    written: dict[type, list[Any]] = field(default_factory=dict)
    new_municipality: bool = True
    # The keys of the versions written; None: all of the document's.
    version_keys: frozenset[str] | None = None

    @property
    def version_specs(self) -> list[dict]:
        """The document's versions that this load writes, in document order."""
        if self.version_keys is None:
            return self.data["versions"]
        return [spec for spec in self.data["versions"] if spec["key"] in self.version_keys]

    def record(self, rows: list) -> list:
        """Note rows just written (a section passes what its bulk inserts return); returns them."""
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
