"""Extension points through which other apps (governance) add to the organisation's pages and reads.

`centers` never imports `governance`; governance registers here in its AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Panel:
    """A section of the unit, post or person page: a template and a function giving its context (bounded
    queries)."""

    template_name: str
    context: Callable[[Any], dict]
    order: int = 100


@dataclass(frozen=True)
class VersionLink:
    """A version a search hit exists in: its label, its status (for the status chip) and the hit's address
    there; `title` is the hit's name in that version."""

    label: str
    status: str
    status_label: str
    url: str
    title: str = ""


@dataclass(frozen=True)
class SearchHit:
    """One result of the site search; `version` is the version it links to, `other_versions` the versions the
    same key also exists in (shown as chips, not as hits of their own)."""

    kind: str
    title: str
    url: str
    detail: str = ""
    municipality: str = ""
    version: VersionLink | None = None
    other_versions: tuple[VersionLink, ...] = ()


@dataclass(frozen=True)
class SearchKind:
    """A group of the site search's results: the kind of its hits, its heading and its place among the groups."""

    kind: str
    label: Any
    order: int = 100


@dataclass(frozen=True)
class ChartHighlight:
    """Units the chart marks at another page's request (the units serving a committee), with what they are."""

    label: str
    unit_keys: list[str]


@dataclass(frozen=True)
class Download:
    """A file other apps offer beside the organisation's own downloads: its label (the format, "Popolo JSON")
    and its address, from the municipality (scope "municipality") or the version (scope "version")."""

    label: Any
    url: Callable[[Any], str]
    scope: str = "version"
    order: int = 100


@dataclass
class Registry:
    unit_panels: list[Panel] = field(default_factory=list)
    post_panels: list[Panel] = field(default_factory=list)
    # sections of the person page (committee memberships)
    person_panels: list[Panel] = field(default_factory=list)
    # (version) -> steps above the chief executive (Økonomiudvalget, the council)
    reporting_tails: list[Callable] = field(default_factory=list)
    # (query, municipality or None, limit) -> list[SearchHit]
    search_providers: list[Callable] = field(default_factory=list)
    # headings of the hit kinds other apps' providers return ("committee" -> Udvalg)
    search_kinds: dict[str, SearchKind] = field(default_factory=dict)
    # (version, query parameters) -> ChartHighlight or None
    chart_highlights: list[Callable] = field(default_factory=list)
    # parts of the structure format owned by other apps (centers.structure_format.sections.StructureSection)
    structure_sections: list[Any] = field(default_factory=list)
    # files offered on the version and municipality pages (governance's committee services CSV, Popolo)
    downloads: list[Download] = field(default_factory=list)


registry = Registry()


def register_unit_panel(panel: Panel) -> None:
    if panel not in registry.unit_panels:
        registry.unit_panels.append(panel)
        registry.unit_panels.sort(key=lambda item: item.order)


def register_post_panel(panel: Panel) -> None:
    if panel not in registry.post_panels:
        registry.post_panels.append(panel)
        registry.post_panels.sort(key=lambda item: item.order)


def register_person_panel(panel: Panel) -> None:
    if panel not in registry.person_panels:
        registry.person_panels.append(panel)
        registry.person_panels.sort(key=lambda item: item.order)


def register_reporting_tail(tail: Callable) -> None:
    if tail not in registry.reporting_tails:
        registry.reporting_tails.append(tail)


def register_search_provider(provider: Callable) -> None:
    if provider not in registry.search_providers:
        registry.search_providers.append(provider)


def register_chart_highlight(provider: Callable) -> None:
    if provider not in registry.chart_highlights:
        registry.chart_highlights.append(provider)


def register_search_kind(kind: SearchKind) -> None:
    registry.search_kinds[kind.kind] = kind


def register_structure_section(section) -> None:
    if not any(type(existing) is type(section) for existing in registry.structure_sections):
        registry.structure_sections.append(section)


def register_download(download: Download) -> None:
    if download not in registry.downloads:
        registry.downloads.append(download)
        registry.downloads.sort(key=lambda item: item.order)


def downloads(scope: str) -> list[Download]:
    return [download for download in registry.downloads if download.scope == scope]
