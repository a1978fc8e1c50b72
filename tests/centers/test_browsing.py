"""Browsing pages of the organisation: content, 404s, and query counts that do not grow with the tree."""

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centers import selectors, structure_format
from centers.models import Municipality, OrgVersion, Post, Unit
from centers.synthetic import synthetic_structure

pytestmark = pytest.mark.django_db

PAGE_QUERY_CEILING = 25


@pytest.fixture
def testby(valid_document):
    return structure_format.load(valid_document)


def count_queries(client, url) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response


def deepest_centre(version: OrgVersion) -> Unit:
    """The last centre that has sub-units (a leaf saves MPTT's children query)."""
    return Unit.objects.filter(version=version, kind="centre", rght__gt=F("lft") + 1).order_by("-level", "-lft").first()


def test_municipality_opens_its_current_version(client, testby):
    response = client.get(reverse("centers:municipality", args=["testby"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("centers:chart", args=["testby", "2014"])


def test_without_a_current_version_the_newest_previous_version_opens(client, testby):
    OrgVersion.objects.filter(key="2014").update(status=OrgVersion.Status.PROPOSED)
    assert selectors.default_version(testby).key == "2011"
    OrgVersion.objects.filter(key="2011").update(status=OrgVersion.Status.DRAFT)
    assert selectors.default_version(testby).key == "2014"


def test_unknown_municipality_version_or_unit_is_404(client, testby):
    assert client.get(reverse("centers:municipality", args=["nowhere"])).status_code == 404
    assert client.get(reverse("centers:chart", args=["testby", "1999"])).status_code == 404
    assert client.get(reverse("centers:unit", args=["testby", "2014", "center-veje"])).status_code == 404
    assert client.get(reverse("centers:post", args=["testby", "2011", "direktoer-teknik"])).status_code == 404


def test_tree_json_has_every_unit_with_head_and_counts(client, testby):
    count, response = count_queries(client, reverse("centers:tree", args=["testby", "2014"]))
    assert count <= 3
    units = {row["id"]: row for row in response.json()["units"]}
    assert set(units) == {"direktion", "center-trafik-ejendomme", "skolen"}
    assert units["direktion"]["parentId"] is None
    assert units["direktion"]["headTitle"] == "Kommunaldirektør" and units["direktion"]["holder"] == "Anne Andersen"
    assert units["direktion"]["childCount"] == 1 and units["direktion"]["descendantCount"] == 2
    assert units["skolen"]["parentId"] == "center-trafik-ejendomme" and units["skolen"]["kind"] == "institution"
    assert units["center-trafik-ejendomme"]["nameEn"] == "Centre for Traffic and Property"


@pytest.mark.parametrize("accept", ["text/html", "text/html,application/xhtml+xml,*/*;q=0.8", "application/json", ""])
def test_tree_json_is_json_whatever_the_accept_header(client, testby, accept):
    """Code review B9: with Accept: text/html, DRF answered its browsable-API HTML page."""
    url = reverse("centers:tree", args=["testby", "2014"])
    response = client.get(url, HTTP_ACCEPT=accept) if accept else client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert b"<html" not in response.content.lower()
    assert response.json()["version"] == "2014" and len(response.json()["units"]) == 3
    assert client.get(url, {"format": "api"}, HTTP_ACCEPT="text/html")["Content-Type"] == "application/json"


def test_tree_json_keeps_danish_letters_unescaped(client, testby):
    response = client.get(reverse("centers:tree", args=["testby", "2014"]))
    assert '"headTitle":"Kommunaldirektør"'.encode() in response.content


def test_tree_json_query_count_is_constant(client, testby):
    small, _ = count_queries(client, reverse("centers:tree", args=["testby", "2014"]))
    structure_format.load(synthetic_structure("stor", 400))
    large, response = count_queries(client, reverse("centers:tree", args=["stor", "syntetisk"]))
    assert len(response.json()["units"]) == 400
    assert large == small


def test_unit_page_shows_the_unit_in_danish(client, testby):
    url = reverse("centers:unit", args=["testby", "2014", "center-trafik-ejendomme"])
    content = client.get(url).content.decode()
    assert "<h1>Center for Trafik og Ejendomme</h1>" in content
    assert "Centre for Traffic and Property" in content
    assert "Centerchef</a>:" in content and "ubesat" in content  # the head post is vacant
    assert "Direktør</a>:" in content  # responsible director
    assert reverse("centers:unit", args=["testby", "2014", "direktion"]) in content  # parent
    assert "Skolen" in content and "Vejdrift" in content  # institution and task
    assert "Dannet af:" in content and reverse("centers:unit", args=["testby", "2011", "center-veje"]) in content
    assert "T1 afsnit 3.4" in content


def test_unit_without_head_shows_the_inherited_head(client, testby):
    content = client.get(reverse("centers:unit", args=["testby", "2014", "skolen"])).content.decode()
    head = content[content.index("data-head") : content.index("</dd>", content.index("data-head"))]
    assert "Centerchef" in head and "arvet fra overordnet enhed" in head


def test_old_unit_shows_what_it_became(client, testby):
    content = client.get(reverse("centers:unit", args=["testby", "2011", "center-veje"])).content.decode()
    assert "Indgår i:" in content
    assert reverse("centers:unit", args=["testby", "2014", "center-trafik-ejendomme"]) in content


def test_unit_page_query_count_does_not_grow_with_the_tree(client, testby, load_fixture):
    small, _ = count_queries(client, reverse("centers:unit", args=["testby", "2014", "center-trafik-ejendomme"]))
    structure_format.load(synthetic_structure("stor", 400))
    stor = OrgVersion.objects.get(municipality__slug="stor")
    large, _ = count_queries(client, reverse("centers:unit", args=["stor", "syntetisk", deepest_centre(stor).key]))
    ltk = load_fixture("ltk").versions.get(key="2012")
    fixture, _ = count_queries(client, reverse("centers:unit", args=["ltk", "2012", deepest_centre(ltk).key]))
    assert small <= PAGE_QUERY_CEILING
    assert large == small and fixture == small


def test_post_page_and_its_query_count(client, testby):
    small, response = count_queries(client, reverse("centers:post", args=["testby", "2014", "direktoer-teknik"]))
    content = response.content.decode()
    assert "<h1>Direktør</h1>" in content and "Centerchef" in content  # direct report
    reports_to = 'Kommunaldirektør</a>: <a href="/testby/personer/anne/">Anne Andersen</a>'
    assert reports_to in " ".join(content.split())  # reports to; the holder links to their page
    structure_format.load(synthetic_structure("stor", 400))
    post = Post.objects.filter(version__municipality__slug="stor", kind="head").order_by("-pk").first()
    large, _ = count_queries(client, reverse("centers:post", args=["stor", "syntetisk", post.key]))
    assert small <= PAGE_QUERY_CEILING and large == small


def test_reporting_line_of_a_unit_goes_through_head_and_director_to_the_chief_executive(testby):
    unit = Unit.objects.get(version__key="2014", key="skolen")
    steps = [(step.kind, step.label) for step in selectors.reporting_line(unit)]
    assert steps[:6] == [
        ("unit", "Skolen"),
        ("unit", "Center for Trafik og Ejendomme"),
        ("post", "Centerchef"),
        ("post", "Direktør"),
        ("unit", "Direktionen"),
        ("post", "Kommunaldirektør"),
    ]


def test_reporting_line_of_a_post_follows_reports_to(testby):
    post = Post.objects.get(version__key="2014", key="centerchef-trafik")
    steps = [(step.kind, step.label, step.detail) for step in selectors.reporting_line(post)]
    assert steps[:3] == [
        ("post", "Centerchef", ""),
        ("post", "Direktør", ""),
        ("post", "Kommunaldirektør", "Anne Andersen"),
    ]


def test_reporting_line_page(client, testby):
    url = reverse("centers:unit-reporting-line", args=["testby", "2014", "center-trafik-ejendomme"])
    content = client.get(url).content.decode()
    assert "data-reporting-line" in content and "Kommunaldirektør" in content and "Anne Andersen" in content


def test_search_across_municipalities_and_within_one(client, testby, load_fixture):
    load_fixture("lejre")
    response = client.get(reverse("centers:search"), {"q": "center"})
    municipalities = {hit.municipality for hit in response.context["hits"]}
    assert {"Testby Kommune", "Lejre Kommune"} <= municipalities
    response = client.get(reverse("centers:search"), {"q": "trafik", "kommune": "testby"})
    hits = response.context["hits"]
    assert {hit.municipality for hit in hits} == {"Testby Kommune"}
    assert reverse("centers:unit", args=["testby", "2014", "center-trafik-ejendomme"]) in {hit.url for hit in hits}
    assert not [hit for hit in hits if "/lejre/" in hit.url]


def test_search_finds_posts_by_holder_and_tasks(client, testby):
    hits = client.get(reverse("centers:search"), {"q": "Anne"}).context["hits"]
    assert [(hit.kind, hit.url) for hit in hits if hit.kind == "post"] == [
        ("post", reverse("centers:post", args=["testby", "2014", "kommunaldirektoer"]))
    ]
    hits = client.get(reverse("centers:search"), {"q": "vejdrift"}).context["hits"]
    # The task key is in both versions: one hit in the current version, the moved-from unit as its other version.
    [task] = [hit for hit in hits if hit.kind == "task"]
    assert task.url == reverse("centers:unit", args=["testby", "2014", "center-trafik-ejendomme"])
    assert [other.url for other in task.other_versions] == [
        reverse("centers:unit", args=["testby", "2011", "center-veje"])
    ]


def test_search_query_count_is_bounded(client, testby, django_assert_max_num_queries):
    structure_format.load(synthetic_structure("stor", 400))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("centers:search"), {"q": "enhed"})
    assert len([hit for hit in response.context["hits"] if hit.kind == "unit"]) == 50


def test_unit_page_in_english_uses_english_names(client, testby):
    url = reverse("centers:unit", args=["testby", "2014", "center-trafik-ejendomme"])
    content = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Centre for Traffic and Property</h1>" in content


def test_municipality_model_url(testby):
    assert Municipality.objects.get(slug="testby").get_absolute_url() == "/testby/"


def test_a_date_opens_the_version_in_force_then_and_keeps_the_chart_state(client, testby):
    url = reverse("centers:municipality", args=["testby"])
    response = client.get(url, {"dato": "2012-06-01", "enhed": "center-veje"})
    assert (
        response["Location"] == reverse("centers:chart", args=["testby", "2011"]) + "?dato=2012-06-01&enhed=center-veje"
    )
    response = client.get(url, {"dato": "2015-01-01"})
    assert response["Location"] == reverse("centers:chart", args=["testby", "2014"]) + "?dato=2015-01-01"
    assert client.get(url, {"dato": "2001-01-01"}).status_code == 404
    assert client.get(url, {"dato": "1. maj"}).status_code == 400
