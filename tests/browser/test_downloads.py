"""Data downloads in a real browser, found as a person finds them: from the home page to a municipality's chart,
the fold-out "Dato, hent og udskriv", and the version's units as CSV and its structure document as YAML; and the
whole municipality's document from the home page."""

import csv
import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from centers.models import OrgVersion
from tests.browser.conftest import screenshot
from tests.browser.test_chart import READY

pytestmark = pytest.mark.browser


def export_command(*arguments: str) -> bytes:
    out = io.StringIO()
    call_command("export_structure", *arguments, stdout=out)
    return out.getvalue().encode("utf-8")


def test_a_person_downloads_a_versions_units_and_document_from_the_chart(
    browser_context, transactional_db, load_fixture
):
    load_fixture("lejre")
    load_fixture("assens")
    page = browser_context(width=1440, height=900, accept_downloads=True).new_page()
    page.goto("/")
    page.get_by_role("link", name="Lejre Kommune", exact=True).click()
    page.wait_for_selector(READY)
    key = re.search(r"/lejre/([^/]+)/$", page.url).group(1)
    version = OrgVersion.objects.get(municipality__slug="lejre", key=key)

    page.get_by_text("Dato, hent og udskriv").click()
    version_line = page.locator('[data-downloads="version"]')
    expect(version_line).to_be_visible()
    expect(version_line).to_contain_text("Hent versionens data: YAML · JSON · CSV: enheder · stillinger · opgaver")
    expect(page.locator('[data-downloads="municipality"]')).to_contain_text("Hent hele kommunen: YAML · JSON")
    screenshot(page, "downloads-fold-out")

    with page.expect_download() as csv_download:
        version_line.get_by_role("link", name="enheder", exact=True).click()
    assert csv_download.value.suggested_filename == f"lejre-{key}-enheder.csv"
    content = open(csv_download.value.path(), "rb").read()
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
    units = list(version.units.order_by("tree_id", "lft"))
    assert [(row["key"], row["name"]) for row in rows] == [(unit.key, unit.name) for unit in units]

    with page.expect_download() as yaml_download:
        version_line.get_by_role("link", name="YAML", exact=True).click()
    assert yaml_download.value.suggested_filename == f"lejre-{key}.yaml"
    assert open(yaml_download.value.path(), "rb").read() == export_command("lejre", "--version", key)
    expect(page).to_have_url(re.compile(rf"/lejre/{key}/$"))  # the downloads leave the chart where it was


def test_the_home_page_offers_each_municipalitys_whole_document(browser_context, transactional_db, load_fixture):
    load_fixture("lejre")
    load_fixture("assens")
    page = browser_context(width=1440, height=900, accept_downloads=True).new_page()
    page.goto("/")
    line = page.locator("#assens [data-downloads='municipality']")
    expect(line).to_contain_text("Hent hele kommunen: YAML · JSON")
    with page.expect_download() as download:
        line.get_by_role("link", name="JSON", exact=True).click()
    assert download.value.suggested_filename == "assens.json"
    assert open(download.value.path(), "rb").read() == export_command("assens", "--format", "json")
    screenshot(page, "downloads-home")
