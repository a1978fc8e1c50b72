"""Writes to the organisation. Every write runs in a transaction and takes the lock of the trees it touches."""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from . import structure_format
from .models import (
    CONTAINER_UNIT_KINDS,
    DIRECTOR_POST_KINDS,
    Municipality,
    OrgVersion,
    Person,
    Post,
    Source,
    Task,
    Unit,
    UnitKind,
)
from .structure_format import stored_text

# Any constant shared by all writers: PostgreSQL serialises tree-id allocation on this advisory lock.
TREE_ALLOCATION_LOCK = 0x4F52474D


class MunicipalityExists(Exception):
    """Loading would replace an existing municipality and the caller did not ask for that."""


def lock_tree_allocation() -> None:
    """Serialise the allocation of MPTT tree ids (new roots) until the transaction ends.

    SQLite allows one writer at a time, so only PostgreSQL needs an explicit lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TREE_ALLOCATION_LOCK])


def lock_version(version: OrgVersion) -> OrgVersion:
    """Lock a version's tree for the rest of the transaction; every tree write of the version calls this."""
    return OrgVersion.objects.select_for_update().get(pk=version.pk)


def _nested_sets(units: list[dict], first_tree_id: int) -> dict[str, dict]:
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
    tree = _nested_sets(units, first_tree_id)
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
def load_structure(document: structure_format.Document, *, replace: bool = False) -> Municipality:
    """Validate a whole structure document, then write it in one transaction.

    An existing municipality with the same slug is replaced only when `replace` is set.
    """
    structure_format.validate(document)
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
            effective_from=structure_format.parse_date(spec_version.get("effective_from")),
            effective_to=structure_format.parse_date(spec_version.get("effective_to")),
            decided_on=structure_format.parse_date(spec_version.get("decided_on")),
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
    for section in structure_format.sections():
        section.write(municipality, data, versions, units, posts, people)
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


# --- editing: every tree write locks the version, validates, and records who did it ----------------------


class EditRefused(ValidationError):
    """The change breaks a rule of the organisation; `message_dict` names the field."""


class NotPermitted(PermissionDenied):
    """The user may not make this change (outside their portfolio, or a read-only version)."""


def _refuse(field: str, message: str) -> None:
    raise EditRefused({field: [message]})


def _check_permission(actor, perm: str, obj) -> None:
    if actor is not None and not actor.has_perm(perm, obj):
        raise NotPermitted(_("Du har ikke ret til at ændre %(object)s.") % {"object": obj})


def _lock_editable(version: OrgVersion) -> OrgVersion:
    """Lock a version for an edit, refusing a previous (read-only) version."""
    version = lock_version(version)
    lock_tree_allocation()
    if version.is_read_only:
        raise NotPermitted(_("Versionen «%(version)s» er historisk og kan ikke ændres.") % {"version": version.label})
    return version


def _locked(unit: Unit) -> tuple[OrgVersion, Unit]:
    """Lock the unit's version and re-read the unit: nested-set fields read before the lock may be stale."""
    return _lock_editable(unit.version), Unit.objects.select_related("version").get(pk=unit.pk)


def _saved(instance, actor, reason: str) -> None:
    instance._history_user = actor
    instance._change_reason = reason
    instance.save()


MOVE_POSITIONS = ("last-child", "first-child", "left", "right")


@transaction.atomic
def move_unit(unit: Unit, target: Unit, position: str = "last-child", *, actor=None) -> Unit:
    """Move `unit` under `target` (or next to it, position left/right), keeping the tree valid."""
    if position not in MOVE_POSITIONS:
        _refuse("position", _("Ukendt placering «%(position)s».") % {"position": position})
    version, unit = _locked(unit)
    target = Unit.objects.select_related("parent").get(pk=target.pk)
    new_parent = target if position.endswith("child") else target.parent
    _check_permission(actor, "centers.change_unit", unit)
    if target.version_id != version.pk:
        _refuse("parent", _("Enheden kan kun flyttes inden for samme version."))
    if new_parent is not None:
        _check_permission(actor, "centers.change_unit", new_parent)
    if target.pk == unit.pk:
        _refuse("parent", _("En enhed kan ikke flyttes ind under sig selv."))
    if new_parent is None and unit.kind != UnitKind.DIRECTORATE:
        _refuse("parent", _("Kun en direktion kan ligge øverst."))
    if new_parent is not None:
        if unit.kind == UnitKind.DIRECTORATE:
            _refuse("parent", _("En direktion ligger øverst og har ingen overordnet enhed."))
        if new_parent.pk == unit.pk or (
            new_parent.tree_id == unit.tree_id and unit.lft <= new_parent.lft and new_parent.rght <= unit.rght
        ):
            _refuse("parent", _("En enhed kan ikke flyttes ind under sig selv."))
        if new_parent.kind == UnitKind.INSTITUTION and unit.kind in CONTAINER_UNIT_KINDS:
            _refuse(
                "parent",
                _("En institution kan ikke rumme en enhed af typen %(kind)s.") % {"kind": unit.get_kind_display()},
            )
    unit._history_user = actor
    unit._change_reason = "move"
    unit.move_to(target, position)  # django-mptt saves the node once: that save is the history record
    return Unit.objects.select_related("version").get(pk=unit.pk)


