"""The comparison as a person reaches it: from a version's chart to the two charts with the changes marked, the
changes in words, and the PDF for a hearing (page 1 rendered to test-artifacts/ to be looked at)."""

import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, screenshot

pytestmark = pytest.mark.browser

READY = '[data-state="ready"]'


def test_a_proposal_is_compared_with_the_organisation_it_changes(browser_context, transactional_db, load_fixture):
    load_fixture("lejre")
    page = browser_context(width=1440, height=900, accept_downloads=True).new_page()
    page.goto("/")
    page.get_by_role("link", name=re.compile("Justeret organisation fra 1. maj 2014")).click()
    page.locator("[data-compare-link]").click()
    expect(page).to_have_url(re.compile(r"/lejre/sammenlign/\?til=2014$"))
    before, after = page.locator("#compare-before"), page.locator("#compare-after")
    expect(before).to_have_attribute("data-state", "ready")
    expect(after).to_have_attribute("data-state", "ready")
    merged = after.locator('.org-card[data-unit-id="center-trafik-ejendomsdrift"]')
    expect(merged).to_have_class(re.compile(r"\bmark-merged\b"))
    expect(merged).to_contain_text("Sammenlagt")
    expect(before.locator('.org-card[data-unit-id="center-veje-trafik"]')).to_have_class(re.compile(r"\bmark-merged\b"))
    changes = page.locator("[data-compare-changes]")
    expect(changes).to_contain_text(
        "Center for Veje & Trafik og Center for Ejendomsdrift lægges sammen til Center for Trafik & Ejendomsdrift"
    )
    screenshot(page, "compare-lejre")

    with page.expect_download() as download:
        page.get_by_role("link", name="Hent som PDF til høring").click()
    pdf = ARTIFACTS / "compare-lejre.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", pdf, ARTIFACTS / "compare-lejre-pdf"], check=True
        )
