"""Writing validated structure documents: one transaction for all the documents of one load, nested sets computed
here, ids taken first so that each table's rows go in one bulk insert with their links, a history baseline for
every row written, and a replace that records what it deletes in bulk. `add_versions` writes new versions into a
stored municipality by the same path."""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import connection, models, router, transaction
from django.db.models import Max
from django.db.models.deletion import Collector
from django.utils import timezone
from simple_history.utils import get_m2m_field_name

from centers import extensions
from centers.bulk import allocate_ids, build, insert, merge_pending_index_entries
from centers.models import Duty, Municipality, OrgVersion, Person, Post, Source, Task, Unit
from centers.services.locking import lock_tree_allocation

from .exporting import export
from .parsing import Document, StructureError, StructureInvalid, parse_date, stored_text
from .sections import LoadContext
from .validation import validate

HISTORY_BATCH = 2000
# The columns that stamp a history record: when, what, by whom, why.
HISTORY_STAMP = ("history_date", "history_type", "history_user", "history_change_reason")
# PostgreSQL advisory lock namespaces (two-key form, so they never meet the one-key tree-allocation lock):
# a load holds the lock of each slug and kommunekode it writes until it commits.
SLUG_LOCK, KOMMUNEKODE_LOCK = 0x4F524D53, 0x4F524D4B


class MunicipalityExists(Exception):
    """Loading would replace an existing municipality and the caller did not ask for that."""


def nested_sets(units: list[dict], first_tree_id: int) -> dict[str, dict]:
    """MPTT fields for one version's units, siblings and roots in document order."""
    children: dict[str | None, list[str]] = defaultdict(list)
    for unit in units:
        children[unit.get("parent")].append(unit["key"])
    fields: dict[str, dict] = {}
    for offset, root in enumerate(children[None]):
        counter = 1
        stack = [(root, 0, iter(children[root]))]
        fields[root] = {"tree_id": first_tree_id + offset, "level": 0, "lft": counter}
        while stack:
            key, level, pending = stack[-1]
            child = next(pending, None)
            if child is None:
                counter += 1
                fields[key]["rght"] = counter
                stack.pop()
            else:
                counter += 1
                fields[child] = {"tree_id": first_tree_id + offset, "level": level + 1, "lft": counter}
                stack.append((child, level + 1, iter(children[child])))
    return fields


def _write_tree(
    version: OrgVersion, spec_units: list[dict], spec_posts: list[dict], first_tree_id: int, people: dict
) -> tuple[dict[str, Unit], dict[str, Post]]:
    """Insert a version's units (nested sets on fresh tree ids) and posts with every link between them (parents,
    heads, responsible directors, reporting lines), one statement per table: the ids are taken first."""
    tree = nested_sets(spec_units, first_tree_id)
    unit_ids = dict(zip((unit["key"] for unit in spec_units), allocate_ids(Unit, len(spec_units)), strict=True))
    post_ids = dict(zip((post["key"] for post in spec_posts), allocate_ids(Post, len(spec_posts)), strict=True))
    units = {
        unit["key"]: build(
            Unit,
            id=unit_ids[unit["key"]],
            version_id=version.pk,
            key=unit["key"],
            name=unit["name"],
            name_en=stored_text(unit.get("name_en")),
            kind=unit["kind"],
            parent_id=unit_ids.get(unit.get("parent")),
            head_id=post_ids.get(unit.get("head")),
            responsible_id=post_ids.get(unit.get("responsible")),
            source=stored_text(unit.get("source")),
            note=stored_text(unit.get("note")),
            **tree[unit["key"]],
        )
        for unit in spec_units
    }
    posts = {
        post["key"]: build(
            Post,
            id=post_ids[post["key"]],
            version_id=version.pk,
            key=post["key"],
            title=post["title"],
            title_en=stored_text(post.get("title_en")),
            kind=post["kind"],
            unit_id=unit_ids.get(post.get("unit")),
            holder_id=people[post["holder"]].pk if post.get("holder") else None,
            reports_to_id=post_ids.get(post.get("reports_to")),
            source=stored_text(post.get("source")),
            note=stored_text(post.get("note")),
        )
        for post in spec_posts
    }
    insert(units.values())
    insert(posts.values())
    return units, posts


