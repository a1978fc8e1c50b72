"""Honest dates and versions (?dato=, banners, friendly 404/400 pages) and what the chart page hands the chart
(the kinds that occur, the details panel, the search text, units marked for a committee)."""

import datetime

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centers import selectors, structure_format
from centers.models import OrgVersion, Unit
from centers.synthetic import synthetic_structure

pytestmark = pytest.mark.django_db


@pytest.fixture
def testby(valid_document):
    """2011 previous (1 Jan 2011 – 30 Apr 2014), 2014 current from 1 May 2014."""
    return structure_format.load(valid_document)


def municipality_url(**query):
    return reverse("centers:municipality", args=["testby"]), query


def get(client, url, **query):
    return client.get(url, query)


# --- ?dato= ---------------------------------------------------------------------------------------------


def test_a_date_opens_the_version_in_force_and_the_page_says_why(client, testby):
    url = reverse("centers:municipality", args=["testby"])
    response = client.get(url, {"dato": "2012-06-01", "enhed": "center-veje"})
    assert response.status_code == 302
    assert (
        response["Location"] == reverse("centers:chart", args=["testby", "2011"]) + "?dato=2012-06-01&enhed=center-veje"
    )
    page = client.get(response["Location"]).content.decode()
    assert "Du har bedt om organisationen pr. 1. juni 2012" in page
    assert "gældende fra 1. januar 2011 til 30. april 2014" in page


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("centers:chart", []),
        ("governance:committees", []),
        ("governance:committee", ["oeu"]),
        ("governance:budget", []),
        ("centers:unit", ["direktion"]),
        ("centers:post", ["kommunaldirektoer"]),
        ("centers:unit-reporting-line", ["direktion"]),
    ],
)
def test_every_page_of_a_version_shows_the_version_in_force_on_the_date_asked_for(client, testby, name, args):
    response = client.get(reverse(name, args=["testby", "2014", *args]), {"dato": "2012-06-01", "q": "x"})
    assert response.status_code == 302
    assert response["Location"] == reverse(name, args=["testby", "2011", *args]) + "?dato=2012-06-01&q=x"
    page = client.get(response["Location"]).content.decode()
    assert "Du har bedt om organisationen pr. 1. juni 2012. Den vises her" in page


def test_an_element_missing_from_the_version_in_force_stays_and_says_which_version_applied(client, testby):
    page = client.get(
        reverse("centers:unit", args=["testby", "2014", "center-trafik-ejendomme"]), {"dato": "2012-06-01"}
    ).content.decode()
    label = OrgVersion.objects.get(key="2011").label
    assert f"Den dato gjaldt «{label}»" in page
    assert reverse("centers:chart", args=["testby", "2011"]) + "?dato=2012-06-01" in page


def test_a_proposal_meant_to_apply_by_the_date_is_named_as_not_adopted(client, testby):
    OrgVersion.objects.filter(key="2014").update(status=OrgVersion.Status.PROPOSED)
    OrgVersion.objects.filter(key="2011").update(status=OrgVersion.Status.CURRENT, effective_to=None)
    response = client.get(reverse("centers:municipality", args=["testby"]), {"dato": "2014-06-01"})
    assert response["Location"].startswith(reverse("centers:chart", args=["testby", "2011"]))
    page = client.get(response["Location"]).content.decode()
    assert "skulle gælde fra 1. maj 2014, men er et forslag og ikke vedtaget" in page


def test_a_date_no_version_covers_gets_a_danish_404_with_the_versions_and_their_periods(client, testby):
    response = client.get(reverse("centers:municipality", args=["testby"]), {"dato": "2001-01-01"})
    assert response.status_code == 404
    page = response.content.decode()
    assert "Ingen organisation pr. 1. januar 2001" in page
    assert 'class="site-header"' in page  # the site's own layout, not Django's debug page
    assert "gældende fra 1. januar 2011 til 30. april 2014" in page
    assert "gældende fra 1. maj 2014" in page
    assert reverse("centers:chart", args=["testby", "2011"]) in page


@pytest.mark.parametrize("asked", ["banana", "1. maj", "2014-13-01", "2014-02-30"])
def test_a_malformed_date_gets_a_400_with_the_layout_and_an_example(client, testby, asked):
    for url in (reverse("centers:municipality", args=["testby"]), reverse("centers:chart", args=["testby", "2014"])):
        response = client.get(url, {"dato": asked})
        assert response.status_code == 400, url
        page = response.content.decode()
        assert "Datoen kan ikke læses" in page
        assert "2014-06-01 eller 1.6.2014" in page
        assert 'class="site-header"' in page


