"""Every edit of an organisation: units, posts, tasks and any other row (versions, people, sources, governance).

Each write runs in a transaction, locks the version it changes, asks `centers.rules.may` with a required actor
(`SYSTEM` for commands), checks the rules of `centers.invariants`, and records the actor in the history. Each
write has a side-effect-free `check_*` twin that forms call to show the same verdict on the field.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from centers import invariants
from centers.invariants import Problem
from centers.models import OrgVersion, Person, Post, Task, Unit
from centers.rules import may, version_of

from . import tree_moves
from .errors import EditRefused, NotPermitted, refusal_reason
from .locking import lock_editable

MOVE_POSITIONS = ("last-child", "first-child", "left", "right")
# The unit fields `update_unit` writes; the key is the unit's public URL and never changes.
UNIT_FIELDS = ("parent", "name", "name_en", "head", "responsible", "formed_from", "source", "note")


class SystemActor:
    """The actor of management commands and the loader: permitted everything but the history's read-only
    versions; recorded in the history as no user."""

    is_authenticated = True
    is_superuser = True
    is_staff = False
    pk = None

    def has_perm(self, perm: str, obj=None) -> bool:
        return True

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()
Actor = AbstractBaseUser | SystemActor


# The history's reason for an edit of one kind of field; an edit of several kinds is an "edit".
FIELD_REASONS = {
    "parent": "move",
    "name": "rename",
    "name_en": "rename",
    "head": "head",
    "responsible": "responsible",
    "holder": "holder",
}


def reason_for(fields) -> str:
    reasons = {FIELD_REASONS.get(field, "edit") for field in fields}
    return reasons.pop() if len(reasons) == 1 else "edit"


def _refuse(field: str, message: str) -> None:
    raise EditRefused({field: [message]})


def refuse_problems(problems: Iterable[Problem | None]) -> None:
    """Raise EditRefused with every problem on its field."""
    errors: dict[str, list[str]] = {}
    for problem in problems:
        if problem is not None:
            errors.setdefault(problem.field, []).append(problem.message)
    if errors:
        raise EditRefused(errors)


def require(actor: Actor, perm: str, obj) -> None:
    """Refuse unless `actor` may do `perm` to `obj`, saying which rule stops them; there is no "no actor" (that
    would mean "no check")."""
    if actor is None:
        raise TypeError("an actor is required: the request's user, or services.SYSTEM for commands")
    if not may(actor, perm, obj):
        raise NotPermitted(refusal_reason(actor, perm, obj))


def perm(instance, action: str) -> str:
    return f"{instance._meta.app_label}.{action}_{instance._meta.model_name}"


def _saved(instance, actor: Actor, reason: str, **save_options) -> None:
    instance._history_user = actor if isinstance(actor, AbstractBaseUser) else None
    instance._change_reason = reason
    instance.save(**save_options)


def _stored(instance):
    return type(instance).objects.get(pk=instance.pk) if instance.pk else None


def _key_problem(instance) -> Problem | None:
    """A key is unique within its version (a database constraint; checked here to name the field)."""
    if not hasattr(instance, "key") or not getattr(instance, "version_id", None):
        return None
    taken = type(instance).objects.filter(version_id=instance.version_id, key=instance.key).exclude(pk=instance.pk)
    return Problem("key", "key_taken", {"key": instance.key}) if taken.exists() else None


# --- units --------------------------------------------------------------------------------------------


def _with_changes(unit: Unit, changes: dict) -> Unit:
    candidate = copy.copy(unit)
    for field, value in changes.items():
        if field != "formed_from":
            setattr(candidate, field, value)
    return candidate


def check_unit_edits(unit: Unit, changes: dict, *, actor: Actor) -> None:
    """Refuse `changes` (UNIT_FIELDS to new values) to `unit` as `update_unit` would, without writing."""
    unknown = set(changes) - set(UNIT_FIELDS)
    if unknown:
        _refuse(sorted(unknown)[0], _("Feltet kan ikke ændres her."))
    require(actor, "centers.change_unit", unit)
    parent = changes.get("parent", unit.parent if unit.parent_id else None)
    if "parent" in changes and parent is not None:
        require(actor, "centers.change_unit", parent)
    candidate = _with_changes(unit, changes)
    problems = invariants.unit_problems(candidate, fields=set(changes))
    if "formed_from" in changes:
        problems += invariants.formed_from_problems(unit, changes["formed_from"])
    refuse_problems(problems)


@transaction.atomic
def update_unit(unit: Unit, changes: dict, *, actor: Actor, reason: str | None = None) -> Unit:
    """Change a unit's place, names, head, responsible director, origin, source or note in one locked edit."""
    new_parent = changes.get("parent", "unchanged")
    _version, unit = _locked(unit, allocates=new_parent is None)
    check_unit_edits(unit, changes, actor=actor)
    if new_parent != "unchanged" and getattr(new_parent, "pk", None) != unit.parent_id:
        unit._history_user = actor if isinstance(actor, AbstractBaseUser) else None
        unit._change_reason = reason or "move"
        tree_moves.move(unit, new_parent, "last-child")
        unit = Unit.objects.select_related("version").get(pk=unit.pk)
    plain = {field: value for field, value in changes.items() if field not in {"parent", "formed_from"}}
    if plain:
        for field, value in plain.items():
            setattr(unit, field, value.strip() if isinstance(value, str) and field in {"name", "name_en"} else value)
        _saved(unit, actor, reason or reason_for(plain))
    if "formed_from" in changes:
        unit.formed_from.set(changes["formed_from"])
    return unit


