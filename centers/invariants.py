"""The rules of an organisation version, written once and asked by the loader, the services, the models' clean()
and the forms. Each rule is a pure function of the values it judges and returns a `Problem` or None; the
Danish message (users of the site) and the English one (loader errors) are two tables keyed by the same code,
so a shape gets one verdict wherever it is checked.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .choices import CONTAINER_UNIT_KINDS, DIRECTOR_POST_KINDS, UnitKind


@dataclass(frozen=True)
class Problem:
    field: str
    code: str
    params: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code]) % self.params

    @property
    def english(self) -> str:
        return ENGLISH[self.code] % self.params


MESSAGES = {
    "root_not_directorate": _("Kun en direktion kan ligge øverst."),
    "directorate_has_parent": _("En direktion ligger øverst og har ingen overordnet enhed."),
    "institution_holds_container": _("En institution kan ikke rumme en enhed af typen %(kind)s."),
    "inside_itself": _("En enhed kan ikke flyttes ind under sig selv eller en af sine underenheder."),
    "other_version": _("Hører til en anden version."),
    "other_municipality": _("Hører til en anden kommune."),
    "head_of_other_unit": _("Lederstillingen skal høre til enheden selv."),
    "responsible_not_director": _("Den ansvarlige skal være en direktørstilling."),
    "responsible_post_must_stay_director": _(
        "Stillingen er ansvarlig direktør for enheder og skal være en direktørstilling."
    ),
    "head_post_stays_in_unit": _("Stillingen er leder af sin enhed og kan ikke flyttes til en anden enhed."),
    "reports_to_itself": _("En stilling kan ikke referere til sig selv."),
    "reporting_cycle": _("Stillingerne ville referere til hinanden i ring."),
    "formed_from_outside_based_on": _("Enheden «%(unit)s» hører ikke til den version, denne bygger på."),
    "formed_from_without_based_on": _("Versionen bygger ikke på en anden version."),
    "ends_before_start": _("Slutdatoen ligger før startdatoen."),
    "based_on_itself": _("En version kan ikke bygge på sig selv."),
    "empty_name": _("Navnet må ikke være tomt."),
    "service_names_nothing": _("Angiv en enhed eller en stilling."),
    "has_sub_units": _("Enheden har underenheder; flyt eller slet dem først."),
    "user_of_other_municipality": _("Brugeren hører ikke til personens kommune."),
    "key_taken": _("Nøglen «%(key)s» er allerede brugt i denne version."),
    "reserved_slug": _("«%(slug)s» er forbeholdt: /%(slug)s/ er en side på selve sitet."),
    "reserved_version_key": _("«%(key)s» er forbeholdt: /<kommune>/%(key)s/ er en side på selve sitet."),
}

ENGLISH = {
    "root_not_directorate": "only a directorate is the top of a tree; a %(kind)s needs a parent",
    "directorate_has_parent": "a directorate is the top of its tree and has no parent",
    "institution_holds_container": "an institution ('%(parent)s') cannot hold a unit of kind %(kind)s",
    "inside_itself": "a unit cannot lie under itself or one of its descendants",
    "other_version": "belongs to another version",
    "other_municipality": "belongs to another municipality",
    "head_of_other_unit": "head post '%(post)s' belongs to unit '%(post_unit)s', not to '%(unit)s'",
    "responsible_not_director": "responsible post '%(post)s' is a %(post_kind)s post, not a director",
    "responsible_post_must_stay_director": "the post is responsible for units and must stay a director's post",
    "head_post_stays_in_unit": "the post heads its unit and cannot move to another unit",
    "reports_to_itself": "a post cannot report to itself",
    "reporting_cycle": "cycle in reports_to",
    "formed_from_outside_based_on": "unit '%(unit)s' is not in the based_on version",
    "formed_from_without_based_on": "formed_from needs the version to be based_on another version",
    "ends_before_start": "effective_to %(end)s is before effective_from %(start)s",
    "based_on_itself": "a version cannot be based on itself",
    "empty_name": "the name is empty",
    "service_names_nothing": "a committee service must name a unit or a post (or both)",
    "has_sub_units": "the unit has sub-units",
    "user_of_other_municipality": "the user does not belong to the person's municipality",
    "key_taken": "duplicate key '%(key)s'",
    "reserved_slug": (
        "'%(slug)s' is reserved: /%(slug)s/ is a page of the site itself, so a municipality cannot have it as its slug"
    ),
    "reserved_version_key": (
        "'%(key)s' is reserved: /<slug>/%(key)s/ is a path of the site itself, so a version cannot have it as its key"
    ),
}


def kind_label(kind: str) -> str:
    return str(UnitKind(kind).label) if kind in UnitKind.values else kind


# --- the tree -----------------------------------------------------------------------------------------


def placement_problem(kind: str, parent_kind: str | None, *, parent_key: str = "") -> Problem | None:
    """Where a unit of `kind` may sit: only a directorate is a root, a directorate has no parent, and an
    institution holds no organising unit."""
    if parent_kind is None:
        if kind != UnitKind.DIRECTORATE:
            return Problem("parent", "root_not_directorate", {"kind": kind_label(kind)})
        return None
    if kind == UnitKind.DIRECTORATE:
        return Problem("parent", "directorate_has_parent")
    if parent_kind == UnitKind.INSTITUTION and kind in CONTAINER_UNIT_KINDS:
        return Problem("parent", "institution_holds_container", {"kind": kind_label(kind), "parent": parent_key})
    return None


def inside_itself_problem(is_self_or_descendant: bool) -> Problem | None:
    return Problem("parent", "inside_itself") if is_self_or_descendant else None


def head_problem(unit_key: str, post_key: str, post_unit_key: str | None) -> Problem | None:
    """A unit's head is one of the unit's own posts."""
    if post_unit_key != unit_key:
        return Problem(
            "head", "head_of_other_unit", {"post": post_key, "post_unit": post_unit_key or "", "unit": unit_key}
        )
    return None


def responsible_problem(post_key: str, post_kind: str) -> Problem | None:
    """The director answerable for a unit holds a director's post."""
    if post_kind not in DIRECTOR_POST_KINDS:
        return Problem("responsible", "responsible_not_director", {"post": post_key, "post_kind": post_kind})
    return None


