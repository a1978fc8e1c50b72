"""The home page and the admin of every model."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from centers import structure_format

pytestmark = pytest.mark.django_db


def test_home_lists_municipalities_and_versions_in_danish(client, valid_document, django_assert_max_num_queries):
    structure_format.load(valid_document)
    with django_assert_max_num_queries(3):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="da">' in content
    assert "Testby Kommune" in content
    assert "Organisation fra 1. maj 2014" in content and "gældende" in content and "tidligere" in content
    assert "1. maj 2014" in content and "27. marts 2014 (Kommunalbestyrelsen)" in content


def test_home_query_count_does_not_grow_with_municipalities(client, load_fixture, django_assert_max_num_queries):
    for slug in ("lejre", "assens", "albertslund"):
        load_fixture(slug)
    with django_assert_max_num_queries(3):
        response = client.get(reverse("home"))
    assert [m.slug for m in response.context["municipalities"]] == ["albertslund", "assens", "lejre"]


def test_home_in_english(client, valid_document):
    structure_format.load(valid_document)
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.parametrize(
    "model",
    [
        model
        for app in ("centers", "governance")
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    ],
    ids=lambda model: model._meta.label,
)
def test_admin_lists_and_opens_every_model(admin_client, valid_document, model):
    structure_format.load(valid_document)
    assert model in admin.site._registry
    opts = model._meta
    response = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), follow=True)
    assert response.status_code == 200
    instance = model.objects.first()
    assert instance is not None
    response = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[instance.pk]))
    assert response.status_code == 200
