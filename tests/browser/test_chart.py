"""The interactive org chart in a real browser: cards, expand/collapse, search, keyboard, URL state, print,
and a 5,000-unit version (its render time is measured and written to test-artifacts/, not asserted)."""

import io
import json
import re
import time

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from centers import structure_format
from centers.models import Unit
from centers.synthetic import synthetic_structure
from tests.browser.conftest import ARTIFACTS, screenshot

pytestmark = pytest.mark.browser

READY = '#org-chart-app[data-state="ready"]'


def open_chart(page, path: str):
    page.goto(path)
    page.wait_for_selector(READY)
    return page


def card(page, key: str):
    return page.locator(f'.org-card[data-unit-id="{key}"]')


def card_ids(page, selector: str = ".org-card") -> set[str]:
    return set(page.locator(selector).evaluate_all("cards => cards.map(card => card.dataset.unitId)"))


def in_view(page, key: str) -> bool:
    """Whether the unit's card lies wholly inside the chart's viewport (the chart clips what is outside)."""
    return page.evaluate(
        """key => {
            const chart = document.getElementById("org-chart").getBoundingClientRect();
            const card = document.querySelector(`.org-card[data-unit-id="${key}"]`).getBoundingClientRect();
            return card.left >= chart.left && card.right <= chart.right
                && card.top >= chart.top && card.bottom <= chart.bottom;
        }""",
        key,
    )


def chart_scale(page) -> float:
    transform = page.locator("svg.svg-chart-container > g.chart").get_attribute("transform")
    return float(re.search(r"scale\(([\d.]+)", transform).group(1))


def test_chart_opens_one_level_below_a_wide_root_with_only_the_kinds_that_occur(page, load_fixture):
    load_fixture("ltk")
    open_chart(page, "/ltk/2012/")

    # Lyngby-Taarbæk 2012: the direktion and its 11 centres and staffs; their own units start folded away.
    expect(page.locator(".org-card")).to_have_count(12)
    root = card(page, "enhedsdirektion")
    expect(root).to_contain_text("Direktionen (enhedsdirektion)")
    expect(root).to_contain_text("Kommunaldirektør: ubesat")
    expect(root).to_contain_text("11 underenheder · 31 i alt")
    expect(root).to_have_attribute("role", "treeitem")
    expect(root).to_have_attribute("aria-expanded", "true")
    centre = card(page, "center-for-laering-og-paedagogik")
    expect(centre).to_have_class(re.compile(r"\bkind-centre\b"))
    expect(centre).to_contain_text("Fagcenter")
    expect(centre).to_contain_text("Centerchef: ubesat")  # the title's repeat of the unit name is left out
    expect(centre).to_contain_text("5 underenheder")
    expect(centre).to_have_attribute("aria-expanded", "false")
    expect(centre).to_have_attribute("aria-label", re.compile(r"^Center for Læring og Pædagogik\. Fagcenter\."))
    # One tab stop into the tree (the root); the other cards are reached with the arrow keys.
    assert page.locator('.org-card[tabindex="0"]').evaluate_all("cards => cards.map(c => c.dataset.unitId)") == [
        "enhedsdirektion"
    ]
    # The legend is folded and lists the kinds of this version only.
    expect(page.locator(".chart-legend")).to_be_hidden()
    page.click(".chart-legend-box > summary")
    occurring = set(
        Unit.objects.filter(version__key="2012", version__municipality__slug="ltk").values_list("kind", flat=True)
    )
    legend = page.locator(".chart-legend li").evaluate_all("items => items.map(i => i.dataset.kind)")
    assert set(legend) == occurring and len(legend) == len(occurring) < 10
    expect(page.locator('.chart-legend [data-kind="shared_centre"]')).to_have_text("Tværgående center")
    assert in_view(page, "enhedsdirektion")
    screenshot(page, "chart")


def test_chart_in_english_shows_english_names(browser_context, transactional_db, load_fixture):
    load_fixture("ltk")
    page = open_chart(browser_context(locale="en-GB").new_page(), "/ltk/2012/")
    expect(card(page, "center-for-job-og-ydelser")).to_contain_text("Centre for Jobs and Benefits")
    expect(card(page, "enhedsdirektion")).to_contain_text("Chief Executive")


