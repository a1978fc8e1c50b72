"""Who may do what to the organisation: object-level permissions, asked by the services, the admin and the API.

Roles are Django groups (created by migration centers/0003): `Læser` reads, `Direktør` changes the units, posts,
tasks and duties of their portfolio, `Kommunaldirektør` changes everything of their municipality, `Administrator`
everything everywhere. Readers, directors and kommunaldirektører belong to municipalities
(`Municipality.members`) and act only there. A director's portfolio is every unit whose `responsible` post they
hold (through the Person linked to their user), with its descendants. Previous versions are read-only for
everyone, superusers included: ask `may()`, which says so before Django's superuser shortcut.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import rules
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

from .invariants import municipality_id_of
from .models import OrgVersion, Unit

READER = "Læser"
DIRECTOR = "Direktør"
CHIEF_EXECUTIVE = "Kommunaldirektør"
ADMINISTRATOR = "Administrator"
ROLES = (READER, DIRECTOR, CHIEF_EXECUTIVE, ADMINISTRATOR)

User = AbstractBaseUser | AnonymousUser


def version_of(obj) -> OrgVersion | None:
    if isinstance(obj, OrgVersion):
        return obj
    return obj.version if getattr(obj, "version_id", None) else None


def is_history(obj) -> bool:
    """Whether `obj` is, or belongs to, a previous version."""
    version = version_of(obj) if obj is not None else None
    return version is not None and version.status == OrgVersion.Status.PREVIOUS


def may(user: User, perm: str, obj=None) -> bool:
    """The one question every door asks: may `user` do `perm` (e.g. "centers.change_unit") to `obj`?"""
    if obj is not None and is_history(obj) and not perm.split(".")[-1].startswith("view_"):
        return False
    return user.has_perm(perm, obj)


def role_names(user: User) -> frozenset[str]:
    """The user's role groups, read once per user object (a request's user lives as long as the request)."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_orgmodel_roles"):
        user._orgmodel_roles = frozenset(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
    return user._orgmodel_roles


def municipality_ids(user: User) -> frozenset[int]:
    """The municipalities the user works in, read once per user object."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_orgmodel_municipalities"):
        user._orgmodel_municipalities = frozenset(user.municipalities.values_list("pk", flat=True))
    return user._orgmodel_municipalities


def is_global(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or ADMINISTRATOR in role_names(user))


def portfolio_units(user: User, version: OrgVersion):
    """The units of `version` whose responsible post the user holds (roots of the portfolio)."""
    if not user.is_authenticated:
        return Unit.objects.none()
    return Unit.objects.filter(version=version, responsible__holder__user=user)


def in_portfolio(user: User, unit: Unit) -> bool:
    """Whether `unit` is, or lies under, a unit the user is the responsible director of. One query."""
    if not user.is_authenticated or unit.pk is None:
        return False
    return Unit.objects.filter(
        version_id=unit.version_id,
        tree_id=unit.tree_id,
        lft__lte=unit.lft,
        rght__gte=unit.rght,
        responsible__holder__user=user,
    ).exists()


# What units a row of another model names, for a director's portfolio: a post or task its unit, a duty the unit of
# its post; governance registers its own (committee services, forums, networks, budget rows) with
# `register_named_units`.
_named_units: dict[str, Callable[[object], Iterable[Unit | None]]] = {
    "centers.Post": lambda post: [post.unit if post.unit_id else None],
    "centers.Task": lambda task: [task.unit if task.unit_id else None],
    "centers.Duty": lambda duty: [duty.post.unit if duty.post_id and duty.post.unit_id else None],
    "centers.Unit": lambda unit: [unit],
}


def register_named_units(model_label: str, named_units: Callable[[object], Iterable[Unit | None]]) -> None:
    _named_units[model_label] = named_units


def named_units(obj) -> list[Unit | None]:
    return list(_named_units.get(obj._meta.label, lambda _obj: [None])(obj))


def editable_units(user: User, version: OrgVersion) -> Q | None:
    """The units of `version` the user may change, as a filter; None means all of them."""
    if version.is_read_only or not user.has_perm("centers.change_unit"):
        return Q(pk__in=[])
    if is_global(user):
        return None
    if version.municipality_id not in municipality_ids(user):
        return Q(pk__in=[])
    if CHIEF_EXECUTIVE in role_names(user):
        return None
    condition = Q(pk__in=[])
    if DIRECTOR in role_names(user):
        for tree_id, lft, rght in portfolio_units(user, version).values_list("tree_id", "lft", "rght"):
            condition |= Q(tree_id=tree_id, lft__gte=lft, rght__lte=rght)
    return condition


@rules.predicate
def is_administrator(user) -> bool:
    return is_global(user)


@rules.predicate
def is_chief_executive(user, obj) -> bool:
    """A kommunaldirektør of the object's municipality (of any of theirs, when asked about the model)."""
    if CHIEF_EXECUTIVE not in role_names(user):
        return False
    return obj is None or municipality_id_of(obj) in municipality_ids(user)


@rules.predicate
def is_director(user, obj) -> bool:
    if DIRECTOR not in role_names(user):
        return False
    return obj is None or municipality_id_of(obj) in municipality_ids(user)


@rules.predicate
def is_reader(user, obj) -> bool:
    return READER in role_names(user) and (obj is None or municipality_id_of(obj) in municipality_ids(user))


@rules.predicate
def version_is_editable(user, obj) -> bool:
    """Previous versions are history: nobody edits them. (No object: the question is about the model.)"""
    return obj is None or not is_history(obj)


@rules.predicate
def owns_object(user, obj) -> bool:
    """Every unit the object names is in the user's portfolio (and it names at least one)."""
    if obj is None:
        return True
    units = named_units(obj)
    return bool(units) and all(unit is not None and in_portfolio(user, unit) for unit in units)


full_access = is_administrator | is_chief_executive
can_view = rules.is_authenticated & (is_administrator | is_chief_executive | is_director | is_reader | rules.is_staff)
can_change_in_portfolio = version_is_editable & (full_access | (is_director & owns_object))
can_change_municipality_wide = version_is_editable & full_access


def grant(app_label: str, model_name: str, *, change, add=None, delete=None) -> None:
    """Declare the rules of one model: view for every role, and who may change, add and delete it."""
    rules.add_perm(f"{app_label}.view_{model_name}", can_view)
    rules.add_perm(f"{app_label}.change_{model_name}", change)
    rules.add_perm(f"{app_label}.add_{model_name}", add or change)
    rules.add_perm(f"{app_label}.delete_{model_name}", delete or change)


grant(
    "centers",
    "unit",
    change=can_change_in_portfolio,
    add=can_change_municipality_wide,
    delete=can_change_municipality_wide,
)
grant("centers", "post", change=can_change_in_portfolio)
grant("centers", "task", change=can_change_in_portfolio)
grant("centers", "duty", change=can_change_in_portfolio)
grant("centers", "orgversion", change=can_change_municipality_wide)
# Adopting a version (it becomes current and the current one previous) is the municipality's decision, carried out
# by its kommunaldirektør or an administrator (`services.adopt_version`); a previous version is never adopted.
rules.add_perm("centers.adopt_orgversion", can_change_municipality_wide)
grant("centers", "source", change=can_change_municipality_wide)
grant("centers", "person", change=can_change_municipality_wide)
grant("centers", "municipality", change=full_access, add=is_administrator, delete=is_administrator)