def empty_name_problem(name: str, field_name: str = "name") -> Problem | None:
    return Problem(field_name, "empty_name") if not (name or "").strip() else None


# --- posts --------------------------------------------------------------------------------------------


def post_kind_problem(kind: str, is_responsible_for_units: bool) -> Problem | None:
    """A post that units name as their responsible director stays a director's post."""
    if is_responsible_for_units and kind not in DIRECTOR_POST_KINDS:
        return Problem("kind", "responsible_post_must_stay_director")
    return None


def head_post_unit_problem(heads_unit_key: str | None, new_unit_key: str | None) -> Problem | None:
    """A post that heads a unit stays in that unit."""
    if heads_unit_key is not None and heads_unit_key != new_unit_key:
        return Problem("unit", "head_post_stays_in_unit")
    return None


def reporting_problem(post_key: str, reports_to: dict[str, str | None]) -> Problem | None:
    """`reports_to` maps post keys to the key they report to (the proposed state): no self-reference, no ring."""
    target = reports_to.get(post_key)
    if target == post_key:
        return Problem("reports_to", "reports_to_itself")
    seen = {post_key}
    while target is not None:
        if target in seen:
            return Problem("reports_to", "reporting_cycle")
        seen.add(target)
        target = reports_to.get(target)
    return None


# --- versions -----------------------------------------------------------------------------------------


def dates_problem(start: datetime.date | None, end: datetime.date | None) -> Problem | None:
    if start and end and end < start:
        return Problem("effective_to", "ends_before_start", {"start": start, "end": end})
    return None


def formed_from_problem(based_on, source_version, source_name: str) -> Problem | None:
    """`formed_from` names units of the version this one is based on (versions by any identity, None: none)."""
    if based_on is None:
        return Problem("formed_from", "formed_from_without_based_on")
    if source_version != based_on:
        return Problem("formed_from", "formed_from_outside_based_on", {"unit": source_name})
    return None


# --- references ---------------------------------------------------------------------------------------


def same_version_problem(field_name: str, own_version_id, other_version_id) -> Problem | None:
    """References from one row of a version stay inside that version."""
    if other_version_id != own_version_id:
        return Problem(field_name, "other_version")
    return None


def same_municipality_problem(field_name: str, own_municipality_id, other_municipality_id) -> Problem | None:
    if other_municipality_id != own_municipality_id:
        return Problem(field_name, "other_municipality")
    return None


# --- the same rules asked of model instances (model clean(), services, forms) -------------------------