def check_documents(documents: Sequence[Document]) -> list[StructureError]:
    """Every problem of every document, and of the documents together (one municipality twice), unwritten."""
    errors: list[StructureError] = []
    valid: list[Document] = []
    for document in documents:
        try:
            validate(document)
            valid.append(document)
        except StructureInvalid as exc:
            errors.extend(exc.errors)
    first_slug: dict[str, Document] = {}
    first_code: dict[int, Document] = {}
    for document in valid:
        spec = document.data["municipality"]
        if spec["slug"] in first_slug:
            errors.append(
                document.error(
                    ("municipality", "slug"),
                    f"municipality '{spec['slug']}' is also in {first_slug[spec['slug']].name}",
                )
            )
        elif spec["kommunekode"] in first_code:
            errors.append(
                document.error(
                    ("municipality", "kommunekode"),
                    f"kommunekode {spec['kommunekode']} is also in {first_code[spec['kommunekode']].name}",
                )
            )
        first_slug.setdefault(spec["slug"], document)
        first_code.setdefault(spec["kommunekode"], document)
    return errors


def load(document: Document, *, replace: bool = False) -> Municipality:
    """Validate a whole structure document, then write it in one transaction.

    An existing municipality with the same slug is replaced only when `replace` is set.
    """
    return load_all([document], replace=replace)[0]


@transaction.atomic
def load_all(documents: Sequence[Document], *, replace: bool = False) -> list[Municipality]:
    """Load several documents all or nothing: every document is validated before anything is written (a
    StructureInvalid carries the errors of all of them), then all are written in one transaction."""
    errors = check_documents(documents)
    if errors:
        raise StructureInvalid(errors)
    specs = [document.data["municipality"] for document in documents]
    _lock_municipalities(specs)
    # Exclusive: a load allocates tree ids. Taken before the rows are read, as every tree edit takes it first.
    lock_tree_allocation()
    existing = {
        municipality.slug: municipality
        for municipality in Municipality.objects.select_for_update().filter(slug__in=[spec["slug"] for spec in specs])
    }
    if existing and not replace:
        raise MunicipalityExists(
            "\n".join(
                f"{document.name}: municipality '{spec['slug']}' is already loaded; "
                "use --replace to replace it with this file"
                for document, spec in zip(documents, specs, strict=True)
                if spec["slug"] in existing
            )
        )
    taken = dict(
        Municipality.objects.filter(kommunekode__in=[spec["kommunekode"] for spec in specs])
        .exclude(slug__in=[spec["slug"] for spec in specs])
        .values_list("kommunekode", "slug")
    )
    if taken:
        raise StructureInvalid(
            document.error(
                ("municipality", "kommunekode"),
                f"kommunekode {spec['kommunekode']} is already the kommunekode of municipality "
                f"'{taken[spec['kommunekode']]}'",
            )
            for document, spec in zip(documents, specs, strict=True)
            if spec["kommunekode"] in taken
        )
    for municipality in existing.values():
        delete_recording_history(municipality, reason="replace")
    return [_write(document) for document in documents]


def _lock_municipalities(specs: Iterable[dict]) -> None:
    """Serialise loads of one municipality (PostgreSQL): a second load of the same slug waits here until the
    first commits, and then finds the first one's rows instead of the rows the first one deleted. In a fixed
    order, so that two loads of several files cannot deadlock. SQLite has one writer anyway."""
    if connection.vendor != "postgresql":
        return
    keys = set()
    for spec in specs:
        checksum = zlib.crc32(spec["slug"].encode("utf-8"))
        keys.add((SLUG_LOCK, checksum - (1 << 32) if checksum >= 1 << 31 else checksum))
        keys.add((KOMMUNEKODE_LOCK, spec["kommunekode"]))
    with connection.cursor() as cursor:
        for namespace, key in sorted(keys):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [namespace, key])


def _write(document: Document) -> Municipality:
    data = document.data
    spec = data["municipality"]
    # Bulk inserts send no signals: django-simple-history records nothing here, the baseline below does.
    (municipality,) = Municipality.objects.bulk_create(
        [Municipality(slug=spec["slug"], name=spec["name"], kommunekode=spec["kommunekode"])]
    )
    sources = insert(
        (
            Source(
                municipality=municipality,
                key=source["key"],
                title=source["title"],
                file=stored_text(source.get("file")),
                url=stored_text(source.get("url")),
                note=stored_text(source.get("note")),
            )
            for source in data.get("sources", [])
        ),
    )
    people = {
        person.key: person
        for person in insert(
            (
                Person(
                    municipality=municipality,
                    key=person["key"],
                    name=person["name"],
                    note=stored_text(person.get("note")),
                )
                for person in data.get("people", [])
            ),
        )
    }
    versions = _write_version_rows(municipality, data["versions"], {})
    context = LoadContext(municipality, data, versions, {}, {}, people)
    context.record([municipality])
    context.record(sources)
    context.record(list(people.values()))
    _write_version_contents(context)
    _write_sections_and_baseline(context, reason="load", user=None)
    return municipality


