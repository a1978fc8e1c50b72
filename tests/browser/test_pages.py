"""Unit, committee and reporting-line pages in a real browser, and the language switch."""

import re

from playwright.sync_api import expect

from .conftest import screenshot


def test_unit_page_reporting_line_reaches_the_director_and_the_committee(page, load_fixture):
    """Assens (003 afsnit 3): the Jobcenter reports through its chief and the Direktør for Velfærd to the
    kommunaldirektør, then Økonomiudvalget and Byrådet."""
    load_fixture("assens")
    page.goto("/assens/2014/enheder/jobcenter-2014/")
    expect(page.locator("h1")).to_have_text("Jobcenter")
    line = page.locator("[data-reporting-line]").first
    steps = [text.strip() for text in line.locator("li a").all_inner_texts()]
    # Listed top-down like the diagram: the political level first, the unit last.
    assert "Direktør for Velfærd" in steps
    assert steps[:2] == ["Byrådet", "Økonomiudvalget"]
    assert steps.index("Økonomiudvalget") < steps.index("Direktør for Velfærd") < steps.index("Jobcenter")
    screenshot(page, "unit-page")
    line.get_by_role("link", name="Økonomiudvalget").click()
    expect(page).to_have_url(re.compile(r"/assens/2014/udvalg/oekonomiudvalget/$"))


def test_assens_committee_page_lists_who_serves_it(page, load_fixture):
    """Assens (003 afsnit 6): the two vicedirektører prepare and attend Børne- og Uddannelsesudvalget's meetings,
    and the Direktør for Velfærd attends."""
    load_fixture("assens")
    page.goto("/assens/2014/udvalg/boerne-og-uddannelsesudvalget/")
    expect(page.locator("h1")).to_contain_text("Børne- og Uddannelsesudvalget")
    main = page.locator("main")
    for title in (
        "Vicedirektør for Familie, Unge og Uddannelse",
        "Vicedirektør for Dagtilbud og Skole",
        "Direktør for Velfærd",
    ):
        expect(main.get_by_role("link", name=title).first).to_be_visible()
    expect(main).to_contain_text(re.compile("forbereder dagsorden", re.IGNORECASE))
    expect(main).to_contain_text(re.compile("deltager i møderne", re.IGNORECASE))
    screenshot(page, "committee-page")
    main.get_by_role("link", name="Direktør for Velfærd").first.click()
    expect(page.locator("h1")).to_have_text("Direktør for Velfærd")


def test_language_switch_turns_the_page_english_and_back(page, load_fixture):
    load_fixture("assens")
    page.goto("/assens/2014/enheder/jobcenter-2014/")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Job Centre")
    expect(page.get_by_role("link", name="Organisation chart")).to_be_visible()
    screenshot(page, "unit-page-en")
    page.get_by_role("button", name="Dansk").click()
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.locator("h1")).to_have_text("Jobcenter")