@transaction.atomic
def rename_unit(unit: Unit, name: str, name_en: str | None = None, *, actor=None) -> Unit:
    _version, unit = _locked(unit)
    _check_permission(actor, "centers.change_unit", unit)
    if not name.strip():
        _refuse("name", _("Enheden skal have et navn."))
    unit.name = name.strip()
    if name_en is not None:
        unit.name_en = name_en.strip()
    _saved(unit, actor, "rename")
    return unit


@transaction.atomic
def set_responsible(unit: Unit, post: Post | None, *, actor=None) -> Unit:
    """Make `post` the director answerable for `unit` (None: nobody)."""
    version, unit = _locked(unit)
    _check_permission(actor, "centers.change_unit", unit)
    if post is not None:
        if post.version_id != version.pk:
            _refuse("responsible", _("Den ansvarlige direktør skal høre til samme version."))
        if post.kind not in DIRECTOR_POST_KINDS:
            _refuse("responsible", _("Den ansvarlige skal være en direktørstilling."))
    unit.responsible = post
    _saved(unit, actor, "responsible")
    return unit


@transaction.atomic
def set_head(unit: Unit, post: Post | None, *, actor=None) -> Unit:
    """Make `post` (a post of the unit itself) the unit's head."""
    version, unit = _locked(unit)
    _check_permission(actor, "centers.change_unit", unit)
    if post is not None and (post.version_id != version.pk or post.unit_id != unit.pk):
        _refuse("head", _("Lederstillingen skal høre til enheden selv."))
    unit.head = post
    _saved(unit, actor, "head")
    return unit


@transaction.atomic
def assign_holder(post: Post, person: Person | None, *, actor=None) -> Post:
    """Appoint `person` to `post` (None: the post becomes vacant)."""
    version = _lock_editable(post.version)
    post = Post.objects.select_related("unit", "version").get(pk=post.pk)
    _check_permission(actor, "centers.change_post", post)
    if person is not None and person.municipality_id != version.municipality_id:
        _refuse("holder", _("Personen hører til en anden kommune."))
    post.holder = person
    _saved(post, actor, "holder")
    return post


@transaction.atomic
def revert_unit(unit: Unit, history_id: int, *, actor=None) -> Unit:
    """Undo a change: bring the unit's parent, name, head and responsible director back to what a historical
    record says, through the same checks as any other edit."""
    _version, current = _locked(unit)
    _check_permission(actor, "centers.change_unit", current)
    record = current.history.filter(history_id=history_id).first()
    if record is None:
        _refuse("history", _("Ukendt historikpost %(id)s for enheden.") % {"id": history_id})
    if record.parent_id != current.parent_id:
        if record.parent_id is None:
            _refuse("parent", _("Enheden kan ikke gøres til rod ved at fortryde."))
        parent = Unit.objects.filter(pk=record.parent_id).first()
        if parent is None:
            _refuse("parent", _("Den tidligere overordnede enhed findes ikke længere."))
        current = move_unit(current, parent, "last-child", actor=actor)
    if (record.name, record.name_en) != (current.name, current.name_en):
        current = rename_unit(current, record.name, record.name_en, actor=actor)
    if record.responsible_id != current.responsible_id:
        current = set_responsible(current, Post.objects.filter(pk=record.responsible_id).first(), actor=actor)
    if record.head_id != current.head_id:
        current = set_head(current, Post.objects.filter(pk=record.head_id).first(), actor=actor)
    return current


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
        expected.update(_nested_sets(rows, tree_id))
    return all(
        expected.get(row["key"])
        == {"tree_id": row["tree_id"], "level": row["level"], "lft": row["lft"], "rght": row["rght"]}
        for row in stored
    ) and len(expected) == len(stored)