def _write_version_rows(
    municipality: Municipality, specs: list[dict], stored: dict[str, OrgVersion]
) -> dict[str, OrgVersion]:
    """Insert the versions of `specs`, each with the version it is based on (ids taken first); returns them with
    the `stored` versions, by key (`based_on` may name either)."""
    ids = {key: version.pk for key, version in stored.items()}
    ids.update(zip((spec["key"] for spec in specs), allocate_ids(OrgVersion, len(specs)), strict=True))
    created = insert(
        OrgVersion(
            pk=ids[spec_version["key"]],
            municipality=municipality,
            key=spec_version["key"],
            label=spec_version["label"],
            label_en=stored_text(spec_version.get("label_en")),
            status=spec_version["status"],
            effective_from=parse_date(spec_version.get("effective_from")),
            effective_to=parse_date(spec_version.get("effective_to")),
            decided_on=parse_date(spec_version.get("decided_on")),
            decided_by=stored_text(spec_version.get("decided_by")),
            based_on_id=ids.get(spec_version.get("based_on")),
            source=stored_text(spec_version.get("source")),
            note=stored_text(spec_version.get("note")),
        )
        for spec_version in specs
    )
    return {**stored, **{version.key: version for version in created}}


def _write_version_contents(context: LoadContext) -> None:
    """Insert the units (nested sets on fresh tree ids), posts, duties and tasks of the versions being written,
    and their links; `context.units` holds beforehand the stored units that `formed_from` may name."""
    versions, units, posts, people = context.versions, context.units, context.posts, context.people
    specs = context.version_specs
    next_tree_id = (Unit.objects.aggregate(top=Max("tree_id"))["top"] or 0) + 1
    for spec_version in specs:
        version = versions[spec_version["key"]]
        spec_units = spec_version.get("units", [])
        units[version.key], posts[version.key] = _write_tree(
            version, spec_units, spec_version.get("posts", []), next_tree_id, people
        )
        next_tree_id += sum(1 for unit in spec_units if not unit.get("parent"))
    duties = insert(
        (
            Duty(
                version=versions[spec_version["key"]],
                post=posts[spec_version["key"]][spec_post["key"]],
                key=duty["key"],
                name=duty["name"],
                name_en=stored_text(duty.get("name_en")),
                source=stored_text(duty.get("source")),
                note=stored_text(duty.get("note")),
            )
            for spec_version in specs
            for spec_post in spec_version.get("posts", [])
            for duty in spec_post.get("duties", [])
        ),
    )
    tasks = [
        task
        for spec_version in specs
        for task in _write_tasks_and_origins(versions[spec_version["key"]], spec_version, units)
    ]
    context.record([versions[spec_version["key"]] for spec_version in specs])
    context.record([unit for spec_version in specs for unit in units[spec_version["key"]].values()])
    context.record([post for spec_version in specs for post in posts[spec_version["key"]].values()])
    context.record(tasks)
    context.record(duties)


def _write_sections_and_baseline(context: LoadContext, *, reason: str, user) -> None:
    for section in extensions.registry.structure_sections:
        section.write(context)
    # One history record per row written, so that the first edit of anything shows what it changed.
    for model, rows in context.written.items():
        record_history(model, rows, "+", reason=reason, user=user)
    merge_pending_index_entries(context.written)


# --- adding versions to a stored municipality ------------------------------------------------------------------


def lock_for_new_trees(municipality: Municipality) -> Municipality:
    """Take, in the loader's order, the locks of a write that adds trees to a stored municipality: its slug and
    kommunekode (as a load of it does), the tree-id allocation (exclusively), then its row. Returns the row as
    stored now. Taking them again later in the same transaction is free."""
    _lock_municipalities([{"slug": municipality.slug, "kommunekode": municipality.kommunekode}])
    lock_tree_allocation()
    return Municipality.objects.select_for_update().get(pk=municipality.pk)