def _locked(unit: Unit, *, allocates: bool = False) -> tuple[OrgVersion, Unit]:
    """Lock the unit's version and re-read the unit: nested-set fields read before the lock may be stale."""
    version = lock_editable(unit.version, allocates=allocates)
    return version, Unit.objects.select_related("version").get(pk=unit.pk)


@transaction.atomic
def move_unit(unit: Unit, target: Unit, position: str = "last-child", *, actor: Actor, reason: str = "move") -> Unit:
    """Move `unit` under `target` (or next to it, position left/right), keeping the tree valid; `reason` is
    recorded in the history ("revert" when an undo moves it back)."""
    if position not in MOVE_POSITIONS:
        _refuse("position", _("Ukendt placering «%(position)s».") % {"position": position})
    target = Unit.objects.select_related("parent").get(pk=target.pk)
    new_parent = target if position.endswith("child") else target.parent
    version, unit = _locked(unit, allocates=new_parent is None)
    if target.version_id != version.pk:
        _refuse("parent", _("Enheden kan kun flyttes inden for samme version."))
    if target.pk == unit.pk:
        refuse_problems([invariants.inside_itself_problem(True)])
    check_unit_edits(unit, {"parent": new_parent}, actor=actor)
    unit._history_user = actor if isinstance(actor, AbstractBaseUser) else None
    unit._change_reason = reason
    tree_moves.move(unit, target, position)
    return Unit.objects.select_related("version").get(pk=unit.pk)


def rename_unit(unit: Unit, name: str, name_en: str | None = None, *, actor: Actor) -> Unit:
    changes = {"name": name} if name_en is None else {"name": name, "name_en": name_en}
    return update_unit(unit, changes, actor=actor, reason="rename")


def set_responsible(unit: Unit, post: Post | None, *, actor: Actor) -> Unit:
    """Make `post` the director answerable for `unit` (None: nobody)."""
    return update_unit(unit, {"responsible": post}, actor=actor, reason="responsible")


def set_head(unit: Unit, post: Post | None, *, actor: Actor) -> Unit:
    """Make `post` (a post of the unit itself) the unit's head."""
    return update_unit(unit, {"head": post}, actor=actor, reason="head")


def check_new_unit(unit: Unit, *, actor: Actor) -> None:
    require(actor, "centers.add_unit", unit)
    refuse_problems([*invariants.unit_problems(unit), _key_problem(unit)])


