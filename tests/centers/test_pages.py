"""The home page and the admin of every model."""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from centers import structure_format
from centers.models import Municipality, OrgVersion

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


class Links(HTMLParser):
    """The hrefs of a page's <a> elements, in order."""

    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href"):
            self.hrefs.append(dict(attrs)["href"])


def links(response) -> list[str]:
    parser = Links()
    parser.feed(response.content.decode())
    return parser.hrefs


def test_home_links_every_municipality_and_every_version(client, load_fixture, django_assert_max_num_queries):
    """Security review D14: the home page linked nowhere."""
    for slug in ("lejre", "assens", "albertslund"):
        load_fixture(slug)
    with django_assert_max_num_queries(3):
        response = client.get(reverse("home"))
    hrefs = set(links(response))
    for municipality in Municipality.objects.all():
        assert municipality.get_absolute_url() in hrefs, municipality.slug
    versions = OrgVersion.objects.select_related("municipality")
    assert versions.count() == 7
    for version in versions:
        assert version.get_absolute_url() in hrefs, version


def test_a_unit_page_is_reached_from_the_home_page_by_links_alone(client, load_fixture):
    """Home → (municipality link, redirected to its current version's chart) → the chart page's search box, whose
    result links units → a unit page. The chart page draws its units with JavaScript, so the unit links to follow
    come from the search page that the chart page's own form opens."""
    load_fixture("assens")
    home = links(client.get(reverse("home")))
    assens = next(href for href in home if href == "/assens/")
    chart = client.get(assens, follow=True)
    assert chart.status_code == 200 and chart.redirect_chain[-1][0] == "/assens/2014/"
    assert "/assens/2014/" in home  # the version's own link goes straight there
    content = chart.content.decode()
    search = re.search(r'<form class="site-search" action="([^"]+)"', content).group(1)
    assert re.search(r'<input type="hidden" name="kommune" value="assens">', content)
    hits = client.get(search, {"q": "velfærd", "kommune": "assens"})
    unit_links = [href for href in links(hits) if re.fullmatch(r"/assens/2014/enheder/[a-z0-9-]+/", href)]
    assert unit_links
    unit = client.get(unit_links[0])
    assert unit.status_code == 200 and unit.context["unit"].version.key == "2014"
    # and from there, on by links: the chart of the unit's version and the sub-units
    unit_hrefs = links(unit)
    assert "/assens/2014/" in unit_hrefs
    assert client.get(next(href for href in unit_hrefs if "/enheder/" in href)).status_code == 200


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