def _addition_errors(municipality: Municipality, document: Document, keys: list[str]) -> list[StructureError]:
    """Why `document` cannot add the versions `keys` to `municipality`: everything but those versions must be
    what is stored (its current export), each of them must be in the document, and none may exist yet."""
    data, stored = document.data, export(municipality)
    slug = municipality.slug
    errors = [
        document.error((name,), f"differs from what is stored for municipality '{slug}'; start from its export")
        for name in sorted(set(data) | set(stored), key=str)
        if name != "versions" and data.get(name) != stored.get(name)
    ]
    stored_versions = {spec["key"]: spec for spec in stored["versions"]}
    listed = set()
    for index, spec in enumerate(data["versions"]):
        listed.add(spec["key"])
        if spec["key"] in keys:
            if spec["key"] in stored_versions:
                errors.append(
                    document.error(
                        ("versions", index, "key"), f"version '{spec['key']}' already exists in municipality '{slug}'"
                    )
                )
        elif spec["key"] not in stored_versions:
            errors.append(
                document.error(
                    ("versions", index, "key"),
                    f"version '{spec['key']}' is neither stored in municipality '{slug}' nor one of the versions "
                    "to add",
                )
            )
        elif spec != stored_versions[spec["key"]]:
            errors.append(
                document.error(
                    ("versions", index), f"differs from the stored version '{spec['key']}'; start from the export"
                )
            )
    for key in keys:
        if key not in listed:
            errors.append(document.error(("versions",), f"there is no version '{key}' to add in the document"))
    for key in stored_versions:
        if key not in listed:
            errors.append(document.error(("versions",), f"the stored version '{key}' is missing from the document"))
    return errors


@transaction.atomic
def add_versions(
    municipality: Municipality,
    document: Document,
    keys: Iterable[str],
    *,
    reason: str = "load",
    history_user=None,
) -> list[OrgVersion]:
    """Add the versions `keys` of `document` to a stored municipality, through the same validation and bulk
    writes as a load; returns them in document order.

    `document` is the municipality's whole document: its export with the new versions' specs appended. It is
    validated whole; everything but the new versions must be what is stored, and the new keys must be free.
    Only the new versions are written (units on fresh tree ids under the exclusive tree-allocation lock, posts,
    duties, tasks, `formed_from` links to the stored units of the version each is based on, and the sections'
    rows of those versions; committees and people are the stored ones), with a "+" history record (`reason`,
    `history_user`) for every row written, in one transaction. A StructureInvalid says why nothing was written.
    """
    keys = list(dict.fromkeys(keys))
    validate(document)
    municipality = lock_for_new_trees(municipality)
    errors = _addition_errors(municipality, document, keys)
    if errors:
        raise StructureInvalid(errors)
    data = document.data
    stored = {version.key: version for version in municipality.versions.all()}
    specs = [spec for spec in data["versions"] if spec["key"] in keys]
    versions = _write_version_rows(municipality, specs, stored)
    units: dict[str, dict[str, Unit]] = defaultdict(dict)
    bases = {stored[spec["based_on"]].pk: spec["based_on"] for spec in specs if spec.get("based_on") in stored}
    for unit in Unit.objects.filter(version_id__in=bases):
        units[bases[unit.version_id]][unit.key] = unit
    people = {person.key: person for person in municipality.people.all()}
    context = LoadContext(
        municipality, data, versions, dict(units), {}, people, new_municipality=False, version_keys=frozenset(keys)
    )
    _write_version_contents(context)
    _write_sections_and_baseline(context, reason=reason, user=history_user)
    return [versions[spec["key"]] for spec in specs]


# --- history in bulk ---------------------------------------------------------------------------------------------


def _has_history(model: type[models.Model]) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


def _batches(pks: list) -> list[list]:
    """`pks` in batches as large as the database takes in one statement (all at once on PostgreSQL)."""
    size = max(connection.ops.bulk_batch_size(["pk"], pks), 1)
    return [pks[start : start + size] for start in range(0, len(pks), size)]


def record_history(model: type[models.Model], rows: list, history_type: str, *, reason: str, user=None) -> None:
    """One history record of `history_type` ("+" or "-") per row as it is stored now, in bulk, by `user` (None:
    nobody; for "-", the request's user if there is one, as django-simple-history's own delete records it)."""
    if not rows or not _has_history(model) or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    historical = model.history.model
    if history_type == "-" and user is None:
        user = historical.get_default_history_user(None)
    if historical._history_m2m_fields:
        _record_history_with_members(model, rows, history_type, reason=reason, user=user)
        return
    tracked = [field.column for field in historical.tracked_fields]
    stamp = [historical._meta.get_field(name).column for name in HISTORY_STAMP]
    quote = connection.ops.quote_name
    pk = quote(model._meta.pk.column)
    values = [
        connection.ops.adapt_datetimefield_value(timezone.now()),
        history_type,
        user.pk if user is not None else None,
        reason,
    ]
    for batch in _batches([row.pk for row in rows]):
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(historical._meta.db_table)} ({', '.join(map(quote, [*tracked, *stamp]))}) "
                f"SELECT {', '.join(map(quote, tracked))}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
                f"WHERE {pk} IN ({', '.join(['%s'] * len(batch))}) ORDER BY {pk}",
                [*values, *batch],
            )


