"""The site search as people use it (UX review scenario 1 step 2, scenario 3 step 4, improvement 7): municipality
names and people are found, hits are grouped by kind with a status chip, one hit per key across versions, and a
constant number of queries whatever the data."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centers import structure_format
from centers.synthetic import synthetic_structure

pytestmark = pytest.mark.django_db

GROUP_ORDER = ["municipality", "unit", "post", "person", "task", "committee"]


@pytest.fixture
def testby(valid_document):
    return structure_format.load(valid_document)


def search(client, query: str, **params):
    response = client.get(reverse("centers:search"), {"q": query, **params})
    assert response.status_code == 200
    return response


def group(response, kind: str):
    return next((group for group in response.context["results"].groups if group.kind.kind == kind), None)


def hit_html(content: str, href: str) -> str:
    """The <li> of the hit linking to `href`."""
    start = content.index(f'<a href="{href}">')
    return content[content.rindex("<li", 0, start) : content.index("</li>", start)]


def crowd_document(slug: str, size: int, kommunekode: int) -> structure_format.Document:
    """A municipality in which every kind of search hit contains "mængde", `size` of each: centres, posts held by
    people, tasks and committees with members, in a previous and a current version with the same keys."""
    people = [{"key": f"person-{number}", "name": f"Mængde Person {number}"} for number in range(size)]
    committees = [
        {"key": f"udvalg-{number}", "name": f"Mængdeudvalg {number}", "kind": "standing"} for number in range(size)
    ]
    memberships = [
        {"person": f"person-{number}", "committee": f"udvalg-{number}", "role": "medlem", "party": "A"}
        for number in range(size)
    ] + [{"person": "person-0", "committee": f"udvalg-{number}", "role": "formand"} for number in range(1, size)]

    def version(key: str, label: str, status: str, **dates) -> dict:
        units = [{"key": "direktion", "name": "Direktionen", "kind": "directorate"}]
        units += [
            {
                "key": f"center-{number}",
                "name": f"Mængdecenter {number}",
                "kind": "centre",
                "parent": "direktion",
                "tasks": [{"key": f"opgave-{number}", "name": f"Mængdeopgave {number}"}],
            }
            for number in range(size)
        ]
        posts = [
            {
                "key": f"chef-{number}",
                "title": f"Mængdechef {number}",
                "kind": "head",
                "unit": f"center-{number}",
                "holder": "person-0" if number % 2 == 0 else f"person-{number}",
            }
            for number in range(size)
        ]
        return {"key": key, "label": label, "status": status, "units": units, "posts": posts, **dates}

    data = {
        "format": structure_format.FORMAT,
        "municipality": {"slug": slug, "name": f"Mængdeby {size}", "kommunekode": kommunekode},
        "people": people,
        "committees": committees,
        "memberships": memberships,
        "versions": [
            version("2020", "Organisation 2020", "previous", effective_from="2020-01-01", effective_to="2023-12-31"),
            version("2024", "Organisation 2024", "current", effective_from="2024-01-01", based_on="2020"),
        ],
    }
    return structure_format.Document(data, f"tests:{slug}")


# --- what is found ---------------------------------------------------------------------------------------


def test_a_municipality_is_found_by_name_and_links_to_its_chart(client, load_fixture):
    """Scenario 1 step 2: "Lyngby" gave 0 results."""
    load_fixture("ltk")
    load_fixture("lejre")
    response = search(client, "Lyngby")
    [hit] = group(response, "municipality").hits
    assert (hit.title, hit.url) == ("Lyngby-Taarbæk Kommune", "/ltk/")
    content = response.content.decode()
    assert '<a href="/ltk/">Lyngby-Taarbæk Kommune</a>' in content
    # Every version of it is a chip linking to its chart.
    versions = {hit.version.url, *(other.url for other in hit.other_versions)}
    assert reverse("centers:chart", args=["ltk", "2011"]) in versions
    assert reverse("centers:chart", args=["ltk", "2012"]) in versions


def test_a_committee_member_is_found_by_name_and_has_a_page(client, load_fixture):
    """Scenario 3 step 4: "Osmani" gave 0 results and there was no person page."""
    load_fixture("ltk")
    response = search(client, "Osmani")
    people = group(response, "person")
    assert [(hit.title, hit.url) for hit in people.hits] == [("Sofia Osmani", "/ltk/personer/sofia-osmani/")]
    assert '<a href="/ltk/personer/sofia-osmani/">Sofia Osmani</a>' in response.content.decode()
    assert client.get(people.hits[0].url).status_code == 200


def test_a_post_holder_is_found_as_a_person_and_through_the_post(client, load_fixture):
    load_fixture("assens")
    response = search(client, "Qvick")
    assert [hit.title for hit in group(response, "person").hits] == ["Henning Qvick"]
    assert group(response, "person").hits[0].url == reverse("centers:person", args=["assens", "henning-qvick"])
    posts = group(response, "post").hits
    assert any(hit.title == "Kommunaldirektør" and "Henning Qvick" in hit.detail for hit in posts)
    assert all(hit.version is not None for hit in posts)


def test_hits_are_grouped_by_kind_with_heading_and_count(client, load_fixture):
    """Scenario 1 step 2: "Trafik" gave 7 mixed hits across municipalities."""
    load_fixture("ltk")
    load_fixture("lejre")
    response = search(client, "Trafik")
    groups = response.context["results"].groups
    kinds = [group.kind.kind for group in groups]
    assert kinds == sorted(kinds, key=GROUP_ORDER.index)
    assert {"unit", "task"} <= set(kinds)
    for found in groups:
        assert {hit.kind for hit in found.hits} == {found.kind.kind}
        assert found.total == len(found.hits)
    assert {hit.municipality for hit in group(response, "task").hits} >= {"Lyngby-Taarbæk Kommune"}
    content = response.content.decode()
    headings = re.findall(r'<h2 id="search-group-(\w+)">([^<]+) <span class="muted">\((\d+)\)</span></h2>', content)
    assert [kind for kind, _label, _count in headings] == kinds
    labels = {kind: (label, int(count)) for kind, label, count in headings}
    assert labels["unit"] == ("Enheder", group(response, "unit").total)
    assert labels["task"] == ("Opgaver", group(response, "task").total)
    assert f"{response.context['results'].total} resultater" in content


def test_a_unit_in_two_versions_is_one_hit_with_both_chips(client, testby):
    response = search(client, "Direktionen")
    [hit] = group(response, "unit").hits
    assert hit.url == reverse("centers:unit", args=["testby", "2014", "direktion"])
    assert (hit.version.status, hit.version.label) == ("current", "Organisation fra 1. maj 2014")
    assert [(other.status, other.url) for other in hit.other_versions] == [
        ("previous", reverse("centers:unit", args=["testby", "2011", "direktion"]))
    ]
    html = hit_html(response.content.decode(), hit.url)
    assert '<span class="status status-current">gældende</span>' in html
    assert '<span class="status status-previous">tidligere</span>' in html
    assert f'<a href="{reverse("centers:unit", args=["testby", "2011", "direktion"])}">Organisation 2011' in html


def test_a_key_found_in_one_municipality_brings_no_row_of_another(client):
    """Each hit's versions are looked up by municipality and key together: two municipalities with the same keys,
    each with its own match, give one hit each and no chips from the other."""
    for slug, kommunekode, index in (("nordby", 981, 5), ("sydby", 982, 6)):
        document = synthetic_structure(slug, 30, kommunekode=kommunekode)
        document.data["versions"][0]["units"][index]["name"] = f"Særskilt enhed i {slug}"
        structure_format.load(document)
    hits = group(search(client, "Særskilt enhed"), "unit").hits
    assert sorted((hit.title, hit.other_versions) for hit in hits) == [
        ("Særskilt enhed i nordby", ()),
        ("Særskilt enhed i sydby", ()),
    ]


def test_current_versions_come_first(client, testby):
    hits = group(search(client, "center"), "unit").hits
    assert [hit.title for hit in hits][0] == "Center for Trafik og Ejendomme"
    statuses = [hit.version.status for hit in hits]
    assert statuses == sorted(statuses, key=lambda status: status != "current")
    assert {"Center for Veje", "Center for Ejendomme"} <= {hit.title for hit in hits}


def test_a_renamed_unit_links_to_the_version_whose_name_matches(client, testby):
    """A key whose current name does not contain the query is shown in the version where it does."""
    from centers.models import Unit

    Unit.objects.filter(version__key="2014", key="direktion").update(name="Koncernledelsen")
    [hit] = group(search(client, "Direktionen"), "unit").hits
    assert hit.url == reverse("centers:unit", args=["testby", "2011", "direktion"])
    assert [(other.status, other.title) for other in hit.other_versions] == [("current", "Koncernledelsen")]


def test_search_within_one_municipality(client, testby, load_fixture):
    load_fixture("ltk")
    response = search(client, "Direktion", kommune="testby")
    assert {hit.municipality for hit in response.context["hits"]} == {"Testby Kommune"}
    assert search(client, "Lyngby", kommune="testby").context["results"].groups == []
    assert [hit.title for hit in group(search(client, "Lyngby", kommune="ltk"), "municipality").hits] == [
        "Lyngby-Taarbæk Kommune"
    ]


def test_an_empty_or_one_letter_query_shows_a_hint_not_every_row(client, testby):
    for params in ({}, {"q": ""}, {"q": " c "}):
        response = client.get(reverse("centers:search"), params)
        assert response.context["results"].groups == []
        content = response.content.decode()
        assert "data-search-hint" in content and "Skriv mindst to tegn" in content
        assert "search-results" not in content


def test_each_group_is_cut_at_fifty_and_says_so(client, testby):
    structure_format.load(synthetic_structure("stor", 120))
    response = search(client, "enhed")
    units = group(response, "unit")
    assert len(units.hits) == 50 and units.total == 120 and units.truncated
    content = response.content.decode()
    assert 'Enheder <span class="muted">(120)</span>' in content
    assert "Viser de første 50." in content


def test_english_pages_use_english_names_and_labels(client, testby):
    response = client.get(reverse("centers:search"), {"q": "Direktionen"}, HTTP_ACCEPT_LANGUAGE="en")
    [hit] = group(response, "unit").hits
    assert hit.title == "Executive Board"


# --- bounded queries -------------------------------------------------------------------------------------------


def count_search_queries(client, query: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = search(client, query)
    return len(queries), response


def test_search_costs_the_same_number_of_queries_for_a_small_and_a_larger_data_set(client):
    structure_format.load(crowd_document("lille", 2, 901))
    small, response = count_search_queries(client, "mængde")
    assert [group.kind.kind for group in response.context["results"].groups] == GROUP_ORDER
    for slug, size, code in (("stor", 80, 902), ("storre", 60, 903)):
        structure_format.load(crowd_document(slug, size, code))
    structure_format.load(synthetic_structure("syntetisk", 300))
    large, response = count_search_queries(client, "mængde")
    groups = response.context["results"].groups
    assert [group.kind.kind for group in groups] == GROUP_ORDER
    assert all(len(group.hits) == 50 and group.truncated for group in groups if group.kind.kind != "municipality")
    assert large == small
    assert small <= 20
