"""Reads of the organisation: overview lists and the structure document of a municipality."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy

from . import extensions, structure_format
from .models import Municipality, OrgVersion, Post, PostKind, Task, Unit
from .structure_format import document_text, format_date


def municipalities_with_versions() -> QuerySet[Municipality]:
    """Every municipality with its versions (newest first) and their unit counts, in two queries."""
    versions = OrgVersion.objects.annotate(unit_count=Count("units")).order_by("-effective_from", "-key")
    return Municipality.objects.prefetch_related(Prefetch("versions", queryset=versions))


def _export_version(
    version: OrgVersion,
    units: list[Unit],
    posts: list[Post],
    tasks: list[Task],
    formed_from: dict[int, list[str]],
) -> dict:
    keys = {unit.pk: unit.key for unit in units}
    post_keys = {post.pk: post.key for post in posts}
    tasks_by_unit: dict[int, list[Task]] = defaultdict(list)
    for task in tasks:
        tasks_by_unit[task.unit_id].append(task)
    return {
        "key": version.key,
        "label": version.label,
        "label_en": document_text(version.label_en),
        "status": version.status,
        "effective_from": format_date(version.effective_from),
        "effective_to": format_date(version.effective_to),
        "decided_on": format_date(version.decided_on),
        "decided_by": document_text(version.decided_by),
        "based_on": version.based_on.key if version.based_on_id else None,
        "source": document_text(version.source),
        "note": document_text(version.note),
        "units": [
            {
                "key": unit.key,
                "name": unit.name,
                "name_en": document_text(unit.name_en),
                "kind": unit.kind,
                "parent": keys.get(unit.parent_id),
                "head": post_keys.get(unit.head_id),
                "responsible": post_keys.get(unit.responsible_id),
                "formed_from": formed_from.get(unit.pk, []),
                "tasks": [
                    {
                        "key": task.key,
                        "name": task.name,
                        "name_en": document_text(task.name_en),
                        "source": document_text(task.source),
                        "note": document_text(task.note),
                    }
                    for task in tasks_by_unit[unit.pk]
                ],
                "source": document_text(unit.source),
                "note": document_text(unit.note),
            }
            for unit in units
        ],
        "posts": [
            {
                "key": post.key,
                "title": post.title,
                "title_en": document_text(post.title_en),
                "kind": post.kind,
                "unit": keys.get(post.unit_id),
                "holder": post.holder.key if post.holder_id else None,
                "reports_to": post_keys.get(post.reports_to_id),
                "source": document_text(post.source),
                "note": document_text(post.note),
            }
            for post in posts
        ],
    }


def export_structure(municipality: Municipality, version_key: str | None = None) -> dict:
    """The structure document of a municipality (or of one version of it), in canonical order.

    A single-version export is a standalone document: `based_on` and `formed_from` point outside it and
    are left out.
    """
    versions = list(municipality.versions.select_related("based_on").order_by("pk"))
    if version_key is not None:
        versions = [version for version in versions if version.key == version_key]
        if not versions:
            raise OrgVersion.DoesNotExist(f"{municipality.slug} has no version '{version_key}'")
    version_ids = [version.pk for version in versions]
    units_by_version: dict[int, list[Unit]] = defaultdict(list)
    for unit in Unit.objects.filter(version_id__in=version_ids).order_by("tree_id", "lft"):
        units_by_version[unit.version_id].append(unit)
    posts_by_version: dict[int, list[Post]] = defaultdict(list)
    for post in Post.objects.filter(version_id__in=version_ids).select_related("holder").order_by("pk"):
        posts_by_version[post.version_id].append(post)
    tasks_by_version: dict[int, list[Task]] = defaultdict(list)
    for task in Task.objects.filter(version_id__in=version_ids).order_by("pk"):
        tasks_by_version[task.version_id].append(task)
    formed_from: dict[int, list[str]] = defaultdict(list)
    if version_key is None:
        links = Unit.formed_from.through.objects.filter(from_unit__version_id__in=version_ids)
        for from_id, key in links.order_by("pk").values_list("from_unit_id", "to_unit__key"):
            formed_from[from_id].append(key)
    exported_versions = [
        _export_version(
            version,
            units_by_version[version.pk],
            posts_by_version[version.pk],
            tasks_by_version[version.pk],
            formed_from,
        )
        for version in versions
    ]
    if version_key is not None:
        exported_versions[0]["based_on"] = None
    people = list(municipality.people.order_by("pk"))
    document = {
        "format": structure_format.FORMAT,
        "municipality": {
            "slug": municipality.slug,
            "name": municipality.name,
            "kommunekode": municipality.kommunekode,
        },
        "sources": [
            {
                "key": source.key,
                "title": source.title,
                "file": document_text(source.file),
                "url": document_text(source.url),
                "note": document_text(source.note),
            }
            for source in municipality.sources.order_by("pk")
        ],
        "people": [{"key": person.key, "name": person.name, "note": document_text(person.note)} for person in people],
    }
    for section in structure_format.sections():
        top_level, per_version = section.export(municipality, versions)
        document.update(top_level)
        for exported, version in zip(exported_versions, versions, strict=True):
            exported.update(per_version.get(version.pk, {}))
    document["versions"] = exported_versions
    return document


# --- browsing ------------------------------------------------------------------------------------

VERSION_PREFERENCE = [OrgVersion.Status.CURRENT, OrgVersion.Status.PREVIOUS, OrgVersion.Status.PROPOSED]


def default_version(municipality: Municipality) -> OrgVersion | None:
    """The version a visitor sees first: the current one, else the newest previous, proposed or draft one."""
    versions = list(municipality.versions.all())

    def preference(version: OrgVersion) -> tuple:
        rank = VERSION_PREFERENCE.index(version.status) if version.status in VERSION_PREFERENCE else 9
        return (rank, -(version.effective_from or datetime.date.min).toordinal(), version.pk)

    return min(versions, key=preference, default=None)


def version_in_force(municipality: Municipality, on: datetime.date) -> OrgVersion | None:
    """The decided (previous or current) version in force on a date; None when none covers it."""
    candidates = [
        version
        for version in municipality.versions.all()
        if version.status in (OrgVersion.Status.PREVIOUS, OrgVersion.Status.CURRENT)
        and version.effective_from is not None
        and version.effective_from <= on
        and (version.effective_to is None or on <= version.effective_to)
    ]
    return max(candidates, key=lambda version: version.effective_from, default=None)


def get_version(slug: str, version_key: str) -> OrgVersion:
    """A version with its municipality, or Http404."""
    return get_object_or_404(
        OrgVersion.objects.select_related("municipality", "based_on"), municipality__slug=slug, key=version_key
    )


def version_tree(version: OrgVersion) -> list[dict]:
    """Every unit of a version as flat chart rows ({id, parentId, ...}), in one query."""
    rows = (
        Unit.objects.filter(version=version)
        .order_by("tree_id", "lft")
        .values(
            "key",
            "parent__key",
            "name",
            "name_en",
            "kind",
            "level",
            "lft",
            "rght",
            "head__title",
            "head__title_en",
            "head__holder__name",
        )
    )
    children: dict[str | None, int] = defaultdict(int)
    result = []
    for row in rows:
        children[row["parent__key"]] += 1
        result.append(row)
    return [
        {
            "id": row["key"],
            "parentId": row["parent__key"],
            "name": row["name"],
            "nameEn": row["name_en"],
            "kind": row["kind"],
            "level": row["level"],
            "headTitle": row["head__title"],
            "headTitleEn": row["head__title_en"],
            "holder": row["head__holder__name"],
            "childCount": children[row["key"]],
            "descendantCount": (row["rght"] - row["lft"] - 1) // 2,
        }
        for row in result
    ]


@dataclass
class ReportingStep:
    """One step of a reporting line: a unit, a post or (from governance) a political body."""

    kind: str
    label: str
    url: str = ""
    detail: str = ""
    unit: Unit | None = None
    post: Post | None = None


def reporting_line(start: Unit | Post) -> list[ReportingStep]:
    """The chain from a unit or post up through heads and responsible directors to the kommunaldirektør,
    then on to the political level registered by other apps. Bounded queries: ancestors and posts once."""
    version = start.version
    posts = {
        post.pk: post for post in Post.objects.filter(version=version).select_related("holder", "version__municipality")
    }
    steps: list[ReportingStep] = []
    seen_posts: set[int] = set()

    def add_post(post_id: int | None) -> None:
        if post_id and post_id not in seen_posts:
            seen_posts.add(post_id)
            post = posts[post_id]
            holder = post.holder.name if post.holder_id else ""
            steps.append(ReportingStep("post", post.display_title, post.get_absolute_url(), holder, post=post))

    if isinstance(start, Post):
        add_post(start.pk)
        cursor = posts[start.pk].reports_to_id
        while cursor and cursor not in seen_posts:
            add_post(cursor)
            cursor = posts[cursor].reports_to_id
        reached_top = any(step.post.kind == PostKind.CHIEF_EXECUTIVE for step in steps)
        unit = None if reached_top else start.unit
    else:
        unit = start
    if unit is not None:
        chain = unit.get_ancestors(ascending=True, include_self=True).select_related("version__municipality")
        for ancestor in chain:
            steps.append(
                ReportingStep(
                    "unit", ancestor.name, ancestor.get_absolute_url(), ancestor.get_kind_display(), unit=ancestor
                )
            )
            add_post(ancestor.head_id)
            add_post(ancestor.responsible_id)
    chief = next((post for post in posts.values() if post.kind == PostKind.CHIEF_EXECUTIVE), None)
    if chief is not None:
        add_post(chief.pk)
    for tail in extensions.registry.reporting_tails:
        steps.extend(tail(version))
    return steps


@dataclass
class UnitDetails:
    """Everything the unit page shows, fetched in a fixed number of queries."""

    unit: Unit
    ancestors: list[Unit]
    children: list[Unit]
    posts: list[Post]
    tasks: list[Task]
    formed_from: list[Unit]
    successors: list[Unit]
    other_versions: list[Unit]

    @property
    def inherited_head(self) -> Post | None:
        """For a unit without a head: the head of the nearest higher unit that has one."""
        if self.unit.head_id:
            return None
        return next((ancestor.head for ancestor in reversed(self.ancestors) if ancestor.head_id), None)

    @property
    def institutions(self) -> list[Unit]:
        return [child for child in self.children if child.kind == "institution"]

    @property
    def sub_units(self) -> list[Unit]:
        return [child for child in self.children if child.kind != "institution"]


def unit_details(version: OrgVersion, key: str) -> UnitDetails:
    units = Unit.objects.select_related("head__holder")
    unit = get_object_or_404(units.select_related("parent", "responsible__holder"), version=version, key=key)
    unit.version = version
    return UnitDetails(
        unit=unit,
        ancestors=list(unit.get_ancestors().select_related("head__holder")),
        children=list(unit.get_children().select_related("head__holder")),
        posts=list(unit.posts.select_related("holder", "reports_to")),
        tasks=list(unit.tasks.all()),
        formed_from=list(unit.formed_from.select_related("version")),
        successors=list(unit.successors.select_related("version")),
        other_versions=list(
            Unit.objects.filter(version__municipality_id=version.municipality_id, key=unit.key)
            .exclude(pk=unit.pk)
            .select_related("version")
            .order_by("version__effective_from")
        ),
    )


def search(query: str, municipality: Municipality | None = None, limit: int = 50) -> list[extensions.SearchHit]:
    """Units, posts and tasks whose name, title, holder or key contains `query`, then other apps' hits."""
    query = query.strip()
    if len(query) < 2:
        return []
    scope = {"version__municipality": municipality} if municipality else {}
    hits: list[extensions.SearchHit] = []
    units = Unit.objects.filter(
        Q(name__icontains=query) | Q(name_en__icontains=query) | Q(key__icontains=query), **scope
    ).select_related("version__municipality")
    for unit in units.order_by("version__municipality__name", "name")[:limit]:
        hits.append(
            extensions.SearchHit(
                "unit",
                unit.display_name,
                unit.get_absolute_url(),
                f"{unit.get_kind_display()} · {unit.version.display_label}",
                unit.version.municipality.name,
            )
        )
    posts = Post.objects.filter(
        Q(title__icontains=query) | Q(holder__name__icontains=query) | Q(key__icontains=query), **scope
    ).select_related("version__municipality", "holder", "unit")
    for post in posts.order_by("version__municipality__name", "title")[:limit]:
        where = post.unit.display_name if post.unit_id else ""
        holder = post.holder.name if post.holder_id else ""
        hits.append(
            extensions.SearchHit(
                "post",
                post.display_title,
                post.get_absolute_url(),
                " · ".join(part for part in (holder, where, post.version.display_label) if part),
                post.version.municipality.name,
            )
        )
    tasks = Task.objects.filter(Q(name__icontains=query) | Q(name_en__icontains=query), **scope).select_related(
        "unit__version__municipality"
    )
    for task in tasks.order_by("version__municipality__name", "name")[:limit]:
        hits.append(
            extensions.SearchHit(
                "task",
                task.display_name,
                task.unit.get_absolute_url(),
                f"{task.unit.display_name} · {task.unit.version.display_label}",
                task.unit.version.municipality.name,
            )
        )
    for provider in extensions.registry.search_providers:
        hits.extend(provider(query, municipality, limit))
    return hits


