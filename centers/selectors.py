"""Reads of the organisation: overview lists, browsing, the tree, reporting lines, people and history (the site
search is in `centers.search`)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy

from . import extensions
from .models import Municipality, OrgVersion, Person, Post, PostKind, Task, Unit, UnitKind
from .structure_format import nested_sets


def municipalities_with_versions() -> QuerySet[Municipality]:
    """Every municipality with its versions (newest first) and their unit counts, in two queries."""
    versions = OrgVersion.objects.annotate(unit_count=Count("units")).order_by("-effective_from", "-key")
    return Municipality.objects.prefetch_related(Prefetch("versions", queryset=versions))


# --- browsing ------------------------------------------------------------------------------------

VERSION_PREFERENCE = [OrgVersion.Status.CURRENT, OrgVersion.Status.PREVIOUS, OrgVersion.Status.PROPOSED]


def default_version(municipality: Municipality) -> OrgVersion | None:
    """The version a visitor sees first: the decided version in force today (`in_force`, as `?dato=` of today
    answers), else the current one, else the newest previous, proposed or draft one.

    The status is stored (one current version per municipality, adopted by `services.adopt_version`) and the
    dates say when it applies: a version adopted with a future start date is current at once, and until that
    date the version it replaces (now previous, ending the day before) is in force and shown first.
    """
    versions = list(municipality.versions.all())
    in_force_today = in_force(versions, timezone.localdate())
    if in_force_today is not None:
        return in_force_today

    def preference(version: OrgVersion) -> tuple:
        rank = VERSION_PREFERENCE.index(version.status) if version.status in VERSION_PREFERENCE else 9
        return (rank, -(version.effective_from or datetime.date.min).toordinal(), version.pk)

    return min(versions, key=preference, default=None)


DECIDED = (OrgVersion.Status.PREVIOUS, OrgVersion.Status.CURRENT)


def covers(version: OrgVersion, on: datetime.date) -> bool:
    """Whether a decided version was in force on a date. A missing start date is open towards the past and a
    missing end date towards the future; a version without either is placed in time only when it is current."""
    if version.status not in DECIDED:
        return False
    if version.effective_from is None and version.effective_to is None:
        return version.status == OrgVersion.Status.CURRENT
    return (version.effective_from is None or version.effective_from <= on) and (
        version.effective_to is None or on <= version.effective_to
    )


def in_force(versions: Iterable[OrgVersion], on: datetime.date) -> OrgVersion | None:
    """The decided (previous or current) version in force on a date; None when none covers it. Where periods
    overlap, the version that started last wins (a known start beats an unknown one), then the current one."""
    candidates = [version for version in versions if covers(version, on)]

    def latest_start(version: OrgVersion) -> tuple:
        start = version.effective_from or datetime.date.min
        return (start, version.status == OrgVersion.Status.CURRENT, version.pk)

    return max(candidates, key=latest_start, default=None)


def version_in_force(municipality: Municipality, on: datetime.date) -> OrgVersion | None:
    return in_force(municipality.versions.all(), on)


@dataclass
class DateChoice:
    """The answer to "which organisation applied on this date?": the version chosen and the undecided versions
    that would have applied then had they been adopted."""

    on: datetime.date
    version: OrgVersion | None
    undecided: list[OrgVersion]
    versions: list[OrgVersion]


def version_on(municipality: Municipality, on: datetime.date) -> DateChoice:
    """The version in force on a date and the proposals and drafts meant to apply by then, in one query."""
    versions = list(municipality.versions.order_by("effective_from", "pk"))
    undecided = [
        version
        for version in versions
        if version.status not in DECIDED and version.effective_from is not None and version.effective_from <= on
    ]
    return DateChoice(on, in_force(versions, on), undecided, versions)


def get_version(slug: str, version_key: str) -> OrgVersion:
    """A version with its municipality, or Http404."""
    return get_object_or_404(
        OrgVersion.objects.select_related("municipality", "based_on"), municipality__slug=slug, key=version_key
    )


TREE_COLUMNS = (
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


def version_tree(version: OrgVersion, under: Unit | None = None) -> list[dict]:
    """Every unit of a version as flat chart rows ({id, parentId, ...}), in one query and one pass; with `under`,
    only that unit and its descendants (the first row is `under`, its parentId the unit above it)."""
    units = Unit.objects.filter(version=version)
    if under is not None:
        units = units.filter(tree_id=under.tree_id, lft__gte=under.lft, rght__lte=under.rght)
    result: list[dict] = []
    by_key: dict[str, dict] = {}
    for key, parent, name, name_en, kind, level, lft, rght, title, title_en, holder in units.order_by(
        "tree_id", "lft"
    ).values_list(*TREE_COLUMNS):
        row = {
            "id": key,
            "parentId": parent,
            "name": name,
            "nameEn": name_en,
            "kind": kind,
            "level": level,
            "headTitle": title,
            "headTitleEn": title_en,
            "holder": holder,
            "childCount": 0,
            "descendantCount": (rght - lft - 1) // 2,
        }
        # in tree order a parent comes before its children
        if parent in by_key:
            by_key[parent]["childCount"] += 1
        by_key[key] = row
        result.append(row)
    return result


def version_search_text(version: OrgVersion) -> dict[str, list[list[str]]]:
    """What the chart search looks at besides unit names and heads: every unit's tasks, post titles and post
    holders, as {unit key: [[what, text], ...]} with what in task | post | holder (two queries)."""
    found: dict[str, list[list[str]]] = defaultdict(list)
    for key, name, name_en in Task.objects.filter(version=version).values_list("unit__key", "name", "name_en"):
        found[key].append(["task", name, name_en])
    posts = Post.objects.filter(version=version, unit__isnull=False)
    for key, title, title_en, holder in posts.values_list("unit__key", "title", "title_en", "holder__name"):
        found[key].append(["post", title, title_en])
        if holder:
            found[key].append(["holder", holder, ""])
    return dict(found)


@dataclass
class ReportingStep:
    """One step of a reporting line: a unit, a post or (from governance) a political body. `label` is the name or
    title in the active language; `detail` is a word for the kind of unit or body, or a post's holder."""

    kind: str
    label: str
    url: str = ""
    detail: str = ""
    unit: Unit | None = None
    post: Post | None = None