def test_units_below_level_two_start_collapsed_and_expand_on_click(page, load_fixture):
    load_fixture("albertslund")
    open_chart(page, "/albertslund/2013/")

    # Albertslund 2013: 1 + 3 + 10 units on levels 0-2; the 35 institutions on level 3 start folded away.
    expect(page.locator(".org-card")).to_have_count(14)
    service = card(page, "drift-og-service")
    expect(service).to_have_attribute("aria-expanded", "false")
    expect(card(page, "materialegaarden")).to_have_count(0)

    page.locator('g.node:has(.org-card[data-unit-id="drift-og-service"]) .node-button-g').click()

    expect(card(page, "materialegaarden")).to_be_visible()
    expect(card(page, "albertslund-forsyning")).to_be_visible()
    expect(page.locator(".org-card")).to_have_count(16)
    expect(service).to_have_attribute("aria-expanded", "true")
    expect(page).to_have_url(re.compile(r"\?enhed=drift-og-service$"))

    # Space on a focused card folds it again.
    service.focus()
    page.keyboard.press(" ")
    expect(card(page, "materialegaarden")).to_have_count(0)
    expect(service).to_have_attribute("aria-expanded", "false")
    assert page.evaluate("document.activeElement.dataset.unitId") == "drift-og-service"


def test_search_highlights_matching_units_and_unfolds_to_them(page, load_fixture):
    load_fixture("albertslund")
    open_chart(page, "/albertslund/2013/")
    expect(card(page, "ridecentret")).to_have_count(0)  # level 3: folded away

    page.fill("#chart-search", "ridecentret")

    expect(card(page, "ridecentret")).to_have_class(re.compile(r"\bis-highlighted\b"))
    assert card_ids(page, ".org-card.is-highlighted") == {"ridecentret"}
    expect(card(page, "ridecentret")).to_have_attribute("aria-label", re.compile(r"søgetræf$"))
    expect(page.locator("#chart-search-status")).to_have_text("1 enhed fundet.")
    expect(page).to_have_url(re.compile(r"\?enhed=ridecentret&q=ridecentret$"))
    page.wait_for_timeout(400)  # the view moves to the match
    assert in_view(page, "ridecentret")

    # Head titles are searched too, and a new search replaces the old highlight.
    page.fill("#chart-search", "sekretariatsleder")
    expect(page.locator(".org-card.is-highlighted")).to_have_count(2)
    assert card_ids(page, ".org-card.is-highlighted") == {
        "sekretariat-by-miljoe-beskaeftigelse",
        "sekretariat-boern-kultur-velfaerd",
    }
    expect(card(page, "ridecentret")).to_have_count(0)  # folded away again with the old search
    # Enter in the search field moves on to the next match.
    page.press("#chart-search", "Enter")
    expect(page.locator("#chart-search-status")).to_have_text("Træf 2 af 2: Sekretariatet for Børn, kultur & velfærd")
    expect(page).to_have_url(re.compile(r"\?enhed=sekretariat-boern-kultur-velfaerd&q=sekretariatsleder$"))

    page.fill("#chart-search", "findes ikke")
    expect(page.locator("#chart-search-status")).to_have_text("Ingen enheder matcher søgningen.")
    expect(page.locator(".org-card.is-highlighted")).to_have_count(0)


