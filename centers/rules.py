"""Who may do what to the organisation: the one place for object-level permissions.

Roles are Django groups (created by migration centers/0003): `Læser` reads, `Direktør` changes the units, posts
and tasks of their portfolio, `Kommunaldirektør` and `Administrator` change everything. A director's portfolio
is every unit whose `responsible` post they hold (through the Person linked to their user), with its
descendants. Previous versions are read-only for everyone. Admin, views and services ask through these rules.
"""

from __future__ import annotations

import rules

from .models import OrgVersion, Post, Task, Unit

READER = "Læser"
DIRECTOR = "Direktør"
CHIEF_EXECUTIVE = "Kommunaldirektør"
ADMINISTRATOR = "Administrator"
ROLES = (READER, DIRECTOR, CHIEF_EXECUTIVE, ADMINISTRATOR)


def portfolio_units(user, version: OrgVersion):
    """The units of `version` whose responsible post the user holds (roots of the portfolio)."""
    if not user.is_authenticated:
        return Unit.objects.none()
    return Unit.objects.filter(version=version, responsible__holder__user=user)


def in_portfolio(user, unit: Unit) -> bool:
    """Whether `unit` is, or lies under, a unit the user is the responsible director of. One query."""
    if not user.is_authenticated:
        return False
    return Unit.objects.filter(
        version_id=unit.version_id,
        tree_id=unit.tree_id,
        lft__lte=unit.lft,
        rght__gte=unit.rght,
        responsible__holder__user=user,
    ).exists()


def _unit_of(obj) -> Unit | None:
    if isinstance(obj, Unit):
        return obj
    if isinstance(obj, (Post, Task)):
        return obj.unit
    return None


def role_names(user) -> frozenset[str]:
    """The user's role groups, read once per user object (a request's user lives as long as the request)."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_orgmodel_roles"):
        user._orgmodel_roles = frozenset(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
    return user._orgmodel_roles


@rules.predicate
def has_full_access(user) -> bool:
    return user.is_superuser or bool(role_names(user) & {CHIEF_EXECUTIVE, ADMINISTRATOR})


@rules.predicate
def is_director(user) -> bool:
    return DIRECTOR in role_names(user)


@rules.predicate
def is_reader(user) -> bool:
    return READER in role_names(user)


@rules.predicate
def version_is_editable(user, obj) -> bool:
    """Previous versions are history: nobody edits them. (No object: the question is about the model.)"""
    if obj is None:
        return True
    version = obj.version if not isinstance(obj, OrgVersion) else obj
    return version.status != OrgVersion.Status.PREVIOUS


@rules.predicate
def owns_object(user, obj) -> bool:
    """The object is in the user's portfolio; a post or task without a unit belongs to nobody's portfolio."""
    if obj is None:
        return True
    unit = _unit_of(obj)
    return unit is not None and in_portfolio(user, unit)


can_edit = version_is_editable & (has_full_access | (is_director & owns_object))
can_view = rules.is_authenticated & (has_full_access | is_director | is_reader | rules.is_staff)

for model in ("unit", "post", "task"):
    rules.add_perm(f"centers.change_{model}", can_edit)
    rules.add_perm(f"centers.view_{model}", can_view)
rules.add_perm("centers.add_unit", version_is_editable & has_full_access)
rules.add_perm("centers.delete_unit", version_is_editable & has_full_access)
rules.add_perm("centers.add_post", can_edit)
rules.add_perm("centers.add_task", can_edit)
rules.add_perm("centers.delete_post", can_edit)
rules.add_perm("centers.delete_task", can_edit)
