"""The committee services of a version as CSV: one row per service, the structure format's keys as columns, the
values of the version's export, as Danish Excel reads it (UTF-8 with BOM, semicolons)."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centers import downloads, structure_format
from governance.models import CommitteeService

pytestmark = pytest.mark.django_db

COLUMNS = ["committee", "unit", "post", "role", "source", "note"]
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def url(slug: str, version: str) -> str:
    return reverse("governance:committee-services-csv", args=[slug, version])


def parsed(response) -> list[list[str]]:
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:], newline=""), delimiter=";"))


def as_cell(value) -> str:
    """A value of the export as the spreadsheet shows it: null is empty; text a spreadsheet would run as a formula
    starts with an apostrophe."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


@pytest.mark.parametrize(
    ("slug", "version"),
    [("assens", "2014"), ("assens", "2013"), ("ltk", "2012"), ("lejre", "2014"), ("albertslund", "2013")],
)
def test_one_row_per_committee_service_equal_to_the_export(client, load_fixture, slug, version):
    municipality = load_fixture(slug)
    response = client.get(url(slug, version))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{slug}-{version}-udvalgsbetjening.csv"'
    header, *rows = parsed(response)
    assert header == COLUMNS
    services = structure_format.export(municipality, version)["versions"][0]["committee_services"]
    assert rows == [[as_cell(service[column]) for column in COLUMNS] for service in services]
    assert (
        len(rows) == CommitteeService.objects.filter(version__municipality=municipality, version__key=version).count()
    )
    assert rows


def test_assens_vicedirector_serves_social_og_sundhedsudvalget_three_ways(client, load_fixture):
    """Assens notat 003 afsnit 6: the Vicedirektør for Social, Sundhed og Arbejdsmarked prepares the agenda for,
    takes part in and serves Social- og Sundhedsudvalget."""
    load_fixture("assens")
    header, *rows = parsed(client.get(url("assens", "2014")))
    table = [dict(zip(header, row, strict=True)) for row in rows]
    roles = [
        row["role"]
        for row in table
        if row["committee"] == "social-og-sundhedsudvalget"
        and row["post"] == "vicedirektoer-social-sundhed-og-arbejdsmarked"
    ]
    assert sorted(roles) == ["attends", "prepares_agenda", "serves"]


def test_a_version_without_committee_services_has_only_the_header(client, load_fixture):
    load_fixture("assens")
    assert parsed(client.get(url("assens", "efter-2017"))) == [COLUMNS]


def test_an_unknown_version_or_municipality_is_404(client, load_fixture):
    load_fixture("assens")
    assert client.get(url("assens", "1999")).status_code == 404
    assert client.get(url("ukendt", "2014")).status_code == 404


def test_the_download_costs_the_same_queries_whatever_the_size(
    client, load_fixture, load_synthetic, django_assert_max_num_queries
):
    load_fixture("lejre")
    with CaptureQueriesContext(connection) as small:
        assert client.get(url("lejre", "2014")).status_code == 200
    load_synthetic()
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url("syntetisk", "1"))
    assert len(parsed(response)) == 1 + 90


def test_the_download_is_offered_for_every_version(load_fixture):
    municipality = load_fixture("assens")
    for version in municipality.versions.all():
        offered = dict((href, label) for label, href in downloads.offered("version", version))
        assert offered[f"/assens/{version.key}/udvalgsbetjening.csv"] == "udvalgsbetjening"
    assert "/assens/2014/udvalgsbetjening.csv" not in dict(downloads.offered("municipality", municipality)).values()