def test_a_date_written_the_danish_way_is_understood(client, testby):
    response = client.get(reverse("centers:municipality", args=["testby"]), {"dato": "1.6.2012"})
    assert response["Location"].startswith(reverse("centers:chart", args=["testby", "2011"]))


def test_a_version_with_only_an_end_date_is_open_towards_the_past(testby):
    OrgVersion.objects.filter(key="2011").update(effective_from=None)
    assert selectors.version_in_force(testby, datetime.date(1990, 1, 1)).key == "2011"
    assert selectors.version_in_force(testby, datetime.date(2014, 4, 30)).key == "2011"
    assert selectors.version_in_force(testby, datetime.date(2014, 5, 1)).key == "2014"


def test_a_version_with_only_a_start_date_is_open_towards_the_future(testby):
    assert selectors.version_in_force(testby, datetime.date(2099, 1, 1)).key == "2014"
    assert selectors.version_in_force(testby, datetime.date(2010, 12, 31)) is None


def test_a_previous_version_without_dates_is_never_in_force_and_a_current_one_always(testby):
    OrgVersion.objects.filter(key="2011").update(effective_from=None, effective_to=None)
    OrgVersion.objects.filter(key="2014").update(effective_from=None)
    assert selectors.version_in_force(testby, datetime.date(2012, 1, 1)).key == "2014"
    OrgVersion.objects.filter(key="2014").update(status=OrgVersion.Status.PROPOSED)
    assert selectors.version_in_force(testby, datetime.date(2012, 1, 1)) is None


def test_where_periods_overlap_the_version_that_started_last_applies(testby):
    OrgVersion.objects.filter(key="2011").update(effective_to=None)
    assert selectors.version_in_force(testby, datetime.date(2020, 1, 1)).key == "2014"


# --- banners --------------------------------------------------------------------------------------------


def test_a_previous_version_carries_a_banner_with_its_end_and_the_way_to_the_current(client, testby):
    for name in ("centers:chart", "governance:committees"):
        page = client.get(reverse(name, args=["testby", "2011"])).content.decode()
        assert 'data-version-banner="previous"' in page
        assert "Tidligere organisation, gældende til 30. april 2014." in page
        assert "Gå til den gældende organisation" in page
    assert "data-version-banner" not in client.get(reverse("centers:chart", args=["testby", "2014"])).content.decode()


def test_a_proposed_and_a_draft_version_say_they_are_not_adopted(client, testby):
    OrgVersion.objects.filter(key="2014").update(status=OrgVersion.Status.PROPOSED)
    page = client.get(reverse("centers:unit", args=["testby", "2014", "skolen"])).content.decode()
    assert "Forslag – ikke vedtaget." in page
    assert "Foreslået gældende fra 1. maj 2014." in page
    OrgVersion.objects.filter(key="2014").update(status=OrgVersion.Status.DRAFT)
    assert "Udkast – ikke vedtaget." in client.get(reverse("centers:chart", args=["testby", "2014"])).content.decode()


