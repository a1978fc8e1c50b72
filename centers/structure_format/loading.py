"""Writing a validated structure document: one transaction, nested sets computed here, one bulk insert per tree
level, and a history baseline for what was written."""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.db.models import Max

from centers import extensions
from centers.models import Municipality, OrgVersion, Person, Post, Source, Task, Unit
from centers.services.locking import lock_tree_allocation

from .parsing import Document, parse_date, stored_text
from .sections import LoadContext
from .validation import validate


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


def _write_units(version: OrgVersion, units: list[dict], first_tree_id: int) -> dict[str, Unit]:
    """Insert a version's units level by level (one query per level) with their nested-set fields."""
    tree = nested_sets(units, first_tree_id)
    by_level: dict[int, list[dict]] = defaultdict(list)
    for unit in units:
        by_level[tree[unit["key"]]["level"]].append(unit)
    created: dict[str, Unit] = {}
    for level in sorted(by_level):
        batch = [
            Unit(
                version=version,
                key=unit["key"],
                name=unit["name"],
                name_en=stored_text(unit.get("name_en")),
                kind=unit["kind"],
                parent=created[unit["parent"]] if unit.get("parent") else None,
                source=stored_text(unit.get("source")),
                note=stored_text(unit.get("note")),
                **tree[unit["key"]],
            )
            for unit in by_level[level]
        ]
        for unit in Unit.objects.bulk_create(batch):
            created[unit.key] = unit
    return created


@transaction.atomic
def load(document: Document, *, replace: bool = False) -> Municipality:
    """Validate a whole structure document, then write it in one transaction.

    An existing municipality with the same slug is replaced only when `replace` is set.
    """
    validate(document)
    data = document.data
    spec = data["municipality"]
    existing = Municipality.objects.select_for_update().filter(slug=spec["slug"]).first()
    if existing is not None:
        if not replace:
            raise MunicipalityExists(
                f"{document.name}: municipality '{spec['slug']}' is already loaded; "
                "use --replace to replace it with this file"
            )
        existing.delete()
    lock_tree_allocation()
    municipality = Municipality.objects.create(slug=spec["slug"], name=spec["name"], kommunekode=spec["kommunekode"])
    Source.objects.bulk_create(
        Source(
            municipality=municipality,
            key=source["key"],
            title=source["title"],
            file=stored_text(source.get("file")),
            url=stored_text(source.get("url")),
            note=stored_text(source.get("note")),
        )
        for source in data.get("sources", [])
    )
    people = {
        person.key: person
        for person in Person.objects.bulk_create(
            Person(
                municipality=municipality,
                key=person["key"],
                name=person["name"],
                note=stored_text(person.get("note")),
            )
            for person in data.get("people", [])
        )
    }
    versions: dict[str, OrgVersion] = {}
    for spec_version in data["versions"]:
        versions[spec_version["key"]] = OrgVersion.objects.create(
            municipality=municipality,
            key=spec_version["key"],
            label=spec_version["label"],
            label_en=stored_text(spec_version.get("label_en")),
            status=spec_version["status"],
            effective_from=parse_date(spec_version.get("effective_from")),
            effective_to=parse_date(spec_version.get("effective_to")),
            decided_on=parse_date(spec_version.get("decided_on")),
            decided_by=stored_text(spec_version.get("decided_by")),
            source=stored_text(spec_version.get("source")),
            note=stored_text(spec_version.get("note")),
        )
    for spec_version in data["versions"]:
        if spec_version.get("based_on"):
            version = versions[spec_version["key"]]
            version.based_on = versions[spec_version["based_on"]]
            version.save(update_fields=["based_on"])

    next_tree_id = (Unit.objects.aggregate(top=Max("tree_id"))["top"] or 0) + 1
    units: dict[str, dict[str, Unit]] = {}
    posts: dict[str, dict[str, Post]] = {}
    for spec_version in data["versions"]:
        version = versions[spec_version["key"]]
        spec_units = spec_version.get("units", [])
        units[version.key] = _write_units(version, spec_units, next_tree_id)
        next_tree_id += sum(1 for unit in spec_units if not unit.get("parent"))
        posts[version.key] = _write_posts(version, spec_version.get("posts", []), units[version.key], people)
    tasks = [
        task
        for spec_version in data["versions"]
        for task in _link_units(versions[spec_version["key"]], spec_version, units, posts[spec_version["key"]])
    ]
    context = LoadContext(municipality, data, versions, units, posts, people)
    for section in extensions.registry.structure_sections:
        section.write(context)
    # One history record per loaded unit, post and task, so that the first edit shows what it changed.
    for model, loaded in (
        (Unit, [unit for by_key in units.values() for unit in by_key.values()]),
        (Post, [post for by_key in posts.values() for post in by_key.values()]),
        (Task, tasks),
    ):
        model.history.bulk_history_create(loaded, default_change_reason="load", batch_size=2000)
    return municipality


def _write_posts(version: OrgVersion, spec_posts: list[dict], units: dict[str, Unit], people: dict) -> dict[str, Post]:
    created = {
        post.key: post
        for post in Post.objects.bulk_create(
            Post(
                version=version,
                key=post["key"],
                title=post["title"],
                title_en=stored_text(post.get("title_en")),
                kind=post["kind"],
                unit=units.get(post.get("unit")),
                holder=people.get(post.get("holder")),
                source=stored_text(post.get("source")),
                note=stored_text(post.get("note")),
            )
            for post in spec_posts
        )
    }
    reporting = []
    for post in spec_posts:
        if post.get("reports_to"):
            created[post["key"]].reports_to = created[post["reports_to"]]
            reporting.append(created[post["key"]])
    Post.objects.bulk_update(reporting, ["reports_to"])
    return created


def _link_units(version: OrgVersion, spec_version: dict, units: dict, posts: dict[str, Post]) -> list[Task]:
    """Set heads, responsible directors, formed_from links and tasks once units and posts exist."""
    own = units[version.key]
    linked = []
    formed_from = []
    tasks = []
    for spec in spec_version.get("units", []):
        unit = own[spec["key"]]
        if spec.get("head") or spec.get("responsible"):
            unit.head = posts.get(spec.get("head"))
            unit.responsible = posts.get(spec.get("responsible"))
            linked.append(unit)
        for key in spec.get("formed_from") or []:
            formed_from.append(Unit.formed_from.through(from_unit=unit, to_unit=units[spec_version["based_on"]][key]))
        for task in spec.get("tasks", []):
            tasks.append(
                Task(
                    version=version,
                    key=task["key"],
                    name=task["name"],
                    name_en=stored_text(task.get("name_en")),
                    unit=unit,
                    source=stored_text(task.get("source")),
                    note=stored_text(task.get("note")),
                )
            )
    Unit.objects.bulk_update(linked, ["head", "responsible"])
    Unit.formed_from.through.objects.bulk_create(formed_from)
    return Task.objects.bulk_create(tasks)