def raise_problems(problems) -> None:
    """Raise the problems as one ValidationError keyed by field (the first problem of a field wins)."""
    errors: dict[str, str] = {}
    for problem in problems:
        if problem is not None:
            errors.setdefault(problem.field, problem.message)
    if errors:
        raise ValidationError(errors)


def municipality_id_of(obj) -> int | None:
    """The municipality a row belongs to: its own, its version's, or its committee's."""
    if obj is None:
        return None
    if obj._meta.label == "centers.Municipality":
        return obj.pk
    if hasattr(obj, "municipality_id"):
        return obj.municipality_id
    for relation in ("version", "committee"):
        if getattr(obj, f"{relation}_id", None):
            return municipality_id_of(getattr(obj, relation))
    return None


def reference_problems(instance, m2m: dict | None = None, fields=None) -> list[Problem]:
    """Every foreign key (and many-to-many value) of `instance` stays inside its version, or, for rows of a
    municipality (people, committees, versions), inside its municipality. `fields`: only these (None: all)."""
    problems = []
    own_version = getattr(instance, "version_id", None)
    own_municipality = municipality_id_of(instance)
    related = [
        (field.name, [getattr(instance, field.name)])
        for field in instance._meta.concrete_fields
        if field.is_relation
        and field.name != "version"
        and (fields is None or field.name in fields)
        and getattr(instance, field.attname) is not None
    ]
    related += [(name, list(values)) for name, values in (m2m or {}).items()]
    for name, values in related:
        for value in values:
            if value is None or value._meta.label in {"auth.User", "centers.Municipality"}:
                continue
            if own_version is not None and hasattr(value, "version_id"):
                problems.append(same_version_problem(name, own_version, value.version_id))
            else:
                problems.append(same_municipality_problem(name, own_municipality, municipality_id_of(value)))
    return problems


def unit_problems(unit, fields=None) -> list[Problem]:
    """The rules of a unit's place, head, responsible director and name; `fields`: only those that concern
    these fields (an edit need not re-judge what it leaves alone)."""

    def asks(*names):
        return fields is None or any(name in fields for name in names)

    problems = reference_problems(unit, fields=fields)
    parent = unit.parent if unit.parent_id else None
    if asks("parent", "kind"):
        problems.append(placement_problem(unit.kind, parent and parent.kind, parent_key=parent.key if parent else ""))
    if parent is not None and unit.pk and asks("parent"):
        problems.append(
            inside_itself_problem(
                parent.pk == unit.pk
                or (parent.tree_id == unit.tree_id and unit.lft <= parent.lft and parent.rght <= unit.rght)
            )
        )
    if asks("head") and unit.head_id and unit.head.version_id == unit.version_id:
        head = unit.head
        problems.append(head_problem(unit.key, head.key, head.unit.key if head.unit_id else None))
    if asks("responsible") and unit.responsible_id and unit.responsible.version_id == unit.version_id:
        problems.append(responsible_problem(unit.responsible.key, unit.responsible.kind))
    if asks("name"):
        problems.append(empty_name_problem(unit.name))
    return problems


def post_problems(post) -> list[Problem]:
    problems = reference_problems(post)
    problems.append(empty_name_problem(post.title, "title"))
    if post.pk:
        problems.append(post_kind_problem(post.kind, post.responsible_for.exists()))
        headed = post.headed_units.values_list("key", flat=True).first()
        problems.append(head_post_unit_problem(headed, post.unit.key if post.unit_id else None))
    if post.reports_to_id and post.reports_to.version_id == post.version_id:
        chain = dict(
            type(post)
            .objects.filter(version_id=post.version_id)
            .exclude(pk=post.pk)
            .values_list("key", "reports_to__key")
        )
        chain[post.key] = post.reports_to.key
        problems.append(reporting_problem(post.key, chain))
    return problems


def formed_from_problems(unit, sources) -> list[Problem]:
    based_on = unit.version.based_on_id
    return [formed_from_problem(based_on, source.version_id, source.name) for source in sources]


def person_user_problem(person) -> Problem | None:
    """A person linked to a user of the site: that user works in the person's municipality (a superuser in all)."""
    user = person.user if person.user_id else None
    if user is None or user.is_superuser:
        return None
    if not user.municipalities.filter(pk=person.municipality_id).exists():
        return Problem("user", "user_of_other_municipality")
    return None
