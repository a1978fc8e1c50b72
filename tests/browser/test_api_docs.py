"""The API's documentation, found as a developer finds it: the footer of any page links it, and Swagger UI draws
every operation from the schema with the site's own files (the machine has no network)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_a_developer_reaches_the_api_documentation_from_the_home_page(browser_context, transactional_db, load_fixture):
    load_fixture("lejre")
    page = browser_context(width=1440, height=900).new_page()
    page.goto("/")
    page.get_by_role("link", name="API for udviklere").click()
    expect(page.get_by_text("Orgmodel API", exact=False).first).to_be_visible()
    expect(page.get_by_text("/api/municipalities/{slug}/versions/{version}/units/{key}/move/")).to_be_visible()
    page.get_by_text("/api/municipalities/{slug}/versions/{version}/units/{key}/move/").click()
    expect(page.get_by_text("Move a unit").first).to_be_visible()
    screenshot(page, "api-docs")
    with page.expect_response(lambda response: "/api/municipalities/" in response.url) as answer:
        page.goto("/api/municipalities/lejre/")
    assert answer.value.json()["name"] == "Lejre Kommune"