def test_english_pages_write_dates_the_english_way(client, testby):
    page = client.get(reverse("centers:chart", args=["testby", "2011"]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "30 April 2014" in page
    assert "April 30, 2014" not in page


# --- the chart page and what it loads ---------------------------------------------------------------------


def test_the_legend_lists_only_the_kinds_that_occur_in_the_version(client, testby):
    response = client.get(reverse("centers:chart", args=["testby", "2014"]))
    assert [value for value, _ in response.context["unit_kinds"]] == ["directorate", "centre", "institution"]


def test_unit_and_post_pages_link_to_the_chart_focused_on_them(client, testby):
    chart = reverse("centers:chart", args=["testby", "2014"])
    unit_page = client.get(reverse("centers:unit", args=["testby", "2014", "skolen"])).content.decode()
    assert f'href="{chart}?enhed=skolen" data-show-in-chart' in unit_page
    post_page = client.get(reverse("centers:post", args=["testby", "2014", "centerchef-trafik"])).content.decode()
    assert f'href="{chart}?enhed=center-trafik-ejendomme" data-show-in-chart' in post_page


def test_the_details_panel_shows_head_director_parent_tasks_posts_committees_forums_and_budget(client, testby):
    response = client.get(reverse("centers:unit-panel", args=["testby", "2014", "center-trafik-ejendomme"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page  # a fragment for the chart's side panel
    assert 'id="chart-panel-title"' in page and "Center for Trafik og Ejendomme" in page
    assert reverse("centers:unit", args=["testby", "2014", "center-trafik-ejendomme"]) in page
    for expected in ("Centerchef", "Direktør", 'data-panel-unit="direktion"', "Vejdrift"):
        assert expected in page, expected
    for panel in ('data-panel="committees"', 'data-panel="forums"', 'data-panel="reporting-line"'):
        assert panel in page, panel
    assert "Konsulentnetværket" in page and "Koncernledelsen" in page


def test_the_search_text_holds_tasks_posts_and_holders_per_unit(client, testby):
    response = client.get(reverse("centers:search-text", args=["testby", "2014"]))
    units = response.json()["units"]
    assert ["task", "Vejdrift", "Road operations"] in units["center-trafik-ejendomme"]
    assert ["post", "Centerchef", ""] in units["center-trafik-ejendomme"]
    assert ["holder", "Anne Andersen", ""] in units["direktion"]


def test_a_committee_page_marks_its_serving_units_in_the_chart(client, testby):
    committee = client.get(reverse("governance:committee", args=["testby", "2014", "oeu"])).content.decode()
    chart = reverse("centers:chart", args=["testby", "2014"])
    assert f'href="{chart}?udvalg=oeu" data-show-in-chart' in committee
    response = client.get(chart, {"udvalg": "oeu"})
    # the kommunaldirektør serves Økonomiudvalget: the unit of that post is marked
    assert response.context["highlight"] == {"label": "Enheder der betjener Økonomiudvalget", "units": ["direktion"]}
    assert client.get(chart, {"udvalg": "nope"}).context["highlight"] is None


def test_the_public_history_shows_kinds_as_words(client, testby):
    unit = Unit.objects.get(version__key="2014", key="skolen")
    unit.kind = "department"  # no service changes a kind yet; the history shows whatever a record holds
    unit.save()
    page = client.get(reverse("centers:unit", args=["testby", "2014", "skolen"])).content.decode()
    assert "Type: institution → afdeling" in page
    assert "department" not in page.split("data-history-log")[1]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def test_chart_panel_and_search_text_take_the_same_queries_at_two_sizes(client):
    counts = []
    for size in (60, 600):
        municipality = structure_format.load(synthetic_structure(f"stor{size}", size, kommunekode=900 + size // 60))
        version = municipality.versions.get()
        deep = (
            Unit.objects.filter(version=version, level__gte=1, rght__gt=F("lft") + 1).order_by("-level", "lft").first()
        )
        counts.append(
            (
                _queries(client, reverse("centers:chart", args=[municipality.slug, version.key])),
                _queries(client, reverse("centers:chart", args=[municipality.slug, version.key]) + "?dato=2020-01-01"),
                _queries(client, reverse("centers:unit-panel", args=[municipality.slug, version.key, deep.key])),
                _queries(client, reverse("centers:search-text", args=[municipality.slug, version.key])),
            )
        )
    assert counts[0] == counts[1]


def test_a_post_page_lists_the_duties_the_source_gives_the_post(client, testby):
    page = client.get(reverse("centers:post", args=["testby", "2014", "centerchef-trafik"])).content.decode()
    assert "Stillingens opgaver (1)" in page
    assert "Ansvar for lovlig forvaltning" in page and "(T1 afsnit 4)" in page
    other = client.get(reverse("centers:post", args=["testby", "2014", "direktoer-teknik"])).content.decode()
    assert "Kilden angiver ingen opgaver for stillingen." in other


def test_search_with_a_date_finds_only_the_version_in_force_then(client, testby):
    search = reverse("centers:search")
    then = client.get(search, {"q": "center", "dato": "2012-06-01"})
    units = {hit.url for hit in then.context["hits"] if hit.kind == "unit"}
    assert units and all("/testby/2011/" in url for url in units)
    assert "Kun de organisationer, der gjaldt pr. 1. juni 2012." in then.content.decode()
    later = client.get(search, {"q": "center", "dato": "2015-01-01"})
    assert all("/testby/2014/" in hit.url for hit in later.context["hits"] if hit.kind == "unit")
    bad = client.get(search, {"q": "center", "dato": "banan"})
    assert bad.status_code == 400 and "«banan» er ikke en dato" in bad.content.decode()
