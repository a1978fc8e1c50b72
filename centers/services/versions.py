"""The life of an organisation version: a draft cloned from any version, and the adoption of a draft or proposal.

A clone is built as a structure document (the municipality's export with a copy of the source version's spec
appended) and written by the loader's validated bulk path (`structure_format.add_versions`), so a clone holds
exactly what an export of its source says. An adoption is the one write that changes a version's status: the
adopted version becomes current from a date and the version current until then becomes previous, ending the day
before.
"""

from __future__ import annotations

import copy
import datetime
import re

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from centers import invariants, rules, structure_format
from centers.models import Municipality, OrgVersion

from .editing import Actor, _refuse, _saved, check_row, refuse_problems, require
from .errors import EditRefused, NotPermitted, refusal_reason

ADD_VERSION = "centers.add_orgversion"
ADOPT_VERSION = "centers.adopt_orgversion"
# The format's version key (orgmodel-1.schema.json): one URL segment.
VERSION_KEY = re.compile(r"[a-z0-9][a-z0-9-]*")
UNDECIDED = (OrgVersion.Status.DRAFT, OrgVersion.Status.PROPOSED)
# Version fields a clone does not take over: it is an undated, undecided draft of its own.
UNDECIDED_FIELDS = {
    "status": OrgVersion.Status.DRAFT.value,
    "effective_from": None,
    "effective_to": None,
    "decided_on": None,
    "decided_by": None,
}
LABEL_LENGTH = OrgVersion._meta.get_field("label").max_length


def default_label(version: OrgVersion) -> str:
    """A draft's label until someone names it: "Udkast baseret på <label>" (the label is Danish data)."""
    return f"Udkast baseret på {version.label}"[:LABEL_LENGTH]


def _history_user(actor: Actor) -> AbstractBaseUser | None:
    return actor if isinstance(actor, AbstractBaseUser) else None


def _clone_spec(document: dict, version: OrgVersion, new_key: str, label: str, label_en: str | None) -> dict:
    """The source version's spec as a draft of its own: same units, posts, duties, tasks and governance rows,
    every unit formed from itself in the source."""
    (source,) = (spec for spec in document["versions"] if spec["key"] == version.key)
    spec = copy.deepcopy(source)
    spec.update(UNDECIDED_FIELDS, key=new_key, label=label, label_en=label_en, based_on=version.key)
    for unit in spec["units"]:
        unit["formed_from"] = [unit["key"]]
    return spec


def check_clone(version: OrgVersion, new_key: str, *, actor: Actor, label: str | None = None) -> OrgVersion:
    """Refuse a clone as `clone_version` would (permission first, then the new key and label), without writing;
    returns the new version as it would be stored."""
    candidate = OrgVersion(
        municipality=version.municipality,
        key=new_key,
        label=default_label(version) if label is None else label.strip(),
        status=OrgVersion.Status.DRAFT,
        based_on=version,
    )
    require(actor, ADD_VERSION, candidate)
    if not VERSION_KEY.fullmatch(new_key):
        _refuse(
            "key",
            _(
                "Nøglen må kun bestå af små bogstaver (a–z), tal og bindestreger og skal begynde med et bogstav "
                "eller tal."
            ),
        )
    if OrgVersion.objects.filter(municipality_id=version.municipality_id, key=new_key).exists():
        _refuse("key", _("Nøglen «%(key)s» er allerede brugt af en version i kommunen.") % {"key": new_key})
    check_row(candidate, actor=actor)
    return candidate


@transaction.atomic
def clone_version(version: OrgVersion, new_key: str, *, actor: Actor, label: str | None = None) -> OrgVersion:
    """A new draft based on `version` (of any status): every unit continues under its own key (`formed_from`
    itself), with the same posts, duties, tasks, committee services, forums, networks and budget rows; undated
    and undecided. Who may add a version to the municipality may clone; the history records the actor (reason
    "clone")."""
    version = OrgVersion.objects.select_related("municipality").get(pk=version.pk)
    check_clone(version, new_key, actor=actor, label=label)  # a refusal takes no lock
    # The loader's locks, taken before the export so that the document is what add_versions finds stored; under
    # them the version is read and checked again.
    municipality = structure_format.lock_for_new_trees(version.municipality)
    version = OrgVersion.objects.select_related("municipality").get(pk=version.pk)
    candidate = check_clone(version, new_key, actor=actor, label=label)
    data = structure_format.export(municipality)
    label_en = f"Draft based on {version.label_en}"[:LABEL_LENGTH] if label is None and version.label_en else None
    data["versions"].append(_clone_spec(data, version, new_key, candidate.label, label_en))
    document = structure_format.Document(data, f"{municipality.slug}: {new_key}")
    try:
        (clone,) = structure_format.add_versions(
            municipality, document, [new_key], reason="clone", history_user=_history_user(actor)
        )
    except structure_format.StructureInvalid as error:
        _refuse("__all__", "; ".join(f"{failure.path}: {failure.message}" for failure in error.errors))
    return clone