def test_clicking_a_card_opens_its_details_beside_the_chart_with_its_path_to_the_root(page, load_fixture):
    load_fixture("ltk")
    open_chart(page, "/ltk/2012/")
    page.wait_for_timeout(300)

    card(page, "center-for-job-og-ydelser").locator(".org-card-count").click()
    panel = page.locator("#chart-panel")
    expect(panel).to_be_visible()
    expect(panel.locator("h2#chart-panel-title")).to_have_text("Center for Job og Ydelser")
    expect(page).to_have_url(re.compile(r"/ltk/2012/\?enhed=center-for-job-og-ydelser$"))
    assert card_ids(page, ".org-card.is-on-path") == {"center-for-job-og-ydelser", "enhedsdirektion"}
    # Clicking the name, a link, opens the panel too; the panel's own button opens the unit page.
    card(page, "center-for-miljoe-og-plan").locator(".org-card-name").click()
    expect(panel.locator("h2#chart-panel-title")).to_have_text("Center for Miljø og Plan")
    assert card_ids(page, ".org-card.is-on-path") == {"center-for-miljoe-og-plan", "enhedsdirektion"}
    panel.locator("text=Åbn enhedens side").click()
    expect(page).to_have_url(re.compile(r"/ltk/2012/enheder/center-for-miljoe-og-plan/$"))
    expect(page.locator("h1")).to_have_text("Center for Miljø og Plan")
    # Back on the chart, the unit we came from is focused and its details are open again.
    page.go_back()
    page.wait_for_selector(READY)
    expect(page).to_have_url(re.compile(r"\?enhed=center-for-miljoe-og-plan$"))
    expect(card(page, "center-for-miljoe-og-plan")).to_have_class(re.compile(r"\bis-focused\b"))
    expect(page.locator("#chart-panel-title")).to_have_text("Center for Miljø og Plan")
    page.click('[data-action="close-panel"]')
    expect(panel).to_be_hidden()
    expect(page.locator(".org-card.is-on-path")).to_have_count(0)


def test_the_chart_is_usable_with_the_keyboard(page, load_fixture):
    load_fixture("albertslund")
    open_chart(page, "/albertslund/2013/")

    # The toolbar is a row of ordinary controls: zoom in from the keyboard.
    page.focus('[data-action="zoom-in"]')
    before = chart_scale(page)
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)
    assert chart_scale(page) > before

    # From the legend's toggle, the last control above the chart, Tab enters the tree at its root.
    page.focus(".chart-legend-box > summary")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.unitId") == "forvaltningen"
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.dataset.unitId") == "oekonomi-og-stab"
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.dataset.unitId") == "by-miljoe-beskaeftigelse"
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.dataset.unitId") == "sekretariat-by-miljoe-beskaeftigelse"
    page.keyboard.press("ArrowDown")  # unfolds the secretariat and moves to its first unit, on level 3
    expect(card(page, "beredskabet")).to_be_visible()
    assert page.evaluate("document.activeElement.dataset.unitId") == "beredskabet"
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.dataset.unitId") == "sekretariat-by-miljoe-beskaeftigelse"
    expect(page).to_have_url(re.compile(r"\?enhed=sekretariat-by-miljoe-beskaeftigelse$"))
    page.wait_for_timeout(300)
    assert in_view(page, "sekretariat-by-miljoe-beskaeftigelse")  # the view follows the keyboard

    page.keyboard.press("Enter")
    expect(page.locator("#chart-panel-title")).to_have_text("Sekretariatet for By, miljø & beskæftigelse")
    expect(page.locator("#chart-panel-title")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#chart-panel")).to_be_hidden()
    assert page.evaluate("document.activeElement.dataset.unitId") == "sekretariat-by-miljoe-beskaeftigelse"


def test_a_link_with_the_chart_state_reopens_the_same_view(page, browser_context, load_fixture):
    load_fixture("albertslund")
    open_chart(page, "/albertslund/2013/")
    page.fill("#chart-search", "Ridecentret")
    expect(page).to_have_url(re.compile(r"\?enhed=ridecentret&q=Ridecentret$"))
    link = page.url

    reopened = open_chart(browser_context().new_page(), link)

    expect(reopened.locator("#chart-search")).to_have_value("Ridecentret")
    ridecentret = card(reopened, "ridecentret")
    expect(ridecentret).to_have_class(re.compile(r"\bis-focused\b"))
    expect(ridecentret).to_have_class(re.compile(r"\bis-highlighted\b"))
    expect(reopened.locator("#chart-search-status")).to_have_text("1 enhed fundet.")
    assert in_view(reopened, "ridecentret")

    # A focused unit alone: its branch is unfolded, centred, and its own children are shown.
    focused = open_chart(browser_context().new_page(), "/albertslund/2013/?enhed=social-og-familie")
    expect(card(focused, "social-og-familie")).to_have_class(re.compile(r"\bis-focused\b"))
    expect(card(focused, "ppr")).to_be_visible()
    assert in_view(focused, "social-og-familie")
    expect(focused.locator(".org-card.is-highlighted")).to_have_count(0)
    # The version and language switches carry the view along.
    expect(focused.locator('.language-switch input[name="next"]')).to_have_value(
        "/albertslund/2013/?enhed=social-og-familie"
    )
    expect(focused.locator('a[data-version="2012"]')).to_have_attribute(
        "href", re.compile(r"/albertslund/2012/\?enhed=social-og-familie$")
    )


def test_print_shows_the_shown_cards_as_an_outline_from_the_root_on_page_one(page, load_fixture):
    load_fixture("ltk")
    open_chart(page, "/ltk/2012/?enhed=center-for-job-og-ydelser")
    expect(page.locator(".chart-outline")).to_be_hidden()

    page.emulate_media(media="print")

    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".chart-toolbar")).to_be_hidden()
    expect(page.locator(".chart-stage")).to_be_hidden()
    outline = page.locator(".chart-outline")
    expect(outline).to_be_visible()
    # The cards shown on screen: the direktion, its 11 units and the 3 opened under Center for Job og Ydelser.
    expect(outline.locator(".outline-card")).to_have_count(15)
    expect(outline.locator(".outline-card").first).to_contain_text("Direktionen (enhedsdirektion)")
    screenshot(page, "chart-print")
    pdf = page.pdf(path=ARTIFACTS / "chart-print.pdf", format="A4")
    first_page = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Direktionen (enhedsdirektion)" in first_page
    assert "Center for Rådgivning og Støtte" in first_page

    page.emulate_media(media="screen")
    expect(page.locator(".chart-toolbar")).to_be_visible()
    expect(outline.locator(".outline-card")).to_have_count(0)
    assert in_view(page, "center-for-job-og-ydelser")


