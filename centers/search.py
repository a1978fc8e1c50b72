"""The site search: municipalities, units, posts, people and tasks, then other apps' hits (committees), grouped
by kind. A unit, post or task that exists under one key in several versions of a municipality is one hit, linked
in its current (else newest) version, with chips for the other versions. Each group costs a fixed number of
queries and is cut at `limit` hits."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Case, Count, Max, Min, Prefetch, Q, QuerySet, Value, When, Window
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import extensions
from .extensions import SearchHit, SearchKind, VersionLink
from .filtersets import contains_text, matching
from .models import Municipality, OrgVersion, Person, Post, Task, Unit
from .selectors import default_version, in_force

MIN_QUERY_LENGTH = 2
GROUP_LIMIT = 50

MUNICIPALITIES = SearchKind("municipality", _("Kommuner"), 10)
UNITS = SearchKind("unit", _("Enheder"), 20)
POSTS = SearchKind("post", _("Stillinger"), 30)
PEOPLE = SearchKind("person", _("Personer"), 40)
TASKS = SearchKind("task", _("Opgaver"), 50)


@dataclass
class SearchGroup:
    """The hits of one kind; `total` counts every match, `exact` is False when a provider only said "more"."""

    kind: SearchKind
    hits: list[SearchHit]
    total: int
    exact: bool = True

    @property
    def truncated(self) -> bool:
        return not self.exact or self.total > len(self.hits)


@dataclass
class SearchResults:
    query: str
    limit: int = GROUP_LIMIT
    groups: list[SearchGroup] = field(default_factory=list)

    @property
    def too_short(self) -> bool:
        return len(self.query) < MIN_QUERY_LENGTH

    @property
    def hits(self) -> list[SearchHit]:
        return [hit for group in self.groups for hit in group.hits]

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)


def search(
    query: str, municipality: Municipality | None = None, limit: int = GROUP_LIMIT, on: datetime.date | None = None
) -> SearchResults:
    """Everything whose name, title, holder or key contains `query` (at least two characters), in one
    municipality or in all, grouped by kind in a constant number of queries. With `on`, units, posts and tasks
    only of the version each municipality had in force that day."""
    results = SearchResults(query.strip(), limit)
    if results.too_short:
        return results
    query = results.query
    scope = Q(version__municipality=municipality) if municipality else Q()
    if on is not None:
        scope &= Q(version_id__in=_in_force_on(on, municipality))
    groups = [
        _municipality_group(query, municipality, limit),
        _versioned_group(
            UNITS,
            Unit.objects.filter(scope).select_related("version__municipality"),
            query,
            "name",
            _unit_hit,
            limit,
        ),
        _versioned_group(
            POSTS,
            Post.objects.filter(scope).select_related("version__municipality", "holder", "unit"),
            query,
            "title",
            _post_hit,
            limit,
        ),
        _person_group(query, municipality, limit),
        _versioned_group(
            TASKS,
            Task.objects.filter(scope).select_related("version__municipality", "unit"),
            query,
            "name",
            _task_hit,
            limit,
        ),
        *_provided_groups(query, municipality, limit),
    ]
    results.groups = sorted((group for group in groups if group.hits), key=lambda group: group.kind.order)
    return results


# --- versions and their chips ----------------------------------------------------------------------------


def _in_force_on(on: datetime.date, municipality: Municipality | None) -> list[int]:
    """The ids of the versions in force on `on`, one per municipality at most (one query)."""
    versions = OrgVersion.objects.filter(municipality=municipality) if municipality else OrgVersion.objects.all()
    by_municipality: dict[int, list[OrgVersion]] = {}
    for version in versions:
        by_municipality.setdefault(version.municipality_id, []).append(version)
    chosen = (in_force(candidates, on) for candidates in by_municipality.values())
    return [version.pk for version in chosen if version is not None]


def _age(version: OrgVersion) -> tuple:
    """Versions in time order: by start date; a proposal or draft without one counts as the newest."""
    undated = datetime.date.max if version.status in (OrgVersion.Status.PROPOSED, OrgVersion.Status.DRAFT) else None
    return (version.effective_from or undated or datetime.date.min, version.pk)


def _preferred(versions: list[OrgVersion]) -> OrgVersion:
    """The current version if it is among them, else the newest."""
    current = [version for version in versions if version.status == OrgVersion.Status.CURRENT]
    return current[0] if current else max(versions, key=_age)


def _recency(version: OrgVersion) -> tuple:
    """Sort key putting the current version first, then the others newest first."""
    age = _age(version)
    return (version.status != OrgVersion.Status.CURRENT, -age[0].toordinal(), -age[1])


def _version_link(version: OrgVersion, url: str, title: str = "") -> VersionLink:
    return VersionLink(version.display_label, version.status, str(version.get_status_display()), url, title)


# --- units, posts and tasks: one hit per key and municipality ---------------------------------------------


def _versioned_group(
    kind: SearchKind,
    rows: QuerySet,
    query: str,
    name_field: str,
    make_hit: Callable[[object, list], SearchHit],
    limit: int,
) -> SearchGroup:
    """The rows containing `query`, one hit per (municipality, key) with a current match first (two queries): the
    keys of the first `limit` with their number, then every row of those keys, so the hit knows its versions."""
    has_current = Max(Case(When(version__status=OrgVersion.Status.CURRENT, then=Value(1)), default=Value(0)))
    keys = list(
        rows.filter(matching(rows.model, query))
        .values("version__municipality_id", "key")
        .annotate(has_current=has_current, sort_name=Min(name_field), total=Window(Count("*")))
        .order_by("-has_current", "version__municipality__name", "sort_name", "key")[:limit]
    )
    if not keys:
        return SearchGroup(kind, [], 0)
    wanted = {(row["version__municipality_id"], row["key"]) for row in keys}
    # The municipalities and keys as two lists (answered from the (version, key) index), not as pairs (which
    # PostgreSQL answered by reading every row); a row of one municipality with another one's key is not used.
    found = rows.filter(
        version__municipality_id__in={municipality for municipality, _key in wanted},
        key__in={key for _municipality, key in wanted},
    )
    by_key: dict[tuple[int, str], list] = defaultdict(list)
    for row in found:
        row.matches = contains_text(row, query)
        by_key[(row.version.municipality_id, row.key)].append(row)
    hits = []
    for key in keys:
        same_key = by_key[(key["version__municipality_id"], key["key"])]
        versions = {row.version: row for row in same_key if row.matches} or {row.version: row for row in same_key}
        chosen = versions[_preferred(list(versions))]
        others = sorted((row for row in same_key if row is not chosen), key=lambda row: _age(row.version))
        hits.append(make_hit(chosen, others))
    return SearchGroup(kind, hits, keys[0]["total"])


def _unit_hit(unit: Unit, others: list[Unit]) -> SearchHit:
    url = unit.get_absolute_url()
    return SearchHit(
        "unit",
        unit.display_name,
        url,
        str(unit.get_kind_display()),
        unit.version.municipality.name,
        _version_link(unit.version, url, unit.display_name),
        tuple(_version_link(other.version, other.get_absolute_url(), other.display_name) for other in others),
    )


def _post_hit(post: Post, others: list[Post]) -> SearchHit:
    url = post.get_absolute_url()
    holder = post.holder.name if post.holder_id else ""
    where = post.unit.display_name if post.unit_id else ""
    return SearchHit(
        "post",
        post.display_title,
        url,
        " · ".join(part for part in (holder, where) if part),
        post.version.municipality.name,
        _version_link(post.version, url, post.display_title),
        tuple(_version_link(other.version, other.get_absolute_url(), other.display_title) for other in others),
    )


def _task_url(task: Task) -> str:
    """A task has no page of its own: it links to its unit in its version."""
    return reverse("centers:unit", args=[task.version.municipality.slug, task.version.key, task.unit.key])


def _task_hit(task: Task, others: list[Task]) -> SearchHit:
    url = _task_url(task)
    return SearchHit(
        "task",
        task.display_name,
        url,
        task.unit.display_name,
        task.version.municipality.name,
        _version_link(task.version, url, task.display_name),
        tuple(_version_link(other.version, _task_url(other), other.display_name) for other in others),
    )


# --- municipalities and people -----------------------------------------------------------------------------


def _municipality_group(query: str, municipality: Municipality | None, limit: int) -> SearchGroup:
    """Municipalities by name or slug, linked to their chart, with a chip for every version (two queries)."""
    found = Municipality.objects.filter(matching(Municipality, query))
    if municipality is not None:
        found = found.filter(pk=municipality.pk)
    rows = list(found.annotate(total=Window(Count("*"))).prefetch_related("versions").order_by("name")[:limit])
    hits = []
    for row in rows:
        preferred = default_version(row)
        versions = sorted(row.versions.all(), key=_age)
        hits.append(
            SearchHit(
                "municipality",
                row.name,
                row.get_absolute_url(),
                "",
                row.name,
                _version_link(preferred, preferred.get_absolute_url()) if preferred else None,
                tuple(
                    _version_link(version, version.get_absolute_url()) for version in versions if version != preferred
                ),
            )
        )
    return SearchGroup(MUNICIPALITIES, hits, rows[0].total if rows else 0)


def _person_group(query: str, municipality: Municipality | None, limit: int) -> SearchGroup:
    """Post holders and committee members by name, with the titles of their posts (two queries)."""
    found = Person.objects.filter(matching(Person, query))
    if municipality is not None:
        found = found.filter(municipality=municipality)
    posts = Post.objects.select_related("version").order_by("pk")
    rows = list(
        found.select_related("municipality")
        .annotate(total=Window(Count("*")))
        .prefetch_related(Prefetch("posts", queryset=posts))
        .order_by("municipality__name", "name", "pk")[:limit]
    )
    hits = []
    for person in rows:
        held = sorted(person.posts.all(), key=lambda post: _recency(post.version))
        titles = list(dict.fromkeys(post.display_title for post in held))
        hits.append(
            SearchHit("person", person.name, person.get_absolute_url(), ", ".join(titles), person.municipality.name)
        )
    return SearchGroup(PEOPLE, hits, rows[0].total if rows else 0)


# --- other apps --------------------------------------------------------------------------------------------


def _provided_groups(query: str, municipality: Municipality | None, limit: int) -> list[SearchGroup]:
    """Hits of the registered providers by kind, current versions first; a provider is asked for one more than
    `limit` so the group can say that it was cut."""
    by_kind: dict[str, list[SearchHit]] = defaultdict(list)
    for provider in extensions.registry.search_providers:
        for hit in provider(query, municipality, limit + 1):
            by_kind[hit.kind].append(hit)
    groups = []
    for kind, hits in by_kind.items():
        search_kind = extensions.registry.search_kinds.get(kind) or SearchKind(kind, kind, 1000)
        hits.sort(key=lambda hit: hit.version is None or hit.version.status != OrgVersion.Status.CURRENT)
        groups.append(SearchGroup(search_kind, hits[:limit], min(len(hits), limit), exact=len(hits) <= limit))
    return groups
