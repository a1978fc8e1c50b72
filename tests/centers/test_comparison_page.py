"""The comparison page, its JSON and its PDF for a hearing: versions chosen by key or by date, the changes in
words, the marks for both charts, a constant number of queries."""

import copy
import io
import json
import unicodedata

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from centers import structure_format
from centers.structure_format import Document
from centers.synthetic import synthetic_document

pytestmark = pytest.mark.django_db

MERGE = "Center for Veje og Center for Ejendomme lægges sammen til Center for Trafik og Ejendomme"


@pytest.fixture
def testby(valid_document):
    """2011 (previous) → 2014 (current, based on 2011): Center for Veje and Center for Ejendomme are merged."""
    return structure_format.load(valid_document)


def compare_url(name="centers:compare", slug="testby"):
    return reverse(name, args=[slug])


def test_the_page_lists_the_changes_in_words_and_marks_both_charts(client, testby):
    response = client.get(compare_url(), {"fra": "2011", "til": "2014"})
    assert response.status_code == 200
    page = response.content.decode()
    assert MERGE in page
    assert 'data-side="before"' in page and 'data-side="after"' in page
    after = json.loads(page.split('id="marks-after" type="application/json">')[1].split("</script>")[0])
    before = json.loads(page.split('id="marks-before" type="application/json">')[1].split("</script>")[0])
    assert after["center-trafik-ejendomme"] == {"mark": "merged", "text": "Sammenlagt"}
    assert before["center-veje"]["mark"] == "merged" and before["center-ejendomme"]["mark"] == "merged"
    assert reverse("centers:compare-pdf", args=["testby"]) + "?fra=2011&amp;til=2014" in page


def test_without_a_choice_the_page_compares_a_version_with_the_one_it_is_based_on(client, testby):
    response = client.get(compare_url(), {"til": "2014"})
    assert (response.context["before"].key, response.context["after"].key) == ("2011", "2014")
    response = client.get(compare_url())
    assert (response.context["before"].key, response.context["after"].key) == ("2011", "2014")


def test_two_dates_compare_the_versions_in_force_then(client, testby):
    response = client.get(compare_url(), {"fra-dato": "2012-01-01", "til-dato": "2015-01-01"})
    assert (response.context["before"].key, response.context["after"].key) == ("2011", "2014")
    assert MERGE in response.content.decode()


def test_a_bad_date_an_uncovered_date_and_an_unknown_version_get_clear_pages(client, testby):
    assert client.get(compare_url(), {"fra-dato": "banan"}).status_code == 400
    uncovered = client.get(compare_url(), {"fra-dato": "1990-01-01", "til": "2014"})
    assert uncovered.status_code == 404 and "Ingen organisation pr. 1. januar 1990" in uncovered.content.decode()
    assert client.get(compare_url(), {"fra": "1999", "til": "2014"}).status_code == 404


def test_the_same_version_twice_asks_for_two_versions(client, testby):
    response = client.get(compare_url(), {"fra": "2014", "til": "2014"})
    assert response.status_code == 200
    assert "Vælg to forskellige versioner" in response.content.decode()
    assert client.get(compare_url("centers:compare-data"), {"fra": "2014", "til": "2014"}).status_code == 400


def test_the_json_has_every_change_with_its_sentence(client, testby):
    data = client.get(compare_url("centers:compare-data"), {"fra": "2011", "til": "2014"}).json()
    assert (data["before"], data["after"]) == ("2011", "2014")
    merged = [change for change in data["changes"] if change["kind"] == "units_merged"]
    assert [change["text"] for change in merged] == [MERGE]
    assert data["marks"]["after"]["center-trafik-ejendomme"] == "merged"


def test_the_hearing_pdf_has_the_diagrams_before_and_after_and_the_changes(client, testby):
    response = client.get(compare_url("centers:compare-pdf"), {"fra": "2011", "til": "2014"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="testby-sammenligning-2011-2014.pdf"' in response["Content-Disposition"]
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert len(pages) >= 3
    # NFKC: the PDF's text has the "fi" ligature of the font
    first, second, last = (
        " ".join(unicodedata.normalize("NFKC", page.extract_text()).split()) for page in (pages[0], pages[1], pages[-1])
    )
    assert first.startswith("Før:") and "Testby Kommune" in first and "Center for Veje" in first
    assert "Sammenlagt" in first
    assert second.startswith("Efter:") and "Center for Trafik og Ejendomme" in second
    assert "Ændringerne fra" in last and "lægges sammen til Center for Trafik og Ejendomme" in last
    for page in pages:  # A4 or A3
        width, height = sorted((float(page.mediabox.width), float(page.mediabox.height)))
        assert (round(width), round(height)) in {(595, 842), (842, 1191)}


def two_version_document(slug: str, size: int, kommunekode: int) -> Document:
    """A synthetic version and a proposal based on it with one unit renamed."""
    data = synthetic_document(slug, size, kommunekode=kommunekode)
    first = data["versions"][0]
    second = copy.deepcopy(first)
    second.update(key="forslag", label="Forslag", status="proposed", based_on=first["key"])
    for unit in second["units"]:
        unit["formed_from"] = [unit["key"]]
    second["units"][1]["name"] += " (nyt navn)"
    data["versions"].append(second)
    return Document(data, f"synthetic:{slug}")


def queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_page_json_and_pdf_take_the_same_queries_whatever_the_size(client):
    counts = []
    for size, code in ((60, 901), (400, 902)):
        municipality = structure_format.load(two_version_document(f"stor{size}", size, code))
        params = {"fra": municipality.versions.get(status="current").key, "til": "forslag"}
        counts.append(
            tuple(
                queries(client, reverse(name, args=[municipality.slug]), params)
                for name in ("centers:compare", "centers:compare-data", "centers:compare-pdf")
            )
        )
    assert counts[0] == counts[1]