MAX_REPORTING_STEPS = 100  # far more than any organisation has; a cycle in reports_to stops here


def _reporting_chain(post: Post) -> list[int]:
    """The ids of the posts `post` reports to, nearest first, directly or through others (one recursive query;
    a cycle is cut off after MAX_REPORTING_STEPS)."""
    table = connection.ops.quote_name(Post._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE chain(id, step) AS (SELECT reports_to_id, 1 FROM {table} WHERE id = %s "
            f"UNION ALL SELECT post.reports_to_id, chain.step + 1 FROM {table} post JOIN chain ON post.id = chain.id "
            "WHERE chain.step < %s) SELECT id FROM chain WHERE id IS NOT NULL ORDER BY step",
            [post.pk, MAX_REPORTING_STEPS],
        )
        return list(dict.fromkeys(row[0] for row in cursor.fetchall()))


def reporting_line(start: Unit | Post) -> list[ReportingStep]:
    """The chain from a unit or post up through heads and responsible directors to the kommunaldirektør,
    then on to the political level registered by other apps: the subject first, the top last. Names follow the
    active language. Bounded queries, whatever the size of the version: the ancestors, the post's reporting
    chain, and the posts on the way."""
    version = start.version
    unit = start if isinstance(start, Unit) else start.unit
    ancestors = (
        list(unit.get_ancestors(ascending=True, include_self=True).select_related("version__municipality"))
        if unit is not None
        else []
    )
    chain = _reporting_chain(start) if isinstance(start, Post) else []
    wanted = {*chain, *(ancestor.head_id for ancestor in ancestors), *(a.responsible_id for a in ancestors)}
    if isinstance(start, Post):
        wanted.add(start.pk)
    posts = {
        post.pk: post
        for post in Post.objects.filter(Q(pk__in=wanted - {None}) | Q(version=version, kind=PostKind.CHIEF_EXECUTIVE))
        .select_related("holder", "version__municipality")
        .order_by("key")
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
        for post_id in chain:
            add_post(post_id)
        if any(step.post.kind == PostKind.CHIEF_EXECUTIVE for step in steps):
            ancestors = []
    for ancestor in ancestors:
        steps.append(
            ReportingStep(
                "unit",
                ancestor.display_name,
                ancestor.get_absolute_url(),
                str(ancestor.get_kind_display()),
                unit=ancestor,
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


@dataclass
class PersonDetails:
    """The person page: the person, the posts they hold in every version (current first, then newest), and the
    version their municipality is seen in by default (for links to its pages)."""

    person: Person
    posts: list[Post]
    version: OrgVersion | None


def person_details(slug: str, key: str) -> PersonDetails:
    """A person of a municipality with their posts, or Http404 (three queries)."""
    person = get_object_or_404(
        Person.objects.select_related("municipality").prefetch_related("municipality__versions"),
        municipality__slug=slug,
        key=key,
    )
    versions = {version.pk: version for version in person.municipality.versions.all()}
    posts = list(Post.objects.filter(holder=person).select_related("unit").order_by("pk"))
    for post in posts:
        post.version = versions[post.version_id]

    def recency(post: Post) -> tuple:
        version = post.version
        started = (version.effective_from or datetime.date.max).toordinal()
        return (version.status != OrgVersion.Status.CURRENT, -started, -version.pk)

    return PersonDetails(person, sorted(posts, key=recency), default_version(person.municipality))


@dataclass
class HistoryEntry:
    """One recorded change of a unit: when, by whom, why, and the fields that changed (old → new).

    `who` is shown on the public unit page, so it never names the account: "redaktør" for a change made in the
    admin, empty for one made by a command (a load). The admin's own history shows the username to staff."""

    when: datetime.datetime
    who: str
    reason: str
    changes: list[tuple[str, str, str]]
    # the historical record, which `services.revert_unit` brings back
    record_id: int | None = None
    reason_code: str = ""


CHANGE_REASONS = {
    "load": gettext_lazy("indlæst"),
    "move": gettext_lazy("flyttet"),
    "rename": gettext_lazy("omdøbt"),
    "responsible": gettext_lazy("ny ansvarlig direktør"),
    "head": gettext_lazy("ny leder"),
    "holder": gettext_lazy("ny indehaver"),
    "revert": gettext_lazy("fortrudt"),
    "edit": gettext_lazy("ændret"),
    "create": gettext_lazy("oprettet"),
    "clone": gettext_lazy("udkast oprettet"),
    "adopt": gettext_lazy("vedtaget"),
}
HISTORY_FIELDS = {"name": "name", "name_en": "name_en", "kind": "kind"}
HISTORY_LINKS = {"parent_id": "parent", "responsible_id": "responsible", "head_id": "head"}


EDITOR = gettext_lazy("redaktør")


def unit_history(unit: Unit, limit: int = 20) -> list[HistoryEntry]:
    """The unit's latest recorded changes, newest first, in three queries whatever their number."""
    records = list(unit.history.order_by("-history_date", "-history_id")[: limit + 1])
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
            elif attribute == "kind":
                before, after = (UnitKind(value).label if value else value for value in (before, after))
            changes.append((label, "" if before is None else str(before), "" if after is None else str(after)))
        who = str(EDITOR) if newer.history_user_id else ""
        reason = newer.history_change_reason or ""
        entries.append(
            HistoryEntry(
                newer.history_date, who, str(CHANGE_REASONS.get(reason, reason)), changes, newer.history_id, reason
            )
        )
    return entries


def tree_is_consistent(version: OrgVersion) -> bool:
    """Whether the stored nested sets equal those recomputed from the parent links (sibling order kept)."""
    stored = list(
        Unit.objects.filter(version=version)
        .order_by("tree_id", "lft")
        .values("key", "parent__key", "tree_id", "level", "lft", "rght")
    )
    roots = sorted({row["tree_id"] for row in stored})
    expected: dict[str, dict] = {}
    for tree_id in roots:
        rows = [{"key": row["key"], "parent": row["parent__key"]} for row in stored if row["tree_id"] == tree_id]
        expected.update(nested_sets(rows, tree_id))
    return all(
        expected.get(row["key"])
        == {"tree_id": row["tree_id"], "level": row["level"], "lft": row["lft"], "rght": row["rght"]}
        for row in stored
    ) and len(expected) == len(stored)