# --- adoption ---------------------------------------------------------------------------------------------------


def _lock_versions(municipality_id: int) -> list[OrgVersion]:
    """Serialise adoptions in a municipality: its row, then all its versions in id order (SELECT … FOR UPDATE),
    held until the transaction ends. An edit of a version waits for an adoption in its municipality, and the
    other way round."""
    Municipality.objects.select_for_update().get(pk=municipality_id)
    return list(
        OrgVersion.objects.select_for_update(of=("self",))
        .select_related("municipality")
        .filter(municipality_id=municipality_id)
        .order_by("pk")
    )


def require_adoption(actor: Actor, version: OrgVersion) -> None:
    """Only the municipality's kommunaldirektør or an administrator adopts, and never a previous version."""
    if actor is None:
        raise TypeError("an actor is required: the request's user, or services.SYSTEM for commands")
    if rules.may(actor, ADOPT_VERSION, version):
        return
    own = rules.is_global(actor) or version.municipality_id in rules.municipality_ids(actor)
    if version.is_read_only or not getattr(actor, "is_authenticated", False) or not own:
        raise NotPermitted(refusal_reason(actor, ADOPT_VERSION, version))
    raise NotPermitted(_("Kun kommunens kommunaldirektør eller en administrator kan vedtage en organisation."))


def check_adoption(
    version: OrgVersion,
    effective_from: datetime.date | None,
    *,
    actor: Actor,
    current: OrgVersion | None = None,
) -> None:
    """Refuse an adoption as `adopt_version` would, without writing; `current` is the version current now, and
    without `effective_from` only who adopts and what is adopted are checked (a form asks the date after)."""
    require_adoption(actor, version)
    if version.status == OrgVersion.Status.CURRENT:
        _refuse("status", _("«%(version)s» er allerede den gældende version.") % {"version": version.label})
    if version.status not in UNDECIDED:
        _refuse("status", _("Kun et udkast eller et forslag kan vedtages."))
    if effective_from is None or current is None or current.effective_from is None:
        return
    if effective_from <= current.effective_from:
        _refuse(
            "effective_from",
            _(
                "Den gældende version «%(version)s» gælder fra %(date)s og skal slutte dagen før den nye "
                "organisation: vælg en dato efter %(date)s."
            )
            % {"version": current.label, "date": date_format(current.effective_from, "DATE_FORMAT")},
        )


def _field_problem(version: OrgVersion, name: str) -> None:
    """Refuse a value its column cannot hold (e.g. a `decided_by` longer than 200 characters)."""
    field = OrgVersion._meta.get_field(name)
    try:
        field.clean(getattr(version, name), version)
    except ValidationError as error:
        raise EditRefused({name: error.messages}) from error


@transaction.atomic
def adopt_version(
    version: OrgVersion,
    effective_from: datetime.date,
    *,
    actor: Actor,
    decided_on: datetime.date | None = None,
    decided_by: str = "",
) -> OrgVersion:
    """Make a draft or proposed version current from `effective_from`; the version current until then becomes
    previous, ending the day before. The decision is recorded (`decided_on` defaults to today; an empty
    `decided_by` keeps what the version says). Both versions' history records the actor (reason "adopt").
    Locks the municipality's versions, so two adoptions in a municipality run one after the other; a refused
    adoption changes nothing."""
    if not isinstance(effective_from, datetime.date):
        _refuse("effective_from", _("Angiv den dato, organisationen gælder fra."))
    versions = _lock_versions(version.municipality_id)
    by_pk = {row.pk: row for row in versions}
    if version.pk not in by_pk:
        raise OrgVersion.DoesNotExist(f"version {version.pk} no longer exists")
    version = by_pk[version.pk]
    current = next((row for row in versions if row.status == OrgVersion.Status.CURRENT), None)
    check_adoption(version, effective_from, actor=actor, current=current)
    version.status = OrgVersion.Status.CURRENT
    version.effective_from = effective_from
    version.decided_on = decided_on or timezone.localdate()
    version.decided_by = decided_by.strip() or version.decided_by
    if current is not None:
        current.status = OrgVersion.Status.PREVIOUS
        current.effective_to = effective_from - datetime.timedelta(days=1)
    refuse_problems(invariants.dates_problem(row.effective_from, row.effective_to) for row in (current, version) if row)
    _field_problem(version, "decided_by")
    if current is not None:
        _saved(current, actor, "adopt")  # first: one current version per municipality, at every statement
    _saved(version, actor, "adopt")
    return version
