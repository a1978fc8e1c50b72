"""One verdict for one shape wherever it is checked: every tree rule of centers.invariants through the loader,
the services, the model's clean() and the admin forms (code review B3: the loader accepted a centre as a root
that move_unit refused to create)."""

import copy

import pytest
from django.core.exceptions import ValidationError

from centers import services, structure_format
from centers.admin.base import with_actor
from centers.admin.forms import UnitAddForm, UnitChangeForm
from centers.models import OrgVersion, Unit
from tests.builders import post, two_area_document, unit

pytestmark = pytest.mark.django_db

# (name, unit key or None for a new unit, the unit's fields by key, the fields refused)
SHAPES = [
    ("a centre as a root", None, {"kind": "centre", "parent": None}, {"parent"}),
    ("a directorate under a centre", None, {"kind": "directorate", "parent": "center-a2"}, {"parent"}),
    ("a centre in an institution", None, {"kind": "centre", "parent": "skole-a"}, {"parent"}),
    ("a staff in an institution", None, {"kind": "staff", "parent": "skole-a"}, {"parent"}),
    ("a department in an institution", None, {"kind": "department", "parent": "skole-a"}, set()),
    ("a team in a centre", None, {"kind": "team", "parent": "center-a2"}, set()),
    ("a head post of another unit", "center-a2", {"head": "centerchef-a1"}, {"head"}),
    ("a head post of the unit itself", "center-a1", {"head": "centerchef-a1"}, set()),
    ("a head as responsible director", "center-a2", {"responsible": "centerchef-a1"}, {"responsible"}),
    ("a director as responsible director", "center-a2", {"responsible": "direktoer-b"}, set()),
    ("the kommunaldirektør as responsible", "center-a2", {"responsible": "kommunaldirektoer"}, set()),
    ("a unit under its own child", "center-a1", {"parent": "afdeling-a1"}, {"parent"}),
    ("a centre moved to another area", "center-a1", {"parent": "omraade-b"}, set()),
]
NEW_UNIT = {"key": "ny-enhed", "name": "Ny enhed"}


def by_loader(existing, fields) -> set[str]:
    document = two_area_document()
    current = next(version for version in document.data["versions"] if version["key"] == "2023")
    if existing is None:
        current["units"].append({**NEW_UNIT, **fields})
    else:
        spec = next(spec for spec in current["units"] if spec["key"] == existing)
        spec.update(fields)
    try:
        structure_format.validate(document)
    except structure_format.StructureInvalid as error:
        return {problem.path.rsplit(".", 1)[-1] for problem in error.errors}
    return set()


def model_values(fields) -> dict:
    values = {}
    for name, key in fields.items():
        if name in {"parent"}:
            values[name] = unit(key) if key else None
        elif name in {"head", "responsible"}:
            values[name] = post(key) if key else None
        else:
            values[name] = key
    return values


def by_services(existing, fields) -> set[str]:
    try:
        if existing is None:
            services.check_new_unit(
                Unit(version=OrgVersion.objects.get(key="2023"), **NEW_UNIT, **model_values(fields)),
                actor=services.SYSTEM,
            )
        else:
            services.check_unit_edits(unit(existing), model_values(fields), actor=services.SYSTEM)
    except services.EditRefused as error:
        return set(error.message_dict)
    return set()


def by_model_clean(existing, fields) -> set[str]:
    if existing is None:
        candidate = Unit(version=OrgVersion.objects.get(key="2023"), **NEW_UNIT, **model_values(fields))
    else:
        candidate = copy.copy(unit(existing))
        for name, value in model_values(fields).items():
            setattr(candidate, name, value)
    try:
        candidate.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return set(error.message_dict)
    return set()


def by_admin_form(existing, fields) -> set[str]:
    values = {
        name: "" if value is None else str(getattr(value, "pk", value)) for name, value in model_values(fields).items()
    }
    if existing is None:
        version = OrgVersion.objects.get(key="2023")
        data = {"version": str(version.pk), **NEW_UNIT, "kind": fields["kind"], **values}
        form = with_actor(UnitAddForm, services.SYSTEM)(data)
    else:
        instance = unit(existing)
        data = {
            "name": instance.name,
            "name_en": instance.name_en,
            "parent": str(instance.parent_id or ""),
            "head": str(instance.head_id or ""),
            "responsible": str(instance.responsible_id or ""),
            **values,
        }
        form = with_actor(UnitChangeForm, services.SYSTEM)(data, instance=instance)
    form.is_valid()
    return set(form.errors)


ENTRY_POINTS = {"loader": by_loader, "services": by_services, "model": by_model_clean, "admin form": by_admin_form}


@pytest.fixture
def tovby():
    return structure_format.load(two_area_document())


@pytest.mark.parametrize(("name", "existing", "fields", "refused"), SHAPES, ids=[shape[0] for shape in SHAPES])
def test_every_entry_point_gives_the_same_verdict(tovby, name, existing, fields, refused):
    verdicts = {entry: check(existing, fields) for entry, check in ENTRY_POINTS.items()}
    assert verdicts == dict.fromkeys(ENTRY_POINTS, refused)