def _record_history_with_members(
    model: type[models.Model], rows: list, history_type: str, *, reason: str, user
) -> None:
    """History records built in Python, and the members of the model's tracked many-to-many fields (forums' and
    networks' members) recorded with them as django-simple-history records them."""
    historical = model.history.model
    now = timezone.now()
    if history_type == "+":
        records = model.history.bulk_history_create(
            rows, default_user=user, default_change_reason=reason, default_date=now, batch_size=HISTORY_BATCH
        )
    else:
        records = historical.objects.bulk_create(
            [
                historical(
                    history_date=now,
                    history_type=history_type,
                    history_user=user,
                    history_change_reason=reason,
                    **{field.attname: getattr(row, field.attname) for field in historical.tracked_fields},
                )
                for row in rows
            ],
            batch_size=HISTORY_BATCH,
        )
    record_of = {row.pk: record for row, record in zip(rows, records, strict=True)}
    for field in historical._history_m2m_fields:
        member_history = getattr(historical, field.name).model
        through = field.remote_field.through
        owner = get_m2m_field_name(field)
        links = [
            link
            for batch in _batches(list(record_of))
            for link in through.objects.filter(**{f"{owner}__in": batch}).order_by("pk")
        ]
        member_history.objects.bulk_create(
            (
                member_history(
                    history=record_of[getattr(link, f"{owner}_id")],
                    **{column.attname: getattr(link, column.attname) for column in through._meta.fields},
                )
                for link in links
            ),
            batch_size=HISTORY_BATCH,
        )


def delete_recording_history(instance: models.Model, *, reason: str) -> None:
    """Delete `instance` and everything its deletion cascades to, recording a "-" history record for every row
    of a model with history: a constant number of statements per model, whatever the number of rows.

    Django's own delete sends a signal per row, which django-simple-history answers with a history insert per
    row (and deletes in batches of 100). Here Django's Collector still finds what to delete and what to set to
    null; the history is written in bulk; then the rows are deleted without the per-row signals, whose only
    listener is django-simple-history (a test keeps it that way). Within a transaction: the foreign keys are
    checked at commit, so the order of the statements does not matter.
    """
    using = router.db_for_write(type(instance))
    collector = Collector(using=using, origin=instance)
    collector.collect([instance])
    collector.sort()
    for model, rows in collector.data.items():
        record_history(model, sorted(rows, key=lambda row: row.pk), "-", reason=reason)
    with transaction.atomic(using=using, savepoint=False):
        for queryset in collector.fast_deletes:
            queryset._raw_delete(using=using)
        for (field, value), groups in collector.field_updates.items():
            lazy = [group for group in groups if isinstance(group, models.QuerySet) and group._result_cache is None]
            if lazy:
                reduce(or_, lazy).update(**{field.name: value})
            loaded = sorted({row.pk for group in groups if not any(group is query for query in lazy) for row in group})
            for batch in _batches(loaded):
                field.model._base_manager.using(using).filter(pk__in=batch).update(**{field.name: value})
        for model, rows in collector.data.items():
            for batch in _batches(sorted(row.pk for row in rows)):
                model._base_manager.using(using).filter(pk__in=batch)._raw_delete(using=using)


def _write_tasks_and_origins(version: OrgVersion, spec_version: dict, units: dict) -> list[Task]:
    """Insert a version's tasks and its units' `formed_from` links, once every version's units exist."""
    own = units[version.key]
    formed_from = []
    tasks = []
    for spec in spec_version.get("units", []):
        unit = own[spec["key"]]
        for key in spec.get("formed_from") or []:
            formed_from.append(Unit.formed_from.through(from_unit=unit, to_unit=units[spec_version["based_on"]][key]))
        for task in spec.get("tasks", []):
            tasks.append(
                build(
                    Task,
                    version_id=version.pk,
                    key=task["key"],
                    name=task["name"],
                    name_en=stored_text(task.get("name_en")),
                    unit_id=unit.pk,
                    source=stored_text(task.get("source")),
                    note=stored_text(task.get("note")),
                )
            )
    insert(formed_from)
    return insert(tasks)
