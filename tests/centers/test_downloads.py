"""Data downloads (centers/download_views.py, centers/downloads.py): the structure document of a municipality or of
one version is byte for byte what `manage.py export_structure` prints; a version's units, posts and tasks come as
CSV that Danish Excel opens, one row per element with the export's values and no formulas; both cost a constant
number of queries; the chart and the home page link them, with what other apps offer through the registry."""

import csv
import io
import json
import re

import pytest
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from centers import extensions, structure_format, synthetic
from centers.downloads import csv_text
from centers.models import Municipality, OrgVersion

from ..conftest import FIXTURES

pytestmark = pytest.mark.django_db

SLUGS = [path.stem for path in sorted(FIXTURES.glob("*.yaml"))]
CONTENT_TYPES = {"yaml": "application/yaml; charset=utf-8", "json": "application/json; charset=utf-8"}
UNIT_COLUMNS = ["key", "name", "name_en", "kind", "parent", "head", "responsible", "formed_from", "source", "note"]
POST_COLUMNS = ["key", "title", "title_en", "kind", "unit", "holder", "reports_to", "source", "note"]
TASK_COLUMNS = ["key", "name", "name_en", "unit", "source", "note"]
BOM = "\ufeff"


def command_output(slug: str, fmt: str, version: str | None = None) -> bytes:
    out = io.StringIO()
    arguments = [slug, "--format", fmt] + (["--version", version] if version else [])
    call_command("export_structure", *arguments, stdout=out)
    return out.getvalue().encode("utf-8")


def table_url(slug: str, version: str, table: str) -> str:
    return reverse("centers:version-table", args=[slug, version, table])


def parsed_csv(content: bytes) -> tuple[list[str], list[dict]]:
    """The header and the rows of a CSV download, read as Excel would: BOM first, semicolons, CRLF."""
    assert content.startswith(BOM.encode("utf-8"))
    text = content.decode("utf-8").removeprefix(BOM)
    assert text.endswith("\r\n")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    header, *rows = list(reader)
    return header, [dict(zip(header, row, strict=True)) for row in rows]


