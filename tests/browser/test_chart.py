"""The interactive org chart in a real browser: cards, expand/collapse, search, keyboard, URL state, print,
and a 5,000-unit version (its render time is measured and written to test-artifacts/, not asserted)."""

import json
import re
import time

import pytest
from playwright.sync_api import expect

from centers import structure_format
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


def test_chart_renders_a_card_for_every_unit_down_to_level_two(page, load_fixture):
    load_fixture("ltk")
    open_chart(page, "/ltk/2012/")

    # Lyngby-Taarbæk 2012 has 32 units on levels 0-2: all are shown, none deeper exists.
    expect(page.locator(".org-card")).to_have_count(32)
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
    expect(centre).to_have_attribute("aria-label", re.compile(r"^Center for Læring og Pædagogik\. Fagcenter\."))
    # One tab stop into the tree (the root); the other cards are reached with the arrow keys.
    assert page.locator('.org-card[tabindex="0"]').evaluate_all("cards => cards.map(c => c.dataset.unitId)") == [
        "enhedsdirektion"
    ]
    expect(page.locator(".chart-legend li")).to_have_count(10)
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


def test_clicking_a_card_opens_its_unit_page(page, load_fixture):
    load_fixture("ltk")
    open_chart(page, "/ltk/2012/")
    page.wait_for_timeout(300)

    card(page, "center-for-job-og-ydelser").locator(".org-card-count").click()

    expect(page).to_have_url(re.compile(r"/ltk/2012/enheder/center-for-job-og-ydelser/$"))
    expect(page.locator("h1")).to_have_text("Center for Job og Ydelser")
    # Back on the chart, the unit we came from is the focused one.
    page.go_back()
    page.wait_for_selector(READY)
    expect(page).to_have_url(re.compile(r"\?enhed=center-for-job-og-ydelser$"))
    expect(card(page, "center-for-job-og-ydelser")).to_have_class(re.compile(r"\bis-focused\b"))


def test_the_chart_is_usable_with_the_keyboard(page, load_fixture):
    load_fixture("albertslund")
    open_chart(page, "/albertslund/2013/")

    # The toolbar is a row of ordinary controls: zoom in from the keyboard.
    page.focus('[data-action="zoom-in"]')
    before = chart_scale(page)
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)
    assert chart_scale(page) > before

    # From the last toolbar button, Tab enters the tree at its root.
    page.focus('[data-action="print"]')
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
    expect(page).to_have_url(re.compile(r"/albertslund/2013/enheder/sekretariat-by-miljoe-beskaeftigelse/$"))


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


def test_print_shows_the_whole_chart_without_the_page_chrome(page, load_fixture):
    load_fixture("ltk")
    open_chart(page, "/ltk/2012/?enhed=center-for-job-og-ydelser")
    svg = page.locator("svg.svg-chart-container")
    assert svg.get_attribute("viewBox") is None

    page.emulate_media(media="print")

    expect(svg).to_have_attribute("viewBox", re.compile(r"^-?[\d.]+ -?[\d.]+ [\d.]+ [\d.]+$"))
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".chart-toolbar")).to_be_hidden()
    expect(page.locator(".org-card")).to_have_count(32)
    for key in ("enhedsdirektion", "center-for-raadgivning-og-stoette", "stab-for-politik-og-jura"):
        assert in_view(page, key), key  # every card is on paper, none clipped by the screen's viewport
    screenshot(page, "chart-print")

    page.emulate_media(media="screen")
    expect(svg).not_to_have_attribute("viewBox", re.compile(".*"))
    expect(page.locator(".chart-toolbar")).to_be_visible()
    expect(page.locator(".org-card")).to_have_count(32)
    assert in_view(page, "center-for-job-og-ydelser")

    pdf = page.pdf(path=ARTIFACTS / "chart-print.pdf")
    assert pdf.startswith(b"%PDF")


def test_a_5000_unit_version_opens_collapsed_and_stays_usable(page, transactional_db):
    structure_format.load(synthetic_structure("stor", 5000))

    started = time.perf_counter()
    open_chart(page, "/stor/syntetisk/")
    opened_ms = (time.perf_counter() - started) * 1000

    assert page.locator("#org-chart-app").get_attribute("data-unit-count") == "5000"
    # Levels 0-2 only: 1 directorate, 8 director areas, 64 centres.
    expect(page.locator(".org-card")).to_have_count(73)
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
