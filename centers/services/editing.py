"""Edits of an organisation version. Every edit runs in a transaction, takes the lock of the trees it touches,
checks the rules and the permissions, and records who made it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from centers.models import CONTAINER_UNIT_KINDS, DIRECTOR_POST_KINDS, OrgVersion, Person, Post, Unit, UnitKind

from .locking import lock_tree_allocation, lock_version

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