def as_cell(value) -> str:
    """What a value of the export reads as in a cell (formula triggers aside: no fixture has one)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(value)
    return str(value)


def expected_rows(elements: list[dict], columns: list[str]) -> list[dict]:
    return [{column: as_cell(element.get(column)) for column in columns} for element in elements]


def exported_version(slug: str, key: str) -> dict:
    document = structure_format.export(Municipality.objects.get(slug=slug))
    return next(version for version in document["versions"] if version["key"] == key)


# --- the structure document ---------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_downloads_are_what_the_export_command_prints(client, load_fixture, slug):
    """The municipality's document and every version's, in both formats (one load per fixture)."""
    municipality = load_fixture(slug)
    keys = list(municipality.versions.values_list("key", flat=True))
    assert len(keys) >= 2
    for fmt in ("yaml", "json"):
        response = client.get(reverse("centers:structure-download", args=[slug, fmt]))
        assert response.status_code == 200
        assert response["Content-Type"] == CONTENT_TYPES[fmt]
        assert response["Content-Disposition"] == f'attachment; filename="{slug}.{fmt}"'
        whole = command_output(slug, fmt)
        assert response.content == whole
        for key in keys:
            response = client.get(reverse("centers:version-structure-download", args=[slug, key, fmt]))
            assert response.status_code == 200, key
            assert response["Content-Type"] == CONTENT_TYPES[fmt]
            assert response["Content-Disposition"] == f'attachment; filename="{slug}-{key}.{fmt}"'
            assert response.content == command_output(slug, fmt, key)
            assert response.content != whole


def test_downloaded_document_loads_back_as_the_same_municipality(client, load_fixture, tmp_path):
    load_fixture("lejre")
    before = command_output("lejre", "yaml")
    path = tmp_path / "lejre.json"
    path.write_bytes(client.get(reverse("centers:structure-download", args=["lejre", "json"])).content)
    call_command("load_structure", str(path), "--replace", stdout=io.StringIO())
    assert command_output("lejre", "yaml") == before


# --- CSV --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_csv_has_one_row_per_element_with_the_exports_values(client, load_fixture, slug):
    municipality = load_fixture(slug)
    for version in municipality.versions.all():
        exported = exported_version(slug, version.key)
        tasks = [{**task, "unit": unit["key"]} for unit in exported["units"] for task in unit["tasks"]]
        assert len(exported["units"]) == version.units.count() > 0
        for table, columns, elements in [
            ("enheder", UNIT_COLUMNS, exported["units"]),
            ("stillinger", POST_COLUMNS, exported["posts"]),
            ("opgaver", TASK_COLUMNS, tasks),
        ]:
            response = client.get(table_url(slug, version.key, table))
            assert response.status_code == 200
            assert response["Content-Type"] == "text/csv; charset=utf-8"
            assert response["Content-Disposition"] == f'attachment; filename="{slug}-{version.key}-{table}.csv"'
            header, rows = parsed_csv(response.content)
            assert header == columns
            assert rows == expected_rows(elements, columns), (version.key, table)
        assert version.posts.count() == len(exported["posts"])
        assert version.tasks.count() == len(tasks)


def test_units_csv_follows_the_tree_and_names_the_units_a_unit_was_formed_from(client, load_fixture):
    """Lejre notat 001 afsnit 3.4: Center for Trafik & Ejendomsdrift is formed from Center for Veje og Trafik and
    Center for Ejendomsdrift (units of 2011), which the one-version document leaves out as outside it."""
    load_fixture("lejre")
    _, rows = parsed_csv(client.get(table_url("lejre", "2014", "enheder")).content)
    by_key = {row["key"]: row for row in rows}
    assert set(by_key["center-trafik-ejendomsdrift"]["formed_from"].split()) >= {"center-ejendomsdrift"}
    assert any(row["formed_from"] for row in rows)
    tree_order = list(OrgVersion.objects.get(municipality__slug="lejre", key="2014").units.order_by("tree_id", "lft"))
    assert [row["key"] for row in rows] == [unit.key for unit in tree_order]
    assert rows[0]["parent"] == ""


def test_csv_keeps_danish_letters_for_excel(client, load_fixture):
    load_fixture("ltk")
    content = client.get(table_url("ltk", "2012", "enheder")).content
    assert content.startswith(b"\xef\xbb\xbfkey;name;name_en;")
    assert b"\r\n" in content and b"\n" not in content.replace(b"\r\n", b"")
    _, rows = parsed_csv(content)
    names = " ".join(row["name"] for row in rows)
    assert re.search("[æøåÆØÅ]", names), names
    assert {"æ", "ø"} <= set(names.lower())
    assert "Ã" not in names  # no UTF-8 read as Latin-1


def test_tasks_csv_names_the_unit_of_each_task(client, valid_document):
    structure_format.load(valid_document)
    _, rows = parsed_csv(client.get(table_url("testby", "2014", "opgaver")).content)
    assert rows == [
        {
            "key": "vejdrift",
            "name": "Vejdrift",
            "name_en": "Road operations",
            "unit": "center-trafik-ejendomme",
            "source": "",
            "note": "",
        }
    ]


# --- formulas ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://example.invalid","Klik")', '\'=HYPERLINK("http://example.invalid","Klik")'),
        ("+45 12 34 56 78", "'+45 12 34 56 78"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Center for Job og Ydelser", "Center for Job og Ydelser"),
        ("a=b-c", "a=b-c"),
        ("'citat'", "'citat'"),
        ("", ""),
        (None, ""),
        (["center-a", "center-b"], "center-a center-b"),
        (["-center-a"], "'-center-a"),
    ],
)
def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_starts_with_an_apostrophe(value, cell):
    _, rows = parsed_csv(csv_text(["name"], [{"name": value}]).encode("utf-8"))
    assert rows == [{"name": cell}]


def test_names_from_a_document_do_not_become_formulas_in_the_download(client, valid_document):
    data = valid_document.data
    units = data["versions"][1]["units"]
    units[1]["name"] = '=HYPERLINK("http://example.invalid","Klik")'
    units[1]["note"] = "@SUM(A1:A9)"
    units[1]["tasks"][0]["name"] = "+Vejdrift"
    data["versions"][1]["posts"][1]["title"] = "-Direktør"
    structure_format.load(valid_document)
    _, units = parsed_csv(client.get(table_url("testby", "2014", "enheder")).content)
    _, posts = parsed_csv(client.get(table_url("testby", "2014", "stillinger")).content)
    _, tasks = parsed_csv(client.get(table_url("testby", "2014", "opgaver")).content)
    assert units[1]["name"] == '\'=HYPERLINK("http://example.invalid","Klik")'
    assert units[1]["note"] == "'@SUM(A1:A9)"
    assert posts[1]["title"] == "'-Direktør"
    assert tasks[0]["name"] == "'+Vejdrift"
    # The structure document is data, not a spreadsheet: it keeps the names as they are.
    document = json.loads(
        client.get(reverse("centers:version-structure-download", args=["testby", "2014", "json"])).content
    )
    assert document["versions"][0]["units"][1]["name"] == '=HYPERLINK("http://example.invalid","Klik")'


# --- addresses that are not downloads ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/ukendt/struktur.yaml",
        "/ukendt/2014/struktur.json",
        "/testby/2099/struktur.yaml",
        "/testby/2014/struktur.xml",
        "/testby/2014/struktur.YAML",
        "/ukendt/2014/enheder.csv",
        "/testby/2099/enheder.csv",
        "/testby/2014/personer.csv",
        "/testby/2014/enheder.xlsx",
    ],
)
def test_unknown_municipality_version_format_or_table_is_the_sites_404(client, valid_document, url):
    structure_format.load(valid_document)
    response = client.get(url, follow=True)
    assert response.status_code == 404
    assert "Siden findes ikke" in response.content.decode()
    assert "Content-Disposition" not in response


def test_an_unknown_format_of_the_municipality_document_is_no_download(client, valid_document):
    """/testby/struktur.xml matches no download; like every address without its slash it is sent on to
    /testby/struktur.xml/, the page of a version that does not exist."""
    structure_format.load(valid_document)
    response = client.get("/testby/struktur.xml", follow=True)
    assert response.status_code == 404
    assert "Siden findes ikke" in response.content.decode()
    assert "Content-Disposition" not in response
    with pytest.raises(NoReverseMatch):
        reverse("centers:structure-download", args=["testby", "xml"])
    with pytest.raises(NoReverseMatch):
        reverse("centers:version-table", args=["testby", "2014", "personer"])


# --- bounded queries ------------------------------------------------------------------------------------------


# The structure document: the municipality, then 14 reads of the export (versions, units, posts, tasks, duties,
# formed_from, people, sources and governance's committees, memberships, services, forums, networks, budget).
DOCUMENT_QUERIES = 15
# A CSV: the version (with its municipality), then the same export.
TABLE_QUERIES = 15


def test_downloads_cost_the_same_number_of_queries_at_any_size(client, django_assert_max_num_queries):
    counts: dict[int, list[int]] = {}
    for unit_count, kommunekode in [(20, 990), (600, 991)]:
        slug = f"syntetisk-{unit_count}"
        structure_format.load(synthetic.synthetic_structure(slug, unit_count, kommunekode=kommunekode))
        version = OrgVersion.objects.get(municipality__slug=slug)
        assert version.units.count() == unit_count
        counts[unit_count] = []
        with django_assert_max_num_queries(DOCUMENT_QUERIES) as queries:
            response = client.get(reverse("centers:structure-download", args=[slug, "yaml"]))
        assert response.status_code == 200 and response.content.count(b"\n      - key: enhed-") == unit_count
        counts[unit_count].append(len(queries))
        with django_assert_max_num_queries(DOCUMENT_QUERIES) as queries:
            response = client.get(reverse("centers:version-structure-download", args=[slug, version.key, "json"]))
        assert response.status_code == 200 and response.content.count(b'"key": "enhed-') == unit_count
        counts[unit_count].append(len(queries))
        for table, rows in [("enheder", unit_count), ("stillinger", version.posts.count()), ("opgaver", unit_count)]:
            with django_assert_max_num_queries(TABLE_QUERIES) as queries:
                response = client.get(table_url(slug, version.key, table))
            assert response.status_code == 200
            assert len(parsed_csv(response.content)[1]) == rows
            counts[unit_count].append(len(queries))
    assert counts[20] == counts[600]


# --- links ------------------------------------------------------------------------------------------------


def download_links(content: str, scope: str) -> list[tuple[str, str]]:
    """The (text, address) of the links in a page's line of downloads for `scope`."""
    line = re.search(rf'<p class="downloads" data-downloads="{scope}">(.*?)</p>', content, re.S)
    assert line, scope
    return [(text, href) for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', line.group(1))]


@pytest.fixture
def registered_downloads(monkeypatch):
    """Two files another app offers, one per scope (as governance registers its Popolo and CSV files)."""
    monkeypatch.setattr(extensions.registry, "downloads", [])
    extensions.register_download(
        extensions.Download("Popolo JSON", lambda municipality: f"/popolo/{municipality.slug}.json", "municipality")
    )
    extensions.register_download(
        extensions.Download("CSV: udvalgsbetjening", lambda version: f"/betjening/{version.key}.csv", "version", 50)
    )


def test_chart_links_the_versions_and_the_municipalitys_downloads(client, valid_document, registered_downloads):
    structure_format.load(valid_document)
    content = client.get(reverse("centers:chart", args=["testby", "2014"])).content.decode()
    start = content.index('<details class="chart-more">')
    fold_out = content[start : content.index("</details>", start)]
    assert "Hent versionens data:" in fold_out and "Hent hele kommunen:" in fold_out
    version_links = download_links(fold_out, "version")
    assert version_links == [
        ("YAML", "/testby/2014/struktur.yaml"),
        ("JSON", "/testby/2014/struktur.json"),
        ("enheder", "/testby/2014/enheder.csv"),
        ("stillinger", "/testby/2014/stillinger.csv"),
        ("opgaver", "/testby/2014/opgaver.csv"),
        ("CSV: udvalgsbetjening", "/betjening/2014.csv"),
    ]
    assert re.search(r"JSON</a> ·\s*CSV:&nbsp;<a", fold_out)
    municipality_links = download_links(fold_out, "municipality")
    assert municipality_links == [
        ("YAML", "/testby/struktur.yaml"),
        ("JSON", "/testby/struktur.json"),
        ("Popolo JSON", "/popolo/testby.json"),
    ]
    for _, href in [*version_links, *municipality_links]:
        if not href.startswith(("/betjening/", "/popolo/")):
            assert client.get(href).status_code == 200, href


def test_home_page_offers_each_municipalitys_document(client, load_fixture, registered_downloads):
    load_fixture("lejre")
    load_fixture("assens")
    content = client.get(reverse("home")).content.decode()
    for slug in ("lejre", "assens"):
        card = content[content.index(f'id="{slug}"') :]
        card = card[: card.index("</section>")]
        assert download_links(card, "municipality") == [
            ("YAML", f"/{slug}/struktur.yaml"),
            ("JSON", f"/{slug}/struktur.json"),
            ("Popolo JSON", f"/popolo/{slug}.json"),
        ]
        assert 'data-downloads="version"' not in card


def test_home_page_with_downloads_costs_the_same_queries_for_more_municipalities(
    client, load_fixture, django_assert_max_num_queries
):
    load_fixture("lejre")
    with django_assert_max_num_queries(3):
        client.get(reverse("home"))
    load_fixture("ltk")
    load_fixture("assens")
    with django_assert_max_num_queries(3):
        content = client.get(reverse("home")).content.decode()
    assert content.count('data-downloads="municipality"') == 3


def test_links_are_in_english_for_an_english_reader(client, valid_document):
    structure_format.load(valid_document)
    content = client.get(reverse("centers:chart", args=["testby", "2014"]), HTTP_ACCEPT_LANGUAGE="en").content
    content = content.decode()
    links = download_links(content, "version")
    assert [text for text, _ in links][2:5] == ["units", "posts", "tasks"]