@dataclass
class HistoryEntry:
    """One recorded change of a unit: when, by whom, why, and the fields that changed (old → new)."""

    when: datetime.datetime
    who: str
    reason: str
    changes: list[tuple[str, str, str]]


CHANGE_REASONS = {
    "load": gettext_lazy("indlæst"),
    "move": gettext_lazy("flyttet"),
    "rename": gettext_lazy("omdøbt"),
    "responsible": gettext_lazy("ny ansvarlig direktør"),
    "head": gettext_lazy("ny leder"),
    "holder": gettext_lazy("ny indehaver"),
}
HISTORY_FIELDS = {"name": "name", "name_en": "name_en", "kind": "kind"}
HISTORY_LINKS = {"parent_id": "parent", "responsible_id": "responsible", "head_id": "head"}


def unit_history(unit: Unit, limit: int = 20) -> list[HistoryEntry]:
    """The unit's latest recorded changes, newest first, in three queries whatever their number."""
    records = list(unit.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    unit_ids = {record.parent_id for record in records if record.parent_id}
    post_ids = {getattr(record, field) for record in records for field in ("responsible_id", "head_id")} - {None}
    names = {("parent_id", pk): name for pk, name in Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name")}
    for pk, title in Post.objects.filter(pk__in=post_ids).values_list("pk", "title"):
        names[("responsible_id", pk)] = names[("head_id", pk)] = title
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if len(entries) == limit:
            break
        changes = []
        for attribute in [*HISTORY_FIELDS, *HISTORY_LINKS]:
            after = getattr(newer, attribute)
            before = getattr(older, attribute) if older is not None else None
            if older is not None and after == before:
                continue
            if older is None and after in (None, ""):
                continue
            label = str(Unit._meta.get_field(HISTORY_FIELDS.get(attribute) or HISTORY_LINKS[attribute]).verbose_name)
            if attribute in HISTORY_LINKS:
                before, after = names.get((attribute, before), before), names.get((attribute, after), after)
            changes.append((label, "" if before is None else str(before), "" if after is None else str(after)))
        who = newer.history_user.get_full_name() or newer.history_user.get_username() if newer.history_user else ""
        reason = newer.history_change_reason or ""
        entries.append(HistoryEntry(newer.history_date, who, str(CHANGE_REASONS.get(reason, reason)), changes))
    return entries
