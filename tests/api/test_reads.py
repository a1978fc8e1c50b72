"""The API's reads on the shipped fixtures: content in the structure format's names, filters, pagination,
languages, refusals with the words that say why, and the same data as the chart, the files and the site search."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from centers import comparison, search, selectors, structure_format
from centers.models import Municipality, OrgVersion, Unit

pytestmark = pytest.mark.django_db

FIXTURES = ("ltk", "lejre", "assens", "albertslund")


@pytest.fixture
def loaded(load_fixture):
    for slug in FIXTURES:
        load_fixture(slug)


@pytest.fixture
def lejre(load_fixture):
    load_fixture("lejre")


@pytest.fixture
def ltk(load_fixture):
    load_fixture("ltk")


@pytest.fixture
def assens(load_fixture):
    load_fixture("assens")


@pytest.fixture
def client():
    return APIClient()


def get(client, path, **headers):
    response = client.get(f"/api/{path}", **headers)
    assert response.status_code == 200, response.content
    return response.json()


def every_page(client, path):
    rows, url = [], f"/api/{path}"
    while url:
        page = client.get(url).json()
        rows += page["results"]
        url = page["next"]
    return rows


def test_the_root_lists_the_municipalities(client, loaded):
    root = get(client, "")
    assert root["municipalities"].endswith("/api/municipalities/")
    listed = get(client, "municipalities/")
    assert [row["slug"] for row in listed["results"]] == ["albertslund", "assens", "lejre", "ltk"]
    assert listed["count"] == 4


def test_a_municipality_links_its_versions_and_says_which_is_shown_first(client, lejre):
    lejre = get(client, "municipalities/lejre/")
    assert lejre["name"] == "Lejre Kommune" and lejre["kommunekode"] == 350
    assert lejre["default_version"] == selectors.default_version(Municipality.objects.get(slug="lejre")).key
    versions = get(client, lejre["versions_url"].split("/api/")[1])
    assert [row["key"] for row in versions["results"]] == ["2011", "2014"]
    assert versions["results"][1]["status"] == "proposed" and versions["results"][1]["based_on"] == "2011"


def test_municipalities_are_found_by_name_as_in_the_site_search(client, ltk, lejre):
    found = get(client, "municipalities/?q=lyngby")["results"]
    assert [row["slug"] for row in found] == ["ltk"]
    site = search.search("lyngby").groups[0]
    assert [hit.title for hit in site.hits] == [row["name"] for row in found]


@pytest.mark.parametrize(
    ("slug", "on", "expected"),
    [("lejre", "2014-06-01", ["2011"]), ("lejre", "2010-01-01", []), ("assens", "2012-06-01", ["2013"])],
)
def test_dato_gives_the_version_in_force_by_the_sites_rule(client, load_fixture, slug, on, expected):
    load_fixture(slug)
    found = get(client, f"municipalities/{slug}/versions/?dato={on}")["results"]
    assert [row["key"] for row in found] == expected
    in_force = selectors.version_on(Municipality.objects.get(slug=slug), structure_format.parse_date(on)).version
    assert expected == ([in_force.key] if in_force else [])


def test_an_unreadable_date_is_a_field_error(client, lejre):
    response = client.get("/api/municipalities/lejre/versions/?dato=1.juni")
    assert response.status_code == 400
    assert list(response.json()) == ["dato"]


def test_units_read_like_the_structure_file(client, loaded):
    """Every unit of every version, in tree order, with the export's values under the export's names."""
    for version in OrgVersion.objects.select_related("municipality"):
        slug = version.municipality.slug
        exported = structure_format.export(version.municipality)
        spec = next(item for item in exported["versions"] if item["key"] == version.key)
        units = every_page(client, f"municipalities/{slug}/versions/{version.key}/units/")
        assert [unit["key"] for unit in units] == [unit["key"] for unit in spec["units"]]
        for api_unit, file_unit in zip(units, spec["units"], strict=True):
            for field in ("name", "kind", "parent", "head", "responsible", "formed_from"):
                assert api_unit[field] == file_unit[field], (slug, version.key, api_unit["key"], field)
            assert api_unit["name_en"] == (file_unit["name_en"] or "")
            assert api_unit["url"].endswith(f"/{slug}/{version.key}/enheder/{api_unit['key']}/")


def test_posts_and_tasks_read_like_the_structure_file(client, lejre):
    exported = structure_format.export(Municipality.objects.get(slug="lejre"))
    spec = next(item for item in exported["versions"] if item["key"] == "2014")
    posts = every_page(client, "municipalities/lejre/versions/2014/posts/")
    assert {post["key"]: (post["unit"], post["reports_to"], post["holder"]) for post in posts} == {
        post["key"]: (post["unit"], post["reports_to"], post["holder"]) for post in spec["posts"]
    }
    chief = next(post for post in posts if post["key"] == "kommunaldirektoer")
    file_chief = next(post for post in spec["posts"] if post["key"] == "kommunaldirektoer")
    assert [duty["key"] for duty in chief["duties"]] == [duty["key"] for duty in file_chief["duties"]]
    tasks = every_page(client, "municipalities/lejre/versions/2014/tasks/")
    assert sorted((task["unit"], task["key"]) for task in tasks) == sorted(
        (unit["key"], task["key"]) for unit in spec["units"] for task in unit["tasks"]
    )


def test_filters_kind_parent_root_and_text(client, ltk):
    base = "municipalities/ltk/versions/2012/units/"
    centres = every_page(client, f"{base}?kind=centre")
    assert centres and {unit["kind"] for unit in centres} == {"centre"}
    both = every_page(client, f"{base}?kind=centre&kind=staff")
    assert {unit["kind"] for unit in both} == {"centre", "staff"}
    roots = every_page(client, f"{base}?root=true")
    assert [unit["parent"] for unit in roots] == [None] * len(roots) and roots
    top = roots[0]["key"]
    children = every_page(client, f"{base}?parent={top}")
    expected = Unit.objects.filter(version__municipality__slug="ltk", version__key="2012", parent__key=top)
    assert sorted(unit["key"] for unit in children) == sorted(expected.values_list("key", flat=True))
    found = every_page(client, f"{base}?q=skole")
    assert found and all("skole" in (unit["name"] + unit["name_en"] + unit["key"]).lower() for unit in found)
    unknown_kind = client.get(f"/api/{base}?kind=borg")
    assert unknown_kind.status_code == 400 and list(unknown_kind.json()) == ["kind"]
    not_a_boolean = client.get(f"/api/{base}?root=ja")
    assert not_a_boolean.status_code == 400 and list(not_a_boolean.json()) == ["root"]
    page_size = client.get(f"/api/{base}?page_size=0")
    assert page_size.status_code == 400 and list(page_size.json()) == ["page_size"]
    unknown_address = client.get("/api/kommuner/")
    assert unknown_address.status_code == 404 and unknown_address["Content-Type"] == "application/json"


def test_text_filter_finds_what_the_site_search_finds(client, ltk):
    """One rule for `?q=`: the units the site search finds in a version are the units the API lists."""
    version = OrgVersion.objects.get(municipality__slug="ltk", key="2012")
    hits = {
        hit.url.rstrip("/").rsplit("/", 1)[1]
        for hit in search.search("center", version.municipality, limit=1000).hits
        if hit.kind == "unit" and f"/{version.key}/" in hit.url
    }
    listed = {unit["key"] for unit in every_page(client, "municipalities/ltk/versions/2012/units/?q=center")}
    assert hits <= listed and listed


def test_pagination_counts_and_links_pages(client, lejre):
    first = get(client, "municipalities/lejre/versions/2014/tasks/?page_size=10")
    assert first["count"] > 10 and len(first["results"]) == 10 and first["previous"] is None
    second = client.get(first["next"]).json()
    assert second["previous"] and {task["key"] for task in second["results"]}.isdisjoint(
        {task["key"] for task in first["results"]}
    )
    assert client.get("/api/municipalities/lejre/versions/2014/tasks/?page=99").status_code == 404


def test_the_tree_is_the_charts_data(client, loaded):
    for version in OrgVersion.objects.select_related("municipality"):
        slug = version.municipality.slug
        chart = client.get(reverse("centers:tree", args=[slug, version.key])).json()
        assert get(client, f"municipalities/{slug}/versions/{version.key}/tree/") == chart["units"]


def test_a_subtree_starts_at_the_unit_and_holds_its_descendants(client, ltk):
    unit = Unit.objects.filter(version__municipality__slug="ltk", version__key="2012", level=1).first()
    rows = get(client, f"municipalities/ltk/versions/2012/units/{unit.key}/subtree/")
    assert rows[0]["id"] == unit.key
    assert {row["id"] for row in rows} == {unit.key, *unit.get_descendants().values_list("key", flat=True)}


def test_the_reporting_line_runs_to_the_political_level_in_the_asked_language(client, lejre):
    unit = Unit.objects.get(version__municipality__slug="lejre", version__key="2014", key="center-trafik-ejendomsdrift")
    steps = get(client, f"municipalities/lejre/versions/2014/units/{unit.key}/reporting-line/")
    assert [step["label"] for step in steps] == [step.label for step in selectors.reporting_line(unit)]
    assert steps[0] == {
        "kind": "unit",
        "key": unit.key,
        "label": "Center for Trafik & Ejendomsdrift",
        "detail": "fagcenter",
        "url": "http://testserver/lejre/2014/enheder/center-trafik-ejendomsdrift/",
    }
    assert [step["kind"] for step in steps[-2:]] == ["committee", "committee"]
    path = f"municipalities/lejre/versions/2014/units/{unit.key}/reporting-line/"
    english = get(client, path, HTTP_ACCEPT_LANGUAGE="en")
    assert english[0]["label"] == "Centre for Traffic and Property Operations"
    assert english[0]["detail"] != "fagcenter"
    post = get(client, "municipalities/lejre/versions/2014/posts/centerchef-trafik-ejendomsdrift/reporting-line/")
    assert post[0]["key"] == "centerchef-trafik-ejendomsdrift" and post[-1]["kind"] == "committee"


def test_kind_labels_follow_the_request_language(client, lejre):
    path = "municipalities/lejre/versions/2014/units/center-trafik-ejendomsdrift/"
    assert get(client, path)["kind_label"] == "fagcenter"
    assert get(client, path, HTTP_ACCEPT_LANGUAGE="en")["kind_label"] == "specialist centre"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("municipalities/nej/", "Ingen kommune med nøglen «nej»."),
        ("municipalities/lejre/versions/2099/units/", "Lejre Kommune har ingen version «2099»."),
        ("municipalities/lejre/versions/2014/units/nej/", "Ingen enhed med nøglen «nej»."),
        ("municipalities/lejre/versions/2014/posts/nej/reporting-line/", "Ingen stilling med nøglen «nej»."),
        ("municipalities/lejre/versions/2014/units/nej/committees/", "Ingen enhed med nøglen «nej»."),
    ],
)
def test_a_missing_element_is_a_404_that_says_what_was_looked_for(client, lejre, path, message):
    response = client.get(f"/api/{path}")
    assert response.status_code == 404
    assert response.json() == {"detail": message}


def test_who_serves_a_committee_and_what_a_unit_serves(client, assens):
    served = every_page(client, "municipalities/assens/versions/2014/committee-services/?committee=byraadet")
    assert served and {service["committee"] for service in served} == {"byraadet"}
    unit = served[0]["unit"]
    by_unit = every_page(client, f"municipalities/assens/versions/2014/units/{unit}/committees/")
    assert {service["committee"] for service in by_unit} >= {"byraadet"}
    filtered = every_page(client, f"municipalities/assens/versions/2014/committee-services/?unit={unit}")
    assert sorted(map(str, filtered)) == sorted(map(str, by_unit))


def test_committees_and_memberships(client, ltk):
    committees = every_page(client, "municipalities/ltk/committees/")
    finance = next(row for row in committees if row["key"] == "oekonomiudvalget")
    assert finance["kind"] == "finance" and finance["url"].endswith("/ltk/2011/udvalg/oekonomiudvalget/")
    members = every_page(client, "municipalities/ltk/memberships/?committee=oekonomiudvalget&party=C")
    assert sorted(row["person"] for row in members) == ["rolf-aagaard-svendsen", "sofia-osmani"]


def test_the_budget_chain_of_a_unit(client, assens):
    exported = structure_format.export(Municipality.objects.get(slug="assens"))
    spec = next(item for item in exported["versions"] if item["key"] == "2014")
    scope = spec["budget_responsibilities"][0]["scope"]
    scoped = Unit.objects.get(version__municipality__slug="assens", version__key="2014", key=scope)
    for unit in scoped.get_descendants(include_self=True):
        chain = get(client, f"municipalities/assens/versions/2014/units/{unit.key}/budget-chain/")
        assert scope in [level["scope"] for level in chain]
    outside = Unit.objects.get(version__municipality__slug="assens", version__key="2014", level=0)
    chain = get(client, f"municipalities/assens/versions/2014/units/{outside.key}/budget-chain/")
    assert scope not in [level["scope"] for level in chain]


def test_forums_and_networks_by_key(client, lejre, ltk):
    forum = get(client, "municipalities/lejre/versions/2014/forums/koncerndirektion/")
    assert forum["chair"] == "kommunaldirektoer" and "direktoer-oekonomi-effektivisering" in forum["member_posts"]
    network = get(client, "municipalities/ltk/versions/2012/networks/vidensteam-ungdomsuddannelser/")
    assert "skoler" in network["member_units"]


def test_the_comparison_is_the_pages_data(client, lejre):
    lejre = Municipality.objects.get(slug="lejre")
    expected = comparison.compare_versions(lejre, "2011", "2014").as_dict()
    assert get(client, "municipalities/lejre/comparison/?fra=2011&til=2014") == expected
    assert get(client, "municipalities/lejre/comparison/?fra-dato=2013-01-01&til=2014") == expected
    assert get(client, "municipalities/lejre/comparison/") == expected  # the newest proposal and its base
    assert get(client, "municipalities/lejre/comparison/?fra=2011&til=2011")["changes"] == []
    unknown = client.get("/api/municipalities/lejre/comparison/?fra=2011&til=nej")
    assert unknown.status_code == 404
    assert unknown.json() == {"detail": "Ukendt version «nej» (versionerne: 2011, 2014)."}
    uncovered = client.get("/api/municipalities/lejre/comparison/?fra-dato=2000-01-01&til=2014")
    assert uncovered.status_code == 404 and uncovered.json() == {"detail": "Ingen version var i kraft den 2000-01-01."}
    empty_date = client.get("/api/municipalities/lejre/comparison/?fra-dato=&til=2014")
    assert empty_date.status_code == 400 and list(empty_date.json()) == ["fra-dato"]