@transaction.atomic
def create_unit(unit: Unit, *, actor: Actor) -> Unit:
    """Insert a new unit (last child of its parent, or a new tree for a directorate)."""
    lock_editable(unit.version, allocates=unit.parent_id is None)
    check_new_unit(unit, actor=actor)
    _saved(unit, actor, "create")
    return unit


@transaction.atomic
def delete_unit(unit: Unit, *, actor: Actor) -> None:
    """Delete a unit without sub-units (its tasks go with it; its posts stay, without a unit)."""
    _version, unit = _locked(unit)
    require(actor, "centers.delete_unit", unit)
    if unit.get_descendant_count():
        refuse_problems([Problem("parent", "has_sub_units")])
    unit._history_user = actor if isinstance(actor, AbstractBaseUser) else None
    unit.delete()


@transaction.atomic
def revert_unit(unit: Unit, history_id: int, *, actor: Actor) -> Unit:
    """Undo a change: bring the unit's parent, names, head and responsible director back to what a historical
    record says, through the same checks as any other edit."""
    _version, current = _locked(unit)
    require(actor, "centers.change_unit", current)
    record = current.history.filter(history_id=history_id).first()
    if record is None:
        _refuse("history", _("Ukendt historikpost %(id)s for enheden.") % {"id": history_id})
    if record.parent_id != current.parent_id:
        if record.parent_id is None:
            _refuse("parent", _("Enheden kan ikke gøres til rod ved at fortryde."))
        parent = Unit.objects.filter(pk=record.parent_id).first()
        if parent is None:
            _refuse("parent", _("Den tidligere overordnede enhed findes ikke længere."))
        current = move_unit(current, parent, "last-child", actor=actor, reason="revert")
    recorded = {
        "name": record.name,
        "name_en": record.name_en,
        "responsible": Post.objects.filter(pk=record.responsible_id).first(),
        "head": Post.objects.filter(pk=record.head_id).first(),
    }
    changes = {field: value for field, value in recorded.items() if getattr(current, field) != value}
    if changes:
        current = update_unit(current, changes, actor=actor, reason="revert")
    return current


# --- posts and tasks ----------------------------------------------------------------------------------


def _require_where_it_was_and_goes(instance, stored, actor: Actor) -> None:
    """A new row needs the add permission; a changed one the change permission where it was and where it goes
    (a director: a post or task stays inside their portfolio)."""
    if stored is None:
        require(actor, perm(instance, "add"), instance)
        return
    require(actor, perm(instance, "change"), stored)
    if not may(actor, perm(instance, "change"), instance):
        _refuse("unit", _("Du kan kun lægge den i en enhed, du har ret til at ændre."))


def _changed_fields(instance, stored) -> list[str]:
    if stored is None:
        return []
    return [
        f.name for f in instance._meta.concrete_fields if getattr(instance, f.attname) != getattr(stored, f.attname)
    ]


def check_post(post: Post, *, actor: Actor) -> None:
    """Refuse a new or changed post as `save_post` would; the post keeps the rules of the units that name it."""
    _require_where_it_was_and_goes(post, _stored(post), actor)
    refuse_problems([*invariants.post_problems(post), _key_problem(post)])


@transaction.atomic
def save_post(post: Post, *, actor: Actor, reason: str | None = None) -> Post:
    lock_editable(post.version)
    stored = _stored(post)
    check_post(post, actor=actor)
    _saved(post, actor, reason or reason_for(_changed_fields(post, stored)))
    return post


def assign_holder(post: Post, person: Person | None, *, actor: Actor) -> Post:
    """Appoint `person` to `post` (None: the post becomes vacant)."""
    post = Post.objects.select_related("unit", "version").get(pk=post.pk)
    post.holder = person
    return save_post(post, actor=actor, reason="holder")


def check_task(task: Task, *, actor: Actor) -> None:
    _require_where_it_was_and_goes(task, _stored(task), actor)
    refuse_problems(
        [*invariants.reference_problems(task), invariants.empty_name_problem(task.name), _key_problem(task)]
    )