def test_a_5000_unit_version_opens_collapsed_and_stays_usable(page, transactional_db):
    structure_format.load(synthetic_structure("stor", 5000))

    started = time.perf_counter()
    open_chart(page, "/stor/syntetisk/")
    opened_ms = (time.perf_counter() - started) * 1000

    assert page.locator("#org-chart-app").get_attribute("data-unit-count") == "5000"
    # The directorate and its 8 director areas; their centres start folded away.
    expect(page.locator(".org-card")).to_have_count(9)
    screenshot(page, "chart-5000")
    timings = page.evaluate(
        """() => {
            const measures = Object.fromEntries(
                performance.getEntriesByType("measure").map(entry => [entry.name, entry.duration]));
            const ready = performance.getEntriesByName("orgchart:render-end")[0].startTime;
            return {fetch_ms: measures["orgchart:fetch"], render_ms: measures["orgchart:render"],
                    fetch_and_render_ms: measures["orgchart:total"], navigation_to_chart_ms: ready};
        }"""
    )

    page.fill("#chart-search", "Enhed 4321")
    expect(card(page, "enhed-4321")).to_have_class(re.compile(r"\bis-highlighted\b"))
    page.fill("#chart-search", "")
    expect(page.locator(".org-card.is-highlighted")).to_have_count(0)

    page.focus('[data-action="expand-all"]')  # as when the button is clicked
    timings["expand_all_ms"] = page.evaluate(
        """async () => {
            const start = performance.now();
            document.querySelector('[data-action="expand-all"]').click();
            const app = document.getElementById("org-chart-app");
            while (app.dataset.state !== "ready" || document.querySelectorAll(".org-card").length < 5000) {
                await new Promise(resolve => setTimeout(resolve, 10));
            }
            await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
            return performance.now() - start;
        }"""
    )
    expect(page.locator(".org-card")).to_have_count(5000)
    page.click('[data-action="collapse-all"]')
    page.wait_for_selector(READY)
    expect(page.locator(".org-card")).to_have_count(9)  # the directorate and its director areas

    timings = {"units": 5000, "page_open_to_ready_ms": opened_ms, **timings}
    timings = {key: round(value) for key, value in timings.items()}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "chart-5000-timings.json").write_text(json.dumps(timings, indent=2) + "\n")
    print("5,000-unit chart in headless chromium:", timings)
