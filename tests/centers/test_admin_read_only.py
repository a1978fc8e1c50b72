"""The admin writes nothing through the history form, and previous versions are read-only for every model
(security review D1, D2, D3): each refused request leaves the database as it was."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from centers.models import Municipality, OrgVersion
from centers.rules import CHIEF_EXECUTIVE, READER
from centers.structure_format import export as export_structure

pytestmark = [pytest.mark.django_db, pytest.mark.shared_fixtures("ltk", "assens")]

HISTORY_ADMINS = sorted(
    (
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, SimpleHistoryAdmin)
    )
)
VERSIONED_GOVERNANCE = ["governance.CommitteeService", "governance.Forum", "governance.Network"]


def snapshot() -> dict:
    return {municipality.slug: export_structure(municipality) for municipality in Municipality.objects.all()}


@pytest.fixture
def assens(load_fixture):
    """Assens (a previous version with forums and a committee service) and Lyngby-Taarbæk (memberships)."""
    load_fixture("ltk")
    return load_fixture("assens")


@pytest.fixture
def client_for(django_user_model):
    def make(role: str | None = None, **fields) -> Client:
        user = django_user_model.objects.create_user(f"user-{role or 'super'}", password="x-long-pass-42", **fields)
        if role:
            user.groups.add(Group.objects.get(name=role))
            user.municipalities.set(Municipality.objects.all())
        client = Client()
        client.force_login(user)
        return client

    return make


def form_fields(model_admin, obj) -> dict:
    """The fields of the object's admin form, as a browser would post them (with one text changed)."""
    data = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.name in {"lft", "rght", "tree_id", "level"}:
            continue
        value = getattr(obj, field.attname)
        data[field.name] = "" if value is None else value
    for field in ("name", "title", "label"):
        if field in data:
            data[field] = "Changed through the history form"
    return data


@pytest.mark.parametrize("label", HISTORY_ADMINS)
@pytest.mark.parametrize("role", [READER, None])
def test_the_history_form_answers_get_only_for_every_model(assens, client_for, label, role):
    """D1: POSTing simple_history's history form saved an old state for anyone with the view permission."""
    model = apps.get_model(label)
    obj = model.objects.first()
    assert obj is not None, f"the fixtures have no {label}"
    obj.save()  # a history record to open
    record = obj.history.latest()
    client = client_for(role, is_staff=True, is_superuser=role is None)
    before = snapshot()
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_simple_history", args=[obj.pk, record.pk])
    response = client.post(url, form_fields(admin.site._registry[model], obj))
    assert response.status_code == 405
    assert snapshot() == before
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", [CHIEF_EXECUTIVE, None])
def test_a_previous_version_cannot_be_reopened_or_changed(assens, client_for, role):
    """D2: a kommunaldirektør set a previous version back to draft in the admin, then edited it."""
    previous = OrgVersion.objects.get(municipality=assens, status="previous")
    client = client_for(role, is_staff=True, is_superuser=role is None)
    before = snapshot()
    url = reverse("admin:centers_orgversion_change", args=[previous.pk])
    data = {
        "municipality": assens.pk,
        "key": previous.key,
        "label": "Reopened",
        "status": "draft",
        "decided_by": "",
        "source": "",
        "note": "",
    }
    assert client.post(url, data).status_code == 403
    assert (
        client.post(reverse("admin:centers_orgversion_delete", args=[previous.pk]), {"post": "yes"}).status_code == 403
    )
    assert snapshot() == before


def test_the_status_of_a_version_is_not_edited_in_the_admin(assens, client_for):
    current = OrgVersion.objects.get(municipality=assens, status="current")
    client = client_for(CHIEF_EXECUTIVE, is_staff=True)
    url = reverse("admin:centers_orgversion_change", args=[current.pk])
    data = {
        "municipality": assens.pk,
        "key": current.key,
        "label": current.label,
        "label_en": current.label_en,
        "status": "previous",
        "effective_from": current.effective_from or "",
        "decided_on": current.decided_on or "",
        "decided_by": current.decided_by,
        "source": current.source,
        "note": current.note,
    }
    client.post(url, data)
    current.refresh_from_db()
    assert current.status == "current"


@pytest.mark.parametrize("label", VERSIONED_GOVERNANCE)
@pytest.mark.parametrize("role", [CHIEF_EXECUTIVE, None])
def test_governance_rows_of_a_previous_version_are_read_only(assens, client_for, label, role):
    """D3: committee services, forums and networks of a previous version were changed, added and deleted."""
    model = apps.get_model(label)
    previous = OrgVersion.objects.get(municipality=assens, status="previous")
    obj = model.objects.filter(version=previous).first() or model.objects.filter(version__municipality=assens).first()
    client = client_for(role, is_staff=True, is_superuser=role is None)
    opts = model._meta
    before = snapshot()
    if obj.version_id == previous.pk:
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert client.post(change, form_fields(admin.site._registry[model], obj)).status_code == 403
        delete = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
    data = {**form_fields(admin.site._registry[model], obj), "version": previous.pk, "key": "added-to-previous"}
    response = client.post(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"), data)
    assert response.status_code == 200  # the form again, with the version refused
    assert "version" in response.context["adminform"].form.errors
    assert snapshot() == before