@transaction.atomic
def save_task(task: Task, *, actor: Actor, reason: str = "edit") -> Task:
    lock_editable(task.version)
    check_task(task, actor=actor)
    _saved(task, actor, reason)
    return task


# --- any other row: versions, people, sources, municipalities, governance -----------------------------


def check_row(instance, *, actor: Actor, m2m: dict | None = None) -> None:
    """Refuse a new or changed row as `save_row` would: permission where it was and where it goes, its fields,
    its constraints and its references (foreign keys and `m2m`) inside its version or municipality."""
    stored = _stored(instance)
    if stored is None:
        require(actor, perm(instance, "add"), instance)
    else:
        require(actor, perm(instance, "change"), stored)
        require(actor, perm(instance, "change"), instance)
    if isinstance(instance, OrgVersion) and stored is not None and stored.status != instance.status:
        _refuse("status", _("Status ændres kun ved vedtagelse af en ny organisation."))
    if isinstance(instance, OrgVersion) and stored is None and instance.status not in {"draft", "proposed"}:
        _refuse("status", _("En ny version er et udkast eller et forslag."))
    errors: dict[str, list[str]] = {}
    try:
        instance.full_clean()
    except ValidationError as error:
        errors = dict(error.message_dict)
    for problem in invariants.reference_problems(instance, m2m):
        if problem is not None and problem.message not in errors.get(problem.field, []):
            errors.setdefault(problem.field, []).append(problem.message)
    if errors:
        raise EditRefused(errors)


@transaction.atomic
def save_row(instance, *, actor: Actor, m2m: dict | None = None, reason: str = "edit"):
    """Write a row that is not a unit, post or task; `m2m` maps many-to-many fields to their new values."""
    version = version_of(instance)
    if version is not None and version.pk:
        lock_editable(version)
    check_row(instance, actor=actor, m2m=m2m)
    _saved(instance, actor, reason)
    for field, values in (m2m or {}).items():
        getattr(instance, field).set(values)
    return instance


@transaction.atomic
def delete_row(instance, *, actor: Actor, reason: str | None = None) -> None:
    """Delete any row but a unit (see `delete_unit`): posts, tasks, versions, governance rows ...; `reason` is
    recorded in the history (an import's "import")."""
    version = version_of(instance)
    if version is not None and not isinstance(instance, OrgVersion):
        lock_editable(version)
    elif isinstance(instance, OrgVersion):
        lock_editable(instance, allocates=True)
    require(actor, perm(instance, "delete"), instance)
    if isinstance(instance, OrgVersion) and instance.status == OrgVersion.Status.CURRENT:
        _refuse("status", _("Den gældende version kan ikke slettes."))
    instance._history_user = actor if isinstance(actor, AbstractBaseUser) else None
    if reason is not None:
        instance._change_reason = reason
    instance.delete()


# --- one entry for the generic doors (admin forms and inlines, the API) -------------------------------


def check(instance, *, actor: Actor, m2m: dict | None = None) -> None:
    """The side-effect-free check of `save(instance)`."""
    if isinstance(instance, Unit):
        if instance.pk:
            raise TypeError("an existing unit changes through update_unit or move_unit")
        check_new_unit(instance, actor=actor)
    elif isinstance(instance, Post):
        check_post(instance, actor=actor)
    elif isinstance(instance, Task):
        check_task(instance, actor=actor)
    else:
        check_row(instance, actor=actor, m2m=m2m)


def save(instance, *, actor: Actor, m2m: dict | None = None):
    if isinstance(instance, Unit):
        if instance.pk:
            raise TypeError("an existing unit changes through update_unit or move_unit")
        return create_unit(instance, actor=actor)
    if isinstance(instance, Post):
        return save_post(instance, actor=actor)
    if isinstance(instance, Task):
        return save_task(instance, actor=actor)
    return save_row(instance, actor=actor, m2m=m2m)


def delete(instance, *, actor: Actor) -> None:
    if isinstance(instance, Unit):
        delete_unit(instance, actor=actor)
    else:
        delete_row(instance, actor=actor)
